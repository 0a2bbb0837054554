package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
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
	// Send the customer to sess.CustomerPortalURL; it embeds sess.Token.
	fmt.Println("portal URL carries the token:", strings.Contains(sess.CustomerPortalURL, sess.Token))
	fmt.Println("expires:", sess.ExpiresAt.Format(time.RFC3339))
	if customer, ok := sess.Individual(); ok {
		fmt.Println("customer:", customer.Email)
	}
	// Printing the session never shows the secret.
	fmt.Println(strings.Contains(fmt.Sprint(sess), sess.Token))
	// Output:
	// portal URL carries the token: true
	// expires: 2026-11-21T11:00:00Z
	// customer: jane@example.com
	// false
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
	// polar: invalid request: customer_id: must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b (invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `u` at 2)
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
