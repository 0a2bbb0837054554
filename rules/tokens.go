package rules

import (
	"hash/crc32"
	"time"
)

// Token prefixes, by which Polar's auth middleware (polar/auth/
// middlewares.py) looks a bearer token up, and the client refuses a token
// of the wrong kind before sending it.
const (
	PrefixOrganizationToken       = "polar_oat_" // organization access token: creates sessions
	PrefixPersonalToken           = "polar_pat_" // personal access token
	PrefixCustomerSession         = "polar_cst_" // customer session, for organizations without members
	PrefixMemberSession           = "polar_mst_" // member session, for organizations with members (all new ones)
	PrefixClientRegistrationToken = "polar_crt_" // OAuth2 client registration: to Polar, no credential at all
)

// PrefixPolar begins every token Polar issues, whatever its kind (the kind
// prefixes above, OAuth2's polar_at_…, polar_rt_…).
const PrefixPolar = "polar_"

// After its prefix a token is TokenSecretLength characters of [A-Za-z0-9],
// then TokenChecksumLength of checksum (polar/kit/crypto.py, generate_token).
const (
	TokenSecretLength   = 37
	TokenChecksumLength = 6
	TokenLength         = TokenSecretLength + TokenChecksumLength
)

// TokenChecksum is what Polar appends to a token's secret: its IEEE CRC-32
// in base 62 (0-9A-Za-z), zero-padded (polar/kit/crypto.py, _crc32_to_base62).
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

// SessionLifetime is how long a session lives (polar/config.py, CUSTOMER_SESSION_TTL).
const SessionLifetime = time.Hour
