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
	// is empty (and Polar's "An email is required to create an owner
	// member." cannot arise); a team's may stay empty. A customer session's
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

	// served is the customer as sessions serve it (see wire), made once by
	// AddCustomer: building it takes a JSON merge that would otherwise be
	// half the fake's CPU per create.
	served *gen.Customer
}

// AddCustomer registers a customer and returns it with its ID and defaults
// filled in. It panics when the ID is not a UUID version 4, when the ID
// (a deleted customer's too) or the external ID (of a customer not
// deleted) is already taken, or on an unknown Type or metadata value type:
// Polar would refuse such a customer, and a test should not build on one.
// Load refuses the same customers with an error.
//
// With the member model, an individual customer's owner member is not
// created here but with the customer's first session, as Polar creates a
// missing owner then; add one with AddMember to choose its fields.
func (s *Server) AddCustomer(c Customer) Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, r := s.addCustomer(c)
	if r != nil {
		panic("polartest: AddCustomer: " + r.Error())
	}
	out.Metadata = maps.Clone(out.Metadata)
	return out
}

// addCustomer is AddCustomer's rules, the one place they live: it
// normalizes c, refuses what Polar would, and stores it. s.mu is held.
func (s *Server) addCustomer(c Customer) (Customer, *refusal) {
	if c.ID == "" {
		c.ID = newUUID()
	}
	id, p := rules.ParseUUID4(c.ID)
	if p != nil {
		return c, refuseValue("id", fmt.Sprintf("%q: %s", c.ID, p.Msg))
	}
	c.ID = id
	if c.ExternalID != "" {
		if err := rules.CheckExternalID(c.ExternalID); err != nil {
			return c, refuseValue("external_id", err.Error())
		}
	}
	switch c.Type {
	case "":
		c.Type = CustomerIndividual
	case CustomerIndividual, CustomerTeam:
	default:
		return c, refuseValue("type", fmt.Sprintf("unknown type %q; Polar's are %q and %q", c.Type, CustomerIndividual, CustomerTeam))
	}
	if c.Type == CustomerIndividual && c.Email == "" {
		c.Email = "customer-" + c.ID[:8] + "@example.com"
	}
	for key, value := range c.Metadata {
		switch value.(type) {
		case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		default:
			return c, refuseValue("metadata", fmt.Sprintf("%q is a %T; Polar holds strings, integers, floats and booleans", key, value))
		}
	}
	c.Metadata = maps.Clone(c.Metadata)
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	served, err := c.wire(s.orgID)
	if err != nil { // the metadata values were checked above
		panic(fmt.Sprintf("polartest: customer %s: %v", c.ID, err))
	}
	c.served = &served
	if _, taken := s.customers[c.ID]; taken || s.deletedCustomers[c.ID] {
		return c, refuseClash("id", fmt.Sprintf("customer %s exists already", c.ID))
	}
	if c.ExternalID != "" {
		if other, taken := s.externalIDs[c.ExternalID]; taken {
			return c, refuseClash("external_id", fmt.Sprintf("%q is already customer %s's", c.ExternalID, other))
		}
		s.externalIDs[c.ExternalID] = c.ID
	}
	s.customers[c.ID] = c
	out := c
	out.served = nil
	return out, nil
}

// DeleteCustomer deletes a customer as Polar's DELETE /v1/customers/{id}
// does (polar/customer/service.py, delete): a soft delete, which takes the
// customer's members with it. Polar's token lookups skip deleted customers
// and members, so the customer's sessions stop authenticating:
// introspecting one is 401 invalid_token. Create no longer finds the
// customer by ID or external ID (422 "Customer does not exist."), and
// Polar clears a deleted customer's external ID for reuse
// (polar/customer/repository.py, soft_delete), so AddCustomer may give it
// to a new customer; the ID stays taken. The ID is taken in any form
// Polar accepts; an unknown or deleted customer is left alone.
func (s *Server) DeleteCustomer(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteCustomer(id)
}

// deleteCustomer is DeleteCustomer, reporting whether the customer was
// there to delete. s.mu is held.
func (s *Server) deleteCustomer(id string) bool {
	id = canonicalID(id)
	cust, known := s.customers[id]
	if !known {
		return false
	}
	for _, memberID := range s.memberIDs[id] {
		delete(s.members, memberID)
		s.deletedMembers[memberID] = true
	}
	delete(s.memberIDs, id)
	if cust.ExternalID != "" {
		delete(s.externalIDs, cust.ExternalID)
	}
	delete(s.customers, id)
	s.deletedCustomers[id] = true
	return true
}

// now is the clock's time as Polar stores it: UTC, to the microsecond.
func (s *Server) now() time.Time {
	return s.cfg.clock().UTC().Truncate(time.Microsecond)
}

// session returns the customer as Polar serves it in a session: the one
// AddCustomer made, or else a fresh one.
func (c Customer) session(organizationID string) (gen.Customer, error) {
	if c.served != nil {
		return *c.served, nil
	}
	return c.wire(organizationID)
}

// wire returns the customer as Polar serves it in a session: the generated
// model of its kind, filled from what the fake holds. Every other property
// of the spec's customer goes out null or zero, so what the fake serves
// follows the spec it was generated from.
func (c Customer) wire(organizationID string) (gen.Customer, error) {
	var out gen.Customer
	var metadata gen.MetadataOutputType
	raw, err := json.Marshal(c.Metadata) // values checked by AddCustomer
	if err == nil {
		err = json.Unmarshal(raw, &metadata)
	}
	if err != nil {
		return out, err
	}
	if c.Type == CustomerTeam {
		return out, out.FromCustomerTeam(gen.CustomerTeam{
			ID: c.ID, CreatedAt: c.CreatedAt, Metadata: metadata, OrganizationID: organizationID,
			Type: gen.CustomerTeamType(c.Type), Email: nullable(c.Email), EmailVerified: c.EmailVerified,
			ExternalID: nullable(c.ExternalID), Name: nullable(c.Name), BillingName: nullable(c.BillingName),
			Locale: nullable(c.Locale),
		})
	}
	return out, out.FromCustomerIndividual(gen.CustomerIndividual{
		ID: c.ID, CreatedAt: c.CreatedAt, Metadata: metadata, OrganizationID: organizationID,
		Type: gen.CustomerIndividualType(c.Type), Email: c.Email, EmailVerified: c.EmailVerified,
		ExternalID: nullable(c.ExternalID), Name: nullable(c.Name), BillingName: nullable(c.BillingName),
		Locale: nullable(c.Locale),
	})
}

// nullable maps "" to null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
