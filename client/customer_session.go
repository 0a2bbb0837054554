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

// CustomerSession is a created customer session. Its fields are the
// generated model's: Token (the secret, polar_cst_…), CustomerPortalURL (a
// link into the portal that embeds the token), ExpiresAt, ReturnURL,
// CustomerID and Customer, a union read with CustomerType, Individual and
// Team.
//
// Printing it with fmt or logging it with slog shows no token and no portal
// URL; encoding/json writes every field, as Polar sent it.
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
