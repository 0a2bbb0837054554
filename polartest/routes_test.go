package polartest_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// Starlette's router: 404 for a path of no route, 405 with the route's one
// method for another method (no HEAD for a GET route), 307 to the path
// with its trailing slash toggled when a route has that; the bodies are
// FastAPI's, compact.
func TestUnknownPathsAndMethods(t *testing.T) {
	srv, _ := start(t)
	c := newHTTPClient(t)
	auth := bearer(srv.AccessToken())
	const notFound = `{"detail":"Not Found"}`

	for _, path := range []string{"", "/", "/v1/customer-sessions/abc", "/v1/customers/", "/v1/customer-portal/customer-session",
		"/v1/customer-sessions//", "/v1//customer-sessions/", "/v1/./customer-sessions/", "/V1/customer-sessions/"} {
		resp := call(t, c, srv, http.MethodPost, path, `{}`, auth)
		assert.Equal(t, http.StatusNotFound, resp.status, path)
		assert.Equal(t, notFound, string(resp.body), path)
		assert.Equal(t, http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {strconv.Itoa(len(notFound))},
			"Cache-Control":  {"private, no-store"},
			"Polar-Version":  {gen.APIVersion},
		}, withoutDate(resp.header), path)
	}

	// A client ignoring the base path fails.
	rootURL := strings.TrimSuffix(srv.URL(), "/polar") + createPath
	req, err := http.NewRequest(http.MethodPost, rootURL, strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", auth["Authorization"])
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	const notAllowed = `{"detail":"Method Not Allowed"}`
	for _, tt := range []struct{ method, path, allow string }{
		{http.MethodGet, createPath, "POST"},
		{http.MethodPut, createPath, "POST"},
		{http.MethodOptions, createPath, "POST"},
		{http.MethodPost, introspectPath, "GET"},
		{http.MethodDelete, introspectPath, "GET"},
		{http.MethodHead, introspectPath, "GET"},
	} {
		resp := call(t, c, srv, tt.method, tt.path, "", auth)
		assert.Equal(t, http.StatusMethodNotAllowed, resp.status, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.allow, resp.header.Get("Allow"))
		assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
		assert.Equal(t, "private, no-store", resp.header.Get("Cache-Control"))
		if tt.method != http.MethodHead {
			assert.Equal(t, notAllowed, string(resp.body))
		}
	}
}

// Starlette redirects a path whose trailing slash is missing, or extra,
// to the route's with 307, an absolute Location and an empty body; the
// client follows it with the method and the body.
func TestTrailingSlashRedirects(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.CreateSession(cust.ID, "")
	noFollow := newHTTPClient(t)
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tt := range []struct{ method, path, location, auth string }{
		{http.MethodPost, "/v1/customer-sessions", createPath, srv.AccessToken()},
		{http.MethodPost, "/v1/customer-sessions?a=1&b=|x|", createPath + "?a=1&b=%7Cx%7C", srv.AccessToken()},
		{http.MethodGet, "/v1/customer-sessions", createPath, ""}, // redirected, then 405
		{http.MethodGet, introspectPath + "/", introspectPath, token},
		{http.MethodGet, introspectPath + "///", introspectPath, ""},
	} {
		resp := call(t, noFollow, srv, tt.method, tt.path, "", bearer(tt.auth))
		assert.Equal(t, http.StatusTemporaryRedirect, resp.status, tt.path)
		assert.Empty(t, resp.body)
		assert.Equal(t, http.Header{
			"Location":       {srv.URL() + tt.location},
			"Content-Length": {"0"},
			"Cache-Control":  {"private, no-store"},
			"Polar-Version":  {gen.APIVersion},
		}, withoutDate(resp.header), tt.path)
	}

	// Before the redirect, the auth middleware has refused a bad token.
	assertInvalidToken(t, call(t, noFollow, srv, http.MethodPost, "/v1/customer-sessions", `{}`, bearer("polar_oat_nope")))

	resp := call(t, newHTTPClient(t), srv, http.MethodPost, "/v1/customer-sessions", `{"customer_id":"`+cust.ID+`"}`, bearer(srv.AccessToken()))
	assert.Equal(t, http.StatusCreated, resp.status, "followed with the method and the body")
	resp = call(t, newHTTPClient(t), srv, http.MethodGet, "/v1/customer-sessions", "", bearer(srv.AccessToken()))
	assert.Equal(t, http.StatusMethodNotAllowed, resp.status)
}

func TestURLIncludesBasePath(t *testing.T) {
	for _, tt := range []struct{ prefix, suffix string }{{"/polar", "/polar"}, {"gw/polar/", "/gw/polar"}, {"/", ""}, {"", ""}} {
		srv := polartest.NewServer(polartest.WithBasePath(tt.prefix))
		assert.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"), srv.URL())
		assert.True(t, strings.HasSuffix(srv.URL(), ":"+portOf(srv.URL())+tt.suffix), "prefix %q: %s", tt.prefix, srv.URL())

		cust := srv.AddCustomer(polartest.Customer{})
		resp := create(t, newHTTPClient(t), srv, `{"customer_id":"`+cust.ID+`"}`)
		assert.Equal(t, http.StatusCreated, resp.status, "prefix %q", tt.prefix)
		srv.Close()
	}
}

func portOf(u string) string {
	rest := strings.TrimPrefix(u, "http://127.0.0.1:")
	port, _, _ := strings.Cut(rest, "/")
	return port
}
