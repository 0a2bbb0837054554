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
// whatwg.go), a scheme other than http and https, or a bad host or port.
// The checks run in pydantic's order, so the Violation is the one Polar
// would answer.
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
	t := whatwgTrim(s)
	scheme, rest, ok := splitScheme(t)
	var reason string
	switch {
	case t == "":
		reason = "input is empty"
	case !ok:
		reason = "relative URL without a base"
	case scheme != "http" && scheme != "https":
		return &Violation{
			Type:   "url_scheme",
			Msg:    "URL scheme should be 'http' or 'https'",
			Ctx:    map[string]any{"expected_schemes": "'http' or 'https'"},
			Reason: "must be an absolute http(s) URL",
		}
	default:
		reason = httpHostProblem(rest)
	}
	if reason != "" {
		return &Violation{
			Type:   "url_parsing",
			Msg:    "Input should be a valid URL, " + reason,
			Ctx:    map[string]any{"error": reason},
			Reason: "must be an absolute http(s) URL (" + reason + ")",
		}
	}
	return nil
}

// EncodeReturnURL returns s as Polar would store it, within what changes
// no meaning: the WHATWG preprocessing (surrounding spaces and controls
// trimmed, tabs and newlines dropped), an http(s) URL's slashes after the
// scheme made "//" and backslashes before its query made "/", as the
// standard reads them, and the bytes that may not appear in a URI (RFC
// 3986) percent-encoded: spaces, raw non-ASCII, controls, any of
// "<>\"\\^`{|}", and a "%" that does not start an escape. The spec gives
// return_url the format uri, so what is sent is one. A valid URI is
// returned unchanged.
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
	n := 0
	for i := 0; i < len(s); i++ {
		if !uriByte(s, i) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; uriByte(s, i) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
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
