package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/syncbuf"
	"github.com/polarsessions/polarsessions-go/polartest"
)

var createReq = client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "https://example.com/account"}

func TestRetryServerErrorsThenSuccess(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(503, ""), status(503, `{"detail":"busy"}`), createdOK))
	var waits []time.Duration
	c := newClient(t, ts, client.WithRetryPolicy(noWaitPolicy(&waits)),
		client.WithHeader("X-Request-Source", "billing"))

	s, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err)
	require.NotNil(t, s)

	reqs := ts.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs[1:] {
		assert.Equal(t, reqs[0].Body, r.Body, "every attempt sends byte-identical bodies")
		assert.Equal(t, reqs[0].Header, r.Header, "and identical headers")
	}
	assert.Equal(t, `{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","return_url":"https://example.com/account"}`, string(reqs[2].Body))
	assert.Equal(t, "billing", reqs[2].Header.Get("X-Request-Source"))
	// Rand returns 0: no jitter, so exactly 500ms then 1s.
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, waits)
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(429, "", "retry-after", "1"), createdOK))
	var waits []time.Duration
	c := newClient(t, ts, client.WithRetryPolicy(noWaitPolicy(&waits)))

	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err)
	assert.Len(t, ts.Requests(), 2)
	assert.Equal(t, []time.Duration{time.Second}, waits, "one wait, of exactly Retry-After")
}

// The real timer path: a short Retry-After is actually waited, not skipped.
func TestRetryWaitsForReal(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(429, "", "Retry-After", "1"), createdOK))
	c := newClient(t, ts, client.WithRetryPolicy(client.DefaultRetryPolicy()))

	start := time.Now()
	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Less(t, time.Since(start), 3*time.Second)
}

func TestRetryAfterOverMaxIntervalReturnsAtOnce(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(429, "", "retry-after", "120"))
	var waits []time.Duration
	c := newClient(t, ts, client.WithRetryPolicy(noWaitPolicy(&waits)))

	start := time.Now()
	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	assert.Less(t, time.Since(start), time.Second)
	require.ErrorIs(t, err, client.ErrRateLimited)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Len(t, ts.Requests(), 1)
	assert.Empty(t, waits)
}

func TestRetryWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(503, ""))
	c := newClient(t, ts, client.WithRetryPolicy(client.RetryPolicy{InitialInterval: 5 * time.Second}))

	start := time.Now()
	_, err := c.CustomerSessions.Create(context.Background(), createReq, client.WithTimeout(2*time.Second))
	assert.Less(t, time.Since(start), time.Second, "must not sleep into the deadline")
	require.ErrorIs(t, err, client.ErrServer)
	assert.Len(t, ts.Requests(), 1)
}

// Cancelling during a 5s wait returns at once, with an error that is both
// the context's and the last failure.
func TestRetryCancelDuringWait(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(503, `{"detail":"down"}`, "Retry-After", "5"))
	waiting := make(chan struct{})
	p := client.DefaultRetryPolicy()
	p.Wait = func(ctx context.Context, d time.Duration) error {
		close(waiting)
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c := newClient(t, ts, client.WithRetryPolicy(p))

	ctx, cancel := context.WithCancel(context.Background())
	var cancelledAt atomic.Int64
	go func() {
		<-waiting
		cancelledAt.Store(time.Now().UnixNano())
		cancel()
	}()
	_, err := c.CustomerSessions.Create(ctx, createReq)
	returned := time.Now()

	assert.Less(t, returned.Sub(time.Unix(0, cancelledAt.Load())), 50*time.Millisecond)
	require.ErrorIs(t, err, context.Canceled)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr, "the last failure is still there")
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, "down", apiErr.Detail)
	assert.Contains(t, err.Error(), "context canceled while waiting to retry")
	assert.Len(t, ts.Requests(), 1)
}

// Cancelling while an error body is still arriving is reported as such, not
// as a cancelled wait.
func TestCancelDuringErrorBody(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
		_, _ = w.Write([]byte(`{"detail":`))
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	c := newClient(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.CustomerSessions.Create(ctx, createReq)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Contains(t, err.Error(), "context deadline exceeded; last failure:")
	assert.NotContains(t, err.Error(), "waiting")
	assert.Len(t, ts.Requests(), 1)
}

func TestRetryConnectionResetThenSuccess(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(reset, createdOK))
	var logs bytes.Buffer
	c := newClient(t, ts, client.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))

	s, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err)
	assert.NotNil(t, s)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
	assert.Contains(t, logs.String(), "cause=connection_reset")
}

