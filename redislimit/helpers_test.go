package redislimit

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// fakeTime is the time of a miniredis server and of the Limiters that use
// it: a Limiter's sleep moves it on instead of sleeping, so a test of
// minutes of pacing takes milliseconds. With ClockTTL, keys expire as it
// moves, as on a real server.
type fakeTime struct {
	mr *miniredis.Miniredis

	mu    sync.Mutex
	t     time.Time
	slept []time.Duration // every sleep, in order
}

func (f *fakeTime) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeTime) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.mr.SetTime(f.t)
}

// sleep is a Limiter's sleep: it records d and moves time on.
func (f *fakeTime) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.slept = append(f.slept, d)
	f.mu.Unlock()
	f.advance(d)
	return ctx.Err()
}

func (f *fakeTime) sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

func (f *fakeTime) total() time.Duration {
	var sum time.Duration
	for _, d := range f.sleeps() {
		sum += d
	}
	return sum
}

// newMini starts a miniredis server on fake time and returns it with a
// client for it.
func newMini(t testing.TB) (*miniredis.Miniredis, *fakeTime, *redis.Client) {
	t.Helper()
	mr := miniredis.RunT(t)
	ft := &fakeTime{mr: mr, t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	mr.SetTime(ft.t)
	mr.ClockTTL(true)
	// No retries: the server is in-process, and tests that close it
	// should not spend seconds redialling.
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = rdb.Close() })
	return mr, ft, rdb
}

// newFake returns a Limiter on fake time.
func newFake(t testing.TB, ft *fakeTime, cfg Config) *Limiter {
	t.Helper()
	l, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	l.sleep, l.now = ft.sleep, ft.now
	return l
}

// tripCounter is a go-redis hook counting round trips: each command sent
// on its own, and each pipeline.
type tripCounter struct{ n atomic.Int64 }

func (c *tripCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *tripCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *tripCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

// requireRedisEnv makes a missing redis-server a failure instead of a
// skip; CI sets it, so CI never skips the real-server tests.
const requireRedisEnv = "REDISLIMIT_REQUIRE_REDIS"

// redisServer is a redis-server started by a test.
type redisServer struct {
	addr string
	stop func() // kills it; the test's cleanup calls it too
}

// realRedis starts a redis-server of its own on a free loopback port, with
// no persistence; it is stopped when the test ends. Without redis-server
// installed the test is skipped, or fails when REDISLIMIT_REQUIRE_REDIS=1.
func realRedis(t testing.TB) redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv(requireRedisEnv) == "1" {
			t.Fatalf("redis-server not installed, and %s=1 requires the real-server tests (apt-get install -y redis-server)", requireRedisEnv)
		}
		t.Skip("redis-server not installed: the real-server test is skipped (apt-get install -y redis-server)")
	}
	// A free port: the kernel picks one for a listener we close at once.
	// Another process could take it in between; redis-server would then
	// fail to start, and the test says so.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	var out bytes.Buffer
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = &syncWriter{w: &out}, &syncWriter{w: &out}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(exited) }()
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			_ = cmd.Process.Kill()
			<-exited
		})
	}
	t.Cleanup(stop)

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer func() { _ = rdb.Close() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := rdb.Ping(context.Background()).Err()
		if err == nil {
			return redisServer{addr: addr, stop: stop}
		}
		select {
		case <-exited:
			t.Fatalf("redis-server exited (%v) before answering PING: %s", waitErr, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not answer PING within 10s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond) // polling for readiness: nothing to wait on instead
	}
}

// syncWriter serialises writes from redis-server's stdout and stderr.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// within fails unless got is want give or take tol.
func within(t testing.TB, what string, got, want, tol time.Duration) {
	t.Helper()
	if got < want-tol || got > want+tol {
		t.Errorf("%s = %v, want %v ± %v", what, got, want, tol)
	}
}
