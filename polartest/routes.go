package polartest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/polarsessions/polarsessions-go/gen"
)

// Route names an operation of the API as "METHOD /path", the path relative
// to the base path. Script takes one to say which requests a fault is for.
type Route string

// The routes of the fake, and RouteAny for scripting any request.
const (
	RouteCreate     Route = "POST /v1/customer-sessions/"
	RouteIntrospect Route = "GET /v1/customer-portal/customer-session/introspect"
	// RouteAny matches every request, routed or not. Faults scripted for a
	// request's own route are used before those scripted for RouteAny.
	RouteAny Route = "*"
)

// The operation IDs the generated strict handler passes to middlewares.
const (
	opCreate     = "CustomerSessionsCreate"
	opIntrospect = "CustomerPortalCustomerSessionIntrospect"
)

// routeOf returns the route a request is for, or "" when it is for none.
func (s *Server) routeOf(r *http.Request) Route {
	path, ok := strings.CutPrefix(r.URL.Path, s.cfg.basePath)
	if !ok {
		return ""
	}
	switch route := Route(r.Method + " " + path); route {
	case RouteCreate, RouteIntrospect:
		return route
	}
	return ""
}

// successStatus is the status of the route's normal answer, which truncated
// and malformed faults imitate.
func (rt Route) successStatus() int {
	if rt == RouteCreate {
		return http.StatusCreated
	}
	return http.StatusOK
}

// unrouted answers what the generated routes did not match: 405 when the
// path is an operation's and only the method is wrong, 404 otherwise.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	for _, route := range []Route{RouteCreate, RouteIntrospect} {
		method, path, _ := strings.Cut(string(route), " ")
		if r.URL.Path == s.cfg.basePath+path {
			methodNotAllowed(method).write(w)
			return
		}
	}
	notFound().write(w)
}

// headerPolarVersion is the header that picks the API version.
const headerPolarVersion = "Polar-Version"

// checkVersion refuses a Polar-Version the server does not serve with
// Polar's 404, and echoes the version it serves on every other answer, as
// Polar's APIVersionMiddleware does (polar/kit/versioning.py). The server
// serves the version of the spec gen/ was generated from (gen.APIVersion),
// also to a request without the header, and those of WithAPIVersions.
func (s *Server) checkVersion(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version := r.Header.Get(headerPolarVersion)
		if version == "" {
			version = gen.APIVersion
		}
		if version != gen.APIVersion && !slices.Contains(s.cfg.versions, version) {
			notFound().write(w)
			return
		}
		w.Header().Set(headerPolarVersion, version)
		next.ServeHTTP(w, r)
	})
}
