package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"golang.org/x/time/rate"
)

// The examples run against polartest, the module's in-process fake Polar
// server; against Polar, leave out WithServerURL (or pass ServerSandbox) and
// use a real organization access token.

// now is the fake server's clock, so that the examples' output is stable.
func now() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) }

func ExampleCustomerSessions_Create() {
	polar := polartest.NewServer(polartest.WithClock(now))
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com", Name: "Jane Doe"})

	c, err := client.New(
		client.WithServerURL(polar.URL()), // omit for https://api.polar.sh
		client.WithAccessToken(polar.AccessToken()),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{
		ExternalCustomerID: "usr_1337",
		ReturnURL:          "https://example.com/account",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Send the customer to sess.CustomerPortalURL.Reveal(); it embeds sess.Token.Reveal().
	fmt.Println("portal URL carries the token:", strings.Contains(sess.CustomerPortalURL.Reveal(), sess.Token.Reveal()))
	fmt.Println("expires:", sess.ExpiresAt.Format(time.RFC3339))
	if customer, ok := sess.Individual(); ok {
		fmt.Println("customer:", customer.Email)
	}
	// Printing the session never shows the secret.
	fmt.Println(strings.Contains(fmt.Sprint(sess), sess.Token.Reveal()))
	// Output:
	// portal URL carries the token: true
	// expires: 2026-11-21T11:00:00Z
	// customer: jane@example.com
	// false
}

// A session's fields are its generated model's: the token and portal URL
// are rules.Secret, redacted when printed and revealed on purpose.
func ExampleCustomerSession() {
	polar := polartest.NewServer(polartest.WithClock(now))
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	if err != nil {
		fmt.Println(err)
		return
	}
	sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("token:", sess.Token, "portal:", sess.CustomerPortalURL) // redacted
	token := sess.Token.Reveal()                                         // the value, for Introspect
	fmt.Println("kind:", token[:len("polar_mst_")], "length:", len(token))
	portal, err := url.Parse(sess.CustomerPortalURL.Reveal()) // where to send the customer
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("portal host:", portal.Host, "carries the token:", portal.Query().Get("customer_session_token") == token)
	fmt.Println("expires:", sess.ExpiresAt.Format(time.RFC3339), "customer:", sess.CustomerType(), sess.CustomerID != "")
	// Output:
	// token: [redacted] portal: [redacted]
	// kind: polar_mst_ length: 53
	// portal host: polar.sh carries the token: true
	// expires: 2026-11-21T11:00:00Z customer: individual true
}

func ExampleCustomerPortalCustomerSession_Introspect() {
	polar := polartest.NewServer(polartest.WithClock(now))
	defer polar.Close()
	customer := polar.AddCustomer(polartest.Customer{})
	// The customer session token usually comes from your frontend.
	sessionToken := polar.CreateSession(customer.ID, "https://example.com/account")

	// Introspection needs no organization token: the session token is
	// the call's credential.
	c, err := client.New(client.WithServerURL(polar.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	info, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), sessionToken)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("expires:", info.ExpiresAt.Format(time.RFC3339))
	fmt.Println("return URL:", *info.ReturnURL)

	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), "polar_cst_unknown")
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && errors.Is(err, client.ErrUnauthorized) {
		fmt.Println("unknown token:", apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// expires: 2026-11-21T11:00:00Z
	// return URL: https://example.com/account
	// unknown token: 401 invalid_token
}

// A per-call WithAccessToken overrides the client's token for one call,
// for instance to act for another organization.
func ExampleWithAccessToken() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	readOnly := polar.AddAccessToken("polar_oat_readOnlyToken", "customers:read")

	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(readOnly))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	req := client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"}

	_, err = c.CustomerSessions.Create(ctx, req)
	fmt.Println("client token:", errors.Is(err, client.ErrForbidden), err)

	_, err = c.CustomerSessions.Create(ctx, req, client.WithAccessToken(polar.AccessToken()))
	fmt.Println("per-call token:", err)
	// Output:
	// client token: true polar: customer-sessions:create: 403 Forbidden: insufficient_scope: The request requires higher privileges than provided by the access token. (hint: the access token needs the customer_sessions:write scope)
	// per-call token: <nil>
}

// Polar answers a request it cannot accept with a 422 listing the problems;
// errors.As gives them field by field.
func ExampleValidationError() {
	polar := polartest.NewServer()
	defer polar.Close()
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{
		ExternalCustomerID: "usr_nobody",
	})
	var vErr *client.ValidationError
	if errors.As(err, &vErr) {
		for _, fe := range vErr.Errors {
			fmt.Printf("%s: %s (%s)\n", fe.Field(), fe.Msg, fe.Type)
		}
		fmt.Println("status:", vErr.StatusCode)
	}
	// Output:
	// external_customer_id: Customer does not exist. (value_error)
	// status: 422
}

