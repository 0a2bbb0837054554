package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// send makes attempts until one succeeds with a 2xx, one fails in a way not
// worth retrying, the policy's attempts run out, or waiting would break the
// policy or the context. It returns the successful body and status.
func (x *exchange) send(ctx context.Context) (body []byte, status, attempts int, err error) {
	p := x.p
	var covered time.Time // the end of the call's last wait to retry
	for attempts = 1; ; attempts++ {
		if gateErr := x.gate.pass(ctx, attempts-1, err, covered); gateErr != nil {
			return nil, status, attempts - 1, gateErr
		}
		start := time.Now()
		body, status, err = x.attempt(ctx, attempts)
		if x.logger != nil {
			x.logAttempt(ctx, attempts, status, err, time.Since(start))
		}
		if err == nil {
			return body, status, attempts, nil
		}
		x.gate.note(err)
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// The context ended the attempt (say, mid-body): say so, and
			// keep what the attempt got.
			return nil, status, attempts, fmt.Errorf("polar: %s: %w; last failure: %w", x.opID, ctxErr, err)
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
		if x.logger != nil {
			x.logger.LogAttrs(ctx, slog.LevelInfo, "polar: retrying",
				slog.String("operation", x.opID), slog.Int("attempt", attempts),
				slog.String("cause", cause), slog.Duration("wait", wait))
		}
		covered = time.Now().Add(wait)
		if waitErr := p.Wait(ctx, wait); waitErr != nil {
			// Both stay visible: errors.Is finds the context error,
			// errors.As the last *APIError or *TransportError.
			return nil, status, attempts, fmt.Errorf("polar: %s: %w while waiting to retry: %w", x.opID, waitErr, err)
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
