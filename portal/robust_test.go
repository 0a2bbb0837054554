package portal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// serve answers one GET to h and returns the recorded answer.
func serve(h http.Handler) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/billing", nil))
	return rec
}

func TestZeroHandlerAnswers500(t *testing.T) {
	for _, h := range []*portal.Handler{nil, {}} {
		var rec *httptest.ResponseRecorder
		assert.NotPanics(t, func() { rec = serve(h) })
		assert.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	}
}

// A panicking Customer or Now gets an answer with the security headers,
// and leaves the handler working for the next visit.
func TestPanicsAreAnswered(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	var panicky atomic.Bool
	panicky.Store(true)
	now := func() time.Time {
		if panicky.Load() {
			panic("clock unavailable")
		}
		return time.Now()
	}
	customer := func(*http.Request) (client.CreateCustomerSessionRequest, error) {
		return client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}, nil
	}
	h, err := portal.New(portal.Config{Client: c, Customer: customer, Reuse: time.Minute, Now: now})
	require.NoError(t, err)

	rec := serve(h)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
	panicky.Store(false)
	assert.Equal(t, http.StatusSeeOther, serve(h).Code, "the handler still works: no lock was left held")

	// A clock that panics inside the shared create's goroutine does not
	// end the process: the visit gets a 502, the next one works.
	var calls atomic.Int64
	h, err = portal.New(portal.Config{Client: c, Customer: customer, Reuse: time.Minute, Now: func() time.Time {
		if calls.Add(1) == 2 { // the first call is the lookup, the second the create's start
			panic("clock unavailable")
		}
		return time.Now()
	}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, serve(h).Code)
	assert.Equal(t, http.StatusSeeOther, serve(h).Code)

	h, err = portal.New(portal.Config{Client: c, Customer: func(*http.Request) (client.CreateCustomerSessionRequest, error) {
		panic("no session store")
	}})
	require.NoError(t, err)
	rec = serve(h)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
}

// The application's own rate limiter refusing is not Polar failing: 503.
func TestLocalRateLimiterIs503(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRateLimiter(refuse{}))
	require.NoError(t, err)
	h, err := portal.New(portal.Config{Client: c, Customer: func(*http.Request) (client.CreateCustomerSessionRequest, error) {
		return client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}, nil
	}})
	require.NoError(t, err)
	rec := serve(h)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Empty(t, rec.Header().Get("Retry-After"))
	assert.Empty(t, polar.Requests())
}

type refuse struct{}

func (refuse) Wait(context.Context) error { return context.DeadlineExceeded }
