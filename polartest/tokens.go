package polartest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// ScopeCustomerSessionsWrite is the scope an organization access token needs
// to create customer sessions.
const ScopeCustomerSessionsWrite = "customer_sessions:write"

const accessTokenPrefix = rules.PrefixOrganizationToken

// AccessToken returns the organization access token every server starts
// with; it has the customer_sessions:write scope.
func (s *Server) AccessToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessToken
}

// AddAccessToken registers an organization access token with the given
// scopes and returns it. An empty token gets a fresh polar_oat_ one; any
// other must be polar_oat_ followed by characters of Polar's tokens,
// rules.TokenAlphabet (rules.IsToken), so that redaction finds all of it:
// AddAccessToken panics on one that is not. Without
// ScopeCustomerSessionsWrite the token authenticates but creating a session
// with it answers 403 insufficient_scope. Adding a token again replaces its
// scopes.
func (s *Server) AddAccessToken(token string, scopes ...string) string {
	switch {
	case token == "":
		token = newToken(accessTokenPrefix)
	case !rules.IsToken(token, accessTokenPrefix):
		// The token is not quoted: it may be a real one.
		panic("polartest: AddAccessToken: the token is not " + accessTokenPrefix + " followed by letters and digits, as Polar's are")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = slices.Clone(scopes)
	return token
}

// bearerToken returns the token of an "Authorization: Bearer" header, or ""
// when there is none, as Polar reads it (polar/auth/middlewares.py,
// get_bearer_token): the scheme in any case, the token trimmed, and a token
// that is not ASCII taken as none.
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || !isASCII(token) {
		return ""
	}
	return token
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// identity is who a request comes from, as Polar's auth middleware resolves
// its bearer token: nobody (the zero identity), an organization access token
// with its scopes, or a live customer or member session.
type identity struct {
	organization bool
	scopes       []string
	session      *session
}

type identityKey struct{}

// identityOf returns the identity identify found for the request.
func identityOf(r *http.Request) identity {
	id, _ := r.Context().Value(identityKey{}).(identity)
	return id
}

// identify is Polar's AuthSubjectMiddleware: it resolves the bearer token
// before the request is routed or its body read, and answers 401
// invalid_token at once for a token that names nothing live, whatever the
// route (polar/auth/middlewares.py: every prefix it knows, and any other,
// raises InvalidTokenError when the lookup fails). No token, or a client
// registration token, is anonymous: each operation then decides.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.resolveToken(bearerToken(r))
		if !ok {
			_ = invalidToken().write(w)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
	})
}

// resolveToken looks a bearer token up; ok is false for an invalid token.
func (s *Server) resolveToken(token string) (id identity, ok bool) {
	if token == "" || strings.HasPrefix(token, rules.PrefixClientRegistrationToken) {
		return identity{}, true
	}
	now := s.cfg.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if scopes, org := s.tokens[token]; org {
		return identity{organization: true, scopes: slices.Clone(scopes)}, true
	}
	if sess, known := s.sessions[token]; known && s.live(sess, now) {
		return identity{session: &sess}, true
	}
	return identity{}, false
}

// live reports whether a session still authenticates: it has not expired,
// and neither its customer nor, for a member session, its member has been
// deleted, as Polar's token lookups check (polar/customer_session/
// service.py, get_by_token: Customer.can_authenticate;
// polar/member_session/repository.py, get_by_token_hash: ~Member.is_deleted
// too). s.mu is held.
func (s *Server) live(sess session, now time.Time) bool {
	_, customer := s.customers[sess.customerID]
	_, member := s.members[sess.memberID]
	return now.Before(sess.expiresAt) && customer && (sess.memberID == "" || member)
}

type sessionKey struct{}

// authenticate is a strict middleware, so it runs after the body has been
// parsed as JSON and before it is validated: the order in which FastAPI
// resolves Polar's auth dependency, which decides which error a request with
// several problems gets. The token itself was resolved earlier, by identify.
func (s *Server) authenticate(next gen.StrictHandlerFunc, operationID string) gen.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		id := identityOf(r)
		switch operationID {
		case opCreate:
			if refusal, refused := authorizeOrganization(id); refused {
				return refusal, nil
			}
		case opIntrospect:
			if id.session == nil {
				// An organization token is valid but of the wrong kind:
				// Polar falls back to anonymous, hence Unauthorized.
				return unauthorized(), nil
			}
			ctx = context.WithValue(ctx, sessionKey{}, *id.session)
		default:
			// A renamed operation must fail loudly, not go unauthenticated.
			return nil, fmt.Errorf("polartest: no authentication rule for operation %q", operationID)
		}
		return next(ctx, w, r, request)
	}
}

// authorizeOrganization admits an organization access token with the
// customer_sessions:write scope; anyone else, a session included, is
// Unauthorized, as Polar's Authenticator falls back to anonymous for
// subjects it does not allow.
func authorizeOrganization(id identity) (jsonResponse, bool) {
	switch {
	case !id.organization:
		return unauthorized(), true
	case !slices.Contains(id.scopes, ScopeCustomerSessionsWrite):
		return insufficientScope(ScopeCustomerSessionsWrite), true
	}
	return jsonResponse{}, false
}

// newToken returns a fresh token with the given prefix, shaped as Polar's
// generate_token shapes them (polar/kit/crypto.py): a random secret and its
// checksum.
func newToken(prefix string) string {
	secret := randomAlphanumeric(rules.TokenSecretLength)
	return prefix + secret + rules.TokenChecksum(secret)
}

// randomAlphanumeric returns n characters of rules.TokenAlphabet, drawn
// from crypto/rand as Polar's token secrets are.
func randomAlphanumeric(n int) string {
	const alphabet = rules.TokenAlphabet
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
