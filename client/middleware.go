package client

import "net/http"

// MiddlewareNext sends a request on: to the next middleware, or, after the
// last one, to the HTTP client in force (the client's own tuned one, or the
// doer given to WithHTTPClient).
type MiddlewareNext func(*http.Request) (*http.Response, error)

// Middleware wraps each attempt of a call: tracing, metrics, request IDs,
// or a canned answer in a test. It may edit the request, call next any
// number of times, or answer without calling it; what it returns is treated
// as the server's answer (read within the client's limits, classified,
// retried). It runs once per attempt, inside the retry loop, so it sees
// retries as separate requests, each a fresh copy: an edit it makes to one
// attempt's request does not reach the next attempt.
type Middleware func(req *http.Request, next MiddlewareNext) (*http.Response, error)

// WithMiddleware adds middleware around every attempt. The first given runs
// first (outermost); a client's middleware, from New, runs before a call's.
// The client's own transport, connection limits and redirect policy stay
// in force beneath them. A nil middleware is refused.
func WithMiddleware(mw ...Middleware) Option {
	return func(s *settings) error {
		for i, m := range mw {
			if m == nil {
				return invalid("WithMiddleware", "middleware %d of %d is nil", i+1, len(mw))
			}
		}
		// A fresh slice, so a call's middleware never writes into the
		// client's.
		s.middleware = append(s.middleware[:len(s.middleware):len(s.middleware)], mw...)
		return nil
	}
}

// chain is the doer wrapped in mw, the first outermost.
func chain(doer HTTPDoer, mw []Middleware) MiddlewareNext {
	next := MiddlewareNext(doer.Do)
	for i := len(mw) - 1; i >= 0; i-- {
		m, inner := mw[i], next
		next = func(r *http.Request) (*http.Response, error) { return m(r, inner) }
	}
	return next
}
