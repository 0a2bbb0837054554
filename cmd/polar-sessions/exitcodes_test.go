package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

func TestNoArgumentsPrintsUsage(t *testing.T) {
	t.Parallel()
	r := runTool(t, nil)
	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "Usage:\n  polar-sessions [global flags] <command> [flags]")
}

// Bad invocations exit 2 with one line on stderr and send nothing, whether
// this tool or the client catches them.
func TestUsageAndInputErrorsExit2AndSendNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args func(f *fake) []string
		env  func(f *fake) map[string]string // nil: the fake's
		want string
	}{
		{name: "no command", want: "Usage:"},
		{name: "unknown command", args: cmd("frobnicate"), want: `polar-sessions: unknown command "frobnicate"`},
		{name: "help for an unknown command", args: cmd("help", "frobnicate"), want: `polar-sessions help: unknown command "frobnicate"`},
		{name: "both customer flags", args: func(f *fake) []string {
			return []string{"create", "--customer-id", f.cust.ID, "--external-customer-id", externalID}
		}, want: "polar-sessions create: --customer-id: give --customer-id or --external-customer-id, not both\n"},
		{name: "neither customer flag", args: cmd("create", "--return-url", "https://example.com"),
			want: "polar-sessions create: --customer-id: give --customer-id or --external-customer-id\n"},
		{name: "both member flags", args: cmd("create", "--external-customer-id", externalID, "--member-id", memberID, "--external-member-id", "m"),
			want: "polar-sessions create: --member-id: give --member-id or --external-member-id, not both\n"},
		{name: "bad output", args: cmd("create", "--external-customer-id", externalID, "--output", "yaml"),
			want: `polar-sessions create: invalid value "yaml" for flag --output: must be json or text`},
		{name: "bad timeout", args: cmd("create", "--external-customer-id", externalID, "--timeout", "soon"),
			want: `invalid value "soon" for flag --timeout: not a duration`},
		{name: "negative timeout", args: cmd("--timeout", "-1s", "create", "--external-customer-id", externalID),
			want: `polar-sessions: invalid value "-1s" for flag --timeout: is negative`},
		{name: "negative retries", args: cmd("create", "--external-customer-id", externalID, "--retries", "-1"),
			want: "flag --retries: must be a whole number from 0 to 10"},
		{name: "retries that would overflow", args: cmd("create", "--external-customer-id", externalID, "--retries", "9223372036854775807"),
			want: "flag --retries: must be a whole number from 0 to 10"},
		{name: "unknown server name", args: cmd("create", "--external-customer-id", externalID, "--server", "staging"),
			want: `invalid value "staging" for flag --server: is not a server name or URL; use production, sandbox or an https:// URL`},
		{name: "unknown flag", args: cmd("create", "--customer", "x"), want: "flag provided but not defined: --customer"},
		{name: "extra argument", args: cmd("create", "--external-customer-id", externalID, "now"), want: `unexpected argument "now"`},
		{name: "no access token", args: cmd("create", "--external-customer-id", externalID),
			env:  func(*fake) map[string]string { return nil },
			want: "POLAR_ACCESS_TOKEN is not set"},
		{name: "no session token", args: cmd("introspect"), want: "no session token: set POLAR_CUSTOMER_SESSION or pass --token"},
		{name: "demo with --server", args: cmd("demo"), env: func(*fake) map[string]string { return nil },
			want: "polar-sessions demo: --server does not apply to demo, which takes only --timeout and -v (see polar-sessions demo --help)\n"},
		{name: "demo with --retries and --server", args: cmd("demo", "--retries", "1", "--timeout", "5s"),
			env:  func(*fake) map[string]string { return nil },
			want: "polar-sessions demo: --retries and --server do not apply to demo, which takes only --timeout and -v"},

		// Caught by the client before sending, reported in the tool's terms.
		{name: "malformed customer ID", args: cmd("create", "--customer-id", "not-a-uuid"),
			want: "polar-sessions create: --customer-id: must be a UUID"},
		{name: "malformed member ID", args: cmd("create", "--external-customer-id", externalID, "--member-id", "42"),
			want: "polar-sessions create: --member-id: must be a UUID"},
		{name: "blank external ID", args: cmd("create", "--external-customer-id", " "),
			want: "polar-sessions create: --external-customer-id: is blank"},
		{name: "bad return URL", args: cmd("create", "--external-customer-id", externalID, "--return-url", "ftp://example.com"),
			want: "polar-sessions create: --return-url: must be an absolute http(s) URL"},
		{name: "session token as access token", args: cmd("create", "--external-customer-id", externalID),
			env:  func(f *fake) map[string]string { return f.withEnv(envAccessToken, "polar_cst_notAnAccessToken0000") },
			want: "polar-sessions create: POLAR_ACCESS_TOKEN: is a polar_cst_… token"},
		{name: "access token as session token", args: func(f *fake) []string {
			return []string{"introspect", "--token", f.srv.AccessToken()}
		}, want: "polar-sessions introspect: --token: is a polar_oat_… token"},
		{name: "session token with a space", args: cmd("introspect"),
			env:  func(f *fake) map[string]string { return f.withEnv(envSessionToken, "polar_cst_abc def") },
			want: "polar-sessions introspect: POLAR_CUSTOMER_SESSION: contains whitespace"},
		{name: "plain http to a remote server", args: cmd("create", "--external-customer-id", externalID, "--server", "http://api.example.com"),
			want: "polar-sessions create: --server: http:// is allowed only for loopback hosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			var args []string
			if tt.args != nil {
				args = tt.args(f)
			}
			env := f.env
			if tt.env != nil {
				env = tt.env(f)
			}

			r := runTool(t, env, append([]string{"--server", f.srv.URL()}, args...)...)

			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			if tt.want != "Usage:" {
				assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			}
			assert.Empty(t, r.stdout)
			assert.Empty(t, f.srv.Requests(), "nothing may be sent")
		})
	}
}

