package client

import "fmt"

// TransportError is a call that got no usable HTTP response: the connection
// failed, reset or timed out, or a response's body could not be read to its
// end. Err is the underlying error (a *url.Error, net.Error, context error,
// …) with any secret in its message redacted; errors.Is and errors.As see
// through it, so errors.Is(err, context.DeadlineExceeded) works. Its
// methods work on the zero value and on a nil pointer.
type TransportError struct {
	Operation string
	// Class is the failure kind used for retry decisions and logs:
	// "connection_refused", "connection_reset", "eof", "timeout", "tls",
	// "dns", "canceled", "deadline" or "other".
	Class    string
	Attempts int
	Err      error

	retry bool // worth another attempt, decided when the error was classified
}

// Error is "polar: <operation>: <class>: <cause>".
func (e *TransportError) Error() string {
	if e == nil {
		return "polar: <nil TransportError>"
	}
	s := "polar: "
	if e.Operation != "" {
		s += e.Operation + ": "
	}
	if e.Class != "" {
		s += e.Class
	} else {
		s += "transport failure"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}
