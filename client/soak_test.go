package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
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
	"github.com/polarsessions/polarsessions-go/polartest"
)

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

	var logs lockedBuffer
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
						assert.Regexp(t, sessionToken, s.Token)
						assert.Equal(t, cust.ID, s.CustomerID)
						assert.Equal(t, client.CustomerTypeIndividual, s.CustomerType())
						assert.True(t, s.ExpiresAt.After(began))
						mu.Lock()
						created = append(created, s.Token)
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

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a logger
// and a final read.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
