package client

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/polarsessions/polarsessions-go/rules"
)

// Option configures a Client (in New) or one call (applied after the
// client's, so it wins). A bad value fails New, or the call before sending,
// with an error matching ErrInvalidRequest.
type Option func(*settings) error

// settings is everything an Option can set. A call works on its own copy.
type settings struct {
	accessToken, accessTokenSource string // the source for messages: "WithAccessToken" or the env var
	serverURL                      string // normalised, ends in "/"
	httpClient                     HTTPDoer
	ownHTTP                        bool // httpClient is the Client's own: it edits no request, keeps to the context
	retry                          RetryPolicy
	timeout                        time.Duration
	headers                        []header // extra headers, in order; a later key wins
	userAgent, apiVersion          string
	logger                         *slog.Logger
	middleware                     []Middleware // client's first, then the call's
	limiter                        RateLimiter
	noCooldown                     bool
	cooldowns                      *cooldowns // the Client's, shared by its calls
	responseInto                   **http.Response
}

type header struct{ key, value string }

// apply runs opts over s in order and stops at the first error.
func (s *settings) apply(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(s); err != nil {
			return err
		}
	}
	return nil
}

// WithAccessToken sets the organization access token (polar_oat_…) that
// Create sends; per call, it overrides the client's. Introspect never sends
// it. Without it, New reads POLAR_ACCESS_TOKEN.
func WithAccessToken(token string) Option {
	return func(s *settings) error {
		s.accessToken, s.accessTokenSource = token, "WithAccessToken"
		return checkAccessToken("WithAccessToken", token)
	}
}

// checkToken refuses an empty token, one with whitespace or controls, or one
// of a wrong kind (a 401, and a secret sent where it does not belong).
func checkToken(field, token, want string, wrong ...string) error {
	if token == "" {
		return invalid(field, "is empty")
	}
	if strings.IndexFunc(token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return invalid(field, "contains whitespace or control characters")
	}
	for _, p := range wrong {
		if strings.HasPrefix(token, p) {
			return invalid(field, "is a %s… token; %s", p, want)
		}
	}
	return nil
}

func checkAccessToken(field, token string) error {
	return checkToken(field, token, "creating a session needs an organization access token (polar_oat_…)",
		rules.PrefixCustomerSession, rules.PrefixMemberSession)
}

// WithServerURL sets the base URL: ServerProduction (the default),
// ServerSandbox, or an https URL, maybe with a gateway's prefix ("/v1" is
// dropped); http:// only for loopback; no user info, query or fragment.
func WithServerURL(serverURL string) Option {
	return func(s *settings) (err error) {
		s.serverURL, err = normalizeBaseURL(serverURL)
		return err
	}
}

// normalizeBaseURL checks a server URL and ends it in "/", as gen wants it.
func normalizeBaseURL(raw string) (string, error) {
	const field = "server URL"
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", invalid(field, "does not parse as a URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", invalid(field, "must be an absolute http(s) URL, got scheme %q", u.Scheme)
	case u.Opaque != "" || u.Hostname() == "":
		return "", invalid(field, "must be an absolute http(s) URL with a host")
	case u.User != nil:
		return "", invalid(field, "must not contain user info: credentials in a URL end up in logs; pass the token separately")
	case u.RawQuery != "" || u.ForceQuery:
		return "", invalid(field, "must not contain a query")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", invalid(field, "must not contain a fragment")
	case u.Scheme == "http" && !strings.EqualFold(u.Hostname(), "localhost") && !net.ParseIP(u.Hostname()).IsLoopback():
		return "", invalid(field, "http:// is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https")
	}
	// Paths start with /v1; the escaped path keeps a prefix's %2F escaped.
	path := strings.TrimRight(strings.TrimSuffix(strings.TrimRight(u.EscapedPath(), "/"), "/v1"), "/") + "/"
	if u.Path, err = url.PathUnescape(path); err != nil {
		return "", invalid(field, "has a malformed path")
	}
	u.RawPath = path
	return u.String(), nil
}

