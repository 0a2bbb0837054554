package polartest

import (
	"fmt"
	"net/url"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// sessionLifetime is how long Polar's customer and member sessions live.
const sessionLifetime = rules.SessionLifetime

// session is a customer session, or a member session when memberID is set.
type session struct {
	id         string
	token      string
	customerID string
	memberID   string
	// email is the one customer_portal_url carries: the member's for a
	// member session, the customer's ("" for none) for a customer session.
	email     string
	createdAt time.Time
	expiresAt time.Time
	returnURL *string
}

// CreateSession mints the session POST /v1/customer-sessions/ would create
// for the customer given by ID without member_id or external_member_id, and
// returns its token, without a request. An empty returnURL is null. The
// session expires an hour after the clock's now.
//
// With the member model (the default; see WithMemberModel) that is a
// polar_mst_ member session for an individual customer's owner member,
// which is created on first use as Polar does; use CreateMemberSession for
// a member of a team. Without it, it is a polar_cst_ customer session.
//
// It panics when the customer is unknown or deleted, and wherever create
// would refuse: a return URL Polar refuses, with the member model a team
// customer, and when the owner cannot be created (see AddMember). IDs are
// taken in any form Polar accepts. The return URL is kept as Polar stores
// it, serialized as the WHATWG URL standard does: "https://Example.COM"
// comes back from introspection as "https://example.com/".
func (s *Server) CreateSession(customerID, returnURL string) string {
	customerID = canonicalID(customerID)
	returnURL = checkedReturnURL("CreateSession", returnURL)
	s.mu.Lock()
	cust, known := s.customers[customerID]
	if !known {
		s.mu.Unlock()
		panic(fmt.Sprintf("polartest: CreateSession: unknown customer %q", customerID))
	}
	if !s.cfg.memberModel {
		s.mu.Unlock()
		return s.newCustomerSession(cust, nullable(returnURL)).token
	}
	member, refusal := s.memberFor(cust, nil, nil)
	s.mu.Unlock()
	if refusal != nil {
		panic(fmt.Sprintf("polartest: CreateSession: customer %s: %s", customerID, refusal.msg))
	}
	return s.newMemberSession(member, nullable(returnURL)).token
}

// CreateMemberSession mints the session POST /v1/customer-sessions/ would
// create for the member given by ID (with its customer's customer_id and
// the member_id), and returns its token, without a request. An empty
// returnURL is null. The session expires an hour after the clock's now.
//
// With the member model that is a polar_mst_ member session for the member.
// Without it Polar ignores member_id, so it is a polar_cst_ customer session
// for the member's customer. It panics when the member is unknown or
// deleted, and on a return URL Polar refuses.
func (s *Server) CreateMemberSession(memberID, returnURL string) string {
	memberID = canonicalID(memberID)
	returnURL = checkedReturnURL("CreateMemberSession", returnURL)
	s.mu.Lock()
	member, known := s.members[memberID]
	cust := s.customers[member.CustomerID]
	s.mu.Unlock()
	switch {
	case !known:
		panic(fmt.Sprintf("polartest: CreateMemberSession: unknown member %q", memberID))
	case !s.cfg.memberModel:
		return s.newCustomerSession(cust, nullable(returnURL)).token
	}
	return s.newMemberSession(member, nullable(returnURL)).token
}

// newCustomerSession starts a customer session, as Polar does without the
// member model.
func (s *Server) newCustomerSession(cust Customer, returnURL *string) session {
	return s.newSession(session{customerID: cust.ID, email: cust.Email, returnURL: returnURL}, rules.PrefixCustomerSession)
}

// newMemberSession starts a member session, as Polar does with the member
// model.
func (s *Server) newMemberSession(m Member, returnURL *string) session {
	return s.newSession(session{customerID: m.CustomerID, memberID: m.ID, email: m.Email, returnURL: returnURL}, rules.PrefixMemberSession)
}

// newSession completes sess with an ID, a token with the given prefix and
// its times, and stores it.
func (s *Server) newSession(sess session, prefix string) session {
	now := s.now()
	sess.id = newUUID()
	sess.token = newToken(prefix)
	sess.createdAt = now
	sess.expiresAt = now.Add(sessionLifetime)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[sess.token] = sess
	return sess
}

// portalURL is the customer_portal_url Polar returns with a session
// (polar/models/customer_session.py and member_session.py): the token and
// the email, form-encoded by Python's urlencode, which writes a missing
// email as "None".
func (s *Server) portalURL(sess session) string {
	email := sess.email
	if email == "" {
		email = "None"
	}
	return "https://polar.sh/" + url.PathEscape(s.cfg.orgSlug) + "/portal?" +
		"customer_session_token=" + url.QueryEscape(sess.token) + "&email=" + url.QueryEscape(email)
}

// canonicalID is id as the server stores IDs, or id unchanged when it is no
// UUID (and so names nothing).
func canonicalID(id string) string {
	if c, p := rules.ParseUUID4(id); p == nil {
		return c
	}
	return id
}

// checkedReturnURL is a seeding helper's return URL as create would store
// it; it panics where create would refuse it. "" stays "" (no URL).
func checkedReturnURL(helper, raw string) string {
	if raw == "" {
		return ""
	}
	if p := rules.CheckReturnURL(raw); p != nil {
		panic(fmt.Sprintf("polartest: %s: return URL: %s", helper, p.Msg))
	}
	return storedReturnURL(raw)
}