// Input the client can check is refused before anything is sent.
func ExampleInputError() {
	c, err := client.New(client.WithAccessToken("polar_oat_example"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: "cus_123"})
	fmt.Println(errors.Is(err, client.ErrInvalidRequest))
	fmt.Println(err)
	// Output:
	// true
	// polar: invalid request: customer_id: must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b
}

// Retries are on by default: here a rate limit and an outage are ridden
// through without the caller writing a loop.
func ExampleRetryPolicy() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	polar.Script(polartest.RouteCreate, polartest.RateLimited(0), polartest.Status(503))

	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(client.RetryPolicy{
			MaxAttempts:     4,
			InitialInterval: 10 * time.Millisecond,
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
	fmt.Println("error:", err)
	for _, r := range polar.Requests() {
		fmt.Println(r.Method, r.Status)
	}
	// Output:
	// error: <nil>
	// POST 429
	// POST 503
	// POST 201
}

// The README's quick start: create a session for a customer and send them
// to their portal, then introspect a session token. (Compiled, not run: it
// needs a Polar account; the runnable examples use polartest.)
func Example_quickStart() {
	handler := func(ctx context.Context, w http.ResponseWriter, r *http.Request, sessionToken string) error {
		c, err := client.New() // the organization token comes from $POLAR_ACCESS_TOKEN, or WithAccessToken
		if err != nil {
			return err
		}

		// Create: a session for your customer, given by your own ID or by Polar's.
		sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{
			ExternalCustomerID: "usr_1337", // or CustomerID: a Polar customer UUID
			ReturnURL:          "https://example.com/account",
		})
		if err != nil {
			return err
		}
		http.Redirect(w, r, sess.CustomerPortalURL.Reveal(), http.StatusSeeOther)

		// The customer is a union: individual or team.
		if person, ok := sess.Individual(); ok {
			log.Printf("portal for %s, until %s", person.Email, sess.ExpiresAt)
		}

		// Introspect: the session token is the credential; no organization token is sent.
		info, err := c.CustomerPortal.CustomerSession.Introspect(ctx, sessionToken)
		if err != nil {
			return err
		}
		fmt.Println("session valid until", info.ExpiresAt)
		return nil
	}
	_ = handler
}

// Options given to a call apply to that call only. (Compiled, not run.)
func Example_perCallOptions() {
	call := func(ctx context.Context, c *client.Client, req client.CreateCustomerSessionRequest, otherOrgToken, reqID string) error {
		// One call with another organization's token, a tighter deadline and a trace header.
		sess, err := c.CustomerSessions.Create(ctx, req,
			client.WithAccessToken(otherOrgToken),
			client.WithTimeout(3*time.Second),
			client.WithHeader("X-Request-ID", reqID))
		_ = sess
		return err
	}
	_ = call
}

// Every failure, told apart. (Compiled, not run.)
func Example_errors() {
	call := func(ctx context.Context, c *client.Client, req client.CreateCustomerSessionRequest) {
		sess, err := c.CustomerSessions.Create(ctx, req)
		var vErr *client.ValidationError
		var apiErr *client.APIError
		var tErr *client.TransportError
		switch {
		case err == nil:
			// use sess
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			// your context ended (the last failure, if any, is wrapped too)
		case errors.Is(err, client.ErrInvalidRequest): // refused before sending: a *client.InputError
		case errors.As(err, &vErr): // Polar's 422, field by field
			for _, fe := range vErr.Errors {
				log.Printf("%s: %s", fe.Field(), fe.Msg) // external_customer_id: Customer does not exist.
			}
		case errors.Is(err, client.ErrRateLimited) && errors.As(err, &apiErr):
			// a 429 not waited out: come back after apiErr.RetryAfter
		case errors.As(err, &apiErr): // any other status: .StatusCode, .Code ("invalid_token"), .Detail, .Hint()
		case errors.As(err, &tErr): // no usable response: .Class ("connection_reset", "timeout", "tls", "rate_limiter", …)
		}
		_ = sess
	}
	_ = call
}

// Retry policies other than the default.
func ExampleWithRetryPolicy() {
	noRetries := client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})
	patient := client.WithRetryPolicy(client.RetryPolicy{
		MaxAttempts:    5,
		MaxInterval:    30 * time.Second, // wait out longer rate limits
		AttemptTimeout: 10 * time.Second, // more than the default 5s per attempt
	})
	_, err := client.New(noRetries)
	fmt.Println(err)
	_, err = client.New(patient)
	fmt.Println(err)
	// Output:
	// <nil>
	// <nil>
}

// metrics stands in for a metrics library.
var metrics = struct {
	Observe func(path string, d time.Duration)
}{Observe: func(string, time.Duration) {}}

