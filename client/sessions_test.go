package client_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

func createdOK(w http.ResponseWriter, _ *http.Request) {
	respond(w, http.StatusCreated, fixtures.CustomerSessionIndividual())
}

// TestCreateWire pins exactly what Create puts on the wire.
func TestCreateWire(t *testing.T) {
	tests := []struct {
		name string
		req  client.CreateCustomerSessionRequest
		want string
	}{
		{"customer id", client.CreateCustomerSessionRequest{CustomerID: testCustomerID},
			`{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b"}`},
		{"customer id, member id, return url", client.CreateCustomerSessionRequest{
			CustomerID: testCustomerID, MemberID: testMemberID, ReturnURL: "https://example.com/account"},
			`{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","member_id":"3f2e1d0c-9b8a-4765-8432-10fedcba9876","return_url":"https://example.com/account"}`},
		{"external customer id", client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"},
			`{"external_customer_id":"usr_1337"}`},
		{"external ids and return url", client.CreateCustomerSessionRequest{
			ExternalCustomerID: "usr_1337", ExternalMemberID: "mem_7", ReturnURL: "http://localhost:3000/back"},
			`{"external_customer_id":"usr_1337","external_member_id":"mem_7","return_url":"http://localhost:3000/back"}`},
		// Forms Polar accepts go out canonical; a return URL that is not a
		// valid URI goes out percent-encoded, as Polar would store it.
		{"uuids in other forms", client.CreateCustomerSessionRequest{
			CustomerID: "992FAE2A2A174B7A8D9EE287CF90131B", MemberID: "urn:uuid:3f2e1d0c-9b8a-4765-8432-10fedcba9876"},
			`{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","member_id":"3f2e1d0c-9b8a-4765-8432-10fedcba9876"}`},
		{"return url with a space and non-ASCII", client.CreateCustomerSessionRequest{
			CustomerID: testCustomerID, ReturnURL: "https://example.com/café menu?q={x}"},
			`{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","return_url":"https://example.com/caf%C3%A9%20menu?q=%7Bx%7D"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.Mux.HandleFunc("POST "+createPath, createdOK)
			c := newClient(t, ts)

			_, err := c.CustomerSessions.Create(context.Background(), tt.req)
			require.NoError(t, err)

			reqs := ts.Requests()
			require.Len(t, reqs, 1)
			got := reqs[0]
			assert.Equal(t, http.MethodPost, got.Method)
			assert.Equal(t, createPath, got.Path)
			assert.Equal(t, tt.want, string(got.Body))
			assert.Equal(t, http.Header{
				"Authorization":   {"Bearer " + testAccessToken},
				"Accept":          {"application/json"},
				"Content-Type":    {"application/json"},
				"Polar-Version":   {client.DefaultAPIVersion},
				"User-Agent":      {"polarsessions-go/" + client.Version + " (" + runtime.Version() + ")"},
				"Content-Length":  {strconv.Itoa(len(tt.want))},
				"Accept-Encoding": {"gzip"}, // added by net/http's transport
			}, got.Header)
		})
	}
}

func TestCreateDecodesSession(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(
		createdOK,
		func(w http.ResponseWriter, _ *http.Request) { respond(w, 201, fixtures.CustomerSessionTeam()) },
	))
	c := newClient(t, ts)

	s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	assert.Equal(t, "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW", s.Token.Reveal())
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 123456000, time.UTC), s.ExpiresAt)
	assert.Contains(t, s.CustomerPortalURL.Reveal(), "customer_session_token="+s.Token.Reveal())
	assert.Equal(t, client.CustomerTypeIndividual, s.CustomerType())
	ind, ok := s.Individual()
	require.True(t, ok)
	assert.Equal(t, "jane@example.com", ind.Email)
	_, ok = s.Team()
	assert.False(t, ok)

	s, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "acme"})
	require.NoError(t, err)
	assert.Equal(t, client.CustomerTypeTeam, s.CustomerType())
	team, ok := s.Team()
	require.True(t, ok)
	assert.Equal(t, "Acme Robotics", *team.Name)
	assert.Equal(t, []string{"DE123456789", "eu_vat"}, *team.TaxID)
	_, ok = s.Individual()
	assert.False(t, ok)
}

// A customer type Polar may add later decodes, and is reported, not refused.
func TestCreateToleratesUnknownCustomerType(t *testing.T) {
	body := strings.Replace(string(fixtures.CustomerSessionIndividual()), `"type": "individual"`, `"type": "household"`, 1)
	require.Contains(t, body, `"household"`)
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, status(201, body))
	c := newClient(t, ts)

	s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	assert.Equal(t, "household", s.CustomerType())
	_, ok := s.Individual()
	assert.False(t, ok)
	_, ok = s.Team()
	assert.False(t, ok)
}

func TestCreateRefusesBadInputBeforeSending(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 2084-len("https://example.com/"))
	tests := []struct {
		name  string
		req   client.CreateCustomerSessionRequest
		field string
		msg   string
	}{
		{"no customer", client.CreateCustomerSessionRequest{}, "customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID)"},
		{"both customers", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ExternalCustomerID: "x"}, "customer_id", "not both"},
		{"both members", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, MemberID: testMemberID, ExternalMemberID: "m"}, "member_id", "not both"},
		{"customer id not a uuid", client.CreateCustomerSessionRequest{CustomerID: "cus_123"}, "customer_id", "must be a UUID"},
		{"customer id in parentheses", client.CreateCustomerSessionRequest{CustomerID: "(" + testCustomerID + ")"}, "customer_id", "must be a UUID"},
		{"customer id bad hex", client.CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131g"}, "customer_id", "must be a UUID"},
		{"member id not a uuid", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, MemberID: "mem"}, "member_id", "must be a UUID"},
		{"blank external id", client.CreateCustomerSessionRequest{ExternalCustomerID: "  "}, "external_customer_id", "is blank"},
		{"blank external member", client.CreateCustomerSessionRequest{ExternalCustomerID: "x", ExternalMemberID: "\t"}, "external_member_id", "is blank"},
		{"relative return url", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "/account"}, "return_url", "absolute http(s)"},
		{"javascript return url", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "javascript:alert(1)"}, "return_url", "absolute http(s)"},
		{"ftp return url", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "ftp://example.com/x"}, "return_url", "absolute http(s)"},
		{"long return url", client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: long}, "return_url", "is 2084 bytes; Polar accepts at most 2083 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			c := newClient(t, ts)
			s, err := c.CustomerSessions.Create(context.Background(), tt.req)
			assert.Nil(t, s)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			var inErr *client.InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, tt.field, inErr.Field)
			assert.Contains(t, err.Error(), tt.msg)
			assert.Empty(t, ts.Requests(), "nothing may be sent")
		})
	}
}

func TestCreateAccessToken(t *testing.T) {
	t.Run("per-call token overrides the client's", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, createdOK)
		c := newClient(t, ts)
		other := "polar_oat_OTHERorgTOKEN"

		ctx := context.Background()
		req := client.CreateCustomerSessionRequest{CustomerID: testCustomerID}
		_, err := c.CustomerSessions.Create(ctx, req, client.WithAccessToken(other))
		require.NoError(t, err)
		_, err = c.CustomerSessions.Create(ctx, req)
		require.NoError(t, err)

		reqs := ts.Requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, "Bearer "+other, reqs[0].Header.Get("Authorization"))
		assert.Equal(t, "Bearer "+testAccessToken, reqs[1].Header.Get("Authorization"), "a call's options never change the client")
	})

	t.Run("POLAR_ACCESS_TOKEN is the fallback", func(t *testing.T) {
		t.Setenv("POLAR_ACCESS_TOKEN", "polar_oat_FROMenv")
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, createdOK)
		c, err := client.New(client.WithServerURL(ts.BaseURL()))
		require.NoError(t, err)
		_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.NoError(t, err)
		assert.Equal(t, "Bearer polar_oat_FROMenv", ts.Requests()[0].Header.Get("Authorization"))

		c, err = client.New(client.WithServerURL(ts.BaseURL()), client.WithAccessToken(testAccessToken))
		require.NoError(t, err)
		_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		require.NoError(t, err)
		assert.Equal(t, "Bearer "+testAccessToken, ts.Requests()[1].Header.Get("Authorization"), "an option beats the environment")
	})

	t.Run("refused tokens", func(t *testing.T) {
		tests := []struct {
			name, envToken string
			opts           []client.Option
			msg            string
		}{
			{"none at all", "", nil, "access token: none set: use WithAccessToken or set POLAR_ACCESS_TOKEN"},
			{"env holds a newline", "polar_oat_abc\n", nil, "POLAR_ACCESS_TOKEN: contains whitespace or control characters"},
			{"env holds a session token", "polar_cst_abc", nil, "POLAR_ACCESS_TOKEN: is a polar_cst_… token"},
			{"per-call empty", "", []client.Option{client.WithAccessToken("")}, "WithAccessToken: is empty"},
			{"per-call session token", "", []client.Option{client.WithAccessToken(testSessionToken)}, "WithAccessToken: is a polar_cst_… token"},
			{"per-call member token", "", []client.Option{client.WithAccessToken("polar_mst_abc")}, "is a polar_mst_… token"},
			{"per-call CRLF", "", []client.Option{client.WithAccessToken("polar_oat_a\r\nX-Evil: 1")}, "whitespace or control"},
			{"per-call inner space", "", []client.Option{client.WithAccessToken("polar_oat_a b")}, "whitespace or control"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Setenv("POLAR_ACCESS_TOKEN", tt.envToken)
				ts := newTestServer(t)
				c, err := client.New(client.WithServerURL(ts.BaseURL()))
				require.NoError(t, err)
				_, err = c.CustomerSessions.Create(context.Background(),
					client.CreateCustomerSessionRequest{CustomerID: testCustomerID}, tt.opts...)
				require.ErrorIs(t, err, client.ErrInvalidRequest)
				assert.Contains(t, err.Error(), tt.msg)
				assert.NotContains(t, err.Error(), "abc", "the token is never quoted")
				assert.Empty(t, ts.Requests())
			})
		}
	})

	t.Run("New refuses a bad WithAccessToken", func(t *testing.T) {
		_, err := client.New(client.WithAccessToken(""))
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		_, err = client.New(client.WithAccessToken(testSessionToken))
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		_, err = client.New(client.WithAccessToken("polar_pat_personal"))
		assert.NoError(t, err, "personal access tokens may create sessions")
		_, err = client.New(client.WithAccessToken("some_future_kind_of_token"))
		assert.NoError(t, err, "unknown prefixes pass")
	})
}

func TestCreateNilContext(t *testing.T) {
	ts := newTestServer(t)
	c := newClient(t, ts)
	var nilCtx context.Context
	_, err := c.CustomerSessions.Create(nilCtx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.ErrorIs(t, err, client.ErrInvalidRequest)
	assert.Contains(t, err.Error(), "ctx: is nil")
	_, err = c.CustomerPortal.CustomerSession.Introspect(nilCtx, testSessionToken)
	require.ErrorIs(t, err, client.ErrInvalidRequest)
	assert.Empty(t, ts.Requests())
}

func TestCreateConcurrentPerCallTokens(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
		// Echo the token's secret into the session ID so each caller can
		// check it got its own request's answer.
		body := strings.Replace(string(fixtures.CustomerSessionIndividual()),
			"5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f", strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer polar_oat_"), 1)
		respond(w, 201, []byte(body))
	})
	c := newClient(t, ts)

	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			tok := "polar_oat_caller" + strconv.Itoa(i)
			s, err := c.CustomerSessions.Create(context.Background(),
				client.CreateCustomerSessionRequest{CustomerID: testCustomerID}, client.WithAccessToken(tok))
			if assert.NoError(t, err) {
				assert.Equal(t, "caller"+strconv.Itoa(i), s.ID)
			}
		})
	}
	wg.Wait()
	assert.Len(t, ts.Requests(), 32)
}

func TestCreateContextErrors(t *testing.T) {
	ts := newTestServer(t)
	release := make(chan struct{})
	ts.Mux.HandleFunc("POST "+createPath, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newClient(t, ts)
	req := client.CreateCustomerSessionRequest{CustomerID: testCustomerID}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.CustomerSessions.Create(ctx, req)
	require.ErrorIs(t, err, context.Canceled)

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.CustomerSessions.Create(ctx, req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var tErr *client.TransportError
	require.ErrorAs(t, err, &tErr)
	assert.Equal(t, "deadline", tErr.Class)
	assert.Equal(t, 1, tErr.Attempts, "an expired context is not retried")

	_, err = c.CustomerSessions.Create(context.Background(), req, client.WithTimeout(50*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded, "WithTimeout bounds the call")
	assert.False(t, errors.Is(err, context.Canceled))
}

// TestBadInputIsRefusedBeforeSending: every row is refused with
// ErrInvalidRequest and a message naming the problem, and polartest sees no
// request at all.
func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	cust := polar.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	ok := client.CreateCustomerSessionRequest{CustomerID: cust.ID}
	create := func(req client.CreateCustomerSessionRequest, opts ...client.Option) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.CustomerSessions.Create(ctx, req, opts...)
			return err
		}
	}
	introspect := func(token string, opts ...client.Option) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.CustomerPortal.CustomerSession.Introspect(ctx, token, opts...)
			return err
		}
	}
	var nilCtx context.Context
	longURL := "https://example.com/" + strings.Repeat("x", 2100)

	tests := []struct {
		name string
		ctx  context.Context
		call func(context.Context) error
		msg  string
	}{
		// Tokens.
		{"empty access token", nil, create(ok, client.WithAccessToken("")), "WithAccessToken: is empty"},
		{"whitespace access token", nil, create(ok, client.WithAccessToken("polar_oat_a b")), "WithAccessToken: contains whitespace"},
		{"blank access token", nil, create(ok, client.WithAccessToken("   ")), "WithAccessToken: contains whitespace"},
		{"CRLF access token", nil, create(ok, client.WithAccessToken("polar_oat_a\r\nX-Injected: 1")), "WithAccessToken: contains whitespace or control characters"},
		{"session token used for create", nil, create(ok, client.WithAccessToken("polar_cst_abc")), "WithAccessToken: is a polar_cst_… token"},
		{"member token used for create", nil, create(ok, client.WithAccessToken("polar_mst_abc")), "is a polar_mst_… token"},
		{"empty session token", nil, introspect(""), "session token: is empty"},
		{"whitespace session token", nil, introspect("polar_cst_a\tb"), "session token: contains whitespace"},
		{"CRLF session token", nil, introspect("polar_cst_a\r\nX-Injected: 1"), "session token: contains whitespace or control characters"},
		{"organization token used for introspect", nil, introspect(polar.AccessToken()), "session token: is a polar_oat_… token"},
		{"personal token used for introspect", nil, introspect("polar_pat_abc"), "session token: is a polar_pat_… token"},
		// Customer and member IDs.
		{"neither customer ID", nil, create(client.CreateCustomerSessionRequest{}), "customer_id: give customer_id (CustomerID) or external_customer_id (ExternalCustomerID)"},
		{"both customer IDs", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ExternalCustomerID: "usr_1"}), "customer_id: give customer_id (CustomerID) or external_customer_id (ExternalCustomerID), not both"},
		{"both member IDs", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: cust.ID, ExternalMemberID: "m"}), "member_id: give member_id (MemberID) or external_member_id (ExternalMemberID), not both"},
		{"malformed customer UUID", nil, create(client.CreateCustomerSessionRequest{CustomerID: "992fae2a2a174b7a8d9ee287cf90131"}), "customer_id: must be a UUID"},
		{"customer UUID of version 1", nil, create(client.CreateCustomerSessionRequest{CustomerID: "a8098c1a-f86e-11da-bd1a-00112444be1e"}), "customer_id: must be a version 4 UUID"},
		{"truncated customer UUID", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID[:35]}), "customer_id: must be a UUID"},
		{"malformed member UUID", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: "member-1"}), "member_id: must be a UUID"},
		// Return URLs.
		{"relative return URL", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "/account"}), "return_url: must be an absolute http(s) URL"},
		{"non-http return URL", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "mailto:jane@example.com"}), "return_url: must be an absolute http(s) URL"},
		{"over-long return URL", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: longURL}), "return_url: is 2120 bytes; Polar accepts at most 2083 bytes"},
		{"return URL over 2083 bytes in fewer characters", nil, create(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: "https://example.com/" + strings.Repeat("é", 1100)}), "return_url: is 6620 bytes once percent-encoded; Polar accepts at most 2083 bytes"},
		// Base URLs.
		{"base URL with a query", nil, create(ok, client.WithServerURL(polar.URL()+"?debug=1")), "server URL: must not contain a query"},
		{"base URL with a fragment", nil, create(ok, client.WithServerURL(polar.URL()+"#x")), "server URL: must not contain a fragment"},
		{"base URL with user info", nil, introspect("polar_cst_abc", client.WithServerURL(strings.Replace(polar.URL(), "http://", "http://user:pw@", 1))), "server URL: must not contain user info"},
		{"plain http to a remote host", nil, create(ok, client.WithServerURL("http://api.polar.sh")), "server URL: http:// is allowed only for loopback hosts"},
		// Contexts and settings.
		{"nil context for create", nilCtx, create(ok), "ctx: is nil"},
		{"nil context for introspect", nilCtx, introspect("polar_cst_abc"), "ctx: is nil"},
		{"negative timeout", nil, create(ok, client.WithTimeout(-time.Second)), "WithTimeout: is negative"},
		{"negative attempts", nil, create(ok, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: -1})), "MaxAttempts is negative"},
		{"negative backoff", nil, introspect("polar_cst_abc", client.WithRetryPolicy(client.RetryPolicy{InitialInterval: -time.Millisecond})), "InitialInterval is negative"},
		{"negative cap", nil, create(ok, client.WithRetryPolicy(client.RetryPolicy{MaxInterval: -time.Second})), "MaxInterval is negative"},
		{"shrinking multiplier", nil, create(ok, client.WithRetryPolicy(client.RetryPolicy{Multiplier: 0.5})), "Multiplier must be at least 1"},
		{"nil middleware", nil, create(ok, client.WithMiddleware(nil)), "WithMiddleware: middleware 1 of 1 is nil"},
		{"nil pointer rate limiter", nil, create(ok, client.WithRateLimiter((*refusingLimiter)(nil))), "WithRateLimiter: is a nil pointer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil && !strings.HasPrefix(tt.name, "nil context") {
				ctx = context.Background()
			}
			err := tt.call(ctx)
			require.ErrorIs(t, err, client.ErrInvalidRequest)
			assert.Contains(t, err.Error(), tt.msg)
			assert.NotContains(t, err.Error(), polar.AccessToken())
		})
	}
	assert.Empty(t, polar.Requests(), "no bad input may reach the server")

	// The same client still works: nothing above changed it.
	_, err = c.CustomerSessions.Create(context.Background(), ok)
	require.NoError(t, err)
}

// Decoding tests: real Polar bodies must decode into the generated models
// the client returns (through its aliases) without loss. They guard the
// spec rewrites in internal/trimspec: number-as-double and
// string-tuple-items.

func TestDecodeCustomerSessionIndividual(t *testing.T) {
	var s gen.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionIndividual(), &s))

	assert.Equal(t, "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f", s.ID)
	assert.Equal(t, "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW", s.Token.Reveal())
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 123456000, time.UTC), s.ExpiresAt)
	assert.Nil(t, s.ModifiedAt)
	require.NotNil(t, s.ReturnURL)
	assert.Equal(t, "https://example.com/account", *s.ReturnURL)
	assert.Equal(t, "992fae2a-2a17-4b7a-8d9e-e287cf90131b", s.CustomerID)

	kind, err := s.Customer.Discriminator()
	require.NoError(t, err)
	assert.Equal(t, "individual", kind)
	c, err := s.Customer.AsCustomerIndividual()
	require.NoError(t, err)
	assert.Equal(t, gen.CustomerIndividualType("individual"), c.Type)
	assert.Equal(t, "jane@example.com", c.Email)
	assert.True(t, c.EmailVerified)
	require.NotNil(t, c.ExternalID)
	assert.Equal(t, "usr_1337", *c.ExternalID)
	require.NotNil(t, c.ModifiedAt)
	assert.Equal(t, time.Date(2026, 10, 2, 16, 45, 12, 500000000, time.UTC), *c.ModifiedAt)
	assert.Nil(t, c.BillingAddress)
	assert.Nil(t, c.TaxID)
	assert.Empty(t, c.Metadata)
	require.NotNil(t, c.Locale)
	assert.Equal(t, "en", *c.Locale)
}

func TestDecodeCustomerSessionTeam(t *testing.T) {
	var s gen.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionTeam(), &s))
	assert.Nil(t, s.ReturnURL)

	v, err := s.Customer.ValueByDiscriminator()
	require.NoError(t, err)
	c, ok := v.(gen.CustomerTeam)
	require.True(t, ok, "discriminator must select CustomerTeam, got %T", v)

	assert.Equal(t, gen.CustomerTeamType("team"), c.Type)
	assert.Nil(t, c.Email, "a team's email is nullable")
	assert.Nil(t, c.ExternalID)
	require.NotNil(t, c.BillingAddress)
	assert.Equal(t, gen.AddressCountry("DE"), c.BillingAddress.Country)
	assert.True(t, c.BillingAddress.Country.Valid())
	assert.Equal(t, "Hauptstraße 1", *c.BillingAddress.Line1)
	assert.Nil(t, c.BillingAddress.Line2)
	assert.Equal(t, "Berlin", *c.BillingAddress.City)

	require.NotNil(t, c.TaxID)
	assert.Equal(t, []string{"DE123456789", "eu_vat"}, *c.TaxID)
	assert.True(t, gen.TaxIDFormat((*c.TaxID)[1]).Valid())

	require.Len(t, c.Metadata, 4)
	plan, err := c.Metadata["plan"].AsMetadataOutputType0()
	require.NoError(t, err)
	assert.Equal(t, "enterprise", plan)
	seats, err := c.Metadata["seats"].AsMetadataOutputType1()
	require.NoError(t, err)
	assert.Equal(t, 42, seats)
	discount, err := c.Metadata["discount"].AsMetadataOutputType2()
	require.NoError(t, err)
	assert.Equal(t, 0.125, discount)
	trial, err := c.Metadata["trial"].AsMetadataOutputType3()
	require.NoError(t, err)
	assert.False(t, trial)

	require.NotNil(t, c.DefaultPaymentMethodID)
	require.NotNil(t, c.FirstUserEventAt)
}

func TestDecodeMetadataFloatKeepsDoublePrecision(t *testing.T) {
	var m gen.MetadataOutputType
	require.NoError(t, json.Unmarshal([]byte(`{"pi":3.141592653589793}`), &m))
	pi, err := m["pi"].AsMetadataOutputType2()
	require.NoError(t, err)
	assert.Equal(t, 3.141592653589793, pi, "number-as-double rewrite: float32 would round this")
}

func TestDecodeCustomerCustomerSession(t *testing.T) {
	var s gen.CustomerCustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerCustomerSession(), &s))
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 0, time.UTC), s.ExpiresAt)
	require.NotNil(t, s.ReturnURL)
	assert.Equal(t, "https://example.com/account", *s.ReturnURL)

	var none gen.CustomerCustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerCustomerSessionNoReturnURL(), &none))
	assert.Equal(t, s.ExpiresAt, none.ExpiresAt)
	assert.Nil(t, none.ReturnURL)
}

func TestDecodeHTTPValidationError(t *testing.T) {
	// Polar's real 422 has an extra "error" key beside the spec's "detail".
	body := `{"error":"PolarRequestValidationError","detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"992fae2a-2a17-4b7a-8d9e-e287cf90131b"},{"loc":["body",0],"msg":"Field required","type":"missing"}]}`
	var e gen.HTTPValidationError
	require.NoError(t, json.Unmarshal([]byte(body), &e))
	require.NotNil(t, e.Detail)
	require.Len(t, *e.Detail, 2)

	first := (*e.Detail)[0]
	assert.Equal(t, "Customer does not exist.", first.Msg)
	assert.Equal(t, "value_error", first.Type)
	assert.Equal(t, "992fae2a-2a17-4b7a-8d9e-e287cf90131b", first.Input)
	loc1, err := first.Loc[1].AsValidationErrorLoc0()
	require.NoError(t, err)
	assert.Equal(t, "customer_id", loc1)

	idx, err := (*e.Detail)[1].Loc[1].AsValidationErrorLoc1()
	require.NoError(t, err)
	assert.Equal(t, 0, idx)
}

// TestClientAndPolartestAgree: for each ID and return URL, the client
// refuses the request before sending exactly when polartest, which answers
// as Polar does, refuses what the client would send with a 422. Both apply
// the rules package; this test fails if either grows its own copy of a rule.
func TestClientAndPolartestAgree(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	cust := polar.AddCustomer(polartest.Customer{})
	member := polar.AddMember(polartest.Member{CustomerID: cust.ID, ExternalID: "mem_1"})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	simple := strings.ReplaceAll(cust.ID, "-", "")
	ids := []string{
		cust.ID, strings.ToUpper(cust.ID), simple, "urn:uuid:" + cust.ID, "urn:uuid:" + simple,
		"a8098c1a-f86e-11da-bd1a-00112444be1e", // version 1
		cust.ID[:35], cust.ID + "0", "{" + cust.ID + "}", "cus_123", " " + cust.ID, simple[:31] + "g",
	}
	base := "https://example.com/"
	urls := []string{
		"", "https://example.com/account", "http://localhost:3000/back?x=1#top",
		"https://example.com/a b", "https://example.com/café", "https://example.com/?q={x}|y", "https://example.com/100%",
		base + strings.Repeat("a", rules.MaxReturnURLBytes-len(base)),   // exactly the limit
		base + strings.Repeat("a", rules.MaxReturnURLBytes-len(base)+1), // one byte over
		base + strings.Repeat("é", 1100),                                // few characters, many bytes
		base + strings.Repeat(" ", 30) + strings.Repeat("a", 2040),      // over only once encoded
		"/account", "myapp://account", "mailto:jane@example.com", "https:///account", "https://", "https:example.com/a",
		"https://1.2.3.999/account", "https://example.123/", "https://exa%mple.com/", "https://ex%41mple.com/support",
		" https://example.com/account ", "https://example.com\\a\\b", "https://[::1/",
		"https://example.com:70000/", "https://exa mple.com/", "https://example.com:x/",
	}
	check := func(req client.CreateCustomerSessionRequest) {
		_, err := c.CustomerSessions.Create(context.Background(), req)
		refused := errors.Is(err, client.ErrInvalidRequest)
		if !refused {
			require.NoError(t, err, "%+v", req)
		}
		body := map[string]string{"customer_id": req.CustomerID}
		for k, v := range map[string]string{"member_id": req.MemberID, "external_member_id": req.ExternalMemberID,
			"return_url": rules.EncodeReturnURL(req.ReturnURL)} { // what the client sends
			if v != "" {
				body[k] = v
			}
		}
		status := rawCreate(t, polar, body)
		assert.Equal(t, refused, status == http.StatusUnprocessableEntity,
			"%.200q: client refused: %v; polartest answered %d", fmt.Sprintf("%+v", req), err, status)
	}
	for _, id := range ids {
		check(client.CreateCustomerSessionRequest{CustomerID: id})
	}
	for _, u := range urls {
		check(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ReturnURL: u})
	}
	// Member IDs, in every form, of the customer's own member.
	memberSimple := strings.ReplaceAll(member.ID, "-", "")
	for _, id := range []string{member.ID, strings.ToUpper(member.ID), memberSimple, "{" + member.ID + "}", "urn:uuid:" + member.ID,
		"urn:uuid:" + memberSimple, member.ID[:35], "mem_1", "a8098c1a-f86e-11da-bd1a-00112444be1e"} {
		check(client.CreateCustomerSessionRequest{CustomerID: cust.ID, MemberID: id})
	}
	for _, ext := range []string{"mem_1", " ", "\t"} {
		check(client.CreateCustomerSessionRequest{CustomerID: cust.ID, ExternalMemberID: ext})
	}

	// The one deliberate difference: given both member fields, Polar uses
	// member_id and ignores external_member_id; the client refuses the
	// ambiguous pair rather than send a field Polar would drop.
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{
		CustomerID: cust.ID, MemberID: member.ID, ExternalMemberID: "mem_other"})
	require.ErrorIs(t, err, client.ErrInvalidRequest)
	assert.Equal(t, http.StatusCreated, rawCreate(t, polar, map[string]string{
		"customer_id": cust.ID, "member_id": member.ID, "external_member_id": "mem_other"}))
}

// rawCreate posts body to polartest as any HTTP client could, and returns
// the status.
func rawCreate(t *testing.T, polar *polartest.Server, body map[string]string) int {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, polar.URL()+"/v1/customer-sessions/", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+polar.AccessToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := polar.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func FuzzDecodeCustomerSession(f *testing.F) {
	f.Add(fixtures.CustomerSessionIndividual())
	f.Add(fixtures.CustomerSessionTeam())
	f.Add([]byte(`{"customer":{"type":"household"}}`))
	f.Add([]byte(`{"customer":null,"expires_at":"not a time"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, cannedDoer{status: 201, body: body})
		s, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b"})
		checkOutcome(t, s, err)
		if s != nil {
			customer, _ := s.Customer.MarshalJSON()
			if s.Token.Reveal() == "" || s.CustomerPortalURL.Reveal() == "" || s.CustomerID == "" || s.ExpiresAt.IsZero() || !bytes.HasPrefix(customer, []byte("{")) {
				t.Fatalf("incomplete session accepted: %s", body)
			}
			// The union helpers and redacting printers must cope with anything.
			_, _ = s.Individual()
			_, _ = s.Team()
			_ = s.String()
			_ = s.LogValue().Resolve()
		}
	})
}

// Whatever the request, Create either refuses it before sending, with an
// *InputError, or sends exactly its set fields: IDs canonical, the return
// URL percent-encoded, by the rules Polar applies, everything else as given.
func FuzzRequestValidation(f *testing.F) {
	f.Add("992fae2a-2a17-4b7a-8d9e-e287cf90131b", "", "", "", "https://example.com/account")
	f.Add("", "usr_1337", "", "mem_7", "")
	f.Add("", "usr\u2028", "3f2e1d0c-9b8a-4765-8432-10fedcba9876", "", "http://[::1]:80/x?y=<z>")
	f.Add("x", "y", "z", "w", "javascript:alert(1)")
	f.Add("", "a\x00b", "", "", "")
	f.Fuzz(func(t *testing.T, customerID, externalCustomerID, memberID, externalMemberID, returnURL string) {
		var sent []byte
		doer := doerFunc(func(r *http.Request) (*http.Response, error) {
			sent, _ = io.ReadAll(r.Body)
			return cannedDoer{status: 201, body: fixtures.CustomerSessionIndividual()}.Do(r)
		})
		c, err := client.New(client.WithHTTPClient(doer), client.WithAccessToken("polar_oat_fuzz"))
		require.NoError(t, err)
		req := client.CreateCustomerSessionRequest{CustomerID: customerID, ExternalCustomerID: externalCustomerID,
			MemberID: memberID, ExternalMemberID: externalMemberID, ReturnURL: returnURL}
		_, err = c.CustomerSessions.Create(context.Background(), req)
		if err != nil {
			var inErr *client.InputError
			if !errors.As(err, &inErr) || !errors.Is(err, client.ErrInvalidRequest) || inErr.Field == "" || sent != nil {
				t.Fatalf("want *InputError and nothing sent, got %T %v (sent %q)", err, err, sent)
			}
			return
		}
		var got map[string]string
		if err := json.Unmarshal(sent, &got); err != nil {
			t.Fatalf("%s: %v", sent, err)
		}
		canonical := func(id string) string { c, _ := rules.ParseUUID4(id); return c }
		want := map[string]string{}
		for k, v := range map[string]string{"customer_id": canonical(customerID), "external_customer_id": externalCustomerID,
			"member_id": canonical(memberID), "external_member_id": externalMemberID, "return_url": rules.EncodeReturnURL(returnURL)} {
			if v != "" {
				want[k] = v
			}
		}
		if len(got) != len(want) {
			t.Fatalf("sent %s, want fields %v", sent, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s: got %q, want %q", k, got[k], v)
			}
		}
	})
}

// Polar's 422s for a customer or member it cannot use match the sentinels,
// against polartest, and no other sentinel.
func TestCustomerAndMemberSentinels(t *testing.T) {
	polar := polartest.NewServer()
	defer polar.Close()
	team := polar.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam})
	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	sentinels := []error{client.ErrCustomerNotFound, client.ErrMemberNotFound, client.ErrMemberRequired}
	for want, req := range map[error]client.CreateCustomerSessionRequest{
		client.ErrCustomerNotFound: {ExternalCustomerID: "nobody"},
		client.ErrMemberRequired:   {CustomerID: team.ID},
		client.ErrMemberNotFound:   {CustomerID: team.ID, ExternalMemberID: "nobody"},
	} {
		_, err := c.CustomerSessions.Create(context.Background(), req)
		var vErr *client.ValidationError
		require.ErrorAs(t, err, &vErr, "%v", want)
		for _, s := range sentinels {
			assert.Equal(t, s == want, errors.Is(err, s), "%v is %v", err, s)
		}
		assert.NotErrorIs(t, err, client.ErrNotFound)
	}
}

// WithResponseInto hands over the last attempt's response, on success and
// on failure, with the body the client read, secrets redacted, readable
// again, and without the request that holds the credential; nil when no
// attempt got one. New refuses it: concurrent calls would share
// the destination.
func TestWithResponseInto(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(
		status(http.StatusServiceUnavailable, `{"detail":"busy"}`),
		status(http.StatusCreated, string(fixtures.CustomerSessionIndividual()), "X-Request-Id", "req_2"),
		status(http.StatusUnprocessableEntity, `{"detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error"}]}`,
			"X-Echo", testAccessToken),
	))
	c := newClient(t, ts)
	req := client.CreateCustomerSessionRequest{CustomerID: testCustomerID}

	var resp *http.Response
	_, err := c.CustomerSessions.Create(context.Background(), req, client.WithResponseInto(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusCreated, resp.StatusCode, "the last attempt's")
	assert.Equal(t, "req_2", resp.Header.Get("X-Request-Id"))
	assert.Nil(t, resp.Request, "the request holds the credential")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	want := rules.Redact(string(fixtures.CustomerSessionIndividual()), "")
	assert.NotEqual(t, string(fixtures.CustomerSessionIndividual()), want, "the fixture holds a token")
	assert.Equal(t, want, string(body), "the body, token and portal URL redacted")
	assert.NotRegexp(t, `polar_(cst|mst)_[A-Za-z0-9]`, string(body))
	assert.Equal(t, int64(len(want)), resp.ContentLength)
	assert.Equal(t, strconv.Itoa(len(want)), resp.Header.Get("Content-Length"))
	var fields map[string]any
	require.NoError(t, json.Unmarshal(body, &fields), "still JSON")
	assert.Contains(t, fields, "expires_at")

	_, err = c.CustomerSessions.Create(context.Background(), req, client.WithResponseInto(&resp))
	require.ErrorIs(t, err, client.ErrCustomerNotFound)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.Equal(t, "polar_oat_[redacted]", resp.Header.Get("X-Echo"))
	body, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error"}]}`, string(body))

	down := newClient(t, ts, client.WithServerURL("http://127.0.0.1:1"), client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	_, err = down.CustomerSessions.Create(context.Background(), req, client.WithResponseInto(&resp))
	require.Error(t, err)
	assert.Nil(t, resp, "no attempt got a response")

	_, err = client.New(client.WithResponseInto(&resp))
	assert.ErrorIs(t, err, client.ErrInvalidRequest)
}

// A NUL in any string field is refused before sending: Polar refuses NUL in
// every string (server/polar/kit/schemas.py, _reject_nul_characters).
func TestCreateRefusesNUL(t *testing.T) {
	ts := newTestServer(t)
	c := newClient(t, ts)
	for field, req := range map[string]client.CreateCustomerSessionRequest{
		"customer_id":          {CustomerID: testCustomerID[:8] + "\x00"},
		"external_customer_id": {ExternalCustomerID: "usr\x001"},
		"member_id":            {CustomerID: testCustomerID, MemberID: "\x00"},
		"external_member_id":   {CustomerID: testCustomerID, ExternalMemberID: "m\x00"},
		"return_url":           {CustomerID: testCustomerID, ReturnURL: "https://example.com/\x00"},
	} {
		_, err := c.CustomerSessions.Create(context.Background(), req)
		var inErr *client.InputError
		require.ErrorAs(t, err, &inErr, field)
		assert.Equal(t, field, inErr.Field)
		assert.Contains(t, inErr.Problem, "NUL", field)
	}
	assert.Empty(t, ts.Requests())
}

// A CustomerSession built by hand, without its model, answers its methods
// rather than panicking.
func TestZeroCustomerSession(t *testing.T) {
	var s client.CustomerSession
	assert.NotPanics(t, func() {
		assert.Empty(t, s.CustomerType())
		_, ok := s.Individual()
		assert.False(t, ok)
		_, ok = s.Team()
		assert.False(t, ok)
		assert.Equal(t, "CustomerSession{}", fmt.Sprintf("%+v", s))
		_ = s.LogValue().Resolve()
	})
}

// WithResponseInto's response shows no secret a server put in its status
// line or its transfer encoding.
func TestWithResponseIntoRedactsTheStatusLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				bearer := strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
				body := fixtures.CustomerCustomerSession()
				fmt.Fprintf(conn, "HTTP/1.1 200 OK %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", bearer, len(body), body)
			}()
		}
	}()
	c, err := client.New(client.WithServerURL("http://"+ln.Addr().String()), client.WithAccessToken(testAccessToken))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	var resp *http.Response
	_, err = c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken, client.WithResponseInto(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "200 OK polar_cst_[redacted]", resp.Status)
	assertNoSecret(t, []string{fmt.Sprintf("%+v", *resp), fmt.Sprintf("%#v", *resp)})
}

