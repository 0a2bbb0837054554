package client_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

func TestNewRefusesBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  client.Option
		msg  string
	}{
		{"negative timeout", client.WithTimeout(-time.Second), "WithTimeout: is negative"},
		{"nil http client", client.WithHTTPClient(nil), "WithHTTPClient: is nil"},
		{"typed nil http client", client.WithHTTPClient((*http.Client)(nil)), "WithHTTPClient: is nil"},
		{"transparent decompression", client.WithHeader("Accept-Encoding", "gzip"), "Accept-Encoding is managed by the HTTP transport"},
		{"hop-by-hop header", client.WithHeader("connection", "close"), "Connection is managed by the HTTP transport"},
		{"header name holding a secret", client.WithHeader("Authorization: Bearer polar_oat_abc", ""), "WithHeader: the header name is not a valid HTTP token"},
		{"reserved header", client.WithHeader("authorization", "Bearer x"), "Authorization is set by the client: use WithAccessToken"},
		{"user agent via header", client.WithHeader("User-Agent", "x"), "User-Agent is set by the client: use WithUserAgent"},
		{"version via header", client.WithHeader("polar-version", "2026-10"), "Polar-Version is set by the client: use WithAPIVersion"},
		{"framing via header", client.WithHeader("Content-Type", "text/plain"), "Content-Type is set by the client for its JSON requests"},
		{"bad header name", client.WithHeader("X Bad", "v"), "not a valid HTTP token"},
		{"empty header name", client.WithHeader("", "v"), "not a valid HTTP token"},
		{"header value CRLF", client.WithHeader("X-Trace", "a\r\nInjected: 1"), "control characters"},
		{"empty user agent", client.WithUserAgent(" "), "WithUserAgent"},
		{"user agent newline", client.WithUserAgent("app\n"), "WithUserAgent"},
		{"empty api version", client.WithAPIVersion(""), "WithAPIVersion"},
		{"api version with space", client.WithAPIVersion("2026 04"), "WithAPIVersion"},
		{"api version not YYYY-MM", client.WithAPIVersion("latest"), "must be a Polar API version, YYYY-MM"},
		{"server url", client.WithServerURL("http://api.polar.sh"), "loopback"},
		{"negative retries", client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: -1}), "MaxAttempts is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := client.New(tt.opt)
			assert.Nil(t, c)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			assert.Contains(t, err.Error(), tt.msg)

			// The same option on a call fails the call before sending.
			ts := newTestServer(t)
			good := newClient(t, ts)
			_, err = good.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID}, tt.opt)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			_, err = good.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken, tt.opt)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			assert.Empty(t, ts.Requests())
		})
	}
}

func TestServerURLForms(t *testing.T) {
	for _, suffix := range []string{"", "/", "/v1", "/v1/"} {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, createdOK)
		c := newClient(t, ts, client.WithServerURL(ts.BaseURL()+suffix))
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.NoError(t, err, suffix)
		assert.Equal(t, createPath, ts.Requests()[0].Path, "base URL %q", suffix)
	}
}

func TestPerCallOptionsWinAndDoNotStick(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, createdOK)
	c := newClient(t, ts,
		client.WithHeader("X-Team", "billing"),
		client.WithUserAgent("acme/1.0"),
		client.WithAPIVersion("2026-10"))
	ctx := context.Background()
	req := client.CreateCustomerSessionRequest{CustomerID: testCustomerID}

	_, err := c.CustomerSessions.Create(ctx, req,
		client.WithHeader("X-Team", "support"),
		client.WithHeader("X-Call", "1"),
		client.WithUserAgent("acme-cli/2.0"),
		client.WithAPIVersion("2026-04"))
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(ctx, req)
	require.NoError(t, err)

	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	ua := " polarsessions-go/" + client.Version + " ("
	assert.Equal(t, "support", reqs[0].Header.Get("X-Team"))
	assert.Equal(t, "1", reqs[0].Header.Get("X-Call"))
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "acme-cli/2.0"+ua)
	assert.Equal(t, "2026-04", reqs[0].Header.Get("Polar-Version"))

	assert.Equal(t, "billing", reqs[1].Header.Get("X-Team"))
	assert.Empty(t, reqs[1].Header.Get("X-Call"))
	assert.Contains(t, reqs[1].Header.Get("User-Agent"), "acme/1.0"+ua)
	assert.Equal(t, "2026-10", reqs[1].Header.Get("Polar-Version"))
}

func TestPerCallServerURLAndHTTPClient(t *testing.T) {
	a, b := newTestServer(t), newTestServer(t)
	b.Mux.HandleFunc("POST "+createPath, createdOK)
	c := newClient(t, a)

	doer := &countingDoer{next: http.DefaultTransport}
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID},
		client.WithServerURL(b.BaseURL()), client.WithHTTPClient(doer))
	require.NoError(t, err)
	assert.Empty(t, a.Requests())
	assert.Len(t, b.Requests(), 1)
	assert.Equal(t, int64(1), doer.calls.Load())
}

// A call with its own server URL builds its request with the generated
// builders; a call on the client's URL clones the request the builders made
// in New. Both must put the same bytes on the wire.
func TestPerCallServerURLSendsTheSameRequest(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, createdOK)
	ts.Mux.HandleFunc("GET "+introspectPath, func(w http.ResponseWriter, _ *http.Request) {
		respond(w, 200, fixtures.CustomerCustomerSession())
	})
	c := newClient(t, ts)
	other := client.WithServerURL(strings.Replace(ts.BaseURL(), "127.0.0.1", "localhost", 1))
	req := client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "https://example.com/a"}
	ctx := context.Background()

	for _, opts := range [][]client.Option{nil, {other}} {
		_, err := c.CustomerSessions.Create(ctx, req, opts...)
		require.NoError(t, err)
		_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, testSessionToken, opts...)
		require.NoError(t, err)
	}
	reqs := ts.Requests()
	require.Len(t, reqs, 4)
	for i := range 2 {
		template, built := reqs[i], reqs[i+2]
		assert.Equal(t, template.Path, built.Path)
		assert.Equal(t, template.Method, built.Method)
		assert.Equal(t, string(template.Body), string(built.Body))
		assert.Equal(t, template.Header, built.Header)
	}
}
