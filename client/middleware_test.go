package client_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// recorder is middleware that notes its name for each attempt it sees.
type recorder struct {
	mu  sync.Mutex
	log []string
}

func (r *recorder) mw(name string) client.Middleware {
	return func(req *http.Request, next client.MiddlewareNext) (*http.Response, error) {
		r.mu.Lock()
		r.log = append(r.log, name)
		r.mu.Unlock()
		return next(req)
	}
}

// Client-level middleware runs before call-level, each once per attempt.
func TestMiddlewareOrderAndOncePerAttempt(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	polar.Script(polartest.RouteCreate, polartest.Status(503), polartest.Status(503))
	var rec recorder
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(noWaitPolicy(nil)), client.WithMiddleware(rec.mw("a"), rec.mw("b")))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"},
		client.WithMiddleware(rec.mw("call")))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "call", "a", "b", "call", "a", "b", "call"}, rec.log)
	assert.Len(t, polar.Requests(), 3)

	// The call's middleware did not stick to the client.
	rec.log = nil
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, rec.log)
}

// A middleware may edit the request: the edit reaches the server, and a
// retry starts again from the call's own request.
func TestMiddlewareEditsEachAttempt(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	polar.Script(polartest.RouteCreate, polartest.Status(503))
	n := 0
	stamp := func(req *http.Request, next client.MiddlewareNext) (*http.Response, error) {
		n++
		assert.Empty(t, req.Header.Get("X-Attempt"), "each attempt starts from the call's request")
		req.Header.Set("X-Attempt", strings.Repeat("i", n))
		return next(req)
	}
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(noWaitPolicy(nil)), client.WithMiddleware(stamp))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
	require.NoError(t, err)
	reqs := polar.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "i", reqs[0].Header.Get("X-Attempt"))
	assert.Equal(t, "ii", reqs[1].Header.Get("X-Attempt"))
}

// A middleware that answers itself short-circuits the server; what it
// answers is classified, retried and decoded like a server's answer.
func TestMiddlewareShortCircuits(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	answers := []func() *http.Response{
		func() *http.Response { return canned(http.StatusServiceUnavailable, "") },
		func() *http.Response { return canned(http.StatusCreated, string(fixtures.CustomerSessionIndividual())) },
	}
	calls := 0
	fake := func(req *http.Request, _ client.MiddlewareNext) (*http.Response, error) {
		resp := answers[min(calls, len(answers)-1)]()
		calls++
		resp.Request = req
		return resp, nil
	}
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(noWaitPolicy(nil)), client.WithMiddleware(fake))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	assert.Equal(t, fixtureToken, sess.Token.Reveal())
	assert.Equal(t, 2, calls, "the canned 503 was retried")
	assert.Empty(t, polar.Requests(), "nothing reached the server")

	// A canned answer over the read limit is refused like a server's.
	big := func(*http.Request, client.MiddlewareNext) (*http.Response, error) {
		return canned(http.StatusCreated, strings.Repeat(" ", 5<<20)), nil
	}
	c2, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()), client.WithMiddleware(big))
	require.NoError(t, err)
	_, err = c2.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.ErrorIs(t, err, client.ErrResponseTooLarge)
}

func canned(status int, body string) *http.Response {
	return &http.Response{
		StatusCode:    status,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
	}
}

// Middleware set on the client's own HTTP client keeps its redirect
// policy: the token does not follow a redirect to another origin.
func TestMiddlewareKeepsTheRedirectPolicy(t *testing.T) {
	ts, other := redirectingServers(t)
	var rec recorder
	c := newClient(t, ts, client.WithMiddleware(rec.mw("trace")))
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	reqs := other.Requests()
	require.Len(t, reqs, 1)
	assert.Empty(t, reqs[0].Header.Get("Authorization"), "the token must not follow a redirect off-origin")
	assert.Equal(t, []string{"trace"}, rec.log, "the redirect is inside one attempt")
}
