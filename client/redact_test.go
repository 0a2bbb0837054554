package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
	"github.com/polarsessions/polarsessions-go/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The leak-proof property: whatever a server echoes, no printed form of
// anything a call returns, nor the client's own log, shows a token or a
// customer portal URL. Secrets are redacted where they enter a value, so
// these tests print every value every way they can.

// echoedPortalURL is a portal URL a server might echo; it embeds a token.
const echoedPortalURL = "https://polar.sh/acme/portal?customer_session_token=" + fixtureToken + "&email=jane%40example.com"

// echoes are servers that put the bearer token they receive (and a portal
// URL) everywhere a response can hold it.
var echoes = []struct {
	name    string
	handler func(bearer string) http.HandlerFunc
}{
	{"422 msg, loc and input", func(bearer string) http.HandlerFunc {
		return status(422, `{"error":"PolarRequestValidationError `+bearer+`","detail":[{"loc":["body","`+bearer+`"],`+
			`"msg":"bad `+bearer+` at `+echoedPortalURL+`","type":"value_error `+bearer+`",`+
			`"input":{"`+bearer+`":["`+bearer+`",{"url":"`+echoedPortalURL+`"}],"n":1}}]}`,
			"X-Echo", "Bearer "+bearer)
	}},
	{"401 error_description and WWW-Authenticate", func(bearer string) http.HandlerFunc {
		return status(401, `{"error":"invalid_token","error_description":"`+bearer+` is not valid"}`,
			"WWW-Authenticate", `Bearer realm="polar", error="invalid_token", token="`+bearer+`"`)
	}},
	{"undecodable 2xx", func(bearer string) http.HandlerFunc {
		return status(201, `{"id":"x","token":"`+bearer+`","expires_at":"`+bearer+`","customer_portal_url":"`+echoedPortalURL+`"}`,
			"X-Echo", bearer)
	}},
	{"5xx text body", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("X-Upstream-Error", "auth "+bearer+" "+echoedPortalURL)
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "upstream refused %s; see %s", bearer, echoedPortalURL)
		}
	}},
	{"redirect loop with the token in the URL", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?token="+bearer, http.StatusFound)
		}
	}},
	{"redirect loop with the token percent-encoded", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?t="+strings.ReplaceAll(bearer, "_", "%5F"), http.StatusFound)
		}
	}},
	{"re-cased, escaped and bare tokens, and a token as a header name", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			secret := bearer[len("polar_oat_"):]
			w.Header().Set(bearer, "echo")
			w.Header().Set("X-Bare", secret)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"%s","detail":"polar\u005foat\u005f%s and \u0070olar_oat_%s and %s"}`,
				strings.ToUpper(bearer), secret, secret, strings.ToLower(secret))
		}
	}},
	{"JSON-escaped tokens in a header and a text body", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			escaped := bearer[:len("polar_oat_")] + `\u00` + fmt.Sprintf("%x", bearer[len("polar_oat_")]) + bearer[len("polar_oat_")+1:]
			w.Header().Set("X-Echo", escaped)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "refused %s", escaped)
		}
	}},
	{"success echoing the token into every field", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				respond(w, 200, []byte(`{"expires_at":"2026-11-21T11:00:00Z","return_url":"https://example.com/?t=`+bearer+`"}`))
				return
			}
			body := string(fixtures.CustomerSessionIndividual())
			body = strings.Replace(body, `"id": "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f"`, `"id": "`+bearer+`"`, 1)
			body = strings.Replace(body, `"return_url": "https://example.com/account"`, `"return_url": "https://example.com/?t=`+bearer+`"`, 1)
			body = strings.Replace(body, `"name": "Jane Doe"`, `"name": "`+bearer+`"`, 1)
			respond(w, 201, []byte(body))
		}
	}},
	{"tokens escaped twice, so that decoding leaves them escaped once", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			js, pct := escapeEach(bearer, `\u005cu00%02x`), escapeEach(bearer, `\u0025%02x`)
			if r.Method == http.MethodGet {
				respond(w, 401, []byte(`{"error":"`+js+`","detail":"token `+pct+` refused"}`))
				return
			}
			respond(w, 422, []byte(`{"detail":[{"loc":["body","`+js+`"],"msg":"bad `+pct+`","type":"`+js+`","input":{"`+pct+`":["`+js+`"]}}]}`))
		}
	}},
	{"a customer's name escaped twice", func(bearer string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				respond(w, 200, fixtures.CustomerCustomerSession())
				return
			}
			body := strings.Replace(string(fixtures.CustomerSessionIndividual()), `"name": "Jane Doe"`,
				`"name": "`+escapeEach(bearer, `\u005cu00%02x`)+`"`, 1)
			body = strings.Replace(body, `"external_id": "usr_1337"`, `"external_id": "`+escapeEach(bearer, `\u0025%02x`)+`"`, 1)
			respond(w, 201, []byte(body))
		}
	}},
	{"a portal URL with JSON-escaped slashes", func(string) http.HandlerFunc {
		return status(500, `{"error":"InternalServerError","detail":"see `+strings.ReplaceAll(echoedPortalURL, "/", `\/`)+`"}`)
	}},
	{"success", func(string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				respond(w, 201, fixtures.CustomerSessionIndividual())
			} else {
				respond(w, 200, fixtures.CustomerCustomerSession())
			}
		}
	}},
}

// Middleware, rate limiters and the server URL are the caller's, but what
// they bring into a call's error or log is redacted all the same.
func TestNoSecretFromMiddlewareLimiterOrServerURL(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc(prefix+"/gw/"+testAccessToken+"/v1/customer-sessions/", createdOK)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, ts, client.WithLogger(logger), client.WithServerURL(ts.BaseURL()+"/gw/"+testAccessToken))
	ctx := context.Background()
	req := client.CreateCustomerSessionRequest{CustomerID: testCustomerID}

	_, err := c.CustomerSessions.Create(ctx, req)
	require.NoError(t, err)
	failing := func(r *http.Request, _ client.MiddlewareNext) (*http.Response, error) {
		return nil, fmt.Errorf("refused %s", r.Header.Get("Authorization"))
	}
	_, err = c.CustomerSessions.Create(ctx, req, client.WithMiddleware(failing))
	outputs := printedError(err)
	echoing := func(r *http.Request, _ client.MiddlewareNext) (*http.Response, error) {
		resp := canned(http.StatusServiceUnavailable, "down: "+r.Header.Get("Authorization"))
		resp.Header.Set(testAccessToken, "x")
		return resp, nil
	}
	_, err = c.CustomerSessions.Create(ctx, req, client.WithMiddleware(echoing))
	outputs = append(outputs, printedError(err)...)
	_, err = c.CustomerSessions.Create(ctx, req, client.WithRateLimiter(limiterFunc(func(context.Context) error {
		return errors.New("no budget for " + testAccessToken)
	})))
	require.Error(t, err)
	outputs = append(outputs, printedError(err)...)
	outputs = append(outputs, logs.String())
	require.Contains(t, logs.String(), "polar: request")
	assertNoSecret(t, outputs)
}

type limiterFunc func(context.Context) error

func (f limiterFunc) Wait(ctx context.Context) error { return f(ctx) }

func TestNoPrintedFormShowsASecret(t *testing.T) {
	for _, echo := range echoes {
		t.Run(echo.name, func(t *testing.T) {
			ts := newTestServer(t)
			handler := func(w http.ResponseWriter, r *http.Request) {
				echo.handler(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))(w, r)
			}
			ts.Mux.HandleFunc(createPath, handler)
			ts.Mux.HandleFunc(introspectPath, handler)
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			p := noWaitPolicy(nil)
			p.MaxAttempts = 2
			c := newClient(t, ts, client.WithLogger(logger), client.WithRetryPolicy(p))
			ctx := context.Background()

			sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
			outputs := append(printedError(err), printedValue(sess, 0)...)
			info, err := c.CustomerPortal.CustomerSession.Introspect(ctx, testSessionToken)
			outputs = append(outputs, printedError(err)...)
			outputs = append(outputs, printedValue(info, 0)...)
			outputs = append(outputs, logs.String())

			require.NotEmpty(t, ts.Requests())
			assertNoSecret(t, outputs)
			if sess != nil && echo.name == "a customer's name escaped twice" {
				person, ok := sess.Individual()
				require.True(t, ok, "the customer, redacted string by string, still decodes")
				assert.Contains(t, *person.Name, "[redacted]")
				assert.Contains(t, *person.ExternalID, "[redacted]")
			}
			if sess != nil && echo.name == "success echoing the token into every field" {
				person, ok := sess.Individual()
				require.True(t, ok)
				assert.Equal(t, "polar_oat_[redacted]", *person.Name, "the customer union is redacted too")
				assert.Equal(t, "polar_oat_[redacted]", sess.ID)
			}
		})
	}
}

// escapeEach writes each byte of s with format, such as `\u00%02x`.
func escapeEach(s, format string) string {
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// unescapeOnce reads one level of JSON (\u0070) and percent (%70) escapes:
// what a reader of a printed value decodes by eye or by tool.
var unescapeOnce = regexp.MustCompile(`\\u00([0-9a-fA-F]{2})|%([0-9a-fA-F]{2})`)

// secrets are what must never be printed: the tokens sent and echoed, and
// the portal URL.
var secrets = []string{testAccessToken, testSessionToken, fixtureToken, testAccessToken[len("polar_oat_"):],
	testSessionToken[len("polar_cst_"):], fixtureToken[len("polar_cst_"):], "customer_session_token=polar", "jane%40example.com"}

// assertNoSecret fails when an output holds a secret, or 16 consecutive
// characters of a token in any letter case: the last 6 of a token's 43 are
// a checksum of the rest, so a token cut short is still the token.
func assertNoSecret(t *testing.T, outputs []string) {
	t.Helper()
	for _, printed := range outputs {
		out := printed + "\n" + unescapeOnce.ReplaceAllStringFunc(printed, func(m string) string {
			b, _ := strconv.ParseUint(m[len(m)-2:], 16, 8)
			return string(rune(b))
		})
		for _, secret := range secrets {
			if strings.Contains(out, secret) {
				t.Errorf("printed a secret (%.20s…) in: %.300s", secret, out)
			}
		}
		lower := strings.ToLower(out)
		for _, tok := range []string{testAccessToken, testSessionToken, fixtureToken} {
			tok = strings.ToLower(tok)
			for i := 0; i+16 <= len(tok); i++ {
				if strings.Contains(lower, tok[i:i+16]) {
					t.Errorf("printed 16 characters of a token (%s) in: %.300s", tok[i:i+16], out)
					break
				}
			}
		}
	}
}

// printedError is every way err can be printed, and every way its typed
// parts can.
func printedError(err error) []string {
	if err == nil {
		return nil
	}
	out := printedValue(err, 0)
	var apiErr *client.APIError
	var vErr *client.ValidationError
	var tErr *client.TransportError
	var inErr *client.InputError
	var urlErr *url.Error
	var parseErr *time.ParseError
	var netErr net.Error
	for _, target := range []any{&apiErr, &vErr, &tErr, &inErr, &urlErr, &parseErr, &netErr} {
		if errors.As(err, target) {
			out = append(out, printedValue(reflect.ValueOf(target).Elem().Interface(), 0)...)
		}
	}
	return out
}

// printedValue is v through fmt's verbs, slog's text and JSON handlers,
// encoding/json (except for what holds a session's secrets, which encodes
// them on purpose), and the same for each exported field, element and map
// value down a few levels: the session's embedded model, whole and field
// by field, its Token and CustomerPortalURL included.
func printedValue(v any, depth int) []string {
	if v == nil || depth > 4 {
		return nil
	}
	out := []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), slogged(v, false), slogged(v, true)}
	if err, ok := v.(error); ok && !isNilPointer(v) {
		out = append(out, err.Error())
	}
	if !encodesSecrets(v) {
		if b, err := json.Marshal(v); err == nil {
			out = append(out, string(b))
		}
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return out
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Struct:
		out = append(out, printedFields(rv, depth)...)
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			out = append(out, string(rv.Bytes()))
			break
		}
		for i := range rv.Len() {
			out = append(out, printedValue(rv.Index(i).Interface(), depth+1)...)
		}
	case reflect.Map:
		iter := rv.MapRange()
		for iter.Next() {
			out = append(out, fmt.Sprint(iter.Key().Interface()))
			out = append(out, printedValue(iter.Value().Interface(), depth+1)...)
		}
	}
	return out
}

// printedFields is printedValue of each exported field of a struct.
func printedFields(rv reflect.Value, depth int) []string {
	var out []string
	for i := range rv.NumField() {
		if rv.Type().Field(i).IsExported() {
			out = append(out, printedValue(rv.Field(i).Interface(), depth+1)...)
		}
	}
	return out
}

// encodesSecrets: encoding/json writes a session's token and portal URL,
// on purpose, in the session, its model and the fields themselves.
func encodesSecrets(v any) bool {
	switch v.(type) {
	case client.CustomerSession, *client.CustomerSession, gen.CustomerSession, *gen.CustomerSession, rules.Secret:
		return true
	}
	return false
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func slogged(v any, asJSON bool) string {
	var b bytes.Buffer
	var h slog.Handler = slog.NewTextHandler(&b, nil)
	if asJSON {
		h = slog.NewJSONHandler(&b, nil)
	}
	slog.New(h).Info("value", "v", v)
	return b.String()
}

// inputErrorCases give every Option constructor, and every request field,
// a bad value that carries a token; each must be refused without quoting
// it.
func inputErrorCases() map[string][]func(*client.Client) error {
	tok := testAccessToken
	create := func(req client.CreateCustomerSessionRequest, opts ...client.Option) func(*client.Client) error {
		return func(c *client.Client) error {
			_, err := c.CustomerSessions.Create(context.Background(), req, opts...)
			return err
		}
	}
	ok := client.CreateCustomerSessionRequest{CustomerID: testCustomerID}
	opt := func(o client.Option) func(*client.Client) error { return create(ok, o) }
	return map[string][]func(*client.Client) error{
		"WithAccessToken": {opt(client.WithAccessToken(tok + " x")), opt(client.WithAccessToken(tok + "\n")),
			opt(client.WithAccessToken(testSessionToken))},
		"WithServerURL": {opt(client.WithServerURL("https://" + tok + "@api.polar.sh")), opt(client.WithServerURL("https://api.polar.sh/?t=" + tok)),
			opt(client.WithServerURL("https://api.polar.sh/#" + tok)), opt(client.WithServerURL("http://" + tok + ".example.com")),
			opt(client.WithServerURL(tok)), opt(client.WithServerURL("https://x y/" + tok)), opt(client.WithServerURL("ftp://h/" + tok))},
		"WithHTTPClient": {opt(client.WithHTTPClient(nil)), opt(client.WithHTTPClient((*http.Client)(nil)))},
		"WithRetryPolicy": {opt(client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: -1})),
			opt(client.WithRetryPolicy(client.RetryPolicy{Multiplier: 0.5}))},
		"WithTimeout": {opt(client.WithTimeout(-time.Second))},
		"WithHeader": {opt(client.WithHeader("Authorization: Bearer "+tok, "")), opt(client.WithHeader(tok+" x", "v")),
			opt(client.WithHeader(tok, "v\n"+tok)), opt(client.WithHeader("Authorization", "Bearer "+tok)),
			opt(client.WithHeader("Accept-Encoding", tok))},
		"WithUserAgent":    {opt(client.WithUserAgent(tok + "\n")), opt(client.WithUserAgent(""))},
		"WithAPIVersion":   {opt(client.WithAPIVersion(tok + " x")), opt(client.WithAPIVersion(""))},
		"WithMiddleware":   {opt(client.WithMiddleware(nil))},
		"WithRateLimiter":  {opt(client.WithRateLimiter((*refusingLimiter)(nil)))},
		"WithResponseInto": {opt(client.WithResponseInto(nil))},
		// WithLogger and WithCooldown have no invalid value.
		"request fields": {create(client.CreateCustomerSessionRequest{CustomerID: tok}),
			create(client.CreateCustomerSessionRequest{CustomerID: testCustomerID, MemberID: tok}),
			create(client.CreateCustomerSessionRequest{ExternalCustomerID: tok + "\xff"}),
			create(client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "ftp://x/" + tok}),
			create(client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: "https://x/" + tok + strings.Repeat("a", 3000)}),
			create(client.CreateCustomerSessionRequest{CustomerID: testCustomerID, ReturnURL: tok}),
			create(client.CreateCustomerSessionRequest{ExternalCustomerID: tok + "\x00"}),
			func(c *client.Client) error {
				_, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), tok)
				return err
			},
			func(c *client.Client) error {
				_, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), testSessionToken+" "+tok)
				return err
			}},
	}
}

func TestInputErrorsNeverShowASecret(t *testing.T) {
	ts := newTestServer(t)
	c := newClient(t, ts)
	for name, calls := range inputErrorCases() {
		for i, call := range calls {
			err := call(c)
			require.ErrorIs(t, err, client.ErrInvalidRequest, "%s #%d", name, i)
			var inErr *client.InputError
			require.ErrorAs(t, err, &inErr)
			assertNoSecret(t, printedError(err))
		}
	}
	assert.Empty(t, ts.Requests())
}

// Every exported function that returns an Option is in inputErrorCases (or
// named here as having no invalid value), so a new option cannot skip the
// test.
func TestInputErrorCasesCoverEveryOption(t *testing.T) {
	noInvalidValue := map[string]bool{"WithLogger": true, "WithCooldown": true}
	cases := inputErrorCases()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	found := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !fn.Name.IsExported() || fn.Type.Results == nil || len(fn.Type.Results.List) != 1 {
				continue
			}
			if id, ok := fn.Type.Results.List[0].Type.(*ast.Ident); ok && id.Name == "Option" {
				found++
				_, covered := cases[fn.Name.Name]
				assert.True(t, covered || noInvalidValue[fn.Name.Name], "option %s has no case in inputErrorCases", fn.Name.Name)
			}
		}
	}
	assert.GreaterOrEqual(t, found, 8)
}

const fixtureToken = "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW"

// TestNoSecretsInErrorsOrLogs runs failing and succeeding calls with a debug
// logger and checks that no token, portal URL or email reaches an error
// string or a log line, even when the server echoes them back.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	echo := `{"error":"invalid_token","detail":"bad token ` + testAccessToken + ` see https://polar.sh/acme/portal?customer_session_token=` +
		fixtureToken + `&email=jane%40example.com"}`
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(
		status(503, echo),
		status(401, echo),
		func(w http.ResponseWriter, _ *http.Request) { respond(w, 201, fixtures.CustomerSessionIndividual()) },
	))
	ts.Mux.HandleFunc("GET "+introspectPath, status(422,
		`{"error":"PolarRequestValidationError","detail":[{"loc":["header","`+testSessionToken+`"],"msg":"bad `+testSessionToken+`","type":"x","input":"`+testSessionToken+`"}]}`))

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, ts, client.WithLogger(logger))
	ctx := context.Background()

	var outputs []string
	_, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.ErrorIs(t, err, client.ErrUnauthorized)
	outputs = append(outputs, err.Error(), fmt.Sprintf("%v %+v", err, err))
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	outputs = append(outputs, apiErr.Code, apiErr.Detail) // what code logs by hand is redacted too
	assert.Contains(t, err.Error(), "polar_oat_[redacted]", "the kind of token stays visible")
	assert.Contains(t, err.Error(), "[redacted URL]")

	s, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	require.Equal(t, fixtureToken, s.Token.Reveal())
	logger.Info("created", "session", s)
	outputs = append(outputs, fmt.Sprint(s), fmt.Sprintf("%v|%+v|%#v|%s", s, s, s, s), fmt.Sprintf("%v|%+v|%#v", *s, *s, *s))

	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, testSessionToken)
	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	outputs = append(outputs, err.Error(), vErr.Errors[0].Msg, vErr.Errors[0].Field())

	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, "polar_oat_"+testSessionToken[10:])
	require.ErrorIs(t, err, client.ErrInvalidRequest)
	outputs = append(outputs, err.Error())

	outputs = append(outputs, logs.String())
	require.Contains(t, logs.String(), "polar: retrying", "the log must have been written")
	require.Contains(t, logs.String(), "level=DEBUG msg=\"polar: request\"")
	for _, out := range outputs {
		for _, secret := range []string{testAccessToken, testSessionToken, fixtureToken, "TESTsessionTOKEN", "customer_session_token", "jane%40example.com", "jane@example.com"} {
			assert.NotContains(t, out, secret)
		}
	}
	assert.Contains(t, fmt.Sprint(s), "Token: [redacted]")
	assert.True(t, strings.Contains(logs.String(), "session.id=5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f"), logs.String())
}

