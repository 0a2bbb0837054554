package polartest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

var uuid4Format = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func ptr[T any](v T) *T { return &v }

func TestCreateByCustomerID(t *testing.T) {
	srv, _ := start(t, polartest.WithOrganizationSlug("acme"))
	cust := srv.AddCustomer(polartest.Customer{
		ExternalID:    "usr_1337",
		Email:         "jane+polar@example.com",
		EmailVerified: true,
		Name:          "Jane Doe",
		Locale:        "en",
		Metadata:      map[string]any{"plan": "pro", "seats": 3, "discount": 0.25, "trial": false},
		CreatedAt:     t0.Add(-24 * time.Hour),
	})
	require.Regexp(t, uuid4Format, cust.ID)
	assert.Equal(t, polartest.CustomerIndividual, cust.Type)

	var body gen.CustomerSessionCreate
	require.NoError(t, body.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{
		CustomerID: cust.ID,
		ReturnURL:  ptr("https://example.com/account"),
	}))
	resp, err := genClient(t, srv, srv.AccessToken()).CustomerSessionsCreateWithResponse(context.Background(), body)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode(), "body: %s", resp.Body)
	assert.Equal(t, "application/json", resp.HTTPResponse.Header.Get("Content-Type"))
	assert.Equal(t, gen.APIVersion, resp.HTTPResponse.Header.Get("Polar-Version"))

	s := resp.JSON201
	require.NotNil(t, s)
	assert.Regexp(t, uuid4Format, s.ID)
	assertToken(t, rules.PrefixMemberSession, s.Token) // for the owner, created on first use
	assert.Equal(t, t0, s.CreatedAt)
	assert.Nil(t, s.ModifiedAt)
	assert.Equal(t, t0.Add(time.Hour), s.ExpiresAt)
	assert.Equal(t, ptr("https://example.com/account"), s.ReturnURL)
	assert.Equal(t, cust.ID, s.CustomerID)
	assert.Equal(t, "https://polar.sh/acme/portal?customer_session_token="+s.Token+"&email=jane%2Bpolar%40example.com", s.CustomerPortalURL)

	kind, err := s.Customer.Discriminator()
	require.NoError(t, err)
	require.Equal(t, "individual", kind)
	c, err := s.Customer.AsCustomerIndividual()
	require.NoError(t, err)
	assert.Equal(t, gen.CustomerIndividual{
		ID:             cust.ID,
		CreatedAt:      t0.Add(-24 * time.Hour),
		Metadata:       c.Metadata, // checked below: the union has no equality
		ExternalID:     ptr("usr_1337"),
		Email:          "jane+polar@example.com",
		EmailVerified:  true,
		Type:           "individual",
		Name:           ptr("Jane Doe"),
		Locale:         ptr("en"),
		OrganizationID: srv.OrganizationID(),
	}, c)
	metadata := map[string]any{}
	for key, value := range c.Metadata {
		raw, err := value.MarshalJSON()
		require.NoError(t, err)
		metadata[key] = string(raw)
	}
	assert.Equal(t, map[string]any{"plan": `"pro"`, "seats": "3", "discount": "0.25", "trial": "false"}, metadata)

	// Polar sends the nullable properties as null rather than leaving them out.
	raw := decodeJSON(t, resp.Body)
	customer := raw["customer"].(map[string]any)
	for _, key := range []string{"modified_at", "billing_name", "billing_address", "tax_id", "default_payment_method_id", "deleted_at", "first_user_event_at", "avatar_url"} {
		assert.Contains(t, customer, key)
		assert.Nil(t, customer[key], key)
	}
	assert.Contains(t, raw, "modified_at")
}

func TestCreateByExternalIDForTeam(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_42", Name: "Acme Robotics"})
	assert.Empty(t, cust.Email, "a team's email stays null")
	srv.AddMember(polartest.Member{CustomerID: cust.ID, ExternalID: "mem_1", Email: "ops+billing@acme.example"})

	var body gen.CustomerSessionCreate
	require.NoError(t, body.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
		ExternalCustomerID: "team_42",
		ExternalMemberID:   ptr("mem_1"),
	}))
	resp, err := genClient(t, srv, srv.AccessToken()).CustomerSessionsCreateWithResponse(context.Background(), body)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode(), "body: %s", resp.Body)

	s := resp.JSON201
	require.NotNil(t, s)
	assertToken(t, rules.PrefixMemberSession, s.Token)
	assert.Nil(t, s.ReturnURL)
	assert.Equal(t, cust.ID, s.CustomerID)
	assert.Equal(t, "https://polar.sh/polartest/portal?customer_session_token="+s.Token+"&email=ops%2Bbilling%40acme.example", s.CustomerPortalURL,
		"the member's email")
	v, err := s.Customer.ValueByDiscriminator()
	require.NoError(t, err)
	team, ok := v.(gen.CustomerTeam)
	require.True(t, ok, "got %T", v)
	assert.Equal(t, gen.CustomerTeam{
		ID:             cust.ID,
		CreatedAt:      t0,
		Metadata:       gen.MetadataOutputType{},
		ExternalID:     ptr("team_42"),
		Type:           "team",
		Name:           ptr("Acme Robotics"),
		OrganizationID: srv.OrganizationID(),
	}, team)

	raw := decodeJSON(t, resp.Body)
	assert.Contains(t, raw, "return_url")
	assert.Nil(t, raw["return_url"])
	assert.Nil(t, raw["customer"].(map[string]any)["email"])
}

