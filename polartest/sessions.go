package polartest

import (
	"fmt"
	"net/url"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// sessionLifetime is how long Polar's customer sessions live.
const sessionLifetime = rules.SessionLifetime

type session struct {
	id         string
	token      string
	customerID string
	createdAt  time.Time
	expiresAt  time.Time
	returnURL  *string
}

// CreateSession mints a customer session as POST /v1/customer-sessions/
// would, without a request, and returns its polar_cst_ token. An empty
// returnURL is null. The session expires an hour after the clock's now.
// It panics when the customer is unknown.
func (s *Server) CreateSession(customerID, returnURL string) string {
	s.mu.Lock()
	_, known := s.customers[customerID]
	s.mu.Unlock()
	if !known {
		panic(fmt.Sprintf("polartest: CreateSession: unknown customer %q", customerID))
	}
	return s.newSession(customerID, nullable(returnURL)).token
}

func (s *Server) newSession(customerID string, returnURL *string) session {
	now := s.now()
	sess := session{
		id:         newUUID(),
		token:      newToken(rules.PrefixCustomerSession),
		customerID: customerID,
		createdAt:  now,
		expiresAt:  now.Add(sessionLifetime),
		returnURL:  returnURL,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[sess.token] = sess
	return sess
}

// portalURL is the customer_portal_url Polar returns with a session
// (polar/models/customer_session.py): the token and the email, form-encoded
// by Python's urlencode, which writes a missing email ("") as "None".
func (s *Server) portalURL(token, email string) string {
	if email == "" {
		email = "None"
	}
	return "https://polar.sh/" + url.PathEscape(s.cfg.orgSlug) + "/portal?" +
		"customer_session_token=" + url.QueryEscape(token) + "&email=" + url.QueryEscape(email)
}
