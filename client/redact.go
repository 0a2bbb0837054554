package client

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
)

// secretPattern finds what must never reach an error string or a log line,
// even when a server echoes it back: Polar tokens (polar_<kind>_<secret>) and
// URLs carrying a session token, such as a customer portal URL, which also
// holds the customer's email.
var secretPattern = regexp.MustCompile(`https?://[^\s"'<>]*customer_session_token[^\s"'<>]*|(polar_[a-z]{2,4}_)[A-Za-z0-9_\-]+`)

// Everything the library keeps of a response passes through one of the
// functions below as it is received, so a value it returns holds no secret
// and no printing route (fmt verbs, slog, encoding/json) can show one.

// redact replaces secrets in s, keeping a token's kind prefix so a message
// still says which kind of token was involved.
func redact(s string) string {
	return secretPattern.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] == 'h' {
			return "[redacted URL]"
		}
		sub := secretPattern.FindStringSubmatch(m)
		return sub[1] + "[redacted]"
	})
}

// redactBytes is redact for a body; nil stays nil.
func redactBytes(b []byte) []byte {
	if b == nil || !secretPattern.Match(b) {
		return b
	}
	return []byte(redact(string(b)))
}

// redactHeader returns a copy of h with secrets redacted from its values.
func redactHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		rv := make([]string, len(vs))
		for i, v := range vs {
			rv[i] = redact(v)
		}
		out[k] = rv
	}
	return out
}

// redactJSON redacts the strings of a decoded JSON value (a 422's input),
// keys included, in place where it can.
func redactJSON(v any) any {
	switch v := v.(type) {
	case string:
		return redact(v)
	case []any:
		for i := range v {
			v[i] = redactJSON(v[i])
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[redact(k)] = redactJSON(x)
		}
		return out
	}
	return v // numbers, bools, nil
}

// redactErr wraps err so its message is redacted. The original stays
// reachable for errors.Is and errors.As, which classify it (a caller who
// takes it out with errors.As sees it as it was).
func redactErr(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: redact(err.Error()), err: err}
}

// redactedError is an error whose message was redacted when the library
// received it. It prints, logs and encodes as that message only.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string    { return e.msg }
func (e *redactedError) Unwrap() error    { return e.err }
func (e *redactedError) GoString() string { return "error(" + strconv.Quote(e.msg) + ")" }

// MarshalJSON encodes the message, not the original error's fields.
func (e *redactedError) MarshalJSON() ([]byte, error) { return json.Marshal(e.msg) }
