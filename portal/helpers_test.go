package portal_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/syncbuf"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// Request headers by which the test application says who is signed in.
// They stand in for a session cookie: a real application never takes the
// customer from anything the visitor sends.
const (
	hdrUser           = "X-Test-User"             // external customer ID
	hdrCustomerID     = "X-Test-Customer-ID"      // Polar customer ID
	hdrMember         = "X-Test-Member"           // external member ID
	hdrMemberID       = "X-Test-Member-ID"        // Polar member ID
	hdrSection        = "X-Test-Section"          // picks one of returnURLs
	hdrCustomerFailed = "X-Test-Customer-Failure" // the Customer func fails
)

const (
	defaultReturnURL = "https://example.com/account"
	portalPrefix     = "https://polar.sh/polartest/portal?customer_session_token="
)

// returnURLs are the return URLs the test application trusts, by section.
var returnURLs = map[string]string{"billing": "https://example.com/billing", "team": "https://example.com/team"}

// testCustomer is the test application's Config.Customer.
func testCustomer(r *http.Request) (client.CreateCustomerSessionRequest, error) {
	if r.Header.Get(hdrCustomerFailed) != "" {
		return client.CreateCustomerSessionRequest{}, errors.New("session store unavailable")
	}
	req := client.CreateCustomerSessionRequest{
		ExternalCustomerID: r.Header.Get(hdrUser),
		CustomerID:         r.Header.Get(hdrCustomerID),
		ExternalMemberID:   r.Header.Get(hdrMember),
		MemberID:           r.Header.Get(hdrMemberID),
		ReturnURL:          returnURLs[r.Header.Get(hdrSection)],
	}
	if req.ExternalCustomerID == "" && req.CustomerID == "" {
		return req, portal.ErrNoCustomer
	}
	return req, nil
}

// env is a fake Polar, a client for it, the handler under test and an
// application serving it on /billing.
type env struct {
	srv     *polartest.Server
	clock   *polartest.Clock
	polar   *client.Client
	handler *portal.Handler
	app     *httptest.Server
	visitor *http.Client // never follows redirects
	logs    *syncbuf.Buffer
}

// option adjusts setup.
type option func(*options)

type options struct {
	retry     client.RetryPolicy
	client    []client.Option
	server    []polartest.ServerOption
	serverNow func(*polartest.Clock) func() time.Time
	wrap      func(http.Handler) http.Handler
}

// withRetry sets the client's retry policy; the default makes one attempt.
func withRetry(p client.RetryPolicy) option { return func(o *options) { o.retry = p } }

// withClient adds options to the client.
func withClient(opts ...client.Option) option {
	return func(o *options) { o.client = append(o.client, opts...) }
}

// withServer adds options to the fake Polar.
func withServer(opts ...polartest.ServerOption) option {
	return func(o *options) { o.server = append(o.server, opts...) }
}

// withPolarClock gives the fake Polar a clock of its own, derived from the
// env's (the handler's) clock.
func withPolarClock(f func(*polartest.Clock) func() time.Time) option {
	return func(o *options) { o.serverNow = f }
}

// withMiddleware wraps the handler where the application mounts it.
func withMiddleware(wrap func(http.Handler) http.Handler) option {
	return func(o *options) { o.wrap = wrap }
}

// setup builds an env. cfg's Client, Logger and Now are filled in, and its
// Customer and ReturnURL when unset.
func setup(t *testing.T, cfg portal.Config, opts ...option) *env {
	t.Helper()
	noGoroutineLeft(t)
	o := options{retry: client.RetryPolicy{MaxAttempts: 1}}
	for _, opt := range opts {
		opt(&o)
	}
	e := &env{clock: polartest.NewClock(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)), logs: &syncbuf.Buffer{}}
	polarNow := e.clock.Now
	if o.serverNow != nil {
		polarNow = o.serverNow(e.clock)
	}
	e.srv = polartest.NewServer(append([]polartest.ServerOption{polartest.WithClock(polarNow)}, o.server...)...)
	t.Cleanup(e.srv.Close)

	var err error
	e.polar, err = client.New(append([]client.Option{client.WithServerURL(e.srv.URL()),
		client.WithAccessToken(e.srv.AccessToken()), client.WithRetryPolicy(o.retry)}, o.client...)...)
	require.NoError(t, err)
	t.Cleanup(e.polar.CloseIdleConnections)

	cfg.Client = e.polar
	cfg.Logger = slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.Now == nil {
		cfg.Now = e.clock.Now
	}
	if cfg.Customer == nil {
		cfg.Customer = testCustomer
	}
	if cfg.ReturnURL == "" {
		cfg.ReturnURL = defaultReturnURL
	}
	e.handler, err = portal.New(cfg)
	require.NoError(t, err)

	mux := http.NewServeMux()
	var h http.Handler = e.handler
	if o.wrap != nil {
		h = o.wrap(h)
	}
	mux.Handle("/billing", h)
	e.app = httptest.NewServer(mux)
	t.Cleanup(e.app.Close)
	e.visitor = &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
		Timeout:       30 * time.Second,
	}
	t.Cleanup(e.visitor.CloseIdleConnections)
	return e
}

// answer is the application's answer to a visit.
type answer struct {
	status int
	header http.Header
	body   string
}

// location is the Location of a redirect.
func (a answer) location() string { return a.header.Get("Location") }

// visit makes a request to /billing with headers given as name, value, ….
func (e *env) visit(t *testing.T, method string, headers ...string) answer {
	t.Helper()
	a, err := e.tryVisit(context.Background(), method, headers...)
	require.NoError(t, err)
	return a
}

func (e *env) tryVisit(ctx context.Context, method string, headers ...string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, e.app.URL+"/billing", nil)
	if err != nil {
		return answer{}, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.visitor.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(body)}, err
}

// creates returns the create requests that reached the fake Polar.
func (e *env) creates() []polartest.Request {
	var out []polartest.Request
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/v1/customer-sessions/") {
			out = append(out, r)
		}
	}
	return out
}

// logLines returns the handler's log lines, decoded.
func (e *env) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		lines = append(lines, m)
	}
	return lines
}

// failureLines returns the log lines at warn level and above.
func (e *env) failureLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range e.logLines(t) {
		if l["level"] == "WARN" || l["level"] == "ERROR" {
			out = append(out, l)
		}
	}
	return out
}

// sessionToken is the session token in a portal URL.
func sessionToken(t *testing.T, portalURL string) string {
	t.Helper()
	require.True(t, strings.HasPrefix(portalURL, portalPrefix), portalURL)
	tok, _, _ := strings.Cut(strings.TrimPrefix(portalURL, portalPrefix), "&")
	require.NotEmpty(t, tok)
	return tok
}

// noGoroutineLeft fails the test if, once its cleanups have run, more
// goroutines remain than when it started. Call it before registering other
// cleanups, so that it runs last.
func noGoroutineLeft(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines left, %d before the test:\n%s", n, before, buf[:runtime.Stack(buf, true)])
		}
	})
}
