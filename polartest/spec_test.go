package polartest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

// schemaKeys returns the required and declared properties of a component
// schema of the module's spec.
func schemaKeys(t *testing.T, name string) (required, declared []string) {
	t.Helper()
	raw, err := os.ReadFile("../openapi/openapi.json")
	require.NoError(t, err)
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(raw, &spec))
	schema, ok := spec.Components.Schemas[name]
	require.True(t, ok, "schema %s", name)
	return schema.Required, slices.Sorted(maps.Keys(schema.Properties))
}

// assertShape checks an object against a schema: every required property
// present, nothing undeclared.
func assertShape(t *testing.T, schema string, obj map[string]any) {
	t.Helper()
	required, declared := schemaKeys(t, schema)
	for _, key := range required {
		assert.Contains(t, obj, key, "%s.%s is required", schema, key)
	}
	for key := range obj {
		assert.Contains(t, declared, key, "%s declares no %s", schema, key)
	}
}

// The fake's bodies hold to the spec, property by property, so that it
// cannot drift from what the client is generated from.
func TestBodiesMatchSpec(t *testing.T) {
	srv, _ := start(t)
	c := newHTTPClient(t)
	for typ, schema := range map[polartest.CustomerType]string{
		polartest.CustomerIndividual: "CustomerIndividual",
		polartest.CustomerTeam:       "CustomerTeam",
	} {
		cust := srv.AddCustomer(polartest.Customer{Type: typ})
		member := srv.AddMember(polartest.Member{CustomerID: cust.ID})
		resp := create(t, c, srv, `{"customer_id":"`+cust.ID+`","member_id":"`+member.ID+`"}`)
		require.Equal(t, http.StatusCreated, resp.status)
		session := decodeJSON(t, resp.body)
		assertShape(t, "CustomerSession", session)
		assertShape(t, schema, session["customer"].(map[string]any))

		resp = call(t, c, srv, http.MethodGet, introspectPath, "", bearer(session["token"].(string)))
		require.Equal(t, http.StatusOK, resp.status)
		assertShape(t, "CustomerCustomerSession", decodeJSON(t, resp.body))
	}

	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	for _, body := range []string{
		`{"customer_id":"nope"}`,
		`{"customer_id":"` + team.ID + `"}`,
		`{"customer_id":"` + team.ID + `","external_member_id":"nobody"}`,
	} {
		resp := create(t, c, srv, body)
		require.Equal(t, http.StatusUnprocessableEntity, resp.status)
		for _, item := range decodeJSON(t, resp.body)["detail"].([]any) {
			assertShape(t, "ValidationError", item.(map[string]any))
		}
	}
}
