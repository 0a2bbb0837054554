package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/internal/fixtures"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultHTTPClientIsTuned(t *testing.T) {
	c, err := New()
	require.NoError(t, err)
	require.NotNil(t, c.owned)
	assert.NotSame(t, http.DefaultClient, c.base.httpClient)
	assert.Same(t, c.owned, c.base.httpClient)

	tr, ok := c.owned.Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultTransport, tr)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64, "Go's default of 2 churns connections under concurrency")
	assert.GreaterOrEqual(t, tr.MaxIdleConns, tr.MaxIdleConnsPerHost)
	assert.Equal(t, tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost, "every connection allowed may idle: none is closed only to be redialled")
	assert.NotZero(t, tr.TLSHandshakeTimeout)
	assert.NotZero(t, tr.ResponseHeaderTimeout)
	assert.NotZero(t, tr.IdleConnTimeout)
	assert.NotNil(t, tr.DialContext)
	assert.NotNil(t, tr.Proxy)

	other, err := New()
	require.NoError(t, err)
	assert.NotSame(t, c.owned.Transport, other.owned.Transport, "no shared package-level transport")
}

func TestCheckRedirect(t *testing.T) {
	mk := func(raw string) *http.Request {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		return &http.Request{URL: u, Header: http.Header{"Authorization": {"Bearer polar_oat_x"}}}
	}
	first := mk("https://api.polar.sh/v1/customer-sessions/")
	tests := []struct {
		to       string
		keepAuth bool
	}{
		{"https://api.polar.sh/v1/customer-sessions", true},
		{"https://evil.api.polar.sh/v1/customer-sessions/", false}, // net/http would keep it for a subdomain
		{"http://api.polar.sh/v1/customer-sessions/", false},       // downgrade
		{"https://api.polar.sh:8443/v1/customer-sessions/", false},
		{"https://example.com/", false},
	}
	for _, tt := range tests {
		next := mk(tt.to)
		require.NoError(t, checkRedirect(next, []*http.Request{first}))
		assert.Equal(t, tt.keepAuth, next.Header.Get("Authorization") != "", tt.to)
	}
	via := make([]*http.Request, 10)
	for i := range via {
		via[i] = first
	}
	assert.EqualError(t, checkRedirect(mk("https://api.polar.sh/"), via), "stopped after 10 redirects")
}

// Polar is reached over TLS, where the transport's tuning meets ALPN: the
// tests below run the client's own transport (NewHTTPClient, as New
// builds it, trusting the test server's certificate and nothing else)
// against TLS servers offering HTTP/2 or only HTTP/1.1.

const tlsTestToken = "polar_oat_TLStestTOKEN0123456789abcdefghijklmnopqrs"

// tlsServer is an httptest TLS server answering Create, which records the
// HTTP version, TLS state and Authorization of every request and counts
// connections.
type tlsServer struct {
	*httptest.Server
	conns atomic.Int64

	mu       sync.Mutex
	protos   map[int]int // requests by ProtoMajor
	noTLS    int
	auth     []string
	inflight int
	peak     int // most requests handled at once
}

