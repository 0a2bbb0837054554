package client

import (
	"errors"
	"net"
	"net/http"

	"github.com/polarsessions/polarsessions-go/rules"
)

// redactor removes secrets, with rules.Redact, where a response enters a
// value: Polar tokens and portal URLs by their shape, the call's own
// credential by its value, even cut or without its prefix. So no printing
// route of a value the library returns can show one.
type redactor struct{ token string }

func (r redactor) str(s string) string { return rules.Redact(s, r.token) }

// strPtr redacts *s, keeping nil, and s when nothing changes.
func (r redactor) strPtr(s *string) *string {
	if s == nil || r.str(*s) == *s {
		return s
	}
	red := r.str(*s)
	return &red
}

// header returns a copy of h, names and values redacted.
func (r redactor) header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		rv := make([]string, len(vs))
		for i, v := range vs {
			rv[i] = r.str(v)
		}
		out[r.str(k)] = rv
	}
	return out
}

// response is resp for WithResponseInto: headers redacted, without its body
// (read already) or its request (which holds the credential); nil for nil.
func (r redactor) response(resp *http.Response) *http.Response {
	if resp == nil {
		return nil
	}
	out := *resp
	out.Header, out.Trailer, out.Body, out.Request = r.header(resp.Header), r.header(resp.Trailer), http.NoBody, nil
	return &out
}

// err wraps err so its message is redacted. The original stays out of
// reach (it may hold what a server echoed), but errors.Is sees through to
// it, and as a net.Error it reports the original's Timeout.
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: r.str(err.Error()), err: err}
}

// redactedError is an error whose message was redacted when received.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *redactedError) Temporary() bool      { return e.Timeout() }

// Timeout makes a redactedError a net.Error that timed out when the
// original did.
func (e *redactedError) Timeout() bool {
	var ne net.Error
	return errors.As(e.err, &ne) && ne.Timeout()
}
