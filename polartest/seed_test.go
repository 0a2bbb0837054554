package polartest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

const (
	seedCustomerID = "3f2e1d0c-9b8a-4765-8432-10fedcba9876"
	seedMemberID   = "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f"
)

// testSeed is an individual customer and a team with one member.
func testSeed() polartest.Seed {
	return polartest.Seed{Customers: []polartest.SeedCustomer{
		{Customer: polartest.Customer{ID: seedCustomerID, ExternalID: "usr_1", Email: "ada@example.com"}},
		{Customer: polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_1"},
			Members: []polartest.Member{{ID: seedMemberID, ExternalID: "mem_1", Email: "grace@example.com"}}},
	}}
}

func TestLoad(t *testing.T) {
	srv, _ := start(t)
	require.NoError(t, srv.Load(testSeed()))
	c := newHTTPClient(t)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, `{"external_customer_id":"usr_1"}`).status)
	resp := create(t, c, srv, `{"external_customer_id":"team_1","external_member_id":"mem_1"}`)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	assert.Contains(t, decodeJSON(t, resp.body)["customer_portal_url"], "email=grace%40example.com")
	owner := srv.Members(seedCustomerID)
	require.Len(t, owner, 1, "the owner, created on first use")
}

// Load refuses what AddCustomer and AddMember would, naming the entry and
// the field, and registers nothing then.
func TestLoadRefusesWhatAddWould(t *testing.T) {
	srv, _ := start(t)
	srv.AddCustomer(polartest.Customer{ExternalID: "usr_taken"})
	team := func(members ...polartest.Member) polartest.SeedCustomer {
		return polartest.SeedCustomer{Customer: polartest.Customer{Type: polartest.CustomerTeam}, Members: members}
	}
	for want, seed := range map[string][]polartest.SeedCustomer{
		`customers[1].id: "abc": Input should be a valid UUID`:                         {{}, {Customer: polartest.Customer{ID: "abc"}}},
		`customers[0].type: unknown type "robot"; Polar's are "individual" and "team"`: {{Customer: polartest.Customer{Type: "robot"}}},
		`customers[0].external_id: "usr_taken" is already customer `:                   {{Customer: polartest.Customer{ExternalID: "usr_taken"}}},
		`customers[1].external_id: "usr_2" is already customer `: {
			{Customer: polartest.Customer{ExternalID: "usr_2"}}, {Customer: polartest.Customer{ExternalID: "usr_2"}}},
		`customers[0].external_id: is blank`: {{Customer: polartest.Customer{ExternalID: " "}}},
		`customers[1].members[0].id: member ` + seedMemberID + ` exists already`: {
			team(polartest.Member{ID: seedMemberID}), team(polartest.Member{ID: seedMemberID})},
		`customers[0].members[1].email: "A@example.com" is already member `:          {team(polartest.Member{Email: "a@example.com"}, polartest.Member{Email: "A@example.com"})},
		`customers[0].members[0].role: unknown role "admin"`:                         {team(polartest.Member{Role: "admin"})},
		`customers[0].members[1].role: customer `:                                    {team(polartest.Member{Role: polartest.RoleOwner}, polartest.Member{Role: polartest.RoleOwner})},
		`customers[0].members[0].id: "x": Input should be a valid UUID`:              {team(polartest.Member{ID: "x"})},
		`customers[0].members[0].customer_id: is the customer's own; leave it empty`: {team(polartest.Member{CustomerID: seedCustomerID})},
		`customers[1].id: customer ` + seedCustomerID + ` exists already`: {
			{Customer: polartest.Customer{ID: seedCustomerID}}, {Customer: polartest.Customer{ID: seedCustomerID}}},
	} {
		err := srv.Load(polartest.Seed{Customers: seed})
		var seedErr *polartest.SeedError
		if assert.True(t, errors.As(err, &seedErr), "%s: %v", want, err) {
			assert.Contains(t, err.Error(), want)
			assert.Equal(t, want[:len(seedErr.Field)], seedErr.Field)
		}
		// All or nothing: the first customer of a refused seed is not there.
		assert.Equal(t, http.StatusUnprocessableEntity, create(t, newHTTPClient(t), srv, `{"external_customer_id":"usr_2"}`).status, want)
	}
}

func TestResetReturnsToTheSeed(t *testing.T) {
	srv, clock := start(t)
	require.NoError(t, srv.Load(testSeed()))
	c := newHTTPClient(t)
	token := srv.AddAccessToken("polar_oat_kept", polartest.ScopeCustomerSessionsWrite)
	sess := srv.CreateSession(seedCustomerID, "")
	srv.AddCustomer(polartest.Customer{ExternalID: "usr_later"})
	srv.DeleteMember(seedMemberID)
	srv.Script(polartest.RouteAny, polartest.Status(503))
	require.Equal(t, http.StatusServiceUnavailable, create(t, c, srv, `{}`).status)
	clock.Advance(time.Minute)

	srv.Reset()
	assert.Empty(t, srv.Requests())
	assert.Zero(t, srv.Stats().Requests)
	assert.Zero(t, srv.Pending(polartest.RouteAny))
	assert.Empty(t, srv.Members(seedCustomerID), "the owner created on first use is gone")
	resp := call(t, c, srv, http.MethodGet, introspectPath, "", bearer(sess))
	assert.Equal(t, http.StatusUnauthorized, resp.status, "sessions since the seed are gone")
	assert.Equal(t, http.StatusUnprocessableEntity, create(t, c, srv, `{"external_customer_id":"usr_later"}`).status)
	resp = call(t, c, srv, http.MethodPost, createPath, `{"external_customer_id":"team_1","member_id":"`+seedMemberID+`"}`, bearer(token))
	assert.Equal(t, http.StatusCreated, resp.status, "the deleted member is back, with its ID; access tokens are kept: %s", resp.body)

	// Without a Load, Reset forgets every customer.
	other, _ := start(t)
	other.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	other.Reset()
	assert.Equal(t, http.StatusUnprocessableEntity, create(t, c, other, `{"external_customer_id":"usr_1"}`).status)
}
