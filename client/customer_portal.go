package client

import (
	"context"

	"github.com/polarsessions/polarsessions-go/gen"
)

// CustomerCustomerSession is what introspection tells about a session: when
// it expires and its return URL (nil when none was set).
type CustomerCustomerSession = gen.CustomerCustomerSession

// Introspect returns the expiry and return URL of a customer (polar_cst_…)
// or member (polar_mst_…) session token. It sends GET
// /v1/customer-portal/customer-session/introspect with sessionToken as the
// bearer token; the client's access token is never sent. An unknown or
// expired token gives an *APIError matching ErrUnauthorized, with Code
// "invalid_token".
//
// The token is checked first: an empty one, one holding whitespace, or an
// organization or personal access token returns an error matching
// ErrInvalidRequest and sends nothing.
func (s *CustomerPortalCustomerSession) Introspect(ctx context.Context, sessionToken string, opts ...Option) (*CustomerCustomerSession, error) {
	if s == nil {
		return nil, notFromNew()
	}
	set, err := s.client.callSettings(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := checkSessionToken(sessionToken); err != nil {
		return nil, err
	}
	return call(ctx, &set, operation[gen.CustomerCustomerSession]{
		id:       opIntrospect,
		token:    sessionToken,
		build:    s.client.tmpl.introspectRequest,
		complete: completeIntrospection,
		redact: func(s *gen.CustomerCustomerSession, r redactor) {
			s.ReturnURL = r.strPtr(s.ReturnURL)
		},
	})
}

// completeIntrospection refuses an answer without an expiry; return_url is
// legitimately null.
func completeIntrospection(s *gen.CustomerCustomerSession) error {
	if s.ExpiresAt.IsZero() {
		return missingFields([]string{"expires_at"})
	}
	return nil
}
