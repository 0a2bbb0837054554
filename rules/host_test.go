package rules_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/rules"
)

// The hosts of the research report's IDNA table (§7.4), each expected as
// the url crate 2.5.8 with idna 1.1.0 parses https://HOST/: valid, with the
// host Polar stores, or refused with the crate's words.
func TestHostsAsPolarParsesThem(t *testing.T) {
	label64 := strings.Repeat("a", 64)
	long := strings.Repeat("abcdefghij.", 27) + "com" // 300 bytes
	for _, tc := range []struct{ host, want, problem string }{
		{host: "example.com", want: "example.com"},
		{host: "EXAMPLE.com", want: "example.com"},
		{host: "bücher.de", want: "xn--bcher-kva.de"},
		{host: "xn--bcher-kva.de", want: "xn--bcher-kva.de"},
		{host: "XN--BCHER-KVA.DE", want: "xn--bcher-kva.de"},
		{host: "faß.de", want: "xn--fa-hia.de"}, // non-transitional
		{host: "☃.net", want: "xn--n3h.net"},
		{host: "xn--ls8h.la", want: "xn--ls8h.la"},
		{host: "ｅｘａｍｐｌｅ．ｃｏｍ", want: "example.com"},
		{host: "example。com", want: "example.com"},
		{host: "foo_bar.example", want: "foo_bar.example"},
		{host: "*.example.com", want: "*.example.com"},
		{host: "-foo.com", want: "-foo.com"}, // no hyphen checks
		{host: "foo-.com", want: "foo-.com"},
		{host: "ab--cd.com", want: "ab--cd.com"},
		{host: "r3---sn-apo3qvuoxuxbt-j5pe.googlevideo.com", want: "r3---sn-apo3qvuoxuxbt-j5pe.googlevideo.com"},
		{host: label64 + ".com", want: label64 + ".com"}, // no DNS length checks
		{host: long, want: long},
		{host: "a..b.com", want: "a..b.com"},
		{host: ".example.com", want: ".example.com"},
		{host: "example.com.", want: "example.com."},
		{host: "ex%41mple.com", want: "example.com"},                       // percent-decoded, then mapped
		{host: "xn--zz.com", problem: "invalid international domain name"}, // Punycode ends mid-delta
		{host: "xn--.com", problem: "invalid international domain name"},   // an xn-- label ends in "-"
		{host: "xn--abc-.com", problem: "invalid international domain name"},
		{host: "xn--a.com", problem: "invalid international domain name"}, // decodes to U+0080
		{host: "exa mple.com", problem: "invalid international domain name"},
		{host: "exa%20mple.com", problem: "invalid international domain name"},
		{host: "exa%25mple.com", problem: "invalid international domain name"},
		{host: "exa%2Fmple.com", problem: "invalid international domain name"},
		{host: "exa％mple.com", problem: "invalid international domain name"},   // "％" maps to "%"
		{host: "exa%FFmple.com", problem: "invalid international domain name"}, // not UTF-8
		{host: "a\u200Db.com", problem: "invalid international domain name"},   // ContextJ
		{host: "a\u200Cb.com", problem: "invalid international domain name"},
		{host: "\u0301a.com", problem: "invalid international domain name"}, // starts with a combining mark
		{host: "a\uFFFDb.com", problem: "invalid international domain name"},
		{host: "\u05D0\u05D1.com", want: "xn--4dbc.com"},                          // a bidi name, both labels fine
		{host: "\u05D0\u05D1.1com", problem: "invalid international domain name"}, // "1com" starts with EN
		{host: "1com.org", want: "1com.org"},
		{host: "\u05D0a.com", problem: "invalid international domain name"}, // RTL label ending in L
		{host: "256.256.256.256", problem: "invalid IPv4 address"},
		{host: "example.123", problem: "invalid IPv4 address"},
		{host: "1.2.3.4.5", problem: "invalid IPv4 address"},
		{host: "0x7f.1", want: "127.0.0.1"},
		{host: "1.2.3", want: "1.2.0.3"},
		// Beyond the table: what x/net/idna lets through and the url crate
		// does not, and the other host forms.
		{host: "xn---.com", problem: "invalid international domain name"},
		{host: "xn--ü-.com", problem: "invalid international domain name"},
		{host: "ｘｎ－－.com", problem: "invalid international domain name"},     // "xn--" only once mapped
		{host: "xn--üa-b.com", problem: "invalid international domain name"}, // Punycode is ASCII
		{host: "%C2%AD", problem: "empty host"},                              // a soft hyphen maps to nothing
		{host: "１.２.３.４", want: "1.2.3.4"},                                   // IPv4 after mapping
		{host: "[::1]", want: "[::1]"},
		{host: "[0:0:0:0:0:0:0:1]", want: "[::1]"},
		{host: "[1:0:0:2:0:0:0:3]", want: "[1:0:0:2::3]"},
		{host: "[1:0:2:0:3:0:4:0]", want: "[1:0:2:0:3:0:4:0]"},
		{host: "[::FFFF:1.2.3.4]", want: "[::ffff:102:304]"},
		{host: "[1.2.3.4]", problem: "invalid IPv6 address"},
	} {
		t.Run(tc.host, func(t *testing.T) {
			u := "https://" + tc.host + "/"
			v := rules.CheckReturnURL(u)
			if tc.problem != "" {
				require.NotNil(t, v)
				assert.Equal(t, "url_parsing", v.Type)
				assert.Equal(t, "Input should be a valid URL, "+tc.problem, v.Msg)
				assert.Equal(t, map[string]any{"error": tc.problem}, v.Ctx)
				assert.Equal(t, "must be an absolute http(s) URL ("+tc.problem+")", v.Reason)
				_, ok := rules.SplitReturnURL(u)
				assert.False(t, ok)
				return
			}
			require.Nil(t, v)
			split, ok := rules.SplitReturnURL(u)
			require.True(t, ok)
			assert.Equal(t, tc.want, split.Host, "the host as the standard serializes it")
		})
	}
}
