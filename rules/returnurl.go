package rules

import (
	"fmt"
	"strings"
)

// MaxReturnURLBytes is return_url's maxLength, which pydantic's HttpUrl
// checks on the bytes sent, not characters (src/validators/url.rs).
const MaxReturnURLBytes = 2083

// CheckReturnURL reports what Polar refuses in a return_url as received:
// too many bytes, no absolute URL by the WHATWG standard Polar's parser
// follows (a host IDNA refuses, a bad address or port), or a scheme other
// than http(s), checked in pydantic's order, so the Violation is Polar's.
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

// SplitReturnURL splits a return_url that CheckReturnURL accepts as
// Polar's parser does, its host as the standard serializes it (lower case,
// IDNA, canonical addresses), so that polartest can store it as Polar does;
// ok is false for any other.
func SplitReturnURL(s string) (u URL, ok bool) {
	if CheckReturnURL(s) != nil {
		return u, false
	}
	scheme, rest, _ := splitScheme(whatwgTrim(s))
	u = splitSpecial(scheme, rest)
	u.Host, _ = parseHost(u.Host)
	return u, true
}

// EncodeReturnURL returns s as the client sends it, read as Polar reads it
// and meaning the same: WHATWG's trimming, an http(s) URL's slashes made
// "//" and backslashes "/", and the bytes a URI (the spec's format uri) may
// not hold percent-encoded. A valid URI comes back unchanged.
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

// uriByte reports whether s[i] may stand as it is in a URI.
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
