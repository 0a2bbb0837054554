package polartest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

// control sends a request to the control API, at the server's root: the
// test servers run under the base path /polar, which it is not under.
func control(t *testing.T, c *http.Client, srv *polartest.Server, method, path, body string) response {
	t.Helper()
	root := strings.TrimSuffix(srv.URL(), "/polar")
	req, err := http.NewRequestWithContext(context.Background(), method, root+"/_polartest/"+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// controlError is the error of a control answer.
func controlError(t *testing.T, resp response) string {
	t.Helper()
	assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
	var body struct{ Error string }
	require.NoError(t, json.Unmarshal(resp.body, &body), "%s", resp.body)
	return body.Error
}

func TestControlClock(t *testing.T) {
	srv, clock := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	cust := srv.AddCustomer(polartest.Customer{})
	sess := srv.CreateSession(cust.ID, "")
	resp := control(t, c, srv, http.MethodPost, "clock", `{"advance_seconds": 3599.5}`)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	assert.Equal(t, map[string]any{"now": t0.Add(3599*time.Second + 500*time.Millisecond).Format(time.RFC3339Nano)}, decodeJSON(t, resp.body))
	assert.Equal(t, http.StatusOK, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(sess)).status)
	clock.Advance(time.Second) // the offset adds to the server's own clock
	assert.Equal(t, http.StatusUnauthorized, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(sess)).status, "expired")

	// A century at a time, until the offset would overflow: the error
	// speaks in seconds, as the route does.
	const century = `{"advance_seconds": 3155760000}`
	require.Equal(t, http.StatusOK, control(t, c, srv, http.MethodPost, "clock", century).status)
	require.Equal(t, http.StatusOK, control(t, c, srv, http.MethodPost, "clock", century).status)
	resp = control(t, c, srv, http.MethodPost, "clock", century)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.Equal(t, "advance_seconds: 3155760000 seconds more would move the clock beyond 9223372036 seconds (292 years) ahead, as far as it goes",
		controlError(t, resp))
}

func TestControlReset(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	require.NoError(t, srv.Load(testSeed()))
	require.Equal(t, http.StatusCreated, control(t, c, srv, http.MethodPost, "customers", `{"external_id": "usr_later"}`).status)
	require.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodPost, "faults", `{"route": "any", "faults": [{"kind": "reset"}]}`).status)
	assert.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodPost, "reset", "").status)
	assert.Zero(t, srv.Pending(polartest.RouteAny))
	assert.Equal(t, http.StatusUnprocessableEntity, create(t, c, srv, `{"external_customer_id":"usr_later"}`).status)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, `{"external_customer_id":"usr_1"}`).status, "the seed's customer, the token kept")
}

// Without WithControlAPI, /_polartest/ is a path Polar does not have.
func TestControlAPIIsOptIn(t *testing.T) {
	srv := polartest.NewServer()
	t.Cleanup(srv.Close)
	resp, err := newHTTPClient(t).Post(srv.URL()+"/_polartest/reset", "application/json", bytes.NewReader(nil))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.JSONEq(t, `{"detail":"Not Found"}`, string(body))
	assert.Len(t, srv.Requests(), 1)
}
