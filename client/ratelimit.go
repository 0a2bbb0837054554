package client

import "context"

// RateLimiter paces requests: Wait blocks until a request may be sent, or
// returns an error (ctx's, or the limiter's own) to say it may not.
// *rate.Limiter from golang.org/x/time/rate satisfies it; so can a limiter
// backed by a store shared by a fleet of instances (see the README).
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// WithRateLimiter calls l.Wait before every attempt, retries included. An
// error from Wait ends the call before that attempt is sent: the call
// returns a *TransportError with Class "rate_limiter" whose Err is Wait's
// error (errors.Is finds what it matches), wrapped with the last failure
// when an earlier attempt had failed. nil, per
// call, lifts the client's limiter for that call; a nil pointer wrapped in
// the interface is refused.
//
// Polar allows each organization 500 requests a minute (100 in the
// sandbox), shared by every client using its tokens:
// rate.NewLimiter(rate.Every(time.Minute/500), 10) keeps one process within
// it.
func WithRateLimiter(l RateLimiter) Option {
	return func(s *settings) error {
		if l != nil && isNil(l) {
			return invalid("WithRateLimiter", "is a nil pointer")
		}
		s.limiter = l
		return nil
	}
}
