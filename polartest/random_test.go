package polartest_test

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

// drive sends n create requests from workers goroutines, ignoring failures,
// which are the point.
func drive(t *testing.T, srv *polartest.Server, body string, n, workers int) {
	t.Helper()
	c := newHTTPClient(t)
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range jobs {
				resp, err := send(c, srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
}

func faultSequence(t *testing.T, seed uint64, n int) []polartest.FaultKind {
	t.Helper()
	srv, body, _ := faultServer(t, polartest.WithRandomFaults(polartest.RandomFaults{Seed: seed, Rate: 0.5, SlowDelay: time.Millisecond}))
	drive(t, srv, body, n, 1)
	var kinds []polartest.FaultKind
	for _, r := range srv.Requests() {
		kinds = append(kinds, r.Fault)
	}
	require.Len(t, kinds, n)
	return kinds
}

func TestRandomFaultsAreDeterministic(t *testing.T) {
	a := faultSequence(t, 7, 150)
	assert.Equal(t, a, faultSequence(t, 7, 150))
	assert.NotEqual(t, a, faultSequence(t, 8, 150))
}

func TestRandomFaultsHonourRateAndKinds(t *testing.T) {
	const n, rate = 2000, 0.2
	srv, body, _ := faultServer(t, polartest.WithRandomFaults(polartest.RandomFaults{Seed: 1, Rate: rate, SlowDelay: time.Millisecond}))
	drive(t, srv, body, n, 8)

	st := srv.Stats()
	assert.Equal(t, n, st.Requests)
	// Four standard deviations either side: sqrt(2000·0.2·0.8) ≈ 18.
	assert.InDelta(t, n*rate, st.TotalFaults(), 72, "faults: %v", st.Faults)
	for _, kind := range polartest.RandomFaultKinds() {
		assert.Positive(t, st.Faults[kind], "kind %v never drawn: %v", kind, st.Faults)
	}
	t.Logf("%d requests, %d faults: %v", st.Requests, st.TotalFaults(), st.Faults)

	// What each request got agrees with the counters.
	counted := map[polartest.FaultKind]int{}
	for _, r := range srv.Requests() {
		if r.Fault != polartest.FaultNone {
			counted[r.Fault]++
		}
	}
	assert.Equal(t, st.Faults, counted)
}

func TestRandomFaultsOfChosenKinds(t *testing.T) {
	srv, body, _ := faultServer(t, polartest.WithRandomFaults(polartest.RandomFaults{
		Rate: 1, Kinds: []polartest.FaultKind{polartest.FaultServiceUnavailable, polartest.FaultTooManyRequests},
	}))
	c := newHTTPClient(t)
	retryAfter := map[string]bool{}
	for range 40 {
		resp := create(t, c, srv, body)
		switch resp.status {
		case http.StatusServiceUnavailable:
		case http.StatusTooManyRequests:
			retryAfter[resp.header.Get("Retry-After")] = true
		default:
			t.Fatalf("status %d", resp.status)
		}
	}
	assert.Equal(t, map[string]bool{"0": true, "1": true}, retryAfter)
}

func TestRandomFaultsRateZero(t *testing.T) {
	srv, body, _ := faultServer(t, polartest.WithRandomFaults(polartest.RandomFaults{Rate: 0}))
	drive(t, srv, body, 50, 4)
	assert.Zero(t, srv.Stats().TotalFaults())
}

// Scripted faults come first and leave the random sequence alone.
func TestScriptedFaultsPrecedeRandom(t *testing.T) {
	srv, body, _ := faultServer(t, polartest.WithRandomFaults(polartest.RandomFaults{Rate: 1, Kinds: []polartest.FaultKind{polartest.FaultBadGateway}}))
	srv.Script(polartest.RouteCreate, polartest.Pass())
	c := newHTTPClient(t)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, body).status)
	assert.Equal(t, http.StatusBadGateway, create(t, c, srv, body).status)
}

func TestRandomFaultsOptionsAreChecked(t *testing.T) {
	for name, rf := range map[string]polartest.RandomFaults{
		"rate above 1":      {Rate: 1.5},
		"negative rate":     {Rate: -0.1},
		"custom status":     {Rate: 0.1, Kinds: []polartest.FaultKind{polartest.FaultStatus}},
		"no fault":          {Rate: 0.1, Kinds: []polartest.FaultKind{polartest.FaultNone}},
		"negative slowness": {Rate: 0.1, SlowDelay: -time.Second},
	} {
		assert.Panics(t, func() { polartest.WithRandomFaults(rf) }, name)
	}
	assert.Panics(t, func() { polartest.WithRateLimit(0, time.Second) })
	assert.Panics(t, func() { polartest.WithRateLimit(1, 0) })
}
