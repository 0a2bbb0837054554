package polartest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

// invalidTokenBody is authlib's body for InvalidTokenError, as Python's
// json.dumps writes it.
const invalidTokenBody = `{"error": "invalid_token", "error_description": "The access token provided is expired, revoked, malformed, or invalid for other reasons."}`

const invalidTokenChallenge = `Bearer realm="polar", error="invalid_token", error_description="The access token provided is expired, revoked, malformed, or invalid for other reasons."`

// assertInvalidToken checks Polar's auth middleware's 401 invalid_token:
// authlib's body and headers, with none of the headers the layers inside
// the middleware add (Cache-Control: private, no-store among them).
func assertInvalidToken(t *testing.T, resp response) {
	t.Helper()
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, invalidTokenBody, string(resp.body))
	assert.Equal(t, http.Header{
		"Cache-Control":    {"no-store"},
		"Pragma":           {"no-cache"},
		"Www-Authenticate": {invalidTokenChallenge},
		"Content-Type":     {"application/json"},
		"Content-Length":   {strconv.Itoa(len(invalidTokenBody))},
		"Polar-Version":    {gen.APIVersion},
	}, withoutDate(resp.header))
}

func TestIntrospectLiveSession(t *testing.T) {
	srv, clock := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.CreateSession(cust.ID, "https://example.com/back")
	assertToken(t, rules.PrefixMemberSession, token)

	clock.Advance(59 * time.Minute)
	resp, err := genClient(t, srv, token).CustomerPortalCustomerSessionIntrospectWithResponse(context.Background())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), "body: %s", resp.Body)
	assert.Equal(t, "application/json", resp.HTTPResponse.Header.Get("Content-Type"))
	require.NotNil(t, resp.JSON200)
	assert.Equal(t, t0.Add(time.Hour), resp.JSON200.ExpiresAt)
	assert.Equal(t, ptr("https://example.com/back"), resp.JSON200.ReturnURL)
}

func TestIntrospectSessionFromCreate(t *testing.T) {
	srv, _ := start(t)
	srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c := newHTTPClient(t)
	created := decodeJSON(t, create(t, c, srv, `{"external_customer_id":"usr_1"}`).body)

	resp := call(t, c, srv, http.MethodGet, introspectPath, "", bearer(created["token"].(string)))
	require.Equal(t, http.StatusOK, resp.status)
	assertMatchesSpec(t, http.MethodGet, introspectPath, http.StatusOK, resp.body)
	body := decodeJSON(t, resp.body)
	assert.Equal(t, "2026-11-21T11:00:00Z", body["expires_at"])
	assert.Contains(t, body, "return_url")
	assert.Nil(t, body["return_url"])
}

func TestIntrospectRefusals(t *testing.T) {
	srv, clock := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	expired := srv.CreateSession(cust.ID, "")
	clock.Advance(time.Hour) // expires_at is reached: expired
	live := srv.CreateSession(cust.ID, "")
	c := newHTTPClient(t)

	tests := []struct {
		name          string
		header        map[string]string
		wantBody      string
		wantChallenge string
	}{
		{"expired", bearer(expired), invalidTokenBody, invalidTokenChallenge},
		{"unknown", bearer("polar_cst_" + live[10:20]), invalidTokenBody, invalidTokenChallenge},
		{"organization token", bearer(srv.AccessToken()), `{"error":"Unauthorized","detail":"Unauthorized"}`, `Bearer realm="polar"`},
		{"no authorization", nil, `{"error":"Unauthorized","detail":"Unauthorized"}`, `Bearer realm="polar"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := call(t, c, srv, http.MethodGet, introspectPath, "", tt.header)
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.Equal(t, tt.wantChallenge, resp.header.Get("WWW-Authenticate"))
			assert.Equal(t, tt.wantBody, string(resp.body))
		})
	}

	resp := call(t, c, srv, http.MethodGet, introspectPath, "", bearer(live))
	assert.Equal(t, http.StatusOK, resp.status)
}

func TestCreateSessionPanicsOnUnknownCustomer(t *testing.T) {
	srv, _ := start(t)
	assert.Panics(t, func() { srv.CreateSession("3f2e1d0c-9b8a-4765-8432-10fedcba9876", "") })
}
