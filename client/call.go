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

// call is one API call. It is the generated client's HTTP doer for the
// call (see Do in retry.go), so the generated code builds the request once
// and the call sends it: each attempt through the rate-limit gate, the
// middleware and the HTTP client.
type call struct {
	op    string // the operationId, for errors and logs
	set   settings
	p     RetryPolicy // set.retry with its defaults filled in
	token string      // the bearer token the call sends
	red   redactor
	send  MiddlewareNext // the middleware around the HTTP client

	sent     bool           // the request was built and handed to Do
	attempts int            // requests made so far
	body     []byte         // the successful response's body
	last     *http.Response // the last attempt's response, for WithResponseInto
	covered  time.Time      // the end of the call's last wait to retry
}

// run makes a call: send calls one generated method, decode reads a 2xx
// body. Input has been checked, so a failure is an *APIError, a
// *ValidationError, a *TransportError or a context error (wrapped with the
// last failure when it struck while waiting to retry).
func run[T any](ctx context.Context, set settings, op, token string,
	decode func([]byte, redactor) (*T, error),
	send func(context.Context, *gen.Client) (*http.Response, error),
) (*T, error) {
	c := &call{op: op, set: set, p: set.retry.withDefaults(), token: token, red: redactor{token},
		send: chain(set.httpClient, set.middleware)}
	if set.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, set.timeout)
		defer cancel()
	}
	gc, err := gen.NewClient(set.serverURL, gen.WithHTTPClient(c), gen.WithRequestEditorFn(c.authorize))
	if err != nil {
		return nil, invalid("server URL", "cannot build requests")
	}
	resp, err := send(ctx, gc)
	if set.responseInto != nil {
		*set.responseInto = c.red.response(c.last)
	}
	switch {
	case err != nil && !c.sent:
		// The generated builder failed before anything was sent.
		return nil, invalid("request", "cannot be built: %s", c.red.str(err.Error()))
	case err != nil:
		return nil, err
	}
	out, err := decode(c.body, c.red)
	if err != nil {
		return nil, &APIError{Operation: op, StatusCode: resp.StatusCode, Attempts: c.attempts,
			Err: c.red.err(fmt.Errorf("decoding response: %w", err))}
	}
	return out, nil
}

// authorize is the call's request editor: its credential (the per-call
// security the generated code leaves to the caller) and the headers every
// request carries.
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
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", c.red.str(req.URL.Path)),
		slog.Int("attempt", n),
		slog.Duration("duration", took),
	}
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case err == nil && c.last != nil:
		attrs = append(attrs, slog.Int("status", c.last.StatusCode))
	case errors.As(err, &apiErr):
		attrs = append(attrs, slog.Int("status", apiErr.StatusCode))
	case errors.As(err, &tErr):
		attrs = append(attrs, slog.String("error_class", tErr.Class))
	}
	c.set.logger.LogAttrs(ctx, slog.LevelDebug, "polar: request", attrs...)
}

// log logs an event of the call at info level: a retry, a cooldown.
func (c *call) log(ctx context.Context, msg string, attrs ...slog.Attr) {
	if c.set.logger != nil {
		c.set.logger.LogAttrs(ctx, slog.LevelInfo, msg, append([]slog.Attr{slog.String("operation", c.op)}, attrs...)...)
	}
}
