package client_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

// The session token a create's answer carries is a secret of the call's
// too: echoed elsewhere in the answer without its prefix (in a field of
// the customer, a header), it is redacted by its value, in the result and
// in what WithResponseInto hands over. Text without a secret is untouched.
func TestCreatedTokenIsRedactedByValue(t *testing.T) {
	body := string(fixtures.CustomerSessionIndividual())
	var fields struct{ Token string }
	require.NoError(t, json.Unmarshal([]byte(body), &fields))
	bare := strings.TrimPrefix(fields.Token, "polar_cst_")
	require.NotEqual(t, fields.Token, bare)
	body = strings.Replace(body, `"name": "Jane Doe"`, `"name": "`+bare+`"`, 1)
	require.Contains(t, body, bare)

	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(http.StatusCreated, body, "X-Echo", bare, "X-Plain", "100%41 off"))
	c := newClient(t, ts)
	var resp *http.Response
	sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID},
		client.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.Equal(t, fields.Token, sess.Token.Reveal(), "the token itself is kept")
	ind, ok := sess.Individual()
	require.True(t, ok)
	require.NotNil(t, ind.Name)
	assert.NotContains(t, *ind.Name, bare)
	assert.NotContains(t, resp.Header.Get("X-Echo"), bare)
	assert.Equal(t, "100%41 off", resp.Header.Get("X-Plain"), "no secret: as it came")
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), bare)
}

// An error body without a secret keeps its escapes: it stays the JSON it was.
func TestErrorBodyWithoutSecretsIsKeptAsIs(t *testing.T) {
	const body = `{"detail":"path C:\\u0061bc, 100%41"}`
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(http.StatusBadRequest, body))
	c := newClient(t, ts)
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, body, string(apiErr.Body))
	assert.True(t, json.Valid(apiErr.Body))
}
