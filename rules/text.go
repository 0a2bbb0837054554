package rules

import "strings"

// CheckText refuses a string holding a NUL, as Polar's base Schema does in
// every str field once validated (server/polar/kit/schemas.py,
// _reject_nul_characters): in a create body, the external IDs. In an ID a
// NUL is a UUID error, in return_url the URL parser's matter; the client
// refuses it in every field all the same. Ctx is Polar's, an empty object.
func CheckText(s string) *Violation {
	if strings.IndexByte(s, 0) < 0 {
		return nil
	}
	return &Violation{
		Type:   "value_error",
		Msg:    "Value error, This value contains invalid characters",
		Ctx:    map[string]any{"error": map[string]any{}},
		Reason: "holds a NUL character (U+0000), which Polar refuses in any text",
	}
}
