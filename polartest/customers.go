package polartest

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// CustomerType is a customer's kind, the discriminator of Polar's Customer.
type CustomerType string

// The kinds of customer.
const (
	CustomerIndividual CustomerType = "individual"
	CustomerTeam       CustomerType = "team"
)

// Customer is a customer of the server's organization, as given to
// AddCustomer. Empty strings are sent as null.
type Customer struct {
	// ID is a UUID version 4; AddCustomer assigns a random one when empty.
	ID string
	// Type defaults to CustomerIndividual.
	Type CustomerType
	// ExternalID is the customer's ID in the user's system, by which a
	// session can be created too. Optional; unique within the server.
	ExternalID string
	// Email is required of individuals, so AddCustomer makes one up when it
	// is empty; a team's may stay empty. A customer session's
	// customer_portal_url carries it ("None" when empty), and an
	// individual's owner member takes it.
	Email string
	// EmailVerified, Name, BillingName and Locale are returned as given;
	// empty strings are null.
	EmailVerified bool
	Name          string
	BillingName   string
	Locale        string
	// Metadata values must be strings, integers, floats or booleans.
	Metadata map[string]any
	// CreatedAt defaults to the server clock's now.
	CreatedAt time.Time
}

// AddCustomer registers a customer and returns it with its ID and defaults
// filled in. It panics when the ID is not a UUID version 4, when the ID or
// the external ID is already taken, or on an unknown Type or metadata value
// type: Polar would refuse such a customer, and a test should not build on
// one.
//
// With the member model, an individual customer's owner member is not
// created here but with the customer's first session, as Polar creates a
// missing owner then; add one with AddMember to choose its fields.
func (s *Server) AddCustomer(c Customer) Customer {
	if c.ID == "" {
		c.ID = newUUID()
	}
	id, p := rules.ParseUUID4(c.ID)
	if p != nil {
		panic(fmt.Sprintf("polartest: customer ID %q: %s", c.ID, p.Msg))
	}
	if c.ExternalID != "" {
		if err := rules.CheckExternalID(c.ExternalID); err != nil {
			panic(fmt.Sprintf("polartest: customer %s: external ID %s", id, err))
		}
	}
	c.ID = id
	switch c.Type {
	case "":
		c.Type = CustomerIndividual
	case CustomerIndividual, CustomerTeam:
	default:
		panic(fmt.Sprintf("polartest: customer %s: unknown type %q", c.ID, c.Type))
	}
	if c.Type == CustomerIndividual && c.Email == "" {
		c.Email = "customer-" + c.ID[:8] + "@example.com"
	}
	for key, value := range c.Metadata {
		switch value.(type) {
		case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		default:
			panic(fmt.Sprintf("polartest: customer %s: metadata %q is a %T; Polar holds strings, integers, floats and booleans", c.ID, key, value))
		}
	}
	c.Metadata = maps.Clone(c.Metadata)
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.customers[c.ID]; taken {
		panic(fmt.Sprintf("polartest: customer ID %s added twice", c.ID))
	}
	if c.ExternalID != "" {
		if _, taken := s.externalIDs[c.ExternalID]; taken {
			panic(fmt.Sprintf("polartest: customer external ID %q added twice", c.ExternalID))
		}
		s.externalIDs[c.ExternalID] = c.ID
	}
	s.customers[c.ID] = c
	out := c
	out.Metadata = maps.Clone(c.Metadata)
	return out
}

// now is the clock's time as Polar stores it: UTC, to the microsecond.
func (s *Server) now() time.Time {
	return s.cfg.clock().UTC().Truncate(time.Microsecond)
}

// customerJSON is Polar's customer object. Polar sends every property, the
// optional ones as null, which gen.CustomerIndividual and gen.CustomerTeam
// would omit; so the object is built here and the tests hold it to the spec
// by decoding it with the generated types.
type customerJSON struct {
	ID                     string         `json:"id"`
	CreatedAt              time.Time      `json:"created_at"`
	ModifiedAt             *time.Time     `json:"modified_at"`
	Metadata               map[string]any `json:"metadata"`
	ExternalID             *string        `json:"external_id"`
	Email                  *string        `json:"email"`
	EmailVerified          bool           `json:"email_verified"`
	Type                   CustomerType   `json:"type"`
	Name                   *string        `json:"name"`
	BillingName            *string        `json:"billing_name"`
	BillingAddress         *gen.Address   `json:"billing_address"`
	TaxID                  *[]string      `json:"tax_id"`
	Locale                 *string        `json:"locale"`
	OrganizationID         string         `json:"organization_id"`
	DefaultPaymentMethodID *string        `json:"default_payment_method_id"`
	DeletedAt              *time.Time     `json:"deleted_at"`
	FirstUserEventAt       *time.Time     `json:"first_user_event_at"`
	AvatarURL              *string        `json:"avatar_url"`
}

// wire returns the customer as the generated union embedded in a session.
func (c Customer) wire(organizationID string) (gen.Customer, error) {
	raw, err := json.Marshal(customerJSON{
		ID:             c.ID,
		CreatedAt:      c.CreatedAt,
		Metadata:       c.Metadata,
		ExternalID:     nullable(c.ExternalID),
		Email:          nullable(c.Email),
		EmailVerified:  c.EmailVerified,
		Type:           c.Type,
		Name:           nullable(c.Name),
		BillingName:    nullable(c.BillingName),
		Locale:         nullable(c.Locale),
		OrganizationID: organizationID,
	})
	var out gen.Customer
	if err == nil {
		err = out.UnmarshalJSON(raw)
	}
	return out, err
}

// nullable maps "" to null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
