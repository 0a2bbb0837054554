package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

// Defaults for Config's zero values.
const (
	// DefaultRate is Polar's production budget of 500 requests a minute,
	// less a tenth for retries and for other tools sharing the
	// organization's budget. Burst is Rate/10, so no minute sees more than
	// 495.
	DefaultRate = 450
	// DefaultPer is the period Rate counts over.
	DefaultPer = time.Minute
)

// maxKeyLen bounds Config.Key: a slug or an ID, not a document.
const maxKeyLen = 200

// maxCooldown bounds the cooldown one 429 starts for the fleet, whatever
// its Retry-After said (Polar's stay within its one-minute window): an absurd
// value from a proxy must not stop every instance for a day.
const maxCooldown = time.Hour

// recordTimeout bounds recording a cooldown in Redis, which holds the 429
// back from the client until it is done.
const recordTimeout = 2 * time.Second

// Config configures a Limiter. Redis and Key are required; the zero value
// of every other field is its default.
type Config struct {
	// Redis is the server every instance of the fleet reaches: a
	// *redis.Client, *redis.ClusterClient, *redis.Ring or failover client
	// from github.com/redis/go-redis/v9. The Limiter does not close it.
	// Give it Options.ContextTimeoutEnabled: go-redis then bounds each
	// round trip by the call's deadline itself. Without it, Wait sends a
	// round trip whose context can end from a goroutine of its own, so
	// that a hung Redis cannot hold a call past its deadline either way.
	Redis redis.UniversalClient
	// Key names the shared budget: every instance that spends the same
	// Polar budget uses the same Key, e.g. the organization's slug
	// ("acme"; "acme-sandbox" for its sandbox, which Polar budgets
	// apart). It appears in Redis key names, so it is never a token: a
	// Key that looks like one (polar_oat_…, polar_pat_…, polar_cst_…,
	// polar_mst_…) is refused. At most 200 bytes of printable ASCII,
	// without spaces or braces.
	Key string
	// Rate is how many requests the fleet may send per Per; DefaultRate
	// (450) when 0. Set 90 for Polar's sandbox (100 a minute). Requests
	// are spaced evenly, Per/Rate apart, with a burst of Rate/10 (at least
	// 1), so no window of length Per sees more than Rate + Rate/10 (Rate +
	// 1 for a Rate under 10).
	Rate int
	// Per is the period Rate counts over; DefaultPer (a minute) when 0,
	// and at least a millisecond.
	Per time.Duration
	// FailOpen decides what Wait does when Redis fails (unreachable,
	// timing out, answering an error). false, the default, fails closed:
	// Wait returns a *RedisError and the call is not sent, so the fleet
	// never exceeds the budget but stops while Redis is down. true fails
	// open: Wait returns nil and the call goes out without the shared
	// budget (nor the fleet's cooldown); only each client's own 429
	// cooldown still holds it back. Choose open when sessions matter more
	// than an occasional 429 from Polar.
	FailOpen bool
	// Logger, when set, is told at Warn level when Redis fails (and the
	// Limiter fails open, or a 429's cooldown could not be recorded), and
	// at Info level when a 429 starts a cooldown for the fleet. nil logs
	// nothing. Lines carry the Key and the error, never a token.
	Logger *slog.Logger
}

// Limiter is one instance's share of a fleet's Polar rate budget, kept in
// Redis: a client.RateLimiter whose Wait takes one request from the budget
// every instance with the same Config.Key spends, and a middleware that
// stops the whole fleet when one instance sees a 429 (see Options). Create
// one with New, one per process and budget, and share it among the
// process's clients; it is safe for concurrent use.
type Limiter struct {
	rdb         redis.UniversalClient
	limit       redis_rate.Limit
	key         string // Config.Key, for log lines
	budgetKey   string // given to redis_rate, which prefixes "rate:"
	cooldownKey string
	failOpen    bool
	logger      *slog.Logger
	secrets     []string // the Redis client's password, kept out of errors
	ctxTimeouts bool     // go-redis bounds round trips by the context's deadline

	// turn is held by the one Wait of this Limiter that asks Redis: the
	// others queue behind it rather than all polling Redis at once.
	turn chan struct{}

	// Replaced by tests: how Wait sleeps, and the clock that reads a
	// Retry-After's HTTP date.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
}

var _ client.RateLimiter = (*Limiter)(nil)

