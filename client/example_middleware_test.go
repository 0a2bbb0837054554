package client_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

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
