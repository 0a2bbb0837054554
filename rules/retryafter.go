package rules

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRetryAfter reads the Retry-After of Polar's 429 (its rate limiter
// sends seconds; an HTTP date is read too, a past one as 0), shared by the
// client's retries and cooldown and by redislimit's fleet cooldown. ok is
// false for an empty, negative or unparseable value; an absurdly long one
// is the longest Duration.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	secs, err := strconv.ParseUint(v, 10, 64)
	switch {
	case err == nil && secs <= math.MaxInt64/uint64(time.Second):
		return time.Duration(secs) * time.Second, true
	case err == nil || errors.Is(err, strconv.ErrRange):
		return math.MaxInt64, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
