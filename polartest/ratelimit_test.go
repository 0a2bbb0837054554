package polartest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestRateLimit(t *testing.T) {
	srv, clock := start(t, polartest.WithRateLimit(3, 10*time.Second))
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.CreateSession(cust.ID, "")
	c := newHTTPClient(t)
	introspect := func() response { return call(t, c, srv, http.MethodGet, introspectPath, "", bearer(token)) }

	for i := range 3 {
		require.Equal(t, http.StatusOK, introspect().status, "request %d", i)
		clock.Advance(time.Second)
	}

	limited := introspect() // 3s into the window
	assert.Equal(t, http.StatusTooManyRequests, limited.status)
	assert.Empty(t, limited.body)
	assert.Empty(t, limited.header.Get("Content-Type"))
	assert.Equal(t, "7", limited.header.Get("Retry-After"))

	clock.Advance(6*time.Second + 500*time.Millisecond)
	limited = introspect()
	assert.Equal(t, http.StatusTooManyRequests, limited.status)
	assert.Equal(t, "1", limited.header.Get("Retry-After"), "rounded up, and never 0")

	clock.Advance(500 * time.Millisecond) // the window ends
	for i := range 3 {
		assert.Equal(t, http.StatusOK, introspect().status, "request %d of the new window", i)
	}
	assert.Equal(t, http.StatusTooManyRequests, introspect().status)

	st := srv.Stats()
	assert.Equal(t, 9, st.Requests)
	assert.Equal(t, 3, st.RateLimited)
	assert.Equal(t, 0, st.TotalFaults())
	reqs := srv.Requests()
	require.Len(t, reqs, 9)
	assert.Equal(t, http.StatusTooManyRequests, reqs[3].Status)
}

// Every request counts, whatever its route or outcome, except those an
// injected fault answered.
func TestRateLimitCountsAllRoutesButNotFaults(t *testing.T) {
	srv, _ := start(t, polartest.WithRateLimit(2, time.Minute))
	c := newHTTPClient(t)
	srv.Script(polartest.RouteAny, polartest.Status(503), polartest.Status(503))

	assert.Equal(t, http.StatusServiceUnavailable, call(t, c, srv, http.MethodGet, "/nowhere", "", nil).status)
	assert.Equal(t, http.StatusServiceUnavailable, call(t, c, srv, http.MethodGet, "/nowhere", "", nil).status)
	assert.Equal(t, http.StatusNotFound, call(t, c, srv, http.MethodGet, "/nowhere", "", nil).status)
	assert.Equal(t, http.StatusUnauthorized, call(t, c, srv, http.MethodGet, introspectPath, "", nil).status)
	resp := call(t, c, srv, http.MethodGet, introspectPath, "", nil)
	assert.Equal(t, http.StatusTooManyRequests, resp.status)
	assert.Equal(t, "60", resp.header.Get("Retry-After"))
}

// Polar checks the Polar-Version before its rate limit: an unknown version
// is refused without spending the budget, and a 429 carries the version.
func TestRateLimitComesAfterTheVersionCheck(t *testing.T) {
	srv, _ := start(t, polartest.WithRateLimit(1, time.Minute))
	c := newHTTPClient(t)
	unknown := map[string]string{"Polar-Version": "1999-01"}
	for range 3 {
		assert.Equal(t, http.StatusNotFound, call(t, c, srv, http.MethodGet, introspectPath, "", unknown).status)
	}
	assert.Equal(t, http.StatusUnauthorized, call(t, c, srv, http.MethodGet, introspectPath, "", nil).status, "the budget is untouched")
	resp := call(t, c, srv, http.MethodGet, introspectPath, "", map[string]string{"Polar-Version": gen.APIVersion})
	assert.Equal(t, http.StatusTooManyRequests, resp.status)
	assert.Equal(t, gen.APIVersion, resp.header.Get("Polar-Version"))
}
