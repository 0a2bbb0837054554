package benchmarks

import (
	"context"
	"testing"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// BenchmarkFakeCreate and BenchmarkFakeIntrospect measure polartest as a
// user's test suite meets it: the facade, with default options, over plain
// HTTP/1.1 on loopback, against polartest ("polartest") and against the
// floor server the client benchmarks use, which answers the same
// operations with fixed bytes ("floor"), sequentially and from 64
// goroutines. Their ratio is what the fake costs a suite over a server that
// does no work; both run in the same process run, moments apart.
func BenchmarkFakeCreate(b *testing.B) {
	runFake(b, func(v variant) func(context.Context) error { return v.create })
}

func BenchmarkFakeIntrospect(b *testing.B) {
	runFake(b, func(v variant) func(context.Context) error { return v.introspect })
}

func runFake(b *testing.B, op func(variant) func(context.Context) error) {
	for _, parallel := range []bool{false, true} {
		mode := "seq"
		if parallel {
			mode = "par64"
		}
		b.Run("floor/"+mode, func(b *testing.B) {
			measure(b, newServer(b, plain, 0), func(s *server) variant { return facade(s) }, op, parallel)
		})
		b.Run("polartest/"+mode, func(b *testing.B) {
			srv := polartest.NewServer()
			b.Cleanup(srv.Close)
			srv.AddCustomer(polartest.Customer{ID: customerID, Email: "jane@example.com", Name: "Jane Doe"})
			v := facadeAt(srv.URL(), srv.AccessToken(), srv.CreateSession(customerID, "https://example.com/account"))
			defer v.close()
			call := op(v)
			if err := call(context.Background()); err != nil {
				b.Fatal(err)
			}
			timeCalls(b, call, parallel)
			b.ReportMetric(float64(srv.Stats().Connections), "conns")
		})
	}
}

// facadeAt is the facade with default options, plus extra options, for a
// server at url, creating sessions with accessToken and introspecting
// sessionToken.
func facadeAt(url, accessToken, sessionToken string, opts ...client.Option) variant {
	c, err := client.New(append([]client.Option{client.WithServerURL(url), client.WithAccessToken(accessToken)}, opts...)...)
	if err != nil {
		panic(err)
	}
	req := client.CreateCustomerSessionRequest{CustomerID: customerID}
	return variant{
		create: func(ctx context.Context) error {
			_, err := c.CustomerSessions.Create(ctx, req)
			return err
		},
		introspect: func(ctx context.Context) error {
			_, err := c.CustomerPortal.CustomerSession.Introspect(ctx, sessionToken)
			return err
		},
		close: c.CloseIdleConnections,
	}
}
