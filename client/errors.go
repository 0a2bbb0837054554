package client

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// Sentinel errors, matched with errors.Is. ErrInvalidRequest means nothing
// was sent; the status sentinels classify an *APIError by its HTTP status;
// the last three name Polar's 422s for a customer or member it cannot use.
var (
	// ErrInvalidRequest matches input refused before any request was sent:
	// a bad field, token, option or base URL. See *InputError.
	ErrInvalidRequest = errors.New("polar: invalid request")
	// ErrUnauthorized matches a 401: a missing, unknown or expired token.
	ErrUnauthorized = errors.New("polar: unauthorized")
	// ErrForbidden matches a 403, such as a token without the needed scope.
	ErrForbidden = errors.New("polar: forbidden")
	// ErrNotFound matches a 404; Polar also answers 404 to an unknown
	// Polar-Version.
	ErrNotFound = errors.New("polar: not found")
	// ErrRateLimited matches a 429; the *APIError's RetryAfter says when to
	// come back.
	ErrRateLimited = errors.New("polar: rate limited")
	// ErrServer matches any 5xx.
	ErrServer = errors.New("polar: server error")
	// ErrResponseTooLarge is the cause (APIError.Err) when a successful
	// response body exceeds the client's read limit.
	ErrResponseTooLarge = errors.New("polar: response body too large")
	// ErrCustomerNotFound matches Polar's 422 on create when no customer
	// of the organization has the ID or external ID given
	// (rules.MsgCustomerNotFound).
	ErrCustomerNotFound = errors.New("polar: customer not found")
	// ErrMemberNotFound matches Polar's 422 when the customer has no member
	// with the member ID or external member ID given (rules.MsgMemberNotFound).
	ErrMemberNotFound = errors.New("polar: member not found")
	// ErrMemberRequired matches Polar's 422 for a team customer given
	// without a member (rules.MsgMemberRequired).
	ErrMemberRequired = errors.New("polar: member required")
)

// APIError is an HTTP exchange that did not produce a result: any non-2xx
// status, or a 2xx whose body was too large, did not decode, or lacked a
// required field (then Err says why). errors.Is matches it to the status
// sentinels. Secrets a server echoed into any of its fields were redacted
// when the response was received. Its methods work on the zero value and
// on a nil pointer, so tests can build APIErrors to fake Polar's failures.
type APIError struct {
	// Operation is the OpenAPI operationId, e.g. "customer-sessions:create".
	Operation string
	// StatusCode is the HTTP status Polar answered (429 for a call the
	// cooldown held back; see WithCooldown).
	StatusCode int
	// Header is the response's header.
	Header http.Header
	// Body is the response body, at most 1 MiB; nil for a failed 2xx.
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
	// Err is the cause when the answer was not usable although its status
	// was a success (ErrResponseTooLarge, a decoding or completeness error)
	// or was no final answer (a 1xx). Nil otherwise.
	Err error

	hasRetryAfter bool // Retry-After was present and parsed, even as 0
}

// Error says what Polar answered, in one line: the operation, the status,
// Polar's code and detail (each once), the cause, the wait asked for
// (rounded up), the number of attempts, and a hint for 401, 403 and 404.
func (e *APIError) Error() string {
	if e == nil {
		return "polar: <nil APIError>"
	}
	parts := []string{"polar"}
	if e.Operation != "" {
		parts = append(parts, e.Operation)
	}
	status := http.StatusText(e.StatusCode)
	if e.StatusCode != 0 {
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("%d %s", e.StatusCode, status)))
	}
	// Polar often repeats itself ({"error":"Unauthorized","detail":"Unauthorized"}).
	if e.Code != "" && e.Code != status {
		parts = append(parts, e.Code)
	}
	if e.Detail != "" && e.Detail != e.Code && e.Detail != status {
		parts = append(parts, e.Detail)
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	if len(parts) == 1 {
		parts = append(parts, "API error")
	}
	s := strings.Join(parts, ": ")
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", roundUp(e.RetryAfter))
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if hint := e.Hint(); hint != "" {
		s += " (" + hint + ")"
	}
	return s
}

// roundUp rounds a wait up to the second, or below a second to the
// millisecond, so that 29.999984917s reads 30s.
func roundUp(d time.Duration) time.Duration {
	unit := time.Second
	if d < time.Second {
		unit = time.Millisecond
	}
	return (d + unit - 1).Truncate(unit)
}

