package redislimit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// TestRealServer: on a real redis-server, a Wait is one round trip, the
// keys are the documented ones and expire, a cooldown holds Wait back in
// real time, and a dead server fails closed (or open).
func TestRealServer(t *testing.T) {
	srv := realRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.addr, MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = rdb.Close() })
	var trips tripCounter
	rdb.AddHook(&trips)
	l, err := New(Config{Redis: rdb, Key: "acme", Rate: 1000, Per: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	trips.n.Store(0)
	for range 20 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The first Wait meets NOSCRIPT and sends the script itself.
	if n := trips.n.Load(); n != 21 {
		t.Errorf("20 Waits: %d round trips, want 21", n)
	}

	l.record(ctx, 300*time.Millisecond)
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if want := []string{"polarsessions:cooldown:{acme}", "rate:polarsessions:{acme}"}; !slices.Equal(keys, want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
	for _, k := range keys {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > time.Second {
			t.Errorf("%s: TTL %v, want some, at most a second", k, ttl)
		}
	}
	start := time.Now()
	if err := l.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 280*time.Millisecond || took > 2*time.Second {
		t.Errorf("Wait during a 300ms cooldown took %v", took)
	}

	open, err := New(Config{Redis: rdb, Key: "acme", FailOpen: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.stop()
	if err := l.Wait(ctx); !errors.Is(err, ErrRedis) {
		t.Errorf("Wait with the server stopped = %v, want ErrRedis", err)
	}
	if err := open.Wait(ctx); err != nil {
		t.Errorf("Wait failing open = %v, want nil", err)
	}
}

// instance is one process of the fleet: its own Redis connections, its
// own Limiter, its own client.
type instance struct {
	name string
	c    *client.Client
}

// instanceHeader names the instance on each request, for polartest's log.
const instanceHeader = "X-Fleet-Instance"

// TestFleet: four instances, 16 goroutines each, spend one budget on a real
// Redis against a polartest that allows a little more: it refuses none, and
// the fleet completes at least 80% of the budget. Then a 429 seen by one
// instance keeps the other three from reaching polartest until its
// Retry-After has passed.
func TestFleet(t *testing.T) {
	redisSrv := realRedis(t)
	const (
		rate, per  = 100, time.Second
		burst      = rate / 10
		polarLimit = rate + burst + 15 // a little above what the fleet may send in a window
		goroutines = 16
		loadFor    = 3 * time.Second
		retryAfter = 2 * time.Second
	)
	polar := polartest.NewServer(polartest.WithRateLimit(polarLimit, per))
	t.Cleanup(polar.Close)
	cust := polar.AddCustomer(polartest.Customer{ExternalID: "usr_fleet"})
	req := client.CreateCustomerSessionRequest{CustomerID: cust.ID}

	fleet := make([]instance, 4)
	for i := range fleet {
		rdb := redis.NewClient(&redis.Options{Addr: redisSrv.addr})
		t.Cleanup(func() { _ = rdb.Close() })
		lim, err := New(Config{Redis: rdb, Key: "fleet", Rate: rate, Per: per})
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("i%d", i)
		c, err := client.New(append(lim.Options(),
			client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
			client.WithHeader(instanceHeader, name))...)
		if err != nil {
			t.Fatal(err)
		}
		fleet[i] = instance{name: name, c: c}
	}

	// load runs goroutines Creates per instance until ctx ends, and
	// returns how many each instance completed.
	load := func(ctx context.Context, instances []instance) []int {
		done := make([]int, len(instances))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i, in := range instances {
			for range goroutines {
				wg.Go(func() {
					n := 0
					for {
						_, err := in.c.CustomerSessions.Create(ctx, req)
						if err != nil {
							if ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
								t.Errorf("%s: Create: %v", in.name, err)
							}
							break
						}
						n++
					}
					mu.Lock()
					done[i] += n
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		return done
	}

	// Phase 1: the whole fleet, flat out.
	start := time.Now()
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(loadFor))
	done := load(ctx, fleet)
	cancel()
	completed := 0
	for _, n := range done {
		completed += n
	}
	budget := burst + int(loadFor*rate/per)
	st := polar.Stats()
	t.Logf("fleet: %d Creates in %v (per instance %v), budget %d: %.0f%%; polartest: %d requests, %d refused",
		completed, loadFor, done, budget, 100*float64(completed)/float64(budget), st.Requests, st.RateLimited)
	if st.RateLimited != 0 {
		t.Errorf("polartest refused %d requests over its %d a second", st.RateLimited, polarLimit)
	}
	if completed < budget*8/10 {
		t.Errorf("the fleet completed %d of a budget of %d, under 80%%", completed, budget)
	}
	if completed > budget+1 {
		t.Errorf("the fleet completed %d, over its budget of %d", completed, budget)
	}
	for i, n := range done {
		if n == 0 {
			t.Errorf("instance %d completed nothing", i)
		}
	}
	var arrivals []time.Time
	for _, r := range polar.Requests() {
		arrivals = append(arrivals, r.Time)
	}
	if most := maxInWindow(arrivals, per); most > polarLimit {
		t.Errorf("%d requests reached polartest within %v", most, per)
	}

	// Phase 2: instances 1-3 keep loading while instance 0 meets a 429.
	others := fleet[1:]
	seen := len(polar.Requests())
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	loaded := make(chan []int, 1)
	go func() { loaded <- load(ctx, others) }()
	waitFor(t, "the other instances to send", func() bool { return len(polar.Requests()) >= seen+20 })

	polar.Script(polartest.RouteIntrospect, polartest.RateLimited(retryAfter))
	once := client.DefaultRetryPolicy()
	once.MaxAttempts = 1
	session := polar.CreateSession(cust.ID, "")
	_, err := fleet[0].c.CustomerPortal.CustomerSession.Introspect(context.Background(), session, client.WithRetryPolicy(once))
	returned := time.Now()
	if !errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("instance 0's Introspect = %v, want the scripted 429", err)
	}
	var limited time.Time // when the 429'd request reached polartest
	for _, r := range polar.Requests() {
		if strings.HasSuffix(r.Path, "/introspect") && r.Status == 429 {
			limited = r.Time
		}
	}
	if limited.IsZero() {
		t.Fatal("polartest has no record of the 429")
	}
	cooledDown := limited.Add(retryAfter)
	waitFor(t, "the other instances to resume", func() bool {
		n := 0
		for _, r := range polar.Requests() {
			if r.Time.After(cooledDown) {
				n++
			}
		}
		return n >= 10
	})
	cancel()
	<-loaded

	// A request granted before the cooldown was recorded may still be on
	// its way when instance 0's call returns; none may arrive after that
	// (give or take grace) until Retry-After has passed.
	const grace = 200 * time.Millisecond
	var held, during, after int
	var first time.Time
	for _, r := range polar.Requests()[seen:] {
		name := r.Header.Get(instanceHeader)
		if name == "" || name == fleet[0].name {
			continue
		}
		switch {
		case r.Time.Before(returned.Add(grace)):
			held++ // sent before the 429 was known, or just then
		case r.Time.Before(cooledDown):
			during++
			t.Errorf("%s reached polartest %v after the 429, before its Retry-After of %v had passed",
				name, r.Time.Sub(limited).Round(time.Millisecond), retryAfter)
		default:
			after++
			if first.IsZero() {
				first = r.Time
			}
		}
	}
	t.Logf("cooldown: before the 429 %d requests, during %d, after %d; first after it %v past the 429",
		held, during, after, first.Sub(limited).Round(time.Millisecond))
	if after == 0 {
		t.Error("the other instances did not resume after the cooldown")
	}
	if st := polar.Stats(); st.RateLimited != 0 {
		t.Errorf("polartest refused %d requests over its limit", st.RateLimited)
	}
}

// waitFor polls cond until it holds, failing the test after 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
