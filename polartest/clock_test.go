package polartest_test

import (
	"math"
	"net/http"
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

func TestAdvanceClock(t *testing.T) {
	srv, clock := start(t)
	cust := srv.AddCustomer(polartest.Customer{})
	sess := srv.CreateSession(cust.ID, "")
	c := newHTTPClient(t)
	assert.Equal(t, t0.Add(59*time.Minute), srv.AdvanceClock(59*time.Minute))
	assert.Equal(t, t0, clock.Now(), "the clock of WithClock is not moved")
	assert.Equal(t, http.StatusOK, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(sess)).status)
	srv.AdvanceClock(time.Minute)
	assert.Equal(t, http.StatusUnauthorized, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(sess)).status)
	assert.Panics(t, func() { srv.AdvanceClock(-time.Second) })
	assert.Panics(t, func() { srv.AdvanceClock(math.MaxInt64) }, "overflow")

	// With time.Now too.
	real := polartest.NewServer()
	defer real.Close()
	assert.WithinDuration(t, time.Now().Add(24*time.Hour), real.AdvanceClock(24*time.Hour), time.Minute)
}
