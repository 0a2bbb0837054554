package rules

import (
	"net"
	"strconv"
	"strings"
)

// Polar's URL validator (pydantic's HttpUrl) parses with the Rust url crate,
// which follows the WHATWG URL standard, not RFC 3986 as Go's net/url does.
// This file holds the parts of that standard that decide whether an http or
// https URL parses, with the url crate's words for what fails. One part is
// not modelled: a host with non-ASCII letters goes through IDNA there, and
// is assumed valid here.

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

// httpHostProblem parses the authority of an http(s) URL, rest being what
// follows "http:", and says why its host or port fails, or returns "".
// Special schemes skip any run of slashes and backslashes before the
// authority ("https:example.com" and "https:///example.com" both name
// example.com), and the authority ends at the first "/", "\", "?" or "#".
func httpHostProblem(rest string) string {
	rest = strings.TrimLeft(rest, `/\`)
	if i := strings.IndexAny(rest, `/\?#`); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:] // user info
	}
	host, port := rest, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "invalid IPv6 address"
		}
		host, port = rest[:end+1], rest[end+1:]
		if port != "" && port[0] != ':' {
			return "invalid domain character"
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.IndexByte(host, ':'); i >= 0 {
		host, port = rest[:i], rest[i+1:]
	}
	if host == "" {
		return "empty host"
	}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 32)
		if err != nil || n > 65535 {
			return "invalid port number"
		}
	}
	if strings.HasPrefix(host, "[") {
		if ip := net.ParseIP(host[1 : len(host)-1]); ip == nil || ip.To4() != nil && !strings.Contains(host, ":") {
			return "invalid IPv6 address"
		}
		return ""
	}
	domain := percentDecode(host)
	for i := 0; i < len(domain); i++ {
		if c := domain[i]; c <= ' ' || c == 0x7f || strings.IndexByte(`#%/:<>?@[\]^|`, c) >= 0 {
			return "invalid domain character"
		}
	}
	if endsInANumber(domain) && !validIPv4(domain) {
		return "invalid IPv4 address"
	}
	return ""
}

// percentDecode decodes %XX escapes, leaving a "%" that starts none.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b = append(b, byte(v))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// endsInANumber is the standard's test for a host to be parsed as IPv4:
// its last label (a trailing dot aside) is decimal digits, or "0x" and
// hex digits.
func endsInANumber(host string) bool {
	labels := strings.Split(host, ".")
	if labels[len(labels)-1] == "" {
		if len(labels) == 1 {
			return false
		}
		labels = labels[:len(labels)-1]
	}
	last := labels[len(labels)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := ipv4Number(last)
	return ok && (strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X"))
}

// validIPv4 is the standard's IPv4 parser: up to four numbers (decimal,
// 0x hex or 0-led octal), each but the last below 256, the last filling
// the remaining bytes.
func validIPv4(host string) bool {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return false
	}
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return false
		}
		if i < len(parts)-1 && n > 255 {
			return false
		}
		if i == len(parts)-1 && n >= 1<<(8*(5-len(parts))) {
			return false
		}
	}
	return true
}

// ipv4Number parses one IPv4 number as the standard does.
func ipv4Number(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
		p, base = p[2:], 16
		if p == "" {
			return 0, true
		}
	case len(p) >= 2 && p[0] == '0':
		p, base = p[1:], 8
	}
	n, err := strconv.ParseUint(p, base, 64)
	return n, err == nil
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
