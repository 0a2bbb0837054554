package redislimit

import (
	"errors"
	"strings"
)

// ErrInvalidConfig is matched (errors.Is) by every error New returns for a
// Config it refuses; errors.As finds the *ConfigError that says which field
// and why.
var ErrInvalidConfig = errors.New("redislimit: invalid config")

// ConfigError is a Config that New refuses. Its message names the field and
// the problem, never the field's value: a Key refused for looking like a
// token must not be printed, and nothing is taken from the Redis client's
// options.
type ConfigError struct {
	// Field is the Config field at fault, e.g. "Key".
	Field string
	// Problem says what is wrong with it, e.g. "is empty".
	Problem string
}

// Error is "redislimit: Config.<Field> <Problem>".
func (e *ConfigError) Error() string {
	if e == nil {
		return "redislimit: <nil ConfigError>"
	}
	return "redislimit: Config." + e.Field + " " + e.Problem
}

// Is reports whether target is ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// ErrRedis is matched (errors.Is) by every *RedisError: Wait could not
// reach the shared budget, so, failing closed, the call is not sent.
var ErrRedis = errors.New("redislimit: redis failed")

// RedisError is a Redis command that failed: the server could not be
// reached, timed out, or answered an error. Wait returns one when it fails
// closed (Config.FailOpen false, the default); the client then ends the
// call unsent, with a *client.TransportError of Class "rate_limiter" that
// wraps it, so errors.Is(err, ErrRedis) holds for the call's error too.
//
// Err is go-redis's error, for errors.Is and errors.As (net.Error,
// redis.Error). Error() quotes its message with the Redis client's
// password, should one ever appear in it, replaced by "[redacted]".
type RedisError struct {
	// Op is what was being done: "wait" (taking a slot, reading the
	// cooldown) or "cooldown" (recording a 429's Retry-After).
	Op string
	// Err is the underlying error.
	Err error

	secrets []string // removed from Err's message by Error
}

// Error is "redislimit: <Op>: redis: <cause>".
func (e *RedisError) Error() string {
	if e == nil {
		return "redislimit: <nil RedisError>"
	}
	msg := "<nil>"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	for _, s := range e.secrets {
		msg = strings.ReplaceAll(msg, s, "[redacted]")
	}
	return "redislimit: " + e.Op + ": redis: " + msg
}

// Unwrap returns the underlying error.
func (e *RedisError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is ErrRedis.
func (e *RedisError) Is(target error) bool { return target == ErrRedis }