func TestRetryAttemptTimeout(t *testing.T) {
	ts := newTestServer(t)
	release := make(chan struct{})
	defer close(release)
	ts.Mux.HandleFunc("POST "+createPath, sequence(
		func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		},
		createdOK,
	))
	p := noWaitPolicy(nil)
	p.AttemptTimeout = 50 * time.Millisecond
	c := newClient(t, ts, client.WithRetryPolicy(p))

	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err, "a hung attempt is abandoned and retried")
	assert.GreaterOrEqual(t, len(ts.Requests()), 2)
}

// An attempt that hits AttemptTimeout is a "timeout", retried; the call's
// own context was never done.
func TestAttemptTimeoutClass(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	var logs bytes.Buffer
	p := noWaitPolicy(nil)
	p.AttemptTimeout = 20 * time.Millisecond
	c := newClient(t, ts, client.WithRetryPolicy(p), client.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	var tErr *client.TransportError
	require.ErrorAs(t, err, &tErr)
	assert.Equal(t, "timeout", tErr.Class)
	assert.Equal(t, 3, tErr.Attempts)
	assert.Contains(t, logs.String(), "error_class=timeout")
	assert.NotContains(t, logs.String(), "error_class=deadline")
}

// A doer (middleware) that edits the request's headers cannot change what
// the next attempt sends.
func TestRetrySendsPristineHeaders(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(503, ""), createdOK))
	edit := doerFunc(func(r *http.Request) (*http.Response, error) {
		r.Header.Add("X-Trace", "span")
		return http.DefaultTransport.RoundTrip(r)
	})
	c := newClient(t, ts, client.WithHTTPClient(edit))
	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, []string{"span"}, reqs[0].Header.Values("X-Trace"))
	assert.Equal(t, reqs[0].Header, reqs[1].Header)
}

// HTTP/2: a stream the server resets is retried like a reset connection.
func TestRetryHTTP2StreamReset(t *testing.T) {
	var n atomic.Int64
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			t.Errorf("want HTTP/2, got %s", r.Proto)
		}
		if n.Add(1) == 1 {
			panic(http.ErrAbortHandler) // RST_STREAM INTERNAL_ERROR
		}
		createdOK(w, r)
	}))
	ts.EnableHTTP2 = true
	ts.StartTLS()
	defer ts.Close()
	c, err := client.New(client.WithServerURL(ts.URL), client.WithAccessToken(testAccessToken),
		client.WithHTTPClient(ts.Client()), client.WithRetryPolicy(noWaitPolicy(nil)))
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(context.Background(), createReq)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n.Load())
}

func TestRetryExhausted(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(502, ""))
	c := newClient(t, ts)

	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.ErrorIs(t, err, client.ErrServer)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Contains(t, err.Error(), "(after 3 attempts)")
	assert.Len(t, ts.Requests(), 3)
}

func TestRetryTransportExhausted(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, reset)
	c := newClient(t, ts)

	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	var tErr *client.TransportError
	require.ErrorAs(t, err, &tErr)
	assert.Equal(t, 3, tErr.Attempts)
	assert.Contains(t, []string{"connection_reset", "eof"}, tErr.Class)
}

func TestRetryNotForClientErrors(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 409, 422, 501} {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, status(code, `{"detail":"no"}`, "Retry-After", "1"))
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), createReq)
		require.Error(t, err)
		assert.Len(t, ts.Requests(), 1, "status %d", code)
	}
}

func TestRetryAllRetryableStatuses(t *testing.T) {
	for _, code := range []int{408, 429, 500, 502, 503, 504} {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, sequence(status(code, ""), createdOK))
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), createReq)
		require.NoError(t, err, "status %d", code)
		assert.Len(t, ts.Requests(), 2, "status %d", code)
	}
}

