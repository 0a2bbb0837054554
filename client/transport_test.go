package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingDoer counts requests and response bodies left open.
type countingDoer struct {
	next  http.RoundTripper
	calls atomic.Int64
	open  atomic.Int64
}

func (d *countingDoer) Do(req *http.Request) (*http.Response, error) {
	d.calls.Add(1)
	resp, err := d.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	d.open.Add(1)
	resp.Body = &closeCounter{ReadCloser: resp.Body, open: &d.open}
	return resp, nil
}

type closeCounter struct {
	io.ReadCloser
	open   *atomic.Int64
	closed atomic.Bool
}

func (c *closeCounter) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.open.Add(-1)
	}
	return c.ReadCloser.Close()
}

func TestCallerHTTPClientIsNotMutated(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(503, ""), createdOK))
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	hc := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	before := *hc
	trBefore := tr.MaxIdleConnsPerHost

	c := newClient(t, ts, client.WithHTTPClient(hc))
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	c.CloseIdleConnections()

	assert.Same(t, before.Transport, hc.Transport)
	assert.Equal(t, before.Timeout, hc.Timeout)
	assert.Nil(t, hc.CheckRedirect)
	assert.Nil(t, hc.Jar)
	assert.Equal(t, trBefore, tr.MaxIdleConnsPerHost)
	tr.CloseIdleConnections()
}

// Every response body is closed, on success, error and retry paths.
func TestResponseBodiesAreClosed(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(
		status(503, `{"detail":"x"}`), createdOK, // retry, then success
		status(401, `{"error":"Unauthorized"}`), // error
		status(201, `{"id":`),                   // undecodable success
		status(429, "", "Retry-After", "60"),    // refused wait
	))
	doer := &countingDoer{next: http.DefaultTransport}
	c := newClient(t, ts, client.WithHTTPClient(doer))
	for range 4 {
		_, _ = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	}
	assert.Equal(t, int64(5), doer.calls.Load())
	assert.Equal(t, int64(0), doer.open.Load(), "bodies left open")
}

// The same under polartest's random faults: resets, truncated and malformed
// bodies, 5xx, 429s and abandoned slow attempts all close their bodies.
func TestResponseBodiesAreClosedUnderFaults(t *testing.T) {
	polar := polartest.NewServer(polartest.WithRandomFaults(polartest.RandomFaults{Seed: 7, Rate: 0.5, SlowDelay: time.Second}))
	defer polar.Close()
	cust := polar.AddCustomer(polartest.Customer{})
	token := polar.CreateSession(cust.ID, "")
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	doer := &countingDoer{next: tr}
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()), client.WithHTTPClient(doer),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 3, InitialInterval: time.Millisecond, MaxInterval: time.Second,
			AttemptTimeout: 50 * time.Millisecond, Wait: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}))
	require.NoError(t, err)
	for i := range 200 {
		if i%2 == 0 {
			_, _ = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
		} else {
			_, _ = c.CustomerPortal.CustomerSession.Introspect(context.Background(), token)
		}
	}
	require.Greater(t, polar.Stats().TotalFaults(), 50)
	assert.Equal(t, int64(0), doer.open.Load(), "bodies left open")
}

// A custom HTTPDoer that returns a response without a body does not crash
// the client.
func TestNilResponseBody(t *testing.T) {
	c, err := client.New(client.WithAccessToken(testAccessToken), client.WithHTTPClient(doerFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Header: http.Header{}}, nil
	})), client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.ErrorIs(t, err, client.ErrServer)
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// redirectingServers are a server whose create redirects (307) to the
// other's, on another port of the same host.
func redirectingServers(t *testing.T) (ts, other *testServer) {
	other = newTestServer(t)
	other.Mux.HandleFunc("POST "+createPath, createdOK)
	ts = newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.BaseURL()+"/v1/customer-sessions/", http.StatusTemporaryRedirect)
	})
	return ts, other
}

func TestRedirects(t *testing.T) {
	t.Run("to another port drops Authorization", func(t *testing.T) {
		ts, other := redirectingServers(t)
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.NoError(t, err)
		reqs := other.Requests()
		require.NotEmpty(t, reqs)
		last := reqs[len(reqs)-1]
		assert.Empty(t, last.Header.Get("Authorization"), "the token must not follow a redirect off-origin")
		assert.Equal(t, `{"customer_id":"`+testCustomerID+`"}`, string(last.Body), "a 307 replays the body")
	})

	t.Run("on the same origin keeps it", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/moved/", http.StatusTemporaryRedirect)
		})
		ts.Mux.HandleFunc("POST /moved/", createdOK)
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.NoError(t, err)
		reqs := ts.Requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, "/moved/", reqs[1].Path)
		assert.Equal(t, "Bearer "+testAccessToken, reqs[1].Header.Get("Authorization"))
	})

	t.Run("a loop ends with an error", func(t *testing.T) {
		loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
		}))
		defer loop.Close()
		c, err := client.New(client.WithServerURL(loop.URL), client.WithAccessToken(testAccessToken))
		require.NoError(t, err)
		defer c.CloseIdleConnections()
		_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		var tErr *client.TransportError
		require.ErrorAs(t, err, &tErr)
		assert.Contains(t, err.Error(), "stopped after 10 redirects")
		assert.Equal(t, 1, tErr.Attempts, "a redirect loop is not retried")
	})
}

