package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// The demo's portal step, on its own: the 303 with its headers, the portal
// URL cut short in its token, the reuse, and the 401 that sends nothing.
func TestDemoPortal(t *testing.T) {
	t.Parallel()
	srv := polartest.NewServer()
	defer srv.Close()
	srv.AddCustomer(polartest.Customer{ExternalID: demoExternalID})
	api, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()))
	require.NoError(t, err)
	defer api.CloseIdleConnections()
	var out bytes.Buffer
	d := &demo{out: &out, srv: srv, api: api}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, d.portal(ctx))

	got := out.String()
	for _, want := range []string{
		"→ serving portal.Handler at http://127.0.0.1:",
		"/billing (Reuse: 45m) to a visitor signed in as usr_demo",
		"✓ GET /billing: 303 See Other to https://polar.sh/polartest/portal?customer_session_token=polar_",
		"… (redacted), Cache-Control: no-store, Referrer-Policy: no-referrer",
		"✓ GET /billing again: 303 See Other to the same session, reused: 1 create at Polar for 2 visits",
		"✓ GET /billing signed out: 401 Unauthorized, nothing sent to Polar",
	} {
		assert.Contains(t, got, want)
	}
	// Six characters of the token's secret, no more, whatever its prefix.
	assert.Regexp(t, `customer_session_token=polar_[a-z]+_[A-Za-z0-9]{6}…`, got)
	assert.NotRegexp(t, `customer_session_token=polar_[a-z]+_[A-Za-z0-9]{7}`, got)
	assert.Len(t, srv.Requests(), 1)
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		assert.LessOrEqual(t, len([]rune(line)), 200, "readable line: %s", line)
	}
}

func TestRedactPortalURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://polar.sh/o/portal?customer_session_token=polar_cst_abcdefghijkl&email=a%40b.c": "https://polar.sh/o/portal?customer_session_token=polar_cst_abcdef…",
		"https://polar.sh/o/portal?customer_session_token=polar_mst_abcdefghijkl":               "https://polar.sh/o/portal?customer_session_token=polar_mst_abcdef…",
		"https://polar.sh/o/portal":     "[portal URL without a readable token]",
		"https://polar.sh/o/portal?%zz": "[portal URL without a readable token]",
		"://":                           "[unreadable URL]",
	} {
		assert.Equal(t, want, redactPortalURL(in), in)
	}
	// Without a kind prefix, or with a short secret, less is shown.
	assert.Equal(t, "https://x/?customer_session_token=abcdef…", redactPortalURL("https://x/?customer_session_token=abcdefghijklmnop"))
	assert.Equal(t, "https://x/?customer_session_token=polar_cst_abc…", redactPortalURL("https://x/?customer_session_token=polar_cst_abcd"))
	assert.Equal(t, "https://x/?customer_session_token=polar_cst_…", redactPortalURL("https://x/?customer_session_token=polar_cst_"))
}
