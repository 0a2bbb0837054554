package polartest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/polarsessions/polarsessions-go/rules"
)

// checkUUID4 is pydantic's UUID4 with its messages: rules.ParseUUID4 and,
// for a string that is no UUID, the uuid crate's diagnosis.
func checkUUID4(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{Type: "uuid_type", Msg: "UUID input should be a string, bytes or UUID object"}
	}
	id, p := rules.ParseUUID4(s)
	if p != nil && p.Type == "uuid_parsing" {
		reason := uuidSyntax(s)
		p.Msg, p.Ctx = p.Msg+", "+reason, map[string]any{"error": reason}
	}
	return id, p
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

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
