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

// Sentinel errors, matched with errors.Is: nothing was sent, an *APIError's
// status, or Polar's 422 for a customer or member it cannot use.
var (
	ErrInvalidRequest   = errors.New("polar: invalid request")         // input refused before sending; see *InputError
	ErrUnauthorized     = errors.New("polar: unauthorized")            // 401: a missing, unknown or expired token
	ErrForbidden        = errors.New("polar: forbidden")               // 403: a token without the needed scope
	ErrNotFound         = errors.New("polar: not found")               // 404, also for an unknown Polar-Version
	ErrRateLimited      = errors.New("polar: rate limited")            // 429; APIError.RetryAfter says when to come back
	ErrServer           = errors.New("polar: server error")            // any 5xx
	ErrResponseTooLarge = errors.New("polar: response body too large") // APIError.Err of a 2xx over the read limit
	ErrCustomerNotFound = errors.New("polar: customer not found")      // 422 on create: no such customer ID or external ID
	ErrMemberNotFound   = errors.New("polar: member not found")        // 422: the customer has no such member
	ErrMemberRequired   = errors.New("polar: member required")         // 422: a team customer given without a member
)

// APIError is an answer that gave no result: a non-2xx status, or a 2xx
// that could not be used (Err says why), echoed secrets redacted. Its
// methods work on a zero value and a nil pointer, so tests can fake Polar.
type APIError struct {
	Operation  string        // the OpenAPI operationId, e.g. "customer-sessions:create"
	StatusCode int           // Polar's status; 429 for a call the cooldown held back
	Header     http.Header   // the response's header
	Body       []byte        // the response body, at most 1 MiB; nil for a failed 2xx
	Code       string        // Polar's "error" field, e.g. "invalid_token", "insufficient_scope"
	Detail     string        // Polar's "detail" or "error_description", when a string
	RetryAfter time.Duration // the wait the server asked for in Retry-After, if any
	Attempts   int           // how many requests the call made, retries included
	Err        error         // why a 2xx could not be used, or a 1xx is no answer

	hasRetryAfter bool // Retry-After was present and parsed, even as 0
	foreignToken  bool // the call's token is of no Polar form (no polar_ prefix)
}

