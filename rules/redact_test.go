package rules_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/rules"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"no secret here":                   "no secret here",
		"bad token polar_oat_AbC123xyz":    "bad token polar_oat_[redacted]",
		"Polar_Oat_testaccesstoken0123":    "Polar_Oat_[redacted]",
		"POLAR_MST_ABC":                    "POLAR_MST_[redacted]",
		"?t=polar%5Foat%5FAbC123 end":      "?t=polar%5Foat%5F[redacted] end",
		`"bad polar\u005foat\u005fAbC123"`: `"bad polar\u005foat\u005f[redacted]"`,
		"see https://polar.sh/acme/portal?customer_session_token=polar_cst_x&email=j%40e.com now": "see [redacted URL] now",
		"HTTPS://POLAR.SH/P?CUSTOMER_SESSION_TOKEN=X":                                             "[redacted URL]",
		"polar_sessions_go and polarsessions-go/0.2.0":                                            "polar_sessions_go and polarsessions-go/0.2.0",
		"a polar bear's session":                                                                  "a polar bear's session",
	} {
		assert.Equal(t, want, rules.Redact(in), in)
	}
}

func TestRedactToken(t *testing.T) {
	const tok = "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"
	for in, want := range map[string]string{
		"echo TESTaccessTOKEN0123456789abcdefghijklmnopq!": "echo [redacted]!",
		"echo testaccesstoken0123456789ABCDEFGHIJKLMNOPQ":  "echo [redacted]",
		"x" + tok + "y" + tok:                              "xpolar_oat_[redacted]ypolar_oat_[redacted]",
		"nothing here":                                     "nothing here",
	} {
		assert.Equal(t, want, rules.RedactToken(in, tok), in)
	}
	assert.Equal(t, "short abc", rules.RedactToken("short abc", "polar_oat_abc"), "a short secret is not looked for")
	assert.Equal(t, "[redacted]", rules.RedactToken("unprefixedSecretValue123", "unprefixedSecretValue123"))
}

func BenchmarkRedactClean(b *testing.B) {
	s := "https://example.com/account?next=/billing&utm_source=newsletter&utm_medium=email"
	for b.Loop() {
		_ = rules.Redact(s)
	}
}

func TestMayHoldSecret(t *testing.T) {
	const tok = "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"
	assert.False(t, rules.MayHoldSecret("a clean string", tok))
	assert.False(t, rules.MayHoldSecret([]byte(`{"name":"Jane"}`), tok))
	assert.True(t, rules.MayHoldSecret([]byte(`{"name":"POLAR"}`), ""))
	assert.True(t, rules.MayHoldSecret("x SeSsIoN y", ""))
	assert.True(t, rules.MayHoldSecret("echo testaccesstoken0123456789ABCDEFGHIJKLMNOPQ", tok))
	assert.False(t, rules.MayHoldSecret("echo testaccesstoken0123456789ABCDEFGHIJKLMNOPQ", ""))
	type raw []byte
	assert.True(t, rules.MayHoldSecret(raw("..Polar.."), ""), "named byte types too")
	assert.False(t, rules.MayHoldSecret(raw("..Pola"), ""))
}

// Fuzz: the fast search agrees with a plain case-folded search.
func FuzzMayHoldSecret(f *testing.F) {
	for _, s := range []string{"polar", "PoLaR_oat_x", "sessio", "xxpolarxx", "pppppolar", "PPPOLAR", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lower := strings.ToLower(s)
		want := strings.Contains(lower, "polar") || strings.Contains(lower, "session")
		// ToLower can change non-ASCII; compare on ASCII inputs only.
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return
			}
		}
		if got := rules.MayHoldSecret(s, ""); got != want {
			t.Fatalf("MayHoldSecret(%q) = %v, want %v", s, got, want)
		}
		if got := rules.MayHoldSecret([]byte(s), ""); got != want {
			t.Fatalf("MayHoldSecret([]byte(%q)) = %v, want %v", s, got, want)
		}
	})
}

func BenchmarkMayHoldSecretCustomer(b *testing.B) {
	raw := []byte(`{"id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","created_at":"2026-11-21T10:00:00Z","modified_at":null,"metadata":{"plan":"pro"},"external_id":"usr_1337","email":"jane@example.com","email_verified":true,"type":"individual","name":"Jane Doe","billing_name":null,"billing_address":null,"tax_id":null,"locale":"en","organization_id":"1dbfc517-0bbf-4301-9ba8-555ca42b9737","default_payment_method_id":null,"deleted_at":null,"first_user_event_at":null,"avatar_url":"https://www.gravatar.com/avatar/x?d=404"}`)
	for b.Loop() {
		_ = rules.MayHoldSecret(raw, "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq")
	}
}

// A body that echoes the token many times is redacted in one pass: the
// allocations do not grow with the number of echoes (a search restarted
// from the start, rebuilding the string at each match, made a megabyte of
// echoes cost seconds).
func TestRedactTokenIsOnePass(t *testing.T) {
	const tok = "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"
	body := strings.Repeat(tok[len("polar_oat_"):]+" ", 20_000)
	var out string
	allocs := testing.AllocsPerRun(3, func() { out = rules.RedactToken(body, tok) })
	assert.LessOrEqual(t, allocs, 2.0)
	assert.Equal(t, strings.Repeat("[redacted] ", 20_000), out)
}
