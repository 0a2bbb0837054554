package polartest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// ScopeCustomerSessionsWrite is the scope an organization access token needs
// to create customer sessions.
const ScopeCustomerSessionsWrite = "customer_sessions:write"

const (
	accessTokenPrefix  = rules.PrefixOrganizationToken
	sessionTokenPrefix = rules.PrefixCustomerSession
	tokenSecretLength  = 43
)

// AccessToken returns the organization access token every server starts
// with; it has the customer_sessions:write scope.
func (s *Server) AccessToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessToken
}

// AddAccessToken registers an organization access token with the given
// scopes and returns it. An empty token gets a fresh polar_oat_ one. Without
// ScopeCustomerSessionsWrite the token authenticates but creating a session
// with it answers 403 insufficient_scope. Adding a token again replaces its
// scopes.
func (s *Server) AddAccessToken(token string, scopes ...string) string {
	if token == "" {
		token = accessTokenPrefix + randomAlphanumeric(tokenSecretLength)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = slices.Clone(scopes)
	return token
}

// bearerToken returns the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

type sessionKey struct{}

// authenticate is a strict middleware, so it runs after the body has been
// parsed as JSON and before it is validated: the order in which FastAPI
// resolves Polar's auth dependency, which decides which error a request with
// several problems gets.
func (s *Server) authenticate(next gen.StrictHandlerFunc, operationID string) gen.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		switch operationID {
		case opCreate:
			if refusal, refused := s.authorizeOrganization(r); refused {
				return refusal, nil
			}
		case opIntrospect:
			sess, refusal, refused := s.authorizeSession(r)
			if refused {
				return refusal, nil
			}
			ctx = context.WithValue(ctx, sessionKey{}, sess)
		default:
			// A renamed operation must fail loudly, not go unauthenticated.
			return nil, fmt.Errorf("polartest: no authentication rule for operation %q", operationID)
		}
		return next(ctx, w, r, request)
	}
}

// authorizeOrganization admits a known organization access token with the
// customer_sessions:write scope.
func (s *Server) authorizeOrganization(r *http.Request) (jsonResponse, bool) {
	s.mu.Lock()
	scopes, known := s.tokens[bearerToken(r)]
	s.mu.Unlock()
	switch {
	case !known:
		return unauthorized(), true
	case !slices.Contains(scopes, ScopeCustomerSessionsWrite):
		return insufficientScope(ScopeCustomerSessionsWrite), true
	}
	return jsonResponse{}, false
}

// authorizeSession admits a live customer session token. An organization
// token is a valid token of the wrong kind, hence Unauthorized rather than
// invalid_token.
func (s *Server) authorizeSession(r *http.Request) (session, jsonResponse, bool) {
	token := bearerToken(r)
	if token == "" {
		return session{}, unauthorized(), true
	}
	now := s.cfg.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, org := s.tokens[token]; org {
		return session{}, unauthorized(), true
	}
	sess, ok := s.sessions[token]
	if !ok || !now.Before(sess.expiresAt) {
		return session{}, invalidToken(), true
	}
	return sess, jsonResponse{}, false
}

// randomAlphanumeric returns n characters from [A-Za-z0-9], drawn from
// crypto/rand as Polar's token secrets are.
func randomAlphanumeric(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		_, _ = rand.Read(buf) // never fails, per its documentation
		for _, b := range buf {
			// Rejecting the top of the byte range keeps the draw uniform.
			if b < 248 && len(out) < n {
				out = append(out, alphabet[b%62])
			}
		}
	}
	return string(out)
}

// newUUID returns a random (version 4) UUID in canonical form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