func TestNoLoggingByDefault(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(503, ""), createdOK))
	c := newClient(t, ts)
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	assert.Empty(t, logs.String(), "the library must not log through slog's default logger")
}

// A token the 1 MiB error-body limit cuts keeps none of its characters in
// a run of 16: without its prefix, or JSON-escaped in a body that no longer
// parses, it is redacted before the cut can hide it.
func TestCutEchoesAreRedacted(t *testing.T) {
	for name, body := range map[string]string{
		"bare":    strings.Repeat("x", 1<<20-40) + testAccessToken[len("polar_oat_"):] + " and more",
		"escaped": `{"detail":"` + strings.Repeat("y", 1<<20-30) + `polar\u005foat\u005f` + testAccessToken[len("polar_oat_"):] + `"}`,
	} {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("POST "+createPath, status(http.StatusBadRequest, body))
		c := newClient(t, ts)
		_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.LessOrEqual(t, len(apiErr.Body), 1<<20, name)
		assertNoSecret(t, []string{err.Error(), string(apiErr.Body), apiErr.Detail, fmt.Sprintf("%+v", err)})
	}
}

// A session prints no token and no portal URL under any fmt verb, by value
// or by pointer.
func TestSessionPrintsSafelyUnderEveryVerb(t *testing.T) {
	var sess client.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionIndividual(), &sess))
	require.NotEmpty(t, sess.Token.Reveal())
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%b", "%o", "%O", "%x", "%X", "%t", "%e", "%f", "%g", "%c", "%U", "%p", "%T %v", "%10.3v"} {
		outputs = append(outputs, fmt.Sprintf(verb, sess), fmt.Sprintf(verb, &sess), fmt.Sprintf(verb, []any{sess}))
	}
	outputs = append(outputs, fmt.Sprint(sess), fmt.Sprintln(&sess), slogged(sess, false), slogged(&sess, true))
	assertNoSecret(t, outputs)
	assert.Contains(t, fmt.Sprintf("%v", sess), "Token: [redacted]")
}

