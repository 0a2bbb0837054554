package client

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// RateLimiter paces requests: Wait blocks until a request may be sent, or
// returns an error (ctx's, or the limiter's own) to say it may not.
// *rate.Limiter from golang.org/x/time/rate satisfies it, and so does the
// Redis-backed limiter of the redislimit module, shared by a fleet.
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// WithRateLimiter calls l.Wait before every attempt, retries included. An
// error from Wait ends the call before that attempt is sent, with a
// *TransportError of Class "rate_limiter" whose Err is Wait's error
// (wrapped with the last failure when an earlier attempt had failed). nil,
// per call, lifts the client's limiter for that call; a nil pointer wrapped
// in the interface is refused.
//
// rate.NewLimiter(rate.Every(time.Minute/500), 10) keeps one process within
// Polar's 500 requests a minute.
func WithRateLimiter(l RateLimiter) Option {
	return func(s *settings) error {
		if l != nil && isNil(l) {
			return invalid("WithRateLimiter", "is a nil pointer")
		}
		s.limiter = l
		return nil
	}
}

// WithCooldown turns the rate-limit cooldown on (the default) or off.
//
// After Polar answers 429 with a Retry-After, it refuses every request with
// the same credential until then, so calls of the same Client with the same
// token and server URL do not send until it has passed. Each waits out the
// rest when its RetryPolicy and context allow (at most MaxInterval, ending
// before the deadline), and otherwise fails at once, without sending, with
// an *APIError matching ErrRateLimited: StatusCode 429, RetryAfter the time
// left. The cooldown runs on the wall clock and belongs to the Client: in
// tests that script a 429, give each test its own Client, or
// WithCooldown(false). Per call, WithCooldown(false) makes that call ignore
// the cooldown and not start one.
func WithCooldown(enabled bool) Option {
	return func(s *settings) error {
		s.noCooldown = !enabled
		return nil
	}
}

// maxCooldown bounds a cooldown whatever Retry-After said, so an absurd
// value cannot overflow the clock.
const maxCooldown = 24 * time.Hour

// cooldowns holds, per credential and server (hashed, so the table holds no
// token), when a 429's Retry-After ends. Each Client has one.
type cooldowns struct {
	mu    sync.Mutex
	until map[[sha256.Size]byte]time.Time
}

// key is the call's entry in the cooldown table.
func (c *call) key() [sha256.Size]byte {
	return sha256.Sum256([]byte(c.set.serverURL + "\x00" + c.token))
}

// gate holds an attempt back until it may be sent: past a cooldown, then
// past the rate limiter. last is the call's last failure, nil at first.
func (c *call) gate(ctx context.Context, last error) error {
	if err := c.coolDown(ctx, last); err != nil || c.set.limiter == nil {
		return err
	}
	if err := c.set.limiter.Wait(ctx); err != nil {
		tErr := &TransportError{Operation: c.op, Class: "rate_limiter", Attempts: c.attempts, Err: c.red.err(err)}
		if last != nil {
			return fmt.Errorf("%w; last failure: %w", tErr, last)
		}
		return tErr
	}
	return c.coolDown(ctx, last) // a 429 may have come in while the limiter held this attempt
}

// coolDown waits out the rest of a cooldown when the policy and the
// context allow it; otherwise it refuses the attempt as Polar would, with a
// 429 saying how long is left. A cooldown ending by the end of the call's
// own last wait (for the Retry-After that started it) is over already.
func (c *call) coolDown(ctx context.Context, last error) error {
	if c.set.noCooldown {
		return nil
	}
	now := time.Now()
	end := c.set.cooldowns.end(c, now)
	if !end.After(now) || !end.After(c.covered) {
		return nil
	}
	left := end.Sub(now)
	if deadline, ok := ctx.Deadline(); left > c.p.MaxInterval || ok && end.After(deadline) {
		c.log(ctx, "polar: not sent: rate-limit cooldown", slog.Duration("wait", left))
		return &APIError{Operation: c.op, StatusCode: http.StatusTooManyRequests, RetryAfter: left, Attempts: c.attempts,
			Detail: "not sent: the client is waiting out the Retry-After of an earlier 429 for this token", hasRetryAfter: true}
	}
	c.log(ctx, "polar: waiting out a rate-limit cooldown", slog.Duration("wait", left))
	if err := c.p.Wait(ctx, left); err != nil {
		if last != nil {
			return fmt.Errorf("polar: %s: %w while waiting out a rate-limit cooldown; last failure: %w", c.op, err, last)
		}
		return fmt.Errorf("polar: %s: %w while waiting out a rate-limit cooldown", c.op, err)
	}
	return nil
}

// noteCooldown starts a cooldown when a failed attempt was a 429 with a
// Retry-After.
func (c *call) noteCooldown(err error) {
	var apiErr *APIError
	if c.set.noCooldown || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests ||
		!apiErr.hasRetryAfter || apiErr.RetryAfter <= 0 {
		return
	}
	c.set.cooldowns.start(c, time.Now().Add(min(apiErr.RetryAfter, maxCooldown)))
}

// end is when the call's cooldown ends, the zero time when none runs.
func (t *cooldowns) end(c *call, now time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.until) == 0 {
		return time.Time{} // the usual case, without hashing the key
	}
	k := c.key()
	until := t.until[k]
	if !until.After(now) {
		delete(t.until, k)
	}
	return until
}

// start makes the call's cooldown last at least until until. Passed
// entries go once the table holds 64, so a service meeting 429s for many
// session tokens keeps a table no bigger than its live cooldowns.
func (t *cooldowns) start(c *call, until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.until == nil {
		t.until = map[[sha256.Size]byte]time.Time{}
	}
	if len(t.until) >= 64 {
		now := time.Now()
		for k, end := range t.until {
			if !end.After(now) {
				delete(t.until, k)
			}
		}
	}
	if k := c.key(); until.After(t.until[k]) {
		t.until[k] = until
	}
}
