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
)

// Option configures a Client (in New) or a single call (as the trailing
// arguments of Create or Introspect). A call's options are applied after the
// client's and win. An option given a bad value makes New fail, or the call
// fail before sending, with an error matching ErrInvalidRequest.
type Option func(*settings) error

// settings is everything an Option can set. A call works on its own copy,
// so options never change the Client.
type settings struct {
	accessToken       string
	accessTokenSource string // for messages: "WithAccessToken" or the env var
	serverURL         string // normalised, ends in "/"
	httpClient        HTTPDoer
	retry             RetryPolicy
	timeout           time.Duration
	headers           []header // extra headers, in order; a later key wins
	userAgent         string   // full User-Agent value
	logger            *slog.Logger
	apiVersion        string
	middleware        []Middleware // client's first, then the call's
	limiter           RateLimiter
	noCooldown        bool
	cooldowns         *cooldowns // the Client's, shared by its calls
	responseInto      **http.Response
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
// Create sends as a bearer token. Given per call, it overrides the client's.
// Introspect never sends it. Without it, New reads POLAR_ACCESS_TOKEN.
func WithAccessToken(token string) Option {
	return func(s *settings) error {
		if err := checkAccessToken("WithAccessToken", token); err != nil {
			return err
		}
		s.accessToken, s.accessTokenSource = token, "WithAccessToken"
		return nil
	}
}

// WithServerURL sets the API base URL: ServerProduction (the default),
// ServerSandbox, or any https URL, optionally with a path prefix for an API
// gateway. A trailing "/" or "/v1" is dropped. http:// is accepted only for
// loopback hosts, and URLs with user info, a query or a fragment are refused.
func WithServerURL(serverURL string) Option {
	return func(s *settings) error {
		u, err := normalizeBaseURL(serverURL)
		s.serverURL = u
		return err
	}
}

// WithTimeout bounds a whole call, retries and waits included. Zero means no
// bound beyond the context's. Negative durations are refused.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return invalid("WithTimeout", "is negative (%s)", d)
		}
		s.timeout = d
		return nil
	}
}

// WithHeader adds a header to every request. Headers the client sets
// itself, and those the HTTP transport owns (setting Accept-Encoding, say,
// would turn off net/http's transparent decompression), are refused, with
// the option to use instead where there is one. Errors never quote the name
// or value given, which may be a mistyped secret.
func WithHeader(key, value string) Option {
	return func(s *settings) error {
		if key == "" || strings.IndexFunc(key, func(r rune) bool { return !isTokenChar(r) }) >= 0 {
			return invalid("WithHeader", "the header name is not a valid HTTP token (letters, digits and !#$%%&'*+-.^_`|~ only)")
		}
		key = http.CanonicalHeaderKey(key)
		if reason := reservedHeader(key); reason != "" {
			return invalid("WithHeader", "%s %s", key, reason)
		}
		if hasControl(value) {
			return invalid("WithHeader", "the value contains control characters")
		}
		// A fresh slice, so a call's headers never write into the client's.
		s.headers = append(s.headers[:len(s.headers):len(s.headers)], header{key, value})
		return nil
	}
}

// reservedHeader says why WithHeader may not set key (in canonical form),
// or returns "". The names it returns are fixed strings, never the caller's.
func reservedHeader(key string) string {
	switch key {
	case "Authorization":
		return "is set by the client: use WithAccessToken, or for Introspect the session token argument"
	case "User-Agent":
		return "is set by the client: use WithUserAgent"
	case "Polar-Version":
		return "is set by the client: use WithAPIVersion"
	case "Accept", "Content-Type", "Content-Length":
		return "is set by the client for its JSON requests"
	case "Host", "Transfer-Encoding", "Accept-Encoding", "Content-Encoding", "Connection", "Keep-Alive",
		"Proxy-Connection", "Te", "Trailer", "Upgrade", "Expect":
		return "is managed by the HTTP transport"
	}
	return ""
}

// WithUserAgent puts ua (your application, e.g. "acme-billing/2.1") in front
// of the client's own User-Agent, "polarsessions-go/<version> (<go version>)".
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(ua) == "" || hasControl(ua) {
			return invalid("WithUserAgent", "must be non-empty printable text")
		}
		s.userAgent = ua + " " + defaultUserAgent()
		return nil
	}
}

// WithLogger logs each request (method, path, status, attempt, duration) at
// debug level and each retry at info level, with no token, body or portal
// URL. nil, the default, logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = l
		return nil
	}
}

// WithAPIVersion sets the Polar-Version header. The default, DefaultAPIVersion,
// is the version of the spec this client was generated from.
func WithAPIVersion(v string) Option {
	return func(s *settings) error {
		if v == "" || strings.IndexFunc(v, func(r rune) bool { return !isTokenChar(r) }) >= 0 {
			return invalid("WithAPIVersion", "must be a non-empty token such as %q", DefaultAPIVersion)
		}
		s.apiVersion = v
		return nil
	}
}

// WithResponseInto stores in *dst the last attempt's HTTP response (status
// and headers; its body already read and closed), on success and on failure,
// or nil when no attempt got a response. It is a per-call option, as in
// openai-go: New refuses it.
func WithResponseInto(dst **http.Response) Option {
	return func(s *settings) error {
		if dst == nil {
			return invalid("WithResponseInto", "is nil")
		}
		s.responseInto = dst
		return nil
	}
}

// normalizeBaseURL checks a server URL and returns it in the form the
// generated client resolves paths against: scheme, host and an optional
// path prefix, ending in "/". A trailing "/v1" (as Polar's docs write the
// base URL) is dropped because every operation path starts with /v1.
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
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "", invalid(field, "http:// is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https")
	}
	// The escaped path, so that an escaped "/" (%2F) in a gateway prefix
	// stays escaped.
	path := strings.TrimSuffix(strings.TrimRight(u.EscapedPath(), "/"), "/v1")
	path = strings.TrimRight(path, "/") + "/"
	if u.Path, err = url.PathUnescape(path); err != nil {
		return "", invalid(field, "has a malformed path")
	}
	u.RawPath = path
	return u.String(), nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}

// isNil reports whether v is nil or a nil pointer, map, func, chan or
// slice wrapped in an interface, whose methods would panic when called.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch v := reflect.ValueOf(v); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.Interface, reflect.Slice:
		return v.IsNil()
	}
	return false
}

// isTokenChar reports whether r may appear in an HTTP token (RFC 9110 §5.6.2).
func isTokenChar(r rune) bool {
	return r < unicode.MaxASCII && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("!#$%&'*+-.^_`|~", r))
}

func hasControl(s string) bool { return strings.IndexFunc(s, unicode.IsControl) >= 0 }
