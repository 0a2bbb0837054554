package client_test

// Tests of Polar's semantics, run against polartest, the module's fake Polar
// server. The httptest-based tests beside them pin wire details.

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// startPolar runs polartest under a path prefix with a fake clock, and a
// client for it whose retries record their waits instead of spending them.
// The client's rate-limit cooldown runs on real time, so it is off here;
// cooldown_test.go tests it on real time.
func startPolar(t *testing.T, opts ...polartest.ServerOption) (*polartest.Server, *client.Client, *polartest.Clock) {
	t.Helper()
	clk := polartest.NewClock(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	polar := polartest.NewServer(append([]polartest.ServerOption{polartest.WithClock(clk.Now), polartest.WithBasePath("/gateway/polar")}, opts...)...)
	t.Cleanup(polar.Close)
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(noWaitPolicy(nil)), client.WithCooldown(false))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return polar, c, clk
}

// sessionToken is a created session's token: a member session (polar_mst_,
// polartest's default, as for every new Polar organization) or a customer
// session (polar_cst_, organizations without the member model).
var sessionToken = regexp.MustCompile(`^polar_(mst|cst)_[A-Za-z0-9]{43}$`)

func TestCreateThenIntrospect(t *testing.T) {
	polar, c, _ := startPolar(t)
	ctx := context.Background()
	jane := polar.AddCustomer(polartest.Customer{ExternalID: "usr_jane", Email: "jane@example.com"})
	team := polar.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, Name: "Acme"})
	member := polar.AddMember(polartest.Member{CustomerID: team.ID})

	byExternal, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{
		ExternalCustomerID: "usr_jane", ReturnURL: "https://example.com/account"})
	require.NoError(t, err)
	assert.Regexp(t, sessionToken, byExternal.Token.Reveal())
	assert.Equal(t, jane.ID, byExternal.CustomerID)
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 0, time.UTC), byExternal.ExpiresAt)
	ind, ok := byExternal.Individual()
	require.True(t, ok)
	assert.Equal(t, "jane@example.com", ind.Email)

	byID, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: team.ID, MemberID: member.ID})
	require.NoError(t, err)
	tm, ok := byID.Team()
	require.True(t, ok)
	assert.Equal(t, "Acme", *tm.Name)
	assert.Nil(t, byID.ReturnURL)

	info, err := c.CustomerPortal.CustomerSession.Introspect(ctx, byExternal.Token.Reveal())
	require.NoError(t, err)
	assert.Equal(t, byExternal.ExpiresAt, info.ExpiresAt)
	assert.Equal(t, "https://example.com/account", *info.ReturnURL)

	info, err = c.CustomerPortal.CustomerSession.Introspect(ctx, byID.Token.Reveal())
	require.NoError(t, err)
	assert.Nil(t, info.ReturnURL)
}

func TestSessionsExpireAfterAnHour(t *testing.T) {
	polar, c, clk := startPolar(t)
	cust := polar.AddCustomer(polartest.Customer{})
	s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)

	clk.Advance(59 * time.Minute)
	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), s.Token.Reveal())
	require.NoError(t, err)

	clk.Advance(time.Minute)
	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), s.Token.Reveal())
	require.ErrorIs(t, err, client.ErrUnauthorized)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "invalid_token", apiErr.Code)
	assert.Contains(t, apiErr.Detail, "expired")
	assert.NotContains(t, err.Error(), s.Token.Reveal())
}

