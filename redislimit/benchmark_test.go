package redislimit

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// BenchmarkWait measures what Wait costs when the budget has room (a rate
// of a million a second, so it never sleeps), on a real redis-server over
// loopback: time and round trips per call.
//
//   - background: context.Background(), which never ends, so the round
//     trip runs on the caller's goroutine;
//   - deadline: a context with a deadline, as a call with WithTimeout
//     gives, and go-redis's default options: the round trip runs on a
//     goroutine of its own, so that the deadline holds even if Redis hangs;
//   - deadline-ctxtimeout: the same with Options.ContextTimeoutEnabled,
//     where go-redis bounds the round trip by the deadline itself, on the
//     caller's goroutine;
//   - parallel: as deadline-ctxtimeout from GOMAXPROCS goroutines of one
//     process, of which one at a time asks Redis;
//   - two-trips: for comparison, the design not taken: PTTL of the
//     cooldown, then redis_rate's Allow, each a round trip of its own;
//   - ping: one PING, the floor under any round trip on this machine.
func BenchmarkWait(b *testing.B) {
	srv := realRedis(b)
	setup := func(b *testing.B, ctxTimeouts bool) (*Limiter, *tripCounter) {
		rdb := redis.NewClient(&redis.Options{Addr: srv.addr, ContextTimeoutEnabled: ctxTimeouts})
		b.Cleanup(func() { _ = rdb.Close() })
		trips := &tripCounter{}
		rdb.AddHook(trips)
		l, err := New(Config{Redis: rdb, Key: "bench-" + b.Name(), Rate: 1_000_000, Per: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		var slept atomic.Int64
		l.sleep = func(ctx context.Context, d time.Duration) error {
			slept.Add(1)
			return sleep(ctx, d)
		}
		b.Cleanup(func() {
			if n := slept.Load(); n > 0 {
				b.Errorf("Wait slept %d times: the rate is too low to measure its cost", n)
			}
		})
		// Load the script and open a connection before timing.
		if err := l.Wait(context.Background()); err != nil {
			b.Fatal(err)
		}
		trips.n.Store(0)
		b.ReportAllocs()
		b.ResetTimer()
		return l, trips
	}
	report := func(b *testing.B, trips *tripCounter) {
		b.ReportMetric(float64(trips.n.Load())/float64(b.N), "roundtrips/op")
	}
	withDeadline := func(b *testing.B) context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		b.Cleanup(cancel)
		return ctx
	}
	serial := func(name string, ctxTimeouts, deadline bool) {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			if deadline {
				ctx = withDeadline(b)
			}
			l, trips := setup(b, ctxTimeouts)
			for b.Loop() {
				if err := l.Wait(ctx); err != nil {
					b.Fatal(err)
				}
			}
			report(b, trips)
		})
	}
	serial("background", false, false)
	serial("deadline", false, true)
	serial("deadline-ctxtimeout", true, true)
	b.Run("parallel", func(b *testing.B) {
		ctx := withDeadline(b)
		l, trips := setup(b, true)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := l.Wait(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
		report(b, trips)
	})
	b.Run("ping", func(b *testing.B) {
		ctx := withDeadline(b)
		l, trips := setup(b, true)
		for b.Loop() {
			if err := l.rdb.Ping(ctx).Err(); err != nil {
				b.Fatal(err)
			}
		}
		report(b, trips)
	})
	b.Run("two-trips", func(b *testing.B) {
		ctx := withDeadline(b)
		l, trips := setup(b, true)
		rl := redis_rate.NewLimiter(l.rdb)
		for b.Loop() {
			if err := l.rdb.PTTL(ctx, l.cooldownKey).Err(); err != nil {
				b.Fatal(err)
			}
			res, err := rl.Allow(ctx, l.budgetKey, l.limit)
			if err != nil || res.Allowed == 0 {
				b.Fatal(res, err)
			}
		}
		report(b, trips)
	})
}
