package polartest

import (
	"net/http"
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
