package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is. ErrInvalidRequest means nothing was
// sent; the others classify an *APIError by its HTTP status.
var (
	// ErrInvalidRequest matches input refused before any request was sent:
	// a bad field, token, option or base URL. See *InputError.
	ErrInvalidRequest = errors.New("polar: invalid request")
	// ErrUnauthorized matches a 401: a missing, unknown or expired token.
	ErrUnauthorized = errors.New("polar: unauthorized")
	// ErrForbidden matches a 403, such as a token without the needed scope.
	ErrForbidden = errors.New("polar: forbidden")
	// ErrNotFound matches a 404. Polar also answers 404 to an unknown
	// Polar-Version header.
	ErrNotFound = errors.New("polar: not found")
	// ErrRateLimited matches a 429. The *APIError's RetryAfter says when to
	// come back.
	ErrRateLimited = errors.New("polar: rate limited")
	// ErrServer matches any 5xx.
	ErrServer = errors.New("polar: server error")
	// ErrResponseTooLarge is the cause (APIError.Err) when a successful
	// response body exceeds the client's read limit.
	ErrResponseTooLarge = errors.New("polar: response body too large")
)

// APIError is an HTTP exchange that did not produce a result: any non-2xx
// status, or a 2xx whose body could not be read or decoded (then Err says
// why). errors.Is matches it to ErrUnauthorized, ErrForbidden, ErrNotFound,
// ErrRateLimited or ErrServer by status.
//
// Neither its Error string nor Code, Detail and the ValidationError's
// messages hold a token or a customer portal URL, even when the server
// echoed one: they are redacted. Body is the raw response and may.
type APIError struct {
	// Operation is the OpenAPI operationId, e.g. "customer-sessions:create".
	Operation  string
	StatusCode int
	Header     http.Header
	// Body is the raw response body, capped at 1 MiB for errors.
	Body []byte
	// Code is Polar's "error" field, e.g. "Unauthorized", "invalid_token",
	// "insufficient_scope", "PolarRequestValidationError".
	Code string
	// Detail is Polar's "detail" or "error_description" when it is a string.
	Detail string
	// RetryAfter is the wait the server asked for in Retry-After, if any.
	RetryAfter time.Duration
	// Attempts is how many requests the call made, retries included.
	Attempts int
	// Err is the cause when the status was a success but the body was not:
	// a decoding error or ErrResponseTooLarge. Nil otherwise.
	Err error

	hasRetryAfter bool // Retry-After was present and parsed, even as 0
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("polar: ")
	if e.Operation != "" {
		b.WriteString(e.Operation + ": ")
	}
	status := http.StatusText(e.StatusCode)
	fmt.Fprintf(&b, "%d %s", e.StatusCode, status)
	// Polar often repeats itself ({"error":"Unauthorized","detail":
	// "Unauthorized"}): say each thing once.
	if e.Code != "" && e.Code != status {
		b.WriteString(": " + e.Code)
	}
	if e.Detail != "" && e.Detail != e.Code && e.Detail != status {
		b.WriteString(": " + e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": " + redact(e.Err.Error()))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is matches the status sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// Unwrap returns the cause of a failed 2xx (see Err).
func (e *APIError) Unwrap() error { return e.Err }

// ValidationError is Polar's 422: the request reached Polar and was refused,
// field by field. errors.As also finds its *APIError.
type ValidationError struct {
	*APIError
	// Errors are Polar's detail items, in order.
	Errors []FieldError
}

// FieldError is one item of a 422's detail list.
type FieldError struct {
	// Loc locates the problem, e.g. ["body", "customer_id"]; items are
	// strings or ints (list indexes).
	Loc []any
	// Msg is the human message, e.g. "Customer does not exist.", redacted.
	Msg string
	// Type is the machine kind, e.g. "value_error", "missing".
	Type string
	// Input is the offending value as Polar echoed it. It is never part of
	// an error string.
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

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.APIError.Error())
	for i, f := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if field := f.Field(); field != "" {
			b.WriteString(field + ": ")
		}
		b.WriteString(f.Msg)
	}
	return b.String()
}

// Unwrap gives errors.As access to the embedded *APIError.
func (e *ValidationError) Unwrap() error { return e.APIError }

// InputError is input refused before anything was sent. errors.Is matches it
// to ErrInvalidRequest.
type InputError struct {
	// Field names what was refused: a request field ("customer_id"), an
	// option ("WithTimeout"), "access token", "session token", "ctx", …
	Field string
	// Problem says what is wrong with it. It never quotes a token.
	Problem string
}

func (e *InputError) Error() string {
	return "polar: invalid request: " + e.Field + ": " + e.Problem
}

// Unwrap makes errors.Is(err, ErrInvalidRequest) hold.
func (e *InputError) Unwrap() error { return ErrInvalidRequest }

func invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// TransportError is a call that got no usable HTTP response: the connection
// failed, reset or timed out, or the body could not be read. Err is the
// underlying error (a *url.Error, net.Error, context error, …), so
// errors.Is(err, context.DeadlineExceeded) works through it.
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

func (e *TransportError) Error() string {
	s := "polar: " + e.Operation + ": " + e.Class + ": " + redact(e.Err.Error())
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }
