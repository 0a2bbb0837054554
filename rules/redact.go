package rules

import (
	"regexp"
	"strings"
)

// sep is an underscore as it may reach a message: raw, percent-encoded in
// a URL, or escaped in JSON.
const sep = `(?:_|%5f|\\u005f)`

// secretPattern finds URLs that carry a session token (a customer portal
// URL, which also holds an email) and Polar tokens: "polar", the kind, and
// the secret, with underscores as sep allows, in any letter case (HTTP
// header names arrive re-cased).
var secretPattern = regexp.MustCompile(`(?i)https?://[^\s"'<>\\]*customer` + sep + `session` + sep + `token[^\s"'<>\\]*` +
	`|(polar` + sep + `[a-z]{2,4}` + sep + `)[a-z0-9_\-]+`)

// Redact replaces what must never be printed or logged: every Polar token
// (its kind prefix kept, "polar_oat_[redacted]", so a message still says
// which kind of token was involved) and every URL carrying a session token
// ("[redacted URL]"). It finds them raw, percent-encoded or JSON-escaped,
// in any letter case. The client redacts what servers send with it, and
// the polar-sessions command what it is given.
func Redact(s string) string {
	if !mayHoldSecret(s) {
		return s // the common case, without running the pattern
	}
	return secretPattern.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] == 'h' || m[0] == 'H' {
			return "[redacted URL]"
		}
		return secretPattern.FindStringSubmatch(m)[1] + "[redacted]"
	})
}

// minSecret is the shortest secret RedactToken looks for: a shorter one
// could match ordinary text. Polar's secrets have TokenLength characters.
const minSecret = 16

// RedactToken replaces every occurrence in s of token's secret (what
// follows its "polar_<kind>_" prefix, or the whole token without one), in
// any letter case, with "[redacted]": for a token a server echoed in a
// shape Redact cannot recognise, such as without its prefix. A secret
// shorter than 16 characters is not looked for.
func RedactToken(s, token string) string {
	secret := strings.ToLower(token)
	if strings.HasPrefix(secret, "polar_") {
		if i := strings.IndexByte(secret[len("polar_"):], '_'); i >= 0 {
			secret = secret[len("polar_")+i+1:]
		}
	}
	if len(secret) < minSecret {
		return s
	}
	for {
		i := indexFold(s, secret)
		if i < 0 {
			return s
		}
		s = s[:i] + "[redacted]" + s[i+len(secret):]
	}
}

// mayHoldSecret reports whether s contains "polar" or "session" in any
// case: every match of secretPattern does.
func mayHoldSecret(s string) bool {
	return indexFold(s, "polar") >= 0 || indexFold(s, "session") >= 0
}

// indexFold is the byte index of the first match of substr in s, ASCII
// letters compared without case, or -1. substr must be lower case. Byte
// offsets are those of s, so a caller can cut s at them.
func indexFold(s, substr string) int {
	n := len(substr)
	if n == 0 {
		return 0
	}
	first := substr[0]
	for i := 0; i+n <= len(s); i++ {
		if lower(s[i]) != first {
			continue
		}
		j := 1
		for j < n && lower(s[i+j]) == substr[j] {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
