package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/rules"
)

func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "usr_1337", " ", "é\u2028\x01\x7f", "\\u0000", "%00"} {
		assert.Nil(t, rules.CheckText(ok), "%q", ok)
	}
	for _, bad := range []string{"\x00", "usr\x00", "\x00usr", "a\x00b\x00"} {
		v := rules.CheckText(bad)
		require.NotNil(t, v, "%q", bad)
		assert.Equal(t, "value_error", v.Type)
		assert.Equal(t, "Value error, This value contains invalid characters", v.Msg)
		assert.Equal(t, map[string]any{"error": map[string]any{}}, v.Ctx)
		assert.Equal(t, "holds a NUL character (U+0000), which Polar refuses in any text", v.Reason)
		assert.Equal(t, v.Reason, v.Error())
	}
}
