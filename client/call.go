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

// operation describes one API endpoint to the shared call pipeline.
type operation struct {
	// id is the OpenAPI operationId, used in errors and logs.
	id string
	// token is the bearer token to send, already checked.
	token string
	// build makes the request with the generated builder.
	build func(serverURL string) (*http.Request, error)
}

// call runs op: it sets the headers, sends with retries, classifies the
// response by status and decodes a success into a new T. Input has been
// validated by the caller, so a failure here is an *APIError, a
// *TransportError or a context error wrapped with the last failure.
func call[T any](ctx context.Context, s *settings, op operation) (*T, error) {
	req, err := op.build(s.serverURL)
	if err != nil {
		// The builders fail only on a server URL that New already checked.
		return nil, fmt.Errorf("polar: %s: building request: %w", op.id, err)
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
	body, status, attempts, err := send(ctx, s, op.id, req)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := json.Unmarshal(body, out); err != nil {
		return nil, &APIError{Operation: op.id, StatusCode: status, Attempts: attempts,
			Err: fmt.Errorf("decoding response: %w", err)}
	}
	return out, nil
}

// send makes attempts until one succeeds with a 2xx, one fails in a way not
// worth retrying, the policy's attempts run out, or waiting would break the
// policy or the context. It returns the successful body and status.
func send(ctx context.Context, s *settings, opID string, req *http.Request) (body []byte, status, attempts int, err error) {
	p := s.retry.withDefaults()
	for attempts = 1; ; attempts++ {
		start := time.Now()
		body, status, err = attempt(ctx, s, p, opID, req, attempts)
		if s.logger != nil {
			logAttempt(ctx, s.logger, req, attempts, status, err, time.Since(start))
		}
		if err == nil {
			return body, status, attempts, nil
		}

		retry, retryAfter, class := retryDecision(ctx, err)
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
				slog.String("cause", class), slog.Duration("wait", wait))
		}
		if waitErr := p.Wait(ctx, wait); waitErr != nil {
			// Both stay visible: errors.Is finds the context error,
			// errors.As the last *APIError or *TransportError.
			return nil, status, attempts, fmt.Errorf("polar: %s: %w while waiting to retry: %w", opID, waitErr, err)
		}
	}
}

// retryDecision reads a failed attempt's error: whether to retry, the
// server's Retry-After (-1 when absent), and a short cause for the log.
func retryDecision(ctx context.Context, err error) (retry bool, retryAfter time.Duration, cause string) {
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
		_, retry = classifyTransport(ctx, tErr.Err)
		return retry, -1, tErr.Class
	}
	return false, -1, "other"
}

// attempt sends req once and reads the whole (bounded) response, so the
// connection goes back to the pool before any wait. It returns the body of a
// 2xx, or the failure as an *APIError or *TransportError carrying attempts.
func attempt(ctx context.Context, s *settings, p RetryPolicy, opID string, req *http.Request, n int) ([]byte, int, error) {
	if p.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.AttemptTimeout)
		defer cancel()
	}
	r := req.WithContext(ctx)
	if n > 1 {
		// A retry sends the same bytes: a fresh copy of the headers (a
		// doer may have touched the last ones) and of the body.
		r = req.Clone(ctx)
		if req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, 0, &TransportError{Operation: opID, Class: "other", Attempts: n, Err: err}
			}
			r.Body = b
		}
	}

	resp, err := s.httpClient.Do(r)
	if err == nil && resp == nil {
		err = errors.New("HTTP client returned neither a response nor an error")
	}
	if err != nil {
		class, _ := classifyTransport(ctx, err)
		return nil, 0, &TransportError{Operation: opID, Class: class, Attempts: n, Err: err}
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
				Header: resp.Header, Attempts: n, Err: err}
		case err != nil:
			class, _ := classifyTransport(ctx, err)
			return nil, resp.StatusCode, &TransportError{Operation: opID, Class: class, Attempts: n,
				Err: fmt.Errorf("reading %d response: %w", resp.StatusCode, err)}
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
