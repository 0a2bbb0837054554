package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseUUID4 checks an ID as Polar's request models do (pydantic's UUID4,
// the spec's format uuid4) and returns it in canonical form: lower-case
// hex in 8-4-4-4-12 groups.
//
// pydantic-core (src/validators/uuid.rs) parses with the Rust uuid crate's
// Uuid::parse_str, which takes the 32-digit simple form, the hyphenated
// form, the hyphenated form in braces, and "urn:uuid:" followed by the
// hyphenated form, in any case; then it refuses a UUID whose version is
// not 4 or whose variant is not RFC 4122's. The Violation's messages are
// pydantic's, which quote the uuid crate (src/error.rs) for syntax errors.
func ParseUUID4(s string) (string, *Violation) {
	if isCanonicalUUID4(s) {
		return s, nil // the usual case, without a copy
	}
	hex, ok := uuidHex(s)
	if !ok {
		reason := uuidSyntax(s)
		return "", &Violation{
			Type:   "uuid_parsing",
			Msg:    "Input should be a valid UUID, " + reason,
			Ctx:    map[string]any{"error": reason},
			Reason: "must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b (" + reason + ")",
		}
	}
	hex = strings.ToLower(hex)
	if hex[12] != '4' || !strings.ContainsRune("89ab", rune(hex[16])) {
		reason := fmt.Sprintf("must be a version 4 UUID, as Polar's IDs are; this one is version %c", hex[12])
		if hex[12] == '4' {
			reason = "must be a version 4 UUID of the RFC 4122 variant, as Polar's IDs are; this one is of another variant"
		}
		return "", &Violation{
			Type:   "uuid_version",
			Msg:    "UUID version 4 expected",
			Ctx:    map[string]any{"expected_version": 4},
			Reason: reason,
		}
	}
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], nil
}

// isCanonicalUUID4 reports whether s is already what ParseUUID4 returns:
// lower-case 8-4-4-4-12 hex, version 4, RFC 4122 variant.
func isCanonicalUUID4(s string) bool {
	if len(s) != 36 || s[14] != '4' || !strings.ContainsRune("89ab", rune(s[19])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// uuidHex returns the 32 hex digits of a UUID in one of the forms
// Uuid::parse_str accepts.
func uuidHex(s string) (string, bool) {
	switch {
	case len(s) == 32:
		return s, isHexString(s)
	case len(s) == 36:
		return hyphenated(s)
	case len(s) == 38 && s[0] == '{' && s[37] == '}':
		return hyphenated(s[1:37])
	case len(s) == 45 && strings.HasPrefix(s, "urn:uuid:"):
		return hyphenated(s[9:])
	}
	return "", false
}

// hyphenated returns the digits of an 8-4-4-4-12 UUID.
func hyphenated(s string) (string, bool) {
	if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return "", false
	}
	hex := s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	return hex, isHexString(hex)
}

func isHexString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
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
