package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

var sentinels = []error{client.ErrInvalidRequest, client.ErrUnauthorized, client.ErrForbidden,
	client.ErrNotFound, client.ErrRateLimited, client.ErrServer}

// TestErrorBodies maps Polar's real error responses onto typed errors.
func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		status     int
		sentinel   error // nil: matches none
		code       string
		detail     string
		retryAfter time.Duration
		msg        string
	}{
		{"401 unauthorized",
			status(401, `{"error":"Unauthorized","detail":"Unauthorized"}`, "WWW-Authenticate", `Bearer realm="polar"`),
			401, client.ErrUnauthorized, "Unauthorized", "Unauthorized", 0,
			"polar: customer-sessions:create: 401 Unauthorized"},
		{"401 invalid token",
			status(401, `{"error":"invalid_token","error_description":"The access token provided is expired, revoked, malformed, or invalid for other reasons."}`),
			401, client.ErrUnauthorized, "invalid_token", "The access token provided is expired, revoked, malformed, or invalid for other reasons.", 0,
			"401 Unauthorized: invalid_token: The access token provided is expired"},
		{"403 insufficient scope",
			status(403, `{"error":"insufficient_scope","detail":"The access token does not have the required scope."}`),
			403, client.ErrForbidden, "insufficient_scope", "The access token does not have the required scope.", 0,
			"403 Forbidden: insufficient_scope"},
		{"404", status(404, `{"detail":"Not Found"}`), 404, client.ErrNotFound, "", "Not Found", 0,
			"polar: customer-sessions:create: 404 Not Found"},
		{"429 empty body", status(429, "", "retry-after", "7"), 429, client.ErrRateLimited, "", "", 7 * time.Second,
			"429 Too Many Requests (retry after 7s)"},
		{"500 plain text", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(500)
			_, _ = w.Write([]byte("Internal Server Error"))
		}, 500, client.ErrServer, "", "", 0, "500 Internal Server Error"},
		{"502 html page", status(502, "<html>bad gateway</html>"), 502, client.ErrServer, "", "", 0, "502 Bad Gateway"},
		{"400", status(400, `{"error":"bad","detail":"Bad request"}`), 400, nil, "bad", "Bad request", 0, "400 Bad Request"},
		{"501 not retried, still a server error", status(501, `{"detail":"nope"}`), 501, client.ErrServer, "", "nope", 0, "501 Not Implemented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.Mux.HandleFunc("POST "+createPath, tt.handler)
			c := newClient(t, ts, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))

			s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
			require.Error(t, err)
			assert.Nil(t, s)

			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.detail, apiErr.Detail)
			assert.Equal(t, tt.retryAfter, apiErr.RetryAfter)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, "customer-sessions:create", apiErr.Operation)
			assert.NotNil(t, apiErr.Header)
			assert.Contains(t, err.Error(), tt.msg)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.sentinel, errors.Is(err, s), "errors.Is(err, %v)", s)
			}
			var vErr *client.ValidationError
			assert.False(t, errors.As(err, &vErr))
		})
	}
}

func TestValidationError(t *testing.T) {
	body := `{"error":"PolarRequestValidationError","detail":[` +
		`{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"992fae2a-2a17-4b7a-8d9e-e287cf90131b"},` +
		`{"loc":["body","items",0,"name"],"msg":"Field required","type":"missing"}]}`
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(422, body))
	c := newClient(t, ts)

	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})

	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	require.Len(t, vErr.Errors, 2)
	assert.Equal(t, client.FieldError{
		Loc: []any{"body", "customer_id"}, Msg: "Customer does not exist.", Type: "value_error",
		Input: "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
	}, vErr.Errors[0])
	assert.Equal(t, "customer_id", vErr.Errors[0].Field())
	assert.Equal(t, []any{"body", "items", 0, "name"}, vErr.Errors[1].Loc)
	assert.Equal(t, "items.0.name", vErr.Errors[1].Field())
	assert.Nil(t, vErr.Errors[1].Input)

	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr, "a 422 is an *APIError too")
	assert.Equal(t, 422, apiErr.StatusCode)
	assert.Equal(t, "PolarRequestValidationError", apiErr.Code)
	assert.Empty(t, apiErr.Detail, "detail is a list here, not a string")
	assert.Equal(t, 1, apiErr.Attempts, "a 422 is not retried")
	assert.Equal(t, "polar: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError: "+
		"customer_id: Customer does not exist.; items.0.name: Field required", err.Error())
	assert.NotContains(t, err.Error(), "992fae2a", "inputs are never part of the message")
	for _, s := range sentinels {
		assert.False(t, errors.Is(err, s), "a 422 matches no sentinel, got %v", s)
	}
}

