package polartest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

func TestAddCustomerDefaults(t *testing.T) {
	srv, clock := start(t)
	clock.Advance(1500 * time.Nanosecond) // stored to the microsecond, as Polar does

	c := srv.AddCustomer(polartest.Customer{})
	assert.Regexp(t, uuid4Format, c.ID)
	assert.Equal(t, polartest.CustomerIndividual, c.Type)
	assert.Equal(t, "customer-"+c.ID[:8]+"@example.com", c.Email, "individuals need an email")
	assert.Equal(t, t0.Add(time.Microsecond), c.CreatedAt)
	assert.Equal(t, map[string]any{}, c.Metadata)

	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	assert.Empty(t, team.Email)

	upper := srv.AddCustomer(polartest.Customer{ID: "3F2E1D0C-9B8A-4765-8432-10FEDCBA9876"})
	assert.Equal(t, "3f2e1d0c-9b8a-4765-8432-10fedcba9876", upper.ID)
}

func TestAddCustomerCopiesMetadata(t *testing.T) {
	srv, _ := start(t)
	meta := map[string]any{"plan": "pro"}
	c := srv.AddCustomer(polartest.Customer{Metadata: meta})
	meta["plan"] = "changed"
	c.Metadata["plan"] = "changed too"

	resp := create(t, newHTTPClient(t), srv, `{"customer_id":"`+c.ID+`"}`)
	require.Equal(t, http.StatusCreated, resp.status)
	assert.Equal(t, map[string]any{"plan": "pro"}, decodeJSON(t, resp.body)["customer"].(map[string]any)["metadata"])
}

func TestAddCustomerRefusesWhatPolarWould(t *testing.T) {
	srv, _ := start(t)
	taken := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	for name, c := range map[string]polartest.Customer{
		"malformed ID":     {ID: "abc"},
		"version 1 ID":     {ID: "a8098c1a-f86e-11da-bd1a-00112444be1e"},
		"ID taken":         {ID: taken.ID},
		"external ID used": {ExternalID: "usr_1"},
		"unknown type":     {Type: "robot"},
		"metadata value":   {Metadata: map[string]any{"tags": []string{"a"}}},
	} {
		assert.Panics(t, func() { srv.AddCustomer(c) }, name)
	}
	// A refused customer leaves nothing behind.
	assert.NotPanics(t, func() { srv.AddCustomer(polartest.Customer{ExternalID: "usr_2"}) })
}

func TestAccessTokens(t *testing.T) {
	srv, _ := start(t)
	assert.Regexp(t, `^polar_oat_[A-Za-z0-9]{43}$`, srv.AccessToken())
	assert.Equal(t, srv.AccessToken(), srv.AccessToken())
	assert.Equal(t, "polar_oat_mine", srv.AddAccessToken("polar_oat_mine", polartest.ScopeCustomerSessionsWrite))
	other := polartest.NewServer()
	defer other.Close()
	assert.NotEqual(t, srv.AccessToken(), other.AccessToken())
	assert.NotEqual(t, srv.OrganizationID(), other.OrganizationID())
	assert.True(t, strings.HasPrefix(srv.AddAccessToken(""), "polar_oat_"))
	for _, bad := range []string{"polar_oat_", "polar_oat_ab.SECRETSECRETSECRET", "polar_pat_abc", "sk_live_abc"} {
		assert.PanicsWithValue(t, "polartest: AddAccessToken: the token is not polar_oat_ followed by letters and digits, as Polar's are",
			func() { srv.AddAccessToken(bad) }, bad)
	}
}

// refusedToken asserts that err is Polar's 401 invalid_token.
func refusedToken(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, client.ErrUnauthorized)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.Equal(t, "invalid_token", apiErr.Code)
}

// A deleted customer is gone with its members: its sessions, customer and
// member ones, stop authenticating, create finds it by no ID, its external
// ID is free for a new customer and its ID stays taken.
func TestDeleteCustomer(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
		member := srv.AddMember(polartest.Member{CustomerID: cust.ID, ExternalID: "mem_1"})
		other := srv.AddCustomer(polartest.Customer{})
		otherToken := srv.CreateSession(other.ID, "")
		c := polarClient(t, srv)
		ctx := context.Background()
		sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: cust.ID})
		require.NoError(t, err)
		memberSess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1", MemberID: member.ID})
		require.NoError(t, err)
		_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, sess.Token.Reveal())
		require.NoError(t, err)

		srv.DeleteCustomer(strings.ToUpper(cust.ID)) // any form Polar accepts
		for _, token := range []string{sess.Token.Reveal(), memberSess.Token.Reveal()} {
			_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, token)
			refusedToken(t, err)
			assertInvalidToken(t, call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", bearer(token)))
		}
		_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: cust.ID})
		fe := refusal(t, err, "customer_id", rules.MsgCustomerNotFound)
		assert.Equal(t, cust.ID, fe.Input)
		_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
		refusal(t, err, "external_customer_id", rules.MsgCustomerNotFound)
		assert.Panics(t, func() { srv.Members(cust.ID) })
		assert.Panics(t, func() { srv.CreateSession(cust.ID, "") })
		assert.Panics(t, func() { srv.CreateMemberSession(member.ID, "") })
		assert.Panics(t, func() { srv.AddMember(polartest.Member{CustomerID: cust.ID}) })
		assert.Panics(t, func() { srv.AddCustomer(polartest.Customer{ID: cust.ID}) }, "the ID stays taken")
		assert.Panics(t, func() { srv.AddMember(polartest.Member{ID: member.ID, CustomerID: other.ID}) }, "the member's too")

		_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, otherToken)
		assert.NoError(t, err, "other customers are untouched")

		// The external ID is free again.
		reborn := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
		again, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"})
		require.NoError(t, err)
		assert.Equal(t, reborn.ID, again.CustomerID)

		// Deleting again, or an unknown customer, changes nothing.
		srv.DeleteCustomer(cust.ID)
		srv.DeleteCustomer("3f2e1d0c-9b8a-4765-8432-10fedcba9876")
		srv.DeleteCustomer("cus_123")
		_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, again.Token.Reveal())
		assert.NoError(t, err)
	})
}