// New checks cfg, fills in its defaults and returns a Limiter for it. A
// Config it refuses gives a *ConfigError (errors.Is ErrInvalidConfig). New
// sends nothing to Redis: an unreachable server shows at the first Wait.
func New(cfg Config) (*Limiter, error) {
	if cfg.Redis == nil || isNilPointer(cfg.Redis) {
		return nil, &ConfigError{Field: "Redis", Problem: "is required"}
	}
	if err := checkKey(cfg.Key); err != nil {
		return nil, err
	}
	switch {
	case cfg.Rate < 0:
		return nil, &ConfigError{Field: "Rate", Problem: fmt.Sprintf("is negative (%d); 0 means the default, %d", cfg.Rate, DefaultRate)}
	case cfg.Rate == 0:
		cfg.Rate = DefaultRate
	}
	switch {
	case cfg.Per < 0:
		return nil, &ConfigError{Field: "Per", Problem: fmt.Sprintf("is negative (%v); 0 means the default, %v", cfg.Per, DefaultPer)}
	case cfg.Per == 0:
		cfg.Per = DefaultPer
	case cfg.Per < time.Millisecond:
		return nil, &ConfigError{Field: "Per", Problem: fmt.Sprintf("is %v, under a millisecond", cfg.Per)}
	}
	secrets, ctxTimeouts := clientOptions(cfg.Redis)
	return &Limiter{
		rdb:         cfg.Redis,
		limit:       redis_rate.Limit{Rate: cfg.Rate, Burst: max(1, cfg.Rate/10), Period: cfg.Per},
		key:         cfg.Key,
		budgetKey:   "polarsessions:{" + cfg.Key + "}",
		cooldownKey: "polarsessions:cooldown:{" + cfg.Key + "}",
		failOpen:    cfg.FailOpen,
		logger:      cfg.Logger,
		secrets:     secrets,
		ctxTimeouts: ctxTimeouts,
		turn:        make(chan struct{}, 1),
		sleep:       sleep,
		now:         time.Now,
	}, nil
}

// checkKey refuses a Key that is empty, too long, would make an awkward
// Redis key, or looks like a Polar token. Problems never quote the Key.
func checkKey(key string) error {
	if key == "" {
		return &ConfigError{Field: "Key", Problem: "is required: name the shared budget, e.g. with the organization's slug"}
	}
	if len(key) > maxKeyLen {
		return &ConfigError{Field: "Key", Problem: fmt.Sprintf("is %d bytes long, over %d", len(key), maxKeyLen)}
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c > '~' || c == '{' || c == '}' {
			return &ConfigError{Field: "Key", Problem: fmt.Sprintf("has a space, brace, control or non-ASCII byte at offset %d", i)}
		}
	}
	lower := strings.ToLower(key)
	for _, p := range []string{rules.PrefixOrganizationToken, rules.PrefixPersonalToken,
		rules.PrefixCustomerSession, rules.PrefixMemberSession, rules.PrefixClientRegistrationToken} {
		if strings.Contains(lower, p) {
			return &ConfigError{Field: "Key", Problem: "looks like a Polar token (" + p + "…); it names the budget in Redis, so use the organization's slug"}
		}
	}
	if rules.Redact(key, "") != key {
		return &ConfigError{Field: "Key", Problem: "looks like a Polar token; it names the budget in Redis, so use the organization's slug"}
	}
	return nil
}

// isNilPointer reports whether v is a nil pointer in an interface.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// clientOptions reads what New needs from the Redis client's options:
// its password, for RedisError to remove from messages, and whether
// go-redis bounds a round trip by its context's deadline
// (ContextTimeoutEnabled). Clients of other types give nothing and false.
func clientOptions(rdb redis.UniversalClient) (secrets []string, ctxTimeouts bool) {
	var pw string
	switch c := rdb.(type) {
	case *redis.Client:
		pw, ctxTimeouts = c.Options().Password, c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		pw, ctxTimeouts = c.Options().Password, c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		pw, ctxTimeouts = c.Options().Password, c.Options().ContextTimeoutEnabled
	}
	if pw != "" {
		secrets = []string{pw}
	}
	return secrets, ctxTimeouts
}

