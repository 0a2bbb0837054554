package portal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// assertSecureHeaders checks the headers every answer carries.
func assertSecureHeaders(t *testing.T, a answer) {
	t.Helper()
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
	assert.Equal(t, "no-referrer", a.header.Get("Referrer-Policy"))
	assert.Equal(t, "nosniff", a.header.Get("X-Content-Type-Options"))
	assert.Contains(t, a.header.Values("Vary"), "Accept")
}

// assertError checks an error answer, in text and in JSON.
func assertError(t *testing.T, a answer, asJSON bool, status int, code string) {
	t.Helper()
	assert.Equal(t, status, a.status, a.body)
	assertSecureHeaders(t, a)
	assert.Empty(t, a.location())
	if asJSON {
		assert.Equal(t, "application/json", a.header.Get("Content-Type"))
		assert.JSONEq(t, fmt.Sprintf(`{"error": %q}`, code), a.body)
	} else {
		assert.Equal(t, "text/plain; charset=utf-8", a.header.Get("Content-Type"))
		assert.Equal(t, http.StatusText(status)+"\n", a.body)
	}
}

// validation422 is Polar's 422 for a create that names something Polar
// cannot use, with msg (one of the rules.Msg… constants) at field.
func validation422(field, msg string, input any) polartest.Fault {
	body, err := json.Marshal(map[string]any{
		"error":  "PolarRequestValidationError",
		"detail": []map[string]any{{"type": "value_error", "loc": []string{"body", field}, "msg": msg, "input": input}},
	})
	if err != nil {
		panic(err)
	}
	return polartest.Status(http.StatusUnprocessableEntity).WithBody(body)
}

// Organizations with the member model get member sessions, older ones
// customer sessions: the handler treats both alike.
func TestRedirect(t *testing.T) {
	for _, members := range []bool{true, false} {
		t.Run(fmt.Sprintf("members=%t", members), func(t *testing.T) {
			e := setup(t, portal.Config{}, withServer(polartest.WithMemberModel(members)))
			e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})

			for _, method := range []string{http.MethodGet, http.MethodPost} {
				a := e.visit(t, method, hdrUser, "usr_1337")
				assert.Equal(t, http.StatusSeeOther, a.status, method)
				assertSecureHeaders(t, a)
				assert.True(t, strings.HasPrefix(a.location(), portalPrefix), a.location())
				assert.Contains(t, a.location(), "email=jane%40example.com")
				assert.Empty(t, a.body, "the URL is in Location only")
			}
			creates := e.creates()
			require.Len(t, creates, 2, "without Reuse, every visit creates a session")
			assert.JSONEq(t, `{"external_customer_id": "usr_1337", "return_url": "https://example.com/account"}`, string(creates[0].Body))
			assert.Empty(t, e.failureLines(t))
		})
	}
}

func TestJSON(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", "application/json")
	require.Equal(t, http.StatusOK, a.status, a.body)
	assertSecureHeaders(t, a)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.Empty(t, a.location())
	var got map[string]string
	require.NoError(t, json.Unmarshal([]byte(a.body), &got))
	assert.Len(t, got, 2, "exactly url and expires_at: %s", a.body)
	assert.True(t, strings.HasPrefix(got["url"], portalPrefix), got["url"])
	assert.Equal(t, "2026-11-21T11:00:00Z", got["expires_at"])
	assert.NotContains(t, a.body, `\u0026`, "the URL is written as is")
}

// Only a request that names application/json gets JSON: browsers navigating
// (whose Accept ends in */*) get the redirect.
func TestAcceptNegotiation(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	for accept, want := range map[string]int{
		"": http.StatusSeeOther,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": http.StatusSeeOther,
		"*/*":                          http.StatusSeeOther,
		"application/*":                http.StatusSeeOther,
		"application/json;q=0":         http.StatusSeeOther,
		"application/json; q=0.000":    http.StatusSeeOther,
		"application/json":             http.StatusOK,
		"Application/JSON":             http.StatusOK,
		"text/plain, application/json": http.StatusOK,
		"application/json;q=0.5":       http.StatusOK,
	} {
		a := e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", accept)
		assert.Equal(t, want, a.status, "Accept: %s", accept)
	}
}

func TestNoCustomerSendsNothing(t *testing.T) {
	e := setup(t, portal.Config{})
	assertError(t, e.visit(t, http.MethodGet), false, http.StatusUnauthorized, "unauthorized")
	assertError(t, e.visit(t, http.MethodPost, "Accept", "application/json"), true, http.StatusUnauthorized, "unauthorized")
	assert.Empty(t, e.srv.Requests(), "nothing reaches Polar")

	lines := e.logLines(t)
	require.Len(t, lines, 2)
	assert.Equal(t, "DEBUG", lines[0]["level"], "an anonymous visit is not a failure worth a warning")
	assert.Equal(t, "no_customer", lines[0]["cause"])
}