// The generated model inside a session prints no token and no portal URL
// either: alone, by value or pointer, held in a struct of yours (where
// fmt prints a pointer under a verb it does not take, %s, as an error,
// calling no method), in an error, and through slog's handlers.
func TestSessionModelPrintsSafely(t *testing.T) {
	var sess client.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionIndividual(), &sess))
	model := sess.CustomerSession
	type page struct {
		Session *gen.CustomerSession
		Title   string
	}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%c", "%t", "%g", "%U", "%p"} {
		for _, v := range []any{model, *model, page{model, "t"}, &page{model, "t"}, []any{model}, map[string]any{"s": model}} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
		outputs = append(outputs, fmt.Errorf(verb, model).Error())
	}
	for _, v := range []any{model, *model, model.Token, model.CustomerPortalURL, []*gen.CustomerSession{model}} {
		outputs = append(outputs, slogged(v, false))
	}
	for _, v := range []any{model, *model, model.Token, model.CustomerPortalURL} {
		outputs = append(outputs, slogged(v, true))
	}
	var def bytes.Buffer // the default logger goes through the log package
	log.SetOutput(&def)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	slog.Info("session", "s", model)
	outputs = append(outputs, def.String())
	assertNoSecret(t, outputs)
	assert.Contains(t, fmt.Sprintf("%+v", model), "Token:[redacted]")
	assert.Contains(t, slogged(model, true), `"token":"[redacted]"`)
	// What the docs say: slog's JSON handler writes a value without a
	// LogValue (a slice, a struct of yours) as encoding/json does, secrets
	// and all.
	assert.Contains(t, slogged([]*gen.CustomerSession{model}, true), fixtureToken)
}

