package rules

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// The host of an http(s) URL as Polar's URL validator parses it: the url
// crate 2.5.8 with idna 1.1.0 (pinned by pydantic-core 2.46.4), which
// follow the WHATWG URL standard's host parser (url/src/host.rs,
// Host::parse_cow): an IPv6 address in brackets, or a domain that is
// percent-decoded, put through UTS #46 ToASCII, checked for the code points
// the standard forbids in a domain, and read as an IPv4 address when it
// ends in a number.

// uts46 is UTS #46 processing as idna 1.1.0 applies it to a URL's host
// (idna/src/lib.rs, domain_to_ascii_from_cow, and the flag table at the top
// of idna/src/uts46.rs): non-transitional, CheckBidi and CheckJoiners on,
// CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength off. Later options
// override earlier ones, so the ones MapForLookup turns on and idna 1.1.0
// leaves off come after it. A Profile is not changed by use.
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
)

// errIDNA is the url crate's words for any UTS #46 failure of a domain
// (ParseError::IdnaError).
const errIDNA = "invalid international domain name"

// parseHost parses the non-empty host of a special URL and returns it as
// the standard serializes it (a domain in ASCII, lower case; an IP address
// in canonical form), or the url crate's words for what fails.
func parseHost(host string) (serialized, problem string) {
	if strings.HasPrefix(host, "[") {
		ip, err := netip.ParseAddr(strings.TrimSuffix(host[1:], "]"))
		if !strings.HasSuffix(host, "]") || err != nil || !ip.Is6() || ip.Zone() != "" {
			return "", "invalid IPv6 address"
		}
		return "[" + ipv6String(ip.As16()) + "]", ""
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

// forbiddenInDomain is the url crate's AsciiDenyList::URL, the standard's
// forbidden domain code points: controls, space, DEL and "%#/:<>?@[\]^|".
// With UseSTD3ASCIIRules off, UTS #46 lets them through; the standard
// refuses them in what the mapping gives, so in ToASCII's result.
func forbiddenInDomain(r rune) bool {
	return r <= ' ' || r == 0x7f || strings.ContainsRune(`%#/:<>?@[\]^|`, r)
}

// badACELabel reports a label starting "xn--" that idna 1.1.0 refuses and
// x/net/idna does not: one ending in "-" ("xn--" alone included, which
// x/net decodes to an empty label), or one holding more than ASCII, which
// the url crate's Punycode decoder refuses (idna/src/punycode.rs). The
// labels are those of the domain after UTS #46 mapping, before any xn--
// label is decoded. x/net maps code point by code point and decodes as it
// goes, so each code point is mapped alone, which decodes nothing: no code
// point maps to a label. ASCII maps to its lower case.
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

// parseIPv4 is the standard's IPv4 parser, returning the address dotted:
// up to four numbers (decimal, 0x hex or 0-led octal), each but the last
// below 256, the last filling the remaining bytes.
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

// ipv6String is the standard's IPv6 serializer: hex pieces in lower case,
// the first longest run of two or more zero pieces written "::", and no
// dotted IPv4 part.
func ipv6String(b [16]byte) string {
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	start, n := -1, 1
	for i := 0; i < len(pieces); {
		j := i
		for j < len(pieces) && pieces[j] == 0 {
			j++
		}
		if j-i > n {
			start, n = i, j-i
		}
		i = max(j, i+1)
	}
	var out strings.Builder
	for i, p := range pieces {
		if start >= 0 && i >= start && i < start+n {
			if i == 0 {
				out.WriteByte(':') // the run starts the address: "::"
			}
			if i == start {
				out.WriteByte(':')
			}
			continue
		}
		out.WriteString(strconv.FormatUint(uint64(p), 16))
		if i < len(pieces)-1 {
			out.WriteByte(':')
		}
	}
	return out.String()
}
