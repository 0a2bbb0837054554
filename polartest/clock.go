package polartest

import (
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"
)

// Clock is a manual clock for WithClock: it stands still until Advance
// moves it, so a test can expire sessions or open a new rate-limit window
// without sleeping. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock showing start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time; pass the method value to WithClock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// AdvanceClock moves the server's clock forward by d, ahead of the clock
// WithClock gave it (time.Now by default), and returns the server's time
// after the move: sessions expire and rate-limit windows close as if d had
// passed. It works with any clock, so a server that reads time.Now can be
// moved too; the control API's POST /_polartest/clock calls it. It panics
// on a negative d: Polar's time does not run backwards.
func (s *Server) AdvanceClock(d time.Duration) time.Time {
	now, err := s.advanceClock(d)
	if err != nil {
		panic("polartest: AdvanceClock: " + err.Error())
	}
	return now
}

// advanceClock is AdvanceClock, refusing a negative d and one that would
// move the clock further than its offset holds.
func (s *Server) advanceClock(d time.Duration) (time.Time, error) {
	// In seconds, which a caller of the control API gives, and which read
	// better than a time.Duration's hours for both.
	secs := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
	if d < 0 {
		return time.Time{}, fmt.Errorf("%s seconds is negative; the clock only moves forward", secs)
	}
	for {
		old := s.clockOffset.Load()
		if old > math.MaxInt64-int64(d) {
			return time.Time{}, fmt.Errorf("%s seconds more would move the clock beyond %d seconds (%d years) ahead, as far as it goes",
				secs, math.MaxInt64/int64(time.Second), math.MaxInt64/int64(365*24*time.Hour))
		}
		if s.clockOffset.CompareAndSwap(old, old+int64(d)) {
			return s.now(), nil
		}
	}
}
