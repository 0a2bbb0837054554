package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test tokens. They look real so the kind checks pass, and are distinctive
// so a test can search any output for them.
const (
	testAccessToken  = "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"
	testSessionToken = "polar_cst_TESTsessionTOKEN0123456789abcdefghijklmn"
	testCustomerID   = "992fae2a-2a17-4b7a-8d9e-e287cf90131b"
	testMemberID     = "3f2e1d0c-9b8a-4765-8432-10fedcba9876"

	// prefix mounts the fake API below a path, as a gateway would, so a
	// request built with a hard-coded absolute path misses it.
	prefix         = "/polar-gateway"
	createPath     = prefix + "/v1/customer-sessions/"
	introspectPath = prefix + "/v1/customer-portal/customer-session/introspect"
)

// recorded is a request as the test server saw it.
type recorded struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// testServer is an httptest server under prefix that records requests and
// counts connections. Handlers are registered on Mux; any other request
// fails the test.
type testServer struct {
	*httptest.Server
	Mux *http.ServeMux

	mu       sync.Mutex
	requests []recorded
	conns    atomic.Int64
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{Mux: http.NewServeMux()}
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
	})
	ts.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading request body: %v", err)
		}
		ts.mu.Lock()
		ts.requests = append(ts.requests, recorded{r.Method, r.URL.Path, r.Header.Clone(), body})
		ts.mu.Unlock()
		ts.Mux.ServeHTTP(w, r)
	}))
	ts.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			ts.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// Requests returns what the server received so far.
func (ts *testServer) Requests() []recorded {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]recorded(nil), ts.requests...)
}

// BaseURL is the server's URL with the gateway prefix.
func (ts *testServer) BaseURL() string { return ts.URL + prefix }

// Conns is how many TCP connections the server accepted.
func (ts *testServer) Conns() int64 { return ts.conns.Load() }

// newClient returns a client for ts with an access token and retries that
// do not wait, plus any extra options.
func newClient(t *testing.T, ts *testServer, opts ...client.Option) *client.Client {
	t.Helper()
	base := []client.Option{
		client.WithServerURL(ts.BaseURL()),
		client.WithAccessToken(testAccessToken),
		client.WithRetryPolicy(noWaitPolicy(nil)),
	}
	c, err := client.New(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// noWaitPolicy is the default policy with waits recorded into waits (when
// non-nil) instead of spent, so tests see what the client would wait.
func noWaitPolicy(waits *[]time.Duration) client.RetryPolicy {
	var mu sync.Mutex
	p := client.DefaultRetryPolicy()
	p.Rand = func() float64 { return 0 }
	p.Wait = func(ctx context.Context, d time.Duration) error {
		if waits != nil {
			mu.Lock()
			*waits = append(*waits, d)
			mu.Unlock()
		}
		return ctx.Err()
	}
	return p
}

// respond writes a JSON response.
func respond(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// sequence answers the n-th request (from 0) with handlers[n], and the last
// handler for every request after.
func sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1)-1), len(handlers)-1)
		handlers[i](w, r)
	}
}

// status answers with a status and body.
func status(code int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// reset closes the connection with TCP RST instead of answering.
func reset(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// Version is the newest release in CHANGELOG.md: bumping one without the
// other fails here.
func TestVersionMatchesChangelog(t *testing.T) {
	changelog, err := os.ReadFile("../CHANGELOG.md")
	require.NoError(t, err)
	newest := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$`).FindSubmatch(changelog)
	require.NotNil(t, newest, "CHANGELOG.md has no release heading such as \"## [1.2.3] - 2026-11-22\"")
	require.Equal(t, string(newest[1]), client.Version)
}

// Fuzz targets. Their seeds run with every `go test`; `make fuzz` mutates
// them for a while (see the README). Seed corpora live in testdata/fuzz.

// fuzzSecret is planted in fuzzed response bodies: no error string may show it.
const fuzzSecret = "polar_cst_FUZZsecretTOKEN42"

// cannedDoer answers every request with one canned response, without a network.
type cannedDoer struct {
	status int
	header http.Header
	body   []byte
}

func (d cannedDoer) Do(*http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    d.status,
		Header:        d.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(d.body)),
		ContentLength: -1,
	}, nil
}

func fuzzClient(t *testing.T, d cannedDoer) *client.Client {
	c, err := client.New(client.WithHTTPClient(d), client.WithAccessToken("polar_oat_fuzz"),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkOutcome holds for every call: a result or an error, never both or
// neither; errors are typed; no error string shows the planted secret.
func checkOutcome[T any](t *testing.T, v *T, err error) {
	t.Helper()
	if (v == nil) == (err == nil) {
		t.Fatalf("want exactly one of result and error, got %v and %v", v, err)
	}
	if err == nil {
		return
	}
	var apiErr *client.APIError
	var tErr *client.TransportError
	if !errors.As(err, &apiErr) && !errors.As(err, &tErr) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if strings.Contains(err.Error(), fuzzSecret) {
		t.Fatalf("error string shows the secret: %q", err.Error())
	}
}

// A Client or service struct not made by New answers with an error, not a
// panic.
func TestZeroClientAndServices(t *testing.T) {
	ctx := context.Background()
	req := client.CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b"}
	assert.NotPanics(t, func() {
		_, err := (&client.Client{}).CustomerSessions.Create(ctx, req)
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		_, err = (&client.CustomerSessions{}).Create(ctx, req)
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		_, err = (&client.CustomerPortalCustomerSession{}).Introspect(ctx, "polar_cst_x")
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		assert.EqualError(t, err, "polar: invalid request: client: not created with New")
		var zero client.Client
		_, err = zero.CustomerPortal.CustomerSession.Introspect(ctx, "polar_cst_x")
		assert.ErrorIs(t, err, client.ErrInvalidRequest, "a zero Client's services refuse, through a zero CustomerPortal too")
		(*client.Client)(nil).CloseIdleConnections()
		(&client.Client{}).CloseIdleConnections()
	})
}
