package rules_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/rules"
)

const tok = "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"

func TestRedactShapes(t *testing.T) {
	for in, want := range map[string]string{
		"no secret here":                   "no secret here",
		"bad token polar_oat_AbC123xyz":    "bad token polar_oat_[redacted]",
		"Polar_Oat_testaccesstoken0123":    "Polar_Oat_[redacted]",
		"POLAR_MST_ABC":                    "POLAR_MST_[redacted]",
		"?t=polar%5Foat%5FAbC123 end":      "?t=polar_oat_[redacted] end",
		`"bad polar\u005foat\u005fAbC123"`: `"bad polar_oat_[redacted]"`,
		`"polar_oat_\u005aeta"`:            `"polar_oat_[redacted]"`,
		"see https://polar.sh/acme/portal?customer_session_token=polar_cst_x&email=j%40e.com now": "see [redacted URL] now",
		"HTTPS://POLAR.SH/P?CUSTOMER_SESSION_TOKEN=X":                                             "[redacted URL]",
		`"https:\/\/polar.sh\/acme\/portal?customer_session_token=polar_cst_x&email=j%40e.com"`:   `"[redacted URL]"`,
		"https://polar.sh/p?customer%5Fsession%5Ftoken=x":                                         "[redacted URL]",
		"polar_sessions_go and polarsessions-go/0.2.0":                                            "polar_sessions_go and polarsessions-go/0.2.0",
		"a polar bear's session":    "a polar bear's session",
		"polar_oat_ alone":          "polar_oat_ alone",
		`{"s":"100%","q":"\u0022"}`: `{"s":"100%","q":"\u0022"}`,
	} {
		assert.Equal(t, want, rules.Redact(in, ""), in)
	}
}

// The call's own token goes wherever 16 or more of its characters stand in
// a row: without its prefix, re-cased, escaped, or cut short.
func TestRedactOwnToken(t *testing.T) {
	secret := tok[len("polar_oat_"):]
	for in, want := range map[string]string{
		"echo " + secret + "!":                              "echo [redacted]!",
		"echo testaccesstoken0123456789ABCDEFGHIJKLMNOPQ":   "echo [redacted]",
		"x" + tok + " " + tok:                               "xpolar_oat_[redacted] polar_oat_[redacted]",
		"cut: " + secret[:40]:                               "cut: [redacted]",
		"tail: " + secret[20:]:                              "tail: [redacted]",
		"sixteen " + secret[3:19] + ".":                     "sixteen [redacted].",
		"fifteen " + secret[3:18] + ".":                     "fifteen " + secret[3:18] + ".",
		`"\u0054ESTaccessTOKEN0123456789abcdefghijklmnopq"`: `"[redacted]"`,
		"nothing here":                                      "nothing here",
	} {
		assert.Equal(t, want, rules.Redact(in, tok), in)
	}
	assert.Equal(t, "short abc", rules.Redact("short abc", "abc"), "a short secret is not looked for")
	assert.Equal(t, "[redacted]", rules.Redact("unprefixedSecretValue123", "unprefixedSecretValue123"))
}

// A body that echoes the token many times is redacted in a bounded number
// of allocations, whatever the number of echoes.
func TestRedactIsLinear(t *testing.T) {
	body := strings.Repeat(tok[len("polar_oat_"):]+" ", 20_000)
	var out string
	allocs := testing.AllocsPerRun(3, func() { out = rules.Redact(body, tok) })
	assert.LessOrEqual(t, allocs, 8.0)
	assert.Equal(t, strings.Repeat("[redacted] ", 20_000), out)
}

// Whatever surrounds it, no run of 16 of the token's characters and no
// Polar-shaped token survives.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"polar", tok, "x" + tok[5:40], `\u0054EST`, "%54EST", "PoLaR_oat_x", ""} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, at int) {
		if at < 0 || at > len(s) {
			at = len(s) / 2
		}
		in := s[:at] + tok[10:] + s[at:]
		out := strings.ToLower(rules.Redact(in, tok))
		lower := strings.ToLower(tok)
		for i := 0; i+16 <= len(lower); i++ {
			if strings.Contains(out, lower[i:i+16]) {
				t.Fatalf("Redact(%q) kept %q", in, lower[i:i+16])
			}
		}
	})
}

func BenchmarkRedactCustomer(b *testing.B) {
	raw := `{"id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","created_at":"2026-11-21T10:00:00Z","modified_at":null,"metadata":{"plan":"pro"},"external_id":"usr_1337","email":"jane@example.com","email_verified":true,"type":"individual","name":"Jane Doe","billing_name":null,"billing_address":null,"tax_id":null,"locale":"en","organization_id":"1dbfc517-0bbf-4301-9ba8-555ca42b9737","default_payment_method_id":null,"deleted_at":null,"first_user_event_at":null,"avatar_url":"https://www.gravatar.com/avatar/x?d=404"}`
	for b.Loop() {
		_ = rules.Redact(raw, tok)
	}
}

// Text without a secret comes back as it was, escapes included; a short
// token of another service's is removed where it appears whole.
func TestRedactLeavesTextWithoutSecretsAlone(t *testing.T) {
	for _, s := range []string{"100%41 off, %2D", `{"detail":"path C:\\u0061bc"}`, "https://example.com/?x=%41%2D", "café %zz"} {
		assert.Equal(t, s, rules.Redact(s, ""), "%q", s)
		assert.Equal(t, s, rules.Redact(s, "polar_oat_0123456789abcdefghij"), "%q", s)
	}
	assert.Equal(t, "x=polar_oat_[redacted] y=A", rules.Redact("x=polar%5Foat%5FAAAAAAAAAAAAAAAAAAAAAAAAAAAA y=%41", ""),
		"a secret found behind escapes is removed, and the text comes back read unescaped")

	assert.Equal(t, "Bearer [redacted], again [redacted]", rules.Redact("Bearer sk_test_12345, again SK_TEST_12345", "sk_test_12345"))
	assert.Equal(t, "sk_test_1234", rules.Redact("sk_test_1234", "sk_test_12345"), "only the whole short token")
	assert.Equal(t, "a b c", rules.Redact("a b c", "a"), "a token shorter than 8 is no credential")
}
