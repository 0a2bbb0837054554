package polartest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestPolarVersion(t *testing.T) {
	srv, _ := start(t, polartest.WithAPIVersions("2099-10"))
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.CreateSession(cust.ID, "")
	c := newHTTPClient(t)

	for _, tt := range []struct{ sent, echoed string }{{"", gen.APIVersion}, {gen.APIVersion, gen.APIVersion}, {"2099-10", "2099-10"}} {
		header := bearer(token)
		if tt.sent != "" {
			header["Polar-Version"] = tt.sent
		}
		resp := call(t, c, srv, http.MethodGet, introspectPath, "", header)
		assert.Equal(t, http.StatusOK, resp.status, "version %q", tt.sent)
		assert.Equal(t, tt.echoed, resp.header.Get("Polar-Version"), "version %q", tt.sent)

		header["Authorization"] = "Bearer " + srv.AccessToken()
		resp = call(t, c, srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, header)
		assert.Equal(t, http.StatusCreated, resp.status, "version %q", tt.sent)
		assert.Equal(t, tt.echoed, resp.header.Get("Polar-Version"), "version %q", tt.sent)

		header["Authorization"] = "Bearer polar_oat_unknown"
		resp = call(t, c, srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, header)
		assert.Equal(t, http.StatusUnauthorized, resp.status, "version %q", tt.sent)
		assert.Equal(t, tt.echoed, resp.header.Get("Polar-Version"), "errors echo it too")
	}

	for _, version := range []string{"2025-01", "latest", "2026-4", "2099-11"} {
		header := bearer(token)
		header["Polar-Version"] = version
		resp := call(t, c, srv, http.MethodGet, introspectPath, "", header)
		assert.Equal(t, http.StatusNotFound, resp.status, "version %q", version)
		assert.JSONEq(t, `{"detail":"Not Found"}`, string(resp.body))
		assert.Empty(t, resp.header.Get("Polar-Version"))
	}
	assert.Panics(t, func() { polartest.WithAPIVersions("2026-4") })
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv, _ := start(t)
	c := newHTTPClient(t)
	auth := bearer(srv.AccessToken())

	for _, path := range []string{"", "/", "/v1/customer-sessions/abc", "/v1/customers/", "/v1/customer-portal/customer-session"} {
		resp := call(t, c, srv, http.MethodPost, path, `{}`, auth)
		assert.Equal(t, http.StatusNotFound, resp.status, path)
		assert.Equal(t, "application/json", resp.header.Get("Content-Type"), path)
		assert.JSONEq(t, `{"detail":"Not Found"}`, string(resp.body), path)
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

	// Like Starlette, the router redirects a missing trailing slash with 307,
	// which keeps the method and body.
	noFollow := newHTTPClient(t)
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	redirect := call(t, noFollow, srv, http.MethodPost, "/v1/customer-sessions", `{}`, auth)
	assert.Equal(t, http.StatusTemporaryRedirect, redirect.status)
	assert.Equal(t, "/polar/v1/customer-sessions/", redirect.header.Get("Location"))

	for _, tt := range []struct{ method, path, allow string }{
		{http.MethodGet, createPath, "POST"},
		{http.MethodPut, createPath, "POST"},
		{http.MethodPost, introspectPath, "GET"},
		{http.MethodDelete, introspectPath, "GET"},
	} {
		resp := call(t, c, srv, tt.method, tt.path, "", auth)
		assert.Equal(t, http.StatusMethodNotAllowed, resp.status, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.allow, resp.header.Get("Allow"))
		assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
		assert.JSONEq(t, `{"detail":"Method Not Allowed"}`, string(resp.body))
	}
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
