package client

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"

	"github.com/polarsessions/polarsessions-go/rules"
)

// redactor removes secrets from what a call brings into a value, where it
// enters, with rules.Redact: every Polar token and portal URL by its shape,
// and the call's own credential by its value, even cut short or without
// its prefix. Everything the library keeps of a response or an error passes
// through it once, so no printing route (fmt, slog, encoding/json) of a
// value it returns can show a secret.
type redactor struct{ token string }

func (r redactor) str(s string) string { return rules.Redact(s, r.token) }

// strPtr redacts *s, keeping nil, and s when nothing changes.
func (r redactor) strPtr(s *string) *string {
	if s == nil {
		return nil
	}
	if red := r.str(*s); red != *s {
		return &red
	}
	return s
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

// response is what WithResponseInto hands over: resp's status and headers,
// redacted, without its body (read already) or request (which holds the
// credential); nil for nil.
func (r redactor) response(resp *http.Response) *http.Response {
	if resp == nil {
		return nil
	}
	out := *resp
	out.Header, out.Trailer = r.header(resp.Header), r.header(resp.Trailer)
	out.Body, out.Request = http.NoBody, nil
	return &out
}

// err wraps err so its message is redacted. The original stays out of
// reach, as it may hold what a server echoed (a redirect's URL, a value
// that did not parse), but errors.Is sees through to it (context errors,
// syscall errnos, io.EOF), and errors.As finds a net.Error with its Timeout.
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: r.str(err.Error()), err: err}
}

// redactedError is an error whose message was redacted when the library
// received it. It prints, logs and encodes as that message only.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

// Is matches what the original matches.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// As gives a net.Error view of the original, with the redacted message.
func (e *redactedError) As(target any) bool {
	var ne net.Error
	p, ok := target.(*net.Error)
	if ok && errors.As(e.err, &ne) {
		*p = &redactedNetError{msg: e.msg, timeout: ne.Timeout()}
	}
	return ok && ne != nil
}

func (e *redactedError) GoString() string { return "error(" + strconv.Quote(e.msg) + ")" }

// MarshalJSON encodes the message, not the original error's fields.
func (e *redactedError) MarshalJSON() ([]byte, error) { return json.Marshal(e.msg) }

// redactedNetError is the net.Error view of a redactedError.
type redactedNetError struct {
	msg     string
	timeout bool
}

func (e *redactedNetError) Error() string   { return e.msg }
func (e *redactedNetError) Timeout() bool   { return e.timeout }
func (e *redactedNetError) Temporary() bool { return e.timeout }