// A wrapped ErrNoCustomer is still ErrNoCustomer.
func TestNoCustomerWrapped(t *testing.T) {
	e := setup(t, portal.Config{Customer: func(*http.Request) (client.CreateCustomerSessionRequest, error) {
		return client.CreateCustomerSessionRequest{}, fmt.Errorf("session expired: %w", portal.ErrNoCustomer)
	}})
	assertError(t, e.visit(t, http.MethodGet), false, http.StatusUnauthorized, "unauthorized")
	assert.Empty(t, e.srv.Requests())
}

func TestCustomerFuncFails(t *testing.T) {
	e := setup(t, portal.Config{})
	a := e.visit(t, http.MethodGet, hdrCustomerFailed, "yes", "Accept", "application/json")
	assertError(t, a, true, http.StatusInternalServerError, "internal_error")
	assert.NotContains(t, a.body, "session store")
	assert.Empty(t, e.srv.Requests())

	lines := e.failureLines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "ERROR", lines[0]["level"])
	assert.Equal(t, "customer_func", lines[0]["cause"])
	assert.Equal(t, "session store unavailable", lines[0]["err"], "the application's own error is logged as returned")
}

// A request the client refuses before sending is the Customer func's
// mistake: 500, nothing sent, and the log says what was wrong.
func TestMalformedRequestIsTheApplicationsMistake(t *testing.T) {
	e := setup(t, portal.Config{})
	for _, headers := range [][]string{
		{hdrUser, "usr_1337", hdrCustomerID, "992fae2a-2a17-4b7a-8d9e-e287cf90131b"}, // both IDs
		{hdrCustomerID, "not-a-uuid"},
		{hdrUser, "usr_1337", hdrMemberID, "not-a-uuid"},
	} {
		assertError(t, e.visit(t, http.MethodGet, headers...), false, http.StatusInternalServerError, "internal_error")
	}
	assert.Empty(t, e.srv.Requests())
	lines := e.failureLines(t)
	require.Len(t, lines, 3, "each failure is logged once")
	for _, l := range lines {
		assert.Equal(t, "ERROR", l["level"])
		assert.Equal(t, "invalid_request", l["cause"])
		assert.Contains(t, l["msg"], "Config.Customer returned a request the client refused")
	}
}

func TestUnknownCustomer(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	a := e.visit(t, http.MethodGet, hdrUser, "usr_nobody")
	assertError(t, a, false, http.StatusNotFound, "not_found")
	a = e.visit(t, http.MethodGet, hdrCustomerID, "3f2e1d0c-9b8a-4765-8432-10fedcba9876", "Accept", "application/json")
	assertError(t, a, true, http.StatusNotFound, "not_found")

	lines := e.failureLines(t)
	require.Len(t, lines, 2)
	assert.Equal(t, "unknown_customer", lines[0]["cause"])
	assert.Equal(t, "usr_nobody", lines[0]["external_customer_id"], "the application's own ID is logged")
	assert.EqualValues(t, 422, lines[0]["polar_status"])
	assert.Equal(t, "3f2e1d0c-9b8a-4765-8432-10fedcba9876", lines[1]["customer_id"])
}

func TestUnknownMember(t *testing.T) {
	e := setup(t, portal.Config{})
	team := e.srv.AddCustomer(polartest.Customer{ExternalID: "acme", Type: polartest.CustomerTeam})
	e.srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mbr_jane", Email: "jane@acme.example"})
	other := e.srv.AddCustomer(polartest.Customer{ExternalID: "globex", Type: polartest.CustomerTeam})
	stranger := e.srv.AddMember(polartest.Member{CustomerID: other.ID, ExternalID: "mbr_hank"})

	a := e.visit(t, http.MethodGet, hdrUser, "acme", hdrMember, "mbr_nobody", "Accept", "application/json")
	assertError(t, a, true, http.StatusNotFound, "not_found")
	// A member of another customer is no member of this one.
	a = e.visit(t, http.MethodGet, hdrUser, "acme", hdrMemberID, stranger.ID)
	assertError(t, a, false, http.StatusNotFound, "not_found")
	assert.Len(t, e.creates(), 2)

	lines := e.failureLines(t)
	require.Len(t, lines, 2)
	assert.Equal(t, "unknown_member", lines[0]["cause"])
	assert.Equal(t, "mbr_nobody", lines[0]["external_member_id"])
	assert.Equal(t, "unknown_member", lines[1]["cause"])
	assert.Equal(t, stranger.ID, lines[1]["member_id"])
}