// newTLSServer starts a TLS server offering HTTP/2 in ALPN when h2, else
// only HTTP/1.1; its Create handler takes delay and then redirects to
// redirect, when set, or answers a session.
func newTLSServer(t *testing.T, h2 bool, delay time.Duration, redirect string) *tlsServer {
	t.Helper()
	s := &tlsServer{protos: map[int]int{}}
	body := fixtures.CustomerSessionIndividual()
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.protos[r.ProtoMajor]++
		if r.TLS == nil {
			s.noTLS++
		}
		s.auth = append(s.auth, r.Header.Get("Authorization"))
		s.inflight++
		s.peak = max(s.peak, s.inflight)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inflight--
			s.mu.Unlock()
		}()
		time.Sleep(delay)
		if redirect != "" {
			http.Redirect(w, r, redirect, http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(body)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.EnableHTTP2 = h2
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *tlsServer) snapshot() (protos map[int]int, noTLS int, auth []string, peak int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	protos = map[int]int{}
	for k, v := range s.protos {
		protos[k] = v
	}
	return protos, s.noTLS, append([]string(nil), s.auth...), s.peak
}

// tlsClient is a Client on the client's own HTTP client and transport,
// changed only to trust the servers' certificate (httptest's, the same for
// every server).
func tlsClient(t *testing.T, ts *tlsServer) *Client {
	t.Helper()
	hc := NewHTTPClient()
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	cfg := &tls.Config{}
	if tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone() // whatever the transport sets stays
	}
	cfg.RootCAs = roots
	tr.TLSClientConfig = cfg
	c, err := New(WithServerURL(ts.URL), WithAccessToken(tlsTestToken), WithHTTPClient(hc),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	t.Cleanup(tr.CloseIdleConnections)
	return c
}

// createConcurrently makes n Create calls at once and fails t on any error.
func createConcurrently(t *testing.T, c *Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := c.CustomerSessions.Create(context.Background(), CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b"})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
}

// Offered HTTP/2, the client's transport takes it: all concurrent calls
// share one connection.
func TestOwnTransportNegotiatesHTTP2(t *testing.T) {
	ts := newTLSServer(t, true, 20*time.Millisecond, "")
	c := tlsClient(t, ts)
	createConcurrently(t, c, 1) // the connection is up before the burst
	createConcurrently(t, c, 128)

	protos, noTLS, _, peak := ts.snapshot()
	assert.Equal(t, map[int]int{2: 129}, protos, "requests by HTTP major version")
	assert.Zero(t, noTLS)
	assert.Equal(t, int64(1), ts.conns.Load(), "HTTP/2 multiplexes every call on one connection")
	assert.Greater(t, peak, 1, "the calls overlapped")
}

// Offered only HTTP/1.1 over TLS, the client keeps its connection bound:
// 128 concurrent calls open at most maxConnsPerHost connections (Go's
// default transport would open one per call beyond its 2 idle ones).
func TestOwnTransportBoundsHTTP1Connections(t *testing.T) {
	ts := newTLSServer(t, false, 20*time.Millisecond, "")
	c := tlsClient(t, ts)
	createConcurrently(t, c, 128)

	protos, noTLS, _, peak := ts.snapshot()
	assert.Equal(t, map[int]int{1: 128}, protos, "requests by HTTP major version")
	assert.Zero(t, noTLS)
	assert.LessOrEqual(t, ts.conns.Load(), int64(maxConnsPerHost))
	assert.LessOrEqual(t, peak, maxConnsPerHost, "one request per HTTP/1.1 connection")
	assert.Greater(t, peak, 1, "the calls overlapped")

	// The pool keeps the connections it opened: a smaller burst opens
	// none. (Half of them: a connection goes back to the pool just after
	// its call returns, so the last few may not be idle yet.)
	before := ts.conns.Load()
	createConcurrently(t, c, int(before)/2)
	assert.Equal(t, before, ts.conns.Load(), "connections were closed and redialled")
}

// The redirect policy holds over TLS with either protocol: a redirect to
// another origin (here another port) loses the Authorization header.
func TestOwnTransportRedirectsOverTLS(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		name := "HTTP/1.1"
		if h2 {
			name = "HTTP/2"
		}
		t.Run(name, func(t *testing.T) {
			other := newTLSServer(t, h2, 0, "")
			ts := newTLSServer(t, h2, 0, other.URL+"/v1/customer-sessions/")
			c := tlsClient(t, ts)
			_, err := c.CustomerSessions.Create(context.Background(), CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b"})
			require.NoError(t, err)

			major := 1
			if h2 {
				major = 2
			}
			protos, _, auth, _ := ts.snapshot()
			assert.Equal(t, map[int]int{major: 1}, protos)
			assert.Equal(t, []string{"Bearer " + tlsTestToken}, auth, "the first request carries the token")
			protos, _, auth, _ = other.snapshot()
			assert.Equal(t, map[int]int{major: 1}, protos)
			assert.Equal(t, []string{""}, auth, "the token must not follow a redirect off-origin")
		})
	}
}
