package client_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

// A default client sends the version of the spec it was generated from
// (2026-10, the version Polar's own SDKs send today: make spec-check holds
// openapi/ to Polar's 2026-10 spec), and a client can be pinned to each
// version Polar serves.
func TestAPIVersionDefaultAndPinning(t *testing.T) {
	assert.Equal(t, gen.APIVersion, client.DefaultAPIVersion)
	polar, c, _ := startPolar(t)
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	req := client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1"}
	ctx := context.Background()

	var raw *http.Response
	sess, err := c.CustomerSessions.Create(ctx, req, client.WithResponseInto(&raw))
	require.NoError(t, err)
	assert.Equal(t, client.DefaultAPIVersion, raw.Header.Get("Polar-Version"), "the version served")
	assert.Equal(t, client.DefaultAPIVersion, polar.Requests()[0].Header.Get("Polar-Version"), "the version sent")

	for _, v := range rules.APIVersions() {
		pinned, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
			client.WithAPIVersion(v))
		require.NoError(t, err)
		_, err = pinned.CustomerSessions.Create(ctx, req, client.WithResponseInto(&raw))
		require.NoError(t, err, v)
		assert.Equal(t, v, raw.Header.Get("Polar-Version"))
		_, err = pinned.CustomerPortal.CustomerSession.Introspect(ctx, sess.Token.Reveal(), client.WithResponseInto(&raw))
		require.NoError(t, err, v)
		assert.Equal(t, v, raw.Header.Get("Polar-Version"))
		pinned.CloseIdleConnections()
	}
}
