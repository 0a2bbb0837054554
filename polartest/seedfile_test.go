package polartest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestParseSeed(t *testing.T) {
	seed, err := polartest.ParseSeed([]byte(`{"customers": [
		{"id": "3f2e1d0c-9b8a-4765-8432-10fedcba9876", "external_id": "usr_1", "email": "ada@example.com", "type": "individual", "name": "Ada"},
		{"type": "team", "external_id": "team_1", "name": null, "members": [
			{"id": "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f", "external_id": "mem_1", "email": "grace@example.com", "name": "Grace", "role": "owner"},
			{"email": "x@example.com"}]}]}`))
	require.NoError(t, err)
	assert.Equal(t, polartest.Seed{Customers: []polartest.SeedCustomer{
		{Customer: polartest.Customer{ID: "3f2e1d0c-9b8a-4765-8432-10fedcba9876", ExternalID: "usr_1", Email: "ada@example.com",
			Type: polartest.CustomerIndividual, Name: "Ada"}},
		{Customer: polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_1"}, Members: []polartest.Member{
			{ID: "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f", ExternalID: "mem_1", Email: "grace@example.com", Name: "Grace", Role: polartest.RoleOwner},
			{Email: "x@example.com"}}},
	}}, seed)

	for _, empty := range []string{`{}`, `{"customers": []}`, `{"customers": null}`} {
		seed, err := polartest.ParseSeed([]byte(empty))
		require.NoError(t, err, empty)
		assert.Empty(t, seed.Customers, empty)
	}
}

func TestParseSeedNamesWhatIsWrong(t *testing.T) {
	for input, want := range map[string]string{
		``:                              "seed: empty; want a JSON object",
		`{"customers": [}`:              "seed: invalid JSON at byte 16: invalid character '}' looking for beginning of value",
		`[]`:                            "seed: want an object, got an array",
		`{"customer": []}`:              "customer: unknown key; the keys are customers",
		`{"customers": {}}`:             "customers: want an array, got an object",
		`{"customers": [{}, "x"]}`:      "customers[1]: want an object, got a string",
		`{"customers": [{"emial": 1}]}`: "customers[0].emial: unknown key; the keys are id, external_id, email, type, name and members",
		`{"customers": [{"email": 1}]}`: "customers[0].email: want a string, got a number",
		`{"customers": [{}, {"members": [{}, {"role": true}]}]}`:   "customers[1].members[1].role: want a string, got a boolean",
		`{"customers": [{}, {"members": [{"customer_id": "x"}]}]}`: "customers[1].members[0].customer_id: unknown key; the keys are id, external_id, email, name and role",
		`{"customers": [{"members": {}}]}`:                         "customers[0].members: want an array, got an object",
	} {
		_, err := polartest.ParseSeed([]byte(input))
		var seedErr *polartest.SeedError
		if assert.True(t, errors.As(err, &seedErr), "%s: %v", input, err) {
			assert.Equal(t, want, err.Error(), input)
		}
	}
}