// encoding/json writes the secrets, and reads them back, through the
// session and its model alike.
func TestSessionJSONKeepsTheSecrets(t *testing.T) {
	var sess client.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionIndividual(), &sess))
	for _, v := range []any{sess, sess.CustomerSession} {
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		var again client.CustomerSession
		require.NoError(t, json.Unmarshal(raw, &again))
		assert.Equal(t, fixtureToken, again.Token.Reveal())
		assert.Equal(t, sess.CustomerPortalURL.Reveal(), again.CustomerPortalURL.Reveal())
		assert.Contains(t, again.CustomerPortalURL.Reveal(), "customer_session_token="+fixtureToken)
		assert.JSONEq(t, string(fixtures.CustomerSessionIndividual()), string(raw), "the wire form, unchanged")
	}
}

// A panic in a middleware, a rate limiter or the HTTP client ends the call
// with a *TransportError of Class "panic" whose text is redacted, even of
// the token's bare secret.
func TestPanicInAHookIsARedactedTypedError(t *testing.T) {
	secret := testAccessToken[len("polar_oat_"):]
	for name, opt := range map[string]client.Option{
		"middleware": client.WithMiddleware(func(*http.Request, client.MiddlewareNext) (*http.Response, error) {
			panic("middleware " + secret)
		}),
		"limiter": client.WithRateLimiter(limiterFunc(func(context.Context) error { panic(errors.New("limiter " + testAccessToken)) })),
		"doer": client.WithHTTPClient(doerFunc(func(*http.Request) (*http.Response, error) {
			panic(fmt.Sprintf("doer %s", strings.ToLower(secret)))
		})),
	} {
		ts := newTestServer(t)
		c := newClient(t, ts, opt)
		var sess *client.CustomerSession
		var err error
		require.NotPanics(t, func() {
			sess, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
		}, name)
		assert.Nil(t, sess, name)
		var tErr *client.TransportError
		require.ErrorAs(t, err, &tErr, name)
		assert.Equal(t, "panic", tErr.Class, name)
		assert.Contains(t, err.Error(), "panic: ", name)
		assertNoSecret(t, printedError(err))
		assert.Empty(t, ts.Requests(), name)
	}
}
