package polartest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestControlFaults(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	resp := control(t, c, srv, http.MethodPost, "faults", `{"route": "create", "faults": [
		{"kind": "status", "status": 429, "retry_after": 1.5}, {"kind": "status", "status": 503}, {"kind": "pass"},
		{"kind": "delay", "delay_ms": 50}, {"kind": "malformed"}]}`)
	require.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
	assert.Equal(t, 5, srv.Pending(polartest.RouteCreate))

	first := create(t, c, srv, `{"external_customer_id":"usr_1"}`)
	assert.Equal(t, http.StatusTooManyRequests, first.status)
	assert.Equal(t, "2", first.header.Get("Retry-After"), "rounded up, as RateLimited")
	assert.Equal(t, http.StatusServiceUnavailable, create(t, c, srv, `{"external_customer_id":"usr_1"}`).status)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, `{"external_customer_id":"usr_1"}`).status)
	start := time.Now()
	assert.Equal(t, http.StatusCreated, create(t, c, srv, `{"external_customer_id":"usr_1"}`).status)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	resp = create(t, c, srv, `{"external_customer_id":"usr_1"}`)
	assert.False(t, json.Valid(resp.body))

	for _, tc := range []struct{ route, kind string }{{"introspect", "reset"}, {"any", "truncated"}} {
		require.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodPost, "faults", `{"route": "`+tc.route+`", "faults": [{"kind": "`+tc.kind+`"}]}`).status)
	}
	assert.Equal(t, 1, srv.Pending(polartest.RouteIntrospect))
	assert.Equal(t, 1, srv.Pending(polartest.RouteAny))
}
