package rules

import "strings"

// CheckText refuses a string Polar refuses in a text field of a request
// body: one holding a NUL character (U+0000). Polar's base Schema
// (server/polar/kit/schemas.py, Schema._reject_nul_characters) checks every
// field of every request model once its type is validated, and raises
// "This value contains invalid characters", which pydantic reports as a
// value_error of that field.
//
// In a create body that reaches the str fields: external_customer_id (also
// when sent as customer_external_id) and external_member_id. A NUL in
// customer_id or member_id is a UUID that does not parse (uuid_parsing, see
// ParseUUID4), and in return_url a matter for the URL parser (see
// CheckReturnURL): percent-encoded as %00 in the path, query and fragment,
// an invalid host in the host. The client refuses a NUL in every string
// field before sending all the same.
//
// The Violation is Polar's: its Ctx is the ValueError as FastAPI encodes it,
// an empty object. Its Reason never quotes s.
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
