package client

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// CreateCustomerSessionRequest says whom to create a customer session for.
// Exactly one of CustomerID and ExternalCustomerID is set; at most one of
// MemberID and ExternalMemberID. Empty strings are unset.
type CreateCustomerSessionRequest struct {
	// CustomerID is Polar's customer ID, a version 4 UUID. Any form Polar
	// accepts (upper case, 32 digits, braces, "urn:uuid:") is sent
	// canonical.
	CustomerID string
	// ExternalCustomerID is the customer's ID in your system.
	ExternalCustomerID string
	// MemberID is the Polar member ID (a version 4 UUID) to create the
	// session for, in organizations with the member model. Polar looks the
	// member up among that customer's members only: a member of another
	// customer, or no such member, gets a *ValidationError on member_id,
	// rules.MsgMemberNotFound. A team customer needs MemberID or
	// ExternalMemberID; an individual without either gets a session for its
	// owner member, or, without one, for the member that has the customer's
	// email, else for an owner Polar creates from the customer (email, name,
	// external ID). Without the member model, member fields are ignored.
	// Optional.
	MemberID string
	// ExternalMemberID is the member's ID in your system, looked up as
	// MemberID is. Polar would use MemberID and ignore ExternalMemberID if
	// both were sent, so the client refuses the pair. Optional.
	ExternalMemberID string
	// ReturnURL, when set, shows a back button in the customer portal. It
	// must be an absolute http(s) URL, as Polar's parser (the WHATWG URL
	// standard) reads it. It is sent as Polar would store it: characters a
	// URI may not hold (spaces, raw non-ASCII, "{", "|", …) percent-encoded,
	// surrounding spaces trimmed (see rules.EncodeReturnURL); the URL as sent
	// may be at most 2083 bytes (rules.MaxReturnURLBytes: Polar counts bytes,
	// not characters).
	ReturnURL string
}

// body checks the request and converts it to the generated union, so that
// nothing malformed is ever sent.
func (r CreateCustomerSessionRequest) body() (gen.CustomerSessionCreate, error) {
	var body gen.CustomerSessionCreate
	switch {
	case r.CustomerID == "" && r.ExternalCustomerID == "":
		return body, invalid("customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID)")
	case r.CustomerID != "" && r.ExternalCustomerID != "":
		return body, invalid("customer_id", "give customer_id (CustomerID) or external_customer_id (ExternalCustomerID), not both")
	case r.MemberID != "" && r.ExternalMemberID != "":
		return body, invalid("member_id", "give member_id (MemberID) or external_member_id (ExternalMemberID), not both")
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
		{"external_customer_id", r.ExternalCustomerID},
		{"external_member_id", r.ExternalMemberID},
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
			CustomerID:       customerID,
			MemberID:         optional(memberID),
			ExternalMemberID: optional(r.ExternalMemberID),
			ReturnURL:        optional(returnURL),
		})
	} else {
		err = body.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
			ExternalCustomerID: r.ExternalCustomerID,
			MemberID:           optional(memberID),
			ExternalMemberID:   optional(r.ExternalMemberID),
			ReturnURL:          optional(returnURL),
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

// optional maps "" to an absent JSON field (the generated fields are
// omitempty pointers), so unset fields send no null noise.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Create creates a customer session: a one-hour token that lets the
// customer into their customer portal (CustomerSession.CustomerPortalURL).
// It sends POST /v1/customer-sessions/ with the organization access token
// (WithAccessToken, per call or on the client, or POLAR_ACCESS_TOKEN).
//
// The request and the token are checked first; a problem returns an error
// matching ErrInvalidRequest and sends nothing. Failures are retried by the
// call's RetryPolicy: a retried Create may create more than one session for
// the customer, which is harmless (see RetryPolicy).
func (s *CustomerSessions) Create(ctx context.Context, req CreateCustomerSessionRequest, opts ...Option) (*CustomerSession, error) {
	if s == nil {
		return nil, notFromNew()
	}
	set, err := s.client.callSettings(ctx, opts)
	if err != nil {
		return nil, err
	}
	body, err := req.body()
	if err != nil {
		return nil, err
	}
	if set.accessToken == "" {
		return nil, invalid("access token", "none set: use WithAccessToken or set %s", EnvAccessToken)
	}
	if err := checkAccessToken(set.accessTokenSource, set.accessToken); err != nil {
		return nil, err
	}
	return call(ctx, &set, operation[CustomerSession]{
		id:    opCreate,
		token: set.accessToken,
		build: func(server string) (*http.Request, error) {
			// The union already holds its JSON; handing it over as is
			// spares encoding/json a second pass over it.
			raw, err := body.MarshalJSON()
			if err != nil {
				return nil, err
			}
			return s.client.tmpl.createRequest(server, raw)
		},
		complete: completeSession,
		redact:   redactSession,
	})
}

// redactSession removes what a server echoed into the fields of a session
// that are not secrets by nature: all but Token and CustomerPortalURL.
func redactSession(s *CustomerSession, r redactor) {
	s.ID, s.CustomerID = r.str(s.ID), r.str(s.CustomerID)
	s.ReturnURL = r.strPtr(s.ReturnURL)
	raw, err := s.Customer.MarshalJSON()
	if err != nil || !rules.MayHoldSecret(raw, r.token) {
		return // the usual case: nothing to redact
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return
	}
	if enc, err := json.Marshal(r.json(v)); err == nil {
		_ = s.Customer.UnmarshalJSON(enc) // a union's UnmarshalJSON keeps the bytes
	}
}

// completeSession refuses a decoded session that lacks what a caller needs
// from it: a 201 of {} is not a session, nor is one whose customer has no
// type to tell an individual from a team.
func completeSession(s *CustomerSession) error {
	var missing []string
	if s.Token == "" {
		missing = append(missing, "token")
	}
	if s.CustomerPortalURL == "" {
		missing = append(missing, "customer_portal_url")
	}
	if s.CustomerID == "" {
		missing = append(missing, "customer_id")
	}
	if s.ExpiresAt.IsZero() {
		missing = append(missing, "expires_at")
	}
	if customerType(s.Customer) == "" {
		missing = append(missing, "customer") // absent, or without the type that tells its kind
	}
	return missingFields(missing)
}
