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

func TestControlCustomers(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	resp := control(t, c, srv, http.MethodPost, "customers", `{"type": "team", "external_id": "team_1", "name": "Engines",
		"members": [{"id": "`+seedMemberID+`", "external_id": "mem_1", "email": "grace@example.com", "role": "owner"}, {}]}`)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	got := decodeJSON(t, resp.body)
	id := got["id"].(string)
	assert.Equal(t, map[string]any{"id": id, "external_id": "team_1", "email": nil, "type": "team", "name": "Engines",
		"members": []any{
			map[string]any{"id": seedMemberID, "external_id": "mem_1", "email": "grace@example.com", "name": nil, "role": "owner"},
			map[string]any{"id": srv.Members(id)[1].ID, "external_id": nil, "email": srv.Members(id)[1].Email, "name": nil, "role": "member"},
		}}, got)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, `{"external_customer_id":"team_1","external_member_id":"mem_1"}`).status)

	resp = control(t, c, srv, http.MethodPost, "customers/"+id+"/members", `{"external_id": "mem_2", "email": "ada@example.com", "name": "Ada"}`)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	member := decodeJSON(t, resp.body)
	assert.Equal(t, "mem_2", member["external_id"])
	assert.Equal(t, "Ada", member["name"])
	assert.Len(t, srv.Members(id), 3, "the Go API sees what the control API added")

	// Deletes are the Go API's, soft.
	assert.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodDelete, "members/"+member["id"].(string), "").status)
	assert.Len(t, srv.Members(id), 2)
	resp = control(t, c, srv, http.MethodDelete, "members/"+seedMemberID, "")
	assert.Equal(t, http.StatusConflict, resp.status)
	assert.Equal(t, "id: member "+seedMemberID+" is the owner of customer "+id+", which Polar refuses to delete", controlError(t, resp))
	assert.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodDelete, "customers/"+strings.ToUpper(id), "").status)
	assert.Equal(t, http.StatusUnprocessableEntity, create(t, c, srv, `{"external_customer_id":"team_1","external_member_id":"mem_1"}`).status)
	resp = control(t, c, srv, http.MethodDelete, "customers/"+id, "")
	assert.Equal(t, http.StatusNotFound, resp.status, "deleted already")
	assert.Equal(t, "id: no customer "+id, controlError(t, resp))
	assert.Len(t, srv.Requests(), 2, "the creates only: control requests are not recorded")
}

