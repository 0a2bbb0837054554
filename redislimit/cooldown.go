package redislimit

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

// startCooldown makes the cooldown key live at least ARGV[1] milliseconds
// from now, by Redis's clock: a shorter Retry-After never cuts a longer
// cooldown short. The key's TTL is the cooldown (Wait reads it with PTTL),
// so it expires by itself when the cooldown ends; its value, the
// milliseconds that set it, is for people reading Redis. It returns the
// milliseconds left.
var startCooldown = redis.NewScript(`
local want = tonumber(ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left < want then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', want)
  return want
end
return left
`)

// observe is the middleware of Options: it records the cooldown of a 429
// that carries a Retry-After. The response goes back as it came.
func (l *Limiter) observe(req *http.Request, next client.MiddlewareNext) (*http.Response, error) {
	resp, err := next(req)
	if err != nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	if d, ok := rules.ParseRetryAfter(resp.Header.Get("Retry-After"), l.now()); ok && d > 0 {
		l.record(req.Context(), min(d, maxCooldown))
	}
	return resp, err
}

// record starts (or extends) the fleet's cooldown for d. It runs even when
// the call's context has just ended: the 429 is news for every instance.
func (l *Limiter) record(parent context.Context, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), recordTimeout)
	defer cancel()
	ms := (d + time.Millisecond - 1) / time.Millisecond // rounded up
	_, err := roundTrip(l, ctx, func() (any, error) {
		return startCooldown.Run(ctx, l.rdb, []string{l.cooldownKey}, int64(ms)).Result()
	})
	if err != nil {
		rErr := &RedisError{Op: "cooldown", Err: err, secrets: l.secrets}
		l.log(parent, slog.LevelWarn, "redislimit: 429: could not record the cooldown for the fleet",
			slog.Duration("retry_after", d), slog.String("error", rErr.Error()))
		return
	}
	l.log(parent, slog.LevelInfo, "redislimit: 429: the fleet cools down", slog.Duration("retry_after", d))
}
