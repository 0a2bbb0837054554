package polartest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
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
}
