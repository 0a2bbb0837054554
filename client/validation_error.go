package client

import (
	"fmt"
	"strings"
)

// ValidationError is Polar's 422: the request reached Polar and was refused,
// field by field. errors.As also finds its *APIError. Its methods work on
// the zero value (no *APIError) and on a nil pointer.
type ValidationError struct {
	*APIError
	// Errors are Polar's detail items, in order.
	Errors []FieldError
}

// Error is the APIError's message followed by each field error.
func (e *ValidationError) Error() string {
	if e == nil {
		return "polar: <nil ValidationError>"
	}
	var b strings.Builder
	if e.APIError != nil {
		b.WriteString(e.APIError.Error())
	} else {
		b.WriteString("polar: validation failed")
	}
	for i, f := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Is matches the status sentinels through the APIError (ErrNotFound and
// the like never match a 422; a ValidationError without one matches none).
func (e *ValidationError) Is(target error) bool {
	return e != nil && e.APIError.Is(target)
}

// Unwrap gives errors.As access to the embedded *APIError; nil when there
// is none.
func (e *ValidationError) Unwrap() error {
	if e == nil || e.APIError == nil {
		return nil
	}
	return e.APIError
}

// FieldError is one item of a 422's detail list, secrets redacted from all
// of its fields when it was received.
type FieldError struct {
	// Loc locates the problem, e.g. ["body", "customer_id"]; items are
	// strings or ints (list indexes).
	Loc []any
	// Msg is the human message, e.g. "Customer does not exist.".
	Msg string
	// Type is the machine kind, e.g. "value_error", "missing".
	Type string
	// Input is the offending value as Polar echoed it: a string, number,
	// bool, nil, or a []any or map[string]any of those, with any token or
	// portal URL in its strings redacted. It is never part of an error
	// string.
	Input any
}

// Field is Loc without its leading "body"/"query"/"header" part, joined by
// dots: "customer_id", or "items.0.name".
func (f FieldError) Field() string {
	parts := make([]string, 0, len(f.Loc))
	for i, p := range f.Loc {
		s := fmt.Sprint(p)
		if i == 0 && len(f.Loc) > 1 && (s == "body" || s == "query" || s == "header" || s == "path") {
			continue
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ".")
}

// String is "field: message", or the message alone when there is no field:
// how the error reads to a person, without the input.
func (f FieldError) String() string {
	if field := f.Field(); field != "" {
		return field + ": " + f.Msg
	}
	return f.Msg
}
