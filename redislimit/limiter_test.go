package redislimit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestNewRefusesConfig(t *testing.T) {
	_, _, rdb := newMini(t)
	var nilClient *redis.Client
	token := "polar_oat_" + strings.Repeat("a", 43)
	cases := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no Redis", Config{Key: "acme"}, "Redis"},
		{"nil *redis.Client", Config{Redis: nilClient, Key: "acme"}, "Redis"},
		{"no Key", Config{Redis: rdb}, "Key"},
		{"organization token", Config{Redis: rdb, Key: token}, "Key"},
		{"token inside", Config{Redis: rdb, Key: "acme:" + token}, "Key"},
		{"token upper case", Config{Redis: rdb, Key: strings.ToUpper(token)}, "Key"},
		{"personal token prefix", Config{Redis: rdb, Key: "polar_pat_x"}, "Key"},
		{"customer session", Config{Redis: rdb, Key: "polar_cst_abc"}, "Key"},
		{"member session", Config{Redis: rdb, Key: "polar_mst_abc"}, "Key"},
		{"unknown kind", Config{Redis: rdb, Key: "polar_xyz_abcdefgh"}, "Key"},
		{"space", Config{Redis: rdb, Key: "ac me"}, "Key"},
		{"brace", Config{Redis: rdb, Key: "ac{me}"}, "Key"},
		{"newline", Config{Redis: rdb, Key: "acme\n"}, "Key"},
		{"non-ASCII", Config{Redis: rdb, Key: "acmé"}, "Key"},
		{"too long", Config{Redis: rdb, Key: strings.Repeat("a", maxKeyLen+1)}, "Key"},
		{"negative Rate", Config{Redis: rdb, Key: "acme", Rate: -1}, "Rate"},
		{"negative Per", Config{Redis: rdb, Key: "acme", Per: -time.Second}, "Per"},
		{"Per under 1ms", Config{Redis: rdb, Key: "acme", Per: time.Microsecond}, "Per"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := New(tc.cfg)
			if l != nil || err == nil {
				t.Fatalf("New = %v, %v; want an error", l, err)
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("errors.Is(%v, ErrInvalidConfig) = false", err)
			}
			var cErr *ConfigError
			if !errors.As(err, &cErr) || cErr.Field != tc.field {
				t.Errorf("error %v: want a *ConfigError for %s", err, tc.field)
			}
			if tc.cfg.Key != "" && len(tc.cfg.Key) > 3 && strings.Contains(err.Error(), tc.cfg.Key) {
				t.Errorf("error %q quotes the Key", err)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	_, _, rdb := newMini(t)
	for _, tc := range []struct {
		rate, wantRate, wantBurst int
		per, wantPer              time.Duration
	}{
		{0, 450, 45, 0, time.Minute},
		{90, 90, 9, 0, time.Minute},
		{100, 100, 10, time.Second, time.Second},
		{9, 9, 1, time.Second, time.Second}, // Rate under 10 still has a burst of 1
		{1, 1, 1, time.Hour, time.Hour},
	} {
		l, err := New(Config{Redis: rdb, Key: "acme", Rate: tc.rate, Per: tc.per})
		if err != nil {
			t.Fatal(err)
		}
		if l.limit.Rate != tc.wantRate || l.limit.Burst != tc.wantBurst || l.limit.Period != tc.wantPer {
			t.Errorf("Rate %d, Per %v: limit %v, want %d/%v burst %d", tc.rate, tc.per, l.limit, tc.wantRate, tc.wantPer, tc.wantBurst)
		}
	}
}

// TestWaitPaces: a burst of Rate/10, then one request every Per/Rate; no
// window of length Per holds more than Rate + Rate/10 grants, and the
// budget is spent in full.
func TestWaitPaces(t *testing.T) {
	_, ft, rdb := newMini(t)
	const rate, per = 100, time.Second
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme", Rate: rate, Per: per})
	ctx := context.Background()
	start := ft.now()
	var grants []time.Time
	for range 300 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		grants = append(grants, ft.now())
	}
	for i := range 10 {
		if !grants[i].Equal(start) {
			t.Fatalf("grant %d at +%v: the burst of 10 should be at once", i, grants[i].Sub(start))
		}
	}
	interval := per / rate
	for i := 11; i < len(grants); i++ {
		within(t, "interval between grants", grants[i].Sub(grants[i-1]), interval, time.Millisecond)
	}
	// 300 grants: 10 at once, then 290 intervals.
	within(t, "time for 300", grants[len(grants)-1].Sub(start), 290*interval, 20*time.Millisecond)
	if got, limit := maxInWindow(grants, per), rate+rate/10; got > limit {
		t.Errorf("%d grants within %v, over %d", got, per, limit)
	}
}

// maxInWindow is the most times within any closed window of length w.
func maxInWindow(times []time.Time, w time.Duration) int {
	most, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) > w {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// TestWaitSmallRate: a Rate under 10 still lets one request through at once.
func TestWaitSmallRate(t *testing.T) {
	_, ft, rdb := newMini(t)
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme", Rate: 5, Per: time.Second})
	for range 3 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	within(t, "time for 3 at 5/s", ft.total(), 400*time.Millisecond, 5*time.Millisecond)
}

// TestWaitSharedByKey: instances with the same Key spend one budget;
// another Key is another budget.
func TestWaitSharedByKey(t *testing.T) {
	_, ft, rdb := newMini(t)
	cfg := Config{Redis: rdb, Key: "acme", Rate: 60, Per: time.Minute} // burst 6, then one a second
	var fleet []*Limiter
	for range 4 {
		fleet = append(fleet, newFake(t, ft, cfg))
	}
	other := newFake(t, ft, Config{Redis: rdb, Key: "globex", Rate: 60, Per: time.Minute})
	ctx := context.Background()
	for i := range 6 {
		if err := fleet[i%4].Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := ft.total(); got != 0 {
		t.Fatalf("the burst of 6, spread over 4 instances, waited %v", got)
	}
	if err := fleet[2].Wait(ctx); err != nil {
		t.Fatal(err)
	}
	within(t, "the 7th request's wait", ft.total(), time.Second, time.Millisecond)
	before := ft.total()
	for range 6 {
		if err := other.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := ft.total() - before; got != 0 {
		t.Errorf("another Key's burst waited %v", got)
	}
}

// TestWaitOneRoundTrip: after the first Wait (which loads redis_rate's
// script: NOSCRIPT, then EVAL), each Wait that gets a slot is one round
// trip, the cooldown read included.
func TestWaitOneRoundTrip(t *testing.T) {
	_, ft, rdb := newMini(t)
	var trips tripCounter
	rdb.AddHook(&trips)
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme", Rate: 1000, Per: time.Second})
	ctx := context.Background()
	if err := rdb.Ping(ctx).Err(); err != nil { // a connection, set up
		t.Fatal(err)
	}
	trips.n.Store(0)
	if err := l.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if n := trips.n.Load(); n != 2 {
		t.Errorf("first Wait: %d round trips, want 2 (the pipeline, and EVAL after NOSCRIPT)", n)
	}
	trips.n.Store(0)
	for range 50 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := trips.n.Load(); n != 50 {
		t.Errorf("50 Waits: %d round trips, want 50", n)
	}
}

func TestKeys(t *testing.T) {
	mr, ft, rdb := newMini(t)
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme", Rate: 100, Per: time.Second})
	ctx := context.Background()
	for range 5 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	l.record(ctx, 30*time.Second)
	keys := mr.Keys()
	want := []string{"polarsessions:cooldown:{acme}", "rate:polarsessions:{acme}"}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Fatalf("keys %q, want %q", keys, want)
	}
	for _, k := range keys {
		if ttl := mr.TTL(k); ttl <= 0 {
			t.Errorf("%s has no TTL", k)
		}
	}
	within(t, "cooldown TTL", mr.TTL(want[0]), 30*time.Second, 0)
	// 5 of the burst of 10 spent, 10ms apart: whole again in 50ms; EX
	// rounds up to a second.
	within(t, "rate TTL", mr.TTL(want[1]), time.Second, 0)

	ft.advance(31 * time.Second)
	if keys := mr.Keys(); len(keys) != 0 {
		t.Errorf("after 31s, keys %q remain", keys)
	}
}

func TestWaitFailClosed(t *testing.T) {
	mr, ft, rdb := newMini(t)
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
	mr.Close()
	err := l.Wait(context.Background())
	var rErr *RedisError
	if !errors.Is(err, ErrRedis) || !errors.As(err, &rErr) || rErr.Op != "wait" {
		t.Fatalf("Wait with Redis down = %v, want a *RedisError (ErrRedis)", err)
	}
	var netErr net.Error
	if !errors.As(err, &netErr) {
		t.Errorf("errors.As(%v, net.Error) = false: the cause is hidden", err)
	}
}

func TestWaitFailOpen(t *testing.T) {
	mr, ft, rdb := newMini(t)
	var logs bytes.Buffer
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme", FailOpen: true,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	mr.Close()
	if err := l.Wait(context.Background()); err != nil {
		t.Fatalf("Wait failing open = %v, want nil", err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "failing open") ||
		!strings.Contains(logs.String(), "key=acme") {
		t.Errorf("log %q: want a warning that the request goes out without the budget", logs.String())
	}
}

// TestRedisErrorRedactsPassword: an error message quoting the Redis
// password does not reach RedisError's message.
func TestRedisErrorRedactsPassword(t *testing.T) {
	mr, ft, _ := newMini(t)
	const password = "hunter2-correct-horse"
	mr.RequireAuth(password)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), Password: password, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
	mr.SetError("ERR the password " + password + " is wrong")
	err := l.Wait(context.Background())
	if !errors.Is(err, ErrRedis) {
		t.Fatalf("Wait = %v, want ErrRedis", err)
	}
	if strings.Contains(err.Error(), password) || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error %q: want the password redacted", err)
	}
}

func TestWaitContext(t *testing.T) {
	t.Run("ended before", func(t *testing.T) {
		_, ft, rdb := newMini(t)
		l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
	})
	t.Run("canceled while waiting out a cooldown", func(t *testing.T) {
		_, ft, rdb := newMini(t)
		l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
		l.record(context.Background(), time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		sleeping := make(chan struct{})
		l.sleep = func(ctx context.Context, d time.Duration) error {
			close(sleeping)
			return sleep(ctx, d) // really: until cancel
		}
		go func() { <-sleeping; cancel() }()
		if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
	})
	t.Run("canceled while queued", func(t *testing.T) {
		_, ft, rdb := newMini(t)
		l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
		l.record(context.Background(), time.Hour)
		sleeping, release := make(chan struct{}), make(chan struct{})
		l.sleep = func(ctx context.Context, d time.Duration) error {
			close(sleeping)
			<-release
			return errors.New("released")
		}
		first := make(chan error, 1)
		go func() { first <- l.Wait(context.Background()) }()
		<-sleeping // the first Wait holds the turn
		ctx, cancel := context.WithCancel(context.Background())
		queued := make(chan error, 1)
		go func() { queued <- l.Wait(ctx) }()
		cancel()
		if err := <-queued; !errors.Is(err, context.Canceled) {
			t.Errorf("queued Wait = %v, want context.Canceled", err)
		}
		close(release)
		<-first
	})
	t.Run("cooldown past the deadline", func(t *testing.T) {
		_, ft, rdb := newMini(t)
		l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
		l.record(context.Background(), time.Minute)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := l.Wait(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			t.Errorf("Wait = %v (ctx %v), want a deadline error at once", err, ctx.Err())
		}
		if !strings.Contains(err.Error(), "cooldown") {
			t.Errorf("error %q does not say it was the cooldown", err)
		}
		if n := len(ft.sleeps()); n != 0 {
			t.Errorf("slept %d times", n)
		}
	})
	t.Run("slot past the deadline", func(t *testing.T) {
		_, ft, rdb := newMini(t)
		l := newFake(t, ft, Config{Redis: rdb, Key: "acme", Rate: 1, Per: time.Hour})
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := l.Wait(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			t.Errorf("Wait = %v (ctx %v), want a deadline error at once", err, ctx.Err())
		}
		if !strings.Contains(err.Error(), "slot") {
			t.Errorf("error %q does not say it was the next slot", err)
		}
	})
	t.Run("Redis hangs", func(t *testing.T) {
		// A server that accepts and never answers: go-redis would wait
		// for its ReadTimeout (3s); Wait ends with the context.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		accepted := make(chan struct{})
		go func() {
			defer close(accepted)
			var conns []net.Conn
			for {
				c, err := ln.Accept()
				if err != nil {
					break
				}
				conns = append(conns, c) // held open, never answered
			}
			for _, c := range conns {
				_ = c.Close()
			}
		}()
		defer func() { _ = ln.Close(); <-accepted }()
		rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), MaxRetries: -1})
		defer func() { _ = rdb.Close() }()
		l, err := New(Config{Redis: rdb, Key: "acme"})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err = l.Wait(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait = %v, want context.DeadlineExceeded", err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("Wait took %v, past its 200ms deadline", took)
		}
	})
}
