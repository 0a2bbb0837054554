package polartest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/internal/spectest"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// The fake's bodies hold to the spec read from openapi/ (every required
// property present, types right, nothing undeclared), for both kinds of
// customer, with and without a return URL and external IDs, so it cannot
// drift from what the client is generated from.
func TestBodiesMatchSpec(t *testing.T) {
	spec, err := spectest.Load()
	require.NoError(t, err)
	srv, _ := start(t)
	c := newHTTPClient(t)
	for _, typ := range []polartest.CustomerType{polartest.CustomerIndividual, polartest.CustomerTeam} {
		for _, full := range []bool{false, true} {
			cust := polartest.Customer{Type: typ}
			body := `{"customer_id":"%s","member_id":"%s"}`
			if full {
				cust = polartest.Customer{Type: typ, ExternalID: "ext-" + string(typ), Email: string(typ) + "@example.com",
					EmailVerified: true, Name: "N", BillingName: "B", Locale: "en",
					Metadata: map[string]any{"s": "x", "i": 1, "f": 0.5, "b": true}}
				body = `{"customer_id":"%s","member_id":"%s","return_url":"https://example.com/back"}`
			}
			cust = srv.AddCustomer(cust)
			member := srv.AddMember(polartest.Member{CustomerID: cust.ID})
			resp := create(t, c, srv, fmt.Sprintf(body, cust.ID, member.ID))
			require.Equal(t, http.StatusCreated, resp.status)
			assert.NoError(t, spec.CheckResponse(http.MethodPost, createPath, http.StatusCreated, resp.body), "%s", resp.body)

			token := decodeJSON(t, resp.body)["token"].(string)
			resp = call(t, c, srv, http.MethodGet, introspectPath, "", bearer(token))
			require.Equal(t, http.StatusOK, resp.status)
			assert.NoError(t, spec.CheckResponse(http.MethodGet, introspectPath, http.StatusOK, resp.body), "%s", resp.body)
		}
	}

	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	for _, body := range []string{
		`{"customer_id":"nope"}`,
		`{"customer_id":"` + team.ID + `"}`,
		`{"customer_id":"` + team.ID + `","external_member_id":"nobody"}`,
	} {
		resp := create(t, c, srv, body)
		require.Equal(t, http.StatusUnprocessableEntity, resp.status)
		// Polar's 422 has an "error" member the spec does not declare.
		var obj map[string]any
		require.NoError(t, json.Unmarshal(resp.body, &obj))
		assert.Contains(t, obj, "error")
		delete(obj, "error")
		rest, err := json.Marshal(obj)
		require.NoError(t, err)
		assert.NoError(t, spec.CheckResponse(http.MethodPost, createPath, http.StatusUnprocessableEntity, rest), "%s", resp.body)
	}
}

// assertMatchesSpec checks a body against the spec in openapi/.
func assertMatchesSpec(t *testing.T, method, path string, status int, body []byte) {
	t.Helper()
	spec, err := spectest.Load()
	require.NoError(t, err)
	assert.NoError(t, spec.CheckResponse(method, path, status, body), "%s", body)
}
