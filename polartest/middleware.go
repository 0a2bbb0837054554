package polartest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/polarsessions/polarsessions-go/gen"
)

// Polar's middleware stack (polar/app.py, create_app), of which the fake
// keeps the layers that answer or add a header, in the same order: a
// response made by one layer carries the headers of the layers outside it
// and none of those inside. Each layer that adds a header sets it before
// handing the request on, so every answer from inside carries it, unless
// it sets its own (as authlib's no-store replaces the Cache-Control), and
// answers from outside do not.

// headerPolarVersion is the header that picks the API version.
const headerPolarVersion = "Polar-Version"

// serveErrors is Starlette's ServerErrorMiddleware, the outermost layer of
// Polar's app: an unhandled error (see unhandled) is answered 500 "Internal
// Server Error", as plain text, with none of the headers of the layers it
// escaped.
func serveErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if _, ok := v.(unhandled); !ok {
					panic(v) // the stack is still the panic's: nothing has unwound
				}
				clear(w.Header())
				_ = textResponse{status: http.StatusInternalServerError, body: "Internal Server Error"}.write(w)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// checkVersion refuses a Polar-Version the server does not serve with
// Polar's 404, and echoes the version it serves on every other answer, as
// Polar's APIVersionMiddleware does (polar/kit/versioning.py), outside all
// the layers below. The server serves the version of the spec gen/ was
// generated from (gen.APIVersion) to a request without the header, and
// those of APIVersions or WithAPIVersions.
func (s *Server) checkVersion(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version := r.Header.Get(headerPolarVersion)
		if version == "" {
			version = gen.APIVersion
		}
		if !slices.Contains(s.cfg.versions, version) {
			_ = notFound().write(w)
			return
		}
		w.Header().Set(headerPolarVersion, version)
		next.ServeHTTP(w, r)
	})
}

// maxBodySize is Polar's API_MAX_REQUEST_BODY_SIZE (polar/config.py).
const maxBodySize = 10 << 20

// limitBodySize is Polar's MaxBodySizeMiddleware (polar/middlewares.py),
// which reads only the Content-Length header: a POST, PUT or PATCH without
// one (a chunked one, say) is answered 411, one above maxBodySize bytes
// 413, whatever the path or the token. Its bodies are Python's json.dumps.
func limitBodySize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		length, present := r.Header["Content-Length"] // net/http has checked its form
		var refusal []byte
		var status int
		switch {
		case !present && (r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch):
			status, refusal = http.StatusLengthRequired, pythonJSON("error", "LengthRequired", "detail", "A Content-Length header is required.")
		case present:
			if n, err := strconv.ParseInt(length[0], 10, 64); err == nil && n > maxBodySize {
				status, refusal = http.StatusRequestEntityTooLarge, pythonJSON("error", "RequestBodyTooLarge",
					"detail", "Request body exceeded the maximum allowed size of "+strconv.Itoa(maxBodySize)+" bytes.")
			}
		}
		if refusal != nil {
			_ = jsonResponse{status: status, body: refusal}.write(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// oldAPIRoot is the API root Polar still serves under its old path.
const (
	oldAPIRoot        = "/api/v1"
	deprecationNotice = "The API root has moved from /api/v1 to /v1. Please update your integration."
)

// rewritePath is Polar's PathRewriteMiddleware (polar/app.py: pattern
// ^/api/v1, replacement /v1, with no "/" after it): a request under the
// old root is served as under /v1, and every answer from inside says the
// root moved in X-Polar-Deprecation-Notice.
func (s *Server) rewritePath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.Path, s.cfg.basePath)
		rest, old := strings.CutPrefix(path, oldAPIRoot)
		if !ok || !old {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("X-Polar-Deprecation-Notice", deprecationNotice)
		r2 := r.WithContext(r.Context())
		u := *r.URL
		u.Path, u.RawPath = s.cfg.basePath+"/v1"+rest, ""
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}

// cacheControl is Polar's CacheControlMiddleware (polar/middlewares.py):
// every answer from inside it, the router's and the handlers' (201, 307,
// 401 Unauthorized, 403, 404, 405, 422), says Cache-Control: private,
// no-store, unless it has a Cache-Control of its own. The answers of the
// layers outside it (404 for the version, 411, 413, 429, and 401
// invalid_token) do not.
func cacheControl(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-store")
		next.ServeHTTP(w, r)
	})
}
