package polartest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestClock(t *testing.T) {
	clk := polartest.NewClock(t0)
	assert.Equal(t, t0, clk.Now())
	clk.Advance(90 * time.Minute)
	assert.Equal(t, t0.Add(90*time.Minute), clk.Now())
}
