package polartest_test

import (
	"bufio"
	"cmp"
	"context"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

func TestPolarVersion(t *testing.T) {
	served := polartest.APIVersions()
	assert.Subset(t, served, append(rules.APIVersions(), gen.APIVersion), "Polar's versions and the spec's")
	assert.True(t, slices.IsSorted(served) && len(slices.Compact(slices.Clone(served))) == len(served), "%v", served)
	for _, tt := range []struct {
		name            string
		opts            []polartest.ServerOption
		served, refused []string
	}{
		{"default", nil, append([]string{""}, served...), []string{"2025-01", "2099-07", "latest", "2026-4"}},
		{"WithAPIVersions is the whole set", []polartest.ServerOption{polartest.WithAPIVersions("2099-10")},
			[]string{"", gen.APIVersion, "2099-10"}, []string{"2025-10", "2099-11"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := start(t, tt.opts...)
			cust := srv.AddCustomer(polartest.Customer{})
			token := srv.CreateSession(cust.ID, "")
			c := newHTTPClient(t)
			for _, sent := range tt.served {
				echoed := cmp.Or(sent, gen.APIVersion)
				header := bearer(token)
				if sent != "" {
					header["Polar-Version"] = sent
				}
				resp := call(t, c, srv, http.MethodGet, introspectPath, "", header)
				assert.Equal(t, http.StatusOK, resp.status, "version %q", sent)
				assert.Equal(t, echoed, resp.header.Get("Polar-Version"), "version %q", sent)

				header["Authorization"] = "Bearer " + srv.AccessToken()
				resp = call(t, c, srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, header)
				assert.Equal(t, http.StatusCreated, resp.status, "version %q", sent)
				assert.Equal(t, echoed, resp.header.Get("Polar-Version"), "version %q", sent)

				header["Authorization"] = "Bearer polar_oat_unknown"
				resp = call(t, c, srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, header)
				assert.Equal(t, http.StatusUnauthorized, resp.status, "version %q", sent)
				assert.Equal(t, echoed, resp.header.Get("Polar-Version"), "errors echo it too")
			}
			for _, version := range tt.refused {
				header := bearer(token)
				header["Polar-Version"] = version
				resp := call(t, c, srv, http.MethodGet, introspectPath, "", header)
				assert.Equal(t, http.StatusNotFound, resp.status, "version %q", version)
				assert.JSONEq(t, `{"detail":"Not Found"}`, string(resp.body))
				assert.Empty(t, resp.header.Get("Polar-Version"))
			}
		})
	}
	assert.Panics(t, func() { polartest.WithAPIVersions("2026-4") })
}

// Polar's MaxBodySizeMiddleware reads the Content-Length header only, and
// answers with Python's json.dumps before routing, rate limiting and the
// token check, so with only the Polar-Version of the layer outside it.
func TestBodySizeLimits(t *testing.T) {
	srv, _ := start(t, polartest.WithRateLimit(1, time.Hour))
	c := newHTTPClient(t)
	const lengthRequired = `{"error": "LengthRequired", "detail": "A Content-Length header is required."}`
	const tooLarge = `{"error": "RequestBodyTooLarge", "detail": "Request body exceeded the maximum allowed size of 10485760 bytes."}`
	refused := func(t *testing.T, resp response, status int, body string) {
		t.Helper()
		assert.Equal(t, status, resp.status)
		assert.Equal(t, body, string(resp.body))
		assert.Equal(t, http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {strconv.Itoa(len(body))},
			"Polar-Version":  {gen.APIVersion},
		}, withoutDate(resp.header))
	}

	// Chunked requests carry no Content-Length; the path, the token and
	// the old API root make no difference.
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch} {
		for _, path := range []string{createPath, "/nowhere", "/api" + createPath} {
			req, err := http.NewRequest(method, srv.URL()+path, io.MultiReader(strings.NewReader(`{}`)))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer polar_oat_unknown")
			refused(t, do(t, c, req), http.StatusLengthRequired, lengthRequired)
		}
	}

	// Nor does a request that sends no framing at all.
	conn, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(srv.URL(), "/polar"), "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /polar"+createPath+" HTTP/1.1\r\nHost: polar\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	raw, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	body, err := io.ReadAll(raw.Body)
	require.NoError(t, err)
	raw.Header.Del("Connection")
	refused(t, response{raw.StatusCode, raw.Header, body}, http.StatusLengthRequired, lengthRequired)

	big := strings.Repeat("a", 10<<20)
	refused(t, call(t, c, srv, http.MethodPost, createPath, big+"a", bearer(srv.AccessToken())), http.StatusRequestEntityTooLarge, tooLarge)
	refused(t, call(t, c, srv, http.MethodGet, "/nowhere", big+"a", nil), http.StatusRequestEntityTooLarge, tooLarge)

	assert.Zero(t, srv.Stats().RateLimited, "refused before the rate limit")
	assert.Equal(t, http.StatusUnauthorized, call(t, c, srv, http.MethodGet, introspectPath, "", nil).status,
		"the rate limit's budget is untouched, and a GET needs no Content-Length")

	// The limit itself is allowed.
	srv2, _ := start(t)
	cust := srv2.AddCustomer(polartest.Customer{})
	prefix := `{"customer_id":"` + cust.ID + `","padding":"`
	exact := prefix + big[:10<<20-len(prefix)-2] + `"}`
	require.Len(t, exact, 10<<20)
	resp := create(t, c, srv2, exact)
	assert.Equal(t, http.StatusCreated, resp.status)
}