func TestRetryAfterVariants(t *testing.T) {
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"garbage falls back to backoff", "soon", 500 * time.Millisecond},
		{"negative falls back to backoff", "-3", 500 * time.Millisecond},
		{"past date means now", "Wed, 21 Oct 2015 07:28:00 GMT", 0},
		{"zero", "0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.Mux.HandleFunc("POST "+createPath, sequence(status(503, "", "Retry-After", tt.value), createdOK))
			var waits []time.Duration
			c := newClient(t, ts, client.WithRetryPolicy(noWaitPolicy(&waits)))
			_, err := c.CustomerSessions.Create(context.Background(), createReq)
			require.NoError(t, err)
			assert.Equal(t, []time.Duration{tt.want}, waits)
		})
	}
}

func TestRetryJitterAndCap(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(500, ""))
	var waits []time.Duration
	p := noWaitPolicy(&waits)
	p.MaxAttempts = 6
	p.InitialInterval = time.Second
	p.MaxInterval = 5 * time.Second
	p.Multiplier = 3
	p.Rand = func() float64 { return 0.5 } // a quarter off each wait
	c := newClient(t, ts, client.WithRetryPolicy(p))

	_, err := c.CustomerSessions.Create(context.Background(), createReq)
	require.ErrorIs(t, err, client.ErrServer)
	assert.Equal(t, []time.Duration{750 * time.Millisecond, 2250 * time.Millisecond, 3750 * time.Millisecond, 3750 * time.Millisecond, 3750 * time.Millisecond}, waits)
}

func TestRetryPerCallPolicy(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(503, ""))
	c := newClient(t, ts)

	_, err := c.CustomerSessions.Create(context.Background(), createReq, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	require.ErrorIs(t, err, client.ErrServer)
	assert.Len(t, ts.Requests(), 1)

	_, err = c.CustomerSessions.Create(context.Background(), createReq)
	require.ErrorIs(t, err, client.ErrServer)
	assert.Len(t, ts.Requests(), 1+3, "the client's policy is unchanged")
}

func TestRetryIntrospect(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET "+introspectPath, sequence(status(504, ""), reset, status(200, `{"expires_at":"2026-11-21T11:00:00Z","return_url":null}`)))
	c := newClient(t, ts)
	_, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken)
	require.NoError(t, err)
	assert.Len(t, ts.Requests(), 3)
}

// Twenty calls that each need a retry reuse one connection: every response
// body is drained and closed before the next attempt.
func TestRetryReusesConnections(t *testing.T) {
	ts := newTestServer(t)
	var n atomic.Int64
	ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			status(503, `{"detail":"Service Unavailable, with a body to drain"}`)(w, r)
			return
		}
		createdOK(w, r)
	})
	c := newClient(t, ts)
	for range 20 {
		_, err := c.CustomerSessions.Create(context.Background(), createReq)
		require.NoError(t, err)
	}
	assert.Len(t, ts.Requests(), 40)
	assert.Equal(t, int64(1), ts.Conns())
}

func TestRetryPolicyValidation(t *testing.T) {
	bad := []client.RetryPolicy{
		{MaxAttempts: -1},
		{InitialInterval: -time.Second},
		{MaxInterval: -1},
		{Multiplier: 0.5},
		{Multiplier: -2},
	}
	for _, p := range bad {
		_, err := client.New(client.WithRetryPolicy(p))
		assert.ErrorIs(t, err, client.ErrInvalidRequest, "%+v", p)
	}
	_, err := client.New(client.WithRetryPolicy(client.RetryPolicy{}))
	assert.NoError(t, err, "the zero policy means the defaults")
	_, err = client.New(client.WithRetryPolicy(client.RetryPolicy{AttemptTimeout: -1}))
	assert.NoError(t, err, "a negative attempt timeout means none")
}

// Soak settings. The test makes soakCalls() calls: 1,000 by default so that
// `make test` stays quick, POLAR_SOAK_CALLS=10000 for the full soak.
const (
	soakGoroutines = 32
	soakFaultRate  = 0.2
	soakTimeout    = 2 * time.Second // per call, retries included
)

func soakCalls(t *testing.T) int {
	v := os.Getenv("POLAR_SOAK_CALLS")
	if v == "" {
		return 1000
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "POLAR_SOAK_CALLS")
	return n
}

