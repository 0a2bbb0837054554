package client

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/polarsessions/polarsessions-go/gen"
)

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

// CustomerSession is a created session, as Polar returned it. Organizations
// with Polar's member model (every organization Polar creates today) get a
// member session, whose Token starts with polar_mst_, for a member of the
// customer: the member named in the request, or for an individual customer
// its owner member. Organizations without it get a customer session,
// polar_cst_…. Both work the same way: the portal URL opens the customer
// portal, and Introspect accepts either token.
//
// It is the generated model, embedded, so its fields are the spec's. Token
// and CustomerPortalURL are secrets: printing the session with fmt or
// logging it with slog shows neither; encoding/json writes every field, as
// Polar sent it, for code that hands the session on.
type CustomerSession struct {
	gen.CustomerSession
}

// CustomerType is the customer's kind: CustomerTypeIndividual,
// CustomerTypeTeam, or a kind Polar added after this client was generated.
// It is "" only for a session that was not decoded from Polar's answer:
// Create refuses a customer without a type.
func (s CustomerSession) CustomerType() string { return customerType(s.Customer) }

// customerType is the union's discriminator, "" when it has none. It reads
// the union's raw JSON (see topLevelString) rather than decoding it.
func customerType(c gen.Customer) string {
	raw, err := c.MarshalJSON()
	if err != nil {
		return ""
	}
	kind, _ := topLevelString(raw, "type")
	return kind
}

// Individual returns the customer when it is an individual.
func (s CustomerSession) Individual() (*CustomerIndividual, bool) {
	if s.CustomerType() != CustomerTypeIndividual {
		return nil, false
	}
	c, err := s.Customer.AsCustomerIndividual()
	if err != nil {
		return nil, false
	}
	return &c, true
}

// Team returns the customer when it is a team.
func (s CustomerSession) Team() (*CustomerTeam, bool) {
	if s.CustomerType() != CustomerTypeTeam {
		return nil, false
	}
	c, err := s.Customer.AsCustomerTeam()
	if err != nil {
		return nil, false
	}
	return &c, true
}

// String describes the session without its token or portal URL.
func (s CustomerSession) String() string {
	return fmt.Sprintf("CustomerSession{ID: %s, CustomerID: %s, CustomerType: %s, ExpiresAt: %s, Token: [redacted], CustomerPortalURL: [redacted]}",
		s.ID, s.CustomerID, s.CustomerType(), s.ExpiresAt.Format(time.RFC3339))
}

// GoString is String, so that %#v does not print the token either.
func (s CustomerSession) GoString() string { return s.String() }

// LogValue makes slog log the session without its token or portal URL.
func (s CustomerSession) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", s.ID),
		slog.String("customer_id", s.CustomerID),
		slog.String("customer_type", s.CustomerType()),
		slog.Time("expires_at", s.ExpiresAt),
	)
}