// CustomerSession's godoc names the promoted fields users reach for,
// which `go doc client CustomerSession` would not show (they are the
// embedded model's), each as "- Name Type:"; every one is a field of
// gen.CustomerSession of that type, so the list cannot go stale.
func TestCustomerSessionDocNamesTheModelsFields(t *testing.T) {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range []string{"sessions.go"} {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/polarsessions/polarsessions-go/client")
	require.NoError(t, err)
	var text string
	for _, typ := range pkg.Types {
		if typ.Name == "CustomerSession" {
			text = typ.Doc
		}
	}
	require.NotEmpty(t, text, "CustomerSession has a doc comment")
	assert.Contains(t, text, "[gen.CustomerSession]", "links the model")

	model := reflect.TypeFor[gen.CustomerSession]()
	item := regexp.MustCompile(`(?m)^\s*- (\w+) \[?([\w.*]+)\]?:`)
	named := map[string]bool{}
	for _, m := range item.FindAllStringSubmatch(text, -1) {
		named[m[1]] = true
		f, ok := model.FieldByName(m[1])
		if assert.True(t, ok, "the doc names %s, which gen.CustomerSession does not have", m[1]) {
			assert.Equal(t, m[2], f.Type.String(), "the doc's type of %s", m[1])
		}
	}
	for _, want := range []string{"Token", "CustomerPortalURL", "ExpiresAt"} {
		assert.True(t, named[want], "the doc names %s", want)
	}
}