// WithTimeout bounds a whole call, retries and waits included; zero means no
// bound beyond the context's.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		s.timeout = d
		return refuse(d < 0, "WithTimeout", "is negative (%s)", d)
	}
}

// WithHeader adds a header to every request; those the client or transport
// sets are refused, naming the option to use, never quoting name or value.
func WithHeader(key, value string) Option {
	return func(s *settings) error {
		if !isToken(key) {
			return invalid("WithHeader", "the header name is not a valid HTTP token (letters, digits and !#$%%&'*+-.^_`|~ only)")
		}
		key = http.CanonicalHeaderKey(key)
		switch key {
		case "Authorization":
			return invalid("WithHeader", "Authorization is set by the client: use WithAccessToken, or for Introspect the session token argument")
		case "User-Agent":
			return invalid("WithHeader", "User-Agent is set by the client: use WithUserAgent")
		case "Polar-Version":
			return invalid("WithHeader", "Polar-Version is set by the client: use WithAPIVersion")
		case "Accept", "Content-Type", "Content-Length":
			return invalid("WithHeader", "%s is set by the client for its JSON requests", key)
		case "Host", "Transfer-Encoding", "Accept-Encoding", "Content-Encoding", "Connection", "Keep-Alive",
			"Proxy-Connection", "Te", "Trailer", "Upgrade", "Expect":
			return invalid("WithHeader", "%s is managed by the HTTP transport", key)
		}
		if hasControl(value) {
			return invalid("WithHeader", "the value contains control characters")
		}
		// A fresh slice, so a call's headers never write into the client's.
		s.headers = append(s.headers[:len(s.headers):len(s.headers)], header{key, value})
		return nil
	}
}

// WithUserAgent puts ua (your application, e.g. "acme-billing/2.1") in front
// of the client's own User-Agent, "polarsessions-go/<version> (<go version>)".
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		s.userAgent = ua + " " + defaultUserAgent()
		return refuse(strings.TrimSpace(ua) == "" || hasControl(ua), "WithUserAgent", "must be non-empty printable text")
	}
}

// WithLogger logs each attempt at debug level and each retry at info level,
// with no token, body or portal URL; nil, the default, logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error { s.logger = l; return nil }
}

// WithAPIVersion sets the Polar-Version header, to pin the client to one of
// the versions Polar serves (rules.APIVersions); the default is
// DefaultAPIVersion, the version of the spec this client was generated from.
// A value not of Polar's form, YYYY-MM, is refused: Polar would answer 404.
func WithAPIVersion(v string) Option {
	return func(s *settings) error {
		s.apiVersion = v
		return refuse(!rules.IsAPIVersion(v), "WithAPIVersion", "must be a Polar API version, YYYY-MM, such as %q", DefaultAPIVersion)
	}
}

// WithResponseInto stores in *dst the last attempt's response, on success and
// failure, or nil when no attempt got one. Its headers are redacted; its
// Body reads again what the client read (up to 1 MiB of an error body,
// 4 MiB of a success; empty when the read failed or was over the limit),
// with tokens and portal URLs redacted as in errors, so it is for logs and
// fields the client does not decode, not for the secrets (use the result);
// it has no Request, which holds the credential. A per-call option, as in
// openai-go.
func WithResponseInto(dst **http.Response) Option {
	return func(s *settings) error {
		s.responseInto = dst
		return refuse(dst == nil, "WithResponseInto", "is nil")
	}
}

// isNil reports a nil v, or a nil pointer (or the like) in an interface.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.Interface, reflect.Slice:
		return rv.IsNil()
	}
	return v == nil
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2).
func isToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return r >= unicode.MaxASCII || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-.^_`|~", r))
	}) < 0
}

// refuse is the error of an option given a bad value, nil for a good one.
func refuse(bad bool, option, format string, args ...any) error {
	if bad {
		return invalid(option, format, args...)
	}
	return nil
}

func hasControl(s string) bool { return strings.IndexFunc(s, unicode.IsControl) >= 0 }
