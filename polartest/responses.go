package polartest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/polarsessions/polarsessions-go/gen"
)

// jsonResponse is an answer the spec does not describe (400, 401, 403,
// 404, 405, 411, 413, and 422 with Polar's "error" member). It satisfies
// both operations' generated response interfaces, so the strict middleware
// and handlers can return it like any generated response.
type jsonResponse struct {
	status int
	header http.Header
	// body is written as Starlette's JSONResponse writes it: compact, raw
	// UTF-8, no newline after it. A []byte is written as it is.
	body any
}

func (r jsonResponse) write(w http.ResponseWriter) error {
	b, ok := r.body.([]byte)
	if !ok {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.body); err != nil {
			return err
		}
		b = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	for name, values := range r.header {
		w.Header()[name] = values
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(r.status)
	_, err := w.Write(b)
	return err
}

func (r jsonResponse) VisitCustomerSessionsCreateResponse(w http.ResponseWriter) error {
	return r.write(w)
}

func (r jsonResponse) VisitCustomerPortalCustomerSessionIntrospectResponse(w http.ResponseWriter) error {
	return r.write(w)
}

// pythonJSON is an object of string members as Python's json.dumps writes
// it with its default separators, ", " and ": ": the bodies of Polar's
// OAuth2 errors (polar/oauth2/exception_handlers.py) and of its
// MaxBodySizeMiddleware. kv holds keys and values in turn.
func pythonJSON(kv ...string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		key, _ := json.Marshal(kv[i]) // ASCII, as json.dumps would write it
		value, _ := json.Marshal(kv[i+1])
		b.Write(key)
		b.WriteString(": ")
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// textResponse is a plain-text answer, such as Starlette's 500 for an
// unhandled exception.
type textResponse struct {
	status int
	body   string
}

func (r textResponse) write(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, err := io.WriteString(w, r.body)
	return err
}

// unhandled is an error Polar does not handle: it raises past every
// handler to Starlette's ServerErrorMiddleware, which answers 500 with
// none of the headers the layers inside it add. As a response it panics
// with itself, which serveErrors recovers.
type unhandled struct{ reason string }

func (u unhandled) VisitCustomerSessionsCreateResponse(http.ResponseWriter) error { panic(u) }

// errorBody is the shape of Polar's JSON errors: {"error", "detail"} from
// its own exception handler, bare {"detail"} from FastAPI's.
type errorBody struct {
	Error  string `json:"error,omitempty"`
	Detail string `json:"detail"`
}

// detail is FastAPI's answer to an HTTPException: {"detail": "..."}.
func detail(status int, msg string, header http.Header) jsonResponse {
	return jsonResponse{status: status, header: header, body: errorBody{Detail: msg}}
}

func notFound() jsonResponse { return detail(http.StatusNotFound, "Not Found", nil) }

func methodNotAllowed(allow string) jsonResponse {
	return detail(http.StatusMethodNotAllowed, "Method Not Allowed", http.Header{"Allow": {allow}})
}

// unauthorized is Polar's Unauthorized, raised by an endpoint's
// Authenticator for a request without a credential it accepts.
func unauthorized() jsonResponse {
	return jsonResponse{
		status: http.StatusUnauthorized,
		header: http.Header{"Www-Authenticate": {`Bearer realm="polar"`}},
		body:   errorBody{Error: "Unauthorized", Detail: "Unauthorized"},
	}
}

// oauth2Error is an authlib bearer-token error as Polar renders it
// (polar/oauth2/exception_handlers.py; authlib 1.7.2,
// oauth2/rfc6750/errors.py): its error and description as the body, and
// authlib's no-store headers. The challenge names the realm, then the
// extra attributes, then the error and its description.
func oauth2Error(status int, code, description string, extra ...string) jsonResponse {
	challenge := append([]string{`realm="polar"`}, extra...)
	challenge = append(challenge, `error="`+code+`"`, `error_description="`+description+`"`)
	return jsonResponse{
		status: status,
		header: http.Header{
			"Cache-Control":    {"no-store"},
			"Pragma":           {"no-cache"},
			"Www-Authenticate": {"Bearer " + strings.Join(challenge, ", ")},
		},
		body: pythonJSON("error", code, "error_description", description),
	}
}

// invalidToken is InvalidTokenError, which Polar's auth middleware raises
// for a bearer token that names nothing live.
func invalidToken() jsonResponse {
	return oauth2Error(http.StatusUnauthorized, "invalid_token",
		"The access token provided is expired, revoked, malformed, or invalid for other reasons.")
}

// insufficientScope is Polar's InsufficientScopeError
// (polar/oauth2/exceptions.py), raised by an endpoint's Authenticator.
func insufficientScope(scope string) jsonResponse {
	return oauth2Error(http.StatusForbidden, "insufficient_scope",
		"The request requires higher privileges than provided by the access token.", `scope="`+scope+`"`)
}

// The "error" member of a 422: FastAPI's schema validation, or a check in
// Polar's service code such as the customer lookup
// (polar/exception_handlers.py, request_validation_exception_handler).
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

// writeInternalError is the strict handler's answer when a request cannot
// be bound or a response cannot be written or has an unexpected type: a
// bug in the fake, made visible.
func writeInternalError(w http.ResponseWriter, _ *http.Request, err error) {
	_ = jsonResponse{
		status: http.StatusInternalServerError,
		body:   errorBody{Error: "InternalServerError", Detail: err.Error()},
	}.write(w)
}
