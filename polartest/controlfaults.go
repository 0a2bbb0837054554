package polartest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// The control API's faults route: POST /_polartest/faults.

// controlScript is POST /_polartest/faults: Script.
func (s *Server) controlScript(w http.ResponseWriter, body []byte, _ []string) {
	route, faults, r := decodeScript(body)
	if r != nil {
		writeControlError(w, r)
		return
	}
	s.Script(route, faults...)
	w.WriteHeader(http.StatusNoContent)
}

// controlRouteOf is the Route a name of POST /_polartest/faults stands for.
func controlRouteOf(name string) (Route, bool) {
	switch name {
	case "create":
		return RouteCreate, true
	case "introspect":
		return RouteIntrospect, true
	case "any":
		return RouteAny, true
	}
	return "", false
}

// decodeScript decodes the body of POST /_polartest/faults.
func decodeScript(body []byte) (Route, []Fault, *refusal) {
	d := controlDecoder
	obj, r := d.object(body, "", "route", "faults")
	if r != nil {
		return "", nil, r
	}
	name, r := decodeAs[string](d, obj["route"], "route", "a string")
	if r != nil {
		return "", nil, r
	}
	route, ok := controlRouteOf(name)
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
	obj, r := d.object(raw, path, "kind", "status", "retry_after", "delay_ms")
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
		if obj["status"] == nil {
			return Fault{}, refuseValue(join(path, "status"), "required for kind status")
		}
		status, r := decodeAs[float64](d, obj["status"], join(path, "status"), "a number")
		switch {
		case r != nil:
			return Fault{}, r
		case status != math.Trunc(status) || !isStatusCode(int(status)):
			return Fault{}, refuseValue(join(path, "status"), fmt.Sprintf("%v is not an HTTP status code, 100 to 999", status))
		}
		f = Status(int(status))
		if obj["retry_after"] != nil {
			after, r := d.seconds(obj["retry_after"], join(path, "retry_after"))
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
		delay, r := d.seconds(obj["delay_ms"], join(path, "delay_ms"))
		if r != nil {
			return Fault{}, r
		}
		f = f.WithDelay(delay / 1000)
	}
	return f, nil
}