func TestControlRefusesBadInput(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_taken"})
	srv.AddMember(polartest.Member{ID: seedMemberID, CustomerID: cust.ID, Email: "a@example.com"})
	for _, tc := range []struct {
		method, path, body string
		status             int
		err                string
	}{
		{"POST", "customers", `{"emial": "x"}`, 400, "emial: unknown key; the keys are id, external_id, email, type, name and members"},
		{"POST", "customers", `{"email": `, 400, "body: invalid JSON at byte 10: unexpected end of JSON input"},
		{"POST", "customers", ``, 400, "body: empty; want a JSON object"},
		{"POST", "customers", `[]`, 400, "body: want an object, got an array"},
		{"POST", "customers", `{"name": 7}`, 400, "name: want a string, got a number"},
		{"POST", "customers", `{"type": "robot"}`, 422, `type: unknown type "robot"; Polar's are "individual" and "team"`},
		{"POST", "customers", `{"id": "abc"}`, 422, `id: "abc": Input should be a valid UUID`},
		{"POST", "customers", `{"external_id": "usr_taken"}`, 409, `external_id: "usr_taken" is already customer ` + cust.ID + `'s`},
		{"POST", "customers", `{"external_id": "usr_new", "members": [{}, {"role": "boss"}]}`, 422, `members[1].role: unknown role "boss"; Polar's are "owner", "billing_manager" and "member"`},
		{"POST", "customers", `{"members": [{"id": "` + seedMemberID + `"}]}`, 409, "members[0].id: member " + seedMemberID + " exists already"},
		{"POST", "customers/" + cust.ID + "/members", `{"email": "A@example.com"}`, 409, `email: "A@example.com" is already member ` + seedMemberID + `'s`},
		{"POST", "customers/" + cust.ID + "/members", `{"role": "owner"}`, 201, ""},
		{"POST", "customers/" + cust.ID + "/members", `{"role": "owner", "email": "b@example.com"}`, 409, "role: customer " + cust.ID + " already has an owner"},
		{"POST", "customers/" + cust.ID + "/members", `{"customer_id": "x"}`, 400, "customer_id: unknown key; the keys are id, external_id, email, name and role"},
		{"POST", "customers/" + seedCustomerID + "/members", `{}`, 404, "customer_id: no customer " + seedCustomerID},
		{"POST", "customers/nope/members", `{}`, 404, "customer_id: no customer nope"},
		{"DELETE", "members/" + seedCustomerID, ``, 404, "id: no member " + seedCustomerID},
		{"DELETE", "customers/nope", ``, 404, "id: no customer nope"},
		{"GET", "customers", ``, 405, "method: GET is not allowed on /_polartest/customers; use POST"},
		{"GET", "nothing", ``, 404, "path: no control route /_polartest/nothing; the routes are"},
		{"POST", "customers/", `{}`, 404, "path: no control route"},
		{"POST", "faults", `{"route": "create"}`, 422, "faults: is empty; give at least one fault"},
		{"POST", "faults", `{"route": "delete", "faults": [{"kind": "reset"}]}`, 422, `route: "delete" is not create, introspect or any`},
		{"POST", "faults", `{"faults": [{"kind": "reset"}]}`, 422, `route: "" is not create, introspect or any`},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "reset"}, {"kind": "explode"}]}`, 422, `faults[1].kind: "explode" is not status, reset, truncated, malformed, delay or pass`},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status"}]}`, 422, "faults[0].status: required for kind status"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status", "status": 42}]}`, 422, "faults[0].status: 42 is not an HTTP status code, 100 to 999"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status", "status": 429.5}]}`, 422, "faults[0].status: 429.5 is not an HTTP status code"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status", "status": "429"}]}`, 400, "faults[0].status: want a number, got a string"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status", "status": 429, "retry_after": -1}]}`, 422, "faults[0].retry_after: -1 is negative"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "reset", "retry_after": 1}]}`, 422, "faults[0].retry_after: is only for kind status"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "delay"}]}`, 422, "faults[0].delay_ms: required for kind delay"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "delay", "delay_ms": -5}]}`, 422, "faults[0].delay_ms: -5 is negative"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "delay", "delay": 5}]}`, 400, "faults[0].delay: unknown key; the keys are kind, status, retry_after and delay_ms"},
		{"POST", "clock", `{}`, 422, "advance_seconds: required: the seconds to move the clock forward"},
		{"POST", "clock", `{"advance_seconds": -1}`, 422, "advance_seconds: -1 is negative"},
		{"POST", "clock", `{"advance_seconds": 1e300}`, 422, "advance_seconds: 1e+300 is more than a century"},
		{"POST", "clock", `{"advance_seconds": "1h"}`, 400, "advance_seconds: want a number, got a string"},
		{"POST", "clock", `{"advance": 1}`, 400, "advance: unknown key; the keys are advance_seconds"},
		{"POST", "requests", ``, 405, "method: POST is not allowed on /_polartest/requests; use GET"},
		{"GET", "reset", ``, 405, "method: GET is not allowed on /_polartest/reset; use POST"},
	} {
		resp := control(t, c, srv, tc.method, tc.path, tc.body)
		if !assert.Equal(t, tc.status, resp.status, "%s %s %s: %s", tc.method, tc.path, tc.body, resp.body) || tc.err == "" {
			continue
		}
		assert.Contains(t, controlError(t, resp), tc.err, "%s %s %s", tc.method, tc.path, tc.body)
		if resp.status == 405 {
			assert.NotEmpty(t, resp.header.Get("Allow"))
		}
	}
	assert.Zero(t, srv.Pending(polartest.RouteAny), "no refused script queued anything")
	big := control(t, c, srv, http.MethodPost, "customers", `{"name": "`+strings.Repeat("x", 1<<20)+`"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, big.status)
}

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
}

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
