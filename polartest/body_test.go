package polartest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// FastAPI reads a body as JSON only under a JSON content type. Any other,
// or none, hands the bytes to validation, which both models refuse, each
// showing the body as text; after the endpoint's authentication, as any
// validation.
func TestCreateReadsJSONOnlyUnderAJSONContentType(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	body := `{"customer_id": "` + cust.ID + `"}`
	withType := func(contentType string) map[string]string {
		h := map[string]string{"Authorization": "Bearer " + srv.AccessToken()}
		if contentType != "" {
			h["Content-Type"] = contentType
		}
		return h
	}

	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON",
		" application/json ;charset=latin-1", "application/vnd.api+json", "application/merge-patch+json"} {
		resp := call(t, c, srv, http.MethodPost, createPath, body, withType(ct))
		assert.Equal(t, http.StatusCreated, resp.status, "%q: %s", ct, resp.body)
	}

	for _, tt := range []struct{ contentType, body string }{
		{"text/plain", body},
		{"application/x-www-form-urlencoded", "customer_id=" + cust.ID},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"customer_id\"\r\n\r\n" + cust.ID + "\r\n--x--\r\n"},
		{"", body},
		{"application/json5", body},
		{"application/octet-stream", body},
		{"json", body},
		{"text/plain", `{not json`}, // never parsed, so no json_invalid
	} {
		resp := call(t, c, srv, http.MethodPost, createPath, tt.body, withType(tt.contentType))
		require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%q: %s", tt.contentType, resp.body)
		input, err := jsonString(tt.body)
		require.NoError(t, err)
		assert.JSONEq(t, `{"error":"RequestValidationError","detail":[
			{"type":"model_attributes_type","loc":["body","CustomerSessionCustomerIDCreate"],"msg":"Input should be a valid dictionary or object to extract fields from","input":`+input+`},
			{"type":"model_attributes_type","loc":["body","CustomerSessionCustomerExternalIDCreate"],"msg":"Input should be a valid dictionary or object to extract fields from","input":`+input+`}]}`,
			string(resp.body), "%q", tt.contentType)
		assert.Equal(t, "private, no-store", resp.header.Get("Cache-Control"))
	}

	// No bytes are no body, whatever the type.
	resp := call(t, c, srv, http.MethodPost, createPath, "", withType("text/plain"))
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.JSONEq(t, `{"error":"RequestValidationError","detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`, string(resp.body))

	// Validation comes after authentication.
	resp = call(t, c, srv, http.MethodPost, createPath, body, map[string]string{"Content-Type": "text/plain"})
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, `{"error":"Unauthorized","detail":"Unauthorized"}`, string(resp.body))
}

// jsonString is s as a JSON string.
func jsonString(s string) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// A JSON body that does not decode is refused before the endpoint's
// authentication runs: 422 json_invalid at its position in characters, or
// 400 when the bytes are not text.
func TestCreateRefusesUndecodableBodiesFirst(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	anonymous := map[string]string{"Content-Type": "application/json"}

	for _, tt := range []struct{ body, want string }{
		{`{"customer_id": "` + cust.ID + `"} {}`,
			`{"error":"RequestValidationError","detail":[{"type":"json_invalid","loc":["body",56],"msg":"JSON decode error","input":{},"ctx":{"error":"Extra data"}}]}`},
		{`{"é": x}`,
			`{"error":"RequestValidationError","detail":[{"type":"json_invalid","loc":["body",6],"msg":"JSON decode error","input":{},"ctx":{"error":"invalid character 'x' looking for beginning of value"}}]}`},
		{"  \n",
			`{"error":"RequestValidationError","detail":[{"type":"json_invalid","loc":["body",3],"msg":"JSON decode error","input":{},"ctx":{"error":"unexpected EOF"}}]}`},
	} {
		for _, header := range []map[string]string{anonymous, bearer(srv.AccessToken())} {
			resp := call(t, c, srv, http.MethodPost, createPath, tt.body, header)
			require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%q", tt.body)
			assert.JSONEq(t, tt.want, string(resp.body), "%q", tt.body)
		}
	}

	for _, header := range []map[string]string{anonymous, bearer(srv.AccessToken())} {
		resp := call(t, c, srv, http.MethodPost, createPath, `{"customer_id": "`+cust.ID+"\xff\"}", header)
		require.Equal(t, http.StatusBadRequest, resp.status)
		const want = `{"detail":"There was an error parsing the body"}`
		assert.Equal(t, want, string(resp.body))
		assert.Equal(t, http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {strconv.Itoa(len(want))},
			"Cache-Control":  {"private, no-store"},
			"Polar-Version":  {gen.APIVersion},
		}, withoutDate(resp.header))
	}

	// A UTF-8 byte order mark is allowed, as Python's json.loads allows it.
	resp := create(t, c, srv, "\xef\xbb\xbf"+`{"customer_id": "`+cust.ID+`"}`)
	assert.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
}

// A body that is not read as JSON is echoed in the 422 as text; when it is
// not UTF-8, FastAPI fails to encode it, an error Polar does not handle.
func TestCreateFailsOnABinaryBodyItDoesNotRead(t *testing.T) {
	srv, _ := start(t)
	c := newHTTPClient(t)
	header := map[string]string{"Authorization": "Bearer " + srv.AccessToken(), "Content-Type": "application/octet-stream"}
	resp := call(t, c, srv, http.MethodPost, createPath, "\x89PNG\xff", header)
	require.Equal(t, http.StatusInternalServerError, resp.status)
	assert.Equal(t, "Internal Server Error", string(resp.body))
	assert.Equal(t, http.Header{
		"Content-Type":   {"text/plain; charset=utf-8"},
		"Content-Length": {strconv.Itoa(len("Internal Server Error"))},
	}, withoutDate(resp.header), "none of the headers of the layers it escaped")

	delete(header, "Authorization")
	resp = call(t, c, srv, http.MethodPost, createPath, "\x89PNG\xff", header)
	assert.Equal(t, http.StatusUnauthorized, resp.status, "after authentication")
	assert.True(t, strings.HasPrefix(resp.header.Get("Content-Type"), "application/json"))
}
