package rules

import (
	"hash/crc32"
	"strings"
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

// After its prefix a token is TokenSecretLength characters of TokenAlphabet,
// then TokenChecksumLength of checksum (polar/kit/crypto.py, generate_token).
const (
	TokenSecretLength   = 37
	TokenChecksumLength = 6
	TokenLength         = TokenSecretLength + TokenChecksumLength
)

// TokenAlphabet is the characters of a token after its prefix: Polar draws
// a token's secret from them (generate_token: ASCII letters and digits) and
// writes its checksum with them as base-62 digits, in this order
// (_crc32_to_base62), both in polar/kit/crypto.py.
const TokenAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// IsToken reports whether s is prefix followed by one or more characters of
// TokenAlphabet and nothing else: a token of that kind as Polar shapes
// them, whatever its length, and so one that Redact removes whole. Where a
// token is given to stand for one of Polar's (the fake's --access-token),
// one with other characters would leak what follows them into logs.
func IsToken(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if strings.IndexByte(TokenAlphabet, rest[i]) < 0 {
			return false
		}
	}
	return true
}

// TokenChecksum is what Polar appends to a token's secret: its IEEE CRC-32
// in base 62 (the digits of TokenAlphabet), zero-padded (polar/kit/crypto.py,
// _crc32_to_base62).
func TokenChecksum(secret string) string {
	var out [TokenChecksumLength]byte
	n := crc32.ChecksumIEEE([]byte(secret))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = TokenAlphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// SessionLifetime is how long a session lives (polar/config.py, CUSTOMER_SESSION_TTL).
const SessionLifetime = time.Hour
