package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// CreateCustomerSessionRequest says whom to create a session for: exactly
// one of CustomerID and ExternalCustomerID, at most one of MemberID and
// ExternalMemberID (see the package docs for members). Empty strings are
// unset.
type CreateCustomerSessionRequest struct {
	// CustomerID is Polar's customer ID, a version 4 UUID in any form Polar
	// accepts; it is sent canonical.
	CustomerID string
	// ExternalCustomerID is the customer's ID in your system.
	ExternalCustomerID string
	// MemberID is the member's Polar ID, a version 4 UUID. Optional.
	MemberID string
	// ExternalMemberID is the member's ID in your system. Optional.
	ExternalMemberID string
	// ReturnURL, when set, shows a back button in the customer portal: an
	// absolute http(s) URL, sent percent-encoded as Polar would store it
	// (rules.PrepareReturnURL), at most rules.MaxReturnURLBytes bytes.
	ReturnURL string
}

// body checks the request by Polar's rules and converts it to the
// generated union, so that nothing Polar would refuse is sent.
func (r CreateCustomerSessionRequest) body() (gen.CustomerSessionCreate, error) {
	var body gen.CustomerSessionCreate
	switch {
	case r.CustomerID == "" && r.ExternalCustomerID == "":
		return body, invalid("customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID)")
	case r.CustomerID != "" && r.ExternalCustomerID != "":
		return body, invalid("customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID), not both")
	case r.MemberID != "" && r.ExternalMemberID != "":
		// Polar would use member_id and ignore the other.
		return body, invalid("member_id", "give member_id (MemberID) or external_member_id (ExternalMemberID), not both")
	}
	for _, f := range [...]struct{ name, value string }{
		{"customer_id", r.CustomerID}, {"external_customer_id", r.ExternalCustomerID},
		{"member_id", r.MemberID}, {"external_member_id", r.ExternalMemberID}, {"return_url", r.ReturnURL},
	} {
		if v := rules.CheckText(f.value); v != nil {
			return body, invalid(f.name, "%s", v.Reason)
		}
	}
	customerID, err := uuidField("customer_id", r.CustomerID)
	if err != nil {
		return body, err
	}
	memberID, err := uuidField("member_id", r.MemberID)
	if err != nil {
		return body, err
	}
	for _, f := range [...]struct{ name, value string }{
		{"external_customer_id", r.ExternalCustomerID}, {"external_member_id", r.ExternalMemberID},
	} {
		if f.value == "" {
			continue
		}
		if err := rules.CheckExternalID(f.value); err != nil {
			return body, invalid(f.name, "%s", err)
		}
	}
	returnURL := r.ReturnURL
	if returnURL != "" {
		var v *rules.Violation
		if returnURL, v = rules.PrepareReturnURL(returnURL); v != nil {
			return body, invalid("return_url", "%s", v.Reason)
		}
	}
	if customerID != "" {
		err = body.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{
			CustomerID: customerID, MemberID: optional(memberID),
			ExternalMemberID: optional(r.ExternalMemberID), ReturnURL: optional(returnURL),
		})
	} else {
		err = body.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
			ExternalCustomerID: r.ExternalCustomerID, MemberID: optional(memberID),
			ExternalMemberID: optional(r.ExternalMemberID), ReturnURL: optional(returnURL),
		})
	}
	return body, err
}

// uuidField checks an optional UUID field by Polar's rule and returns it in
// canonical form, "" when unset.
func uuidField(name, value string) (string, error) {
	if value == "" {
		return "", nil
	}
	id, v := rules.ParseUUID4(value)
	if v != nil {
		return "", invalid(name, "%s", v.Reason)
	}
	return id, nil
}

// optional maps "" to an absent field: the generated optional fields are
// omitempty pointers.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Create creates a session: a one-hour token that lets the customer (or
// member) into their customer portal, CustomerSession.CustomerPortalURL.
// It sends POST /v1/customer-sessions/ with the organization access token.
//
// The request, then the options and the token, are checked first; a
// problem returns an error matching ErrInvalidRequest and sends nothing.
// Failures are retried by the call's RetryPolicy: a retried Create may
// create two sessions for the customer, which is harmless (see RetryPolicy).
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

