package polartest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/polarsessions/polarsessions-go/gen"
)

// requestBody is a create body as FastAPI hands it to validation
// (fastapi/routing.py 0.136.3, get_request_handler): no bytes, the bytes
// themselves when the content type is not JSON's, or decoded JSON.
type requestBody struct {
	raw   []byte
	json  bool
	value any // when json: the JSON value, numbers as json.Number
}

type bodyKey struct{}

// bodyOf returns the body readBody read for the request of ctx.
func bodyOf(ctx context.Context) requestBody {
	body, _ := ctx.Value(bodyKey{}).(requestBody)
	return body
}

// readBody reads create's body as FastAPI does, before any dependency (so
// before the endpoint's authentication) runs: bytes with a JSON content
// type (application/json or application/*+json, as Python's email package
// parses the header) are decoded as JSON, and what does not decode is
// answered at once: 400 when the bytes are not text, 422 json_invalid when
// they are not JSON. Other content types, and none, leave the bytes as they
// are, which validation then refuses. The generated handler, which binds
// JSON of its own, is given the JSON, or null for anything else; the
// operation validates what readBody read (see bodyOf).
func (s *Server) readBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The edge holds it in memory already: a create is a POST, whose
		// Content-Length limitBodySize has held to Polar's limit.
		raw, _ := io.ReadAll(io.LimitReader(r.Body, maxBodySize))
		body := requestBody{raw: raw}
		forBinding := []byte("null")
		if len(raw) > 0 && jsonContentType(r.Header.Get("Content-Type")) {
			// Python's json.loads takes UTF-8 with or without a byte order mark.
			text := bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
			if !utf8.Valid(text) {
				_ = detail(http.StatusBadRequest, "There was an error parsing the body", nil).write(w)
				return
			}
			value, p := decodeJSON(text)
			if p != nil {
				_ = validationFailed(requestValidationError, []gen.ValidationError{*p}).write(w)
				return
			}
			body.json, body.value, forBinding = true, value, text
		}
		r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, body))
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(forBinding)), int64(len(forBinding))
		next.ServeHTTP(w, r)
	})
}

// jsonContentType is FastAPI's test of a Content-Type: main type
// application and subtype json or *+json, read as Python's
// email.message.Message reads it (parameters dropped, case ignored, and
// anything without exactly one "/" taken as text/plain).
func jsonContentType(v string) bool {
	mediaType, _, _ := strings.Cut(v, ";")
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	main, sub, _ := strings.Cut(mediaType, "/")
	return strings.Count(mediaType, "/") == 1 && main == "application" && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

// decodeJSON decodes a JSON body, refusing what Python's json.loads
// refuses with FastAPI's json_invalid error: at loc ["body", position], the
// position counted in characters, and with Go's description of the error
// (Python's words are not imitated), or "Extra data" for anything but
// whitespace after the value, which Python refuses and Go's decoder would
// leave unread.
func decodeJSON(text []byte) (any, *gen.ValidationError) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber() // so that inputs echo numbers as sent
	var value any
	err := dec.Decode(&value)
	pos, reason := len(text), ""
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		pos, reason = int(syntax.Offset-1), syntax.Error() // the offending byte, not the bytes read
	case err != nil: // the text ends inside the value, or before it
		reason = io.ErrUnexpectedEOF.Error()
	default:
		rest := bytes.TrimLeft(text[dec.InputOffset():], " \t\n\r")
		if len(rest) == 0 {
			return value, nil
		}
		pos, reason = len(text)-len(rest), "Extra data"
	}
	p := &problem{Type: "json_invalid", Msg: "JSON decode error", Ctx: map[string]any{"error": reason}}
	e := validationError(p, map[string]any{}, "body", utf8.RuneCount(text[:max(pos, 0)]))
	return nil, &e
}
