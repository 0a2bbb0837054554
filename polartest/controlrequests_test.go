package polartest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestControlRequestsRedactsTokens(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	sess := srv.CreateSession(cust.ID, "")
	call(t, c, srv, http.MethodPost, createPath+"?token="+sess, `{"external_customer_id":"usr_1","note":"`+sess+`"}`,
		map[string]string{"Authorization": "Bearer " + srv.AccessToken(), "Content-Type": "application/json", "X-Echo": sess})

	resp := control(t, c, srv, http.MethodGet, "requests", "")
	require.Equal(t, http.StatusOK, resp.status)
	assert.NotContains(t, string(resp.body), sess)
	assert.NotContains(t, string(resp.body), srv.AccessToken())
	var got struct {
		Requests []map[string]any `json:"requests"`
	}
	require.NoError(t, json.Unmarshal(resp.body, &got))
	require.Len(t, got.Requests, 1, "the control requests are not recorded")
	r := got.Requests[0]
	assert.Equal(t, "POST", r["method"])
	assert.Equal(t, "/polar"+createPath, r["path"])
	assert.Equal(t, "token=polar_mst_[redacted]", r["query"])
	assert.Equal(t, `{"external_customer_id":"usr_1","note":"polar_mst_[redacted]"}`, r["body"])
	assert.Equal(t, []any{"[redacted]"}, r["header"].(map[string]any)["Authorization"])
	assert.Equal(t, []any{"polar_mst_[redacted]"}, r["header"].(map[string]any)["X-Echo"])
	assert.Equal(t, float64(http.StatusCreated), r["status"])
	assert.Equal(t, "none", r["fault"])
	assert.Equal(t, t0.Format(time.RFC3339Nano), r["time"])
}

// A token in a header's name is redacted too, and names that are the same
// once redacted are one, their values together.
func TestControlRequestsRedactsHeaderNames(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	one, two := srv.AddAccessToken(""), srv.AddAccessToken("")
	call(t, c, srv, http.MethodGet, "/nowhere", "", map[string]string{"X-" + one: "1", "X-" + two: "2"})

	resp := control(t, c, srv, http.MethodGet, "requests", "")
	require.Equal(t, http.StatusOK, resp.status)
	for _, token := range []string{one, two} {
		assert.NotContains(t, strings.ToLower(string(resp.body)), strings.ToLower(token[len("polar_oat_"):]))
	}
	var got struct {
		Requests []struct{ Header map[string][]string }
	}
	require.NoError(t, json.Unmarshal(resp.body, &got))
	require.Len(t, got.Requests, 1)
	values := got.Requests[0].Header["X-Polar_oat_[redacted]"]
	assert.ElementsMatch(t, []string{"1", "2"}, values, "%v", got.Requests[0].Header)
}

// Each request's fault is named in the words POST /_polartest/faults takes,
// its status beside it.
func TestControlRequestsNameFaultsAsScripted(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	require.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodPost, "faults", `{"route": "create", "faults": [
		{"kind": "status", "status": 503}, {"kind": "status", "status": 418}, {"kind": "status", "status": 429, "retry_after": 1},
		{"kind": "pass"}, {"kind": "delay", "delay_ms": 1}, {"kind": "pass", "delay_ms": 1}, {"kind": "status", "status": 500, "delay_ms": 1},
		{"kind": "malformed"}, {"kind": "truncated"}, {"kind": "reset"}]}`).status)
	for range 10 {
		if resp, err := send(c, srv, http.MethodPost, createPath, `{"external_customer_id":"usr_1"}`, bearer(srv.AccessToken())); err == nil {
			resp.Body.Close()
		}
	}
	resp := control(t, c, srv, http.MethodGet, "requests", "")
	require.Equal(t, http.StatusOK, resp.status)
	var got struct {
		Requests []struct {
			Status int
			Fault  string
		}
	}
	require.NoError(t, json.Unmarshal(resp.body, &got))
	var pairs [][2]any
	for _, r := range got.Requests {
		pairs = append(pairs, [2]any{r.Status, r.Fault})
	}
	assert.Equal(t, [][2]any{{503, "status"}, {418, "status"}, {429, "status"}, {201, "none"}, {201, "delay"}, {201, "delay"},
		{500, "status"}, {201, "malformed"}, {201, "truncated"}, {0, "reset"}}, pairs)
}
