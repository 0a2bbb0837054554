package polartest_test

// The cases of Polar's own tests of POST /v1/customer-sessions/
// (server/tests/customer_session/test_endpoints.py, TestCreate, and
// test_service.py, TestCreateGracefulFallback), each run through the public
// client against polartest, with the member model on and off. Polar's test
// organization has the member model off unless a test turns it on, so the
// cases that expect polar_cst_ are legacy-organization cases there; here
// each is run both ways, with what Polar's code answers for each.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

// polarClient is the public client on srv, with the server's token and no
// retries, so each call is one request.
func polarClient(t *testing.T, srv *polartest.Server) *client.Client {
	t.Helper()
	c, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// models runs f once per organization kind: with the member model (every
// organization Polar creates today) and without it (a legacy organization).
func models(t *testing.T, f func(t *testing.T, memberModel bool)) {
	t.Helper()
	for _, on := range []bool{true, false} {
		name := "legacy organization"
		if on {
			name = "member model"
		}
		t.Run(name, func(t *testing.T) { f(t, on) })
	}
}

// sessionPrefix is the token prefix of a created session.
func sessionPrefix(memberModel bool) string {
	if memberModel {
		return rules.PrefixMemberSession
	}
	return rules.PrefixCustomerSession
}

// refusal asserts that err is Polar's 422 for one field, and returns it.
func refusal(t *testing.T, err error, field, msg string) client.FieldError {
	t.Helper()
	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, http.StatusUnprocessableEntity, vErr.StatusCode)
	assert.Equal(t, "PolarRequestValidationError", vErr.Code)
	require.Len(t, vErr.Errors, 1)
	fe := vErr.Errors[0]
	assert.Equal(t, []any{"body", field}, fe.Loc)
	assert.Equal(t, msg, fe.Msg)
	assert.Equal(t, "value_error", fe.Type)
	return fe
}

// Polar: test_anonymous. The client cannot send a create without a token,
// so this one goes out by hand.
func TestPolarAnonymous(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		resp := call(t, newHTTPClient(t), srv, http.MethodPost, createPath,
			`{"customer_id":"`+newCustomerID(t, srv)+`"}`, map[string]string{"Content-Type": "application/json"})
		assert.Equal(t, http.StatusUnauthorized, resp.status)
		assert.JSONEq(t, `{"error":"Unauthorized","detail":"Unauthorized"}`, string(resp.body))
	})
}

// newCustomerID adds an individual customer and returns its ID.
func newCustomerID(t *testing.T, srv *polartest.Server) string {
	t.Helper()
	return srv.AddCustomer(polartest.Customer{}).ID
}

// Polar: test_cant_manage_customer. A customer of another organization
// does not exist for this one.
func TestPolarCantManageCustomer(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		other, _ := start(t, polartest.WithMemberModel(on))
		cust := other.AddCustomer(polartest.Customer{ExternalID: "usr_other"})

		_, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
		fe := refusal(t, err, "customer_id", rules.MsgCustomerNotFound)
		assert.Equal(t, cust.ID, fe.Input)
		_, err = polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_other"})
		refusal(t, err, "external_customer_id", rules.MsgCustomerNotFound)
	})
}

// Polar: test_valid_customer_id, test_valid_external_customer_id,
// test_return_url, and test_service's
// test_returns_customer_session_when_flag_disabled (legacy); with the
// member model, the same requests get a member session for the owner.
func TestPolarValidCustomer(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})
		c := polarClient(t, srv)
		for name, req := range map[string]client.CreateCustomerSessionRequest{
			"customer_id":          {CustomerID: cust.ID},
			"external_customer_id": {ExternalCustomerID: "usr_1337"},
			"return_url":           {ExternalCustomerID: "usr_1337", ReturnURL: "https://example.com/return"},
		} {
			t.Run(name, func(t *testing.T) {
				sess, err := c.CustomerSessions.Create(context.Background(), req)
				require.NoError(t, err)
				assertToken(t, sessionPrefix(on), sess.Token.Reveal())
				assert.Equal(t, cust.ID, sess.CustomerID)
				assert.Contains(t, sess.CustomerPortalURL.Reveal(), sess.Token.Reveal())
				assert.Equal(t, "https://polar.sh/polartest/portal?customer_session_token="+sess.Token.Reveal()+"&email=jane%40example.com", sess.CustomerPortalURL.Reveal())
				ind, ok := sess.Individual()
				require.True(t, ok)
				assert.Equal(t, cust.ID, ind.ID)
				if req.ReturnURL != "" {
					assert.Equal(t, &req.ReturnURL, sess.ReturnURL)
				} else {
					assert.Nil(t, sess.ReturnURL)
				}
			})
		}
	})
}

