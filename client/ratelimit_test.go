package client_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// The cooldown runs on real time: these tests use Retry-After of a second.

// signal is a slog handler that closes c the first time msg is logged.
type signal struct {
	msg  string
	c    chan struct{}
	once sync.Once
}

func newSignal(msg string) *signal { return &signal{msg: msg, c: make(chan struct{})} }

func (s *signal) Enabled(context.Context, slog.Level) bool { return true }
func (s *signal) WithAttrs([]slog.Attr) slog.Handler       { return s }
func (s *signal) WithGroup(string) slog.Handler            { return s }
func (s *signal) Handle(_ context.Context, r slog.Record) error {
	if r.Message == s.msg {
		s.once.Do(func() { close(s.c) })
	}
	return nil
}

// waitFor fails the test if s does not fire within a few seconds.
func (s *signal) waitFor(t *testing.T) {
	t.Helper()
	select {
	case <-s.c:
	case <-time.After(5 * time.Second):
		t.Fatalf("%q was never logged", s.msg)
	}
}

func TestCooldownHoldsBackTheSameToken(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	other := polar.AddAccessToken("", polartest.ScopeCustomerSessionsWrite)
	polar.Script(polartest.RouteCreate, polartest.RateLimited(time.Second))
	retrying := newSignal("polar: retrying")
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithLogger(slog.New(retrying)))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	req := client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}
	ctx := context.Background()

	var wg sync.WaitGroup
	wg.Go(func() { // meets the 429, waits it out, succeeds
		_, err := c.CustomerSessions.Create(ctx, req)
		assert.NoError(t, err)
	})
	retrying.waitFor(t)

	// While it cools down: calls with the same token wait, and succeed.
	for range 8 {
		wg.Go(func() {
			_, err := c.CustomerSessions.Create(ctx, req)
			assert.NoError(t, err)
		})
	}
	// Another token is not held back, nor is a call that turns the cooldown off.
	_, err = c.CustomerSessions.Create(ctx, req, client.WithAccessToken(other))
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(ctx, req, client.WithCooldown(false))
	require.NoError(t, err)
	// A call whose policy or deadline does not allow the wait fails at once,
	// sending nothing.
	_, err = c.CustomerSessions.Create(ctx, req, client.WithRetryPolicy(client.RetryPolicy{MaxInterval: 100 * time.Millisecond}))
	assertCooldownRefusal(t, err)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = c.CustomerSessions.Create(short, req)
	assertCooldownRefusal(t, err)
	wg.Wait()

	reqs := polar.Requests()
	require.Len(t, reqs, 1+1+8+1+1, "the 429, its retry, 8 held calls, another token's, the cooldown-free call")
	first := reqs[0]
	require.Equal(t, 429, first.Status)
	end := first.Time.Add(time.Second) // the cooldown ends no earlier
	var during, after int
	for _, r := range reqs[1:] {
		assert.Equal(t, 201, r.Status)
		sameToken := r.Header.Get("Authorization") == "Bearer "+polar.AccessToken()
		if r.Time.Before(end) {
			during++
		} else if sameToken {
			after++
		}
	}
	assert.Equal(t, 2, during, "inside the window only the other token and the cooldown-free call reached Polar")
	assert.Equal(t, 9, after, "the retry and the 8 held calls went after it")
}

func assertCooldownRefusal(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, client.ErrRateLimited)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 429, apiErr.StatusCode)
	assert.Equal(t, 0, apiErr.Attempts, "nothing was sent")
	assert.Greater(t, apiErr.RetryAfter, time.Duration(0))
	assert.LessOrEqual(t, apiErr.RetryAfter, time.Second, "the time left")
	assert.Contains(t, apiErr.Error(), "not sent")
}

// Against polartest's rate limit: once a call meets the 429, the calls that
// follow wait out the window instead of spending requests on more 429s, and
// are released together into the next window, within its budget.
func TestCooldownAgainstPolarsRateLimit(t *testing.T) {
	run := func(t *testing.T, cooldown bool) (refused int, during int) {
		const budget, window = 10, time.Second
		polar := polartest.NewServer(polartest.WithRateLimit(budget, window))
		defer polar.Close()
		polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
		retrying := newSignal("polar: retrying")
		c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
			client.WithLogger(slog.New(retrying)), client.WithCooldown(cooldown))
		require.NoError(t, err)
		defer c.CloseIdleConnections()
		req := client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}
		ctx := context.Background()

		for range budget { // spend the window's budget
			_, err := c.CustomerSessions.Create(ctx, req)
			require.NoError(t, err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			_, err := c.CustomerSessions.Create(ctx, req)
			assert.NoError(t, err)
		})
		retrying.waitFor(t)
		for range budget - 2 {
			wg.Go(func() {
				_, err := c.CustomerSessions.Create(ctx, req)
				assert.NoError(t, err)
			})
		}
		wg.Wait()

		reqs := polar.Requests()
		var first429 time.Time
		for _, r := range reqs {
			if r.Status == 429 && first429.IsZero() {
				first429 = r.Time
			}
		}
		require.False(t, first429.IsZero())
		for _, r := range reqs {
			if r.Time.After(first429) && r.Time.Before(first429.Add(time.Second)) {
				during++
			}
		}
		return polar.Stats().RateLimited, during
	}

	refused, during := run(t, true)
	assert.Equal(t, 1, refused, "one 429, and the released burst fit the next window's budget")
	assert.Zero(t, during, "no request inside the cooldown")

	refused, during = run(t, false)
	assert.Greater(t, refused, 1, "without the cooldown, calls spend requests on 429s")
	assert.Positive(t, during)
}