// A 2xx whose body is not a CustomerSession keeps its status.
func TestUndecodableSuccess(t *testing.T) {
	for _, body := range []string{`{"id": `, `not json`, `[1,2]`, ``, `{}`, `null`, `{"id":"x"}`,
		`{"token":"polar_cst_x","customer_portal_url":"u","customer_id":"c","expires_at":"2026-11-21T11:00:00Z"}`} {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, status(201, body))
		c := newClient(t, ts)

		s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		assert.Nil(t, s, body)
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr, body)
		assert.Equal(t, 201, apiErr.StatusCode)
		assert.Contains(t, err.Error(), "201 Created: decoding response", body)
		assert.Len(t, ts.Requests(), 1, "a malformed success is not retried")
		// The decoding error is kept as a redacted message (it may quote
		// what the server sent), not as the original error.
		var syntaxErr *json.SyntaxError
		assert.False(t, errors.As(err, &syntaxErr))
		assert.True(t, strings.Contains(err.Error(), "invalid character") || strings.Contains(err.Error(), "cannot unmarshal") ||
			strings.Contains(err.Error(), "end of JSON input") || strings.Contains(err.Error(), "required fields missing"), body)
	}
}

func TestResponseSizeLimits(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)

	t.Run("success over the limit, with Content-Length", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, status(201, `{"token":"`+huge+`"}`))
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.ErrorIs(t, err, client.ErrResponseTooLarge)
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 201, apiErr.StatusCode)
	})

	t.Run("success over the limit, chunked", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(201)
			for range 5 {
				_, _ = w.Write([]byte(huge[:1<<20]))
				http.NewResponseController(w).Flush()
			}
		})
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.ErrorIs(t, err, client.ErrResponseTooLarge)
	})

	t.Run("error body is capped at 1 MiB", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, status(400, huge))
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 400, apiErr.StatusCode)
		assert.Len(t, apiErr.Body, 1<<20)
	})
}

func TestInputErrorAndErrorStrings(t *testing.T) {
	err := error(&client.InputError{Field: "customer_id", Problem: "must be a UUID"})
	assert.Equal(t, "polar: invalid request: customer_id: must be a UUID", err.Error())
	assert.ErrorIs(t, err, client.ErrInvalidRequest)

	repeated := &client.APIError{Operation: "op", StatusCode: 500, Code: "Internal Server Error", Detail: "Internal Server Error"}
	assert.Equal(t, "polar: op: 500 Internal Server Error", repeated.Error(), "Polar's repetitions are said once")
	unauthorized := &client.APIError{Operation: client.OperationCreate, StatusCode: 401, Code: "Unauthorized", Detail: "Unauthorized"}
	assert.Equal(t, "polar: customer-sessions:create: 401 Unauthorized (hint: check the access token and that it is for this server; sandbox and production tokens differ)",
		unauthorized.Error(), "said once, with a hint")
	notFound := &client.APIError{Operation: "op", StatusCode: 404, Detail: "Not Found"}
	assert.Equal(t, "polar: op: 404 Not Found (hint: check the server URL, any path prefix in it, and the Polar-Version)", notFound.Error())

	apiErr := &client.APIError{Operation: "op", StatusCode: 503, Attempts: 3, RetryAfter: 2 * time.Second}
	assert.Equal(t, "polar: op: 503 Service Unavailable (retry after 2s) (after 3 attempts)", apiErr.Error())
	assert.ErrorIs(t, apiErr, client.ErrServer)

	// A cooldown's time left is rounded up, to the second or below one to
	// the millisecond.
	for wait, want := range map[time.Duration]string{29999984917: "30s", 1500 * time.Millisecond: "2s", 612345678: "613ms", time.Nanosecond: "1ms"} {
		e := &client.APIError{StatusCode: 429, RetryAfter: wait}
		assert.Equal(t, "polar: 429 Too Many Requests (retry after "+want+")", e.Error())
	}
	assert.Equal(t, "polar: API error", (&client.APIError{}).Error(), "no trailing space")
	assert.Equal(t, "polar: op: 599", (&client.APIError{Operation: "op", StatusCode: 599}).Error(), "no trailing space")
}

