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
// status, or a 2xx whose body was too large, did not decode, or lacked a
// required field (then Err says why). A 2xx whose body could not be read
// at all, because the connection failed mid-body, is a *TransportError.
// errors.Is matches an APIError to ErrUnauthorized, ErrForbidden,
// ErrNotFound, ErrRateLimited or ErrServer by status.
//
// Secrets are redacted when the response is received, before the APIError
// exists: wherever a server echoed a token or a customer portal URL (in
// Code, Detail, Header, Body, Err, or a ValidationError's field errors) the
// APIError holds "polar_oat_[redacted]" or "[redacted URL]" instead. So no
// way of printing, logging or encoding it shows a secret.
//
// Its methods work on the zero value and on a nil pointer, so tests can
// build APIErrors to fake Polar's failures.
type APIError struct {
	// Operation is the OpenAPI operationId, e.g. "customer-sessions:create".
	Operation string
	// StatusCode is the HTTP status Polar answered (429 for a call the
	// cooldown held back; see WithCooldown).
	StatusCode int
	// Header is the response's header, secrets redacted.
	Header http.Header
	// Body is the response body, capped at 1 MiB, secrets redacted; nil
	// for a failed 2xx, whose body is not kept.
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
	// ErrResponseTooLarge, or a decoding or completeness error. Nil
	// otherwise.
	Err error

	hasRetryAfter bool // Retry-After was present and parsed, even as 0
}

// Error says what Polar answered, in one line: the operation, the status,
// Polar's code and detail (each once), the cause of a failed 2xx, the wait
// Polar asked for, the number of attempts, and for the statuses a
// misconfiguration usually causes (401, 403, 404) what to check.
func (e *APIError) Error() string {
	if e == nil {
		return "polar: <nil APIError>"
	}
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
		b.WriteString(": " + e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if hint := e.Hint(); hint != "" {
		b.WriteString(" (" + hint + ")")
	}
	return b.String()
}

// Hint says what usually causes a 401, 403 or 404 from Polar, for a person
// reading the error; "" for other statuses.
func (e *APIError) Hint() string {
	if e == nil || e.Err != nil {
		return ""
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		if e.Operation == opIntrospect {
			return "hint: the session is unknown, expired (sessions last an hour) or from the other server"
		}
		return "hint: check the access token and that it is for this server; sandbox and production tokens differ"
	case http.StatusForbidden:
		return "hint: the access token needs the customer_sessions:write scope"
	case http.StatusNotFound:
		return "hint: check the server URL, any path prefix in it, and the Polar-Version"
	}
	return ""
}

// Is matches the status sentinels.
func (e *APIError) Is(target error) bool {
	if e == nil {
		return false
	}
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
func (e *APIError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}
