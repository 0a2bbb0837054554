package polartest

import (
	"net/http"
	"strings"
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

// routeOf returns the route a request is for, also under the old API root
// (see rewritePath), or "" when it is for none.
func (s *Server) routeOf(r *http.Request) Route {
	path, ok := strings.CutPrefix(r.URL.Path, s.cfg.basePath)
	if !ok {
		return ""
	}
	if rest, old := strings.CutPrefix(path, oldAPIRoot); old {
		path = "/v1" + rest
	}
	route, _ := match(r.Method, path)
	return route
}

// match returns the route of method and path; when only the method is
// wrong, it returns the one method the path's route allows instead.
func match(method, path string) (route Route, allow string) {
	for _, rt := range []Route{RouteCreate, RouteIntrospect} {
		if m, p, _ := strings.Cut(string(rt), " "); p == path {
			if m == method {
				return rt, ""
			}
			return "", m
		}
	}
	return "", ""
}

// successStatus is the status of the route's normal answer, which truncated
// and malformed faults imitate.
func (rt Route) successStatus() int {
	if rt == RouteCreate {
		return http.StatusCreated
	}
	return http.StatusOK
}

// route is Starlette's router (starlette/routing.py, Router.app) over the
// two operations, behind which api, the generated one, serves them
// (create's body read first, as FastAPI reads it). A path of no route
// is 404; a route's path with another method is 405 with Allow, the
// route's method only (FastAPI routes serve exactly their methods: no HEAD
// for a GET); a path that a route has with its trailing slash added, or
// its trailing slashes removed, is redirected there with 307, which keeps
// the method and the body. The router runs inside Polar's auth
// middleware, so a bad token is 401 before any of these.
func (s *Server) route(api http.Handler) http.Handler {
	create := s.readBody(api)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.Path, s.cfg.basePath)
		if !ok {
			_ = notFound().write(w)
			return
		}
		switch route, allow := match(r.Method, path); {
		case route == RouteCreate:
			create.ServeHTTP(w, r)
			return
		case route != "":
			api.ServeHTTP(w, r)
			return
		case allow != "":
			_ = methodNotAllowed(allow).write(w)
			return
		}
		if path != "/" {
			other := path + "/"
			if strings.HasSuffix(path, "/") {
				other = strings.TrimRight(path, "/")
			}
			if route, allow := match(r.Method, other); route != "" || allow != "" {
				s.redirect(w, r, other)
				return
			}
		}
		_ = notFound().write(w)
	})
}

// redirect answers 307 to path, as Starlette's RedirectResponse does: an
// empty body and an absolute Location of the request's scheme and Host,
// the path and the query as received, quoted as Python's urllib quote
// quotes it with Starlette's safe characters.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, path string) {
	location := "http://"
	if r.TLS != nil {
		location = "https://"
	}
	location += r.Host + s.cfg.basePath + path
	if r.URL.RawQuery != "" {
		location += "?" + r.URL.RawQuery
	}
	const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~:/%#?=@[]!$&'()*+,;"
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(location); i++ {
		if c := location[i]; strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
		} else {
			b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
	}
	w.Header().Set("Location", b.String())
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusTemporaryRedirect)
}
