package rules

import (
	"bytes"
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
	if !MayHoldSecret(s, "") {
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
	secret := tokenSecret(token)
	if secret == "" {
		return s
	}
	i := indexFold(s, secret, strings.IndexByte)
	if i < 0 {
		return s
	}
	// One pass, each match searched for after the last: a body that
	// echoes the token many times costs its length, not its square.
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteString("[redacted]")
		s = s[i+len(secret):]
		i = indexFold(s, secret, strings.IndexByte)
	}
	b.WriteString(s)
	return b.String()
}

// MayHoldSecret reports, cheaply, whether Redact or RedactToken(s, token)
// could change s: false means neither would. token may be "". It takes a
// string or bytes, so a body can be checked without a copy.
func MayHoldSecret[S ~string | ~[]byte](s S, token string) bool {
	switch v := any(s).(type) {
	case string:
		return mayHold(v, token, strings.IndexByte)
	case []byte:
		return mayHold(v, token, bytes.IndexByte)
	}
	return mayHold(string(s), token, strings.IndexByte) // a named type: rare, copied
}

func mayHold[S ~string | ~[]byte](s S, token string, indexByte func(S, byte) int) bool {
	if indexFold(s, "polar", indexByte) >= 0 || indexFold(s, "session", indexByte) >= 0 {
		return true // every match of secretPattern holds one of these
	}
	secret := tokenSecret(token)
	return secret != "" && indexFold(s, secret, indexByte) >= 0
}

// tokenSecret is what follows token's "polar_<kind>_" prefix (the whole
// token without one), or "" when shorter than minSecret.
func tokenSecret(token string) string {
	secret := token
	if len(secret) > len("polar_") && equalFold(secret[:len("polar_")], "polar_") {
		if i := strings.IndexByte(secret[len("polar_"):], '_'); i >= 0 {
			secret = secret[len("polar_")+i+1:]
		}
	}
	if len(secret) < minSecret {
		return ""
	}
	return secret
}

// indexFold is the byte index of the first match of substr in s, ASCII
// letters compared without case, or -1. Byte offsets are those of s, so a
// caller can cut s at them. Candidates are found with indexByte (IndexByte
// of strings or bytes, which is fast) for the first byte in both cases.
func indexFold[S ~string | ~[]byte](s S, substr string, indexByte func(S, byte) int) int {
	n := len(substr)
	if n == 0 {
		return 0
	}
	lo, up := lower(substr[0]), upper(substr[0])
	next := func(c byte, from int) int {
		if j := indexByte(s[from:], c); j >= 0 {
			return from + j
		}
		return len(s)
	}
	nextLo, nextUp := -1, -1 // the next candidates at or after i
	for i := 0; i+n <= len(s); i++ {
		if nextLo < i {
			nextLo = next(lo, i)
		}
		if nextUp < i {
			nextUp = nextLo
			if up != lo {
				nextUp = next(up, i)
			}
		}
		if i = min(nextLo, nextUp); i+n > len(s) {
			return -1
		}
		if equalFoldAt(s, i, substr) {
			return i
		}
	}
	return -1
}

// equalFoldAt reports whether s holds substr at i, ASCII letters compared
// without case.
func equalFoldAt[S ~string | ~[]byte](s S, i int, substr string) bool {
	for k := 0; k < len(substr); k++ {
		if lower(s[i+k]) != lower(substr[k]) {
			return false
		}
	}
	return true
}

// equalFold reports whether a and b are equal, ASCII letters compared
// without case.
func equalFold(a, b string) bool {
	return len(a) == len(b) && equalFoldAt(a, 0, b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
