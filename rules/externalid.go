package rules

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// CheckExternalID refuses an external ID that can name nothing: invalid
// UTF-8 (JSON would replace the bytes) or only whitespace. Polar takes any
// string; these are certain mistakes, refused by the client before sending
// and by polartest's AddCustomer. The error never quotes the ID.
func CheckExternalID(s string) error {
	switch {
	case !utf8.ValidString(s):
		return errors.New("is not valid UTF-8")
	case strings.TrimSpace(s) == "":
		return errors.New("is blank")
	}
	return nil
}
