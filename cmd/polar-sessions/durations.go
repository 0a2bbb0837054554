package main

import (
	"log/slog"
	"math"
	"time"
)

// roundUp rounds d up for people: to whole seconds from 10s, to tenths of a
// second from 1s, to milliseconds below. Up, so that a wait is never shown
// shorter than it is: a Retry-After with 29.999984917s left reads 30s, a
// backoff of 612.345678ms reads 613ms, 8.04s reads 8.1s. Every duration the
// tool shows that it did not take from the user goes through it.
func roundUp(d time.Duration) time.Duration {
	unit := time.Millisecond
	switch {
	case d >= 10*time.Second:
		unit = time.Second
	case d >= time.Second:
		unit = 100 * time.Millisecond
	}
	if r := d % unit; r > 0 && d <= math.MaxInt64-unit {
		d += unit - r
	}
	return d
}

// roundDurations is a slog ReplaceAttr that shows duration attributes (the
// client's wait and duration) rounded by roundUp.
func roundDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.DurationValue(roundUp(a.Value.Duration()))
	}
	return a
}
