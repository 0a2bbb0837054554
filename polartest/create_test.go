package polartest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
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
	assertToken(t, rules.PrefixMemberSession, s.Token.Reveal()) // for the owner, created on first use
	assert.Equal(t, t0, s.CreatedAt)
	assert.Nil(t, s.ModifiedAt)
	assert.Equal(t, t0.Add(time.Hour), s.ExpiresAt)
	assert.Equal(t, ptr("https://example.com/account"), s.ReturnURL)
	assert.Equal(t, cust.ID, s.CustomerID)
	assert.Equal(t, "https://polar.sh/acme/portal?customer_session_token="+s.Token.Reveal()+"&email=jane%2Bpolar%40example.com", s.CustomerPortalURL.Reveal())

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
	assertToken(t, rules.PrefixMemberSession, s.Token.Reveal())
	assert.Nil(t, s.ReturnURL)
	assert.Equal(t, cust.ID, s.CustomerID)
	assert.Equal(t, "https://polar.sh/polartest/portal?customer_session_token="+s.Token.Reveal()+"&email=ops%2Bbilling%40acme.example", s.CustomerPortalURL.Reveal(),
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

// A return URL is kept as Polar stores it: the WHATWG serialization of
// what pydantic parsed, its length counted as received.
func TestCreateStoresReturnURLAsPolarDoes(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	for in, want := range map[string]string{
		"https://example.com/café menu?q={x}": "https://example.com/caf%C3%A9%20menu?q={x}",
		"https://Example.COM":                 "https://example.com/",
		"HTTPS://bücher.de:443/a/../b":        "https://xn--bcher-kva.de/b",
	} {
		raw, err := json.Marshal(map[string]string{"customer_id": cust.ID, "return_url": in})
		require.NoError(t, err)
		resp := create(t, c, srv, string(raw))
		require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
		created := decodeJSON(t, resp.body)
		assert.Equal(t, want, created["return_url"], in)
		introspected := decodeJSON(t, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(created["token"].(string))).body)
		assert.Equal(t, want, introspected["return_url"], in)
	}
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
	resp := call(t, c, srv, http.MethodPost, createPath, body, map[string]string{"Authorization": "bearer " + srv.AccessToken(), "Content-Type": "application/json"})
	assert.Equal(t, http.StatusCreated, resp.status)
}

// An organization token without the scope is refused by the endpoint's
// Authenticator with authlib's 403, before the body is validated.
func TestCreateRefusesTokenWithoutScope(t *testing.T) {
	srv, _ := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	token := srv.AddAccessToken("", "customers:read")
	assert.True(t, strings.HasPrefix(token, "polar_oat_"))

	const want = `{"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token."}`
	for _, body := range []string{`{"customer_id":"` + cust.ID + `"}`, `{}`} {
		resp := call(t, newHTTPClient(t), srv, http.MethodPost, createPath, body, bearer(token))
		assert.Equal(t, http.StatusForbidden, resp.status)
		assert.Equal(t, want, string(resp.body))
		assert.Equal(t, http.Header{
			"Cache-Control":    {"no-store"}, // authlib's, kept by Polar's CacheControlMiddleware
			"Pragma":           {"no-cache"},
			"Www-Authenticate": {`Bearer realm="polar", scope="customer_sessions:write", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token."`},
			"Content-Type":     {"application/json"},
			"Content-Length":   {strconv.Itoa(len(want))},
			"Polar-Version":    {gen.APIVersion},
		}, withoutDate(resp.header))
	}

	// Granting the scope later takes effect.
	srv.AddAccessToken(token, polartest.ScopeCustomerSessionsWrite)
	resp := call(t, newHTTPClient(t), srv, http.MethodPost, createPath, `{"customer_id":"`+cust.ID+`"}`, bearer(token))
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
		"unknown, wrong method":   {introspectPath, body, "Bearer polar_oat_unknown"},
		"unknown, no slash":       {strings.TrimSuffix(createPath, "/"), body, "Bearer polar_oat_unknown"},
		"unknown, lowercase":      {createPath, body, "bearer polar_oat_nope"},
		"unknown prefix":          {createPath, body, "Bearer sk_live_123"},
		"expired session":         {createPath, body, "Bearer " + expired},
		"unknown, bad JSON":       {createPath, `{not json`, "Bearer polar_oat_unknown"},
		"unknown, unknown route":  {"/v1/customers/", body, "Bearer polar_oat_unknown"},
		"unknown, session prefix": {createPath, body, "Bearer " + rules.PrefixMemberSession + "nope"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := call(t, c, srv, http.MethodPost, tt.path, tt.body, map[string]string{"Authorization": tt.auth, "Content-Type": "application/json"})
			assertInvalidToken(t, resp)
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
