package redislimit

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// trip is the Redis client as one try of Wait hands it to redis_rate: the
// first script redis_rate sends (EVALSHA, or EVAL) goes out in one pipeline
// with a PTTL of the cooldown key, so a try costs one round trip, not two.
// redis_rate's own script stays as it is; only its transport changes. A
// trip serves one try and is not shared.
type trip struct {
	redis.UniversalClient
	cooldownKey string

	read bool          // the PTTL has been sent
	left time.Duration // its answer: the cooldown's rest, or -2ns (none) / -1ns (no expiry)
	err  error         // its error
}

// EvalSha sends the script by its hash, the first time with the PTTL.
func (t *trip) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	if t.read {
		return t.UniversalClient.EvalSha(ctx, sha1, keys, args...)
	}
	return t.with(ctx, func(p redis.Pipeliner) *redis.Cmd { return p.EvalSha(ctx, sha1, keys, args...) })
}

// Eval sends the script itself (after NOSCRIPT: Redis did not know the
// hash), the first time with the PTTL.
func (t *trip) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	if t.read {
		return t.UniversalClient.Eval(ctx, script, keys, args...)
	}
	return t.with(ctx, func(p redis.Pipeliner) *redis.Cmd { return p.Eval(ctx, script, keys, args...) })
}

// with sends the PTTL and the script in one pipeline. A failed pipeline
// sets its error on both commands.
func (t *trip) with(ctx context.Context, script func(redis.Pipeliner) *redis.Cmd) *redis.Cmd {
	var ttl *redis.DurationCmd
	var cmd *redis.Cmd
	_, _ = t.UniversalClient.Pipelined(ctx, func(p redis.Pipeliner) error {
		ttl = p.PTTL(ctx, t.cooldownKey)
		cmd = script(p)
		return nil
	})
	t.read = true
	t.left, t.err = ttl.Result()
	return cmd
}