func TestServerFromEnvironmentIsNamedInErrors(t *testing.T) {
	t.Parallel()
	r := runTool(t, map[string]string{envServer: "ftp://example.com", envSessionToken: "polar_cst_x"}, "introspect")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "polar-sessions introspect: POLAR_SERVER: must be an absolute http(s) URL")

	r = runTool(t, map[string]string{envServer: "staging", envSessionToken: "polar_cst_x"}, "introspect")
	assert.Equal(t, exitUsage, r.code)
	assert.Equal(t, "polar-sessions introspect: POLAR_SERVER: is not a server name or URL; use production, sandbox or an https:// URL\n", r.stderr)
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--version"}, {"create", "--version"}, {"--version", "introspect"}} {
		r := runTool(t, nil, args...)
		assert.Equal(t, exitOK, r.code, "%v", args)
		assert.Equal(t, "polar-sessions "+client.Version+"\n", r.stdout, "%v", args)
		assert.Empty(t, r.stderr, "%v", args)
	}
}

func TestRefusalsExit1WithStatusAndCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(f *fake) (args []string, env map[string]string)
		want  string
	}{
		{
			name: "unknown customer",
			setup: func(f *fake) ([]string, map[string]string) {
				return []string{"create", "--external-customer-id", "usr_nobody"}, f.env
			},
			want: "polar-sessions create: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError\n" +
				"  --external-customer-id (external_customer_id): Customer does not exist.\n",
		},
		{
			name: "unknown member",
			setup: func(f *fake) ([]string, map[string]string) {
				return []string{"create", "--customer-id", f.cust.ID, "--member-id", "0b6f2a52-6d0e-4c1e-9a5c-2f3b4e5d6a7b"}, f.env
			},
			want: "polar-sessions create: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError\n" +
				"  --member-id (member_id): " + rules.MsgMemberNotFound + "\n",
		},
		{
			name: "unknown access token",
			setup: func(f *fake) ([]string, map[string]string) {
				return []string{"create", "--external-customer-id", externalID},
					f.withEnv(envAccessToken, "polar_oat_unknownToken00000000000000000000000000")
			},
			want: "polar-sessions create: customer-sessions:create: 401 Unauthorized: invalid_token: The access token provided is expired",
		},
		{
			name: "access token without the scope",
			setup: func(f *fake) ([]string, map[string]string) {
				return []string{"create", "--external-customer-id", externalID}, f.withEnv(envAccessToken, f.srv.AddAccessToken(""))
			},
			want: "polar-sessions create: customer-sessions:create: 403 Forbidden: insufficient_scope: The request requires higher privileges",
		},
		{
			name: "unknown session token",
			setup: func(f *fake) ([]string, map[string]string) {
				return []string{"introspect", "--token", "polar_cst_madeUp0000000000000000000000000000000"}, f.env
			},
			want: "polar-sessions introspect: customer_portal:customer-session:introspect: 401 Unauthorized: invalid_token: The access token provided is expired",
		},
		{
			name: "server error without retries",
			setup: func(f *fake) ([]string, map[string]string) {
				f.srv.Script(polartest.RouteCreate, polartest.Status(503))
				return []string{"create", "--external-customer-id", externalID, "--retries", "0"}, f.env
			},
			want: "polar-sessions create: customer-sessions:create: 503 Service Unavailable\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			args, env := tt.setup(f)

			r := runTool(t, env, append([]string{"--server", f.srv.URL()}, args...)...)

			assert.Equal(t, exitRefused, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
			assert.Len(t, f.srv.Requests(), 1)
		})
	}
}

