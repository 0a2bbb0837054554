package client

import (
	"strings"
	"unicode"

	"github.com/polarsessions/polarsessions-go/rules"
)

// checkToken refuses a token that is empty, holds whitespace or control
// characters (which would corrupt the Authorization header), or starts with
// one of the wrong prefixes: it would only earn a 401, and a session token
// sent to the create endpoint (or an organization token to a customer-facing
// one) is a secret going where it does not belong. Unknown prefixes pass:
// Polar may add kinds. Messages name the field and the prefix, never the
// token.
func checkToken(field, token, want string, wrong ...string) error {
	if token == "" {
		return invalid(field, "is empty")
	}
	if strings.IndexFunc(token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return invalid(field, "contains whitespace or control characters")
	}
	for _, p := range wrong {
		if strings.HasPrefix(token, p) {
			return invalid(field, "is a %s… token; %s", p, want)
		}
	}
	return nil
}

// checkAccessToken checks a token meant for Create.
func checkAccessToken(field, token string) error {
	return checkToken(field, token,
		"creating a customer session needs an organization access token (polar_oat_…)",
		rules.PrefixCustomerSession, rules.PrefixMemberSession)
}

// checkSessionToken checks a token meant for Introspect.
func checkSessionToken(token string) error {
	return checkToken("session token", token,
		"introspection needs the member or customer session token (polar_mst_… or polar_cst_…)",
		rules.PrefixOrganizationToken, rules.PrefixPersonalToken)
}
