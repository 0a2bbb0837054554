package rules

// Violation is input Polar refuses, described twice: as Polar's 422 reports
// it (pydantic's Type, Msg and Ctx, which polartest sends), and in plain
// words for a person (Reason, which the client's errors show).
type Violation struct {
	// Type is pydantic's error type, e.g. "uuid_parsing", "url_too_long".
	Type string
	// Msg is the message Polar sends, word for word.
	Msg string
	// Ctx is pydantic's context for the error, nil when it has none.
	Ctx map[string]any
	// Reason says what is wrong, for a person. It never quotes a token.
	Reason string
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
