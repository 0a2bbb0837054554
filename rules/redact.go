package rules

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// secretPattern finds secrets by shape, in any case: URLs carrying a
// session token (portal URLs, their slashes maybe JSON-escaped), and
// Polar tokens.
var secretPattern = regexp.MustCompile(`(?i)https?:(?:\\?/){2}(?:[^\s"'<>\\]|\\/)*customer_session_token(?:[^\s"'<>\\]|\\/)*` +
	`|(polar_[a-z]{2,4}_)[a-z0-9_\-]+`)

// minSecret is the shortest run of a token's characters Redact removes:
// shorter runs could be ordinary text, and leave too little to guess.
const minSecret = 16

// minShortSecret is the shortest token (another service's, such as
// sk_test_12345) Redact removes where it appears whole; a shorter one is no
// credential, and would match ordinary text.
const minShortSecret = 8

// Redact returns s without secrets: every Polar token (its kind kept:
// "polar_oat_[redacted]"), every URL carrying a session token ("[redacted
// URL]"), and every run of 16 or more characters of token (the call's own
// credential, "" for none), which a server may echo without its prefix or
// cut short (a token shorter than 16, where it appears whole); in any letter
// case, and behind JSON (\u0041) and percent (%41) escapes. The client, the CLI and portal redact what they keep with it.
//
// Text without a secret comes back as it was, escapes and all.
func Redact(s, token string) string {
	orig, escaped := s, strings.Contains(s, `\u`) || strings.Contains(s, "%")
	if escaped {
		s = unescape(s)
	}
	if out := redact(s, token); out != s || !escaped {
		return out
	}
	return orig
}

// redact is Redact of s, its escapes read already.
func redact(s, token string) string {
	var buf [1 << 10]byte // a lower-cased copy of s, on the stack when s is short
	lower := lowerASCII(buf[:0], s)
	if bytes.Contains(lower, []byte("polar")) || bytes.Contains(lower, []byte("session")) {
		s = secretPattern.ReplaceAllStringFunc(s, func(m string) string {
			if m[0] == 'h' || m[0] == 'H' {
				return "[redacted URL]"
			}
			return secretPattern.FindStringSubmatch(m)[1] + Redacted
		})
		lower = lowerASCII(buf[:0], s)
	}
	return redactToken(s, lower, token)
}

// redactToken replaces every run of at least minSecret consecutive
// characters of token in s (lower, lower-cased), letters without case.
func redactToken(s string, lower []byte, token string) string {
	if len(token) >= minShortSecret && len(token) < minSecret {
		// Too short for a run to mean it: only the whole token is.
		if i := bytes.Index(lower, lowerASCII(nil, token)); i >= 0 {
			return s[:i] + Redacted + redactToken(s[i+len(token):], lower[i+len(token):], token)
		}
		return s
	}
	if len(token) < minSecret || len(s) < minSecret {
		return s
	}
	var buf [128]byte
	lt := lowerASCII(buf[:0], token)
	// A run of 16 of token's characters holds one of its 8-character
	// pieces starting at a multiple of 8: when none is in s, no run is.
	// This check, the usual case, allocates nothing.
	found := false
	for i := 0; i+minSecret/2 <= len(lt) && !found; i += minSecret / 2 {
		found = bytes.Contains(lower, lt[i:i+minSecret/2])
	}
	if !found {
		return s
	}
	covered := make([]bool, len(s)) // the rare case: one pass per piece
	for i := 0; i+minSecret <= len(lt); i++ {
		for from, j := 0, 0; ; from += j + 1 {
			if j = bytes.Index(lower[from:], lt[i:i+minSecret]); j < 0 {
				break
			}
			for k := from + j; k < from+j+minSecret; k++ {
				covered[k] = true
			}
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
		b.WriteString(Redacted)
	}
	return b.String()
}

// unescape reads JSON and percent escapes of token characters as those.
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

// lowerASCII appends s to dst, ASCII letters lower-cased, byte by byte:
// offsets stay as in s.
func lowerASCII(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	for i, c := range dst[n:] {
		if 'A' <= c && c <= 'Z' {
			dst[n+i] = c | 0x20
		}
	}
	return dst
}
