package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/spectest"
)

func TestIntrospect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		returnURL string
		args      func(token string) []string
		env       func(f *fake, token string) map[string]string
		check     func(t *testing.T, stdout string)
	}{
		{
			name:      "token flag, JSON",
			returnURL: "https://example.com/account",
			args:      func(token string) []string { return []string{"--token", token} },
			env:       func(f *fake, _ string) map[string]string { return f.env },
			check: func(t *testing.T, stdout string) {
				var got client.CustomerCustomerSession
				require.NoError(t, json.Unmarshal([]byte(stdout), &got))
				assert.False(t, got.ExpiresAt.IsZero())
				require.NotNil(t, got.ReturnURL)
				assert.Equal(t, "https://example.com/account", *got.ReturnURL)
				spec, err := spectest.Load()
				require.NoError(t, err)
				assert.NoError(t, spec.CheckResponse(http.MethodGet, "/v1/customer-portal/customer-session/introspect",
					http.StatusOK, []byte(stdout)), "every field, as Polar sent them")
			},
		},
		{
			name: "environment, text",
			args: func(string) []string { return []string{"--output", "text"} },
			env: func(f *fake, token string) map[string]string {
				// No access token: introspection does not need one.
				return map[string]string{envSessionToken: token}
			},
			check: func(t *testing.T, stdout string) {
				assert.Regexp(t, `^Expires: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 59m\)\nReturn URL: +none\n$`, stdout)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			token := f.srv.CreateSession(f.cust.ID, tt.returnURL)

			r := runTool(t, tt.env(f, token), append([]string{"--server", f.srv.URL(), "introspect"}, tt.args(token)...)...)

			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Empty(t, r.stderr)
			assert.NotContains(t, r.stdout, token)
			tt.check(t, r.stdout)
			reqs := f.srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "Bearer "+token, reqs[0].Header.Get("Authorization"), "only the session token is sent")
		})
	}
}
