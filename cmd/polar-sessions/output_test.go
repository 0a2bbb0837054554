package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestRelative(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   time.Duration
		want string
	}{
		{time.Hour - time.Millisecond, "in 59m"},
		{time.Hour, "in 1h"},
		{90*time.Minute + 30*time.Second, "in 1h30m"},
		{59 * time.Second, "in 59s"},
		{0, "expired 0s ago"},
		{-3*time.Minute - time.Second, "expired 3m ago"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, relative(now.Add(tt.in), now), "%s", tt.in)
	}
}

func TestShortPortalURL(t *testing.T) {
	t.Parallel()
	const token = "polar_cst_AbCdEfGhIjKlMnOp"
	assert.Equal(t, "https://polar.sh/acme/portal?customer_session_token=polar_cst_AbCdEf…",
		shortPortalURL("https://polar.sh/acme/portal?customer_session_token="+token+"&email=a%40b.c", token))
	assert.Equal(t, "https://polar.sh/acme/portal", shortPortalURL("https://polar.sh/acme/portal", token))
}

func TestServerURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flag, env, want string
	}{
		{"", "", client.ServerProduction},
		{"production", "sandbox", client.ServerProduction},
		{"sandbox", "", client.ServerSandbox},
		{"", "sandbox", client.ServerSandbox},
		{"", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://gateway.example.com/polar", "sandbox", "https://gateway.example.com/polar"},
	}
	for _, tt := range tests {
		c := &cli{env: func(string) string { return tt.env }, globals: globals{server: tt.flag}}
		assert.Equal(t, tt.want, c.serverURL(), "flag %q, env %q", tt.flag, tt.env)
	}
}

// A call that timed out while waiting to retry carries both the deadline and
// the last refusal; the deadline is what ended it.
func TestExplainPrefersTheTimeoutOverTheLastRefusal(t *testing.T) {
	t.Parallel()
	last := &client.APIError{Operation: "customer-sessions:create", StatusCode: 503}
	err := fmt.Errorf("polar: customer-sessions:create: %w while waiting to retry: %w", context.DeadlineExceeded, last)

	code, lines := explain(err, nil, 5*time.Second)

	assert.Equal(t, exitUnreachable, code)
	assert.Equal(t, []string{"timed out (--timeout 5s): customer-sessions:create: context deadline exceeded while waiting to retry: " +
		"polar: customer-sessions:create: 503 Service Unavailable"}, lines)
}

// The tool words an API error as the client does: one formatting, the
// library's, with its redaction.
func TestExplainUsesTheClientsWords(t *testing.T) {
	t.Parallel()
	for _, e := range []*client.APIError{
		{StatusCode: 401, Code: "Unauthorized", Detail: "Unauthorized", Operation: client.OperationCreate},
		{StatusCode: 429, RetryAfter: 30 * time.Second, Attempts: 3},
		{StatusCode: 201, Err: errors.New("decoding response: unexpected EOF")},
	} {
		code, lines := explain(e, nil, time.Second)
		assert.Equal(t, exitRefused, code)
		assert.Equal(t, []string{strings.TrimPrefix(e.Error(), "polar: ")}, lines)
	}
}

// A server echoing secrets in its error fields does not get them onto
// stderr: the client redacts Code, Detail and field messages as it decodes.
func TestFailShowsNoEchoedSecrets(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.srv.Script(polartest.RouteCreate, polartest.Status(422).WithBody([]byte(`{"error":"PolarRequestValidationError",`+
		`"detail":[{"loc":["body","return_url"],"msg":"see https://polar.sh/x/portal?customer_session_token=polar_cst_s3cr3t",`+
		`"type":"value_error","input":"polar_oat_s3cr3tS3cr3t"}]}`)))

	r := f.run(t, "create", "--external-customer-id", externalID)
	assert.Equal(t, exitRefused, r.code)
	assert.Equal(t, "polar-sessions create: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError\n"+
		"  --return-url (return_url): see [redacted URL]\n", r.stderr)
}