// A team customer without a member is the Customer func's mistake.
func TestMemberRequired(t *testing.T) {
	e := setup(t, portal.Config{})
	team := e.srv.AddCustomer(polartest.Customer{ExternalID: "acme", Type: polartest.CustomerTeam})
	e.srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mbr_jane"})

	a := e.visit(t, http.MethodGet, hdrUser, "acme")
	assertError(t, a, false, http.StatusInternalServerError, "internal_error")
	assert.NotContains(t, a.body, "member")
	lines := e.failureLines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "ERROR", lines[0]["level"])
	assert.Equal(t, "member_required", lines[0]["cause"])
	assert.Contains(t, lines[0]["msg"], "Config.Customer must set MemberID or ExternalMemberID")
}

// Any other 422 is a failure between the application and Polar: 502.
func TestOtherValidationError(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.Script(polartest.RouteCreate, validation422("return_url", "URL scheme should be 'http' or 'https'", "ftp://x"))
	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	assertError(t, a, false, http.StatusBadGateway, "bad_gateway")
	assert.NotContains(t, a.body, "scheme")
	lines := e.failureLines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "polar_refused", lines[0]["cause"])
}

// The member the Customer func names is the member Polar gets, by ID or by
// external ID: the portal URL carries that member's email.
func TestMemberIDsPassedThrough(t *testing.T) {
	e := setup(t, portal.Config{})
	team := e.srv.AddCustomer(polartest.Customer{ExternalID: "acme", Type: polartest.CustomerTeam})
	jane := e.srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mbr_jane", Email: "jane@acme.example"})
	hank := e.srv.AddMember(polartest.Member{CustomerID: team.ID, Email: "hank@acme.example"})

	a := e.visit(t, http.MethodGet, hdrUser, "acme", hdrMember, jane.ExternalID)
	assert.Equal(t, http.StatusSeeOther, a.status, a.body)
	assert.Contains(t, a.location(), "email=jane%40acme.example")
	a = e.visit(t, http.MethodGet, hdrCustomerID, team.ID, hdrMemberID, hank.ID, hdrSection, "team")
	assert.Equal(t, http.StatusSeeOther, a.status, a.body)
	assert.Contains(t, a.location(), "email=hank%40acme.example")

	creates := e.creates()
	require.Len(t, creates, 2)
	assert.JSONEq(t, `{"external_customer_id": "acme", "external_member_id": "mbr_jane", "return_url": "https://example.com/account"}`,
		string(creates[0].Body))
	assert.JSONEq(t, fmt.Sprintf(`{"customer_id": %q, "member_id": %q, "return_url": "https://example.com/team"}`, team.ID, hank.ID),
		string(creates[1].Body))
}

func TestRateLimited(t *testing.T) {
	// Without the client's cooldown, so that every case reaches Polar.
	e := setup(t, portal.Config{}, withClient(client.WithCooldown(false)))
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	for _, tc := range []struct {
		fault polartest.Fault
		want  string
	}{
		{polartest.RateLimited(90 * time.Second), "90"},
		{polartest.RateLimited(1500 * time.Millisecond), "2"},
		{polartest.Status(http.StatusTooManyRequests), "1"}, // no Retry-After: at least 1
		{polartest.RateLimited(0), "1"},
	} {
		e.srv.Script(polartest.RouteCreate, tc.fault)
		a := e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", "application/json")
		assertError(t, a, true, http.StatusServiceUnavailable, "unavailable")
		assert.Equal(t, tc.want, a.header.Get("Retry-After"))
	}
	for _, l := range e.failureLines(t) {
		assert.Equal(t, "rate_limited", l["cause"])
		assert.Equal(t, "WARN", l["level"])
	}
}

// After a 429, the client's cooldown holds back the next creates with the
// same token: they are answered 503 with the time left, and never reach
// Polar.
func TestRateLimitedCooldown(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1338"})
	e.srv.Script(polartest.RouteCreate, polartest.RateLimited(90*time.Second))

	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	assertError(t, a, false, http.StatusServiceUnavailable, "unavailable")
	assert.Equal(t, "90", a.header.Get("Retry-After"))
	a = e.visit(t, http.MethodGet, hdrUser, "usr_1338", "Accept", "application/json")
	assertError(t, a, true, http.StatusServiceUnavailable, "unavailable")
	retryAfter, err := strconv.Atoi(a.header.Get("Retry-After"))
	require.NoError(t, err)
	assert.InDelta(t, 90, retryAfter, 5, "the time left of Polar's Retry-After")
	assert.Len(t, e.creates(), 1, "the second visit did not reach Polar")
}

