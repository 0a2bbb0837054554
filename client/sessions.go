package client

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// CreateCustomerSessionRequest says whom a session is for: one of CustomerID
// and ExternalCustomerID, at most one member field. "" is unset.
type CreateCustomerSessionRequest struct {
	CustomerID         string // Polar's customer ID, a version 4 UUID in any form Polar takes; sent canonical
	ExternalCustomerID string // the customer's ID in your system
	MemberID           string // the member's Polar ID, a version 4 UUID; optional
	ExternalMemberID   string // the member's ID in your system; optional
	// ReturnURL shows a back button in the portal: an absolute http(s) URL,
	// sent percent-encoded where it is no valid URI (rules.PrepareReturnURL).
	ReturnURL string
}

// body checks the request by Polar's rules and makes the generated union.
func (r CreateCustomerSessionRequest) body() (gen.CustomerSessionCreate, error) {
	var body gen.CustomerSessionCreate
	switch {
	case r.CustomerID == "" && r.ExternalCustomerID == "":
		return body, invalid("customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID)")
	case r.CustomerID != "" && r.ExternalCustomerID != "":
		return body, invalid("customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID), not both")
	case r.MemberID != "" && r.ExternalMemberID != "": // Polar would ignore external_member_id
		return body, invalid("member_id", "give member_id (MemberID) or external_member_id (ExternalMemberID), not both")
	}
	// Each field by Polar's rule for it, IDs made canonical and the return
	// URL percent-encoded where it is no valid URI (r is a copy).
	for _, f := range [...]struct {
		name  string
		value *string
	}{{"customer_id", &r.CustomerID}, {"external_customer_id", &r.ExternalCustomerID},
		{"member_id", &r.MemberID}, {"external_member_id", &r.ExternalMemberID}, {"return_url", &r.ReturnURL}} {
		v := rules.CheckText(*f.value)
		switch {
		case v != nil || *f.value == "":
		case f.name == "customer_id" || f.name == "member_id":
			*f.value, v = rules.ParseUUID4(*f.value)
		case f.name == "return_url":
			*f.value, v = rules.PrepareReturnURL(*f.value)
		default:
			if err := rules.CheckExternalID(*f.value); err != nil {
				return body, invalid(f.name, "%s", err)
			}
		}
		if v != nil {
			return body, invalid(f.name, "%s", v.Reason)
		}
	}
	if r.CustomerID != "" {
		return body, body.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{
			CustomerID: r.CustomerID, MemberID: optional(r.MemberID),
			ExternalMemberID: optional(r.ExternalMemberID), ReturnURL: optional(r.ReturnURL),
		})
	}
	return body, body.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
		ExternalCustomerID: r.ExternalCustomerID, MemberID: optional(r.MemberID),
		ExternalMemberID: optional(r.ExternalMemberID), ReturnURL: optional(r.ReturnURL),
	})
}

// optional maps "" to an absent field: the generated ones are omitempty pointers.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Create creates a session, a one-hour token for the customer's portal
// (CustomerSession.CustomerPortalURL), with the organization access token,
// after checking the request, options and token (ErrInvalidRequest, unsent).
func (s *CustomerSessions) Create(ctx context.Context, req CreateCustomerSessionRequest, opts ...Option) (*CustomerSession, error) {
	body, err := req.body()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, invalid("client", "not created with New")
	}
	set, err := s.client.callSettings(ctx, opts)
	if err != nil {
		return nil, err
	}
	if set.accessToken == "" {
		return nil, invalid("access token", "none set: use WithAccessToken or set %s", EnvAccessToken)
	}
	if err := checkAccessToken(set.accessTokenSource, set.accessToken); err != nil {
		return nil, err
	}
	return run(ctx, set, OperationCreate, set.accessToken, decodeSession,
		func(ctx context.Context, gc *gen.Client) (*http.Response, error) {
			return gc.CustomerSessionsCreate(ctx, body)
		})
}

// Customer kinds, the values of CustomerSession.CustomerType.
const (
	CustomerTypeIndividual = "individual"
	CustomerTypeTeam       = "team"
)

// The generated customer models: a union of an individual and a team,
// read with CustomerSession's CustomerType, Individual and Team.
type (
	Customer           = gen.Customer
	CustomerIndividual = gen.CustomerIndividual
	CustomerTeam       = gen.CustomerTeam
)

