package client

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"sync"
	"time"
)

// RateLimiter paces requests: Wait blocks until one may be sent, or errs.
// *rate.Limiter (golang.org/x/time/rate) fits, and redislimit's Limiter.
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// WithRateLimiter calls l.Wait before every attempt; its error ends the
// call unsent, in a *TransportError of Class "rate_limiter". nil per call
// lifts the client's limiter.
func WithRateLimiter(l RateLimiter) Option {
	return func(s *settings) error {
		s.limiter = l
		return refuse(l != nil && isNil(l), "WithRateLimiter", "is a nil pointer")
	}
}

// WithCooldown turns the cooldown on (the default) or off: after a 429 with
// a Retry-After, the Client's calls with that token and server wait it out
// (within MaxInterval and the deadline) or fail unsent with ErrRateLimited,
// by the wall clock.
func WithCooldown(enabled bool) Option {
	return func(s *settings) error { s.noCooldown = !enabled; return nil }
}

// maxCooldown bounds a cooldown, whatever Retry-After said.
const maxCooldown = 24 * time.Hour

// cooldowns holds, per hash of server URL and token (so it holds no token),
// when a 429's Retry-After ends. Each Client has one.
type cooldowns struct {
	mu    sync.Mutex
	until map[[sha256.Size]byte]time.Time
}

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
		return withLast(&TransportError{Operation: c.op, Class: "rate_limiter", Attempts: c.attempts, Err: c.red.err(err)}, last)
	}
	return c.coolDown(ctx, last) // a 429 may have come in while the limiter held the attempt
}

// coolDown waits out a cooldown when policy and context allow, else refuses
// as Polar would, with a 429; one ending by the call's own last wait is over.
func (c *call) coolDown(ctx context.Context, last error) error {
	now := time.Now()
	if c.set.noCooldown {
		return nil
	}
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
		return withLast(fmt.Errorf("polar: %s: %w while waiting out a rate-limit cooldown", c.op, c.red.err(err)), last)
	}
	return nil
}

// noteCooldown starts a cooldown after a 429 with a Retry-After.
func (c *call) noteCooldown(err error) {
	var apiErr *APIError
	if !c.set.noCooldown && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests &&
		apiErr.hasRetryAfter && apiErr.RetryAfter > 0 {
		c.set.cooldowns.start(c, time.Now().Add(min(apiErr.RetryAfter, maxCooldown)))
	}
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

// start makes the call's cooldown last at least until until; passed entries
// go once the table holds 64 (429s for many session tokens).
func (t *cooldowns) start(c *call, until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.until == nil {
		t.until = map[[sha256.Size]byte]time.Time{}
	}
	if now := time.Now(); len(t.until) >= 64 {
		maps.DeleteFunc(t.until, func(_ [sha256.Size]byte, end time.Time) bool { return !end.After(now) })
	}
	if k := c.key(); until.After(t.until[k]) {
		t.until[k] = until
	}
}
