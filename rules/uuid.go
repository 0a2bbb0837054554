package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// errUUIDForm is a string uuid.Parse takes and the uuid crate does not.
var errUUIDForm = errors.New("not one of the uuid crate's forms")

// ParseUUID4 checks an ID as Polar's models do (pydantic's UUID4) and
// returns it canonical. pydantic-core parses with the uuid crate, which
// takes the simple, hyphenated, braced and "urn:uuid:" forms, as
// github.com/google/uuid does, then refuses any but version 4 of RFC 4122's
// variant. The messages are pydantic's (for a syntax error, but the crate's
// diagnosis that follows it).
func ParseUUID4(s string) (string, *Violation) {
	id, err := uuid.Parse(s)
	// uuid.Parse takes more: any brackets, and the urn prefix in any case.
	if n := len(s); n == 38 && (s[0] != '{' || s[37] != '}') || n == 45 && !strings.HasPrefix(s, "urn:uuid:") {
		err = errUUIDForm
	}
	if err != nil {
		// Msg, without the uuid crate's diagnosis, which polartest adds.
		return "", &Violation{Type: "uuid_parsing", Msg: "Input should be a valid UUID",
			Reason: "must be a UUID such as 992fae2a-2a17-4b7a-8d9e-e287cf90131b"}
	}
	if id.Version() != 4 || id.Variant() != uuid.RFC4122 {
		reason := fmt.Sprintf("must be a version 4 UUID, as Polar's IDs are; this one is version %d", id.Version())
		if id.Version() == 4 {
			reason = "must be a version 4 UUID of the RFC 4122 variant, as Polar's IDs are; this one is of another variant"
		}
		return "", &Violation{
			Type:   "uuid_version",
			Msg:    "UUID version 4 expected",
			Ctx:    map[string]any{"expected_version": 4},
			Reason: reason,
		}
	}
	return id.String(), nil
}
