package rules

import (
	"strconv"
	"strings"
)

// Polar's URL validator (pydantic's HttpUrl) parses with the Rust url crate,
// which follows the WHATWG URL standard, not RFC 3986 as Go's net/url does.
// This file holds the parts of that standard that decide whether a URL of a
// special scheme (http, https, ws, wss, ftp) parses, with the url crate's
// words for what fails, and how the standard serializes an http(s) URL,
// which is what Polar stores. Hosts are parsed in host.go.

// whatwgTrim is the standard's preprocessing: leading and trailing C0
// controls and spaces go, and so do tabs and newlines anywhere.
func whatwgTrim(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

// splitScheme returns s's scheme, lower case, and what follows its ":",
// or ok false when s does not start with a scheme.
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

// specialURL is an absolute URL of a special scheme split as the standard
// splits it, each part as it stands in the input. Special schemes skip any
// run of slashes and backslashes before the authority ("https:example.com"
// and "https:///example.com" both name example.com); the authority ends at
// the first "/", "\", "?" or "#", its user info at its last "@", its host
// at the first ":" outside brackets.
type specialURL struct {
	scheme, userinfo, host, port, path, query, fragment string
	hasQuery, hasFragment                               bool
}

// splitSpecial splits what follows the scheme of a special URL.
func splitSpecial(scheme, rest string) specialURL {
	u := specialURL{scheme: scheme}
	rest = strings.TrimLeft(rest, `/\`)
	end := strings.IndexAny(rest, `/\?#`)
	if end < 0 {
		end = len(rest)
	}
	authority, rest := rest[:end], rest[end:]
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		u.userinfo, authority = authority[:i], authority[i+1:]
	}
	u.host = authority
	inBrackets := false
	for i := 0; i < len(authority); i++ {
		switch authority[i] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				u.host, u.port = authority[:i], authority[i+1:]
				i = len(authority)
			}
		}
	}
	rest, u.fragment, u.hasFragment = strings.Cut(rest, "#")
	u.path, u.query, u.hasQuery = strings.Cut(rest, "?")
	return u
}

// isSpecial reports whether the standard parses scheme's URLs with a host
// as http's are parsed. It counts file as special too, but file hosts
// follow other rules: file URLs, as those of other schemes, are refused for
// their scheme alone here.
func isSpecial(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp":
		return true
	}
	return false
}

// problem says why u does not parse, in the url crate's words, or returns
// "". The host is parsed before the port (url/src/parser.rs,
// parse_host_and_port).
func (u specialURL) problem() string {
	if u.host == "" {
		return "empty host"
	}
	if _, p := parseHost(u.host); p != "" {
		return p
	}
	if _, ok := parsePort(u.port); !ok {
		return "invalid port number"
	}
	return ""
}

// parsePort reads a port: decimal digits up to 65535, or none (-1).
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

// String serializes an http(s) URL without problem as the standard does:
// the user info and each part percent-encoded by its own set, the host as
// parseHost gives it, the default port dropped, the path normalized.
func (u specialURL) String() string {
	var b strings.Builder
	b.WriteString(u.scheme)
	b.WriteString("://")
	if user, password, _ := strings.Cut(u.userinfo, ":"); user != "" || password != "" {
		b.WriteString(percentEncode(user, userinfoSet))
		if password != "" {
			b.WriteString(":" + percentEncode(password, userinfoSet))
		}
		b.WriteByte('@')
	}
	host, _ := parseHost(u.host)
	b.WriteString(host)
	if port, _ := parsePort(u.port); port >= 0 && !(port == 80 && u.scheme == "http" || port == 443 && u.scheme == "https") {
		b.WriteString(":" + strconv.Itoa(port))
	}
	b.WriteString(normalizePath(u.path))
	if u.hasQuery {
		b.WriteString("?" + percentEncode(u.query, specialQuerySet))
	}
	if u.hasFragment {
		b.WriteString("#" + percentEncode(u.fragment, fragmentSet))
	}
	return b.String()
}

// normalizePath is a special URL's path as the standard keeps it: "\" read
// as "/", "." and ".." segments (also when spelled with %2e) resolved, each
// segment percent-encoded by the path set, and an empty path made "/".
func normalizePath(path string) string {
	if path != "" {
		path = path[1:] // the "/" or "\" that ended the authority
	}
	segments := strings.Split(strings.ReplaceAll(path, `\`, "/"), "/")
	out := make([]string, 0, len(segments))
	for i, seg := range segments {
		last := i == len(segments)-1
		switch strings.ReplaceAll(strings.ToLower(seg), "%2e", ".") {
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, percentEncode(seg, pathSet))
		}
	}
	return "/" + strings.Join(out, "/")
}

// The standard's percent-encode sets (url/src/parser.rs), beyond the C0
// control set that each includes: controls, DEL and all non-ASCII.
const (
	fragmentSet     = " \"<>`"
	pathSet         = fragmentSet + "#?{}"
	userinfoSet     = pathSet + `/:;=@[\]^|`
	specialQuerySet = " \"#<>'"
)

// percentEncode encodes the bytes of s that the C0 control set or extra
// names; a "%" is left alone, escape or not.
func percentEncode(s, extra string) string {
	return percentEncodeUnless(s, func(s string, i int) bool {
		c := s[i]
		return c >= 0x20 && c <= 0x7e && strings.IndexByte(extra, c) < 0
	})
}

// percentEncodeUnless percent-encodes the bytes of s that keep refuses,
// keep(s, i) judging s[i]; s comes back as it is when keep takes all.
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
