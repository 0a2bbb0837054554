package polartest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// controlPrefix is where WithControlAPI mounts the control API: a path
// Polar's API cannot have, its routes being under /v1 (and /api/v1).
const controlPrefix = "/_polartest/"

// maxControlBody bounds a control request's body.
const maxControlBody = 1 << 20

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
// for a value Polar would refuse.
//
//	POST   /_polartest/customers              a seed file's customer, with members → 201 the customer as stored
//	DELETE /_polartest/customers/{id}         DeleteCustomer → 204
//	POST   /_polartest/customers/{id}/members a seed file's member → 201 the member as stored
//	DELETE /_polartest/members/{id}           DeleteMember → 204
//	POST   /_polartest/faults                 {"route": "create"|"introspect"|"any", "faults": [...]}: Script → 204
//	POST   /_polartest/clock                  {"advance_seconds": N}: AdvanceClock → 200 {"now": RFC 3339}
//	GET    /_polartest/requests               Requests, tokens redacted → 200 {"requests": [...]}
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

// controlDecoder decodes control request bodies; the whole body is "body".
var controlDecoder = jsonDecoder{root: "body"}

func (s *Server) controlAddCustomer(w http.ResponseWriter, body []byte, _ []string) {
	sc, r := controlDecoder.customer(body, "")
	if r != nil {
		writeControlError(w, r)
		return
	}
	s.mu.Lock()
	before := s.snapshot()
	cust, members, r := s.addSeedCustomer(sc)
	if r != nil {
		s.restore(before)
	}
	s.mu.Unlock()
	if r != nil {
		writeControlError(w, r)
		return
	}
	out := controlCustomerOf(cust)
	out.Members = make([]controlMember, len(members))
	for i, m := range members {
		out.Members[i] = controlMemberOf(m)
	}
	writeControlJSON(w, http.StatusCreated, out)
}

