package polartest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

// t0 is the fake clock's start: whole seconds, so timestamps compare exactly.
var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// start runs a server for the test, under a base path so that nothing in
// these tests can rely on absolute paths, with a clock the test controls.
func start(t *testing.T, opts ...polartest.ServerOption) (*polartest.Server, *polartest.Clock) {
	t.Helper()
	clock := polartest.NewClock(t0)
	opts = append([]polartest.ServerOption{polartest.WithClock(clock.Now), polartest.WithBasePath("/polar")}, opts...)
	srv := polartest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv, clock
}

// newHTTPClient returns a client with a transport of its own, closed with
// the test, so no connection outlives it.
func newHTTPClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request to srv.URL()+path; header values are set as given.
func call(t *testing.T, c *http.Client, srv *polartest.Server, method, path, body string, header map[string]string) response {
	t.Helper()
	resp, err := send(c, srv, method, path, body, header)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func send(c *http.Client, srv *polartest.Server, method, path, body string, header map[string]string) (*http.Response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL()+path, rd)
	if err != nil {
		return nil, err
	}
	for name, value := range header {
		req.Header.Set(name, value)
	}
	return c.Do(req)
}

const (
	createPath     = "/v1/customer-sessions/"
	introspectPath = "/v1/customer-portal/customer-session/introspect"
)

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
}

// create posts a create body with the server's access token.
func create(t *testing.T, c *http.Client, srv *polartest.Server, body string) response {
	t.Helper()
	return call(t, c, srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
}

// genClient is the generated client on srv, with a bearer token.
func genClient(t *testing.T, srv *polartest.Server, token string) *gen.ClientWithResponses {
	t.Helper()
	c, err := gen.NewClientWithResponses(srv.URL(),
		gen.WithHTTPClient(newHTTPClient(t)),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	require.NoError(t, err)
	return c
}

// assertToken checks a token's prefix and shape: Polar's 37 random
// alphanumerics and their 6-character checksum.
func assertToken(t *testing.T, prefix, token string) {
	t.Helper()
	secret, ok := strings.CutPrefix(token, prefix)
	if assert.True(t, ok, "token %q lacks %s", token, prefix) &&
		assert.Regexp(t, `^[A-Za-z0-9]{43}$`, secret) {
		assert.Equal(t, rules.TokenChecksum(secret[:37]), secret[37:], "checksum")
	}
}

// withoutDate is a response's header but the Date net/http adds.
func withoutDate(h http.Header) http.Header {
	h = h.Clone()
	h.Del("Date")
	return h
}

// decodeJSON decodes a body into a generic value for shape checks.
func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", b)
	return v
}

// waitForGoroutines polls until at most want goroutines run, as goroutines
// of closed connections take a moment to notice.
func waitForGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, want at most %d:\n%s", runtime.NumGoroutine(), want, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
