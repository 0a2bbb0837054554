package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"strconv"

	"github.com/polarsessions/polarsessions-go/rules"
)

// redactor removes secrets, with rules.Redact, where a response enters a
// value, so that no printing route of a value the library returns shows
// one: tokens and portal URLs by shape, the call's own token by its value,
// and by its value too the session token a create's answer carries (made,
// once decoded, its second secret).
type redactor struct{ token, created string }

func (r redactor) str(s string) string {
	s = rules.Redact(s, r.token)
	if r.created != "" {
		s = rules.Redact(s, r.created)
	}
	return s
}

// strPtr redacts *s, a decoded value of the call's own, in place.
func (r redactor) strPtr(s *string) *string {
	if s != nil {
		*s = r.str(*s)
	}
	return s
}

// value redacts the strings of a decoded JSON value, keys included.
func (r redactor) value(v any) any {
	switch v := v.(type) {
	case string:
		return r.str(v)
	case []any:
		for i := range v {
			v[i] = r.value(v[i])
		}
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[r.str(k)] = r.value(x)
		}
		return m
	}
	return v
}

// json redacts valid JSON: as text when it has no escape (each string is
// then its own text), else string by string, decoded, so that no escape
// hides a secret from whoever decodes it.
func (r redactor) json(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		if s := r.str(string(raw)); s != string(raw) {
			return []byte(s)
		}
		return raw // unchanged: no copy
	}
	decode := func() (v any) {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		_ = d.Decode(&v) // valid JSON decodes, and encodes again
		return v
	}
	red, orig := r.value(decode()), decode()
	if reflect.DeepEqual(red, orig) {
		return raw // nothing to redact: the text as it came, escapes and all
	}
	out, _ := json.Marshal(red)
	return out
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

// response is resp for WithResponseInto: headers redacted, body the bytes
// the client read of it (body), redacted as an APIError's body is and
// readable again, and without its request (which holds the credential);
// nil for nil.
func (r redactor) response(resp *http.Response, body []byte) *http.Response {
	if resp == nil {
		return nil
	}
	out := *resp
	red := []byte(r.str(string(body)))
	out.Header, out.Trailer, out.Request = r.header(resp.Header), r.header(resp.Trailer), nil
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(red)), int64(len(red))
	if out.Header.Get("Content-Length") != "" {
		out.Header.Set("Content-Length", strconv.Itoa(len(red)))
	}
	out.Status, out.Proto, out.TransferEncoding = r.str(resp.Status), r.str(resp.Proto), nil // read already
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