// Polar: test_email_url_encoding. With the member model the email is the
// member's, here the owner's, which is the customer's.
func TestPolarEmailURLEncoding(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{Email: "contact+test@example.com"})
		sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
		require.NoError(t, err)
		assert.Contains(t, sess.CustomerPortalURL.Reveal(), "&email=contact%2Btest%40example.com")
		assert.NotContains(t, sess.CustomerPortalURL.Reveal(), "contact+test@example.com")
		u, err := url.Parse(sess.CustomerPortalURL.Reveal())
		require.NoError(t, err)
		assert.Equal(t, "contact+test@example.com", u.Query().Get("email"))
		assert.Equal(t, sess.Token.Reveal(), u.Query().Get("customer_session_token"))
	})
}

// Polar: test_allows_when_seat_based_pricing_enabled_but_not_migrated.
// Seat-based pricing is not modelled; without the member model, create
// makes a customer session, as Polar does for an organization with seats
// but not members.
func TestPolarAllowsWithoutMemberModel(t *testing.T) {
	srv, _ := start(t, polartest.WithMemberModel(false))
	assert.False(t, srv.MemberModel())
	cust := srv.AddCustomer(polartest.Customer{Email: "test@example.com"})
	sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)
	assert.Equal(t, cust.ID, sess.CustomerID)
	assertToken(t, rules.PrefixCustomerSession, sess.Token.Reveal())
	assert.Empty(t, srv.Members(cust.ID), "no owner is created without the member model")
}

// Polar: test_creates_member_session_when_member_model_enabled. The owner
// that exists is used; none is created.
func TestPolarMemberSessionForExistingOwner(t *testing.T) {
	srv, _ := start(t)
	assert.True(t, srv.MemberModel(), "the default, as for a new Polar organization")
	cust := srv.AddCustomer(polartest.Customer{Email: "test@example.com"})
	owner := srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "test@example.com", Name: "Owner Member", Role: polartest.RoleOwner})

	sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)
	assertToken(t, rules.PrefixMemberSession, sess.Token.Reveal())
	assert.Equal(t, cust.ID, sess.CustomerID)
	assert.Contains(t, sess.CustomerPortalURL.Reveal(), sess.Token.Reveal())
	assert.Equal(t, []polartest.Member{owner}, srv.Members(cust.ID))
}

// Polar: test_auto_creates_owner_when_member_model_enabled, and
// test_service's test_auto_creates_owner_member_for_customer_session: the
// owner is created from the customer on first use, once.
func TestPolarAutoCreatesOwnerOnce(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_42", Email: "no-member@example.com", Name: "Nomi Member"})
	assert.Empty(t, srv.Members(cust.ID))
	c := polarClient(t, srv)

	first, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)
	second, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_42"})
	require.NoError(t, err)
	assert.NotEqual(t, first.Token.Reveal(), second.Token.Reveal())

	members := srv.Members(cust.ID)
	require.Len(t, members, 1, "two creates, one owner")
	owner := members[0]
	assert.Regexp(t, uuid4Format, owner.ID)
	assert.Equal(t, polartest.Member{
		ID: owner.ID, CustomerID: cust.ID, ExternalID: "usr_42", Email: "no-member@example.com", Name: "Nomi Member", Role: polartest.RoleOwner,
	}, owner)

	// A session for the owner by its ID, or by the external ID it took
	// from the customer, is the same member's.
	for _, req := range []client.CreateCustomerSessionRequest{
		{CustomerID: cust.ID, MemberID: owner.ID},
		{CustomerID: cust.ID, ExternalMemberID: "usr_42"},
	} {
		sess, err := c.CustomerSessions.Create(context.Background(), req)
		require.NoError(t, err)
		assert.Equal(t, "no-member@example.com", portalEmail(t, sess.CustomerPortalURL.Reveal()))
	}
	assert.Equal(t, "no-member@example.com", portalEmail(t, first.CustomerPortalURL.Reveal()))
	assert.Len(t, srv.Members(cust.ID), 1)
}

