package client

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// CustomerCustomerSession is a session's expiry and return URL (nil when
// none), not whom it is for: that is Polar's customer-portal API.
type CustomerCustomerSession = gen.CustomerCustomerSession

// Introspect returns the expiry and return URL of a member (polar_mst_…) or
// customer (polar_cst_…) session token, sent as bearer instead of the access
// token. An unknown or expired one is an *APIError matching ErrUnauthorized;
// an empty, blank or access token is refused unsent (ErrInvalidRequest).
func (s *CustomerPortalCustomerSession) Introspect(ctx context.Context, sessionToken string, opts ...Option) (*CustomerCustomerSession, error) {
	if s == nil {
		return nil, invalid("client", "not created with New")
	}
	set, err := s.client.callSettings(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := checkToken("session token", sessionToken, "introspection needs the member or customer session token (polar_mst_… or polar_cst_…)",
		rules.PrefixOrganizationToken, rules.PrefixPersonalToken); err != nil {
		return nil, err
	}
	return run(ctx, set, OperationIntrospect, sessionToken, decodeIntrospection,
		func(ctx context.Context, gc *gen.Client) (*http.Response, error) {
			return gc.CustomerPortalCustomerSessionIntrospect(ctx)
		})
}

// decodeIntrospection decodes a 200, refusing one without an expiry.
func decodeIntrospection(body []byte, red *redactor) (*CustomerCustomerSession, error) {
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
