package client

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how a call retries. Retries are on by default.
//
// Retried: 408, 429, 500, 502, 503, 504, and transport failures where
// repeating is safe (connection refused or reset, EOF before a response, a
// timed-out attempt, a body cut short). Never retried: a cancelled or expired
// context, TLS and certificate errors, unknown hosts, other 4xx, 501.
//
// Both operations are retried, Create (a POST) included. That is deliberate:
// a duplicate customer session is harmless (one more one-hour token for the
// same customer; no customer state changes), and Polar has no idempotency
// keys that would make a retry safer.
//
// The wait before a retry is the server's Retry-After when present, else
// exponential backoff with jitter. When Retry-After exceeds MaxInterval, or a
// wait would end after the context's deadline, the call does not wait: it
// returns the last error at once (for a 429, an *APIError matching
// ErrRateLimited with RetryAfter set), so the caller can decide.
//
// Zero fields take the DefaultRetryPolicy values, so RetryPolicy{MaxAttempts: 5}
// is a valid policy. Negative values are refused.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included;
	// 1 means no retries.
	MaxAttempts int
	// InitialInterval is the backoff before the first retry.
	InitialInterval time.Duration
	// MaxInterval caps any single backoff wait. A Retry-After (or a
	// cooldown) longer than it is not waited at all: the call returns the
	// 429 at once, RetryAfter set, for the caller to decide.
	MaxInterval time.Duration
	// Multiplier is the backoff growth per attempt; at least 1.
	Multiplier float64
	// AttemptTimeout bounds each attempt, from sending the request to
	// reading the whole response; an attempt that times out is retried
	// while the policy and the call's context allow. Zero means the
	// default, 5s (see DefaultRetryPolicy); a negative value means no
	// per-attempt bound beyond the HTTP client's own timeouts.
	AttemptTimeout time.Duration
	// Rand returns a number in [0, 1) for backoff jitter. nil uses
	// math/rand/v2. It must be safe for concurrent use if the policy is
	// shared by concurrent calls.
	Rand func() float64
	// Wait waits d or until ctx is done, returning ctx.Err() in the latter
	// case. nil uses a timer and a select on ctx.Done(). Tests inject it to
	// observe waits without spending them.
	Wait func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy is 3 attempts of at most 5s each, waits of 500ms then
// 1s (×2 per attempt, each jittered down by up to half), and an 8s cap on
// any wait.
//
// Three attempts ride out a short blip (a deploy, a dropped connection)
// while bounding a failing call to a few seconds. The 8s cap honours Polar's
// typical 429 Retry-After of a few seconds (500 requests per minute, 100 in
// sandbox) but refuses to hold a caller for most of a minute: a longer
// Retry-After is returned at once as ErrRateLimited.
//
// The 5s attempt timeout is the per-request default of Polar's own SDKs.
// Both operations are small reads and writes that Polar answers in well
// under a second, so an attempt still waiting after 5s is almost surely
// stuck on a dead connection or a hung backend, and a fresh attempt on
// another connection is the better bet; without it, a hung attempt would
// hold the call for the transport's 30s response-header timeout. Five
// seconds leaves room for a cold TLS handshake and a slow moment, and three
// such attempts still fit in 20s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:     3,
		InitialInterval: 500 * time.Millisecond,
		MaxInterval:     8 * time.Second,
		Multiplier:      2,
		AttemptTimeout:  defaultAttemptTimeout,
	}
}

// defaultAttemptTimeout is DefaultRetryPolicy's AttemptTimeout; see there.
const defaultAttemptTimeout = 5 * time.Second

// validate refuses a policy that cannot be meant.
func (p RetryPolicy) validate() error {
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
	return nil
}

// withDefaults fills zero fields from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.InitialInterval == 0 {
		p.InitialInterval = d.InitialInterval
	}
	if p.MaxInterval == 0 {
		p.MaxInterval = d.MaxInterval
	}
	if p.Multiplier == 0 {
		p.Multiplier = d.Multiplier
	}
	if p.AttemptTimeout == 0 {
		p.AttemptTimeout = d.AttemptTimeout
	}
	if p.Rand == nil {
		p.Rand = rand.Float64
	}
	if p.Wait == nil {
		p.Wait = waitTimer
	}
	return p
}

// backoff is the wait after the given number of failed attempts (1 for the
// first retry): InitialInterval × Multiplier^(attempts-1), capped at
// MaxInterval, then jittered into [half, whole) so that many clients failing
// together do not retry in step.
func (p RetryPolicy) backoff(attempts int) time.Duration {
	d := float64(p.InitialInterval) * math.Pow(p.Multiplier, float64(attempts-1))
	d = min(d, float64(p.MaxInterval))
	r := min(max(p.Rand(), 0), 1)
	return time.Duration(d * (1 - r/2))
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
