package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// maxCooldown bounds a cooldown, whatever Retry-After said: an absurd
// value must not overflow the clock, and no call waits this long anyway.
const maxCooldown = 24 * time.Hour

// gate holds an attempt back until it may be sent: after the cooldown an
// earlier 429 started (see WithCooldown), and after the rate limiter (see
// WithRateLimiter).
type gate struct {
	x         *exchange
	limiter   RateLimiter // nil: none
	cooldowns *cooldowns  // nil when the cooldown is off for the call
	serverURL string      // with the token, what the cooldown is kept for
	token     string
	key       *cooldownKey // computed when first needed: most calls never need it
}

// cooldownKey is the call's key in the cooldown table.
func (g *gate) cooldownKey() cooldownKey {
	if g.key == nil {
		k := newCooldownKey(g.serverURL, g.token)
		g.key = &k
	}
	return *g.key
}

// pass returns nil once the attempt may be sent, or the error that ends the
// call. sent is how many requests the call has made, last its last failure
// (nil before the first attempt), covered the end of the call's own last
// wait: a cooldown ending by then has been waited out already (the wait
// was for the Retry-After that started it).
func (g *gate) pass(ctx context.Context, sent int, last error, covered time.Time) error {
	if err := g.coolDown(ctx, sent, last, covered); err != nil {
		return err
	}
	if g.limiter == nil {
		return nil
	}
	if err := g.limiter.Wait(ctx); err != nil {
		// No request was made for this attempt: like a connection that
		// could not be had, a *TransportError, not retried.
		tErr := &TransportError{Operation: g.x.opID, Class: "rate_limiter", Attempts: sent,
			Err: g.x.red.err(err)}
		if last != nil {
			return fmt.Errorf("%w; last failure: %w", tErr, last)
		}
		return tErr
	}
	// A 429 may have come in while the limiter held this attempt.
	return g.coolDown(ctx, sent, last, covered)
}

// coolDown waits out the rest of a cooldown when the policy and the
// context allow it; otherwise it refuses the attempt as Polar would, with a
// 429 that says how long is left.
func (g *gate) coolDown(ctx context.Context, sent int, last error, covered time.Time) error {
	if g.cooldowns == nil || g.cooldowns.empty() {
		return nil
	}
	now := time.Now()
	end := g.cooldowns.end(g.cooldownKey(), now)
	if end.IsZero() || !end.After(covered) {
		return nil
	}
	left := end.Sub(now)
	deadline, ok := ctx.Deadline()
	if left > g.x.p.MaxInterval || ok && now.Add(left).After(deadline) {
		g.log(ctx, "polar: not sent: rate-limit cooldown", left)
		return &APIError{
			Operation:     g.x.opID,
			StatusCode:    http.StatusTooManyRequests,
			Detail:        "not sent: the client is waiting out the Retry-After of an earlier 429 for this token",
			RetryAfter:    left,
			Attempts:      sent,
			hasRetryAfter: true,
		}
	}
	g.log(ctx, "polar: waiting out a rate-limit cooldown", left)
	if err := g.x.p.Wait(ctx, left); err != nil {
		if last != nil {
			return fmt.Errorf("polar: %s: %w while waiting out a rate-limit cooldown; last failure: %w", g.x.opID, err, last)
		}
		return fmt.Errorf("polar: %s: %w while waiting out a rate-limit cooldown", g.x.opID, err)
	}
	return nil
}

// note starts a cooldown when a failed attempt was a 429 with a
// Retry-After.
func (g *gate) note(err error) {
	var apiErr *APIError
	if g.cooldowns == nil || !errors.As(err, &apiErr) {
		return
	}
	if apiErr.StatusCode == http.StatusTooManyRequests && apiErr.hasRetryAfter && apiErr.RetryAfter > 0 {
		g.cooldowns.start(g.cooldownKey(), time.Now().Add(min(apiErr.RetryAfter, maxCooldown)))
	}
}

func (g *gate) log(ctx context.Context, msg string, left time.Duration) {
	if g.x.logger != nil {
		g.x.logger.LogAttrs(ctx, slog.LevelInfo, msg, slog.String("operation", g.x.opID), slog.Duration("wait", left))
	}
}
