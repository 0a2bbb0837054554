package client

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/polarsessions/polarsessions-go/gen"
)

// CustomerCustomerSession is what introspection tells about a session: when
// it expires and its return URL (nil when none was set). It does not say
// whom the session is for: Polar's customer-portal API, outside this
// module, answers that to the session token.
type CustomerCustomerSession = gen.CustomerCustomerSession

// Introspect returns the expiry and return URL of a member (polar_mst_…) or
// customer (polar_cst_…) session token, sending GET
// /v1/customer-portal/customer-session/introspect with sessionToken as the
// bearer token; the client's access token is never sent. An unknown,
// expired or revoked token gives an *APIError matching ErrUnauthorized,
// with Code "invalid_token".
//
// The token is checked first: an empty one, one holding whitespace, or an
// organization or personal access token returns an error matching
// ErrInvalidRequest and sends nothing.
func (s *CustomerPortalCustomerSession) Introspect(ctx context.Context, sessionToken string, opts ...Option) (*CustomerCustomerSession, error) {
	if s == nil {
		return nil, invalid("client", "not created with New")
	}
	set, err := s.client.callSettings(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := checkSessionToken(sessionToken); err != nil {
		return nil, err
	}
	return run(ctx, set, OperationIntrospect, sessionToken, decodeIntrospection,
		func(ctx context.Context, gc *gen.Client) (*http.Response, error) {
			return gc.CustomerPortalCustomerSessionIntrospect(ctx)
		})
}

// decodeIntrospection decodes a 200 body, refuses one without an expiry
// (return_url is legitimately null), and redacts the return URL.
func decodeIntrospection(body []byte, red redactor) (*CustomerCustomerSession, error) {
	s := new(CustomerCustomerSession)
	if err := json.Unmarshal(body, s); err != nil {
		return nil, err
	}
	if err := missingFields(field{"expires_at", s.ExpiresAt.IsZero()}); err != nil {
		return nil, err
	}
	s.ReturnURL = red.strPtr(s.ReturnURL)
	return s, nil
}
