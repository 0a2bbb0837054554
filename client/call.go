package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/polarsessions/polarsessions-go/gen"
)

// call is one API call, and the generated client's HTTP doer for it (Do,
// in retry.go): the generated code builds the request, the call sends it.
type call struct {
	op       string // the operationId, for errors and logs
	set      settings
	p        RetryPolicy // set.retry, defaults filled in
	token    string      // the bearer token the call sends
	red      redactor
	send     MiddlewareNext // the HTTP client, in the middleware if any
	sent     bool           // the request was built and handed to Do
	attempts int            // requests made so far
	body     []byte         // the successful response's body
	last     *http.Response // the last attempt's response, if any
	lastBody []byte         // what was read of last's body, within the read limits
	covered  time.Time      // the end of the call's last wait to retry
}

// run makes a checked call: send calls one generated method, decode reads a
// 2xx body; a failure is typed, or a context error wrapping the last one.
func run[T any](ctx context.Context, set settings, op, token string,
	decode func([]byte, *redactor) (*T, error),
	send func(context.Context, *gen.Client) (*http.Response, error),
) (*T, error) {
	c := &call{op: op, set: set, p: set.retry.withDefaults(), token: token, red: redactor{token: token},
		send: chain(set.httpClient, set.middleware)}
	if set.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, set.timeout)
		defer cancel()
	}
	gc, _ := gen.NewClient(set.serverURL, gen.WithHTTPClient(c), gen.WithRequestEditorFn(c.authorize)) // its options never fail
	resp, err := send(ctx, gc)
	var out *T
	var decodeErr error
	if err == nil {
		// Decoding may teach the redactor a secret of the answer's own:
		// what WithResponseInto hands over is redacted after it.
		out, decodeErr = decode(c.body, &c.red)
	}
	if set.responseInto != nil {
		*set.responseInto = c.red.response(c.last, c.lastBody)
	}
	switch {
	case err != nil && !c.sent:
		// The generated builder failed before anything was sent.
		return nil, invalid("request", "cannot be built: %s", c.red.str(err.Error()))
	case err != nil:
		return nil, err
	case decodeErr != nil:
		return nil, &APIError{Operation: op, StatusCode: resp.StatusCode, Attempts: c.attempts,
			Err: c.red.err(fmt.Errorf("decoding response: %w", decodeErr))}
	}
	return out, nil
}

// authorize is the call's request editor: its credential (the security
// the generated code leaves to the caller) and the client's headers.
func (c *call) authorize(_ context.Context, req *http.Request) error {
	h := req.Header
	h.Set("Authorization", "Bearer "+c.token)
	h.Set("Accept", "application/json")
	h.Set("User-Agent", c.set.userAgent)
	h.Set("Polar-Version", c.set.apiVersion)
	for _, kv := range c.set.headers {
		h.Set(kv.key, kv.value)
	}
	return nil
}

// logAttempt logs one attempt at debug level: never the URL's host, a
// header, a body or an error string that could carry a secret.
func (c *call) logAttempt(ctx context.Context, req *http.Request, n int, err error, took time.Duration) {
	if c.set.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("method", req.Method), slog.String("path", c.red.str(req.URL.Path)),
		slog.Int("attempt", n), slog.Duration("duration", took)}
	var tErr *TransportError
	if c.last != nil {
		attrs = append(attrs, slog.Int("status", c.last.StatusCode))
	} else if errors.As(err, &tErr) {
		attrs = append(attrs, slog.String("error_class", tErr.Class))
	}
	c.set.logger.LogAttrs(ctx, slog.LevelDebug, "polar: request", attrs...)
}

// log logs a retry or a cooldown at info level.
func (c *call) log(ctx context.Context, msg string, attrs ...slog.Attr) {
	if c.set.logger != nil {
		c.set.logger.LogAttrs(ctx, slog.LevelInfo, msg, append([]slog.Attr{slog.String("operation", c.op)}, attrs...)...)
	}
}

// withLast wraps err, which ended a call, with the call's last failure.
func withLast(err, last error) error {
	if last == nil {
		return err
	}
	return fmt.Errorf("%w; last failure: %w", err, last)
}

// cause names a failure for the log: "status 503", or its class.
func cause(err error) string {
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		return fmt.Sprintf("status %d", apiErr.StatusCode)
	case errors.As(err, &tErr):
		return tErr.Class
	}
	return "other"
}
