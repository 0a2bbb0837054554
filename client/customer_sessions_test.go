package client_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
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
	assert.Equal(t, "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW", s.Token)
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 123456000, time.UTC), s.ExpiresAt)
	assert.Contains(t, s.CustomerPortalURL, "customer_session_token="+s.Token)
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
