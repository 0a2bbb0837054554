package rules_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/rules"
)

// Polar counts bytes: a URL of fewer than 2083 characters but more than
// 2083 bytes is refused, and one of exactly 2083 bytes is not.
func TestCheckReturnURLCountsBytes(t *testing.T) {
	base := "https://example.com/"
	exact := base + strings.Repeat("a", rules.MaxReturnURLBytes-len(base))
	assert.Nil(t, rules.CheckReturnURL(exact))
	assert.NotNil(t, rules.CheckReturnURL(exact+"a"))

	// 2,220 bytes in 1,180 characters: "é" is two bytes.
	multi := base + strings.Repeat("é", 1100)
	require.Less(t, utf8.RuneCountInString(multi), rules.MaxReturnURLBytes)
	v := rules.CheckReturnURL(multi)
	require.NotNil(t, v)
	assert.Equal(t, "url_too_long", v.Type)
	assert.Equal(t, "URL should have at most 2083 characters", v.Msg)
	assert.Equal(t, map[string]any{"max_length": 2083}, v.Ctx)
	assert.Equal(t, "is 2220 bytes; Polar accepts at most 2083 bytes (it counts the bytes sent, not characters)", v.Reason)
}

func TestCheckReturnURL(t *testing.T) {
	for _, tc := range []struct{ in, typ, msg string }{
		{"https://example.com/account", "", ""},
		{"http://localhost:3000/back?x=1#top", "", ""},
		{"", "url_parsing", "Input should be a valid URL, input is empty"},
		{" ", "url_parsing", "Input should be a valid URL, relative URL without a base"}, // not empty until trimmed
		{"/account", "url_parsing", "Input should be a valid URL, relative URL without a base"},
		{"https://", "url_parsing", "Input should be a valid URL, empty host"},
		{"https://:443/account", "url_parsing", "Input should be a valid URL, empty host"},
		// As the WHATWG standard reads http(s) URLs, which Polar's parser follows.
		{"https:///account", "", ""},
		{"https:example.com/account", "", ""},
		{" https://example.com/account\t", "", ""},
		{"https://ex%41mple.com/support", "", ""},
		{"https://user:pw@example.com/", "", ""},
		{"https://[::1]:8443/", "", ""},
		{"https://1.2.3.4/", "", ""},
		{"https://0x7f.1/", "", ""},
		{"https://example.com:65535/", "", ""},
		{"https://example.com:65536/", "url_parsing", "Input should be a valid URL, invalid port number"},
		{"https://example.com:x/", "url_parsing", "Input should be a valid URL, invalid port number"},
		{"https://1.2.3.999/account", "url_parsing", "Input should be a valid URL, invalid IPv4 address"},
		{"https://example.123/account", "url_parsing", "Input should be a valid URL, invalid IPv4 address"},
		{"https://1.2.3.4.5/", "url_parsing", "Input should be a valid URL, invalid IPv4 address"},
		{"https://exa%mple.com/", "url_parsing", "Input should be a valid URL, invalid international domain name"},
		{"https://exa%25mple.com/", "url_parsing", "Input should be a valid URL, invalid international domain name"},
		{"https://exa|mple.com/", "url_parsing", "Input should be a valid URL, invalid international domain name"},
		{"https://[::1/", "url_parsing", "Input should be a valid URL, invalid IPv6 address"},
		{"https://[::1]x/", "url_parsing", "Input should be a valid URL, invalid IPv6 address"},
		{"https://[fe80::1%25eth0]/", "url_parsing", "Input should be a valid URL, invalid IPv6 address"},
		// The host is parsed before the port.
		{"https://exa mple.com:x/", "url_parsing", "Input should be a valid URL, invalid international domain name"},
		{"https://example.com:80:80/", "url_parsing", "Input should be a valid URL, invalid port number"},
		{"https://example.com:/", "", ""},
		{"https://user@/", "url_parsing", "Input should be a valid URL, empty host"},
		// Other special schemes parse as http's do before their scheme is refused.
		{"ftp://exa mple.com/", "url_parsing", "Input should be a valid URL, invalid international domain name"},
		{"wss://example.com:99999/", "url_parsing", "Input should be a valid URL, invalid port number"},
		{"ftp://example.com/", "url_scheme", "URL scheme should be 'http' or 'https'"},
		{"https://[1.2.3.4]/", "url_parsing", "Input should be a valid URL, invalid IPv6 address"},
		{"https://example.com:99999999999/", "url_parsing", "Input should be a valid URL, invalid port number"},
		{"https://exa mple.com/", "url_parsing", "Input should be a valid URL, invalid international domain name"},
		{"myapp://account", "url_scheme", "URL scheme should be 'http' or 'https'"},
		{"mailto:jane@example.com", "url_scheme", "URL scheme should be 'http' or 'https'"},
		{"javascript:alert(1)", "url_scheme", "URL scheme should be 'http' or 'https'"},
	} {
		v := rules.CheckReturnURL(strings.ReplaceAll(tc.in, `\t`, "\t"))
		if tc.typ == "" {
			assert.Nil(t, v, tc.in)
			continue
		}
		require.NotNil(t, v, tc.in)
		assert.Equal(t, tc.typ, v.Type, tc.in)
		assert.Equal(t, tc.msg, v.Msg, tc.in)
		assert.Contains(t, v.Reason, "must be an absolute http(s) URL", tc.in)
	}
}

func TestEncodeReturnURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/account":          "https://example.com/account",
		"https://example.com/a b?q=x y#f g":    "https://example.com/a%20b?q=x%20y#f%20g",
		"https://example.com/café":             "https://example.com/caf%C3%A9",
		"https://example.com/{x}|y^`\"<>?q=\\": "https://example.com/%7Bx%7D%7Cy%5E%60%22%3C%3E?q=%5C",
		"https://example.com\\a\\b?c\\d":       "https://example.com/a/b?c%5Cd",
		"https:example.com/a":                  "https://example.com/a",
		"https:///example.com/a":               "https://example.com/a",
		" https://example.com/a\tb\n ":         "https://example.com/ab",
		"https://example.com/100%":             "https://example.com/100%25",
		"https://example.com/%41%zz":           "https://example.com/%41%25zz",
		"https://example.com/?a=1&b=(2)*[3]!$": "https://example.com/?a=1&b=(2)*[3]!$",
	} {
		got := rules.EncodeReturnURL(in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, got, rules.EncodeReturnURL(got), "idempotent: %s", in)
	}
}

func TestPrepareReturnURL(t *testing.T) {
	wire, v := rules.PrepareReturnURL("https://example.com/a b")
	require.Nil(t, v)
	assert.Equal(t, "https://example.com/a%20b", wire)
	u, err := url.Parse(wire)
	require.NoError(t, err)
	assert.Equal(t, "/a b", u.Path)

	// 2000 bytes raw, 2060 once the 30 spaces are encoded: fine. 2080 raw
	// with 30 spaces is 2140 sent: refused, and the reason says why.
	base := "https://example.com/"
	ok := base + strings.Repeat(" ", 30) + strings.Repeat("a", 2000-len(base)-30)
	_, v = rules.PrepareReturnURL(ok)
	assert.Nil(t, v)
	long := base + strings.Repeat(" ", 30) + strings.Repeat("a", 2080-len(base)-30)
	_, v = rules.PrepareReturnURL(long)
	require.NotNil(t, v)
	assert.Equal(t, "url_too_long", v.Type)
	assert.Equal(t, "is 2140 bytes once percent-encoded; Polar accepts at most 2083 bytes (it counts the bytes sent, not characters)", v.Reason)

	_, v = rules.PrepareReturnURL("ftp://example.com/x")
	require.NotNil(t, v)
	assert.Equal(t, "url_scheme", v.Type)
}

// Whatever it is given, EncodeReturnURL returns a string of URI bytes that
// it leaves unchanged, and does not turn a URL Polar accepts into one it
// refuses.
func FuzzEncodeReturnURL(f *testing.F) {
	for _, s := range []string{"https://example.com/a b", "https://example.com/%", "%%41", "https://ä.com/ü?x=|", "\x00\xff",
		"https:example.com", " https://a.b\\c?d\\e#f", "https://[::1]:80/", "https://0x7f.1/",
		"https://bücher.de/a/../b?c='d'#e", "https://u:p@[::ffff:1.2.3.4]:443/.%2e/x", "https://ｅｘａｍｐｌｅ．ｃｏｍ/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := rules.EncodeReturnURL(s)
		if enc != rules.EncodeReturnURL(enc) {
			t.Fatalf("not idempotent: %q -> %q", s, enc)
		}
		for i := 0; i < len(enc); i++ {
			if c := enc[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("<>\"\\^`{|}", c) >= 0 {
				t.Fatalf("%q encodes to %q with byte %q", s, enc, c)
			}
		}
		// What Polar accepts as given, it accepts as the client sends it
		// (within the length limit, which encoding can push it over).
		if rules.CheckReturnURL(s) == nil && len(enc) <= rules.MaxReturnURLBytes {
			if v := rules.CheckReturnURL(enc); v != nil {
				t.Fatalf("%q is valid, but %q, as encoded, is not: %s", s, enc, v.Msg)
			}
		}

	})
}
