package client

import "fmt"

// TransportError is a call that got no usable HTTP response: the connection
// failed, reset or timed out, a response's body could not be read to its
// end, or the rate limiter (WithRateLimiter) refused the attempt. Err is the
// underlying error with any secret in its message redacted. errors.Is sees
// through it to what the underlying error matches (context.Canceled and
// context.DeadlineExceeded when the caller's context ended, syscall errors,
// io.EOF), and errors.As finds a net.Error; the underlying *url.Error and
// the like are not exposed, as they may hold what a server echoed. An
// attempt abandoned after RetryPolicy.AttemptTimeout has Class "timeout" and
// does not match context.DeadlineExceeded, which is the caller's. Its
// methods work on the zero value and on a nil pointer.
type TransportError struct {
	// Operation is the OpenAPI operationId, e.g. "customer-sessions:create".
	Operation string
	// Class is the failure kind used for retry decisions and logs:
	// "connection_refused", "connection_reset", "eof", "timeout" (an
	// attempt timed out), "tls", "dns", "canceled" and "deadline" (the
	// caller's context ended), "rate_limiter" or "other".
	Class string
	// Attempts is how many requests the call made, retries included.
	Attempts int
	// Err is the underlying error, its message redacted.
	Err error

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