// Hint says what usually causes a 401, 403 or 404 from Polar, for a person
// reading the error; "" for other statuses.
func (e *APIError) Hint() string {
	if e == nil || e.Err != nil {
		return ""
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		if e.Operation == OperationIntrospect {
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

// Unwrap returns Err.
func (e *APIError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ValidationError is Polar's 422: the request reached Polar and was refused,
// field by field. errors.As also finds its *APIError, and errors.Is matches
// ErrCustomerNotFound, ErrMemberNotFound and ErrMemberRequired by Polar's
// message. Its methods work on the zero value and on a nil pointer.
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
	s := "polar: validation failed"
	if e.APIError != nil {
		s = e.APIError.Error()
	}
	for i, f := range e.Errors {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		s += sep + f.String()
	}
	return s
}

// Is matches the status sentinels through the APIError, and the
// customer and member sentinels by the message of a field error.
func (e *ValidationError) Is(target error) bool {
	var msg string
	switch {
	case e == nil:
		return false
	case target == ErrCustomerNotFound:
		msg = rules.MsgCustomerNotFound
	case target == ErrMemberNotFound:
		msg = rules.MsgMemberNotFound
	case target == ErrMemberRequired:
		msg = rules.MsgMemberRequired
	default:
		return e.APIError.Is(target)
	}
	return slices.ContainsFunc(e.Errors, func(f FieldError) bool { return f.Msg == msg })
}

// Unwrap gives errors.As the embedded *APIError; nil when there is none.
func (e *ValidationError) Unwrap() error {
	if e == nil || e.APIError == nil {
		return nil
	}
	return e.APIError
}

// FieldError is one item of a 422's detail list.
type FieldError struct {
	// Loc locates the problem, e.g. ["body", "customer_id"]; items are
	// strings or ints (list indexes).
	Loc []any
	// Msg is the human message, e.g. "Customer does not exist.".
	Msg string
	// Type is the machine kind, e.g. "value_error", "missing".
	Type string
	// Input is the offending value as Polar echoed it (a string, number,
	// bool, nil, or a []any or map[string]any of those). It is never part
	// of an error string.
	Input any
}

// Field is Loc without its leading "body"/"query"/"header"/"path" part,
// joined by dots: "customer_id", or "items.0.name".
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

// String is "field: message", or the message alone when there is no field.
func (f FieldError) String() string {
	if field := f.Field(); field != "" {
		return field + ": " + f.Msg
	}
	return f.Msg
}

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
	for _, part := range []string{e.Field, e.Problem} {
		if part != "" {
			s += ": " + part
		}
	}
	return s
}

// Unwrap makes errors.Is(err, ErrInvalidRequest) hold.
func (e *InputError) Unwrap() error { return ErrInvalidRequest }

func invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// TransportError is a call that got no usable HTTP response: the connection
// failed, reset or timed out, a body could not be read to its end, the rate
// limiter refused the attempt, or a middleware, limiter or HTTP client
// panicked. Err is the underlying error, its message redacted; errors.Is
// sees through it (context errors when the caller's context ended, syscall
// errors, io.EOF) and errors.As finds a net.Error, while the underlying
// *url.Error and the like stay out of reach. An attempt abandoned after
// RetryPolicy.AttemptTimeout has Class "timeout" and does not match
// context.DeadlineExceeded, which is the caller's. Its methods work on the
// zero value and on a nil pointer.
type TransportError struct {
	// Operation is the OpenAPI operationId, e.g. "customer-sessions:create".
	Operation string
	// Class is the failure kind: "connection_refused", "connection_reset",
	// "eof", "timeout" (an attempt timed out), "tls", "dns", "canceled" and
	// "deadline" (the caller's context ended), "rate_limiter", "panic" or
	// "other".
	Class string
	// Attempts is how many requests the call made, retries included.
	Attempts int
	// Err is the underlying error, its message redacted.
	Err error

	retry bool // worth another attempt, decided when classified
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
	s += cmp.Or(e.Class, "transport failure")
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

// polarError is the union of Polar's error bodies: {"error", "detail"},
// detail a string or (for a 422) a list, and authlib's {"error",
// "error_description"}.
type polarError struct {
	Error            string          `json:"error"`
	Detail           json.RawMessage `json:"detail"`
	ErrorDescription string          `json:"error_description"`
}

// newAPIError classifies a non-2xx response: its status, headers and body,
// redacted first, and Polar's error fields decoded best-effort from what is
// left. A 422 with a detail list becomes a *ValidationError.
func newAPIError(op string, resp *http.Response, body []byte, attempts int, red redactor) error {
	body = []byte(red.str(string(body)))
	e := &APIError{Operation: op, StatusCode: resp.StatusCode, Header: red.header(resp.Header), Body: body, Attempts: attempts}
	if v := resp.Header.Get("Retry-After"); v != "" {
		e.RetryAfter, e.hasRetryAfter = parseRetryAfter(v, time.Now())
	}
	var pe polarError
	if len(body) == 0 || json.Unmarshal(body, &pe) != nil {
		return e // empty (a 429) or not JSON (a proxy's 502 page)
	}
	e.Code = pe.Error
	if json.Unmarshal(pe.Detail, &e.Detail) != nil || e.Detail == "" {
		e.Detail = pe.ErrorDescription
	}
	var items []struct {
		Loc   []any  `json:"loc"`
		Msg   string `json:"msg"`
		Type  string `json:"type"`
		Input any    `json:"input"`
	}
	if resp.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(pe.Detail, &items) != nil {
		return e
	}
	v := &ValidationError{APIError: e, Errors: make([]FieldError, len(items))}
	for i, it := range items {
		for j, p := range it.Loc {
			switch p := p.(type) {
			case float64:
				if p == math.Trunc(p) {
					it.Loc[j] = int(p) // a list index
				}
			case string, nil:
			default: // not in the spec: keep it printable
				it.Loc[j] = fmt.Sprint(p)
			}
		}
		v.Errors[i] = FieldError{Loc: it.Loc, Msg: it.Msg, Type: it.Type, Input: it.Input}
	}
	return v
}

// field is a required field of a decoded success and whether it is absent.
type field struct {
	name   string
	absent bool
}

// missingFields is the error for a decoded success that lacks required
// fields, nil when none is missing.
func missingFields(fields ...field) error {
	var names []string
	for _, f := range fields {
		if f.absent {
			names = append(names, f.name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	return fmt.Errorf("required fields missing: %s", strings.Join(names, ", "))
}
