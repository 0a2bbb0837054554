package client

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how a call retries 408, 429, 500, 502-504 and safe
// transport failures (Create too: Polar has no idempotency keys), after
// Retry-After or jittered backoff; a wait past MaxInterval or the deadline
// returns the error at once. Zero fields take the defaults.
type RetryPolicy struct {
	MaxAttempts     int            // attempts in all, the first included; 1 means no retries
	InitialInterval time.Duration  // the backoff before the first retry
	MaxInterval     time.Duration  // caps any wait; a longer Retry-After is not waited at all
	Multiplier      float64        // the backoff's growth per attempt; at least 1
	AttemptTimeout  time.Duration  // bounds each attempt, retried on expiry; negative: no bound
	Rand            func() float64 // [0, 1) for jitter, safe for concurrent use; nil: math/rand/v2
	// Wait waits d or until ctx is done, then returning ctx.Err(); nil is a
	// timer. Tests inject it to see waits without spending them.
	Wait func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy is 3 attempts of at most 5s (as Polar's SDKs), jittered
// waits of 500ms then 1s, capped at 8s: a blip ridden out, no caller held long.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, InitialInterval: 500 * time.Millisecond, MaxInterval: 8 * time.Second,
		Multiplier: 2, AttemptTimeout: 5 * time.Second}
}

// WithRetryPolicy sets how failed attempts are retried (see RetryPolicy);
// RetryPolicy{MaxAttempts: 1} turns retries off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		const field = "WithRetryPolicy"
		switch {
		case p.MaxAttempts < 0:
			return invalid(field, "MaxAttempts is negative (%d)", p.MaxAttempts)
		case p.InitialInterval < 0:
			return invalid(field, "InitialInterval is negative (%s)", p.InitialInterval)
		case p.MaxInterval < 0:
			return invalid(field, "MaxInterval is negative (%s)", p.MaxInterval)
		case math.IsNaN(p.Multiplier) || math.IsInf(p.Multiplier, 0) || p.Multiplier < 0 || (p.Multiplier > 0 && p.Multiplier < 1):
			return invalid(field, "Multiplier must be at least 1 (or 0 for the default), got %v", p.Multiplier)
		}
		s.retry = p
		return nil
	}
}

// withDefaults fills zero fields from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	p.MaxAttempts = cmp.Or(p.MaxAttempts, d.MaxAttempts)
	p.InitialInterval = cmp.Or(p.InitialInterval, d.InitialInterval)
	p.MaxInterval = cmp.Or(p.MaxInterval, d.MaxInterval)
	p.Multiplier = cmp.Or(p.Multiplier, d.Multiplier)
	p.AttemptTimeout = cmp.Or(p.AttemptTimeout, d.AttemptTimeout)
	if p.Rand == nil {
		p.Rand = rand.Float64
	}
	if p.Wait == nil {
		p.Wait = waitTimer
	}
	return p
}

// Do sends req until an attempt succeeds (a 2xx, its body read) or the
// policy or context says stop; a hook's panic is a TransportError "panic".
func (c *call) Do(req *http.Request) (resp *http.Response, err error) {
	c.sent = true
	ctx := req.Context()
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, &TransportError{Operation: c.op, Class: "panic", Attempts: c.attempts,
				Err: c.red.err(fmt.Errorf("panic: %v", p))}
		}
	}()
	for n := 1; ; n++ {
		if gateErr := c.gate(ctx, err); gateErr != nil {
			return nil, gateErr
		}
		start := time.Now()
		resp, err = c.attempt(req, n)
		c.logAttempt(ctx, req, n, err, time.Since(start))
		if err == nil {
			return resp, nil
		}
		c.noteCooldown(err)
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// The context ended the attempt (say, mid-body): say so.
			return nil, withLast(fmt.Errorf("polar: %s: %w", c.op, ctxErr), err)
		}
		wait, retry := c.p.retryWait(ctx, err, n)
		if !retry {
			return nil, err
		}
		c.log(ctx, "polar: retrying", slog.Int("attempt", n), slog.String("cause", cause(err)), slog.Duration("wait", wait))
		c.covered = time.Now().Add(wait)
		if waitErr := c.p.Wait(ctx, wait); waitErr != nil {
			// errors.Is finds the context error, errors.As the last failure.
			return nil, fmt.Errorf("polar: %s: %w while waiting to retry: %w", c.op, c.red.err(waitErr), err)
		}
	}
}

// retryWait says whether failed attempt n is worth another, and the wait.
func (p RetryPolicy) retryWait(ctx context.Context, err error, n int) (time.Duration, bool) {
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case n >= p.MaxAttempts:
		return 0, false
	case errors.As(err, &apiErr):
		if apiErr.Err != nil || !retryableStatus(apiErr.StatusCode) {
			return 0, false
		}
	case !errors.As(err, &tErr) || !tErr.retry:
		return 0, false
	}
	wait := p.backoff(n)
	if apiErr != nil && apiErr.hasRetryAfter {
		wait = apiErr.RetryAfter
	}
	deadline, ok := ctx.Deadline()
	return wait, wait <= p.MaxInterval && (!ok || !time.Now().Add(wait).After(deadline))
}

// backoff is InitialInterval × Multiplier^(n-1), capped, jittered into
// [half, whole) so that clients failing together do not retry in step.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := min(float64(p.InitialInterval)*math.Pow(p.Multiplier, float64(n-1)), float64(p.MaxInterval))
	if j := p.Rand(); j > 0 { // not NaN
		d *= 1 - min(j, 1)/2
	}
	if d >= float64(p.MaxInterval) { // converting it could overflow int64
		return p.MaxInterval
	}
	return time.Duration(d)
}

// waitTimer waits d, or until ctx is done.
func waitTimer(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(max(d, 0)):
	case <-ctx.Done():
	}
	return ctx.Err()
}

// retryableStatus: a timeout, a rate limit, a transient server failure.
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		code >= 500 && code <= 504 && code != http.StatusNotImplemented
}

// classifyTransport names a transport failure and says whether repeating it
// is safe and useful; never once the call's context is done.
func classifyTransport(callCtx context.Context, err error) (class string, retry bool) {
	if ctxErr := callCtx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return "deadline", false
		}
		return "canceled", false
	}
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		// "no such host" will not resolve by retrying; a DNS timeout may.
		return "dns", !dnsErr.IsNotFound && (dnsErr.IsTimeout || dnsErr.IsTemporary)
	case as[*tls.CertificateVerificationError](err), as[x509.UnknownAuthorityError](err), as[x509.HostnameError](err),
		as[x509.CertificateInvalidError](err), as[tls.RecordHeaderError](err), as[tls.AlertError](err):
		return "tls", false
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED),
		// A reset or refused HTTP/2 stream, known by its message: net/http's
		// HTTP/2 error types are unexported.
		strings.Contains(err.Error(), "stream error: ") &&
			(strings.Contains(err.Error(), "INTERNAL_ERROR") || strings.Contains(err.Error(), "REFUSED_STREAM")):
		return "connection_reset", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof", true // the server closed the connection before or while answering
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		// The call's context is alive: one attempt, or the HTTP client, timed out.
		return "timeout", true
	}
	return "other", false
}

// as reports whether err has an error of type T in its chain.
func as[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// attemptTimeoutError is an attempt abandoned after AttemptTimeout: a
// net.Error that timed out, not the caller's context.DeadlineExceeded.
type attemptTimeoutError struct{ after time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s", e.after)
}
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }
