package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/polarsessions/polarsessions-go/client"
)

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
		http.Redirect(w, r, sess.CustomerPortalURL, http.StatusSeeOther)

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
