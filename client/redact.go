package client

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/polarsessions/polarsessions-go/rules"
)

// redactor removes secrets from what a call brings into a value, where it
// enters: every Polar token and portal URL by their shape (rules.Redact),
// and the call's own credential by its value, in any letter case, even
// without its prefix. Everything the library keeps of a response or an
// error passes through it once, so a value it returns holds no secret and
// no printing route (fmt verbs, slog, encoding/json) can show one.
type redactor struct {
	token string // the call's credential
}

func newRedactor(token string) redactor { return redactor{token: token} }

// str redacts s.
func (r redactor) str(s string) string {
	if !rules.MayHoldSecret(s, r.token) {
		return s // the common case, at the cost of a scan
	}
	return rules.RedactToken(rules.Redact(s), r.token)
}

// strPtr redacts *s, keeping nil and the pointer when nothing changes.
func (r redactor) strPtr(s *string) *string {
	if s == nil {
		return nil
	}
	red := r.str(*s)
	if red == *s {
		return s
	}
	out := red // allocated only here, not for every unchanged string
	return &out
}

// bytes redacts a body; nil stays nil. JSON can spell a token with escapes
// (polar_oat_\u0041…) that only decoding reveals, so an escaped JSON body
// is redacted through its decoded strings, and re-encoded.
func (r redactor) bytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	out := r.str(string(b))
	if strings.Contains(out, `\u`) {
		var v any
		if json.Unmarshal([]byte(out), &v) == nil {
			if enc, err := json.Marshal(r.json(v)); err == nil {
				return enc
			}
		}
	}
	return []byte(out)
}

// header returns a copy of h with secrets redacted from its names and
// values.
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

// json redacts the strings of a decoded JSON value (a 422's input), keys
// included; it builds new containers rather than editing v.
func (r redactor) json(v any) any {
	switch v := v.(type) {
	case string:
		return r.str(v)
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = r.json(v[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[r.str(k)] = r.json(x)
		}
		return out
	}
	return v // numbers, bools, nil
}

// err wraps err so its message is redacted. The original stays out of
// reach: it may hold what a server echoed (a redirect's URL, a value that
// did not parse). errors.Is still sees through to it (context errors,
// syscall errnos, io.EOF), and errors.As finds a net.Error with the
// original's Timeout.
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
	p, ok := target.(*net.Error)
	if !ok {
		return false
	}
	var ne net.Error
	if !errors.As(e.err, &ne) {
		return false
	}
	*p = &redactedNetError{msg: e.msg, timeout: ne.Timeout()}
	return true
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
