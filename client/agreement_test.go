package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	member := polar.AddMember(polartest.Member{CustomerID: cust.ID, ExternalID: "mem_1"})
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
		"/account", "myapp://account", "mailto:jane@example.com", "https:///account", "https://", "https:example.com/a",
		"https://1.2.3.999/account", "https://example.123/", "https://exa%mple.com/", "https://ex%41mple.com/support",
		" https://example.com/account ", "https://example.com\\a\\b", "https://[::1/",
		"https://example.com:70000/", "https://exa mple.com/", "https://example.com:x/",
	}
	check := func(req client.CreateCustomerSessionRequest) {
		_, err := c.CustomerSessions.Create(context.Background(), req)
		refused := errors.Is(err, client.ErrInvalidRequest)
		if !refused {
			require.NoError(t, err, "%+v", req)
		}
		body := map[string]string{"customer_id": req.CustomerID}
		for k, v := range map[string]string{"member_id": req.MemberID, "external_member_id": req.ExternalMemberID,
			"return_url": rules.EncodeReturnURL(req.ReturnURL)} { // what the client sends
			if v != "" {
				body[k] = v
			}
		}
		status := rawCreate(t, polar, body)
		assert.Equal(t, refused, status == http.StatusUnprocessableEntity,
			"%.200q: client refused: %v; polartest answered %d", fmt.Sprintf("%+v", req), err, status)
	}
	for _, id := range ids {
		check(client.CreateCustomerSessionRequest{CustomerID: id})
	}
	for _, u := range urls {
		check(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: u})
	}
	// Member IDs, in every form, of the customer's own member.
	memberSimple := strings.ReplaceAll(member.ID, "-", "")
	for _, id := range []string{member.ID, strings.ToUpper(member.ID), memberSimple, "{" + member.ID + "}", "urn:uuid:" + member.ID,
		"urn:uuid:" + memberSimple, member.ID[:35], "mem_1", "a8098c1a-f86e-11da-bd1a-00112444be1e"} {
		check(client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: id})
	}
	for _, ext := range []string{"mem_1", " ", "\t"} {
		check(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ExternalMemberID: ext})
	}

	// The one deliberate difference: given both member fields, Polar uses
	// member_id and ignores external_member_id; the client refuses the
	// ambiguous pair rather than send a field Polar would drop.
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{
		CustomerID: cust.ID, MemberID: member.ID, ExternalMemberID: "mem_other"})
	require.ErrorIs(t, err, client.ErrInvalidRequest)
	assert.Equal(t, http.StatusCreated, rawCreate(t, polar, map[string]string{
		"customer_id": cust.ID, "member_id": member.ID, "external_member_id": "mem_other"}))
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
