package client

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"7", 7 * time.Second, true},
		{"0", 0, true},
		{" 120 ", 120 * time.Second, true},
		{"1", time.Second, true},
		// The three HTTP date formats http.ParseTime accepts.
		{"Sat, 21 Nov 2026 12:00:30 GMT", 30 * time.Second, true}, // IMF-fixdate
		{"Saturday, 21-Nov-26 12:01:00 GMT", time.Minute, true},   // RFC 850
		{"Sat Nov 21 12:00:05 2026", 5 * time.Second, true},       // asctime
		{"Sat, 21 Nov 2026 11:59:00 GMT", 0, true},                // past: now
		{"Thu, 01 Jan 1970 00:00:00 GMT", 0, true},                // long past: now
		{"99999999999999999999999", math.MaxInt64, true},          // overflow: far
		{"9223372036854775807", math.MaxInt64, true},              // seconds beyond Duration
		{"-1", 0, false}, // negative
		{"-30", 0, false},
		{"1.5", 0, false}, // delta-seconds are whole
		{"7s", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"   ", 0, false},
		{"Sat, 32 Nov 2026 12:00:00 GMT", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
