package rules

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// errUUIDForm is a string uuid.Parse takes and the uuid crate does not.
var errUUIDForm = errors.New("not one of the uuid crate's forms")

// ParseUUID4 checks an ID as Polar's request models do (pydantic's UUID4,
// the spec's format uuid4) and returns it in canonical form: lower-case
// hex in 8-4-4-4-12 groups.
//
// pydantic-core (src/validators/uuid.rs) parses with the Rust uuid crate,
// which takes the 32-digit simple form, the hyphenated form, the hyphenated
// form in braces, and "urn:uuid:" followed by the hyphenated form, in any
// case, as github.com/google/uuid's Parse does; then it refuses a UUID
// whose version is not 4 or whose variant is not RFC 4122's. The
// Violation's messages are pydantic's, which quote the uuid crate
// (src/error.rs) for syntax errors.
func ParseUUID4(s string) (string, *Violation) {
	id, err := uuid.Parse(s)
	// uuid.Parse also takes any two characters around the hyphenated form,
	// and the urn prefix in any case; the uuid crate, braces and
	// "urn:uuid:" only.
	if n := len(s); n == 38 && (s[0] != '{' || s[37] != '}') || n == 45 && !strings.HasPrefix(s, "urn:uuid:") {
		err = errUUIDForm
	}
	if err != nil {
		reason := uuidSyntax(s)
		return "", &Violation{
			Type:   "uuid_parsing",
			Msg:    "Input should be a valid UUID, " + reason,
			Ctx:    map[string]any{"error": reason},
			Reason: "must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b (" + reason + ")",
		}
	}
	if id.Version() != 4 || id.Variant() != uuid.RFC4122 {
		reason := fmt.Sprintf("must be a version 4 UUID, as Polar's IDs are; this one is version %d", id.Version())
		if id.Version() == 4 {
			reason = "must be a version 4 UUID of the RFC 4122 variant, as Polar's IDs are; this one is of another variant"
		}
		return "", &Violation{
			Type:   "uuid_version",
			Msg:    "UUID version 4 expected",
			Ctx:    map[string]any{"expected_version": 4},
			Reason: reason,
		}
	}
	return id.String(), nil
}

// uuidSyntax says why s is not a UUID, as the uuid crate diagnoses it
// (InvalidUuid::into_err), positions counting from 1 in the whole input.
func uuidSyntax(s string) string {
	if !utf8.ValidString(s) {
		return "non-UTF8 input"
	}
	body, offset, simple := s, 0, true
	switch {
	case len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}':
		body, offset, simple = s[1:len(s)-1], 1, false
	case strings.HasPrefix(s, "urn:uuid:"):
		body, offset, simple = s[len("urn:uuid:"):], len("urn:uuid:"), false
	}
	hyphens := 0
	var bounds [4]int
	for i, r := range body {
		switch {
		case r == '-':
			if hyphens < 4 {
				bounds[hyphens] = i
			}
			hyphens++
		case r >= utf8.RuneSelf || !isHex(byte(r)):
			return fmt.Sprintf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", r, i+offset+1)
		}
	}
	switch {
	case hyphens == 0 && simple:
		return fmt.Sprintf("invalid length: expected length 32 for simple format, found %d", len(s))
	case hyphens != 4:
		return fmt.Sprintf("invalid group count: expected 5, found %d", hyphens+1)
	}
	starts := [5]int{0, 9, 14, 19, 24}
	lengths := [5]int{8, 4, 4, 4, 12}
	for i := range 4 {
		if bounds[i] != starts[i+1]-1 {
			return fmt.Sprintf("invalid group length in group %d: expected %d, found %d", i, lengths[i], bounds[i]-starts[i])
		}
	}
	// The crate measures the last group against the whole input.
	return fmt.Sprintf("invalid group length in group 4: expected 12, found %d", len(s)-starts[4])
}
