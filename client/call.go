package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// The operations' IDs, as APIError.Operation and TransportError.Operation
// give them: the spec's operationId.
const (
	OperationCreate     = "customer-sessions:create"
	OperationIntrospect = "customer_portal:customer-session:introspect"
)

// Short names inside the package.
const (
	opCreate     = OperationCreate
	opIntrospect = OperationIntrospect
)

// operation describes one API endpoint to the shared call pipeline; T is
// the generated model a success decodes into.
type operation[T any] struct {
	// id is the OpenAPI operationId, used in errors and logs.
	id string
	// token is the bearer token to send, already checked.
	token string
	// build makes the request with the generated builder.
	build func(serverURL string) (*http.Request, error)
	// complete reports a decoded success that lacks a required field: JSON
	// such as {} or null decodes without error into an empty model.
	complete func(*T) error
}

// call runs op: it sets the headers, sends with retries, classifies the
// response by status and decodes a success into a new T. Input has been
// validated by the caller, so a failure here is an *APIError, a
// *TransportError or a context error wrapped with the last failure.
func call[T any](ctx context.Context, s *settings, op operation[T]) (*T, error) {
	req, err := op.build(s.serverURL)
	if err != nil {
		// The builders fail only on a server URL or body New and the
		// input checks have already accepted; nothing was sent.
		return nil, invalid("request", "cannot be built: %v", err)
	}
	h := req.Header
	h.Set("Authorization", "Bearer "+op.token)
	h.Set("Accept", "application/json")
	h.Set("User-Agent", s.userAgent)
	h.Set("Polar-Version", s.apiVersion)
	for _, kv := range s.headers {
		h.Set(kv.key, kv.value)
	}

	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	body, status, attempts, err := send(ctx, s, op.id, op.token, req)
	if err != nil {
		return nil, err
	}
	out := new(T)
	err = json.Unmarshal(body, out)
	if err == nil {
		err = op.complete(out)
	}
	if err != nil {
		return nil, &APIError{Operation: op.id, StatusCode: status, Attempts: attempts,
			Err: redactErr(fmt.Errorf("decoding response: %w", err))}
	}
	return out, nil
}

// send makes attempts until one succeeds with a 2xx, one fails in a way not
// worth retrying, the policy's attempts run out, or waiting would break the
// policy or the context. It returns the successful body and status.
func send(ctx context.Context, s *settings, opID, token string, req *http.Request) (body []byte, status, attempts int, err error) {
	p := s.retry.withDefaults()
	do := chain(s.httpClient, s.middleware)
	g := gate{s: s, p: p, opID: opID}
	if !s.noCooldown && s.cooldowns != nil {
		g.cooldowns, g.key = s.cooldowns, newCooldownKey(s.serverURL, token)
	}
	var covered time.Time // the end of the call's last wait to retry
	for attempts = 1; ; attempts++ {
		if gateErr := g.pass(ctx, attempts-1, err, covered); gateErr != nil {
			return nil, status, attempts - 1, gateErr
		}
		start := time.Now()
		body, status, err = attempt(ctx, do, p, opID, req, attempts)
		if s.logger != nil {
			logAttempt(ctx, s.logger, req, attempts, status, err, time.Since(start))
		}
		if err == nil {
			return body, status, attempts, nil
		}
		g.note(err)
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// The context ended the attempt (say, mid-body): say so, and
			// keep what the attempt got.
			return nil, status, attempts, fmt.Errorf("polar: %s: %w; last failure: %w", opID, ctxErr, err)
		}

		retry, retryAfter, cause := retryDecision(err)
		if !retry || attempts >= p.MaxAttempts {
			return nil, status, attempts, err
		}
		wait := retryAfter
		if wait < 0 {
			wait = p.backoff(attempts)
		} else if wait > p.MaxInterval {
			return nil, status, attempts, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
			return nil, status, attempts, err
		}
		if s.logger != nil {
			s.logger.LogAttrs(ctx, slog.LevelInfo, "polar: retrying",
				slog.String("operation", opID), slog.Int("attempt", attempts),
				slog.String("cause", cause), slog.Duration("wait", wait))
		}
		covered = time.Now().Add(wait)
		if waitErr := p.Wait(ctx, wait); waitErr != nil {
			// Both stay visible: errors.Is finds the context error,
			// errors.As the last *APIError or *TransportError.
			return nil, status, attempts, fmt.Errorf("polar: %s: %w while waiting to retry: %w", opID, waitErr, err)
		}
	}
}

// retryDecision reads a failed attempt's error: whether to retry, the
// server's Retry-After (-1 when absent), and a short cause for the log.
// attempt returns only *APIError and *TransportError.
func retryDecision(err error) (retry bool, retryAfter time.Duration, cause string) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		retryAfter = -1
		if apiErr.hasRetryAfter {
			retryAfter = apiErr.RetryAfter
		}
		return apiErr.Err == nil && retryableStatus(apiErr.StatusCode), retryAfter, fmt.Sprintf("status %d", apiErr.StatusCode)
	}
	var tErr *TransportError
	if errors.As(err, &tErr) {
		return tErr.retry, -1, tErr.Class
	}
	return false, -1, "other"
}

// attempt sends req once and reads the whole (bounded) response, so the
// connection goes back to the pool before any wait. It returns the body of a
// 2xx, or the failure as an *APIError or *TransportError carrying n, the
// attempt's number. Failures are classified against callCtx, the call's
// context: an attempt that hit its own AttemptTimeout is a "timeout" to
// retry, one whose call is over is not.
func attempt(callCtx context.Context, do MiddlewareNext, p RetryPolicy, opID string, req *http.Request, n int) ([]byte, int, error) {
	ctx := callCtx
	if p.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(callCtx, p.AttemptTimeout)
		defer cancel()
	}
	transportErr := func(err error) *TransportError {
		class, retry := classifyTransport(callCtx, err)
		return &TransportError{Operation: opID, Class: class, Attempts: n, Err: redactErr(err), retry: retry}
	}

	// Every attempt gets its own copy of the headers, so a doer that edits
	// them cannot change what a retry sends; a retry gets a fresh body.
	r := req.Clone(ctx)
	if n > 1 && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, 0, transportErr(err)
		}
		r.Body = b
	}

	resp, err := do(r)
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
			return nil, resp.StatusCode, &APIError{Operation: opID, StatusCode: resp.StatusCode,
				Header: redactHeader(resp.Header), Attempts: n, Err: err}
		case err != nil:
			return nil, resp.StatusCode, transportErr(fmt.Errorf("reading %d response: %w", resp.StatusCode, err))
		}
		return body, resp.StatusCode, nil
	}
	return nil, resp.StatusCode, newAPIError(opID, resp, readCapped(resp, maxErrorBody), n)
}

// logAttempt logs one attempt at debug level: never the URL's host, a
// header, a body or an error string that could carry a secret.
func logAttempt(ctx context.Context, l *slog.Logger, req *http.Request, n, status int, err error, took time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
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
	l.LogAttrs(ctx, slog.LevelDebug, "polar: request", attrs...)
}
