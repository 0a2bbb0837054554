package main

import (
	"bytes"
	"log/slog"
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestRoundUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Duration
		want string
	}{
		{29999984917 * time.Nanosecond, "30s"},
		{30 * time.Second, "30s"},
		{10*time.Second + time.Nanosecond, "11s"},
		{9*time.Second + 950*time.Millisecond + 1, "10s"},
		{8040 * time.Millisecond, "8.1s"},
		{time.Second, "1s"},
		{612345678 * time.Nanosecond, "613ms"},
		{999999999 * time.Nanosecond, "1s"},
		{1500 * time.Microsecond, "2ms"},
		{time.Nanosecond, "1ms"},
		{0, "0s"},
		{-1500 * time.Millisecond, "-1.5s"},
		{math.MaxInt64, time.Duration(math.MaxInt64).String()},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, roundUp(tt.in).String(), "%d", int64(tt.in))
	}
}

// Log lines show their durations rounded, whatever the attribute, and
// leave the rest alone.
func TestRoundDurationsInLogs(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	log := slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: roundDurations}))
	log.Info("polar: not sent: rate-limit cooldown", slog.Duration("wait", 29999984917*time.Nanosecond),
		slog.Group("g", slog.Duration("took", 1234567*time.Nanosecond)), slog.Int("attempt", 1234567))
	assert.Contains(t, b.String(), `wait=30s g.took=2ms attempt=1234567`)
}

// A retry's wait, drawn at random to the nanosecond, is logged rounded
// with -v.
func TestVerboseLogsRoundedWaits(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.srv.Script(polartest.RouteCreate, polartest.Status(503))

	r := f.run(t, "-v", "create", "--external-customer-id", externalID)

	require.Equal(t, exitOK, r.code, r.stderr)
	m := regexp.MustCompile(`(?m)msg="polar: retrying" .*cause="status 503" wait=(\S+)$`).FindStringSubmatch(r.stderr)
	require.NotNil(t, m, r.stderr)
	assert.Regexp(t, `^(\d+ms|\d\.\ds|\d+s)$`, m[1])
	assert.Regexp(t, `(?m) duration=(\d+ms|\d\.\ds|\d+s) status=503$`, r.stderr)
}