// Many creates racing for a customer without an owner create one owner.
func TestAutoCreatedOwnerIsUniqueUnderConcurrency(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := polarClient(t, srv)
	const n = 32
	gate := make(chan struct{})
	tokens := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-gate
			sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
			if errs[i] = err; err == nil {
				tokens[i] = sess.Token.Reveal()
			}
		})
	}
	close(gate)
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		require.NoError(t, errs[i])
		seen[tokens[i]] = true
	}
	assert.Len(t, seen, n, "every session is new")
	members := srv.Members(cust.ID)
	require.Len(t, members, 1)
	assert.Equal(t, polartest.RoleOwner, members[0].Role)
}

// Polar: test_member_id_creates_session_for_specific_member. Without the
// member model the member is ignored: the portal URL carries the
// customer's email.
func TestPolarMemberIDCreatesSessionForThatMember(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{Email: "test@example.com"})
		srv.AddMember(polartest.Member{CustomerID: cust.ID, Name: "Owner", Role: polartest.RoleOwner})
		other := srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "other@example.com", Name: "Other Member"})
		assert.Equal(t, polartest.RoleMember, other.Role)

		sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: other.ID})
		require.NoError(t, err)
		assertToken(t, sessionPrefix(on), sess.Token.Reveal())
		assert.Equal(t, cust.ID, sess.CustomerID)
		email := "test%40example.com"
		if on {
			email = "other%40example.com"
		}
		assert.Equal(t, "https://polar.sh/polartest/portal?customer_session_token="+sess.Token.Reveal()+"&email="+email, sess.CustomerPortalURL.Reveal())
	})
}

// Polar: test_member_id_not_found, and a member of another customer, which
// Polar looks for only among the customer's members. Without the member
// model both are ignored.
func TestPolarMemberIDNotFound(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{Email: "test@example.com"})
		otherCust := srv.AddCustomer(polartest.Customer{})
		stranger := srv.AddMember(polartest.Member{CustomerID: otherCust.ID, ExternalID: "mem_stranger"})
		c := polarClient(t, srv)

		for name, req := range map[string]client.CreateCustomerSessionRequest{
			"unknown member_id":                 {CustomerID: cust.ID, MemberID: "3f2e1d0c-9b8a-4765-8432-10fedcba9876"},
			"another customer's member_id":      {CustomerID: cust.ID, MemberID: stranger.ID},
			"another customer's member, by ext": {CustomerID: cust.ID, ExternalMemberID: "mem_stranger"},
		} {
			t.Run(name, func(t *testing.T) {
				sess, err := c.CustomerSessions.Create(context.Background(), req)
				if !on {
					require.NoError(t, err)
					assertToken(t, rules.PrefixCustomerSession, sess.Token.Reveal())
					return
				}
				field, input := "member_id", req.MemberID
				if req.ExternalMemberID != "" {
					field, input = "external_member_id", req.ExternalMemberID
				}
				fe := refusal(t, err, field, rules.MsgMemberNotFound)
				assert.Equal(t, input, fe.Input)
			})
		}
		if on {
			assert.Len(t, srv.Members(cust.ID), 0, "a refused create creates no owner")
		}
	})
}

// Polar: test_team_customer_without_member_id. The exact body, decoded with
// the generated types too.
func TestPolarTeamCustomerWithoutMemberID(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, Email: "test@example.com"})
		srv.AddMember(polartest.Member{CustomerID: team.ID, Role: polartest.RoleOwner})

		sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: team.ID})
		if !on {
			require.NoError(t, err)
			assertToken(t, rules.PrefixCustomerSession, sess.Token.Reveal())
			_, ok := sess.Team()
			assert.True(t, ok)
			return
		}
		fe := refusal(t, err, "member_id", rules.MsgMemberRequired)
		assert.Nil(t, fe.Input)

		resp, err := genClient(t, srv, srv.AccessToken()).CustomerSessionsCreateWithBodyWithResponse(context.Background(),
			"application/json", strings.NewReader(`{"customer_id":"`+team.ID+`"}`))
		require.NoError(t, err)
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode())
		assert.JSONEq(t, `{"error":"PolarRequestValidationError","detail":[
			{"loc":["body","member_id"],"msg":"member_id is required for team customers.","type":"value_error","input":null}]}`, string(resp.Body))
		require.NotNil(t, resp.JSON422)
		require.Len(t, *resp.JSON422.Detail, 1)
		assert.Equal(t, rules.MsgMemberRequired, (*resp.JSON422.Detail)[0].Msg)
	})
}

