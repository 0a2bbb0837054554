package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
)

// Redacted is what a non-empty Secret prints as.
const Redacted = "[redacted]"

// Secret is a string that grants access: a session token, or a customer
// portal URL carrying one. The generated models type such fields with it
// (internal/trimspec's rewrite "secret-string"), so that no printed form
// of a model shows them: fmt, under any verb and at any depth of a value,
// and slog, under either handler, print Redacted ("" when empty).
// encoding/json reads and writes the value itself, so the wire form is
// the spec's string. Reveal returns the value, for where it is meant to
// go (a redirect, a bearer header); NewSecret makes one.
//
// The value sits behind a pointer: fmt prints a value under a verb its
// type does not take (%p of a string, %s of a pointer held in a struct)
// without calling any method of what it prints, and then shows a
// pointer as an address, where it would show a string.
//
// slog's JSONHandler writes a slice, map or struct of yours holding a
// Secret (or a model holding one) with encoding/json, and so writes the
// value, as json.Marshal does: LogValue applies to an attribute's own value
// only. Log each model as an attribute of its own, as the generated models'
// LogValue then applies.
type Secret struct {
	v *string // nil for ""; never written through, so copies may share it
}

// NewSecret returns value as a Secret.
func NewSecret(value string) Secret {
	if value == "" {
		return Secret{}
	}
	return Secret{&value}
}

// Reveal returns the secret's value.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// String returns Redacted, or "" when s is empty.
func (s Secret) String() string {
	if s.v == nil || *s.v == "" {
		return ""
	}
	return Redacted
}

// Format prints String under every verb and flag ("%q" quotes it).
func (s Secret) Format(f fmt.State, verb rune) {
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// LogValue makes slog log String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the value as a JSON string, as encoding/json writes a
// string: HTML characters are escaped, or not, by the encoder's setting.
func (s Secret) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the encoder calling this escapes them when set to
	if err := enc.Encode(s.Reveal()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a JSON string; null leaves s unchanged, as it does
// a string.
func (s *Secret) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var v string
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*s = NewSecret(v)
	return nil
}
