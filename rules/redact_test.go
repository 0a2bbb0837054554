package rules_test

import (
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
