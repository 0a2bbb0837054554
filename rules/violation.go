package rules

// Violation is input Polar refuses, as its 422 says it (which polartest
// sends) and in plain words (which the client's errors show).
type Violation struct {
	Type   string         // pydantic's error type, e.g. "uuid_parsing"
	Msg    string         // Polar's message, word for word
	Ctx    map[string]any // pydantic's context, nil when none
	Reason string         // what is wrong, for a person; never quotes a token
}

// Error returns Reason, so a Violation can be returned as an error.
func (v *Violation) Error() string {
	if v == nil {
		return "<nil>"
	}
	if v.Reason != "" {
		return v.Reason
	}
	return v.Msg
}