// soakPolicy rides through faults: a 429's retry-after of up to 1s is
// waited, and an attempt stuck on a slow response is abandoned after 250ms.
func soakPolicy() client.RetryPolicy {
	return client.RetryPolicy{
		MaxAttempts:     4,
		InitialInterval: 20 * time.Millisecond,
		MaxInterval:     time.Second,
		Multiplier:      2,
		AttemptTimeout:  250 * time.Millisecond,
	}
}

// predictedSuccess is the success rate the fault model and policy imply.
// Each attempt fails with probability rate, the kind drawn uniformly; a
// malformed body is final (a 2xx is not retried), every other kind is
// retried, up to MaxAttempts attempts in all.
func predictedSuccess(rate float64, kinds []polartest.FaultKind, attempts int) float64 {
	retried := rate * float64(len(kinds)-1) / float64(len(kinds))
	p := 0.0
	for k := range attempts {
		p += math.Pow(retried, float64(k)) * (1 - rate)
	}
	return p
}

// TestSoak drives the client from 32 goroutines against polartest injecting
// faults into about 20% of requests: 429 with retry-after 0–1s, 500, 502,
// 503, 504, connection resets, truncated and malformed bodies, and
// responses slower than the per-call timeout.
func TestSoak(t *testing.T) {
	calls := soakCalls(t)
	goroutinesBefore := runtime.NumGoroutine()
	start := time.Now()

	polar := polartest.NewServer(polartest.WithRandomFaults(polartest.RandomFaults{
		Seed: 2026, Rate: soakFaultRate, SlowDelay: soakTimeout + time.Second,
	}))
	var customers []polartest.Customer
	var tokens []string
	for i := range 10 {
		cust := polar.AddCustomer(polartest.Customer{ExternalID: fmt.Sprintf("usr_%d", i)})
		customers = append(customers, cust)
		tokens = append(tokens, polar.CreateSession(cust.ID, ""))
	}

	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// The fault model's 429s strike single requests at random, unlike
	// Polar's limit, which refuses every request of the token until the
	// window ends; the cooldown, which answers the latter, would hold all
	// 32 goroutines back for a random request's retry-after and break the
	// model's independence. cooldown_test.go tests it against a real limit.
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(soakPolicy()), client.WithTimeout(soakTimeout), client.WithLogger(logger),
		client.WithCooldown(false))
	require.NoError(t, err)

	var (
		next      atomic.Int64
		mu        sync.Mutex
		outcomes  = map[string]int{}
		errTexts  []string
		created   []string // tokens of sessions created, to look for in the output
		slowest   time.Duration
		wg        sync.WaitGroup
		ctx       = context.Background()
		recordErr = func(class string, err error) {
			mu.Lock()
			defer mu.Unlock()
			outcomes[class]++
			errTexts = append(errTexts, err.Error(), fmt.Sprintf("%+v", err))
		}
	)
	for range soakGoroutines {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= calls {
					return
				}
				cust := customers[i%len(customers)]
				began := time.Now()
				var err error
				if i%2 == 0 {
					req := client.CreateCustomerSessionRequest{CustomerID: cust.ID}
					if i%4 == 0 {
						req = client.CreateCustomerSessionRequest{ExternalCustomerID: cust.ExternalID}
					}
					var s *client.CustomerSession
					s, err = c.CustomerSessions.Create(ctx, req)
					if (s == nil) == (err == nil) {
						t.Errorf("call %d: session %v and error %v", i, s, err)
						return
					}
					if s != nil {
						assert.Regexp(t, sessionToken, s.Token.Reveal())
						assert.Equal(t, cust.ID, s.CustomerID)
						assert.Equal(t, client.CustomerTypeIndividual, s.CustomerType())
						assert.True(t, s.ExpiresAt.After(began))
						mu.Lock()
						created = append(created, s.Token.Reveal())
						mu.Unlock()
					}
				} else {
					var info *client.CustomerCustomerSession
					info, err = c.CustomerPortal.CustomerSession.Introspect(ctx, tokens[i%len(tokens)])
					if (info == nil) == (err == nil) {
						t.Errorf("call %d: result %v and error %v", i, info, err)
						return
					}
					if info != nil {
						assert.True(t, info.ExpiresAt.After(began))
					}
				}
				took := time.Since(began)
				mu.Lock()
				slowest = max(slowest, took)
				mu.Unlock()
				assert.LessOrEqual(t, took, soakTimeout+200*time.Millisecond, "call %d overran its deadline", i)

				var apiErr *client.APIError
				var tErr *client.TransportError
				switch {
				case err == nil:
					mu.Lock()
					outcomes["ok"]++
					mu.Unlock()
				case errors.As(err, &apiErr):
					recordErr(fmt.Sprintf("api %d", apiErr.StatusCode), err)
				case errors.Is(err, context.DeadlineExceeded):
					recordErr("deadline", err)
				case errors.As(err, &tErr):
					recordErr("transport "+tErr.Class, err)
				default:
					t.Errorf("call %d: untyped error %T: %v", i, err, err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	stats := polar.Stats()
	c.CloseIdleConnections()
	polar.Close()

	// Success rate: what the fault model predicts, within binomial noise
	// plus a little for what the model leaves out (net/http's own retry of
	// a reset GET, deadlines cutting a run of long waits).
	want := predictedSuccess(soakFaultRate, polartest.RandomFaultKinds(), soakPolicy().MaxAttempts)
	got := float64(outcomes["ok"]) / float64(calls)
	sigma := math.Sqrt(want * (1 - want) / float64(calls))
	t.Logf("%d calls in %v from %d goroutines (slowest %v): success %.4f, predicted %.4f ± %.4f",
		calls, elapsed.Round(time.Millisecond), soakGoroutines, slowest.Round(time.Millisecond), got, want, 4*sigma+0.01)
	t.Logf("outcomes: %v", outcomes)
	t.Logf("server: %d requests, %d faults %v, %d connections", stats.Requests, stats.TotalFaults(), stats.Faults, stats.Connections)
	assert.InDelta(t, want, got, 4*sigma+0.01)
	assert.InDelta(t, soakFaultRate, float64(stats.TotalFaults())/float64(stats.Requests), 0.05, "the injected fault rate")

	// Connections: one per goroutine at most, plus one for each connection
	// a fault killed (reset, truncated) or an abandoned slow attempt closed.
	killed := stats.Faults[polartest.FaultReset] + stats.Faults[polartest.FaultTruncated] + stats.Faults[polartest.FaultSlow]
	assert.LessOrEqual(t, stats.Connections, 2*soakGoroutines+killed)

	// Nothing is left running once the client's connections and the
	// server are closed.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutinesBefore {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left, %d before:\n%s", n, goroutinesBefore, buf[:runtime.Stack(buf, true)])
	}

	// Secrets: no token and no portal URL in any error string or log line.
	output := strings.Join(errTexts, "\n") + "\n" + logs.String()
	require.NotEmpty(t, logs.String())
	secrets := append(append([]string{polar.AccessToken(), "customer_session_token"}, tokens...), created...)
	for _, s := range secrets {
		if strings.Contains(output, s) {
			t.Errorf("output holds a secret (%.14s…)", s)
		}
	}
}

// An error from RetryPolicy.Wait is the caller's, but what it brings into
// the call's error is redacted, waiting to retry or waiting out a cooldown;
// errors.Is still finds its context error.
func TestWaitHookErrorIsRedacted(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(http.StatusServiceUnavailable, ""))
	ts.Mux.HandleFunc("GET "+introspectPath, status(http.StatusTooManyRequests, "", "Retry-After", "1"))
	p := client.DefaultRetryPolicy()
	p.Wait = func(context.Context, time.Duration) error {
		return fmt.Errorf("wait refused for %s: %w", testAccessToken, context.DeadlineExceeded)
	}
	c := newClient(t, ts, client.WithRetryPolicy(p))
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, client.ErrServer)
	assertNoSecret(t, printedError(err))

	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken,
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	require.ErrorIs(t, err, client.ErrRateLimited)
	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken)
	require.ErrorIs(t, err, context.DeadlineExceeded, "waiting out the cooldown failed")
	assert.Contains(t, err.Error(), "while waiting out a rate-limit cooldown")
	assertNoSecret(t, printedError(err))
}
