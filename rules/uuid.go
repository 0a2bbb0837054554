package rules

import (
	"fmt"
	"strings"
)

// ParseUUID4 checks an ID as Polar's request models do (pydantic's UUID4,
// the spec's format uuid4) and returns it in canonical form: lower-case
// hex in 8-4-4-4-12 groups. Like pydantic, it accepts the hyphenated and the
// 32-digit simple form, in any case, with an optional "urn:uuid:" prefix,
// and refuses a UUID of another version. The Violation's messages are
// pydantic's, which take the Rust uuid crate's words for syntax errors.
func ParseUUID4(s string) (string, *Violation) {
	s = strings.TrimPrefix(s, "urn:uuid:")
	if reason := uuidSyntax(s); reason != "" {
		return "", &Violation{
			Type:   "uuid_parsing",
			Msg:    "Input should be a valid UUID, " + reason,
			Ctx:    map[string]any{"error": reason},
			Reason: "must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b (" + reason + ")",
		}
	}
	hex := strings.ToLower(strings.ReplaceAll(s, "-", ""))
	if hex[12] != '4' {
		return "", &Violation{
			Type:   "uuid_version",
			Msg:    "UUID version 4 expected",
			Ctx:    map[string]any{"expected_version": 4},
			Reason: fmt.Sprintf("must be a version 4 UUID, as Polar's IDs are; this one is version %c", hex[12]),
		}
	}
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], nil
}

// uuidSyntax says why s is not a UUID, in the words of the Rust uuid crate
// behind pydantic, or returns "".
func uuidSyntax(s string) string {
	for i, r := range s {
		if r != '-' && !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return fmt.Sprintf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", r, i+1)
		}
	}
	groups := strings.Split(s, "-")
	if len(groups) == 1 {
		if len(s) != 32 {
			return fmt.Sprintf("invalid length: expected length 32 for simple format, found %d", len(s))
		}
		return ""
	}
	if len(groups) != 5 {
		return fmt.Sprintf("invalid group count: expected 5, found %d", len(groups))
	}
	for i, want := range []int{8, 4, 4, 4, 12} {
		if len(groups[i]) != want {
			return fmt.Sprintf("invalid group length in group %d: expected %d, found %d", i+1, want, len(groups[i]))
		}
	}
	return ""
}
