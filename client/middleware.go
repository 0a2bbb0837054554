package client

import "net/http"

// MiddlewareNext sends a request on: to the next middleware or, after the
// last, to the HTTP client in force.
type MiddlewareNext func(*http.Request) (*http.Response, error)

// Middleware wraps each attempt inside the retry loop (tracing, metrics, a
// canned answer), each retry a fresh copy; what it returns is the answer.
type Middleware func(req *http.Request, next MiddlewareNext) (*http.Response, error)

// WithMiddleware adds middleware around every attempt, the first given
// outermost, a client's before a call's; the transport stays beneath them.
func WithMiddleware(mw ...Middleware) Option {
	return func(s *settings) error {
		for i, m := range mw {
			if m == nil {
				return invalid("WithMiddleware", "middleware %d of %d is nil", i+1, len(mw))
			}
		}
		// A fresh slice, so a call's middleware never writes into the client's.
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