func (s *Server) controlDeleteCustomer(w http.ResponseWriter, _ []byte, params []string) {
	s.mu.Lock()
	found := s.deleteCustomer(params[0])
	s.mu.Unlock()
	if !found {
		writeControlError(w, unknown("id", "customer", params[0]))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) controlAddMember(w http.ResponseWriter, body []byte, params []string) {
	m, r := controlDecoder.member(body, "")
	if r != nil {
		writeControlError(w, r)
		return
	}
	m.CustomerID = canonicalID(params[0])
	s.mu.Lock()
	if _, known := s.customers[m.CustomerID]; !known {
		r = unknown("customer_id", "customer", params[0])
	} else {
		m, r = s.addMember(m)
	}
	s.mu.Unlock()
	if r != nil {
		writeControlError(w, r)
		return
	}
	writeControlJSON(w, http.StatusCreated, controlMemberOf(m))
}

func (s *Server) controlDeleteMember(w http.ResponseWriter, _ []byte, params []string) {
	s.mu.Lock()
	found, r := s.deleteMember(params[0])
	s.mu.Unlock()
	switch {
	case !found:
		writeControlError(w, unknown("id", "member", params[0]))
	case r != nil:
		writeControlError(w, r)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// controlRouteNames are the routes POST /_polartest/faults scripts.
var controlRouteNames = map[string]Route{"create": RouteCreate, "introspect": RouteIntrospect, "any": RouteAny}

func (s *Server) controlScript(w http.ResponseWriter, body []byte, _ []string) {
	route, faults, r := decodeScript(body)
	if r != nil {
		writeControlError(w, r)
		return
	}
	s.Script(route, faults...)
	w.WriteHeader(http.StatusNoContent)
}

// decodeScript decodes the body of POST /_polartest/faults.
func decodeScript(body []byte) (Route, []Fault, *refusal) {
	d := controlDecoder
	obj, r := d.object(body, "", []string{"route", "faults"})
	if r != nil {
		return "", nil, r
	}
	name, r := decodeAs[string](d, obj["route"], "route", "a string")
	if r != nil {
		return "", nil, r
	}
	route, ok := controlRouteNames[name]
	if !ok {
		return "", nil, refuseValue("route", fmt.Sprintf("%q is not create, introspect or any", name))
	}
	entries, r := d.array(obj["faults"], "faults")
	if r != nil {
		return "", nil, r
	}
	if len(entries) == 0 {
		return "", nil, refuseValue("faults", "is empty; give at least one fault")
	}
	faults := make([]Fault, len(entries))
	for i, raw := range entries {
		if faults[i], r = decodeFault(raw, fmt.Sprintf("faults[%d]", i)); r != nil {
			return "", nil, r
		}
	}
	return route, faults, nil
}

// decodeFault decodes one fault of POST /_polartest/faults: a kind and
// what it takes. delay_ms is taken by every kind, as WithDelay.
func decodeFault(raw []byte, path string) (Fault, *refusal) {
	d := controlDecoder
	obj, r := d.object(raw, path, []string{"kind", "status", "retry_after", "delay_ms"})
	if r != nil {
		return Fault{}, r
	}
	kind, r := decodeAs[string](d, obj["kind"], join(path, "kind"), "a string")
	if r != nil {
		return Fault{}, r
	}
	if kind != "status" {
		for _, key := range []string{"status", "retry_after"} {
			if obj[key] != nil {
				return Fault{}, refuseValue(join(path, key), "is only for kind status")
			}
		}
	}
	var f Fault
	switch kind {
	case "status":
		status, r := decodeAs[float64](d, obj["status"], join(path, "status"), "a number")
		switch {
		case r != nil:
			return Fault{}, r
		case obj["status"] == nil:
			return Fault{}, refuseValue(join(path, "status"), "required for kind status")
		case status != math.Trunc(status) || !isStatusCode(int(status)):
			return Fault{}, refuseValue(join(path, "status"), fmt.Sprintf("%v is not an HTTP status code, 100 to 999", status))
		}
		f = Status(int(status))
		if obj["retry_after"] != nil {
			after, r := seconds(obj["retry_after"], join(path, "retry_after"))
			if r != nil {
				return Fault{}, r
			}
			f = f.WithHeader("Retry-After", strconv.Itoa(ceilSeconds(after)))
		}
	case "reset":
		f = Reset()
	case "truncated":
		f = Truncated()
	case "malformed":
		f = Malformed()
	case "pass":
		f = Pass()
	case "delay":
		if obj["delay_ms"] == nil {
			return Fault{}, refuseValue(join(path, "delay_ms"), "required for kind delay")
		}
	default:
		return Fault{}, refuseValue(join(path, "kind"), fmt.Sprintf("%q is not status, reset, truncated, malformed, delay or pass", kind))
	}
	if obj["delay_ms"] != nil {
		// As many seconds as milliseconds, then a thousandth of that.
		delay, r := seconds(obj["delay_ms"], join(path, "delay_ms"))
		if r != nil {
			return Fault{}, r
		}
		f = f.WithDelay(delay / 1000)
	}
	return f, nil
}

// seconds decodes a non-negative number of seconds, at most a century.
func seconds(raw []byte, path string) (time.Duration, *refusal) {
	n, r := decodeAs[float64](controlDecoder, raw, path, "a number")
	switch {
	case r != nil:
		return 0, r
	case n < 0:
		return 0, refuseValue(path, fmt.Sprintf("%v is negative", n))
	case n > maxSeconds:
		return 0, refuseValue(path, fmt.Sprintf("%v is more than a century", n))
	}
	return time.Duration(n * float64(time.Second)), nil
}

// maxSeconds bounds the numbers of seconds the control API takes.
const maxSeconds = 100 * 365.25 * 24 * 3600

func (s *Server) controlClock(w http.ResponseWriter, body []byte, _ []string) {
	obj, r := controlDecoder.object(body, "", []string{"advance_seconds"})
	if r == nil && obj["advance_seconds"] == nil {
		r = refuseValue("advance_seconds", "required: the seconds to move the clock forward")
	}
	var d time.Duration
	if r == nil {
		d, r = seconds(obj["advance_seconds"], "advance_seconds")
	}
	var now time.Time
	if r == nil {
		now, r = s.advanceClock(d)
	}
	if r != nil {
		writeControlError(w, r)
		return
	}
	writeControlJSON(w, http.StatusOK, map[string]string{"now": now.Format(time.RFC3339Nano)})
}

func (s *Server) controlRequests(w http.ResponseWriter, _ []byte, _ []string) {
	recorded := s.Requests()
	out := struct {
		Requests []controlRequest `json:"requests"`
	}{Requests: make([]controlRequest, len(recorded))}
	for i, rec := range recorded {
		out.Requests[i] = controlRequestOf(rec)
	}
	writeControlJSON(w, http.StatusOK, out)
}

func (s *Server) controlReset(w http.ResponseWriter, _ []byte, _ []string) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}

// controlCustomer is a customer as the control API returns it: the keys
// of a seed file, null for what is empty.
type controlCustomer struct {
	ID         string          `json:"id"`
	ExternalID *string         `json:"external_id"`
	Email      *string         `json:"email"`
	Type       CustomerType    `json:"type"`
	Name       *string         `json:"name"`
	Members    []controlMember `json:"members"`
}

func controlCustomerOf(c Customer) controlCustomer {
	return controlCustomer{ID: c.ID, ExternalID: nullable(c.ExternalID), Email: nullable(c.Email), Type: c.Type, Name: nullable(c.Name)}
}

// controlMember is a member as the control API returns it.
type controlMember struct {
	ID         string     `json:"id"`
	ExternalID *string    `json:"external_id"`
	Email      string     `json:"email"`
	Name       *string    `json:"name"`
	Role       MemberRole `json:"role"`
}

func controlMemberOf(m Member) controlMember {
	return controlMember{ID: m.ID, ExternalID: nullable(m.ExternalID), Email: m.Email, Name: nullable(m.Name), Role: m.Role}
}

// controlRequest is a recorded request as the control API returns it,
// secrets redacted: the Authorization header's value whole, and every
// Polar token or portal URL in the other headers, the query and the body.
type controlRequest struct {
	Time   string              `json:"time"`
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Query  string              `json:"query"`
	Header map[string][]string `json:"header"`
	Body   string              `json:"body"`
	Status int                 `json:"status"`
	Fault  string              `json:"fault"`
}

// redacted is what replaces a secret in the control API's answers.
const redacted = "[redacted]"

func controlRequestOf(rec Request) controlRequest {
	header := make(map[string][]string, len(rec.Header))
	for name, values := range rec.Header {
		out := make([]string, len(values))
		for i, v := range values {
			if strings.EqualFold(name, "Authorization") {
				out[i] = redacted
			} else {
				out[i] = rules.Redact(v, "")
			}
		}
		header[name] = out
	}
	return controlRequest{
		Time: rec.Time.UTC().Format(time.RFC3339Nano), Method: rec.Method, Path: rules.Redact(rec.Path, ""),
		Query: rules.Redact(rec.RawQuery, ""), Header: header, Body: rules.Redact(string(rec.Body), ""),
		Status: rec.Status, Fault: rec.Fault.String(),
	}
}

// unknown is the refusal of an ID that names no customer or member held.
func unknown(field, what, id string) *refusal {
	return &refusal{kind: refusedUnknown, field: field, msg: fmt.Sprintf("no %s %s", what, id)}
}

// controlError is the control API's error body.
func controlError(field, msg string) map[string]string {
	return map[string]string{"error": rules.Redact(field+": "+msg, "")}
}

// writeControlError answers a refusal with its kind's status.
func writeControlError(w http.ResponseWriter, r *refusal) {
	status := map[refusalKind]int{
		refusedValue:   http.StatusUnprocessableEntity,
		refusedClash:   http.StatusConflict,
		refusedUnknown: http.StatusNotFound,
		refusedSyntax:  http.StatusBadRequest,
	}[r.kind]
	writeControlJSON(w, status, controlError(r.field, r.msg))
}

func writeControlJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // the values above always marshal
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
