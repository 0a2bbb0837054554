package polartest

import "net/http"

// The control API's customer and member routes, and their answers.

// controlAddCustomer is POST /_polartest/customers: a seed file's
// customer with its members, all or nothing.
func (s *Server) controlAddCustomer(w http.ResponseWriter, body []byte, _ []string) {
	sc, r := controlDecoder.customer(body, "")
	if r != nil {
		writeControlError(w, r)
		return
	}
	s.mu.Lock()
	before := s.snapshot()
	cust, members, r := s.addSeedCustomer(sc)
	if r != nil {
		s.restore(before)
	}
	s.mu.Unlock()
	if r != nil {
		writeControlError(w, r)
		return
	}
	out := controlCustomerOf(cust)
	out.Members = make([]controlMember, len(members))
	for i, m := range members {
		out.Members[i] = controlMemberOf(m)
	}
	writeControlJSON(w, http.StatusCreated, out)
}

// controlDeleteCustomer is DELETE /_polartest/customers/{id}.
func (s *Server) controlDeleteCustomer(w http.ResponseWriter, _ []byte, params []string) {
	s.mu.Lock()
	found := s.deleteCustomer(params[0])
	s.mu.Unlock()
	if !found {
		writeControlError(w, unknown("id", "customer", params[0]))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// controlAddMember is POST /_polartest/customers/{id}/members.
func (s *Server) controlAddMember(w http.ResponseWriter, body []byte, params []string) {
	m, r := controlDecoder.member(body, "")
	if r != nil {
		writeControlError(w, r)
		return
	}
	m.CustomerID = canonicalID(params[0])
	s.mu.Lock()
	// The path's customer is looked up before addMember runs: an unknown
	// one is the route's 404 whatever the body holds, where addMember,
	// which checks the member's own fields first, would answer 422 for a
	// bad one, or for a customer ID that is no UUID (customers/nope/members).
	if _, known := s.customers[m.CustomerID]; !known {
		r = unknown("customer_id", "customer", params[0])
	} else {
		m, r = s.addMember(m)
	}
	s.mu.Unlock()
	if r != nil {
		writeControlError(w, r)
		return
	}
	writeControlJSON(w, http.StatusCreated, controlMemberOf(m))
}

// controlDeleteMember is DELETE /_polartest/members/{id}.
func (s *Server) controlDeleteMember(w http.ResponseWriter, _ []byte, params []string) {
	s.mu.Lock()
	found, r := s.deleteMember(params[0])
	s.mu.Unlock()
	switch {
	case !found:
		writeControlError(w, unknown("id", "member", params[0]))
	case r != nil:
		writeControlError(w, r)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// controlCustomer is a customer as the control API returns it: the keys
// of a seed file, null for what is empty.
type controlCustomer struct {
	ID         string          `json:"id"`
	ExternalID *string         `json:"external_id"`
	Email      *string         `json:"email"`
	Type       CustomerType    `json:"type"`
	Name       *string         `json:"name"`
	Members    []controlMember `json:"members"`
}

func controlCustomerOf(c Customer) controlCustomer {
	return controlCustomer{ID: c.ID, ExternalID: nullable(c.ExternalID), Email: nullable(c.Email), Type: c.Type, Name: nullable(c.Name)}
}

// controlMember is a member as the control API returns it.
type controlMember struct {
	ID         string     `json:"id"`
	ExternalID *string    `json:"external_id"`
	Email      string     `json:"email"`
	Name       *string    `json:"name"`
	Role       MemberRole `json:"role"`
}

func controlMemberOf(m Member) controlMember {
	return controlMember{ID: m.ID, ExternalID: nullable(m.ExternalID), Email: m.Email, Name: nullable(m.Name), Role: m.Role}
}

// unknown is the refusal of an ID that names no customer or member held.
func unknown(field, what, id string) *refusal {
	return &refusal{kind: refusedUnknown, field: field, msg: "no " + what + " " + id}
}