// do sends a request and reads the answer in full.
func do(t *testing.T, c *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// Polar still serves its old API root, /api/v1, as /v1, and every answer
// from inside its PathRewriteMiddleware says the root moved.
func TestOldAPIRoot(t *testing.T) {
	srv, _ := start(t, polartest.WithRateLimit(8, time.Hour))
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	noFollow := newHTTPClient(t)
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	const notice = "The API root has moved from /api/v1 to /v1. Please update your integration."
	old := "/api" + createPath

	resp := call(t, c, srv, http.MethodPost, old, `{"customer_id":"`+cust.ID+`"}`, bearer(srv.AccessToken()))
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Equal(t, notice, resp.header.Get("X-Polar-Deprecation-Notice"))
	assert.Equal(t, "private, no-store", resp.header.Get("Cache-Control"))
	token := decodeJSON(t, resp.body)["token"].(string)

	resp = call(t, c, srv, http.MethodGet, "/api"+introspectPath, "", bearer(token))
	assert.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, notice, resp.header.Get("X-Polar-Deprecation-Notice"))

	// The redirect names the path as rewritten.
	resp = call(t, noFollow, srv, http.MethodPost, strings.TrimSuffix(old, "/"), `{}`, bearer(srv.AccessToken()))
	assert.Equal(t, http.StatusTemporaryRedirect, resp.status)
	assert.Equal(t, strings.TrimSuffix(srv.URL(), "/polar")+"/polar"+createPath, resp.header.Get("Location"))
	assert.Equal(t, notice, resp.header.Get("X-Polar-Deprecation-Notice"))

	// The pattern has no "/" after v1.
	for _, path := range []string{"/api/v1/nowhere", "/api/v1foo"} {
		resp = call(t, c, srv, http.MethodGet, path, "", nil)
		assert.Equal(t, http.StatusNotFound, resp.status, path)
		assert.Equal(t, notice, resp.header.Get("X-Polar-Deprecation-Notice"), path)
	}
	resp = call(t, c, srv, http.MethodGet, "/api/v2"+introspectPath[3:], "", nil)
	assert.Equal(t, http.StatusNotFound, resp.status)
	assert.Empty(t, resp.header.Values("X-Polar-Deprecation-Notice"))

	// The auth middleware and the rate limiter are inside the rewrite;
	// the version check and the body size limit outside it.
	assertNotice := func(resp response, want bool) {
		t.Helper()
		assert.Equal(t, want, resp.header.Get("X-Polar-Deprecation-Notice") == notice, "status %d", resp.status)
	}
	resp = call(t, c, srv, http.MethodGet, "/api"+introspectPath, "", bearer("polar_cst_unknown"))
	assertInvalidToken(t, response{resp.status, withoutNotice(resp.header), resp.body})
	assertNotice(resp, true)
	resp = call(t, c, srv, http.MethodGet, "/api"+introspectPath, "", map[string]string{"Polar-Version": "1999-01"})
	assert.Equal(t, http.StatusNotFound, resp.status)
	assertNotice(resp, false)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL()+old, io.MultiReader(strings.NewReader(`{}`)))
	require.NoError(t, err)
	resp = do(t, c, req)
	assert.Equal(t, http.StatusLengthRequired, resp.status)
	assertNotice(resp, false)
	for srv.Stats().RateLimited == 0 {
		resp = call(t, c, srv, http.MethodGet, "/api"+introspectPath, "", nil)
	}
	assert.Equal(t, http.StatusTooManyRequests, resp.status)
	assertNotice(resp, true)
	assert.Empty(t, resp.header.Values("Cache-Control"))

	// Scripted faults for a route are for its old path too.
	srv.Script(polartest.RouteIntrospect, polartest.Status(http.StatusServiceUnavailable))
	resp = call(t, c, srv, http.MethodGet, "/api"+introspectPath, "", nil)
	assert.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Zero(t, srv.Pending(polartest.RouteIntrospect))
}

