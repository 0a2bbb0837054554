package portal_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
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

// A session whose portal URL is no absolute https URL (a javascript: link a
// compromised or misconfigured server sent) is not handed out: 502, no
// Location.
func TestNonHTTPSPortalURLIsRefused(t *testing.T) {
	for _, bad := range []string{"javascript:alert(document.cookie)", "http://polar.sh/acme/portal", "/acme/portal", "https://"} {
		doer := doerFunc(func(r *http.Request) (*http.Response, error) {
			body := strings.Replace(string(fixtures.CustomerSessionIndividual()),
				`"customer_portal_url": "https://polar.sh/acme/portal?customer_session_token=polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW&email=jane%40example.com"`,
				`"customer_portal_url": "`+bad+`"`, 1)
			require.NotEqual(t, string(fixtures.CustomerSessionIndividual()), body, "the fixture's portal URL was replaced")
			return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})
		c, err := client.New(client.WithAccessToken("polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"), client.WithHTTPClient(doer))
		require.NoError(t, err)
		h, err := portal.New(portal.Config{Client: c, Customer: func(*http.Request) (client.CreateCustomerSessionRequest, error) {
			return client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}, nil
		}})
		require.NoError(t, err)
		rec := serve(h)
		assert.Equal(t, http.StatusBadGateway, rec.Code, bad)
		assert.Empty(t, rec.Header().Get("Location"), bad)
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }
