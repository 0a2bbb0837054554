package rules

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// CheckExternalID refuses an external customer or member ID that cannot
// name anything: one that is not valid UTF-8 (JSON would replace the bad
// bytes, and Polar would look up an ID nobody asked for) or that is only
// whitespace. Polar itself takes any string and answers that no such
// customer exists; these are the IDs that are certainly mistakes, so the
// client refuses them before sending and polartest refuses to register
// them. The error says what is wrong and never quotes the ID.
func CheckExternalID(s string) error {
	switch {
	case !utf8.ValidString(s):
		return errors.New("is not valid UTF-8")
	case strings.TrimSpace(s) == "":
		return errors.New("is blank")
	}
	return nil
}
