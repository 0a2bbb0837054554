package rules

import (
	"strconv"
	"strings"
)

// Polar's URL validator (pydantic's HttpUrl) parses with the Rust url crate,
// by the WHATWG URL standard, not RFC 3986 as net/url: here is what decides
// whether a special URL parses, in the crate's words, and how the standard
// serializes it, as Polar stores it. Hosts are in host.go.

// whatwgTrim trims C0 controls and spaces, and drops tabs and newlines.
func whatwgTrim(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

// splitScheme returns s's scheme, lower case, and what follows its ":".
func splitScheme(s string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || !isAlpha(s[0]) {
		return "", "", false
	}
	for j := 1; j < i; j++ {
		if c := s[j]; !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return "", "", false
		}
	}
	return strings.ToLower(s[:i]), s[i+1:], true
}

// URL is a special URL split as the standard splits it, each part as it
// stands in the input: slashes and backslashes skipped before the authority
// ("https:example.com"), which ends at "/", "\", "?" or "#", its user info
// at the last "@", its host at a ":" outside brackets.
type URL struct {
	Scheme, Userinfo, Host, Port, Path, Query, Fragment string
	HasQuery, HasFragment                               bool
}

// splitSpecial splits what follows the scheme of a special URL.
func splitSpecial(scheme, rest string) URL {
	u := URL{Scheme: scheme}
	rest = strings.TrimLeft(rest, `/\`)
	end := strings.IndexAny(rest, `/\?#`)
	if end < 0 {
		end = len(rest)
	}
	authority, rest := rest[:end], rest[end:]
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		u.Userinfo, authority = authority[:i], authority[i+1:]
	}
	u.Host = authority
	inBrackets := false
	for i := 0; i < len(authority); i++ {
		switch authority[i] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				u.Host, u.Port = authority[:i], authority[i+1:]
				i = len(authority)
			}
		}
	}
	rest, u.Fragment, u.HasFragment = strings.Cut(rest, "#")
	u.Path, u.Query, u.HasQuery = strings.Cut(rest, "?")
	return u
}

// isSpecial: the schemes parsed as http is (file too, by other host rules:
// here it is refused for its scheme alone).
func isSpecial(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp":
		return true
	}
	return false
}

// problem says why u does not parse, host before port, or returns "".
func (u URL) problem() string {
	if u.Host == "" {
		return "empty host"
	}
	if _, p := parseHost(u.Host); p != "" {
		return p
	}
	if _, ok := parsePort(u.Port); !ok {
		return "invalid port number"
	}
	return ""
}

// parsePort reads a port up to 65535, or none (-1).
func parsePort(port string) (int, bool) {
	if port == "" {
		return -1, true
	}
	if strings.Trim(port, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(port, 10, 16)
	return int(n), err == nil
}

// PercentEncode percent-encodes the bytes of s that WHATWG's C0 control
// percent-encode set (controls, DEL, non-ASCII) or extra names; "%" stays.
func PercentEncode(s, extra string) string {
	return percentEncodeUnless(s, func(s string, i int) bool {
		return s[i] >= 0x20 && s[i] <= 0x7e && strings.IndexByte(extra, s[i]) < 0
	})
}

// percentEncodeUnless percent-encodes the bytes s[i] that keep(s, i) refuses.
func percentEncodeUnless(s string, keep func(s string, i int) bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keep(s, i) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; keep(s, i) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
