package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/polarsessions/polarsessions-go/gen"
)

// CreateCustomerSessionRequest says whom to create a customer session for.
// Exactly one of CustomerID and ExternalCustomerID is set; at most one of
// MemberID and ExternalMemberID. Empty strings are unset.
type CreateCustomerSessionRequest struct {
	// CustomerID is Polar's customer ID, a UUID.
	CustomerID string
	// ExternalCustomerID is the customer's ID in your system.
	ExternalCustomerID string
	// MemberID is the Polar member ID (a UUID) to create the session for,
	// for organizations with members. Optional.
	MemberID string
	// ExternalMemberID is the member's ID in your system. Optional.
	ExternalMemberID string
	// ReturnURL, when set, shows a back button in the customer portal. It
	// must be an absolute http(s) URL of at most 2083 characters.
	ReturnURL string
}

// maxReturnURL is the spec's maxLength for return_url.
const maxReturnURL = 2083

// body checks the request and converts it to the generated union, so that
// nothing malformed is ever sent.
func (r CreateCustomerSessionRequest) body() (gen.CustomerSessionCreate, error) {
	var body gen.CustomerSessionCreate
	switch {
	case r.CustomerID == "" && r.ExternalCustomerID == "":
		return body, invalid("customer_id", "one of CustomerID or ExternalCustomerID is required")
	case r.CustomerID != "" && r.ExternalCustomerID != "":
		return body, invalid("customer_id", "set CustomerID or ExternalCustomerID, not both")
	case r.MemberID != "" && r.ExternalMemberID != "":
		return body, invalid("member_id", "set MemberID or ExternalMemberID, not both")
	}
	for _, f := range [...]struct{ name, value string }{
		{"external_customer_id", r.ExternalCustomerID},
		{"external_member_id", r.ExternalMemberID},
		{"return_url", r.ReturnURL},
	} {
		if !utf8.ValidString(f.value) {
			// JSON would replace the bad bytes and Polar would look up an
			// ID nobody asked for.
			return body, invalid(f.name, "is not valid UTF-8")
		}
	}
	if r.CustomerID != "" && !isUUID(r.CustomerID) {
		return body, invalid("customer_id", "must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b")
	}
	if r.ExternalCustomerID != "" && strings.TrimSpace(r.ExternalCustomerID) == "" {
		return body, invalid("external_customer_id", "is blank")
	}
	if r.MemberID != "" && !isUUID(r.MemberID) {
		return body, invalid("member_id", "must be a UUID")
	}
	if r.ExternalMemberID != "" && strings.TrimSpace(r.ExternalMemberID) == "" {
		return body, invalid("external_member_id", "is blank")
	}
	if r.ReturnURL != "" {
		if err := checkReturnURL(r.ReturnURL); err != nil {
			return body, err
		}
	}

	var err error
	if r.CustomerID != "" {
		err = body.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{
			CustomerID:       r.CustomerID,
			MemberID:         optional(r.MemberID),
			ExternalMemberID: optional(r.ExternalMemberID),
			ReturnURL:        optional(r.ReturnURL),
		})
	} else {
		err = body.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
			ExternalCustomerID: r.ExternalCustomerID,
			MemberID:           optional(r.MemberID),
			ExternalMemberID:   optional(r.ExternalMemberID),
			ReturnURL:          optional(r.ReturnURL),
		})
	}
	return body, err
}

func checkReturnURL(raw string) error {
	const field = "return_url"
	if len(raw) > maxReturnURL {
		return invalid(field, "is %d characters; Polar accepts at most %d", len(raw), maxReturnURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return invalid(field, "does not parse as a URL")
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalid(field, "must be an absolute http(s) URL")
	}
	return nil
}

// optional maps "" to an absent JSON field (the generated fields are
// omitempty pointers), so unset fields send no null noise.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// isUUID reports whether s is a UUID in its canonical 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range []byte(s) {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
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
	gs, err := call(ctx, &set, operation[gen.CustomerSession]{
		id:    "customer-sessions:create",
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
	})
	if err != nil {
		return nil, err
	}
	return &CustomerSession{CustomerSession: *gs}, nil
}

// completeSession refuses a decoded session that lacks what a caller needs
// from it: a 201 of {} is not a session, nor is one whose customer has no
// type to tell an individual from a team.
func completeSession(s *gen.CustomerSession) error {
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
