package client

import "fmt"

// InputError is input refused before anything was sent. errors.Is matches it
// to ErrInvalidRequest. Its methods work on the zero value and on a nil
// pointer.
type InputError struct {
	// Field names what was refused: a request field ("customer_id"), an
	// option ("WithTimeout"), "access token", "session token", "ctx", …
	Field string
	// Problem says what is wrong with it. It never quotes a token, a
	// header name or a URL it was given.
	Problem string
}

// Error is "polar: invalid request: <field>: <problem>".
func (e *InputError) Error() string {
	if e == nil {
		return "polar: invalid request: <nil InputError>"
	}
	s := "polar: invalid request"
	if e.Field != "" {
		s += ": " + e.Field
	}
	if e.Problem != "" {
		s += ": " + e.Problem
	}
	return s
}

// Unwrap makes errors.Is(err, ErrInvalidRequest) hold.
func (e *InputError) Unwrap() error { return ErrInvalidRequest }

func invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}
