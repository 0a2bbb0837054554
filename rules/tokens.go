package rules

import (
	"hash/crc32"
	"time"
)

// Token prefixes, as Polar's token models set them: each kind of token
// starts with its own, which is how the client refuses a token of the wrong
// kind before sending it, and how Polar's auth middleware
// (polar/auth/middlewares.py, get_auth_subject) decides where to look a
// bearer token up.
const (
	// PrefixOrganizationToken starts an organization access token, the
	// credential that creates sessions.
	PrefixOrganizationToken = "polar_oat_"
	// PrefixPersonalToken starts a personal access token.
	PrefixPersonalToken = "polar_pat_"
	// PrefixCustomerSession starts a customer session token, created for
	// organizations without the member model
	// (polar/customer_session/service.py, CUSTOMER_SESSION_TOKEN_PREFIX).
	PrefixCustomerSession = "polar_cst_"
	// PrefixMemberSession starts a member session token, created for
	// organizations with the member model, all new ones
	// (polar/models/member_session.py, MEMBER_SESSION_TOKEN_PREFIX).
	PrefixMemberSession = "polar_mst_"
	// PrefixClientRegistrationToken starts an OAuth2 client registration
	// token. Polar's auth middleware treats a bearer token with this prefix
	// as no credential at all (anonymous), not as an invalid one
	// (polar/oauth2/constants.py, CLIENT_REGISTRATION_TOKEN_PREFIX).
	PrefixClientRegistrationToken = "polar_crt_"
)

// The shape of every token Polar generates after its prefix
// (polar/kit/crypto.py, generate_token): TokenSecretLength characters drawn
// from [A-Za-z0-9], then TokenChecksumLength characters of checksum, so
// TokenLength characters in all.
const (
	TokenSecretLength   = 37
	TokenChecksumLength = 6
	TokenLength         = TokenSecretLength + TokenChecksumLength
)

// TokenChecksum is the checksum Polar appends to a token's secret: the
// IEEE CRC-32 of the secret's bytes in base 62 (digits, then upper-case,
// then lower-case letters), left-padded with "0" to TokenChecksumLength
// characters (polar/kit/crypto.py, _crc32_to_base62).
func TokenChecksum(secret string) string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var out [TokenChecksumLength]byte
	n := crc32.ChecksumIEEE([]byte(secret))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = digits[n%62]
		n /= 62
	}
	return string(out[:])
}

// SessionLifetime is how long a customer or member session lives after it
// is created (polar/config.py, CUSTOMER_SESSION_TTL, for both).
const SessionLifetime = time.Hour
