package rules_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
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
			got, ok := rules.ParseRetryAfter(tt.in, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "0", "-1", "1.5", "", "Sat, 21 Nov 2026 12:00:30 GMT",
		"Saturday, 21-Nov-26 12:01:00 GMT", "Sat Nov 21 12:00:05 2026", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := rules.ParseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
		if !ok && d != 0 {
			t.Fatalf("not ok but %v for %q", d, v)
		}
		digits := strings.TrimSpace(v)
		if n, err := strconv.Atoi(digits); err == nil && strings.Trim(digits, "0123456789") == "" && n < 1<<30 {
			if !ok || d != time.Duration(n)*time.Second {
				t.Fatalf("%q: got %v, %v", v, d, ok)
			}
		}
	})
}
