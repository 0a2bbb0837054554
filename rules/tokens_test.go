package rules_test

import (
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
