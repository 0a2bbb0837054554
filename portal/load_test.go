package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// portalReuse is the Reuse of the tests that only need reuse on.
const portalReuse = 45 * time.Minute

// 200 concurrent visits by 20 customers while Polar fails 20% of requests at
// random: every visit is answered with a status the package documents, no
// goroutine is left, and Polar sees no more creates than there were visits
// (with reuse, no more sessions than customers).
func TestLoad(t *testing.T) {
	const (
		visits    = 200
		customers = 20
	)
	for _, reuse := range []time.Duration{0, portalReuse} {
		t.Run(fmt.Sprintf("reuse=%s", reuse), func(t *testing.T) {
			e := setup(t, portal.Config{Reuse: reuse},
				withRetry(client.RetryPolicy{MaxAttempts: 3, InitialInterval: 10 * time.Millisecond, MaxInterval: time.Second}),
				// Seed 131's first draws are fault-heavy (9 of 20, of six
				// kinds), so the reuse run, which makes about 20 requests,
				// meets faults too.
				withServer(polartest.WithRandomFaults(polartest.RandomFaults{Seed: 131, Rate: 0.2})))
			for i := range customers {
				e.srv.AddCustomer(polartest.Customer{ExternalID: fmt.Sprintf("usr_%02d", i)})
			}

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			statuses := make([]int, visits)
			errs := make([]error, visits)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range visits {
				wg.Go(func() {
					headers := []string{hdrUser, fmt.Sprintf("usr_%02d", i%customers)}
					if i%2 == 1 {
						headers = append(headers, "Accept", "application/json")
					}
					<-start
					a, err := e.tryVisit(ctx, http.MethodGet, headers...)
					statuses[i], errs[i] = a.status, err
				})
			}
			close(start)
			wg.Wait()

			counts := map[int]int{}
			for i := range visits {
				if !assert.NoError(t, errs[i], "visit %d was not answered", i) {
					continue
				}
				counts[statuses[i]]++
				want := []int{http.StatusBadGateway, http.StatusServiceUnavailable}
				if i%2 == 1 {
					want = append(want, http.StatusOK)
				} else {
					want = append(want, http.StatusSeeOther)
				}
				assert.Contains(t, want, statuses[i], "visit %d", i)
			}
			t.Logf("answers %v; Polar: %d requests, %d faults", counts, e.srv.Stats().Requests, e.srv.Stats().TotalFaults())

			created := 0
			creates := e.creates()
			for _, r := range creates {
				// Truncated and malformed faults answer 201 without a session.
				if r.Status == http.StatusCreated && (r.Fault == polartest.FaultNone || r.Fault == polartest.FaultSlow) {
					created++
				}
			}
			assert.Greater(t, counts[http.StatusOK]+counts[http.StatusSeeOther], visits/2, "most visits succeed")
			if reuse == 0 {
				assert.LessOrEqual(t, created, visits, "sessions created")
				return
			}
			assert.LessOrEqual(t, len(creates), visits, "creates")
			assert.LessOrEqual(t, created, customers, "with reuse, one session per customer")
			assert.Equal(t, len(e.failureLines(t)), visits-counts[http.StatusOK]-counts[http.StatusSeeOther],
				"one log line per failed visit")
		})
	}
}
