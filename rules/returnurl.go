package rules

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// MaxReturnURLBytes is the spec's maxLength for return_url. Polar validates
// return_url with pydantic's HttpUrl, whose max_length is checked against
// the UTF-8 bytes of the string as sent, before parsing (pydantic-core,
// src/validators/url.rs, check_length: url_str.len()), not its characters.
const MaxReturnURLBytes = 2083

// CheckReturnURL reports what Polar refuses in a return_url as received:
// more than MaxReturnURLBytes bytes, something that does not parse as an
// absolute URL, a scheme other than http and https, or no host. The checks
// run in pydantic's order, so the Violation is the one Polar would answer.
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
	u, err := url.Parse(s)
	var reason string
	switch {
	case s == "":
		reason = "input is empty"
	case err != nil && strings.Contains(err.Error(), "port"), err == nil && !validPort(u.Port()):
		reason = "invalid port number"
	case err != nil:
		reason = "invalid domain character"
	case u.Scheme == "":
		reason = "relative URL without a base"
	case u.Scheme != "http" && u.Scheme != "https":
		return &Violation{
			Type:   "url_scheme",
			Msg:    "URL scheme should be 'http' or 'https'",
			Ctx:    map[string]any{"expected_schemes": "'http' or 'https'"},
			Reason: "must be an absolute http(s) URL",
		}
	case u.Hostname() == "":
		reason = "empty host"
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

// EncodeReturnURL percent-encodes the bytes of s that may not appear in a
// URI (RFC 3986): spaces, raw non-ASCII, controls, and any of "<>\"\\^`{|}",
// and a "%" that does not start an escape. The spec gives return_url the
// format uri; Polar's parser would encode the same bytes itself, so the URL
// means what it meant, and what Polar stores and returns is what was sent.
// A valid URI is returned unchanged.
func EncodeReturnURL(s string) string {
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

// validPort reports whether a URL's port ("" for none) fits in 16 bits, as
// the WHATWG parser behind pydantic requires; net/url checks only digits.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.ParseUint(p, 10, 16)
	return err == nil && n <= 65535
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