func TestPolarRefusals(t *testing.T) {
	polar, c, _ := startPolar(t)
	ctx := context.Background()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	req := client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}

	_, err := c.CustomerSessions.Create(ctx, req, client.WithAccessToken("polar_oat_notAKnownToken"))
	require.ErrorIs(t, err, client.ErrUnauthorized)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "invalid_token", apiErr.Code, "Polar's auth middleware refuses a token that names nothing")
	assert.Contains(t, apiErr.Header.Get("WWW-Authenticate"), `error="invalid_token"`)

	scoped := polar.AddAccessToken("", "customers:read")
	_, err = c.CustomerSessions.Create(ctx, req, client.WithAccessToken(scoped))
	require.ErrorIs(t, err, client.ErrForbidden)

	_, err = c.CustomerSessions.Create(ctx, req, client.WithAPIVersion("2025-01"))
	require.ErrorIs(t, err, client.ErrNotFound, "an unknown Polar-Version is a 404")

	_, err = c.CustomerSessions.Create(ctx, req, client.WithAPIVersion(client.DefaultAPIVersion))
	require.NoError(t, err)

	_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: "00000000-0000-4000-8000-000000000000"})
	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	require.Len(t, vErr.Errors, 1)
	assert.Equal(t, "customer_id", vErr.Errors[0].Field())
	assert.Equal(t, "Customer does not exist.", vErr.Errors[0].Msg)

	// A token of no Polar form is sent (Polar looks any bearer up, and
	// refusing unknown forms would lock out tokens of kinds to come); its
	// 401 says what is likely wrong, without the token.
	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, "some_unprefixed_token")
	require.ErrorIs(t, err, client.ErrUnauthorized, "unknown prefixes are sent, and Polar refuses them")
	assert.Contains(t, err.Error(), "hint: the token is not a Polar token, which all start with polar_")
	sent := len(polar.Requests())
	_, err = c.CustomerSessions.Create(ctx, req, client.WithAccessToken("sk_live_51HxAbCdEfGh"))
	require.ErrorIs(t, err, client.ErrUnauthorized)
	assert.Equal(t, sent+1, len(polar.Requests()), "sent")
	assert.Contains(t, err.Error(), "another service's key")
	assert.NotContains(t, err.Error(), "sk_live_51HxAbCdEfGh")
	_, err = c.CustomerSessions.Create(ctx, req, client.WithAccessToken("polar_oat_notAKnownToken"))
	assert.NotContains(t, err.Error(), "not a Polar token", "a Polar-shaped token gets the usual hint")
	for _, r := range polar.Requests() {
		assert.Equal(t, 1, len(r.Header.Values("Authorization")))
	}
}

// Polar's rate limit is ridden through: the client waits what retry-after
// says (recorded, not spent) and the next window lets the call through.
func TestRateLimitIsRiddenThrough(t *testing.T) {
	polar, _, clk := startPolar(t, polartest.WithRateLimit(2, time.Minute))
	cust := polar.AddCustomer(polartest.Customer{})
	var waits []time.Duration
	p := noWaitPolicy(nil)
	p.MaxInterval = time.Minute
	p.Wait = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		clk.Advance(d) // the fake server's window moves on while we "wait"
		return nil
	}
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()), client.WithRetryPolicy(p),
		client.WithCooldown(false))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	for range 2 {
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
		require.NoError(t, err)
	}
	clk.Advance(20 * time.Second)
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{40 * time.Second}, waits, "retry-after is the rest of the window")
	assert.Equal(t, 1, polar.Stats().RateLimited)

	// With the default 8s cap, the same 429 comes back at once instead.
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID},
		client.WithRetryPolicy(client.DefaultRetryPolicy()))
	require.ErrorIs(t, err, client.ErrRateLimited)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Minute, apiErr.RetryAfter)
}

func TestFaultsFromPolartest(t *testing.T) {
	polar, c, _ := startPolar(t)
	cust := polar.AddCustomer(polartest.Customer{})
	req := client.CreateCustomerSessionRequest{CustomerID: cust.ID}
	ctx := context.Background()

	polar.Script(polartest.RouteCreate, polartest.Reset(), polartest.Truncated(), polartest.Status(502))
	s, err := c.CustomerSessions.Create(ctx, req, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 4, InitialInterval: time.Millisecond}))
	require.NoError(t, err, "reset, truncated body and 502 are all retried")
	assert.Regexp(t, sessionToken, s.Token.Reveal())

	polar.Script(polartest.RouteCreate, polartest.Malformed())
	_, err = c.CustomerSessions.Create(ctx, req)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 201, apiErr.StatusCode, "a malformed success keeps its status")
	assert.Equal(t, 0, polar.Pending(polartest.RouteCreate))
}
