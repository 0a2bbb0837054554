package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// TestBadInputIsRefusedBeforeSending: every row is refused with
// ErrInvalidRequest and a message naming the problem, and polartest sees no
// request at all.
func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	cust := polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	ok := client.CreateCustomerSessionRequest{CustomerID: cust.ID}
	create := func(req client.CreateCustomerSessionRequest, opts ...client.Option) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.CustomerSessions.Create(ctx, req, opts...)
			return err
		}
	}
	introspect := func(token string, opts ...client.Option) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.CustomerPortal.CustomerSession.Introspect(ctx, token, opts...)
			return err
		}
	}
	var nilCtx context.Context
	longURL := "https://example.com/" + strings.Repeat("x", 2100)

	tests := []struct {
		name string
		ctx  context.Context
		call func(context.Context) error
		msg  string
	}{
		// Tokens.
		{"empty access token", nil, create(ok, client.WithAccessToken("")), "WithAccessToken: is empty"},
		{"whitespace access token", nil, create(ok, client.WithAccessToken("polar_oat_a b")), "WithAccessToken: contains whitespace"},
		{"blank access token", nil, create(ok, client.WithAccessToken("   ")), "WithAccessToken: contains whitespace"},
		{"CRLF access token", nil, create(ok, client.WithAccessToken("polar_oat_a\r\nX-Injected: 1")), "WithAccessToken: contains whitespace or control characters"},
		{"session token used for create", nil, create(ok, client.WithAccessToken("polar_cst_abc")), "WithAccessToken: is a polar_cst_… token"},
		{"member token used for create", nil, create(ok, client.WithAccessToken("polar_mst_abc")), "is a polar_mst_… token"},
		{"empty session token", nil, introspect(""), "session token: is empty"},
		{"whitespace session token", nil, introspect("polar_cst_a\tb"), "session token: contains whitespace"},
		{"CRLF session token", nil, introspect("polar_cst_a\r\nX-Injected: 1"), "session token: contains whitespace or control characters"},
		{"organization token used for introspect", nil, introspect(polar.AccessToken()), "session token: is a polar_oat_… token"},
		{"personal token used for introspect", nil, introspect("polar_pat_abc"), "session token: is a polar_pat_… token"},
		// Customer and member IDs.
		{"neither customer ID", nil, create(client.CreateCustomerSessionRequest{}), "customer_id: give customer_id (CustomerID) or external_customer_id (ExternalCustomerID)"},
		{"both customer IDs", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ExternalCustomerID: "usr_1"}), "customer_id: give customer_id (CustomerID) or external_customer_id (ExternalCustomerID), not both"},
		{"both member IDs", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: cust.ID, ExternalMemberID: "m"}), "member_id: give member_id (MemberID) or external_member_id (ExternalMemberID), not both"},
		{"malformed customer UUID", nil, create(client.CreateCustomerSessionRequest{CustomerID: "992fae2a2a174b7a8d9ee287cf90131"}), "customer_id: must be a UUID"},
		{"customer UUID of version 1", nil, create(client.CreateCustomerSessionRequest{CustomerID: "a8098c1a-f86e-11da-bd1a-00112444be1e"}), "customer_id: must be a version 4 UUID"},
		{"truncated customer UUID", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID[:35]}), "customer_id: must be a UUID"},
		{"malformed member UUID", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: "member-1"}), "member_id: must be a UUID"},
		// Return URLs.
		{"relative return URL", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "/account"}), "return_url: must be an absolute http(s) URL"},
		{"non-http return URL", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "mailto:jane@example.com"}), "return_url: must be an absolute http(s) URL"},
		{"over-long return URL", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: longURL}), "return_url: is 2120 bytes; Polar accepts at most 2083 bytes"},
		{"return URL over 2083 bytes in fewer characters", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "https://example.com/" + strings.Repeat("é", 1100)}), "return_url: is 6620 bytes once percent-encoded; Polar accepts at most 2083 bytes"},
		// Base URLs.
		{"base URL with a query", nil, create(ok, client.WithServerURL(polar.URL()+"?debug=1")), "server URL: must not contain a query"},
		{"base URL with a fragment", nil, create(ok, client.WithServerURL(polar.URL()+"#x")), "server URL: must not contain a fragment"},
		{"base URL with user info", nil, introspect("polar_cst_abc", client.WithServerURL(strings.Replace(polar.URL(), "http://", "http://user:pw@", 1))), "server URL: must not contain user info"},
		{"plain http to a remote host", nil, create(ok, client.WithServerURL("http://api.polar.sh")), "server URL: http:// is allowed only for loopback hosts"},
		// Contexts and settings.
		{"nil context for create", nilCtx, create(ok), "ctx: is nil"},
		{"nil context for introspect", nilCtx, introspect("polar_cst_abc"), "ctx: is nil"},
		{"negative timeout", nil, create(ok, client.WithTimeout(-time.Second)), "WithTimeout: is negative"},
		{"negative attempts", nil, create(ok, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: -1})), "MaxAttempts is negative"},
		{"negative backoff", nil, introspect("polar_cst_abc", client.WithRetryPolicy(client.RetryPolicy{InitialInterval: -time.Millisecond})), "InitialInterval is negative"},
		{"negative cap", nil, create(ok, client.WithRetryPolicy(client.RetryPolicy{MaxInterval: -time.Second})), "MaxInterval is negative"},
		{"shrinking multiplier", nil, create(ok, client.WithRetryPolicy(client.RetryPolicy{Multiplier: 0.5})), "Multiplier must be at least 1"},
		{"nil middleware", nil, create(ok, client.WithMiddleware(nil)), "WithMiddleware: middleware 1 of 1 is nil"},
		{"nil pointer rate limiter", nil, create(ok, client.WithRateLimiter((*refusingLimiter)(nil))), "WithRateLimiter: is a nil pointer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil && !strings.HasPrefix(tt.name, "nil context") {
				ctx = context.Background()
			}
			err := tt.call(ctx)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			assert.Contains(t, err.Error(), tt.msg)
			assert.NotContains(t, err.Error(), polar.AccessToken())
		})
	}
	assert.Empty(t, polar.Requests(), "no bad input may reach the server")

	// The same client still works: nothing above changed it.
	_, err = c.CustomerSessions.Create(context.Background(), ok)
	require.NoError(t, err)
}
