// Package redislimit shares one Polar rate budget among a fleet of
// instances, in Redis.
//
// Polar allows each organization 500 requests a minute (100 in the
// sandbox), shared by every process using its tokens, and answers the rest
// 429 with a Retry-After. Within one process, the client's rate limiter
// hook (client.WithRateLimiter) and its 429 cooldown keep a service inside
// that budget; several instances behind a load balancer, or a batch job
// beside the web app, share the budget but not those. A Limiter, one per
// instance, all with the same Config.Key on the same Redis, makes them
// spend it together:
//
//   - Wait takes each request from the shared budget, spaced evenly by a
//     GCRA (github.com/go-redis/redis_rate/v10) with a burst of a tenth of
//     the rate, waiting for the next free slot;
//   - the middleware of Options records a 429's Retry-After in Redis, and
//     Wait on every instance holds back until it has passed.
//
// Each instance gives its client the Limiter's Options:
//
//	lim, err := redislimit.New(redislimit.Config{Redis: rdb, Key: "acme"})
//	if err != nil { … }
//	c, err := client.New(append(lim.Options(), client.WithAccessToken(token))...)
//
// # Redis keys
//
// A Limiter uses two keys per Config.Key, both expiring by themselves and
// holding no token:
//
//	rate:polarsessions:{<Key>}      the GCRA's state (redis_rate adds "rate:"); its TTL is the time until the burst is whole again
//	polarsessions:cooldown:{<Key>}  present while the fleet waits out a 429; its TTL is the rest of the wait
//
// The braces are a Redis Cluster hash tag: both keys live on one node, so
// each try of Wait is one pipeline to one server.
//
// # When Redis fails
//
// By default a Limiter fails closed: Wait returns a *RedisError and the call
// is not sent. Config.FailOpen sends it without the shared budget instead.
package redislimit
