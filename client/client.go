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
// otherwise: the info.version of the spec gen/ was generated from.
const DefaultAPIVersion = gen.APIVersion

// Version is this library's version, sent in the User-Agent.
const Version = "0.2.0"

// EnvAccessToken names the environment variable New reads the organization
// access token from when no WithAccessToken option is given.
const EnvAccessToken = "POLAR_ACCESS_TOKEN"

// The operations' IDs (the spec's operationId), as errors give them.
const (
	OperationCreate     = "customer-sessions:create"
	OperationIntrospect = "customer_portal:customer-session:introspect"
)

// Client calls Polar's customer-session API. Create one with New and share
// it: it is safe for concurrent use and keeps connections alive.
type Client struct {
	CustomerSessions *CustomerSessions // creating sessions, with the organization token
	CustomerPortal   CustomerPortal    // the customer-facing endpoints, with a session token

	base  settings     // never modified after New; each call copies it
	owned *http.Client // the client's own HTTP client, nil with WithHTTPClient
}

// CustomerSessions is POST /v1/customer-sessions/.
type CustomerSessions struct{ client *Client }

// CustomerPortal groups the customer portal API.
type CustomerPortal struct {
	CustomerSession *CustomerPortalCustomerSession // introspecting session tokens
}

// CustomerPortalCustomerSession is GET /v1/customer-portal/customer-session/introspect.
type CustomerPortalCustomerSession struct{ client *Client }

// New returns a Client configured by opts. Without WithAccessToken it reads
// POLAR_ACCESS_TOKEN, once, here; without WithHTTPClient it makes its own
// with NewHTTPClient, never http.DefaultClient.
func New(opts ...Option) (*Client, error) {
	c := &Client{base: settings{serverURL: ServerProduction + "/", retry: DefaultRetryPolicy(),
		userAgent: defaultUserAgent(), apiVersion: DefaultAPIVersion, cooldowns: &cooldowns{}}}
	if err := c.base.apply(opts); err != nil {
		return nil, err
	}
	if c.base.responseInto != nil {
		return nil, invalid("WithResponseInto", "is a per-call option: concurrent calls would share it")
	}
	if c.base.accessToken == "" {
		c.base.accessToken, c.base.accessTokenSource = os.Getenv(EnvAccessToken), EnvAccessToken
	}
	if c.base.httpClient == nil {
		c.owned = NewHTTPClient()
		c.base.httpClient, c.base.ownHTTP = c.owned, true
	}
	c.CustomerSessions = &CustomerSessions{client: c}
	c.CustomerPortal = CustomerPortal{CustomerSession: &CustomerPortalCustomerSession{client: c}}
	return c, nil
}

// CloseIdleConnections closes the idle connections of the client's own HTTP
// client; an HTTP client given with WithHTTPClient belongs to the caller.
func (c *Client) CloseIdleConnections() {
	if c != nil && c.owned != nil {
		c.owned.CloseIdleConnections()
	}
}

// callSettings is the client's settings with a call's options applied.
func (c *Client) callSettings(ctx context.Context, opts []Option) (settings, error) {
	if c == nil || c.base.httpClient == nil {
		return settings{}, invalid("client", "not created with New")
	}
	if ctx == nil {
		return settings{}, invalid("ctx", "is nil; use context.Background()")
	}
	if len(opts) == 0 {
		return c.base, nil // no copy escapes to the heap
	}
	s := c.base
	err := s.apply(opts)
	return s, err
}

func defaultUserAgent() string {
	return "polarsessions-go/" + Version + " (" + runtime.Version() + ")"
}
