package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/rules"
)

func TestParseUUID4Accepts(t *testing.T) {
	const canonical = "992fae2a-2a17-4b7a-8d9e-e287cf90131b"
	for _, in := range []string{
		canonical,
		"992FAE2A-2A17-4B7A-8D9E-E287CF90131B",
		"992fae2a2a174b7a8d9ee287cf90131b",
		"urn:uuid:992fae2a-2a17-4b7a-8d9e-e287cf90131b",
	} {
		got, v := rules.ParseUUID4(in)
		require.Nil(t, v, in)
		assert.Equal(t, canonical, got, in)
	}
}

func TestParseUUID4Refuses(t *testing.T) {
	for _, tc := range []struct{ in, typ, msg, reason string }{
		{"cus_123", "uuid_parsing",
			"Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `u` at 2",
			"must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b (invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `u` at 2)"},
		{"123", "uuid_parsing", "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3", ""},
		{"3f2e1d0c-9b8a-4765-843-10fedcba9876", "uuid_parsing", "Input should be a valid UUID, invalid group length in group 4: expected 4, found 3", ""},
		{"3f2e1d0c-9b8a-4765-8432", "uuid_parsing", "Input should be a valid UUID, invalid group count: expected 5, found 4", ""},
		{"a8098c1a-f86e-11da-bd1a-00112444be1e", "uuid_version", "UUID version 4 expected",
			"must be a version 4 UUID, as Polar's IDs are; this one is version 1"},
		{"", "uuid_parsing", "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 0", ""},
	} {
		got, v := rules.ParseUUID4(tc.in)
		require.NotNil(t, v, tc.in)
		assert.Empty(t, got)
		assert.Equal(t, tc.typ, v.Type, tc.in)
		assert.Equal(t, tc.msg, v.Msg, tc.in)
		if tc.reason != "" {
			assert.Equal(t, tc.reason, v.Error(), tc.in)
		}
	}
}

func TestViolationZeroAndNil(t *testing.T) {
	var nilV *rules.Violation
	assert.Equal(t, "<nil>", nilV.Error())
	assert.Equal(t, "", (&rules.Violation{}).Error())
	assert.Equal(t, "m", (&rules.Violation{Msg: "m"}).Error())
}