// CustomerSession is a created session: the generated model,
// [gen.CustomerSession], embedded, so that its fields are the session's
// (sess.Token, sess.ExpiresAt). Those you reach for:
//
//   - Token [rules.Secret]: the session token, polar_mst_… (a member
//     session) or polar_cst_…; Token.Reveal() is the value, to introspect
//   - CustomerPortalURL [rules.Secret]: the portal link, carrying the token:
//     redirect the customer to CustomerPortalURL.Reveal()
//   - ExpiresAt time.Time: when the session ends, an hour after it began
//   - CustomerID string: Polar's ID of the customer
//   - Customer [gen.Customer]: the customer, an individual or a team: read
//     it with CustomerType, Individual and Team
//   - ReturnURL *string: the portal's back link, nil when none was given
//
// The secrets print as [rules.Secret] does, redacted, under every fmt verb
// and slog handler, here and in the model; encoding/json writes them, and so
// does slog's JSONHandler for a slice, map or struct of yours holding
// sessions: log each session as an attribute of its own.
type CustomerSession struct {
	*gen.CustomerSession
}

// decodeSession decodes a 201, refuses one lacking what a caller needs,
// and redacts echoes from the fields that are not secrets by nature.
func decodeSession(body []byte, red *redactor) (*CustomerSession, error) {
	both := new(struct { // one allocation for the session and its model
		s CustomerSession
		m gen.CustomerSession
	})
	s := &both.s
	s.CustomerSession = &both.m
	if err := json.Unmarshal(body, s.CustomerSession); err != nil {
		return nil, err
	}
	raw, _ := s.Customer.MarshalJSON() // the union's JSON, valid, as received
	if err := missingFields(field{"token", s.Token.Reveal() == ""}, field{"customer_portal_url", s.CustomerPortalURL.Reveal() == ""},
		field{"customer_id", s.CustomerID == ""}, field{"expires_at", s.ExpiresAt.IsZero()},
		field{"customer", len(raw) == 0 || raw[0] != '{'}); err != nil {
		return nil, err
	}
	red.created = s.Token.Reveal() // echoed elsewhere, say without its prefix, it is redacted too
	s.ID, s.CustomerID, s.ReturnURL = red.str(s.ID), red.str(s.CustomerID), red.strPtr(s.ReturnURL)
	_ = s.Customer.UnmarshalJSON(red.json(raw)) // raw itself when nothing changed
	return s, nil
}

// CustomerType is the customer's kind: CustomerTypeIndividual, Team, or one
// Polar adds later; "" when the customer has no type (Polar always sends one).
func (s CustomerSession) CustomerType() string {
	if s.CustomerSession == nil {
		return ""
	}
	kind, _ := s.Customer.Discriminator()
	return kind
}

// Individual returns the customer when it is an individual.
func (s CustomerSession) Individual() (*CustomerIndividual, bool) {
	return customerAs(s, CustomerTypeIndividual, gen.Customer.AsCustomerIndividual)
}

// Team returns the customer when it is a team.
func (s CustomerSession) Team() (*CustomerTeam, bool) {
	return customerAs(s, CustomerTypeTeam, gen.Customer.AsCustomerTeam)
}

func customerAs[T any](s CustomerSession, kind string, as func(gen.Customer) (T, error)) (*T, bool) {
	if s.CustomerType() != kind {
		return nil, false
	}
	c, err := as(s.Customer)
	return &c, err == nil
}

// String describes the session; its Token and CustomerPortalURL print as
// rules.Secret does, redacted.
func (s CustomerSession) String() string {
	if s.CustomerSession == nil {
		return "CustomerSession{}"
	}
	return fmt.Sprintf("CustomerSession{ID: %s, CustomerID: %s, CustomerType: %s, ExpiresAt: %s, Token: %s, CustomerPortalURL: %s}",
		s.ID, s.CustomerID, s.CustomerType(), s.ExpiresAt.Format(time.RFC3339), s.Token, s.CustomerPortalURL)
}

// LogValue makes slog log a summary of the session: no secret, and none of
// the customer's details (the model's own LogValue logs them all, its
// secrets redacted).
func (s CustomerSession) LogValue() slog.Value {
	if s.CustomerSession == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(slog.String("id", s.ID), slog.String("customer_id", s.CustomerID),
		slog.String("customer_type", s.CustomerType()), slog.Time("expires_at", s.ExpiresAt))
}