// With the client's retries on, a short rate limit is waited out, a long
// one is answered at once.
func TestRateLimitedWithRetries(t *testing.T) {
	e := setup(t, portal.Config{}, withRetry(client.DefaultRetryPolicy()))
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	e.srv.Script(polartest.RouteCreate, polartest.RateLimited(0))
	assert.Equal(t, http.StatusSeeOther, e.visit(t, http.MethodGet, hdrUser, "usr_1337").status)

	e.srv.Script(polartest.RouteCreate, polartest.RateLimited(time.Minute))
	start := time.Now()
	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Equal(t, "60", a.header.Get("Retry-After"))
	assert.Less(t, time.Since(start), 5*time.Second, "a long Retry-After is not waited for")
}

func TestPolarFailures(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	for name, fault := range map[string]polartest.Fault{
		"500":       polartest.Status(http.StatusInternalServerError),
		"502":       polartest.Status(http.StatusBadGateway),
		"503":       polartest.Status(http.StatusServiceUnavailable),
		"504":       polartest.Status(http.StatusGatewayTimeout),
		"401":       polartest.Status(http.StatusUnauthorized),
		"403":       polartest.Status(http.StatusForbidden),
		"404":       polartest.Status(http.StatusNotFound),
		"reset":     polartest.Reset(),
		"truncated": polartest.Truncated(),
		"malformed": polartest.Malformed(),
	} {
		e.srv.Script(polartest.RouteCreate, fault)
		asJSON := len(name)%2 == 0
		headers := []string{hdrUser, "usr_1337"}
		if asJSON {
			headers = append(headers, "Accept", "application/json")
		}
		assertError(t, e.visit(t, http.MethodPost, headers...), asJSON, http.StatusBadGateway, "bad_gateway")
	}
	lines := e.failureLines(t)
	require.Len(t, lines, 10, "each failure is logged once")
	levels := map[string]int{}
	for _, l := range lines {
		levels[fmt.Sprint(l["level"])]++
		if l["polar_status"] == 401.0 || l["polar_status"] == 403.0 {
			assert.Equal(t, "ERROR", l["level"], "a refused access token needs fixing")
			assert.Contains(t, l["msg"], "Polar refused the client's access token")
		}
	}
	assert.Equal(t, map[string]int{"ERROR": 2, "WARN": 8}, levels)
}

func TestMethodNotAllowed(t *testing.T) {
	e := setup(t, portal.Config{})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	for _, method := range []string{http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		a := e.visit(t, method, hdrUser, "usr_1337")
		assert.Equal(t, http.StatusMethodNotAllowed, a.status, method)
		assert.Equal(t, "GET, POST", a.header.Get("Allow"), method)
		assertSecureHeaders(t, a)
	}
	assertError(t, e.visit(t, http.MethodPut, hdrUser, "usr_1337", "Accept", "application/json"),
		true, http.StatusMethodNotAllowed, "method_not_allowed")
	assert.Empty(t, e.srv.Requests())
}

// A deadline set in front of the handler (http.TimeoutHandler, a
// middleware) ends the visit with 504, whatever Polar is doing.
func TestVisitDeadline(t *testing.T) {
	e := setup(t, portal.Config{}, withMiddleware(func(h http.Handler) http.Handler {
		return withDeadline(h, 50*time.Millisecond)
	}))
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	e.srv.Script(polartest.RouteCreate, polartest.Delay(5*time.Second))

	start := time.Now()
	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", "application/json")
	assertError(t, a, true, http.StatusGatewayTimeout, "gateway_timeout")
	assert.Less(t, time.Since(start), 2*time.Second)
}

// withDeadline gives each request a deadline d away.
func withDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

func TestNewRefusesBadConfig(t *testing.T) {
	polar, err := client.New(client.WithAccessToken("polar_oat_testTOKEN0123456789abcdefghijklmnopqrstu"))
	require.NoError(t, err)
	ok := func(*http.Request) (client.CreateCustomerSessionRequest, error) {
		return client.CreateCustomerSessionRequest{}, portal.ErrNoCustomer
	}
	for want, cfg := range map[string]portal.Config{
		"Config.Client is required":       {Customer: ok},
		"Config.Customer is required":     {Client: polar},
		"Config.Reuse is negative":        {Client: polar, Customer: ok, Reuse: -time.Second},
		"must be less than a session's":   {Client: polar, Customer: ok, Reuse: time.Hour},
		"must be an absolute http(s) URL": {Client: polar, Customer: ok, ReturnURL: "/account"},
		"Config.ReturnURL":                {Client: polar, Customer: ok, ReturnURL: "javascript:alert(1)"},
	} {
		h, err := portal.New(cfg)
		assert.Nil(t, h, want)
		assert.ErrorContains(t, err, want)
	}
	h, err := portal.New(portal.Config{Client: polar, Customer: ok, Reuse: 59 * time.Minute, ReturnURL: "https://example.com/a b"})
	assert.NoError(t, err)
	assert.NotNil(t, h)
}
