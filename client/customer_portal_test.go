package client_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

func TestIntrospect(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET "+introspectPath, sequence(
		func(w http.ResponseWriter, _ *http.Request) { respond(w, 200, fixtures.CustomerCustomerSession()) },
		func(w http.ResponseWriter, _ *http.Request) {
			respond(w, 200, fixtures.CustomerCustomerSessionNoReturnURL())
		},
	))
	c := newClient(t, ts) // configured with an access token, which must not be sent

	s, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 0, time.UTC), s.ExpiresAt)
	require.NotNil(t, s.ReturnURL)
	assert.Equal(t, "https://example.com/account", *s.ReturnURL)

	s, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), "polar_mst_memberSESSION")
	require.NoError(t, err)
	assert.Nil(t, s.ReturnURL)

	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, introspectPath, reqs[0].Path)
	assert.Empty(t, reqs[0].Body)
	assert.Equal(t, "Bearer "+testSessionToken, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer polar_mst_memberSESSION", reqs[1].Header.Get("Authorization"))
	for _, r := range reqs {
		assert.Equal(t, []string{r.Header.Get("Authorization")}, r.Header.Values("Authorization"), "exactly one Authorization header")
		assert.NotContains(t, r.Header.Get("Authorization"), testAccessToken, "the access token never goes to introspect")
		assert.Equal(t, client.DefaultAPIVersion, r.Header.Get("Polar-Version"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Empty(t, r.Header.Get("Content-Type"))
	}
}

func TestIntrospectPerCallAccessTokenIsIgnored(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET "+introspectPath, func(w http.ResponseWriter, _ *http.Request) {
		respond(w, 200, fixtures.CustomerCustomerSession())
	})
	c := newClient(t, ts)
	_, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken, client.WithAccessToken("polar_oat_percall"))
	require.NoError(t, err)
	assert.Equal(t, "Bearer "+testSessionToken, ts.Requests()[0].Header.Get("Authorization"))
}

func TestIntrospectRefusesBadTokens(t *testing.T) {
	tests := []struct{ name, token, msg string }{
		{"empty", "", "session token: is empty"},
		{"space", "polar_cst_ab cd", "contains whitespace or control characters"},
		{"newline", "polar_cst_abcd\n", "contains whitespace or control characters"},
		{"CRLF injection", "polar_cst_x\r\nX-Admin: 1", "contains whitespace or control characters"},
		{"NUL", "polar_cst_x\x00", "contains whitespace or control characters"},
		{"organization token", "polar_oat_abcd", "is a polar_oat_… token; introspection needs the customer or member session token"},
		{"personal token", "polar_pat_abcd", "is a polar_pat_… token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			c := newClient(t, ts)
			s, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), tt.token)
			assert.Nil(t, s)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			assert.Contains(t, err.Error(), tt.msg)
			assert.NotContains(t, err.Error(), "abcd")
			assert.Empty(t, ts.Requests())
		})
	}
}

func TestIntrospectInvalidToken(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET "+introspectPath, status(401,
		`{"error":"invalid_token","error_description":"The access token provided is expired, revoked, malformed, or invalid for other reasons."}`,
		"WWW-Authenticate", `Bearer realm="polar", error="invalid_token"`))
	c := newClient(t, ts)

	_, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken)
	require.ErrorIs(t, err, client.ErrUnauthorized)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "invalid_token", apiErr.Code)
	assert.Equal(t, "customer_portal:customer-session:introspect", apiErr.Operation)
	assert.Equal(t, `Bearer realm="polar", error="invalid_token"`, apiErr.Header.Get("WWW-Authenticate"))
	assert.Len(t, ts.Requests(), 1, "a 401 is not retried")
}
