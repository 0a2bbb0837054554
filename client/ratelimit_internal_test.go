package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Passed cooldowns of keys never looked up again do not pile up, and a
// shorter Retry-After does not shorten a cooldown.
func TestCooldownTableIsSwept(t *testing.T) {
	var table cooldowns
	now := time.Now()
	callWith := func(token string) *call {
		return &call{set: settings{serverURL: "https://api.polar.sh/"}, token: token}
	}
	for i := range 10_000 {
		table.start(callWith("polar_cst_"+time.Duration(i).String()), now.Add(-time.Second)) // already passed
	}
	assert.LessOrEqual(t, len(table.until), 64, "passed entries are swept")

	live := callWith("polar_oat_live")
	table.start(live, now.Add(time.Hour))
	assert.Equal(t, now.Add(time.Hour), table.end(live, now))
	table.start(live, now.Add(time.Minute))
	assert.Equal(t, now.Add(time.Hour), table.end(live, now), "a shorter Retry-After does not shorten a cooldown")
	assert.True(t, table.end(callWith("polar_oat_other"), now).IsZero(), "another token is not held back")
	assert.False(t, table.end(live, now.Add(2*time.Hour)).After(now.Add(2*time.Hour)), "a passed cooldown ends")
	assert.NotContains(t, table.until, [32]byte{}, "keys are hashes")
}
