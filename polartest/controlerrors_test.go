package polartest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/polartest"
)

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
		{"POST", "clock", `{"advance": null}`, 400, "advance: unknown key"},
		// null is a key left out: required ones are missing, others absent.
		{"POST", "clock", `{"advance_seconds": null}`, 422, "advance_seconds: required: the seconds to move the clock forward"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "delay", "delay_ms": null}]}`, 422, "faults[0].delay_ms: required for kind delay"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status", "status": null}]}`, 422, "faults[0].status: required for kind status"},
		{"POST", "faults", `{"route": "introspect", "faults": [{"kind": "reset", "status": null, "retry_after": null, "delay_ms": null}]}`, 204, ""},
		{"POST", "faults", `{"route": null, "faults": [{"kind": "reset"}]}`, 422, `route: "" is not create, introspect or any`},
		{"POST", "customers", `{"name": null, "members": null}`, 201, ""},
		// Numbers beyond float64.
		{"POST", "clock", `{"advance_seconds": 1e999}`, 422, "advance_seconds: 1e999 is out of range"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "status", "status": 1e999}]}`, 422, "faults[0].status: 1e999 is out of range"},
		{"POST", "faults", `{"route": "any", "faults": [{"kind": "delay", "delay_ms": -1e999}]}`, 422, "faults[0].delay_ms: -1e999 is out of range"},
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
