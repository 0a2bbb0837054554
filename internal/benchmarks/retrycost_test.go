package benchmarks

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// faultRate is the soak's (TestSoak in client/): a fifth of the requests
// fail, the kind drawn uniformly from polartest's random faults.
const faultRate = 0.2

// BenchmarkRetryCost makes Create calls from 64 goroutines against
// polartest injecting faults into faultRate of the requests, and reports
// what the retry policy costs in requests, which Polar budgets (500 a
// minute per organization):
//
//   - requests/call: requests the server received per call;
//   - requests/success: requests per call that returned a session;
//   - success-%: the calls that returned a session.
//
// default is DefaultRetryPolicy; off is no retries (MaxAttempts 1), what a
// caller gets who retries nothing. Each run draws another fault sequence, so
// the runs' median is not one sequence's luck. The policy's waits (backoff,
// Retry-After, the client's 429 cooldown: all go through RetryPolicy.Wait)
// are skipped: how long a call waits does not change which requests it
// makes, and the fault sequence depends only on the order requests arrive
// in. Slow responses (polartest's 20ms) are successes, well within the
// attempt timeout. ns/op is the cost of a call without its waits.
func BenchmarkRetryCost(b *testing.B) {
	noWait := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	policies := []struct {
		name   string
		policy client.RetryPolicy
	}{
		{"default", client.DefaultRetryPolicy()},
		{"off", client.RetryPolicy{MaxAttempts: 1}},
	}
	for _, p := range policies {
		b.Run(p.name, func(b *testing.B) {
			polar := polartest.NewServer(polartest.WithRandomFaults(polartest.RandomFaults{Seed: rand.Uint64(), Rate: faultRate}))
			defer polar.Close()
			cust := polar.AddCustomer(polartest.Customer{})
			policy := p.policy
			policy.Wait = noWait
			c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()), client.WithRetryPolicy(policy))
			if err != nil {
				b.Fatal(err)
			}
			defer c.CloseIdleConnections()
			req := client.CreateCustomerSessionRequest{CustomerID: cust.ID}
			var ok atomic.Int64
			before := polar.Stats().Requests
			b.ResetTimer()
			setParallelism(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.CustomerSessions.Create(context.Background(), req); err == nil {
						ok.Add(1)
					}
				}
			})
			b.StopTimer()
			requests := float64(polar.Stats().Requests - before)
			b.ReportMetric(requests/float64(b.N), "requests/call")
			b.ReportMetric(requests/float64(ok.Load()), "requests/success")
			b.ReportMetric(100*float64(ok.Load())/float64(b.N), "success-%")
		})
	}
}
