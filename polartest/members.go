package polartest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/polarsessions/polarsessions-go/rules"
)

// MemberRole is a member's role within its customer, as Polar's MemberRole.
type MemberRole string

// The roles a member can have. A customer has at most one owner.
const (
	RoleOwner          MemberRole = "owner"
	RoleBillingManager MemberRole = "billing_manager"
	RoleMember         MemberRole = "member"
)

// Member is a person who belongs to a customer, as given to AddMember. With
// the member model (see WithMemberModel), sessions are created for members:
// a team customer's people are its members, and an individual customer is
// represented by its owner member.
//
// Polar shows a member nowhere in the session it returns except in
// customer_portal_url, which carries the member's email; the session's
// customer_id and customer are the member's customer's.
type Member struct {
	// ID is a UUID version 4; AddMember assigns a random one when empty.
	ID string
	// CustomerID is the ID of the customer the member belongs to. Required.
	CustomerID string
	// ExternalID is the member's ID in the user's system, by which a
	// session can be created too (external_member_id). Optional; unique
	// within the customer.
	ExternalID string
	// Email is required by Polar, so AddMember makes one up when it is
	// empty. Unique within the customer, ignoring case. The member's
	// sessions carry it in customer_portal_url.
	Email string
	// Name is optional.
	Name string
	// Role defaults to RoleMember.
	Role MemberRole
}

// AddMember registers a member of an existing customer and returns it with
// its ID and defaults filled in. The fields of an individual customer's
// owner that are left empty are filled from the customer (email, name and
// external ID), as Polar fills them when it creates the owner.
//
// It panics, as AddCustomer does, on what Polar would refuse: a customer ID
// the server does not know (or a deleted customer's), an ID or customer ID
// that is not a UUID version 4, an ID already taken (a deleted member's
// too), an unknown Role, or what Polar's unique indexes on members forbid:
// an external ID or email (ignoring case) already used by another member
// of the customer, or a second owner.
//
// Members can be added whether or not the member model is on; without it,
// create ignores them as Polar does.
//
// With the member model, a session created for an individual customer
// without member_id or external_member_id belongs to its owner. When none
// was added, the server creates it from the customer on first use, as
// Polar does. That creation fails as Polar's does, and create answers 500,
// when another member already has the customer's email (ignoring case) or
// external ID: add the owner explicitly instead.
func (s *Server) AddMember(m Member) Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, r := s.addMember(m)
	if r != nil {
		panic("polartest: AddMember: " + r.Error())
	}
	return out
}

// addMember is AddMember's rules, the one place they live: it normalizes
// m, refuses what Polar would, and stores it. s.mu is held.
func (s *Server) addMember(m Member) (Member, *refusal) {
	if m.ID == "" {
		m.ID = newUUID()
	}
	id, p := rules.ParseUUID4(m.ID)
	if p != nil {
		return m, refuseValue("id", fmt.Sprintf("%q: %s", m.ID, p.Msg))
	}
	m.ID = id
	customerID, p := rules.ParseUUID4(m.CustomerID)
	if p != nil {
		return m, refuseValue("customer_id", fmt.Sprintf("%q: %s", m.CustomerID, p.Msg))
	}
	m.CustomerID = customerID
	if m.ExternalID != "" {
		if err := rules.CheckExternalID(m.ExternalID); err != nil {
			return m, refuseValue("external_id", err.Error())
		}
	}
	switch m.Role {
	case "":
		m.Role = RoleMember
	case RoleOwner, RoleBillingManager, RoleMember:
	default:
		return m, refuseValue("role", fmt.Sprintf("unknown role %q; Polar's are %q, %q and %q", m.Role, RoleOwner, RoleBillingManager, RoleMember))
	}
	cust, known := s.customers[m.CustomerID]
	if !known {
		return m, &refusal{kind: refusedUnknown, field: "customer_id", msg: fmt.Sprintf("no customer %s", m.CustomerID)}
	}
	if m.Role == RoleOwner && cust.Type == CustomerIndividual {
		owner := ownerOf(cust)
		m.Email = cmp.Or(m.Email, owner.Email)
		m.Name = cmp.Or(m.Name, owner.Name)
		m.ExternalID = cmp.Or(m.ExternalID, owner.ExternalID)
	}
	if m.Email == "" {
		m.Email = "member-" + m.ID[:8] + "@example.com"
	}
	if _, taken := s.members[m.ID]; taken || s.deletedMembers[m.ID] {
		return m, refuseClash("id", fmt.Sprintf("member %s exists already", m.ID))
	}
	if r := s.memberClash(m); r != nil {
		return m, r
	}
	s.storeMember(m)
	return m, nil
}