// CustomerIndividual is a customer who is a person.
type CustomerIndividual = gen.CustomerIndividual

// CustomerTeam is a customer that is a team, with members.
type CustomerTeam = gen.CustomerTeam

// Customer is a session's customer: a union of CustomerIndividual and
// CustomerTeam, read with CustomerSession's CustomerType, Individual and
// Team.
type Customer = gen.Customer

// CustomerSession is a created session, as Polar returned it: the generated
// model, embedded, so its fields are the spec's. Token and CustomerPortalURL
// are secrets: printed with any fmt verb or logged with slog, the session
// shows neither, while encoding/json writes every field, as Polar sent it.
// The model is held by pointer so that even fmt's reflection (%p of a value)
// sees an address only; Create never returns a session without one.
type CustomerSession struct {
	*gen.CustomerSession
}

// decodeSession decodes a 201 body, refuses one that lacks what a caller
// needs (JSON such as {} decodes without error), and redacts what a server
// may have echoed into the fields that are not secrets by nature.
func decodeSession(body []byte, red redactor) (*CustomerSession, error) {
	s := &CustomerSession{CustomerSession: new(gen.CustomerSession)}
	if err := json.Unmarshal(body, s.CustomerSession); err != nil {
		return nil, err
	}
	if err := missingFields(
		field{"token", s.Token == ""}, field{"customer_portal_url", s.CustomerPortalURL == ""},
		field{"customer_id", s.CustomerID == ""}, field{"expires_at", s.ExpiresAt.IsZero()},
		field{"customer", s.CustomerType() == ""},
	); err != nil {
		return nil, err
	}
	s.ID, s.CustomerID, s.ReturnURL = red.str(s.ID), red.str(s.CustomerID), red.strPtr(s.ReturnURL)
	raw, _ := s.Customer.MarshalJSON()
	if redacted := red.str(string(raw)); redacted != string(raw) {
		_ = s.Customer.UnmarshalJSON([]byte(redacted))
	}
	return s, nil
}

// CustomerType is the customer's kind: CustomerTypeIndividual,
// CustomerTypeTeam, or a kind Polar added after this client was generated;
// "" only for a session not decoded from Polar's answer.
func (s CustomerSession) CustomerType() string {
	if s.CustomerSession == nil {
		return ""
	}
	kind, _ := s.Customer.Discriminator()
	return kind
}

// Individual returns the customer when it is an individual.
func (s CustomerSession) Individual() (*CustomerIndividual, bool) {
	if s.CustomerType() != CustomerTypeIndividual {
		return nil, false
	}
	c, err := s.Customer.AsCustomerIndividual()
	return &c, err == nil
}

// Team returns the customer when it is a team.
func (s CustomerSession) Team() (*CustomerTeam, bool) {
	if s.CustomerType() != CustomerTypeTeam {
		return nil, false
	}
	c, err := s.Customer.AsCustomerTeam()
	return &c, err == nil
}

// String describes the session without its token or portal URL.
func (s CustomerSession) String() string {
	if s.CustomerSession == nil {
		return "CustomerSession{}"
	}
	return fmt.Sprintf("CustomerSession{ID: %s, CustomerID: %s, CustomerType: %s, ExpiresAt: %s, Token: [redacted], CustomerPortalURL: [redacted]}",
		s.ID, s.CustomerID, s.CustomerType(), s.ExpiresAt.Format(time.RFC3339))
}

// Format prints String for every verb (%v, %+v, %#v, %s, %d, %x, …), so no
// verb reaches the token or the portal URL.
func (s CustomerSession) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// LogValue makes slog log the session without its token or portal URL.
func (s CustomerSession) LogValue() slog.Value {
	if s.CustomerSession == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(
		slog.String("id", s.ID),
		slog.String("customer_id", s.CustomerID),
		slog.String("customer_type", s.CustomerType()),
		slog.Time("expires_at", s.ExpiresAt),
	)
}
