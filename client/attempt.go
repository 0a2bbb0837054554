package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// attempt sends the request once and reads the whole (bounded) response, so
// the connection goes back to the pool before any wait. It returns the body
// of a 2xx, or the failure as an *APIError or *TransportError carrying n,
// the attempt's number. Failures are classified against callCtx, the call's
// context: an attempt that hit its own AttemptTimeout is a "timeout" to
// retry, one whose call is over is not.
func (x *exchange) attempt(callCtx context.Context, n int) ([]byte, int, error) {
	ctx := callCtx
	if x.p.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(callCtx, x.p.AttemptTimeout)
		defer cancel()
	}
	transportErr := func(err error) *TransportError {
		class, retry := classifyTransport(callCtx, err)
		if class == "timeout" && ctx.Err() != nil {
			// The attempt's own timeout, not the caller's deadline: it
			// must not match context.DeadlineExceeded.
			err = &attemptTimeoutError{after: x.p.AttemptTimeout}
		}
		return &TransportError{Operation: x.opID, Class: class, Attempts: n, Err: x.red.err(err), retry: retry}
	}

	// Every attempt gets its own copy of the headers, so a doer that edits
	// them cannot change what a retry sends; a retry gets a fresh body.
	r := x.req.Clone(ctx)
	if n > 1 && x.req.GetBody != nil {
		b, err := x.req.GetBody()
		if err != nil {
			return nil, 0, transportErr(err)
		}
		r.Body = b
	}

	var resp *http.Response
	var err error
	if x.do != nil {
		resp, err = x.do(r)
	} else {
		resp, err = x.doer.Do(r)
	}
	if err == nil && resp == nil {
		err = errors.New("HTTP client returned neither a response nor an error")
	}
	if err != nil {
		return nil, 0, transportErr(err)
	}
	if resp.Body == nil {
		resp.Body = http.NoBody // a custom HTTPDoer may leave it nil; net/http never does
	}
	defer resp.Body.Close()

	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		body, err := readBody(resp, maxSuccessBody)
		switch {
		case errors.Is(err, ErrResponseTooLarge):
			return nil, resp.StatusCode, &APIError{Operation: x.opID, StatusCode: resp.StatusCode,
				Header: x.red.header(resp.Header), Attempts: n, Err: err}
		case err != nil:
			return nil, resp.StatusCode, transportErr(fmt.Errorf("reading %d response: %w", resp.StatusCode, err))
		}
		return body, resp.StatusCode, nil
	}
	return nil, resp.StatusCode, newAPIError(x.opID, resp, readCapped(resp, maxErrorBody), n, x.red)
}

// attemptTimeoutError is an attempt abandoned after RetryPolicy's
// AttemptTimeout. It is a net.Error whose Timeout is true.
type attemptTimeoutError struct{ after time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s", e.after)
}
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }

// logAttempt logs one attempt at debug level: never the URL's host, a
// header, a body or an error string that could carry a secret.
func (x *exchange) logAttempt(ctx context.Context, n, status int, err error, took time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", x.req.Method),
		slog.String("path", x.red.str(x.req.URL.Path)),
		slog.Int("attempt", n),
		slog.Duration("duration", took),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	var tErr *TransportError
	if errors.As(err, &tErr) {
		attrs = append(attrs, slog.String("error_class", tErr.Class))
	}
	x.logger.LogAttrs(ctx, slog.LevelDebug, "polar: request", attrs...)
}
