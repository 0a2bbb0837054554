package polartest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

func TestAddMemberDefaults(t *testing.T) {
	srv, _ := start(t)
	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})

	m := srv.AddMember(polartest.Member{CustomerID: strings.ToUpper(team.ID)})
	assert.Regexp(t, uuid4Format, m.ID)
	assert.Equal(t, team.ID, m.CustomerID, "canonical")
	assert.Equal(t, polartest.RoleMember, m.Role)
	assert.Equal(t, "member-"+m.ID[:8]+"@example.com", m.Email, "Polar requires a member's email")
	assert.Empty(t, m.ExternalID)
	assert.Empty(t, m.Name)

	given := srv.AddMember(polartest.Member{ID: "3F2E1D0C-9B8A-4765-8432-10FEDCBA9876", CustomerID: team.ID, ExternalID: "mem_1",
		Email: "ops@acme.example", Name: "Ops", Role: polartest.RoleBillingManager})
	assert.Equal(t, polartest.Member{ID: "3f2e1d0c-9b8a-4765-8432-10fedcba9876", CustomerID: team.ID, ExternalID: "mem_1",
		Email: "ops@acme.example", Name: "Ops", Role: polartest.RoleBillingManager}, given)

	// A team's owner is a person of its own; an individual's owner takes
	// what it lacks from the customer, as Polar creates it.
	teamOwner := srv.AddMember(polartest.Member{CustomerID: team.ID, Role: polartest.RoleOwner})
	assert.Equal(t, "member-"+teamOwner.ID[:8]+"@example.com", teamOwner.Email)
	jane := srv.AddCustomer(polartest.Customer{ExternalID: "usr_jane", Email: "jane@example.com", Name: "Jane"})
	owner := srv.AddMember(polartest.Member{CustomerID: jane.ID, Role: polartest.RoleOwner, Name: "Jane D."})
	assert.Equal(t, polartest.Member{ID: owner.ID, CustomerID: jane.ID, ExternalID: "usr_jane", Email: "jane@example.com",
		Name: "Jane D.", Role: polartest.RoleOwner}, owner)

	assert.Equal(t, []polartest.Member{m, given, teamOwner}, srv.Members(team.ID), "in the order added")
	assert.Equal(t, []polartest.Member{owner}, srv.Members(jane.ID))
}

func TestAddMemberRefusesWhatPolarWould(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{Email: "jane@example.com"})
	taken := srv.AddMember(polartest.Member{CustomerID: cust.ID, ExternalID: "mem_1", Email: "a@example.com"})
	srv.AddMember(polartest.Member{CustomerID: cust.ID, Role: polartest.RoleOwner})
	other := srv.AddCustomer(polartest.Customer{})

	for name, m := range map[string]polartest.Member{
		"no customer":          {},
		"unknown customer":     {CustomerID: "3f2e1d0c-9b8a-4765-8432-10fedcba9876"},
		"malformed customer":   {CustomerID: "cus_1"},
		"malformed ID":         {ID: "abc", CustomerID: cust.ID},
		"version 1 ID":         {ID: "a8098c1a-f86e-11da-bd1a-00112444be1e", CustomerID: cust.ID},
		"ID taken":             {ID: taken.ID, CustomerID: other.ID},
		"unknown role":         {CustomerID: cust.ID, Role: "admin"},
		"blank external ID":    {CustomerID: cust.ID, ExternalID: " "},
		"external ID used":     {CustomerID: cust.ID, ExternalID: "mem_1"},
		"email used, any case": {CustomerID: cust.ID, Email: "A@Example.com"},
		"second owner":         {CustomerID: cust.ID, Email: "b@example.com", Role: polartest.RoleOwner},
	} {
		assert.Panics(t, func() { srv.AddMember(m) }, name)
	}
	assert.Len(t, srv.Members(cust.ID), 2, "a refused member leaves nothing behind")

	// Uniqueness is within a customer.
	assert.NotPanics(t, func() {
		srv.AddMember(polartest.Member{CustomerID: other.ID, ExternalID: "mem_1", Email: "a@example.com", Role: polartest.RoleOwner})
	})
	assert.Panics(t, func() { srv.Members("3f2e1d0c-9b8a-4765-8432-10fedcba9876") })
}

func TestMembersReturnsCopies(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	srv.AddMember(polartest.Member{CustomerID: cust.ID, Name: "Ada"})
	members := srv.Members(cust.ID)
	members[0].Name = "changed"
	assert.Equal(t, "Ada", srv.Members(cust.ID)[0].Name)
}

