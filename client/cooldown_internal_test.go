package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Passed cooldowns of keys never looked up again do not pile up.
func TestCooldownTableIsSwept(t *testing.T) {
	var c cooldowns
	now := time.Now()
	for i := range 10_000 {
		k := newCooldownKey("https://api.polar.sh/", "polar_cst_"+time.Duration(i).String())
		c.start(k, now.Add(-time.Second)) // already passed
	}
	assert.Less(t, c.size(), minSweep, "passed entries are swept")

	live := newCooldownKey("https://api.polar.sh/", "polar_oat_live")
	c.start(live, now.Add(time.Hour))
	assert.Equal(t, now.Add(time.Hour), c.end(live, now))
	c.start(live, now.Add(time.Minute))
	assert.Equal(t, now.Add(time.Hour), c.end(live, now), "a shorter Retry-After does not shorten a cooldown")
	assert.True(t, c.end(live, now.Add(2*time.Hour)).IsZero(), "a passed cooldown ends")
}
