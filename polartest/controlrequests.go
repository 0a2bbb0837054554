package polartest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// The control API's requests route: GET /_polartest/requests.

// controlRequests is GET /_polartest/requests: Requests, redacted.
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

// controlRequest is a recorded request as the control API returns it,
// secrets redacted: the Authorization header's value whole, and every
// Polar token or portal URL in the header's names and other values, the
// path, the query and the body. Its fault is in the control API's words
// (controlFaultName), not FaultKind's.
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
	return controlRequest{
		Time: rec.Time.UTC().Format(time.RFC3339Nano), Method: rec.Method, Path: rules.Redact(rec.Path, ""),
		Query: rules.Redact(rec.RawQuery, ""), Header: redactHeader(rec.Header), Body: rules.Redact(string(rec.Body), ""),
		Status: rec.Status, Fault: controlFaultName(rec.Fault),
	}
}

// controlFaultName names a request's fault in the words POST
// /_polartest/faults takes for its kind: "status" (whatever the code, which
// the record's status gives), "reset", "truncated", "malformed", "delay",
// and "none" for a request handled normally, a scripted "pass" included.
// A delay before another kind's answer is named by that kind. Random faults
// (--fault-rate) are named the same way.
func controlFaultName(kind FaultKind) string {
	switch kind {
	case FaultNone:
		return "none"
	case FaultReset:
		return "reset"
	case FaultTruncated:
		return "truncated"
	case FaultMalformed:
		return "malformed"
	case FaultSlow:
		return "delay"
	}
	return "status" // FaultStatus and the kinds of the codes
}

// redactHeader is h redacted: names too, as a client may send a token as
// one ("X-polar_oat_…: 1"); names that redact alike are one, their values
// together in the order of the names.
func redactHeader(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for _, name := range slices.Sorted(maps.Keys(h)) {
		key := rules.Redact(name, "")
		for _, v := range h[name] {
			if strings.EqualFold(name, "Authorization") {
				v = redacted
			} else {
				v = rules.Redact(v, "")
			}
			out[key] = append(out[key], v)
		}
	}
	return out
}