// CreateSession and CreateMemberSession mint what create would.
func TestCreateSessionFollowsTheModel(t *testing.T) {
	srv, _ := start(t)
	jane := srv.AddCustomer(polartest.Customer{Email: "jane@example.com"})
	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	member := srv.AddMember(polartest.Member{CustomerID: team.ID})

	assertToken(t, rules.PrefixMemberSession, srv.CreateSession(jane.ID, ""))
	owners := srv.Members(jane.ID)
	require.Len(t, owners, 1, "the owner is created on first use")
	assert.Equal(t, polartest.RoleOwner, owners[0].Role)
	assertToken(t, rules.PrefixMemberSession, srv.CreateSession(jane.ID, ""))
	assert.Len(t, srv.Members(jane.ID), 1)

	assert.Panics(t, func() { srv.CreateSession(team.ID, "") }, "member_id is required for team customers")
	assertToken(t, rules.PrefixMemberSession, srv.CreateMemberSession(member.ID, "https://example.com"))
	assert.Panics(t, func() { srv.CreateMemberSession("3f2e1d0c-9b8a-4765-8432-10fedcba9876", "") })
	assert.Panics(t, func() { srv.CreateSession("3f2e1d0c-9b8a-4765-8432-10fedcba9876", "") })

	legacy, _ := start(t, polartest.WithMemberModel(false))
	cust := legacy.AddCustomer(polartest.Customer{})
	legacyTeam := legacy.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	legacyMember := legacy.AddMember(polartest.Member{CustomerID: legacyTeam.ID})
	assertToken(t, rules.PrefixCustomerSession, legacy.CreateSession(cust.ID, ""))
	assertToken(t, rules.PrefixCustomerSession, legacy.CreateSession(legacyTeam.ID, ""))
	assertToken(t, rules.PrefixCustomerSession, legacy.CreateMemberSession(legacyMember.ID, ""))
	assert.Empty(t, legacy.Members(cust.ID), "no owner without the member model")
}

// The seeding helpers take IDs in any form Polar accepts, and refuse a
// return URL create would refuse.
func TestSeedingHelpersTakeAnyIDForm(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	member := srv.AddMember(polartest.Member{CustomerID: cust.ID})
	assert.NotPanics(t, func() {
		srv.CreateSession(strings.ToUpper(cust.ID), "")
		srv.CreateMemberSession(strings.ToUpper(member.ID), "https://example.com/a b")
		assert.Len(t, srv.Members("{"+strings.ToUpper(cust.ID)+"}"), 2, "the member and the owner")
	})
	assert.PanicsWithValue(t, "polartest: CreateSession: return URL: URL scheme should be 'http' or 'https'",
		func() { srv.CreateSession(cust.ID, "javascript:alert(1)") })
	assert.Panics(t, func() { srv.CreateMemberSession(member.ID, "/relative") })
}

// A deleted member's sessions stop authenticating and create finds it by
// no ID, while its customer and the customer's other members live on; its
// email and external ID are free for a new member.
func TestDeleteMember(t *testing.T) {
	srv, _ := start(t)
	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_1"})
	gone := srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mem_1", Email: "grace@example.com"})
	stays := srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mem_2"})
	c := polarClient(t, srv)
	ctx := context.Background()
	sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: team.ID, ExternalMemberID: "mem_1"})
	require.NoError(t, err)
	staying, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: team.ID, MemberID: stays.ID})
	require.NoError(t, err)

	srv.DeleteMember("{" + strings.ToUpper(gone.ID) + "}") // any form Polar accepts
	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, sess.Token.Reveal())
	refusedToken(t, err)
	assertInvalidToken(t, call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", bearer(sess.Token.Reveal())))
	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, staying.Token.Reveal())
	assert.NoError(t, err)

	_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: team.ID, MemberID: gone.ID})
	fe := refusal(t, err, "member_id", rules.MsgMemberNotFound)
	assert.Equal(t, gone.ID, fe.Input)
	_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "team_1", ExternalMemberID: "mem_1"})
	refusal(t, err, "external_member_id", rules.MsgMemberNotFound)
	assert.Equal(t, []polartest.Member{stays}, srv.Members(team.ID))
	assert.Panics(t, func() { srv.CreateMemberSession(gone.ID, "") })
	assert.Panics(t, func() { srv.AddMember(polartest.Member{ID: gone.ID, CustomerID: team.ID}) }, "the ID stays taken")

	successor := srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mem_1", Email: "GRACE@example.com"})
	sess, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: team.ID, ExternalMemberID: "mem_1"})
	require.NoError(t, err)
	assert.Equal(t, successor.Email, portalEmail(t, sess.CustomerPortalURL.Reveal()))

	srv.DeleteMember(gone.ID) // again: nothing
	srv.DeleteMember("3f2e1d0c-9b8a-4765-8432-10fedcba9876")
	assert.Len(t, srv.Members(team.ID), 2)
}

// Polar refuses to delete a customer's owner, its only one ("Cannot delete
// the only owner. Transfer ownership first."), so DeleteMember panics.
func TestDeleteMemberRefusesTheOwner(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.CreateSession(cust.ID, "") // creates the owner
	owner := srv.Members(cust.ID)[0]
	require.Equal(t, polartest.RoleOwner, owner.Role)
	assert.PanicsWithValue(t, "polartest: DeleteMember: member "+owner.ID+" is the owner of customer "+cust.ID+", which Polar refuses to delete",
		func() { srv.DeleteMember(owner.ID) })
	assert.Equal(t, http.StatusOK, call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", bearer(token)).status)
}

// Without the member model, sessions are the customer's: deleting a member
// leaves them alone.
func TestDeleteMemberLeavesCustomerSessions(t *testing.T) {
	srv, _ := start(t, polartest.WithMemberModel(false))
	cust := srv.AddCustomer(polartest.Customer{})
	member := srv.AddMember(polartest.Member{CustomerID: cust.ID})
	token := srv.CreateMemberSession(member.ID, "") // a polar_cst_ session of the customer
	srv.DeleteMember(member.ID)
	assert.Equal(t, http.StatusOK, call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", bearer(token)).status)
	assert.Empty(t, srv.Members(cust.ID))
}
