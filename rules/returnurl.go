package rules

import (
	"fmt"
	"strings"
)

// MaxReturnURLBytes is the spec's maxLength for return_url. Polar validates
// return_url with pydantic's HttpUrl, whose max_length is checked against
// the UTF-8 bytes of the string as sent, before parsing (pydantic-core,
// src/validators/url.rs, check_length: url_str.len()), not its characters.
const MaxReturnURLBytes = 2083

// CheckReturnURL reports what Polar refuses in a return_url as received:
// more than MaxReturnURLBytes bytes, something that does not parse as an
// absolute URL by the WHATWG URL standard that Polar's parser follows (see
// whatwg.go and host.go: a host IDNA refuses, a bad IPv4 or IPv6 address
// or port), or a scheme other than http and https. The checks run in
// pydantic's order (pydantic-core, src/validators/url.rs: length, parse,
// scheme), so the Violation is the one Polar would answer.
func CheckReturnURL(s string) *Violation {
	if len(s) > MaxReturnURLBytes {
		return &Violation{
			Type: "url_too_long",
			Msg:  fmt.Sprintf("URL should have at most %d characters", MaxReturnURLBytes),
			Ctx:  map[string]any{"max_length": MaxReturnURLBytes},
			Reason: fmt.Sprintf("is %d bytes; Polar accepts at most %d bytes (it counts the bytes sent, not characters)",
				len(s), MaxReturnURLBytes),
		}
	}
	scheme, rest, ok := splitScheme(whatwgTrim(s))
	var reason string
	switch {
	case s == "":
		reason = "input is empty"
	case !ok:
		reason = "relative URL without a base"
	case isSpecial(scheme):
		reason = splitSpecial(scheme, rest).problem()
	}
	if reason != "" {
		return &Violation{
			Type:   "url_parsing",
			Msg:    "Input should be a valid URL, " + reason,
			Ctx:    map[string]any{"error": reason},
			Reason: "must be an absolute http(s) URL (" + reason + ")",
		}
	}
	if scheme != "http" && scheme != "https" {
		return &Violation{
			Type:   "url_scheme",
			Msg:    "URL scheme should be 'http' or 'https'",
			Ctx:    map[string]any{"expected_schemes": "'http' or 'https'"},
			Reason: "must be an absolute http(s) URL",
		}
	}
	return nil
}

// NormalizeReturnURL returns a return_url that CheckReturnURL accepts as
// Polar stores it and returns it in the session: str() of the pydantic
// HttpUrl (polar/customer_session/service.py), the WHATWG serialization.
// The scheme and host are lower case, a host goes through IDNA (so a
// non-ASCII host comes back in Punycode) and an IP address in its canonical
// form, the default port is dropped, "." and ".." path segments are
// resolved, an empty path becomes "/", and each part has the characters
// the standard's percent-encode set for it names encoded (a "%" is kept as
// it is). "https://Example.COM" becomes "https://example.com/". Any other
// s is returned as it is.
func NormalizeReturnURL(s string) string {
	if CheckReturnURL(s) != nil {
		return s
	}
	scheme, rest, _ := splitScheme(whatwgTrim(s))
	return splitSpecial(scheme, rest).String()
}

// EncodeReturnURL returns s as the client sends it: read as Polar reads it,
// in a form that changes no meaning: the WHATWG preprocessing (surrounding
// spaces and controls trimmed, tabs and newlines dropped), an http(s) URL's
// slashes after the scheme made "//" and backslashes before its query
// made "/", as the standard reads them, and the bytes that may not appear
// in a URI (RFC 3986) percent-encoded: spaces, raw non-ASCII, controls, any
// of "<>\"\\^`{|}", and a "%" that does not start an escape. The spec gives
// return_url the format uri, so what is sent is one. A valid URI is
// returned unchanged. What Polar then stores is NormalizeReturnURL's.
func EncodeReturnURL(s string) string {
	s = whatwgTrim(s)
	if scheme, rest, ok := splitScheme(s); ok && (scheme == "http" || scheme == "https") {
		if strings.Contains(rest, `\`) || !strings.HasPrefix(rest, "//") || strings.HasPrefix(rest, "///") {
			rest = strings.TrimLeft(rest, `/\`)
			end := strings.IndexAny(rest, "?#")
			if end < 0 {
				end = len(rest)
			}
			rest = strings.ReplaceAll(rest[:end], `\`, "/") + rest[end:]
			s = s[:len(scheme)] + "://" + rest
		}
	}
	return percentEncodeUnless(s, uriByte)
}

// PrepareReturnURL is a return_url as the client sends it: percent-encoded
// by EncodeReturnURL, then checked by CheckReturnURL as Polar will check it.
func PrepareReturnURL(raw string) (string, *Violation) {
	wire := EncodeReturnURL(raw)
	if v := CheckReturnURL(wire); v != nil {
		if v.Type == "url_too_long" && wire != raw {
			v.Reason = fmt.Sprintf("is %d bytes once percent-encoded; Polar accepts at most %d bytes (it counts the bytes sent, not characters)",
				len(wire), MaxReturnURLBytes)
		}
		return "", v
	}
	return wire, nil
}

// uriByte reports whether s[i] may stand as it is in a URI: an unreserved
// or reserved character, or the "%" of a well-formed escape.
func uriByte(s string, i int) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '%':
		return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
