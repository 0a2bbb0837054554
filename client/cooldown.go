package client

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"
)

// WithCooldown turns the rate-limit cooldown on (the default) or off.
//
// After Polar answers 429 with a Retry-After, it refuses every request with
// the same credential until that time has passed: sending more only spends
// requests and earns more 429s. So, with the cooldown on, calls of the same
// Client with the same token and server URL do not send until then. Each
// waits out the rest of the cooldown when its RetryPolicy and context allow
// it (the wait is at most MaxInterval and ends before the deadline), and
// otherwise fails at once, without sending, with an *APIError that matches
// ErrRateLimited: StatusCode 429, RetryAfter the time left, Attempts the
// requests the call did make. Calls with another token or server URL are
// not held back. Waiting calls are released together when the cooldown
// ends; to keep that burst within Polar's budget, add WithRateLimiter.
//
// Off, each call learns of a 429 only from its own requests. Given per
// call, WithCooldown(false) makes that call ignore the cooldown and not
// start one.
func WithCooldown(enabled bool) Option {
	return func(s *settings) error {
		s.noCooldown = !enabled
		return nil
	}
}

// cooldowns holds, per credential and server, when a 429's Retry-After
// ends. One table belongs to each Client; entries go once they have
// passed, when next looked up or in a sweep (see start).
type cooldowns struct {
	mu      sync.Mutex
	until   map[cooldownKey]time.Time
	sweepAt int // start sweeps out passed entries once the table is this big
	// entries mirrors len(until), so that a call can see there is no
	// cooldown at all without hashing its key or taking the lock.
	entries atomic.Int64
}

// minSweep is the table size below which passed entries are left for end
// to drop: sweeping a small table would cost more than it frees.
const minSweep = 64

// cooldownKey is a hash of the server URL and token, so the table holds no
// token.
type cooldownKey [sha256.Size]byte

func newCooldownKey(serverURL, token string) cooldownKey {
	h := sha256.New()
	h.Write([]byte(serverURL))
	h.Write([]byte{0})
	h.Write([]byte(token))
	var k cooldownKey
	h.Sum(k[:0])
	return k
}

// end is when the cooldown for k ends, the zero time when none runs at now.
func (c *cooldowns) end(k cooldownKey, now time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	until, ok := c.until[k]
	if ok && !until.After(now) {
		delete(c.until, k)
		c.entries.Store(int64(len(c.until)))
		return time.Time{}
	}
	return until
}

// empty reports whether no cooldown is recorded, without the lock.
func (c *cooldowns) empty() bool { return c.entries.Load() == 0 }

// start makes the cooldown for k last at least until until. Entries that
// have passed go when the table has doubled since the last sweep, so a
// service that meets 429s for many tokens (Introspect, one per session)
// keeps a table no bigger than twice its live cooldowns, at a cost
// amortised over the starts.
func (c *cooldowns) start(k cooldownKey, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.until == nil {
		c.until = map[cooldownKey]time.Time{}
	}
	if until.After(c.until[k]) {
		c.until[k] = until
	}
	if len(c.until) >= max(c.sweepAt, minSweep) {
		now := time.Now()
		for key, end := range c.until {
			if !end.After(now) {
				delete(c.until, key)
			}
		}
		c.sweepAt = 2 * len(c.until)
	}
	c.entries.Store(int64(len(c.until)))
}

// size is the number of entries, for tests.
func (c *cooldowns) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.until)
}