func TestCreateAcceptsOptionalMembersAndAnyUUIDForm(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	member := srv.AddMember(polartest.Member{CustomerID: cust.ID, Email: "second@example.com"})
	c := newHTTPClient(t)

	body := `{"customer_id": "` + strings.ToUpper(cust.ID) + `", "member_id": null, "external_member_id": null, "return_url": null}`
	resp := create(t, c, srv, body)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Equal(t, cust.ID, decodeJSON(t, resp.body)["customer_id"])
	assert.Contains(t, decodeJSON(t, resp.body)["customer_portal_url"], "&email=customer-", "null members: the owner")

	simple := strings.ReplaceAll(cust.ID, "-", "")
	resp = create(t, c, srv, `{"customer_id": "`+simple+`", "member_id": "{`+strings.ToUpper(member.ID)+`}"}`)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Contains(t, decodeJSON(t, resp.body)["customer_portal_url"], "&email=second%40example.com")

	resp = create(t, c, srv, `{"customer_id": "urn:uuid:`+cust.ID+`"}`)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	resp = create(t, c, srv, `{"customer_id": "urn:uuid:`+simple+`"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.status, "urn:uuid: takes the hyphenated form only")
}

// A return URL that is not a valid URI is accepted and kept percent-encoded,
// as pydantic normalizes it, and its length is counted as received.
func TestCreateEncodesReturnURL(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	resp := create(t, c, srv, `{"customer_id":"`+cust.ID+`","return_url":"https://example.com/café menu?q={x}"}`)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Equal(t, "https://example.com/caf%C3%A9%20menu?q=%7Bx%7D", decodeJSON(t, resp.body)["return_url"])
}

func TestCreateSessionsDiffer(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	a := decodeJSON(t, create(t, c, srv, `{"customer_id":"`+cust.ID+`"}`).body)
	b := decodeJSON(t, create(t, c, srv, `{"customer_id":"`+cust.ID+`"}`).body)
	assert.NotEqual(t, a["token"], b["token"])
	assert.NotEqual(t, a["id"], b["id"])
}

// Polar's Authenticator answers Unauthorized to anyone but an organization
// (or user): no credential, or a valid credential of another kind.
func TestCreateRefusesUnauthenticated(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	memberSession := srv.CreateSession(cust.ID, "")
	legacy, _ := start(t, polartest.WithMemberModel(false))
	c := newHTTPClient(t)
	body := `{"customer_id":"` + cust.ID + `"}`

	for name, header := range map[string]map[string]string{
		"no authorization":   {},
		"basic scheme":       {"Authorization": "Basic " + srv.AccessToken()},
		"member session":     bearer(memberSession),
		"empty bearer":       {"Authorization": "Bearer "},
		"non-ASCII token":    {"Authorization": "Bearer polar_oat_ünknown"},
		"registration token": bearer(rules.PrefixClientRegistrationToken + "abc"),
	} {
		t.Run(name, func(t *testing.T) {
			resp := call(t, c, srv, http.MethodPost, createPath, body, header)
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, `Bearer realm="polar"`, resp.header.Get("WWW-Authenticate"))
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.JSONEq(t, `{"error":"Unauthorized","detail":"Unauthorized"}`, string(resp.body))
		})
	}
	t.Run("customer session", func(t *testing.T) {
		cust := legacy.AddCustomer(polartest.Customer{})
		resp := call(t, c, legacy, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, bearer(legacy.CreateSession(cust.ID, "")))
		assert.Equal(t, http.StatusUnauthorized, resp.status)
		assert.JSONEq(t, `{"error":"Unauthorized","detail":"Unauthorized"}`, string(resp.body))
	})

	// The scheme is case-insensitive.
	resp := call(t, c, srv, http.MethodPost, createPath, body, map[string]string{"Authorization": "bearer " + srv.AccessToken()})
	assert.Equal(t, http.StatusCreated, resp.status)
}

func TestCreateRefusesTokenWithoutScope(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.AddAccessToken("", "customers:read")
	assert.True(t, strings.HasPrefix(token, "polar_oat_"))

	resp := call(t, newHTTPClient(t), srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, bearer(token))
	assert.Equal(t, http.StatusForbidden, resp.status)
	assert.Equal(t, `Bearer realm="polar", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="customer_sessions:write"`,
		resp.header.Get("WWW-Authenticate"))
	assert.JSONEq(t, `{"error":"insufficient_scope","detail":"The request requires higher privileges than provided by the access token."}`, string(resp.body))

	// Granting the scope later takes effect.
	srv.AddAccessToken(token, polartest.ScopeCustomerSessionsWrite)
	resp = call(t, newHTTPClient(t), srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, bearer(token))
	assert.Equal(t, http.StatusCreated, resp.status)
}

// A bearer token that names nothing is refused by Polar's auth middleware
// with invalid_token, whatever its prefix, before the request is routed or
// its body read.
func TestCreateRefusesInvalidTokens(t *testing.T) {
	srv, clock := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	expired := srv.CreateSession(cust.ID, "")
	clock.Advance(time.Hour)
	c := newHTTPClient(t)
	body := `{"customer_id":"` + cust.ID + `"}`

	for name, tt := range map[string]struct{ path, body, auth string }{
		"unknown token":           {createPath, body, "Bearer polar_oat_unknown"},
		"unknown, lowercase":      {createPath, body, "bearer polar_oat_nope"},
		"unknown prefix":          {createPath, body, "Bearer sk_live_123"},
		"expired session":         {createPath, body, "Bearer " + expired},
		"unknown, bad JSON":       {createPath, `{not json`, "Bearer polar_oat_unknown"},
		"unknown, unknown route":  {"/v1/customers/", body, "Bearer polar_oat_unknown"},
		"unknown, session prefix": {createPath, body, "Bearer " + rules.PrefixMemberSession + "nope"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := call(t, c, srv, http.MethodPost, tt.path, tt.body, map[string]string{"Authorization": tt.auth, "Content-Type": "application/json"})
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, invalidTokenChallenge, resp.header.Get("WWW-Authenticate"))
			assert.Equal(t, "no-store", resp.header.Get("Cache-Control"))
			assert.Equal(t, "no-cache", resp.header.Get("Pragma"))
			assert.JSONEq(t, invalidTokenBody, string(resp.body))
			assert.Equal(t, gen.APIVersion, resp.header.Get("Polar-Version"))
		})
	}
}

// Without a credential, the order of checks is FastAPI's: JSON parsing, then
// auth, then the schema.
func TestCreateCheckOrder(t *testing.T) {
	srv, _ := start(t)
	c := newHTTPClient(t)
	anonymous := map[string]string{"Content-Type": "application/json"}

	resp := call(t, c, srv, http.MethodPost, createPath, `{not json`, anonymous)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.status, "unparseable JSON is refused before auth")

	resp = call(t, c, srv, http.MethodPost, createPath, ``, anonymous)
	assert.Equal(t, http.StatusUnauthorized, resp.status, "an empty body is absent, checked after auth")

	resp = call(t, c, srv, http.MethodPost, createPath, `{}`, anonymous)
	assert.Equal(t, http.StatusUnauthorized, resp.status, "the schema is checked after auth")
	assert.JSONEq(t, `{"error":"Unauthorized","detail":"Unauthorized"}`, string(resp.body))
}

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
			name: "both ids",
			body: `{"customer_id":"` + cust.ID + `","external_customer_id":"usr_1"}`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate","external_customer_id"],"msg":"Extra inputs are not permitted","type":"extra_forbidden","input":"usr_1"},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","customer_id"],"msg":"Extra inputs are not permitted","type":"extra_forbidden","input":"` + cust.ID + `"}]}`,
		},
		{
			name: "customer id of the wrong type",
			body: `{"customer_id":42}`,
			want: `{"error":"RequestValidationError","detail":[
				{"loc":["body","CustomerSessionCustomerIDCreate","customer_id"],"msg":"UUID input should be a string, bytes or UUID object","type":"uuid_type","input":42},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","external_customer_id"],"msg":"Field required","type":"missing","input":{"customer_id":42}},
				{"loc":["body","CustomerSessionCustomerExternalIDCreate","customer_id"],"msg":"Extra inputs are not permitted","type":"extra_forbidden","input":42}]}`,
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
