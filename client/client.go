package client

import (
	"context"
	"net/http"
	"os"
	"runtime"

	"github.com/polarsessions/polarsessions-go/gen"
)

// Polar's API servers, for WithServerURL.
const (
	ServerProduction = "https://api.polar.sh"
	ServerSandbox    = "https://sandbox-api.polar.sh"
)

// DefaultAPIVersion is the Polar-Version sent unless WithAPIVersion says
// otherwise: the info.version of the spec in openapi/.
const DefaultAPIVersion = gen.APIVersion

// Version is this library's version, sent in the User-Agent.
const Version = "0.2.0"

// EnvAccessToken names the environment variable New reads the organization
// access token from when no WithAccessToken option is given.
const EnvAccessToken = "POLAR_ACCESS_TOKEN"

// Client calls Polar's customer-session API. Create one with New and share
// it: it is safe for concurrent use, and its default HTTP client keeps
// connections alive across calls.
type Client struct {
	// CustomerSessions creates customer sessions (organization token).
	CustomerSessions *CustomerSessions
	// CustomerPortal holds the customer-facing endpoints (session token).
	CustomerPortal *CustomerPortal

	base  settings     // never modified after New; each call copies it
	owned *http.Client // the client's own HTTP client, nil with WithHTTPClient
	tmpl  templates
}

// CustomerSessions is the customer-sessions API: POST /v1/customer-sessions/.
type CustomerSessions struct{ client *Client }

// CustomerPortal groups the customer portal API.
type CustomerPortal struct {
	// CustomerSession introspects customer session tokens.
	CustomerSession *CustomerPortalCustomerSession
}

// CustomerPortalCustomerSession is GET /v1/customer-portal/customer-session/introspect.
type CustomerPortalCustomerSession struct{ client *Client }

// New returns a Client configured by opts. Without WithAccessToken, the
// organization access token is read from the POLAR_ACCESS_TOKEN environment
// variable (checked when Create uses it, so an Introspect-only client needs
// none). Without WithHTTPClient, the client gets its own *http.Client from
// NewHTTPClient, with a transport tuned for concurrent use; it never uses
// http.DefaultClient. To add tracing or metrics while keeping that client,
// use WithMiddleware.
func New(opts ...Option) (*Client, error) {
	c := &Client{}
	c.base = settings{
		serverURL:  ServerProduction + "/",
		retry:      DefaultRetryPolicy(),
		userAgent:  defaultUserAgent(),
		apiVersion: DefaultAPIVersion,
		cooldowns:  &cooldowns{},
	}
	if err := c.base.apply(opts); err != nil {
		return nil, err
	}
	if c.base.accessToken == "" {
		if tok := os.Getenv(EnvAccessToken); tok != "" {
			c.base.accessToken, c.base.accessTokenSource = tok, EnvAccessToken
		}
	}
	if c.base.httpClient == nil {
		c.owned = NewHTTPClient()
		c.base.httpClient = c.owned
	}
	tmpl, err := newTemplates(c.base.serverURL)
	if err != nil {
		return nil, invalid("server URL", "cannot build requests: %v", err)
	}
	c.tmpl = tmpl
	c.CustomerSessions = &CustomerSessions{client: c}
	c.CustomerPortal = &CustomerPortal{CustomerSession: &CustomerPortalCustomerSession{client: c}}
	return c, nil
}

// CloseIdleConnections closes the idle connections of the client's own HTTP
// client. It does nothing to an HTTP client given with WithHTTPClient, which
// belongs to the caller.
func (c *Client) CloseIdleConnections() {
	if c != nil && c.owned != nil {
		c.owned.CloseIdleConnections()
	}
}

// notFromNew is the answer of a call on a Client that New did not make: a
// zero Client, or a service struct built by hand. A fresh error each time,
// so no caller can change another's.
func notFromNew() error { return invalid("client", "not created with New") }

// callSettings checks a call's context and returns the client's settings
// with the call's options applied.
func (c *Client) callSettings(ctx context.Context, opts []Option) (settings, error) {
	if c == nil || c.base.httpClient == nil {
		return settings{}, notFromNew()
	}
	if ctx == nil {
		return settings{}, invalid("ctx", "is nil; use context.Background()")
	}
	s := c.base
	if len(opts) == 0 {
		return s, nil
	}
	err := s.apply(opts)
	return s, err
}

func defaultUserAgent() string {
	return "polarsessions-go/" + Version + " (" + runtime.Version() + ")"
}
