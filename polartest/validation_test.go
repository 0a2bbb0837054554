package polartest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestCreateValidation(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c := newHTTPClient(t)
	longURL := "https://example.com/" + strings.Repeat("a", 2100)
	longUnicodeURL := "https://example.com/" + strings.Repeat("é", 1100)

	tests := []struct {
		name string
		body string
		// want is the whole 422 body, or when wantFirst is set, its first
		// error only (pydantic reports the other union member's too).
		want      string
		wantFirst bool
	}{
		{
			name: "neither id",
			body: `{}`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","type":"missing","input":{}},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Field required","type":"missing","input":{}}]}`,
		},
		{
			name: "customer id of the wrong type",
			body: `{"customer_id":42}`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"UUID input should be a string, bytes or UUID object","type":"uuid_type","input":42},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Field required","type":"missing","input":{"customer_id":42}}]}`,
		},
		{
			// Errors come in each model's field order: its base's fields
			// before the customer's.
			name: "errors in field order",
			body: `{"customer_id":"a","member_id":"b","external_member_id":7}`,
			want: "{\"error\":\"RequestValidationError\",\"detail\":[" +
				"{\"loc\":[\"body\",\"CustomerSessionCustomerIDCreate\",\"member_id\"],\"msg\":\"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 1\",\"type\":\"uuid_parsing\",\"input\":\"b\",\"ctx\":{\"error\":\"invalid length: expected length 32 for simple format, found 1\"}}," +
				"{\"loc\":[\"body\",\"CustomerSessionCustomerIDCreate\",\"external_member_id\"],\"msg\":\"Input should be a valid string\",\"type\":\"string_type\",\"input\":7}," +
				"{\"loc\":[\"body\",\"CustomerSessionCustomerIDCreate\",\"customer_id\"],\"msg\":\"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 1\",\"type\":\"uuid_parsing\",\"input\":\"a\",\"ctx\":{\"error\":\"invalid length: expected length 32 for simple format, found 1\"}}," +
				"{\"loc\":[\"body\",\"CustomerSessionCustomerExternalIDCreate\",\"member_id\"],\"msg\":\"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 1\",\"type\":\"uuid_parsing\",\"input\":\"b\",\"ctx\":{\"error\":\"invalid length: expected length 32 for simple format, found 1\"}}," +
				"{\"loc\":[\"body\",\"CustomerSessionCustomerExternalIDCreate\",\"external_member_id\"],\"msg\":\"Input should be a valid string\",\"type\":\"string_type\",\"input\":7}," +
				"{\"loc\":[\"body\",\"CustomerSessionCustomerExternalIDCreate\",\"external_customer_id\"],\"msg\":\"Field required\",\"type\":\"missing\",\"input\":{\"customer_id\":\"a\",\"member_id\":\"b\",\"external_member_id\":7}}]}",
		},
		{
			name: "an invalid alias is reported under the key sent",
			body: `{"customer_external_id":123}`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","type":"missing","input":{"customer_external_id":123}},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","customer_external_id"],"msg":"Input should be a valid string","type":"string_type","input":123}]}`,
		},
		{
			name: "unknown members are in a missing field's input",
			body: `{"foo":1}`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","type":"missing","input":{"foo":1}},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Field required","type":"missing","input":{"foo":1}}]}`,
		},
		{
			name:      "external id of the wrong type",
			body:      `{"external_customer_id":null}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","type":"missing","input":{"external_customer_id":null}}`,
			wantFirst: true,
		},
		{
			name:      "malformed customer id",
			body:      `{"customer_id":"not-a-uuid"}`,
			want:      "{\"loc\":[\"body\",\"CustomerSessionCustomerIDCreate\",\"customer_id\"],\"msg\":\"Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1\",\"type\":\"uuid_parsing\",\"input\":\"not-a-uuid\",\"ctx\":{\"error\":\"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1\"}}",
			wantFirst: true,
		},
		{
			name:      "customer id not version 4",
			body:      `{"customer_id":"a8098c1a-f86e-11da-bd1a-00112444be1e"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"UUID version 4 expected","type":"uuid_version","input":"a8098c1a-f86e-11da-bd1a-00112444be1e","ctx":{"expected_version":4}}`,
			wantFirst: true,
		},
		{
			name:      "malformed member id",
			body:      `{"customer_id":"` + cust.ID + `","member_id":"123"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","member_id"],"msg":"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3","type":"uuid_parsing","input":"123","ctx":{"error":"invalid length: expected length 32 for simple format, found 3"}}`,
			wantFirst: true,
		},
		{
			name: "member id with a short group",
			body: `{"customer_id":"` + cust.ID + `","member_id":"3f2e1d0c-9b8a-4765-843-10fedcba9876"}`,
			// The uuid crate numbers groups from 0.
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","member_id"],"msg":"Input should be a valid UUID, invalid group length in group 3: expected 4, found 3","type":"uuid_parsing","input":"3f2e1d0c-9b8a-4765-843-10fedcba9876","ctx":{"error":"invalid group length in group 3: expected 4, found 3"}}`,
			wantFirst: true,
		},
		{
			name:      "relative return url",
			body:      `{"customer_id":"` + cust.ID + `","return_url":"/account"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"Input should be a valid URL, relative URL without a base","type":"url_parsing","input":"/account","ctx":{"error":"relative URL without a base"}}`,
			wantFirst: true,
		},
		{
			name:      "empty return url",
			body:      `{"customer_id":"` + cust.ID + `","return_url":""}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"Input should be a valid URL, input is empty","type":"url_parsing","input":"","ctx":{"error":"input is empty"}}`,
			wantFirst: true,
		},
		{
			name:      "return url without host",
			body:      `{"customer_id":"` + cust.ID + `","return_url":"https://:443/account"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"Input should be a valid URL, empty host","type":"url_parsing","input":"https://:443/account","ctx":{"error":"empty host"}}`,
			wantFirst: true,
		},
		{
			name:      "return url with another scheme",
			body:      `{"customer_id":"` + cust.ID + `","return_url":"myapp://account"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"URL scheme should be 'http' or 'https'","type":"url_scheme","input":"myapp://account","ctx":{"expected_schemes":"'http' or 'https'"}}`,
			wantFirst: true,
		},
		{
			name:      "return url too long",
			body:      `{"customer_id":"` + cust.ID + `","return_url":"` + longURL + `"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"URL should have at most 2083 characters","type":"url_too_long","input":"` + longURL + `","ctx":{"max_length":2083}}`,
			wantFirst: true,
		},
		{
			// Polar counts bytes: 1,100 "é" are 2,200 bytes in 1,120 characters.
			name:      "return url too long in bytes, not in characters",
			body:      `{"customer_id":"` + cust.ID + `","return_url":"` + longUnicodeURL + `"}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"URL should have at most 2083 characters","type":"url_too_long","input":"` + longUnicodeURL + `","ctx":{"max_length":2083}}`,
			wantFirst: true,
		},
		{
			name:      "return url of the wrong type",
			body:      `{"customer_id":"` + cust.ID + `","return_url":true}`,
			want:      `{"loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"URL input should be a string or URL","type":"url_type","input":true}`,
			wantFirst: true,
		},
		{
			name: "not an object",
			body: `["` + cust.ID + `"]`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate"],"msg":"Input should be a valid dictionary or object to extract fields from","type":"model_attributes_type","input":["` + cust.ID + `"]},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate"],"msg":"Input should be a valid dictionary or object to extract fields from","type":"model_attributes_type","input":["` + cust.ID + `"]}]}`,
		},
		{
			name: "null",
			body: `null`,
			want: `{"error":"RequestValidationError","detail":[{"loc":["body"],"msg":"Field required","type":"missing","input":null}]}`,
		},
		{
			name: "empty",
			body: ``,
			want: `{"error":"RequestValidationError","detail":[{"loc":["body"],"msg":"Field required","type":"missing","input":null}]}`,
		},
		{
			name: "not JSON",
			body: `{"customer_id": x}`,
			want: `{"error":"RequestValidationError","detail":[{"loc":["body",16],"msg":"JSON decode error","type":"json_invalid","input":{},"ctx":{"error":"invalid character 'x' looking for beginning of value"}}]}`,
		},
		{
			name: "cut JSON",
			body: `{"customer_id": "`,
			want: `{"error":"RequestValidationError","detail":[{"loc":["body",17],"msg":"JSON decode error","type":"json_invalid","input":{},"ctx":{"error":"unexpected EOF"}}]}`,
		},
		{
			name: "unknown customer id",
			body: `{"customer_id":"3f2e1d0c-9b8a-4765-8432-10fedcba9876"}`,
			want: `{"error":"PolarRequestValidationError","detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"3f2e1d0c-9b8a-4765-8432-10fedcba9876"}]}`,
		},
		{
			name: "unknown external id",
			body: `{"external_customer_id":"usr_404","return_url":"https://example.com"}`,
			want: `{"error":"PolarRequestValidationError","detail":[{"loc":["body","external_customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"usr_404"}]}`,
		},
		{
			name: "unknown external id sent as customer_external_id",
			body: `{"customer_external_id":"usr_404"}`,
			want: `{"error":"PolarRequestValidationError","detail":[{"loc":["body","external_customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"usr_404"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := create(t, c, srv, tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, resp.status, "body: %s", resp.body)
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			if !tt.wantFirst {
				assert.JSONEq(t, tt.want, string(resp.body))
				return
			}
			var got struct {
				Error  string            `json:"error"`
				Detail []json.RawMessage `json:"detail"`
			}
			require.NoError(t, json.Unmarshal(resp.body, &got))
			assert.Equal(t, "RequestValidationError", got.Error)
			require.NotEmpty(t, got.Detail)
			assert.JSONEq(t, tt.want, string(got.Detail[0]))
		})
	}
}

// The 422 body reads as the spec's HTTPValidationError through the
// generated client.
func TestCreateValidationDecodesWithGeneratedTypes(t *testing.T) {
	srv, _ := start(t)
	resp, err := genClient(t, srv, srv.AccessToken()).CustomerSessionsCreateWithBodyWithResponse(
		context.Background(), "application/json", strings.NewReader(`{"external_customer_id":"nobody"}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode())
	require.NotNil(t, resp.JSON422)
	require.NotNil(t, resp.JSON422.Detail)
	detail := *resp.JSON422.Detail
	require.Len(t, detail, 1)
	assert.Equal(t, "Customer does not exist.", detail[0].Msg)
	assert.Equal(t, "value_error", detail[0].Type)
	assert.Equal(t, "nobody", detail[0].Input)
	require.Len(t, detail[0].Loc, 2)
	first, err := detail[0].Loc[0].AsValidationErrorLoc0()
	require.NoError(t, err)
	second, err := detail[0].Loc[1].AsValidationErrorLoc0()
	require.NoError(t, err)
	assert.Equal(t, []string{"body", "external_customer_id"}, []string{first, second})
}

