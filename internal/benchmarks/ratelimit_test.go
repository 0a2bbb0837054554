package benchmarks

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// The rate-limit scenario, scaled down from Polar's 500 requests a minute:
// rlGoroutines callers make Create calls for rlDuration against polartest
// allowing rlBudget requests per rlWindow.
const (
	rlGoroutines = 64
	rlBudget     = 60
	rlWindow     = 2 * time.Second
	rlDuration   = 6 * time.Second
)

// BenchmarkRateLimit runs the scenario once per b.N (make bench runs it
// with -benchtime 1x), with the client's 429 cooldown on and off, and
// reports:
//
//   - refused: requests the server answered 429;
//   - requests: requests the server received;
//   - completed: calls that returned a session;
//   - failed: calls that ended in an error (a 429 not waited out, say);
//   - p50-ms, p99-ms: latency of the completed calls, waits included.
//
// Each caller uses the default retry policy, which waits out a Retry-After
// of up to 8s; every call has a 10s deadline.
func BenchmarkRateLimit(b *testing.B) {
	for _, cooldown := range []bool{true, false} {
		name := "cooldown-on"
		if !cooldown {
			name = "cooldown-off"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				rateLimitScenario(b, cooldown)
			}
		})
	}
}

func rateLimitScenario(b *testing.B, cooldown bool) {
	polar := polartest.NewServer(polartest.WithRateLimit(rlBudget, rlWindow))
	defer polar.Close()
	cust := polar.AddCustomer(polartest.Customer{})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithCooldown(cooldown))
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	req := client.CreateCustomerSessionRequest{CustomerID: cust.ID}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		failed    int
		wg        sync.WaitGroup
	)
	end := time.Now().Add(rlDuration)
	for range rlGoroutines {
		wg.Go(func() {
			for time.Now().Before(end) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				start := time.Now()
				_, err := c.CustomerSessions.Create(ctx, req)
				took := time.Since(start)
				cancel()
				mu.Lock()
				if err != nil {
					failed++
				} else {
					latencies = append(latencies, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	st := polar.Stats()
	slices.Sort(latencies)
	b.ReportMetric(float64(st.RateLimited), "refused")
	b.ReportMetric(float64(st.Requests), "requests")
	b.ReportMetric(float64(len(latencies)), "completed")
	b.ReportMetric(float64(failed), "failed")
	b.ReportMetric(ms(percentile(latencies, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(latencies, 0.99)), "p99-ms")
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