// Polar: test_team_customer_with_member_id, and a team without an email,
// whose legacy customer session's portal URL says email=None, as Python's
// urlencode writes a missing email.
func TestPolarTeamCustomerWithMemberID(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, Name: "Acme"})
		member := srv.AddMember(polartest.Member{CustomerID: team.ID, Email: "member@example.com", Name: "Team Member"})

		sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: team.ID, MemberID: member.ID})
		require.NoError(t, err)
		assertToken(t, sessionPrefix(on), sess.Token.Reveal())
		assert.Equal(t, team.ID, sess.CustomerID)
		tm, ok := sess.Team()
		require.True(t, ok)
		assert.Equal(t, team.ID, tm.ID)
		assert.Nil(t, tm.Email, "the team's own email, null; the member shows only in the portal URL")
		email := "None"
		if on {
			email = "member%40example.com"
		}
		assert.Equal(t, "https://polar.sh/polartest/portal?customer_session_token="+sess.Token.Reveal()+"&email="+email, sess.CustomerPortalURL.Reveal())
	})
}

// Polar: test_external_member_id.
func TestPolarExternalMemberID(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1", Email: "test@example.com"})
		srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "member@example.com", Name: "Member", ExternalID: "ext_member_123"})

		sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(),
			client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1", ExternalMemberID: "ext_member_123"})
		require.NoError(t, err)
		assertToken(t, sessionPrefix(on), sess.Token.Reveal())
		assert.Equal(t, cust.ID, sess.CustomerID)
		email := "test@example.com"
		if on {
			email = "member@example.com"
		}
		assert.Equal(t, email, portalEmail(t, sess.CustomerPortalURL.Reveal()))
	})
}

// Polar: test_external_member_id_not_found.
func TestPolarExternalMemberIDNotFound(t *testing.T) {
	models(t, func(t *testing.T, on bool) {
		srv, _ := start(t, polartest.WithMemberModel(on))
		cust := srv.AddCustomer(polartest.Customer{Email: "test@example.com"})

		sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(),
			client.CreateCustomerSessionRequest{CustomerID: cust.ID, ExternalMemberID: "nonexistent"})
		if !on {
			require.NoError(t, err)
			assertToken(t, rules.PrefixCustomerSession, sess.Token.Reveal())
			return
		}
		fe := refusal(t, err, "external_member_id", rules.MsgMemberNotFound)
		assert.Equal(t, "nonexistent", fe.Input)
	})
}

// Polar looks member_id up first and never reads external_member_id when
// it is given. (The client refuses to send both, so this goes by hand.)
func TestMemberIDWinsOverExternalMemberID(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	a := srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "a@example.com"})
	srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "b@example.com", ExternalID: "mem_b"})
	c := newHTTPClient(t)

	resp := create(t, c, srv, `{"customer_id":"`+cust.ID+`","member_id":"`+a.ID+`","external_member_id":"mem_b"}`)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Contains(t, decodeSession(t, resp.body).CustomerPortalURL.Reveal(), "&email=a%40example.com")

	resp = create(t, c, srv, `{"customer_id":"`+cust.ID+`","member_id":"3f2e1d0c-9b8a-4765-8432-10fedcba9876","external_member_id":"mem_b"}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.JSONEq(t, `{"error":"PolarRequestValidationError","detail":[
		{"loc":["body","member_id"],"msg":"Member does not exist for this customer.","type":"value_error","input":"3f2e1d0c-9b8a-4765-8432-10fedcba9876"}]}`, string(resp.body))

	// The ID is echoed in canonical form, as Polar's UUID serializes.
	resp = create(t, c, srv, `{"customer_id":"`+cust.ID+`","member_id":"3F2E1D0C9B8A4765843210FEDCBA9876"}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.Contains(t, string(resp.body), `"input":"3f2e1d0c-9b8a-4765-8432-10fedcba9876"`)
}

