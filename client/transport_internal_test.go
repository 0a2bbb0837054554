package client

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultHTTPClientIsTuned(t *testing.T) {
	c, err := New()
	require.NoError(t, err)
	require.NotNil(t, c.owned)
	assert.NotSame(t, http.DefaultClient, c.base.httpClient)
	assert.Same(t, c.owned, c.base.httpClient)

	tr, ok := c.owned.Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultTransport, tr)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64, "Go's default of 2 churns connections under concurrency")
	assert.GreaterOrEqual(t, tr.MaxIdleConns, tr.MaxIdleConnsPerHost)
	assert.Equal(t, tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost, "every connection allowed may idle: none is closed only to be redialled")
	assert.NotZero(t, tr.TLSHandshakeTimeout)
	assert.NotZero(t, tr.ResponseHeaderTimeout)
	assert.NotZero(t, tr.IdleConnTimeout)
	assert.NotNil(t, tr.DialContext)
	assert.NotNil(t, tr.Proxy)

	other, err := New()
	require.NoError(t, err)
	assert.NotSame(t, c.owned.Transport, other.owned.Transport, "no shared package-level transport")
}

func TestCheckRedirect(t *testing.T) {
	mk := func(raw string) *http.Request {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		return &http.Request{URL: u, Header: http.Header{"Authorization": {"Bearer polar_oat_x"}}}
	}
	first := mk("https://api.polar.sh/v1/customer-sessions/")
	tests := []struct {
		to       string
		keepAuth bool
	}{
		{"https://api.polar.sh/v1/customer-sessions", true},
		{"https://evil.api.polar.sh/v1/customer-sessions/", false}, // net/http would keep it for a subdomain
		{"http://api.polar.sh/v1/customer-sessions/", false},       // downgrade
		{"https://api.polar.sh:8443/v1/customer-sessions/", false},
		{"https://example.com/", false},
	}
	for _, tt := range tests {
		next := mk(tt.to)
		require.NoError(t, checkRedirect(next, []*http.Request{first}))
		assert.Equal(t, tt.keepAuth, next.Header.Get("Authorization") != "", tt.to)
	}
	via := make([]*http.Request, maxRedirects)
	for i := range via {
		via[i] = first
	}
	assert.ErrorIs(t, checkRedirect(mk("https://api.polar.sh/"), via), errTooManyRedirects)
}
