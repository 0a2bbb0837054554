package spectest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/internal/spectest"
)

const introspect = "/v1/customer-portal/customer-session/introspect"

func TestCheckResponse(t *testing.T) {
	spec, err := spectest.Load()
	require.NoError(t, err)

	// The generated model holds every property of the spec it came from.
	valid, err := json.Marshal(gen.CustomerCustomerSession{})
	require.NoError(t, err)
	assert.NoError(t, spec.CheckResponse(http.MethodGet, introspect, 200, valid))

	for name, body := range map[string]string{
		"a required property missing": `{}`,
		"a wrong type":                `{"expires_at": 7, "return_url": null}`,
		"a bad date-time":             `{"expires_at": "tomorrow", "return_url": null}`,
		"an undeclared property":      `{"expires_at": "2026-11-21T11:00:00Z", "return_url": null, "extra": 1}`,
	} {
		assert.Error(t, spec.CheckResponse(http.MethodGet, introspect, 200, []byte(body)), name)
	}
	assert.ErrorContains(t, spec.CheckResponse(http.MethodGet, "/v1/nope", 200, nil), "no path")
	assert.ErrorContains(t, spec.CheckResponse(http.MethodGet, introspect, 418, nil), "no 418 response")
}