// An empty external_member_id is given (only null is absent), and no
// member has it: a member without an external ID has null in Polar. (The
// client cannot send it: "" is unset there.)
func TestEmptyExternalMemberIDNamesNobody(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	srv.AddMember(polartest.Member{CustomerID: cust.ID})

	resp := create(t, newHTTPClient(t), srv, `{"customer_id":"`+cust.ID+`","external_member_id":""}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "body: %s", resp.body)
	assert.JSONEq(t, `{"error":"PolarRequestValidationError","detail":[
		{"loc":["body","external_member_id"],"msg":"Member does not exist for this customer.","type":"value_error","input":""}]}`, string(resp.body))
}

// Creating the owner breaks Polar's unique index when another member
// already has the customer's email; Polar finds no owner either and fails
// with an unhandled error.
func TestOwnerCreationClashIsAServerError(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{Email: "jane@example.com", ExternalID: "usr_jane"})
	srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "other@example.com", ExternalID: "usr_jane", Role: polartest.RoleBillingManager})

	resp := create(t, newHTTPClient(t), srv, `{"customer_id":"`+cust.ID+`"}`)
	assert.Equal(t, http.StatusInternalServerError, resp.status)
	assert.Equal(t, "Internal Server Error", string(resp.body))
	assert.Equal(t, http.Header{ // Starlette's ServerErrorMiddleware, outside every Polar layer
		"Content-Type":   {"text/plain; charset=utf-8"},
		"Content-Length": {"21"},
	}, withoutDate(resp.header))
	assert.Len(t, srv.Members(cust.ID), 1)
	assert.Panics(t, func() { srv.CreateSession(cust.ID, "") })

	_, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	assert.ErrorIs(t, err, client.ErrServer)
}

// Polar's create_owner_member no longer takes over a member that has the
// customer's email (polar/member/service.py, since 984aff8c4b): it creates
// the owner, which breaks the unique index on email (ignoring case), and,
// finding no owner either, fails.
func TestOwnerCreationClashesWithTheMemberWithItsEmail(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{Email: "jane@example.com"})
	manager := srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "JANE@example.com", Role: polartest.RoleBillingManager})

	_, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	assert.ErrorIs(t, err, client.ErrServer)
	members := srv.Members(cust.ID)
	require.Len(t, members, 1, "no owner was created")
	assert.Equal(t, manager.ID, members[0].ID)

	// With the member named, the session is the member's.
	sess, err := polarClient(t, srv).CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: manager.ID})
	require.NoError(t, err)
	assert.Equal(t, "JANE@example.com", portalEmail(t, sess.CustomerPortalURL.Reveal()))
}

// A member session is introspected like a customer session, and refused
// the same way once expired or when unknown.
func TestIntrospectMemberSession(t *testing.T) {
	srv, clock := start(t)
	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	member := srv.AddMember(polartest.Member{CustomerID: team.ID})
	c := polarClient(t, srv)
	sess, err := c.CustomerSessions.Create(context.Background(),
		client.CreateCustomerSessionRequest{CustomerID: team.ID, MemberID: member.ID, ReturnURL: "https://example.com/team"})
	require.NoError(t, err)
	assertToken(t, rules.PrefixMemberSession, sess.Token.Reveal())

	clock.Advance(59 * time.Minute)
	info, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), sess.Token.Reveal())
	require.NoError(t, err)
	assert.Equal(t, sess.ExpiresAt, info.ExpiresAt)
	assert.Equal(t, t0.Add(time.Hour), info.ExpiresAt)
	require.NotNil(t, info.ReturnURL)
	assert.Equal(t, "https://example.com/team", *info.ReturnURL)

	resp := call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", bearer(sess.Token.Reveal()))
	require.Equal(t, http.StatusOK, resp.status)
	assertMatchesSpec(t, http.MethodGet, introspectPath, http.StatusOK, resp.body)

	unknown := rules.PrefixMemberSession + strings.Repeat("0", rules.TokenLength)
	clock.Advance(time.Minute) // expires_at is reached: expired
	for name, token := range map[string]string{"unknown": unknown, "expired": sess.Token.Reveal()} {
		_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), token)
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode, name)
		assert.Equal(t, "invalid_token", apiErr.Code, name)
	}
}

// portalEmail is the email a portal URL carries.
func portalEmail(t *testing.T, portalURL string) string {
	t.Helper()
	u, err := url.Parse(portalURL)
	require.NoError(t, err)
	return u.Query().Get("email")
}

// decodeSession decodes a created session with the generated types.
func decodeSession(t *testing.T, body []byte) gen.CustomerSession {
	t.Helper()
	var s gen.CustomerSession
	require.NoError(t, json.Unmarshal(body, &s), "body: %s", body)
	return s
}
