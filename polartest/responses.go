package polartest

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/polarsessions/polarsessions-go/gen"
)

// jsonResponse is an answer the spec does not describe (401, 403, 404, 405,
// and 422 with Polar's "error" member). It satisfies both operations'
// generated response interfaces, so the strict middleware and handlers can
// return it like any generated response.
type jsonResponse struct {
	status int
	header http.Header
	body   any
}

func (r jsonResponse) write(w http.ResponseWriter) error {
	for name, values := range r.header {
		w.Header()[name] = values
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	return json.NewEncoder(w).Encode(r.body)
}

func (r jsonResponse) VisitCustomerSessionsCreateResponse(w http.ResponseWriter) error {
	return r.write(w)
}

func (r jsonResponse) VisitCustomerPortalCustomerSessionIntrospectResponse(w http.ResponseWriter) error {
	return r.write(w)
}

// textResponse is a plain-text answer, such as Starlette's 500 for an
// unhandled exception.
type textResponse struct {
	status int
	body   string
}

func (r textResponse) write(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(r.status)
	_, err := io.WriteString(w, r.body)
	return err
}

func (r textResponse) VisitCustomerSessionsCreateResponse(w http.ResponseWriter) error {
	return r.write(w)
}

// errorBody is the shape of Polar's errors: {"error", "detail"} from its own
// exception handler, {"error", "error_description"} from its OAuth2 layer,
// bare {"detail"} from routing.
type errorBody struct {
	Error            string `json:"error,omitempty"`
	Detail           string `json:"detail,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

const (
	invalidTokenDescription      = "The access token provided is expired, revoked, malformed, or invalid for other reasons."
	insufficientScopeDescription = "The request requires higher privileges than provided by the access token."
)

func unauthorized() jsonResponse {
	return jsonResponse{
		status: http.StatusUnauthorized,
		header: http.Header{"Www-Authenticate": {`Bearer realm="polar"`}},
		body:   errorBody{Error: "Unauthorized", Detail: "Unauthorized"},
	}
}

// invalidToken is authlib's InvalidTokenError as Polar's auth middleware
// answers it, with authlib's no-store headers.
func invalidToken() jsonResponse {
	return jsonResponse{
		status: http.StatusUnauthorized,
		header: http.Header{
			"Www-Authenticate": {`Bearer realm="polar", error="invalid_token", error_description="` + invalidTokenDescription + `"`},
			"Cache-Control":    {"no-store"},
			"Pragma":           {"no-cache"},
		},
		body: errorBody{Error: "invalid_token", ErrorDescription: invalidTokenDescription},
	}
}

func insufficientScope(scope string) jsonResponse {
	return jsonResponse{
		status: http.StatusForbidden,
		header: http.Header{"Www-Authenticate": {
			`Bearer realm="polar", error="insufficient_scope", error_description="` +
				insufficientScopeDescription + `", scope="` + scope + `"`,
		}},
		body: errorBody{Error: "insufficient_scope", Detail: insufficientScopeDescription},
	}
}

func notFound() jsonResponse {
	return jsonResponse{status: http.StatusNotFound, body: errorBody{Detail: "Not Found"}}
}

func methodNotAllowed(allow string) jsonResponse {
	return jsonResponse{
		status: http.StatusMethodNotAllowed,
		header: http.Header{"Allow": {allow}},
		body:   errorBody{Detail: "Method Not Allowed"},
	}
}

// The "error" member of a 422: FastAPI's schema validation, or a check in
// Polar's service code such as the customer lookup.
const (
	requestValidationError      = "RequestValidationError"
	polarRequestValidationError = "PolarRequestValidationError"
)

// validationFailed is a 422. The generated 422 type cannot carry Polar's
// "error" member, so this one does; its detail items are the generated
// ValidationError, so a client decoding gen.HTTPValidationError reads it.
func validationFailed(errName string, detail []gen.ValidationError) jsonResponse {
	return jsonResponse{
		status: http.StatusUnprocessableEntity,
		body: struct {
			Error  string                `json:"error"`
			Detail []gen.ValidationError `json:"detail"`
		}{errName, detail},
	}
}

// writeInternalError is the strict handler's answer when a response cannot
// be written or has an unexpected type: a bug in the fake, made visible.
func writeInternalError(w http.ResponseWriter, _ *http.Request, err error) {
	_ = jsonResponse{
		status: http.StatusInternalServerError,
		body:   errorBody{Error: "InternalServerError", Detail: err.Error()},
	}.write(w)
}
