package client_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// countingLimiter lets every request through and counts them.
type countingLimiter struct{ waits atomic.Int64 }

func (l *countingLimiter) Wait(ctx context.Context) error {
	l.waits.Add(1)
	return ctx.Err()
}

var errBudgetSpent = errors.New("budget spent")

// refusingLimiter lets the first allow requests through, then refuses.
type refusingLimiter struct {
	allow int64
	seen  atomic.Int64
}

func (l *refusingLimiter) Wait(context.Context) error {
	if l.seen.Add(1) > l.allow {
		return errBudgetSpent
	}
	return nil
}

func TestRateLimiterIsAskedBeforeEveryAttempt(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	polar.Script(polartest.RouteCreate, polartest.Status(503), polartest.Reset())
	var l countingLimiter
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(noWaitPolicy(nil)), client.WithRateLimiter(&l))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
	require.NoError(t, err)
	assert.Equal(t, int64(3), l.waits.Load(), "one Wait per attempt")
	assert.Equal(t, 3, polar.Stats().Requests)

	// Per call, nil lifts the client's limiter.
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"},
		client.WithRateLimiter(nil))
	require.NoError(t, err)
	assert.Equal(t, int64(3), l.waits.Load())
}

func TestRefusingRateLimiterSendsNothing(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(noWaitPolicy(nil)), client.WithRateLimiter(&refusingLimiter{}))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
	require.ErrorIs(t, err, errBudgetSpent)
	assert.Equal(t, "polar: customer-sessions:create: rate_limiter: budget spent", err.Error())
	var tErr *client.TransportError
	require.ErrorAs(t, err, &tErr, "a typed error, like a connection that could not be had")
	assert.Equal(t, "rate_limiter", tErr.Class)
	assert.Zero(t, tErr.Attempts)
	assert.Empty(t, polar.Requests(), "nothing may be sent")

	// Refused before a retry: both the limiter's error and the last failure
	// are visible.
	polar.Script(polartest.RouteCreate, polartest.Status(503))
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"},
		client.WithRateLimiter(&refusingLimiter{allow: 1}))
	require.ErrorIs(t, err, errBudgetSpent)
	require.ErrorIs(t, err, client.ErrServer)
	assert.Len(t, polar.Requests(), 1)

	// A limiter that returns the context's error ends the call with it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"},
		client.WithRateLimiter(&countingLimiter{}))
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, polar.Requests(), 1)
}
