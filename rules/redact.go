package rules

import (
	"regexp"
	"strconv"
	"strings"
)

// secretPattern finds what Redact replaces by its shape: URLs carrying a
// session token (a customer portal URL, which also holds an email), and
// Polar tokens, "polar_", a kind and "_", then the secret, in any case
// (HTTP header names arrive re-cased).
var secretPattern = regexp.MustCompile(`(?i)https?://[^\s"'<>\\]*customer_session_token[^\s"'<>\\]*` +
	`|(polar_[a-z]{2,4}_)[a-z0-9_\-]+`)

// minSecret is the shortest run of a token's characters Redact removes:
// shorter runs could be ordinary text, and 16 of a token's 43 random
// characters leave too little to guess the rest.
const minSecret = 16

// Redact returns s with the secrets taken out: every Polar token (its kind
// kept, as "polar_oat_[redacted]", so a message still says which kind of
// token was involved), every URL carrying a session token ("[redacted
// URL]"), and every run of 16 or more consecutive characters of token (the
// credential of the call at hand, "" for none), which a server may echo
// without its prefix or cut short. It finds them in any letter case, and
// behind JSON (\u0041) and percent (%41) escapes of the characters tokens
// are made of, which it reads as those characters.
//
// The client redacts with it what servers send back, and the polar-sessions
// command and the portal package what they are given to print or log.
func Redact(s, token string) string {
	if strings.Contains(s, `\u`) || strings.Contains(s, "%") {
		s = unescape(s)
	}
	if containsFold(s, "polar") || containsFold(s, "session") {
		s = secretPattern.ReplaceAllStringFunc(s, func(m string) string {
			if m[0] == 'h' || m[0] == 'H' {
				return "[redacted URL]"
			}
			return secretPattern.FindStringSubmatch(m)[1] + "[redacted]"
		})
	}
	return redactToken(s, token)
}

// redactToken replaces every run of at least minSecret consecutive
// characters of token in s, letters compared without case.
func redactToken(s, token string) string {
	if len(token) < minSecret || len(s) < minSecret {
		return s
	}
	// A run of 16 of token's characters holds one of its 8-character
	// pieces starting at a multiple of 8: when none is in s, no run is.
	// This check, the usual case, allocates nothing.
	found := false
	for i := 0; i+minSecret/2 <= len(token) && !found; i += minSecret / 2 {
		found = containsFold(s, token[i:i+minSecret/2])
	}
	if !found {
		return s
	}
	ls, lt := lowerASCII(s), lowerASCII(token)
	covered := make([]bool, len(s))
	for i := 0; i+minSecret <= len(lt); i++ {
		piece := lt[i : i+minSecret]
		for from := 0; ; {
			j := strings.Index(ls[from:], piece)
			if j < 0 {
				break
			}
			for k := from + j; k < from+j+minSecret; k++ {
				covered[k] = true
			}
			from += j + 1
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		for i < len(s) && covered[i] {
			i++
		}
		b.WriteString("[redacted]")
	}
	return b.String()
}

// unescape reads the JSON and percent escapes of letters, digits, "_" and
// "-" as those characters, and leaves every other byte as it is.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		hex, n := "", 0
		switch {
		case s[i] == '\\' && i+6 <= len(s) && s[i+1] == 'u' && s[i+2:i+4] == "00":
			hex, n = s[i+4:i+6], 6
		case s[i] == '%' && i+3 <= len(s):
			hex, n = s[i+1:i+3], 3
		}
		if v, err := strconv.ParseUint(hex, 16, 8); n > 0 && err == nil && isTokenByte(byte(v)) {
			b.WriteByte(byte(v))
			i += n - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isTokenByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// containsFold reports whether s holds sub, ASCII letters compared without
// case. Candidates are found with strings.IndexByte, which is fast, for
// either case of sub's first byte.
func containsFold(s, sub string) bool {
	lo, up := lower(sub[0]), sub[0]&^0x20
	if lo < 'a' || lo > 'z' {
		up = lo
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := strings.IndexByte(s[i:], lo)
		if k := strings.IndexByte(s[i:], up); k >= 0 && (j < 0 || k < j) {
			j = k
		}
		if j < 0 {
			return false
		}
		if i += j; i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII lower-cases ASCII letters only, byte by byte, so offsets stay
// those of s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
