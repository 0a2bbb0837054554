package polartest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pydantic's messages for IDs, word for word: the uuid crate's diagnosis
// of a syntax error (src/error.rs), positions from 1 in the whole input.
func TestUUIDMessagesArePydantics(t *testing.T) {
	for _, tc := range []struct{ in, typ, msg, reason string }{
		{"cus_123", "uuid_parsing",
			"Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `u` at 2",
			"must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b (invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `u` at 2)"},
		{"123", "uuid_parsing", "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3", ""},
		// The uuid crate numbers groups from 0.
		{"3f2e1d0c-9b8a-4765-843-10fedcba9876", "uuid_parsing", "Input should be a valid UUID, invalid group length in group 3: expected 4, found 3", ""},
		{"F9168C5E-CEB-24fa-eB6BFF32-BF39FA1E4", "uuid_parsing", "Input should be a valid UUID, invalid group length in group 1: expected 4, found 3", ""},
		{"01020304-1112-2122-3132-41424344", "uuid_parsing", "Input should be a valid UUID, invalid group length in group 4: expected 12, found 8", ""},
		{"67e550X410b1426f9247bb680e5fe0cd", "uuid_parsing", "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `X` at 7", ""},
		// Prefixes count in positions; "urn:uuid:" takes only the hyphenated form.
		{"urn:uuid:992fae2a-2a17-4b7a-8d9e-e287cf9013xb", "uuid_parsing", "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 44", ""},
		{"urn:uuid:992fae2a2a174b7a8d9ee287cf90131b", "uuid_parsing", "Input should be a valid UUID, invalid group count: expected 5, found 1", ""},
		{"{992fae2a2a174b7a8d9ee287cf90131b}", "uuid_parsing", "Input should be a valid UUID, invalid group count: expected 5, found 1", ""},
		{"992fae2a-2a17-4b7a-8d9e-e287cf90131é", "uuid_parsing", "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `é` at 36", ""},
		{"992fae2a-2a17-4b7a-8d9e-e287cf9013\xff", "uuid_parsing", "Input should be a valid UUID, non-UTF8 input", ""},
		// Version 4, but not the RFC 4122 variant (pydantic-core checks both).
		{"992fae2a-2a17-4b7a-cd9e-e287cf90131b", "uuid_version", "UUID version 4 expected",
			"must be a version 4 UUID of the RFC 4122 variant, as Polar's IDs are; this one is of another variant"},
		{"3f2e1d0c-9b8a-4765-8432", "uuid_parsing", "Input should be a valid UUID, invalid group count: expected 5, found 4", ""},
		{"a8098c1a-f86e-11da-bd1a-00112444be1e", "uuid_version", "UUID version 4 expected",
			"must be a version 4 UUID, as Polar's IDs are; this one is version 1"},
		{"", "uuid_parsing", "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 0", ""},
		// Forms github.com/google/uuid takes and the uuid crate does not.
		{"(992fae2a-2a17-4b7a-8d9e-e287cf90131b)", "uuid_parsing", "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `(` at 1", ""},
		{"URN:UUID:992fae2a-2a17-4b7a-8d9e-e287cf90131b", "uuid_parsing", "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `U` at 1", ""},
	} {
		got, v := checkUUID4(tc.in)
		require.NotNil(t, v, tc.in)
		assert.Empty(t, got)
		assert.Equal(t, tc.typ, v.Type, tc.in)
		assert.Equal(t, tc.msg, v.Msg, tc.in)
	}
}