// A client within Polar's budget of 500 requests a minute, timing every
// attempt. (Compiled, not run.)
func Example_rateLimitAndMiddleware() {
	setup := func() (*client.Client, error) {
		c, err := client.New(
			client.WithRateLimiter(rate.NewLimiter(rate.Every(time.Minute/500), 10)), // Polar: 500 a minute
			client.WithMiddleware(func(req *http.Request, next client.MiddlewareNext) (*http.Response, error) {
				start := time.Now()
				resp, err := next(req) // once per attempt, retries included
				metrics.Observe(req.URL.Path, time.Since(start))
				return resp, err
			}),
		)
		return c, err
	}
	_ = setup
}

// Tracer is the shape of a tracing API such as OpenTelemetry's
// trace.Tracer, reduced to what the example needs. With OpenTelemetry, the
// middleware below calls otel's tracer and span directly.
type Tracer interface {
	Start(ctx context.Context, name string) (context.Context, Span)
}

// Span is one traced operation.
type Span interface {
	SetAttribute(key string, value any)
	RecordError(err error)
	End()
}

// Tracing middleware: one span per attempt, so retries show as separate
// spans with their own status, and the span's context reaches the
// transport (for otelhttp or httptrace beneath).
func ExampleWithMiddleware_tracing() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	polar.Script(polartest.RouteCreate, polartest.Status(503))

	var tracer Tracer = printTracer{}
	tracing := func(req *http.Request, next client.MiddlewareNext) (*http.Response, error) {
		ctx, span := tracer.Start(req.Context(), "polar "+req.Method+" "+req.URL.Path)
		defer span.End()
		resp, err := next(req.WithContext(ctx))
		if err != nil {
			span.RecordError(err)
			return nil, err
		}
		span.SetAttribute("http.response.status_code", resp.StatusCode)
		return resp, nil
	}

	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithMiddleware(tracing),
		client.WithRetryPolicy(client.RetryPolicy{InitialInterval: 10 * time.Millisecond}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
	fmt.Println("error:", err)
	// Output:
	// span "polar POST /v1/customer-sessions/": http.response.status_code=503
	// span "polar POST /v1/customer-sessions/": http.response.status_code=201
	// error: <nil>
}

// Request-ID middleware: the ID of the request being served travels with the
// context and goes to Polar as a header, so both sides' logs can be joined.
func ExampleWithMiddleware_requestID() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	type requestIDKey struct{}
	requestID := func(req *http.Request, next client.MiddlewareNext) (*http.Response, error) {
		if id, ok := req.Context().Value(requestIDKey{}).(string); ok {
			req.Header.Set("X-Request-ID", id)
		}
		return next(req)
	}

	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithMiddleware(requestID))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.WithValue(context.Background(), requestIDKey{}, "req_8f14e45f")
	_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
	fmt.Println("error:", err)
	fmt.Println("Polar saw X-Request-ID:", polar.Requests()[0].Header.Get("X-Request-ID"))
	// Output:
	// error: <nil>
	// Polar saw X-Request-ID: req_8f14e45f
}

// A rate limiter keeps one process within Polar's budget of 500 requests a
// minute per organization (100 in the sandbox): every attempt, retries
// included, waits for a token.
func ExampleWithRateLimiter() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	limiter := rate.NewLimiter(rate.Every(time.Minute/500), 10) // *rate.Limiter is a client.RateLimiter
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRateLimiter(limiter))
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
		fmt.Println("error:", err)
	}
	// Output:
	// error: <nil>
	// error: <nil>
	// error: <nil>
}

// NewHTTPClient gives the tuned HTTP client a Client uses by default, for
// wrapping its transport (here, counting round trips) without losing its
// connection limits and redirect policy.
func ExampleNewHTTPClient() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	hc := client.NewHTTPClient()
	var roundTrips atomic.Int64
	inner := hc.Transport
	hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		roundTrips.Add(1)
		return inner.RoundTrip(r)
	})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithHTTPClient(hc))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
	fmt.Println("error:", err, "round trips:", roundTrips.Load())
	// Output:
	// error: <nil> round trips: 1
}

// printTracer prints each span when it ends.
type printTracer struct{}

func (printTracer) Start(ctx context.Context, name string) (context.Context, Span) {
	return ctx, &printSpan{name: name}
}

type printSpan struct {
	name  string
	attrs string
}

func (s *printSpan) SetAttribute(key string, value any) { s.attrs += fmt.Sprintf("%s=%v", key, value) }
func (s *printSpan) RecordError(err error)              { s.attrs += "error=" + err.Error() }
func (s *printSpan) End()                               { fmt.Printf("span %q: %s\n", s.name, s.attrs) }