// Not parallel: the parallel tests, paused while this one runs, cannot start
// a server on the port it has just freed.
func TestUnreachableServerExits3(t *testing.T) {
	srv := polartest.NewServer()
	url, token := srv.URL(), srv.AccessToken()
	srv.Close()

	r := runTool(t, map[string]string{envAccessToken: token},
		"--server", url, "--retries", "0", "create", "--external-customer-id", externalID)

	assert.Equal(t, exitUnreachable, r.code, r.stderr)
	assert.Contains(t, r.stderr, "polar-sessions create: network failure: customer-sessions:create: connection_refused")
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"))
	assert.Empty(t, r.stdout)
}

func TestTimeoutExits3(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.srv.Script(polartest.RouteCreate, polartest.Delay(2*time.Second))
	start := time.Now()

	r := f.run(t, "--timeout", "100ms", "create", "--external-customer-id", externalID)

	assert.Equal(t, exitUnreachable, r.code, r.stderr)
	assert.Contains(t, r.stderr, "polar-sessions create: timed out (--timeout 100ms): customer-sessions:create: deadline")
	assert.Less(t, time.Since(start), time.Second)
	require.Len(t, f.srv.Requests(), 1, "a timed-out call is not retried")
}

// cmd returns args that do not depend on the fake.
func cmd(args ...string) func(*fake) []string {
	return func(*fake) []string { return args }
}

// A token typed where it does not belong is never echoed.
func TestUsageErrorsNeverEchoATokenArgument(t *testing.T) {
	t.Parallel()
	const tok = "polar_cst_REVIEWsecretTOKEN0123456789abcdefghij"
	for _, args := range [][]string{
		{"introspect", tok},
		{tok},
		{"help", tok},
		{"introspect", "--output", tok},
		{"--server", "polar_oat_REVIEWsecretTOKEN0123456789abcdefghij", "introspect"},
		{"--timeout", tok, "introspect"},
		{"--retries", tok, "introspect"},
		{"introspect", "--" + tok},
	} {
		r := runTool(t, nil, args...)
		assert.Equal(t, exitUsage, r.code, "%v", args)
		assert.NotContains(t, r.stderr, "REVIEWsecret", "%v", args)
		assert.Contains(t, r.stderr, "[redacted]", "%v", args)
	}
	r := runTool(t, nil, "introspect", tok)
	assert.Contains(t, r.stderr, "unexpected argument \"polar_cst_[redacted]\"; a session token goes in --token or POLAR_CUSTOMER_SESSION")
}

// With no token at all, what is wrong with the flags is reported first:
// the token is the last thing checked, by the client for create.
func TestInputIsCheckedBeforeTheToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string          // after --server and the fake's URL
		env  map[string]string // never a token
		want string
	}{
		{name: "malformed customer ID", args: []string{"create", "--customer-id", "not-a-uuid"},
			want: "polar-sessions create: --customer-id: "},
		{name: "neither customer flag", args: []string{"create", "--member-id", memberID},
			want: "polar-sessions create: --customer-id: "},
		{name: "bad return URL", args: []string{"create", "--external-customer-id", externalID, "--return-url", "ftp://example.com"},
			want: "polar-sessions create: --return-url: "},
		{name: "plain http to a remote server", args: []string{"create", "--external-customer-id", externalID, "--server", "http://api.example.com"},
			want: "polar-sessions create: --server: "},
		{name: "nothing wrong but the token", args: []string{"create", "--customer-id", memberID},
			want: "polar-sessions create: POLAR_ACCESS_TOKEN is not set: create needs an organization access token (polar_oat_…) (see polar-sessions create --help)\n"},
		{name: "nothing wrong but the session token", args: []string{"introspect"},
			want: "polar-sessions introspect: no session token: set POLAR_CUSTOMER_SESSION or pass --token (see polar-sessions introspect --help)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			r := runTool(t, tt.env, append([]string{"--server", f.srv.URL()}, tt.args...)...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, tt.want), "want %q, got %q", tt.want, r.stderr)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			if !strings.Contains(tt.name, "token") {
				assert.NotContains(t, r.stderr, envAccessToken, "the flag first, the token after")
			}
			assert.Empty(t, r.stdout)
			assert.Empty(t, f.srv.Requests(), "nothing may be sent")
		})
	}

	// POLAR_SERVER, checked before the session token is looked for.
	r := runTool(t, map[string]string{envServer: "ftp://example.com"}, "introspect")
	assert.Equal(t, exitUsage, r.code)
	assert.True(t, strings.HasPrefix(r.stderr, "polar-sessions introspect: POLAR_SERVER: "), r.stderr)
	assert.NotContains(t, r.stderr, envSessionToken)
}
