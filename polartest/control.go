package polartest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The control API's router. Its routes are in controlcustomers.go,
// controlfaults.go and controlrequests.go and below; its answers and
// errors in controlerrors.go.

// controlPrefix is where WithControlAPI mounts the control API: a path
// Polar's API cannot have, its routes being under /v1 (and /api/v1).
const controlPrefix = "/_polartest/"

// maxControlBody bounds a control request's body.
const maxControlBody = 1 << 20

// controlDecoder decodes control request bodies; the whole body is "body".
const controlDecoder jsonDecoder = "body"

func isControlPath(path string) bool {
	return path == strings.TrimSuffix(controlPrefix, "/") || strings.HasPrefix(path, controlPrefix)
}

// controlRoute is one route of the control API: a method, a path of
// segments under controlPrefix where "{}" matches one segment, and its
// handler, given the matched segments.
type controlRoute struct {
	method  string
	pattern string
	handle  func(w http.ResponseWriter, body []byte, params []string)
}

// controlRoutes is the control API, for tests written in other languages;
// each route calls the Server's own methods, so it follows their rules and
// sees and changes the state Polar's routes see. JSON in and out; errors
// are {"error": "<field path>: <message>"}, 400 for a body that is not
// the JSON described (an unknown key, a wrong type), 404 for an unknown
// customer, member or route, 405 for a wrong method, 409 for a clash
// (an ID or external ID taken, a second owner, an owner's delete), 422
// for a value Polar would refuse. A key given as null is a key left out.
//
//	POST   /_polartest/customers              a seed file's customer, with members → 201 the customer as stored
//	DELETE /_polartest/customers/{id}         DeleteCustomer → 204
//	POST   /_polartest/customers/{id}/members a seed file's member → 201 the member as stored
//	DELETE /_polartest/members/{id}           DeleteMember → 204
//	POST   /_polartest/faults                 {"route": "create"|"introspect"|"any", "faults": [...]}: Script → 204
//	POST   /_polartest/clock                  {"advance_seconds": N}: AdvanceClock → 200 {"now": RFC 3339}
//	GET    /_polartest/requests               Requests, tokens redacted, faults in the words above → 200 {"requests": [...]}
//	POST   /_polartest/reset                  Reset → 204
func (s *Server) controlRoutes() http.Handler {
	routes := []controlRoute{
		{http.MethodPost, "customers", s.controlAddCustomer},
		{http.MethodDelete, "customers/{}", s.controlDeleteCustomer},
		{http.MethodPost, "customers/{}/members", s.controlAddMember},
		{http.MethodDelete, "members/{}", s.controlDeleteMember},
		{http.MethodPost, "faults", s.controlScript},
		{http.MethodPost, "clock", s.controlClock},
		{http.MethodGet, "requests", s.controlRequests},
		{http.MethodPost, "reset", s.controlReset},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, controlPrefix)
		var allow []string
		for _, rt := range routes {
			params, ok := matchSegments(rt.pattern, path)
			if !ok {
				continue
			}
			if rt.method != r.Method {
				allow = append(allow, rt.method)
				continue
			}
			body, err := io.ReadAll(io.LimitReader(r.Body, maxControlBody+1))
			switch {
			case err != nil:
				writeControlError(w, &refusal{kind: refusedSyntax, field: "body", msg: "reading it failed: " + err.Error()})
			case len(body) > maxControlBody:
				writeControlJSON(w, http.StatusRequestEntityTooLarge, controlError("body", "larger than 1 MiB"))
			default:
				rt.handle(w, body, params)
			}
			return
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeControlJSON(w, http.StatusMethodNotAllowed,
				controlError("method", fmt.Sprintf("%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, " or "))))
			return
		}
		writeControlJSON(w, http.StatusNotFound, controlError("path",
			fmt.Sprintf("no control route %s; the routes are customers, customers/{id}, customers/{id}/members, members/{id}, faults, clock, requests and reset under %s", r.URL.Path, controlPrefix)))
	})
}

// matchSegments matches path against pattern, segment by segment, and
// returns the segments "{}" matched.
func matchSegments(pattern, path string) ([]string, bool) {
	want, got := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return nil, false
	}
	var params []string
	for i, seg := range want {
		switch {
		case seg == "{}" && got[i] != "":
			params = append(params, got[i])
		case seg != got[i]:
			return nil, false
		}
	}
	return params, true
}

// controlClock is POST /_polartest/clock: AdvanceClock by advance_seconds.
func (s *Server) controlClock(w http.ResponseWriter, body []byte, _ []string) {
	const field = "advance_seconds"
	obj, r := controlDecoder.object(body, "", field)
	if r == nil && obj[field] == nil {
		r = refuseValue(field, "required: the seconds to move the clock forward")
	}
	var d time.Duration
	if r == nil {
		d, r = controlDecoder.seconds(obj[field], field)
	}
	var now time.Time
	if r == nil {
		var err error
		if now, err = s.advanceClock(d); err != nil {
			r = refuseValue(field, err.Error())
		}
	}
	if r != nil {
		writeControlError(w, r)
		return
	}
	writeControlJSON(w, http.StatusOK, map[string]string{"now": now.Format(time.RFC3339Nano)})
}

// controlReset is POST /_polartest/reset: Reset.
func (s *Server) controlReset(w http.ResponseWriter, _ []byte, _ []string) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}
