package polartest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimiter is a fixed window: a window opens with the first request after
// the previous one closed, and lets limit requests through.
type rateLimiter struct {
	limit  int
	window time.Duration
	clock  func() time.Time

	mu    sync.Mutex
	start time.Time
	count int
}

// allow counts a request in the current window; when the window is full it
// says how long remains until it closes.
func (l *rateLimiter) allow() (bool, time.Duration) {
	now := l.clock()
	l.mu.Lock()
	defer l.mu.Unlock()
	end := l.start.Add(l.window)
	if l.start.IsZero() || !now.Before(end) {
		l.start, l.count = now, 0
		end = now.Add(l.window)
	}
	if l.count < l.limit {
		l.count++
		return true, 0
	}
	return false, end.Sub(now)
}

// rateLimit answers 429 past the budget of WithRateLimit: an empty body and
// retry-after in whole seconds, at least 1, as Polar sends them.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := s.limiter.allow()
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		s.mu.Lock()
		s.stats.RateLimited++
		s.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(max(1, ceilSeconds(wait))))
		w.WriteHeader(http.StatusTooManyRequests)
	})
}