// A 200 whose expires_at echoes the session token does not decode; the
// error says why without the token (the decoding error quotes the value).
func TestIntrospectFailureShowsNoEchoedToken(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	token := f.srv.CreateSession(f.cust.ID, "")
	f.srv.Script(polartest.RouteIntrospect, polartest.Status(200).WithBody([]byte(`{"expires_at":"`+token+`","return_url":null}`)))

	r := runTool(t, f.withEnv(envSessionToken, token), "--server", f.srv.URL(), "introspect")
	assert.Equal(t, exitRefused, r.code)
	assert.Contains(t, r.stderr, "decoding response")
	assert.NotContains(t, r.stderr+r.stdout, token)
	assert.NotContains(t, r.stderr+r.stdout, token[len("polar_cst_"):])
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// A session Polar created but the tool could not print is not a refusal.
func TestOutputFailureExits4(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	var stderr strings.Builder
	code := run(context.Background(), []string{"--server", f.srv.URL(), "create", "--external-customer-id", externalID},
		func(k string) string { return f.env[k] }, failingWriter{}, &stderr)
	assert.Equal(t, exitOutput, code)
	assert.Equal(t, "polar-sessions create: writing the output: broken pipe\n", stderr.String())
	assert.Len(t, f.srv.Requests(), 1, "the session was created")
}

// A 422's field errors name create's flags from the same table that names
// them in the client's refusals; a field no flag sets reads as the client
// words it.
func TestFieldErrorsNameTheFlags(t *testing.T) {
	t.Parallel()
	e := &client.ValidationError{APIError: &client.APIError{StatusCode: 422}, Errors: []client.FieldError{
		{Loc: []any{"body", "member_id"}, Msg: "Member does not exist for this customer."},
		{Loc: []any{"body", "return_url"}, Msg: "URL scheme should be 'http' or 'https'"},
		{Loc: []any{"body", "items", 0, "name"}, Msg: "Field required"},
		{Msg: "Something else"},
	}}
	names := (&createCmd{}).fieldNames()

	code, lines := explain(e, names, time.Second)

	assert.Equal(t, exitRefused, code)
	assert.Equal(t, []string{clientMessage(e.APIError),
		"--member-id (member_id): Member does not exist for this customer.",
		"--return-url (return_url): URL scheme should be 'http' or 'https'",
		"items.0.name: Field required",
		"Something else",
	}, lines)
	assert.Equal(t, []string{e.Errors[0].String(), e.Errors[1].String(), e.Errors[2].String(), e.Errors[3].String()},
		fieldErrors(e, nil), "without names, the client's words")

	// The same table names the client's refusal of a request field.
	_, lines = explain(&client.InputError{Field: "member_id", Problem: "must be a UUID"}, names, time.Second)
	assert.Equal(t, []string{"--member-id: must be a UUID"}, lines)
}

// Every request field in create's table is set by a flag create has.
func TestRequestFlagsAreCreateFlags(t *testing.T) {
	t.Parallel()
	cmd := &createCmd{}
	fs := newFlagSet("create")
	cmd.flags(fs)
	for _, f := range cmd.requestFlags() {
		require.NotNil(t, fs.Lookup(f.flag), f.flag)
		require.NoError(t, fs.Set(f.flag, "x-"+f.flag))
		assert.Equal(t, "x-"+f.flag, *f.value, "%s sets its field", f.flag)
		assert.Equal(t, "--"+f.flag, cmd.fieldNames()[f.field])
	}
	assert.Equal(t, client.CreateCustomerSessionRequest{CustomerID: "x-customer-id", ExternalCustomerID: "x-external-customer-id",
		MemberID: "x-member-id", ExternalMemberID: "x-external-member-id", ReturnURL: "x-return-url"}, cmd.req)
}

// Text a server sent (a customer's name, an error's message) reaches the
// terminal with its control characters escaped, so it cannot drive it; in
// JSON the escape means the same character.
func TestServerTextCannotDriveTheTerminal(t *testing.T) {
	t.Parallel()
	controls := regexp.MustCompile(`[\x00-\x08\x0b-\x1f\x7f\x{80}-\x{9f}]`)
	evil := "Jane\x1b]0;owned\a\x1b[2J\u009b31m"
	f := newFake(t)
	f.srv.AddCustomer(polartest.Customer{ExternalID: "usr_evil", Email: "evil@example.com", Name: evil})

	r := f.run(t, "create", "--external-customer-id", "usr_evil", "--output", "text")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotRegexp(t, controls, r.stdout)
	assert.Contains(t, r.stdout, `Jane\u001b]0;owned\u0007\u001b[2J\u009b31m`)

	r = f.run(t, "create", "--external-customer-id", "usr_evil")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotRegexp(t, controls, r.stdout)
	var out struct {
		Customer struct{ Name string } `json:"customer"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	assert.Equal(t, evil, out.Customer.Name, "the JSON still says what Polar sent")

	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"detail":[{"loc":["body","customer_id"],"msg":"bad \u001b[2J\u009b","type":"value_error"}]}`)
	}))
	defer ts.Close()
	r = runTool(t, f.env, "--server", ts.URL, "create", "--external-customer-id", "usr_evil")
	assert.Equal(t, exitRefused, r.code)
	assert.NotRegexp(t, controls, r.stderr)
	assert.Contains(t, r.stderr, `bad \u001b[2J\u009b`)
}