func TestIncompleteSuccessNamesMissingFields(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(201, `{"id":"x"}`))
	ts.Mux.HandleFunc("GET "+introspectPath, status(200, `{"return_url":null}`))
	c := newClient(t, ts)

	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	assert.EqualError(t, err, "polar: customer-sessions:create: 201 Created: decoding response: "+
		"required fields missing: customer, customer_id, customer_portal_url, expires_at, token")
	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken)
	assert.EqualError(t, err, "polar: customer_portal:customer-session:introspect: 200 OK: decoding response: required fields missing: expires_at")

	var session map[string]any
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionIndividual(), &session))
	for _, customer := range []any{nil, "individual", []any{}} {
		session["customer"] = customer
		body, err := json.Marshal(session)
		require.NoError(t, err)
		c := fuzzClient(t, cannedDoer{status: 201, body: body})
		_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		assert.ErrorContains(t, err, "required fields missing: customer", "customer %v", customer)
	}
}

// A location that is neither a string nor an int (the spec allows only
// those) is kept as decoded, redacted like the rest, and printed by Field.
func TestValidationLocOfOtherTypes(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(422, `{"detail":[{"loc":["body",["`+testSessionToken+`"],{"k":1},1.5,null],"msg":"bad"}]}`))
	c := newClient(t, ts)
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, []any{"body", []any{"polar_cst_[redacted]"}, map[string]any{"k": float64(1)}, 1.5, nil}, vErr.Errors[0].Loc)
	assert.Equal(t, "[polar_cst_[redacted]].map[k:1].1.5.<nil>", vErr.Errors[0].Field())
	assert.NotContains(t, err.Error(), testSessionToken)
}

func FuzzErrorBody(f *testing.F) {
	f.Add(401, []byte(`{"error":"Unauthorized","detail":"Unauthorized"}`), "")
	f.Add(401, []byte(`{"error":"invalid_token","error_description":"expired"}`), "")
	f.Add(422, []byte(`{"error":"PolarRequestValidationError","detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"x"}]}`), "")
	f.Add(422, []byte(`{"detail":[{"loc":[1.5,null,{}],"msg":7}]}`), "")
	f.Add(422, []byte(`{"detail":[{"loc":["body",["x"],{"k":"x"}],"msg":"m"}]}`), "")
	f.Add(429, []byte(``), "7")
	f.Add(503, []byte(`upstream connect error`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		status = 400 + abs(status)%200
		// Plant the secret where a careless server would echo it.
		body = bytes.Replace(body, []byte("x"), []byte(fuzzSecret), 1)
		h := http.Header{}
		if retryAfter != "" && !strings.ContainsAny(retryAfter, "\r\n") {
			h.Set("Retry-After", retryAfter)
		}
		c := fuzzClient(t, cannedDoer{status: status, header: h, body: body})
		s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "x"})
		checkOutcome(t, s, err)
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Fatalf("want *client.APIError with status %d, got %v", status, err)
		}
		if apiErr.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %v", apiErr.RetryAfter)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1) // no overflow at MinInt
	}
	return n
}

