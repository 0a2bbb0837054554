package polartest

import (
	"fmt"
	"maps"
	"slices"
)

// Seed is the customers and members a server starts with, as Load takes
// them: what a seed file of polar-sessions fake holds (see ParseSeed).
type Seed struct {
	Customers []SeedCustomer
}

// SeedCustomer is a customer of a Seed with its members. The members'
// CustomerID is the customer's: leave it empty.
type SeedCustomer struct {
	Customer
	Members []Member
}

// SeedError is what Load and ParseSeed refuse: where, as a path to the
// entry and its field such as "customers[1].members[0].email", and why.
type SeedError struct {
	// Field is the path of the refused value, in the seed file's keys.
	Field string
	// Problem says what is wrong with it.
	Problem string
}

func (e *SeedError) Error() string { return e.Field + ": " + e.Problem }

// Load registers the seed's customers, each followed by its members, by
// the rules of AddCustomer and AddMember, and makes the server's state
// afterwards the one Reset returns to. It is all or nothing: on the first
// entry those rules refuse, it registers none and returns a *SeedError
// naming the entry and its field.
func (s *Server) Load(seed Seed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.snapshot()
	for i, sc := range seed.Customers {
		if _, _, r := s.addSeedCustomer(sc); r != nil {
			s.restore(before)
			r = r.in(fmt.Sprintf("customers[%d]", i))
			return &SeedError{Field: r.field, Problem: r.msg}
		}
	}
	s.seed = s.snapshot()
	return nil
}

// addSeedCustomer adds a customer and its members; a refusal names its
// field relative to the customer ("email", "members[0].email"). What was
// added before a refusal stays: the caller restores a snapshot. s.mu is
// held.
func (s *Server) addSeedCustomer(sc SeedCustomer) (Customer, []Member, *refusal) {
	cust, r := s.addCustomer(sc.Customer)
	if r != nil {
		return cust, nil, r
	}
	members := make([]Member, 0, len(sc.Members))
	for j, m := range sc.Members {
		if m.CustomerID != "" && canonicalID(m.CustomerID) != cust.ID {
			return cust, nil, refuseValue("customer_id", "is the customer's own; leave it empty").in(fmt.Sprintf("members[%d]", j))
		}
		m.CustomerID = cust.ID
		added, r := s.addMember(m)
		if r != nil {
			return cust, nil, r.in(fmt.Sprintf("members[%d]", j))
		}
		members = append(members, added)
	}
	return cust, members, nil
}

// Reset returns the server to its state when Load last succeeded, or
// before any Load to no customers, members or sessions: what was added,
// created and deleted since is undone, with the same IDs as then. It also
// drops the scripted faults, the recorded requests and the counts of
// Stats. Access tokens, the clock (AdvanceClock's moves included) and the
// rate-limit window stay as they are.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seed != nil {
		s.restore(s.seed)
	} else {
		s.restore(&state{})
	}
	clear(s.scripts)
	s.requests = nil
	s.stats = Stats{Faults: map[FaultKind]int{}}
}

// state is what Polar's database holds for the fake, copied: the seed
// that Reset restores, or the state a failed Load rolls back to.
type state struct {
	customers                        map[string]Customer
	externalIDs                      map[string]string
	members                          map[string]Member
	memberIDs                        map[string][]string
	deletedCustomers, deletedMembers map[string]bool
	sessions                         map[string]session
}

// snapshot copies the state. Stored customers, members and sessions are
// never changed in place (metadata included), so copying the maps is
// enough; the member lists are changed in place, so they are copied too.
// s.mu is held.
func (s *Server) snapshot() *state {
	st := &state{
		customers:        maps.Clone(s.customers),
		externalIDs:      maps.Clone(s.externalIDs),
		members:          maps.Clone(s.members),
		memberIDs:        maps.Clone(s.memberIDs),
		deletedCustomers: maps.Clone(s.deletedCustomers),
		deletedMembers:   maps.Clone(s.deletedMembers),
		sessions:         maps.Clone(s.sessions),
	}
	for id, list := range st.memberIDs {
		st.memberIDs[id] = slices.Clone(list)
	}
	return st
}

// restore installs a copy of st, so that st can be restored again; the
// zero state is no customers, members or sessions. s.mu is held.
func (s *Server) restore(st *state) {
	s.customers = orEmpty(maps.Clone(st.customers))
	s.externalIDs = orEmpty(maps.Clone(st.externalIDs))
	s.members = orEmpty(maps.Clone(st.members))
	s.memberIDs = orEmpty(maps.Clone(st.memberIDs))
	for id, list := range s.memberIDs {
		s.memberIDs[id] = slices.Clone(list)
	}
	s.deletedCustomers = orEmpty(maps.Clone(st.deletedCustomers))
	s.deletedMembers = orEmpty(maps.Clone(st.deletedMembers))
	s.sessions = orEmpty(maps.Clone(st.sessions))
}

// orEmpty is m, or an empty map for nil.
func orEmpty[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}
