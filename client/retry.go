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
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how a call retries. Retries are on by default.
//
// Retried: 408, 429, 500, 502, 503, 504, and transport failures where
// repeating is safe (connection refused or reset, EOF before a response, a
// timed-out attempt, a body cut short). Never retried: a cancelled or expired
// context, TLS and certificate errors, unknown hosts, other 4xx, 501.
//
// Both operations are retried, Create (a POST) included: a duplicate
// session is harmless (one more one-hour token for the same customer; no
// customer state changes), and Polar has no idempotency keys.
//
// The wait before a retry is the server's Retry-After when present, else
// exponential backoff with jitter. When Retry-After exceeds MaxInterval, or a
// wait would end after the context's deadline, the call returns the last
// error at once (for a 429, an *APIError with RetryAfter set), so the caller
// can decide.
//
// Zero fields take the DefaultRetryPolicy values, so RetryPolicy{MaxAttempts: 5}
// is a valid policy. Negative values are refused.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included;
	// 1 means no retries.
	MaxAttempts int
	// InitialInterval is the backoff before the first retry.
	InitialInterval time.Duration
	// MaxInterval caps any single wait; a longer Retry-After (or
	// cooldown) is not waited at all.
	MaxInterval time.Duration
	// Multiplier is the backoff growth per attempt; at least 1.
	Multiplier float64
	// AttemptTimeout bounds each attempt, from sending the request to
	// reading the whole response; a timed-out attempt is retried. Zero
	// means the default, 5s; negative means no per-attempt bound.
	AttemptTimeout time.Duration
	// Rand returns a number in [0, 1) for backoff jitter; nil uses
	// math/rand/v2. It must be safe for concurrent use.
	Rand func() float64
	// Wait waits d or until ctx is done, returning ctx.Err() then; nil uses
	// a timer. Tests inject it to observe waits without spending them.
	Wait func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy is 3 attempts of at most 5s each, waits of 500ms then
// 1s (×2 per attempt, each jittered down by up to half), and an 8s cap on
// any wait. Three attempts ride out a blip (a deploy, a dropped
// connection); the cap honours Polar's usual Retry-After of a few seconds
// but not one that would hold a caller for most of a minute. Polar answers
// both operations well under a second, so an attempt still waiting after 5s
// (the per-request default of Polar's own SDKs) is stuck, and a fresh one
// on another connection is the better bet.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:     3,
		InitialInterval: 500 * time.Millisecond,
		MaxInterval:     8 * time.Second,
		Multiplier:      2,
		AttemptTimeout:  5 * time.Second,
	}
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

// Do sends req for the call until an attempt succeeds, fails in a way not
// worth retrying, or the policy or the context says stop. It returns a 2xx
// response whose body the call has read, or a typed error. A panic in the
// rate limiter, a middleware or the HTTP client ends the call with a
// *TransportError of Class "panic", its message redacted.
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
			// The context ended the attempt (say, mid-body): say so, and
			// keep what the attempt got.
			return nil, fmt.Errorf("polar: %s: %w; last failure: %w", c.op, ctxErr, err)
		}
		wait, retry := c.p.retryWait(ctx, err, n)
		if !retry {
			return nil, err
		}
		c.log(ctx, "polar: retrying", slog.Int("attempt", n), slog.String("cause", cause(err)), slog.Duration("wait", wait))
		c.covered = time.Now().Add(wait)
		if waitErr := c.p.Wait(ctx, wait); waitErr != nil {
			// errors.Is finds the context error, errors.As the last failure.
			return nil, fmt.Errorf("polar: %s: %w while waiting to retry: %w", c.op, waitErr, err)
		}
	}
}

// retryWait says whether the failed attempt n is worth another, and how
// long to wait before it: the server's Retry-After, else backoff. It is not
// when the policy's attempts are spent, or the wait would pass MaxInterval
// or the context's deadline.
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

// cause names a failure for the log.
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

// backoff is the wait after n failed attempts: InitialInterval ×
// Multiplier^(n-1), capped at MaxInterval, then jittered into [half, whole)
// so that clients failing together do not retry in step.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := min(float64(p.InitialInterval)*math.Pow(p.Multiplier, float64(n-1)), float64(p.MaxInterval))
	return time.Duration(d * (1 - min(max(p.Rand(), 0), 1)/2))
}

// waitTimer waits d, or until ctx is done.
func waitTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// parseRetryAfter reads a Retry-After value: delta-seconds ("7") or an HTTP
// date in any form http.ParseTime accepts. A past date means now (0); an
// absurdly far one, the longest duration. ok is false for an empty,
// negative or unparseable value, and the caller falls back to backoff.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange), err == nil && secs > math.MaxInt64/uint64(time.Second):
			return math.MaxInt64, true
		case err != nil:
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// retryableStatus reports whether a status is worth another attempt: the
// request timed out, was rate limited, or met a transient server or gateway
// failure. 501 Not Implemented will not change.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// classifyTransport names a transport failure and says whether repeating the
// request is safe and useful. Once the call's context is done, nothing is
// retried, whatever the error looks like.
func classifyTransport(callCtx context.Context, err error) (class string, retry bool) {
	if ctxErr := callCtx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return "deadline", false
		}
		return "canceled", false
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		// "no such host" will not resolve by retrying; a DNS timeout may.
		return "dns", !dnsErr.IsNotFound && (dnsErr.IsTimeout || dnsErr.IsTemporary)
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return "tls", false
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED),
		isHTTP2Reset(err):
		return "connection_reset", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof", true // the server closed the connection before or while answering
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		// The call's context is alive, so this is one attempt timing out:
		// AttemptTimeout, or the HTTP client's own timeouts.
		return "timeout", true
	}
	return "other", false
}

// isHTTP2Reset reports an HTTP/2 stream the server reset or refused, the
// HTTP/2 counterpart of a reset connection. net/http's HTTP/2 error types
// are unexported, so their stable message is matched.
func isHTTP2Reset(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "stream error: ") &&
		(strings.Contains(msg, "INTERNAL_ERROR") || strings.Contains(msg, "REFUSED_STREAM"))
}

// attemptTimeoutError is an attempt abandoned after RetryPolicy's
// AttemptTimeout: a net.Error whose Timeout is true, and not the caller's
// context.DeadlineExceeded.
type attemptTimeoutError struct{ after time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s", e.after)
}
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }
