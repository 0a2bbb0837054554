package polartest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/rules"
)

// What Polar stores and returns is the WHATWG serialization of the URL it
// parsed.
func TestStoredReturnURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/account":               "https://example.com/account",
		"https://Example.COM":                       "https://example.com/",
		"HTTPS://example.com:443/a":                 "https://example.com/a",
		"http://example.com:80/":                    "http://example.com/",
		"http://example.com:443/":                   "http://example.com:443/",
		"https://example.com:0080/":                 "https://example.com:80/",
		"https://example.com:/":                     "https://example.com/",
		"http:/example.com":                         "http://example.com/",
		"https:example.com":                         "https://example.com/",
		" https://example.com/a\tb ":                "https://example.com/ab",
		"https://bücher.de/ä":                       "https://xn--bcher-kva.de/%C3%A4",
		"https://example.com/a b":                   "https://example.com/a%20b",
		"https://example.com/a\x00b":                "https://example.com/a%00b",
		"https://user:pw@example.com/":              "https://user:pw@example.com/",
		"https://user:@example.com/":                "https://user@example.com/",
		"https://@example.com/":                     "https://example.com/",
		"https://us er:p@ss@example.com":            "https://us%20er:p%40ss@example.com/",
		"https://0x7f.1/":                           "https://127.0.0.1/",
		"https://[0:0::1]:8443/":                    "https://[::1]:8443/",
		"https://example.com/a/./b/../c":            "https://example.com/a/c",
		"https://example.com/a/%2E%2e/b":            "https://example.com/b",
		"https://example.com/a/.":                   "https://example.com/a/",
		"https://example.com/..":                    "https://example.com/",
		"https://example.com\\a\\b":                 "https://example.com/a/b",
		"https://example.com//a":                    "https://example.com//a",
		"https://example.com?q":                     "https://example.com/?q",
		"https://example.com/?a='b' c":              "https://example.com/?a=%27b%27%20c",
		"https://example.com/p|^`{}?q=|^`{}#f|^`{}": "https://example.com/p|^%60%7B%7D?q=|^`{}#f|^%60{}",
		"https://example.com/100%":                  "https://example.com/100%",
		"https://example.com/?":                     "https://example.com/?",
		"https://example.com/#":                     "https://example.com/#",
		"ftp://example.com/":                        "ftp://example.com/", // refused: as it is
		"https://xn--zz.com/":                       "https://xn--zz.com/",
	} {
		assert.Equal(t, want, storedReturnURL(in), "%q", in)
	}
}

// What Polar stores of a URL it accepts, it accepts again and stores
// unchanged, and it is ASCII.
func FuzzStoredReturnURL(f *testing.F) {
	for _, s := range []string{"https://example.com/a b", "https://ä.com/ü?x=|", "https:example.com", " https://a.b\\c?d\\e#f",
		"https://[::1]:80/", "https://0x7f.1/", "https://bücher.de/a/../b?c='d'#e", "https://u:p@[::ffff:1.2.3.4]:443/.%2e/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// What Polar stores of a URL it accepts, it accepts again and
		// stores unchanged, and it is ASCII.
		if rules.CheckReturnURL(s) == nil {
			stored := storedReturnURL(s)
			if len(stored) <= rules.MaxReturnURLBytes && rules.CheckReturnURL(stored) != nil {
				t.Fatalf("%q is stored as %q, which is refused", s, stored)
			}
			if again := storedReturnURL(stored); again != stored && len(stored) <= rules.MaxReturnURLBytes {
				t.Fatalf("%q is stored as %q, then as %q", s, stored, again)
			}
			for i := 0; i < len(stored); i++ {
				if stored[i] >= 0x7f || stored[i] <= ' ' {
					t.Fatalf("%q is stored as %q, with byte %q", s, stored, stored[i])
				}
			}
		}
	})
}
