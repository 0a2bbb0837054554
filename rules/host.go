package rules

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// A URL's host as Polar's validator parses it: the url crate 2.5.8 with
// idna 1.1.0 (pydantic-core 2.46.4), the WHATWG host parser (url/src/host.rs,
// Host::parse_cow): an IPv6 address in brackets, or a domain percent-decoded,
// put through UTS #46, checked for forbidden code points, and read as IPv4
// when it ends in a number.

// uts46 is UTS #46 as idna 1.1.0 applies it to a host (idna/src/uts46.rs):
// non-transitional, CheckBidi and CheckJoiners on, CheckHyphens,
// UseSTD3ASCIIRules and VerifyDnsLength off; later options override
// MapForLookup's. A Profile is not changed by use.
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
)

// errIDNA is the url crate's words for any UTS #46 failure (IdnaError).
const errIDNA = "invalid international domain name"

// parseHost parses a special URL's non-empty host and returns it as the
// standard serializes it, or the url crate's words for what fails.
func parseHost(host string) (serialized, problem string) {
	if strings.HasPrefix(host, "[") {
		ip, err := netip.ParseAddr(strings.TrimSuffix(host[1:], "]"))
		if !strings.HasSuffix(host, "]") || err != nil || !ip.Is6() || ip.Zone() != "" {
			return "", "invalid IPv6 address"
		}
		if b := ip.As16(); ip.Is4In6() { // the standard writes no dotted part
			return fmt.Sprintf("[::ffff:%x:%x]", uint16(b[12])<<8|uint16(b[13]), uint16(b[14])<<8|uint16(b[15])), ""
		}
		return "[" + ip.String() + "]", ""
	}
	domain := percentDecode(host)
	if !utf8.ValidString(domain) {
		return "", errIDNA
	}
	ascii, err := uts46.ToASCII(domain)
	if err != nil || badACELabel(domain) || strings.ContainsFunc(ascii, forbiddenInDomain) {
		return "", errIDNA
	}
	if ascii == "" {
		return "", "empty host"
	}
	if endsInANumber(ascii) {
		ip, ok := parseIPv4(ascii)
		if !ok {
			return "", "invalid IPv4 address"
		}
		return ip, ""
	}
	return ascii, ""
}

// forbiddenInDomain is the url crate's AsciiDenyList::URL, checked on what
// UTS #46 gives (with UseSTD3ASCIIRules off it lets them through).
func forbiddenInDomain(r rune) bool {
	return r <= ' ' || r == 0x7f || strings.ContainsRune(`%#/:<>?@[\]^|`, r)
}

// badACELabel reports an "xn--" label idna 1.1.0 refuses and x/net/idna
// does not: one ending in "-" ("xn--" alone included), or holding more than
// ASCII (idna/src/punycode.rs), in the domain as UTS #46 maps it, each code
// point alone (so that no label is decoded).
func badACELabel(domain string) bool {
	mapped := strings.ToLower(domain)
	if !isASCIIString(domain) {
		var b strings.Builder
		for _, r := range domain {
			m, _ := uts46.ToUnicode(string(r)) // an error shows in ToASCII's
			b.WriteString(m)
		}
		mapped = b.String()
	}
	for label := range strings.SplitSeq(mapped, ".") {
		if rest, ok := strings.CutPrefix(label, "xn--"); ok && (strings.HasSuffix(label, "-") || !isASCIIString(rest)) {
			return true
		}
	}
	return false
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
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

// endsInANumber: the last label (a trailing dot aside) is a number.
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

// parseIPv4 is the standard's IPv4 parser (up to four decimal, 0x or 0-led
// octal numbers, the last filling the rest), returning the address dotted.
func parseIPv4(host string) (string, bool) {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", false
	}
	var addr uint64
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok || i < len(parts)-1 && n > 255 || i == len(parts)-1 && n >= 1<<(8*(5-len(parts))) {
			return "", false
		}
		if i < len(parts)-1 {
			addr |= n << (8 * (3 - i))
		} else {
			addr |= n
		}
	}
	return netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)}).String(), true
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