// Error says in one line what Polar answered, the wait it asked for, the
// attempts made, and a hint for 401, 403 and 404.
func (e *APIError) Error() string {
	if e == nil {
		return "polar: <nil APIError>"
	}
	status := http.StatusText(e.StatusCode)
	parts := []string{e.Operation, strings.TrimSpace(fmt.Sprintf("%d %s", e.StatusCode, status))}
	if e.StatusCode == 0 {
		parts[1] = ""
	}
	if e.Code != status { // Polar often repeats itself: {"error":"Unauthorized","detail":"Unauthorized"}
		parts = append(parts, e.Code)
	}
	if e.Detail != e.Code && e.Detail != status {
		parts = append(parts, e.Detail)
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	s := message("API error", parts...)
	if e.RetryAfter > 0 {
		unit := time.Second // round up: 29.999984917s reads 30s
		if e.RetryAfter < time.Second {
			unit = time.Millisecond
		}
		s += fmt.Sprintf(" (retry after %s)", (min(e.RetryAfter, math.MaxInt64-unit) + unit - 1).Truncate(unit))
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if hint := e.Hint(); hint != "" {
		s += " (" + hint + ")"
	}
	return s
}

// message is "polar: " and the non-empty parts joined by ": ", or empty.
func message(empty string, parts ...string) string {
	parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" })
	if len(parts) == 0 {
		parts = []string{empty}
	}
	return "polar: " + strings.Join(parts, ": ")
}

// Hint says what usually causes a 401, 403 or 404 from Polar, for a person
// reading the error; "" for other statuses.
func (e *APIError) Hint() string {
	switch {
	case e == nil || e.Err != nil:
		return ""
	case e.StatusCode == http.StatusUnauthorized && e.foreignToken:
		return "hint: the token is not a Polar token, which all start with " + rules.PrefixPolar + "; is it another service's key?"
	case e.StatusCode == http.StatusUnauthorized && e.Operation == OperationIntrospect:
		return "hint: the session is unknown, expired (sessions last an hour) or from the other server"
	}
	return map[int]string{
		http.StatusUnauthorized: "hint: check the access token and that it is for this server; sandbox and production tokens differ",
		http.StatusForbidden:    "hint: the access token needs the customer_sessions:write scope",
		http.StatusNotFound:     "hint: check the server URL, any path prefix in it, and the Polar-Version",
	}[e.StatusCode]
}

// Is matches the status sentinels.
func (e *APIError) Is(target error) bool {
	return e != nil && (target == ErrUnauthorized && e.StatusCode == http.StatusUnauthorized ||
		target == ErrForbidden && e.StatusCode == http.StatusForbidden ||
		target == ErrNotFound && e.StatusCode == http.StatusNotFound ||
		target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests ||
		target == ErrServer && e.StatusCode >= 500 && e.StatusCode <= 599)
}

// Unwrap returns Err.
func (e *APIError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ValidationError is Polar's 422, field by field; errors.As finds its
// *APIError too. Its methods work on a zero value and a nil pointer.
type ValidationError struct {
	*APIError
	Errors []FieldError // Polar's detail items, in order
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
	sep := ": "
	for _, f := range e.Errors {
		s, sep = s+sep+f.String(), "; "
	}
	return s
}

// Is matches the status sentinels through the APIError, and the customer
// and member sentinels by Polar's message in a field error.
func (e *ValidationError) Is(target error) bool {
	msg, byMessage := map[error]string{ErrCustomerNotFound: rules.MsgCustomerNotFound,
		ErrMemberNotFound: rules.MsgMemberNotFound, ErrMemberRequired: rules.MsgMemberRequired}[target]
	if e == nil || !byMessage {
		return e != nil && e.APIError.Is(target)
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
	Loc   []any  // where: strings and list indexes, e.g. ["body", "customer_id"]
	Msg   string // the message, e.g. "Customer does not exist."
	Type  string // the kind, e.g. "value_error", "missing"
	Input any    // the offending value, as Polar echoed it; never in an error string
}

// Field is Loc without a leading "body" (or "query", …), joined by dots.
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

// String is "field: message", or the message alone.
func (f FieldError) String() string {
	if field := f.Field(); field != "" {
		return field + ": " + f.Msg
	}
	return f.Msg
}

// InputError is input refused before anything was sent; errors.Is matches
// it to ErrInvalidRequest. Its methods work on a zero value and nil.
type InputError struct {
	Field   string // what was refused: "customer_id", "WithTimeout", "access token", "ctx", …
	Problem string // what is wrong with it, never quoting a token, header or URL
}

// Error is "polar: invalid request: <field>: <problem>".
func (e *InputError) Error() string {
	if e == nil {
		return "polar: invalid request: <nil InputError>"
	}
	return message("", "invalid request", e.Field, e.Problem)
}

// Unwrap makes errors.Is(err, ErrInvalidRequest) hold.
func (e *InputError) Unwrap() error { return ErrInvalidRequest }

func invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// TransportError is a call that got no usable answer: the connection failed
// or timed out, the rate limiter refused, a hook panicked. errors.Is sees
// through Err; its methods work on a zero value and a nil pointer.
type TransportError struct {
	Operation string // the OpenAPI operationId
	// Class is "connection_refused", "connection_reset", "eof", "timeout" (an
	// AttemptTimeout), "tls", "dns", "canceled" and "deadline" (the caller's
	// context), "rate_limiter", "panic" or "other".
	Class    string
	Attempts int   // how many requests the call made, retries included
	Err      error // the underlying error, its message redacted

	retry bool // worth another attempt, decided when classified
}

// Error is "polar: <operation>: <class>: <cause>".
func (e *TransportError) Error() string {
	if e == nil {
		return "polar: <nil TransportError>"
	}
	cause := ""
	if e.Err != nil {
		cause = e.Err.Error()
	}
	s := message("", e.Operation, cmp.Or(e.Class, "transport failure"), cause)
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

// polarError is Polar's {"error", "detail"} and authlib's {"error", "error_description"}.
type polarError struct {
	Error            string          `json:"error"`
	Detail           json.RawMessage `json:"detail"`
	ErrorDescription string          `json:"error_description"`
}

// newAPIError makes the error for a non-2xx response, a 422's list a
// *ValidationError: the body redacted as text, Polar's fields once decoded
// (so that no escape hides a secret from the text).
func newAPIError(op string, resp *http.Response, body []byte, attempts int, red redactor) error {
	e := &APIError{Operation: op, StatusCode: resp.StatusCode, Header: red.header(resp.Header),
		Body: []byte(red.str(string(body))), Attempts: attempts, foreignToken: !strings.HasPrefix(red.token, rules.PrefixPolar)}
	if v := resp.Header.Get("Retry-After"); v != "" {
		e.RetryAfter, e.hasRetryAfter = rules.ParseRetryAfter(v, time.Now())
	}
	var pe polarError
	if len(body) == 0 || json.Unmarshal(body, &pe) != nil {
		return e // empty (a 429) or not JSON (a proxy's 502 page)
	}
	e.Code = red.str(pe.Error)
	if json.Unmarshal(pe.Detail, &e.Detail) != nil || e.Detail == "" {
		e.Detail = pe.ErrorDescription
	}
	e.Detail = red.str(e.Detail)
	var items []FieldError // its fields are the JSON keys, matched without case
	if resp.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(pe.Detail, &items) != nil {
		return e
	}
	for i, it := range items {
		for j, p := range it.Loc {
			if f, ok := p.(float64); ok && f == math.Trunc(f) {
				it.Loc[j] = int(f) // a list index
			}
		}
		items[i] = FieldError{Loc: red.value(it.Loc).([]any), Msg: red.str(it.Msg), Type: red.str(it.Type), Input: red.value(it.Input)}
	}
	return &ValidationError{APIError: e, Errors: items}
}

type field struct { // a required field of a decoded success, and whether it is absent
	name   string
	absent bool
}

// missingFields is the error for a decoded success lacking fields, or nil.
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