// Wait takes one request from the fleet's budget, waiting for the next
// free slot: it returns nil when the request may be sent. It is the
// client.RateLimiter the client calls before every attempt.
//
// Each try is one round trip to Redis (a pipeline): it reads the fleet's
// cooldown and asks redis_rate's GCRA for a slot. While a cooldown runs
// (a 429 seen by any instance, see Options), Wait sleeps until it ends and
// tries again; a slot taken in the same round trip is given up. When the
// budget has no slot free, Wait sleeps until the next one and tries again,
// competing with the other instances for it. Of the Waits of one Limiter,
// one at a time asks Redis; the others queue behind it, in order, so a
// busy process sends one request per try to Redis, not one per goroutine.
//
// Wait returns ctx's error when ctx ends first, even while a Redis command
// is outstanding (see Config.Redis). A wait that ctx's deadline would cut
// short is not begun: when the next free slot or the end of the cooldown
// lies past the deadline, Wait returns at once with an error that matches
// context.DeadlineExceeded, rather than sleeping to the deadline. (A Wait
// queued behind the others of its Limiter cannot know that, and waits for
// its turn until ctx ends.)
//
// When Redis fails, Wait returns a *RedisError (errors.Is ErrRedis), or
// nil with Config.FailOpen; see there.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.turn }()
	for {
		o, err := roundTrip(l, ctx, func() (outcome, error) { return l.try(ctx) })
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			return l.redisFailed(ctx, err)
		}
		if o.wait <= 0 {
			return nil
		}
		what := "the budget's next free slot"
		if o.cooldown {
			what = "the end of the fleet's 429 cooldown"
			l.log(ctx, slog.LevelInfo, "redislimit: waiting out the fleet's rate-limit cooldown", slog.Duration("wait", o.wait))
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < o.wait {
			return fmt.Errorf("redislimit: %s is %v away, past the context's deadline: %w",
				what, o.wait.Round(time.Millisecond), context.DeadlineExceeded)
		}
		if err := l.sleep(ctx, o.wait); err != nil {
			return err
		}
	}
}

// outcome is what one try found.
type outcome struct {
	wait     time.Duration // 0: a slot is taken, send
	cooldown bool          // wait is the rest of the fleet's cooldown
}

// minRetry is the shortest sleep before trying for a slot again, should
// redis_rate ever say 0.
const minRetry = time.Millisecond

// try reads the cooldown and asks for a slot, in one round trip.
func (l *Limiter) try(ctx context.Context) (outcome, error) {
	t := &trip{UniversalClient: l.rdb, cooldownKey: l.cooldownKey}
	res, err := redis_rate.NewLimiter(t).Allow(ctx, l.budgetKey, l.limit)
	if err != nil {
		return outcome{}, err
	}
	if !t.read {
		// redis_rate sent its script without EvalSha or Eval: read the
		// cooldown on its own.
		t.left, t.err = l.rdb.PTTL(ctx, l.cooldownKey).Result()
	}
	if t.err != nil {
		return outcome{}, t.err
	}
	switch {
	case t.left > 0: // PTTL is -2 for no key, -1 for one without expiry
		return outcome{wait: t.left, cooldown: true}, nil
	case res.Allowed > 0:
		return outcome{}, nil
	}
	return outcome{wait: max(res.RetryAfter, minRetry)}, nil
}

// redisFailed is Wait's answer when Redis failed.
func (l *Limiter) redisFailed(ctx context.Context, err error) error {
	rErr := &RedisError{Op: "wait", Err: err, secrets: l.secrets}
	if l.failOpen {
		l.log(ctx, slog.LevelWarn, "redislimit: Redis failed; failing open: the request goes out without the shared budget",
			slog.String("error", rErr.Error()))
		return nil
	}
	return rErr
}

// Options returns what a client.Client needs to spend this Limiter's
// budget: WithRateLimiter(l), and a middleware that, after an attempt Polar
// answered 429 with a Retry-After (delta-seconds or an HTTP date), records
// its end in Redis under the Limiter's Key, so that Wait on every instance
// holds back until it has passed: one 429 stops the fleet, not one process.
// A later end replaces an earlier one, never the reverse; a cooldown lasts
// at most an hour, whatever the Retry-After said. The middleware reads only
// the status and the Retry-After header, and returns the response as it
// came, body unread; recording waits for Redis (at most 2s) before handing
// the 429 on, and a failure to record is logged (Config.Logger), not
// returned. The client's own per-process cooldown (client.WithCooldown)
// works beside it.
//
//	c, err := client.New(append(lim.Options(), client.WithAccessToken(token))...)
func (l *Limiter) Options() []client.Option {
	return []client.Option{client.WithRateLimiter(l), client.WithMiddleware(l.observe)}
}

func (l *Limiter) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if l.logger == nil {
		return
	}
	l.logger.LogAttrs(ctx, level, msg, append([]slog.Attr{slog.String("key", l.key)}, attrs...)...)
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// roundTrip runs f, a Redis round trip, and returns what it returns, or
// ctx's error as soon as ctx ends: a Redis that hangs must not hold a call
// past its deadline. go-redis bounds a round trip by the context's
// deadline only with Options.ContextTimeoutEnabled, and never notices a
// cancellation, so unless ctx can never end, or has a deadline go-redis
// honours, f runs on a goroutine of its own, which an ended ctx abandons
// (it finishes within go-redis's own timeouts). BenchmarkWait measures
// that goroutine's cost: "deadline" against "deadline-ctxtimeout".
func roundTrip[T any](l *Limiter, ctx context.Context, f func() (T, error)) (T, error) {
	if ctx.Done() == nil {
		return f()
	}
	if _, ok := ctx.Deadline(); ok && l.ctxTimeouts {
		return f()
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