// withoutNotice is a header without X-Polar-Deprecation-Notice.
func withoutNotice(h http.Header) http.Header {
	h = h.Clone()
	h.Del("X-Polar-Deprecation-Notice")
	return h
}

// Polar's CacheControlMiddleware gives Cache-Control: private, no-store to
// every answer from inside it that has no Cache-Control of its own; the
// answers of the layers outside it have none, but for authlib's.
func TestCacheControlByLayer(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.CreateSession(cust.ID, "")
	scoped := srv.AddAccessToken("", "customers:read")
	c := newHTTPClient(t)
	noFollow := newHTTPClient(t)
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	body := `{"customer_id":"` + cust.ID + `"}`

	for _, tt := range []struct {
		name      string
		resp      func() response
		status    int
		want      string // "" for none
		versioned bool
	}{
		{"201", func() response { return create(t, c, srv, body) }, http.StatusCreated, "private, no-store", true},
		{"200", func() response { return call(t, c, srv, http.MethodGet, introspectPath, "", bearer(token)) }, http.StatusOK, "private, no-store", true},
		{"401 Unauthorized", func() response { return call(t, c, srv, http.MethodGet, introspectPath, "", nil) }, http.StatusUnauthorized, "private, no-store", true},
		{"403", func() response { return call(t, c, srv, http.MethodPost, createPath, body, bearer(scoped)) }, http.StatusForbidden, "no-store", true},
		{"404", func() response { return call(t, c, srv, http.MethodGet, "/nowhere", "", nil) }, http.StatusNotFound, "private, no-store", true},
		{"405", func() response { return call(t, c, srv, http.MethodGet, createPath, "", nil) }, http.StatusMethodNotAllowed, "private, no-store", true},
		{"307", func() response { return call(t, noFollow, srv, http.MethodGet, introspectPath+"/", "", nil) }, http.StatusTemporaryRedirect, "private, no-store", true},
		{"422", func() response { return create(t, c, srv, `{}`) }, http.StatusUnprocessableEntity, "private, no-store", true},
		{"401 invalid_token", func() response { return call(t, c, srv, http.MethodGet, introspectPath, "", bearer("polar_mst_x")) }, http.StatusUnauthorized, "no-store", true},
		{"404 version", func() response {
			return call(t, c, srv, http.MethodGet, introspectPath, "", map[string]string{"Polar-Version": "2020-01"})
		}, http.StatusNotFound, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.resp()
			require.Equal(t, tt.status, resp.status, "body: %s", resp.body)
			assert.Equal(t, tt.want, strings.Join(resp.header.Values("Cache-Control"), ", "))
			assert.Equal(t, tt.versioned, resp.header.Get("Polar-Version") != "")
			assert.Empty(t, resp.header.Values("X-Polar-Sandbox"), "the fake is Polar's production API")
		})
	}
}
