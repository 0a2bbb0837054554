package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

// TestClientAndPolartestAgree: for each ID and return URL, the client
// refuses the request before sending exactly when polartest, which answers
// as Polar does, refuses what the client would send with a 422. Both apply
// the rules package; this test fails if either grows its own copy of a rule.
func TestClientAndPolartestAgree(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	cust := polar.AddCustomer(polartest.Customer{})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	simple := strings.ReplaceAll(cust.ID, "-", "")
	ids := []string{
		cust.ID, strings.ToUpper(cust.ID), simple, "urn:uuid:" + cust.ID, "urn:uuid:" + simple,
		"a8098c1a-f86e-11da-bd1a-00112444be1e", // version 1
		cust.ID[:35], cust.ID + "0", "{" + cust.ID + "}", "cus_123", " " + cust.ID, simple[:31] + "g",
	}
	base := "https://example.com/"
	urls := []string{
		"", "https://example.com/account", "http://localhost:3000/back?x=1#top",
		"https://example.com/a b", "https://example.com/café", "https://example.com/?q={x}|y", "https://example.com/100%",
		base + strings.Repeat("a", rules.MaxReturnURLBytes-len(base)),   // exactly the limit
		base + strings.Repeat("a", rules.MaxReturnURLBytes-len(base)+1), // one byte over
		base + strings.Repeat("é", 1100),                                // few characters, many bytes
		base + strings.Repeat(" ", 30) + strings.Repeat("a", 2040),      // over only once encoded
		"/account", "myapp://account", "mailto:jane@example.com", "https:///account",
		"https://example.com:70000/", "https://exa mple.com/", "https://example.com:x/",
	}
	check := func(id, returnURL string) {
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: id, ReturnURL: returnURL})
		refused := errors.Is(err, client.ErrInvalidRequest)
		if !refused {
			require.NoError(t, err, "id %q, return URL %q", id, returnURL)
		}
		body := map[string]string{"customer_id": id}
		if returnURL != "" {
			body["return_url"] = rules.EncodeReturnURL(returnURL) // what the client sends
		}
		status := rawCreate(t, polar, body)
		assert.Equal(t, refused, status == http.StatusUnprocessableEntity,
			"id %q, return URL %.60q: client refused: %v; polartest answered %d", id, returnURL, err, status)
	}
	for _, id := range ids {
		check(id, "")
	}
	for _, u := range urls {
		check(cust.ID, u)
	}
}

// rawCreate posts body to polartest as any HTTP client could, and returns
// the status.
func rawCreate(t *testing.T, polar *polartest.Server, body map[string]string) int {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, polar.URL()+"/v1/customer-sessions/", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+polar.AccessToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := polar.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}