// Polar's models ignore members they do not declare, at any depth, and
// whatever they hold.
func TestCreateIgnoresUnknownFields(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c := newHTTPClient(t)
	for _, body := range []string{
		`{"customer_id":"` + cust.ID + `","foo":1}`,
		`{"customer_id":"` + cust.ID + `","metadata":{"a":[1,{"b":null}]},"customerId":"nope","CUSTOMER_ID":"x"}`,
		`{"external_customer_id":"usr_1","extra":"\u0000","unknown":null}`,
	} {
		resp := create(t, c, srv, body)
		require.Equal(t, http.StatusCreated, resp.status, "%s: %s", body, resp.body)
		assert.Equal(t, cust.ID, decodeJSON(t, resp.body)["customer_id"], body)
	}
}

// external_customer_id is also read as customer_external_id (its
// validation alias); given both, the first choice is read.
func TestCreateReadsTheExternalIDAlias(t *testing.T) {
	srv, _ := start(t)
	first := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	second := srv.AddCustomer(polartest.Customer{ExternalID: "usr_2"})
	c := newHTTPClient(t)
	for body, want := range map[string]string{
		`{"customer_external_id":"usr_2"}`:                                second.ID,
		`{"external_customer_id":"usr_1","customer_external_id":"usr_2"}`: first.ID,
		`{"customer_external_id":"usr_2","external_customer_id":"usr_1"}`: first.ID,
	} {
		resp := create(t, c, srv, body)
		require.Equal(t, http.StatusCreated, resp.status, "%s: %s", body, resp.body)
		assert.Equal(t, want, decodeJSON(t, resp.body)["customer_id"], body)
	}

	// The first choice is read even when it is null.
	resp := create(t, c, srv, `{"external_customer_id":null,"customer_external_id":"usr_2"}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.JSONEq(t, `{"error":"RequestValidationError","detail":[
		{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","type":"missing","input":{"external_customer_id":null,"customer_external_id":"usr_2"}},
		{"loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Input should be a valid string","type":"string_type","input":null}]}`, string(resp.body))
}

// With both customer IDs valid, both models fit and pydantic's smart mode
// picks one (the research report's table, §1.3): the external ID, unless
// member_id or return_url is given, which makes that model no more exact
// than the customer-ID one, which then wins as the first.
func TestCreateChoosesAsPydanticsSmartUnion(t *testing.T) {
	srv, _ := start(t, polartest.WithMemberModel(false)) // member IDs need not exist
	byID := srv.AddCustomer(polartest.Customer{})
	byExternalID := srv.AddCustomer(polartest.Customer{ExternalID: "usr_ext"})
	c := newHTTPClient(t)
	ids := `"customer_id":"` + byID.ID + `","external_customer_id":"usr_ext"`
	const member = `"3f2e1d0c-9b8a-4765-8432-10fedcba9876"`
	for _, tt := range []struct {
		body string
		want string
	}{
		{`{` + ids + `}`, byExternalID.ID},
		{`{` + ids + `,"return_url":"https://example.com/"}`, byID.ID},
		{`{` + ids + `,"member_id":` + member + `}`, byID.ID},
		{`{` + ids + `,"external_member_id":"x"}`, byExternalID.ID},
		{`{` + ids + `,"return_url":null,"member_id":null,"external_member_id":null}`, byExternalID.ID},
		{`{` + ids + `,"unknown":"https://example.com/"}`, byExternalID.ID},
		{`{"customer_id":"not-a-uuid","external_customer_id":"usr_ext"}`, byExternalID.ID},
		{`{"customer_id":"` + byID.ID + `","external_customer_id":123}`, byID.ID},
		{`{"customer_id":"` + byID.ID + `","customer_external_id":"usr_ext"}`, byExternalID.ID},
		// A NUL fails the external-ID model only; the other never reads it.
		{`{"customer_id":"` + byID.ID + `","external_customer_id":"usr\u0000"}`, byID.ID},
	} {
		resp := create(t, c, srv, tt.body)
		require.Equal(t, http.StatusCreated, resp.status, "%s: %s", tt.body, resp.body)
		assert.Equal(t, tt.want, decodeJSON(t, resp.body)["customer_id"], tt.body)
	}

	// The chosen model decides the lookup: an unknown external ID is not
	// rescued by a valid customer ID.
	resp := create(t, c, srv, `{"customer_id":"`+byID.ID+`","external_customer_id":"usr_404"}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.JSONEq(t, `{"error":"PolarRequestValidationError","detail":[
		{"loc":["body","external_customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"usr_404"}]}`, string(resp.body))
}

// A NUL in a string field is Polar's value_error, at that field of each
// model that reads it, after the models' other checks of that field.
func TestCreateRefusesNULInStrings(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	for _, tt := range []struct{ body, want string }{
		{
			`{"external_customer_id":"a\u0000b"}`,
			`{"error":"RequestValidationError","detail":[` +
				`{"type":"missing","loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","input":{"external_customer_id":"a\u0000b"}},` +
				`{"type":"value_error","loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Value error, This value contains invalid characters","input":"a\u0000b","ctx":{"error":{}}}]}`,
		},
		{
			`{"customer_external_id":"a\u0000b"}`,
			`{"error":"RequestValidationError","detail":[` +
				`{"type":"missing","loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"Field required","input":{"customer_external_id":"a\u0000b"}},` +
				`{"type":"value_error","loc":["body","CustomerSessionCustomerExternalIDCreate","customer_external_id"],"msg":"Value error, This value contains invalid characters","input":"a\u0000b","ctx":{"error":{}}}]}`,
		},
		{
			`{"customer_id":"` + cust.ID + `","external_member_id":"x\u0000"}`,
			`{"error":"RequestValidationError","detail":[` +
				`{"type":"value_error","loc":["body","CustomerSessionCustomerIDCreate","external_member_id"],"msg":"Value error, This value contains invalid characters","input":"x\u0000","ctx":{"error":{}}},` +
				`{"type":"value_error","loc":["body","CustomerSessionCustomerExternalIDCreate","external_member_id"],"msg":"Value error, This value contains invalid characters","input":"x\u0000","ctx":{"error":{}}},` +
				`{"type":"missing","loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Field required","input":{"customer_id":"` + cust.ID + `","external_member_id":"x\u0000"}}]}`,
		},
		{
			// In a UUID the NUL is a character the UUID parser refuses.
			`{"customer_id":"\u0000"}`,
			"{\"error\":\"RequestValidationError\",\"detail\":[" +
				"{\"type\":\"uuid_parsing\",\"loc\":[\"body\",\"CustomerSessionCustomerIDCreate\",\"customer_id\"],\"msg\":\"Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `\\u0000` at 1\",\"input\":\"\\u0000\",\"ctx\":{\"error\":\"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `\\u0000` at 1\"}}," +
				"{\"type\":\"missing\",\"loc\":[\"body\",\"CustomerSessionCustomerExternalIDCreate\",\"external_customer_id\"],\"msg\":\"Field required\",\"input\":{\"customer_id\":\"\\u0000\"}}]}",
		},
	} {
		resp := create(t, c, srv, tt.body)
		require.Equal(t, http.StatusUnprocessableEntity, resp.status, tt.body)
		assert.JSONEq(t, tt.want, string(resp.body), tt.body)
		assert.Contains(t, string(resp.body), `\u0000`, "the NUL is escaped as Python's json escapes it")
	}

	// In a return URL's path the NUL is percent-encoded; in its host it is
	// a character no domain may hold.
	resp := create(t, c, srv, `{"customer_id":"`+cust.ID+`","return_url":"https://example.com/a\u0000b"}`)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Equal(t, "https://example.com/a%00b", decodeJSON(t, resp.body)["return_url"])
	resp = create(t, c, srv, `{"customer_id":"`+cust.ID+`","return_url":"https://exa\u0000mple.com/"}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.Contains(t, string(resp.body), `"msg":"Input should be a valid URL, invalid international domain name"`)
}

// Polar's URL parser puts every host through IDNA: a host it refuses is a
// url_parsing error of each model, in each model's field order.
func TestCreateRefusesHostsIDNARefuses(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	resp := create(t, newHTTPClient(t), srv, `{"customer_id":"`+cust.ID+`","return_url":"https://xn--zz.com/"}`)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	assert.JSONEq(t, `{"error":"RequestValidationError","detail":[
		{"type":"url_parsing","loc":["body","CustomerSessionCustomerIDCreate","return_url"],"msg":"Input should be a valid URL, invalid international domain name","input":"https://xn--zz.com/","ctx":{"error":"invalid international domain name"}},
		{"type":"url_parsing","loc":["body","CustomerSessionCustomerExternalIDCreate","return_url"],"msg":"Input should be a valid URL, invalid international domain name","input":"https://xn--zz.com/","ctx":{"error":"invalid international domain name"}},
		{"type":"missing","loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Field required","input":{"customer_id":"`+cust.ID+`","return_url":"https://xn--zz.com/"}}]}`,
		string(resp.body))
	assert.Equal(t, "private, no-store", resp.header.Get("Cache-Control"))
}

// The client checks return URLs by the same rules, so it refuses a host
// IDNA refuses before sending anything, and sends one IDNA accepts.
func TestClientRefusesHostsIDNARefusesBeforeSending(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := polarClient(t, srv)
	for _, u := range []string{"https://xn--zz.com/", "https://xn--.com/", "https://exa mple.com/", "https://a\u200db.com/", "https://exa％mple.com/"} {
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: u})
		require.ErrorIs(t, err, client.ErrInvalidRequest, u)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")

	sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "https://Bücher.de"})
	require.NoError(t, err)
	require.NotNil(t, sess.ReturnURL)
	assert.Equal(t, "https://xn--bcher-kva.de/", *sess.ReturnURL, "as Polar stores it")
}
