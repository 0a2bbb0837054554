package client_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// A client given NewHTTPClient() (wrapped, as a user would wrap it for
// tracing) behaves as one with its own: the redirect policy drops the
// token off-origin, and 100 concurrent calls use at most 64 connections.
func TestNewHTTPClientBehavesAsTheDefault(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func() []client.Option
	}{
		{"default", func() []client.Option { return nil }},
		{"NewHTTPClient wrapped", func() []client.Option {
			hc := client.NewHTTPClient()
			hc.Transport = roundTripFunc(hc.Transport.RoundTrip) // a user's tracing wrapper
			return []client.Option{client.WithHTTPClient(hc)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := newTestServer(t)
			other.Mux.HandleFunc("POST "+createPath, createdOK)
			ts := newTestServer(t)
			ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.BaseURL()+"/v1/customer-sessions/", http.StatusTemporaryRedirect)
			})
			c := newClient(t, ts, tc.opts()...)
			_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
			require.NoError(t, err)
			require.Len(t, other.Requests(), 1)
			assert.Empty(t, other.Requests()[0].Header.Get("Authorization"))

			polar := polartest.NewServer()
			defer polar.Close()
			polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
			polar.Script(polartest.RouteAny, repeat(polartest.Delay(50*time.Millisecond), 100)...)
			c2, err := client.New(append([]client.Option{client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken())},
				tc.opts()...)...)
			require.NoError(t, err)
			defer c2.CloseIdleConnections()
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {
					_, err := c2.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
					assert.NoError(t, err)
				})
			}
			wg.Wait()
			assert.LessOrEqual(t, polar.Stats().Connections, 64)
			assert.Greater(t, polar.Stats().Connections, 2, "more than Go's default of 2 idle connections")
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func repeat(f polartest.Fault, n int) []polartest.Fault {
	out := make([]polartest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// The default policy's attempt timeout rescues a call whose first attempt
// hangs: the attempt is abandoned after 5s and a second one succeeds.
func TestDefaultAttemptTimeoutRescuesAHungAttempt(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 5*time.Second, client.DefaultRetryPolicy().AttemptTimeout)
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	polar.Script(polartest.RouteCreate, polartest.Delay(time.Minute))
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	start := time.Now()
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
	took := time.Since(start)
	require.NoError(t, err)
	assert.Len(t, polar.Requests(), 2)
	assert.GreaterOrEqual(t, took, 5*time.Second)
	assert.Less(t, took, 15*time.Second, "not the transport's 30s response-header timeout")
}
