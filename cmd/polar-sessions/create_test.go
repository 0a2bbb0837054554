package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/spectest"
)

func TestCreateByCustomerIDPrintsTheSessionAsJSON(t *testing.T) {
	t.Parallel()
	f := newFake(t)

	r := f.run(t, "create", "--customer-id", f.cust.ID)

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	var sess client.CustomerSession
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sess))
	assert.Equal(t, f.cust.ID, sess.CustomerID)
	ind, ok := sess.Individual()
	require.True(t, ok, "customer type %q", sess.CustomerType())
	assert.Equal(t, f.cust.Email, ind.Email)
	assert.Equal(t, externalID, deref(ind.ExternalID))
	assert.True(t, strings.HasPrefix(sess.Token.Reveal(), "polar_mst_"), "a member session, for the owner")
	assert.Contains(t, sess.CustomerPortalURL.Reveal(), "customer_session_token="+url.QueryEscape(sess.Token.Reveal()))

	// Every field Polar sends, none added or dropped: the spec's shape.
	spec, err := spectest.Load()
	require.NoError(t, err)
	assert.NoError(t, spec.CheckResponse(http.MethodPost, "/v1/customer-sessions/", http.StatusCreated, []byte(r.stdout)))
	assert.Contains(t, r.stdout, "\n  \"token\": ", "indented")
	assert.Contains(t, r.stdout, `"customer_portal_url": "`+sess.CustomerPortalURL.Reveal()+`"`, "unescaped, to copy from the terminal")

	reqs := f.srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "Bearer "+f.srv.AccessToken(), reqs[0].Header.Get("Authorization"))
	assert.JSONEq(t, `{"customer_id":"`+f.cust.ID+`"}`, string(reqs[0].Body))
}

func TestCreateByExternalIDPrintsASummary(t *testing.T) {
	t.Parallel()
	f := newFake(t)

	// Global flags after the command name work too.
	r := runTool(t, f.env, "create", "--external-customer-id", externalID, "--output", "text", "--server", f.srv.URL())

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	assert.Regexp(t, `(?m)^Customer: +individual `+f.cust.ID+`, external ID usr_1337$`, r.stdout)
	assert.Regexp(t, `(?m)^Name: +Ada Lovelace$`, r.stdout)
	assert.Regexp(t, `(?m)^Email: +ada@example.com$`, r.stdout)
	assert.Regexp(t, `(?m)^Expires: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 59m\)$`, r.stdout)
	assert.Regexp(t, `(?m)^Return URL: +none$`, r.stdout)
	m := regexp.MustCompile(`(?m)^Portal URL: +(https://polar\.sh/polartest/portal\?customer_session_token=(polar_mst_\w+)&email=ada%40example\.com)$`).
		FindStringSubmatch(r.stdout)
	require.NotNil(t, m, "no portal URL in:\n%s", r.stdout)

	// The printed token is the live session's.
	r = runTool(t, f.env, "--server", f.srv.URL(), "introspect", "--token", m[2])
	assert.Equal(t, exitOK, r.code, r.stderr)
}

func TestCreateSendsMemberAndReturnURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args func(f *fake) []string
		want func(f *fake) string
	}{
		{
			name: "customer and member IDs",
			args: func(f *fake) []string {
				return []string{"--customer-id", f.cust.ID, "--member-id", memberID, "--return-url", "https://example.com/account"}
			},
			want: func(f *fake) string {
				return `{"customer_id":"` + f.cust.ID + `","member_id":"` + memberID + `","return_url":"https://example.com/account"}`
			},
		},
		{
			name: "external IDs",
			args: func(*fake) []string {
				return []string{"--external-customer-id", externalID, "--external-member-id", externalMemberID, "--return-url", "https://example.com/back"}
			},
			want: func(*fake) string {
				return `{"external_customer_id":"usr_1337","external_member_id":"mem_42","return_url":"https://example.com/back"}`
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)

			r := f.run(t, append([]string{"create"}, tt.args(f)...)...)

			require.Equal(t, exitOK, r.code, r.stderr)
			reqs := f.srv.Requests()
			require.Len(t, reqs, 1)
			assert.JSONEq(t, tt.want(f), string(reqs[0].Body))
			var sess client.CustomerSession
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &sess))
			require.NotNil(t, sess.ReturnURL)
			assert.Contains(t, tt.want(f), *sess.ReturnURL)
		})
	}
}

func TestCreateVerboseLogsRequestsWithoutSecrets(t *testing.T) {
	t.Parallel()
	f := newFake(t)

	r := f.run(t, "-v", "create", "--external-customer-id", externalID)

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, `msg="polar: request" method=POST path=/v1/customer-sessions/ attempt=1`)
	assert.Contains(t, r.stderr, "status=201")
	assert.NotContains(t, r.stderr, "customer_session_token")
}