// A client given NewHTTPClient() (wrapped, as a user would wrap it for
// tracing) behaves as one with its own: the redirect policy drops the
// token off-origin, and 100 concurrent calls use at most 64 connections.
func TestNewHTTPClientBehavesAsTheDefault(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func() []client.Option
	}{
		{"default", func() []client.Option { return nil }},
		{"NewHTTPClient wrapped", func() []client.Option {
			hc := client.NewHTTPClient()
			hc.Transport = roundTripFunc(hc.Transport.RoundTrip) // a user's tracing wrapper
			return []client.Option{client.WithHTTPClient(hc)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := newTestServer(t)
			other.Mux.HandleFunc("POST "+createPath, createdOK)
			ts := newTestServer(t)
			ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.BaseURL()+"/v1/customer-sessions/", http.StatusTemporaryRedirect)
			})
			c := newClient(t, ts, tc.opts()...)
			_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
			require.NoError(t, err)
			require.Len(t, other.Requests(), 1)
			assert.Empty(t, other.Requests()[0].Header.Get("Authorization"))

			polar := polartest.NewServer()
			defer polar.Close()
			polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
			polar.Script(polartest.RouteAny, repeat(polartest.Delay(50*time.Millisecond), 100)...)
			c2, err := client.New(append([]client.Option{client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken())},
				tc.opts()...)...)
			require.NoError(t, err)
			defer c2.CloseIdleConnections()
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {
					_, err := c2.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
					assert.NoError(t, err)
				})
			}
			wg.Wait()
			assert.LessOrEqual(t, polar.Stats().Connections, 64)
			assert.Greater(t, polar.Stats().Connections, 2, "more than Go's default of 2 idle connections")
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func repeat(f polartest.Fault, n int) []polartest.Fault {
	out := make([]polartest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// A 101 Switching Protocols (any 1xx net/http hands over as final) is no
// answer: the attempt ends at once, not when the upgraded connection,
// which net/http reads without the context, closes.
func TestInformationalAnswerEndsTheCall(t *testing.T) {
	ts := newTestServer(t)
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) })
	ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, _ *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: polar\r\nConnection: Upgrade\r\n\r\n")
		_ = rw.Flush()
		<-hold // the upgraded connection stays open
	})
	c := newClient(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	_, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusSwitchingProtocols, apiErr.StatusCode)
	assert.NoError(t, ctx.Err(), "the call ended by itself, not at its deadline")
	assert.Len(t, ts.Requests(), 1, "not retried")
}

// A body that does not heed the context (a custom doer's) is closed when
// the attempt times out, so the read ends with it.
func TestBodyIgnoringTheContextEndsWithTheAttempt(t *testing.T) {
	doer := doerFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{}, Body: newStuckBody()}, nil
	})
	c, err := client.New(client.WithAccessToken(testAccessToken), client.WithHTTPClient(doer),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1, AttemptTimeout: 20 * time.Millisecond}))
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		done <- err
	}()
	select {
	case err := <-done:
		var tErr *client.TransportError
		require.ErrorAs(t, err, &tErr)
		assert.Equal(t, "timeout", tErr.Class)
	case <-time.After(10 * time.Second):
		t.Fatal("the call outlived its attempt's timeout")
	}
}

// stuckBody blocks every Read until it is closed.
type stuckBody struct {
	closed chan struct{}
	once   sync.Once
}

func newStuckBody() *stuckBody { return &stuckBody{closed: make(chan struct{})} }

func (b *stuckBody) Read([]byte) (int, error) {
	<-b.closed
	return 0, errors.New("read on closed body")
}

func (b *stuckBody) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// A caller's *http.Client without a redirect policy is used through a copy
// with the client's: the token does not follow a redirect to another port
// of the same host, which net/http's own policy allows.
func TestCallersHTTPClientDropsAuthorizationOffOrigin(t *testing.T) {
	ts, other := redirectingServers(t)
	hc := &http.Client{}
	c := newClient(t, ts, client.WithHTTPClient(hc))
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	reqs := other.Requests()
	require.NotEmpty(t, reqs)
	assert.Empty(t, reqs[len(reqs)-1].Header.Get("Authorization"), "the token followed a redirect to another port")
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
	hc.CloseIdleConnections()
}

// A body whose Close panics, closed when its attempt times out (on a
// goroutine of its own), neither ends the process nor shows the panic's
// secret: the call ends with a typed, redacted error.
func TestPanickingBodyCloseIsContained(t *testing.T) {
	doer := doerFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{}, Body: panicCloseBody{newStuckBody()}}, nil
	})
	c, err := client.New(client.WithAccessToken(testAccessToken), client.WithHTTPClient(doer),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1, AttemptTimeout: 20 * time.Millisecond}))
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	var tErr *client.TransportError
	require.ErrorAs(t, err, &tErr)
	assertNoSecret(t, printedError(err))
}

// panicCloseBody is a stuckBody whose Close, once it has unblocked Read,
// panics with a secret.
type panicCloseBody struct{ *stuckBody }

func (b panicCloseBody) Close() error {
	_ = b.stuckBody.Close()
	panic("closing " + testAccessToken)
}
