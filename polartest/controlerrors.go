package polartest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/polarsessions/polarsessions-go/rules"
)

// How the control API answers: JSON, and errors as {"error": "<field
// path>: <message>"} with a status for each kind of refusal.

// controlError is the control API's error body, redacted: a message may
// quote what the request held.
func controlError(field, msg string) map[string]string {
	return map[string]string{"error": rules.Redact(field+": "+msg, "")}
}

// controlStatus is the status of a refusal's kind.
func controlStatus(kind refusalKind) int {
	switch kind {
	case refusedClash:
		return http.StatusConflict
	case refusedUnknown:
		return http.StatusNotFound
	case refusedSyntax:
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// writeControlError answers a refusal with its kind's status.
func writeControlError(w http.ResponseWriter, r *refusal) {
	writeControlJSON(w, controlStatus(r.kind), controlError(r.field, r.msg))
}

// writeControlJSON answers v as JSON with status.
func writeControlJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // the control API's values always marshal
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
