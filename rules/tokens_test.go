package rules_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/rules"
)

// Vectors computed with Polar's own _crc32_to_base62(zlib.crc32(secret)).
func TestTokenChecksum(t *testing.T) {
	for secret, want := range map[string]string{
		"Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB": "2xvrY3",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": "2sN54l",
		"IJK3qzdSIxozMDG79bJE8SWJ4jHMNnrHMbicm": "00s62F", // a small CRC: zero-padded
		"":                                      "000000",
	} {
		assert.Equal(t, want, rules.TokenChecksum(secret), "secret %q", secret)
	}
	assert.Equal(t, 43, rules.TokenLength)
}

func TestIsToken(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"polar_oat_abc123XYZ", true},
		{"polar_oat_" + rules.TokenAlphabet, true},
		{"polar_oat_", false},
		{"polar_oat_ab.SECRET", false},
		{"polar_oat_ab-cd", false},
		{"polar_oat_ab_cd", false},
		{"polar_oat_ab cd", false},
		{"polar_oat_é", false},
		{"polar_pat_abc", false},
		{"POLAR_OAT_abc", false},
		{"abc", false},
	} {
		assert.Equal(t, tc.want, rules.IsToken(tc.s, rules.PrefixOrganizationToken), "%q", tc.s)
	}
}

// A token IsToken takes is redacted whole, whatever follows it.
func TestIsTokenIsRedactedWhole(t *testing.T) {
	for _, token := range []string{"polar_oat_Q", "polar_oat_" + rules.TokenAlphabet} {
		assert.True(t, rules.IsToken(token, rules.PrefixOrganizationToken))
		for _, around := range []string{"%s", "x %s.", "Bearer %s\n", `{"t":"%s"}`} {
			s := strings.ReplaceAll(around, "%s", token)
			assert.NotContains(t, rules.Redact(s, ""), token[len(rules.PrefixOrganizationToken):], s)
		}
	}
}