// Users build these errors to fake Polar's failures in their own tests:
// every method works on a zero value and on a nil pointer.
func TestErrorTypesZeroValues(t *testing.T) {
	sentinels := []error{client.ErrInvalidRequest, client.ErrUnauthorized, client.ErrForbidden, client.ErrNotFound,
		client.ErrRateLimited, client.ErrServer, client.ErrResponseTooLarge, context.Canceled, context.DeadlineExceeded}
	values := map[string]error{
		"APIError{}":                   &client.APIError{},
		"(*APIError)(nil)":             (*client.APIError)(nil),
		"ValidationError{}":            &client.ValidationError{},
		"ValidationError{APIError{}}":  &client.ValidationError{APIError: &client.APIError{}},
		"ValidationError{Errors}":      &client.ValidationError{Errors: []client.FieldError{{}}},
		"(*ValidationError)(nil)":      (*client.ValidationError)(nil),
		"TransportError{}":             &client.TransportError{},
		"TransportError{Class}":        &client.TransportError{Class: "timeout"},
		"(*TransportError)(nil)":       (*client.TransportError)(nil),
		"InputError{}":                 &client.InputError{},
		"(*InputError)(nil)":           (*client.InputError)(nil),
		"wrapped ValidationError{}":    fmt.Errorf("wrapped: %w", &client.ValidationError{}),
		"wrapped (*TransportError)nil": fmt.Errorf("wrapped: %w", (*client.TransportError)(nil)),
	}
	for name, err := range values {
		assert.NotPanics(t, func() {
			assert.NotEmpty(t, err.Error(), name)
			_ = errors.Unwrap(err)
			for _, s := range sentinels {
				_ = errors.Is(err, s)
			}
			var apiErr *client.APIError
			var vErr *client.ValidationError
			var tErr *client.TransportError
			var inErr *client.InputError
			_ = errors.As(err, &apiErr)
			_ = errors.As(err, &vErr)
			_ = errors.As(err, &tErr)
			_ = errors.As(err, &inErr)
			_ = fmt.Sprintf("%v %+v %#v", err, err, err)
		}, name)
	}

	// What the zero values say and match.
	assert.Equal(t, "polar: API error", (&client.APIError{}).Error())
	assert.Equal(t, "polar: validation failed", (&client.ValidationError{}).Error())
	assert.Equal(t, "polar: validation failed: Field required", (&client.ValidationError{Errors: []client.FieldError{{Msg: "Field required"}}}).Error())
	assert.Equal(t, "polar: timeout", (&client.TransportError{Class: "timeout"}).Error())
	assert.Equal(t, "polar: transport failure", (&client.TransportError{}).Error())
	assert.Equal(t, "polar: invalid request", (&client.InputError{}).Error())
	assert.False(t, errors.Is(&client.ValidationError{}, client.ErrServer))
	assert.True(t, errors.Is(&client.ValidationError{APIError: &client.APIError{StatusCode: 503}}, client.ErrServer))
	assert.True(t, errors.Is(&client.InputError{}, client.ErrInvalidRequest))
	assert.Nil(t, (&client.ValidationError{}).Unwrap(), "no typed nil inside a non-nil interface")
	assert.Nil(t, (&client.TransportError{}).Unwrap())
	var apiErr *client.APIError
	assert.False(t, errors.As(&client.ValidationError{}, &apiErr))
	assert.Equal(t, "", (&client.APIError{}).Hint())
}

// A Retry-After too long to round up prints without overflowing.
func TestHugeRetryAfterPrints(t *testing.T) {
	e := &client.APIError{Operation: client.OperationCreate, StatusCode: http.StatusTooManyRequests, RetryAfter: math.MaxInt64}
	assert.Equal(t, "polar: customer-sessions:create: 429 Too Many Requests (retry after 2562047h47m16s)", e.Error())
}