// Members returns the members of a customer in the order they were added,
// an owner the server created on first use included, deleted ones left
// out. It panics when the customer is unknown or deleted.
func (s *Server) Members(customerID string) []Member {
	customerID = canonicalID(customerID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.customers[customerID]; !known {
		panic(fmt.Sprintf("polartest: Members: unknown customer %q", customerID))
	}
	out := make([]Member, 0, len(s.memberIDs[customerID]))
	for _, id := range s.memberIDs[customerID] {
		out = append(out, s.members[id])
	}
	return out
}

// DeleteMember deletes a member as Polar's DELETE
// /v1/customers/{id}/members/{member_id} does (polar/member/service.py,
// delete): a soft delete. Polar's member-session lookup skips deleted
// members, so the member's sessions stop authenticating: introspecting one
// is 401 invalid_token. Create no longer finds the member by member_id or
// external_member_id (422 "Member does not exist for this customer."), and
// its email and external ID are free for another member of the customer;
// its ID stays taken. Sessions of its customer that are not the member's
// (customer sessions, without the member model) live on.
//
// Polar refuses to delete a customer's only owner ("Cannot delete the
// only owner. Transfer ownership first."), and a customer has one owner at
// most, so DeleteMember panics on an owner, as AddMember panics on what
// Polar refuses; DeleteCustomer deletes owners with their customer. The ID
// is taken in any form Polar accepts; an unknown or deleted member is left
// alone.
func (s *Server) DeleteMember(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, r := s.deleteMember(id); r != nil {
		panic("polartest: DeleteMember: " + r.msg)
	}
}

// deleteMember is DeleteMember, reporting whether the member was there to
// delete, or why Polar refuses to. s.mu is held.
func (s *Server) deleteMember(id string) (bool, *refusal) {
	id = canonicalID(id)
	m, known := s.members[id]
	switch {
	case !known:
		return false, nil
	case m.Role == RoleOwner:
		return true, refuseClash("id", fmt.Sprintf("member %s is the owner of customer %s, which Polar refuses to delete", id, m.CustomerID))
	}
	delete(s.members, id)
	s.memberIDs[m.CustomerID] = slices.DeleteFunc(s.memberIDs[m.CustomerID], func(other string) bool { return other == id })
	s.deletedMembers[id] = true
	return true, nil
}

// memberClash says why m cannot join its customer, by Polar's unique
// indexes on members (one active owner per customer; external ID, and email
// ignoring case, unique within the customer), or returns nil. s.mu is held.
func (s *Server) memberClash(m Member) *refusal {
	for _, id := range s.memberIDs[m.CustomerID] {
		other := s.members[id]
		switch {
		case m.Role == RoleOwner && other.Role == RoleOwner:
			return refuseClash("role", fmt.Sprintf("customer %s already has an owner, %s", m.CustomerID, other.ID))
		case m.ExternalID != "" && m.ExternalID == other.ExternalID:
			return refuseClash("external_id", fmt.Sprintf("%q is already member %s's", m.ExternalID, other.ID))
		case strings.EqualFold(m.Email, other.Email):
			return refuseClash("email", fmt.Sprintf("%q is already member %s's", m.Email, other.ID))
		}
	}
	return nil
}

// storeMember adds a member that memberClash has admitted. s.mu is held.
func (s *Server) storeMember(m Member) {
	s.members[m.ID] = m
	s.memberIDs[m.CustomerID] = append(s.memberIDs[m.CustomerID], m.ID)
}

// ownerOf is the owner Polar creates for a customer (polar/member/
// service.py, create_owner_member): the customer's email, stripped, its name
// and its external ID.
func ownerOf(cust Customer) Member {
	return Member{
		ID:         newUUID(),
		CustomerID: cust.ID,
		ExternalID: cust.ExternalID,
		Email:      strings.TrimSpace(cust.Email),
		Name:       cust.Name,
		Role:       RoleOwner,
	}
}

// findMember returns the member of customerID that match accepts. s.mu is
// held.
func (s *Server) findMember(customerID string, match func(Member) bool) (Member, bool) {
	i := slices.IndexFunc(s.memberIDs[customerID], func(id string) bool { return match(s.members[id]) })
	if i < 0 {
		return Member{}, false
	}
	return s.members[s.memberIDs[customerID][i]], true
}
