package portal

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/rules"
)

// fakeReuser is a reuser whose creates return hour-long sessions by a clock
// the test moves, and are counted by key.
type fakeReuser struct {
	*reuser
	now     time.Time
	creates map[string]int
}

func newFakeReuser(max int) *fakeReuser {
	f := &fakeReuser{now: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), creates: map[string]int{}}
	create := func(_ context.Context, k key) (link, error) {
		f.creates[k.ExternalCustomerID]++ // only called from one fly at a time in these tests
		now := f.now
		return link{url: rules.NewSecret(fmt.Sprintf("https://polar.sh/o/portal?k=%s&n=%d", k.ExternalCustomerID, f.creates[k.ExternalCustomerID])),
			createdAt: now, expiresAt: now.Add(time.Hour)}, nil
	}
	f.reuser = newReuser(create, func() time.Time { return f.now }, 45*time.Minute, max, time.Minute)
	return f
}

func (f *fakeReuser) visit(t *testing.T, customer string) {
	t.Helper()
	_, _, err := f.get(context.Background(), key{ExternalCustomerID: customer})
	require.NoError(t, err)
}

// The number of kept sessions stays within the bound: the oldest goes,
// however recently it was handed out (the oldest is the nearest to expiry).
func TestKeptSessionsAreBounded(t *testing.T) {
	f := newFakeReuser(3)
	for _, c := range []string{"a", "b", "c", "d"} { // d drops a
		f.visit(t, c)
	}
	assert.Equal(t, 3, f.len())
	f.visit(t, "b") // kept
	f.visit(t, "a") // created again; drops b, now the oldest
	assert.Equal(t, map[string]int{"a": 2, "b": 1, "c": 1, "d": 1}, f.creates)
	f.visit(t, "b") // created again; drops c
	f.visit(t, "d") // kept
	f.visit(t, "a") // kept
	assert.Equal(t, map[string]int{"a": 2, "b": 2, "c": 1, "d": 1}, f.creates)
	assert.Equal(t, 3, f.len())
}

// Sessions too close to expiry go first, before any live one.
func TestStaleSessionsGoFirst(t *testing.T) {
	f := newFakeReuser(3)
	f.visit(t, "a")
	f.visit(t, "b")
	f.now = f.now.Add(16 * time.Minute) // a and b now have 44 minutes left: too few
	f.visit(t, "c")
	assert.Equal(t, 1, f.len(), "a and b were dropped when c was kept")
	f.visit(t, "d")
	f.visit(t, "e")
	assert.Equal(t, 3, f.len())
	f.visit(t, "c")
	assert.Equal(t, 1, f.creates["c"], "c was not evicted for stale entries")
}

// A session that already has too little life left when it arrives is handed
// to its visit, but not kept.
func TestShortLivedSessionIsNotKept(t *testing.T) {
	f := newFakeReuser(3)
	f.reuser.create = func(context.Context, key) (link, error) {
		return link{url: rules.NewSecret("u"), expiresAt: f.now.Add(30 * time.Minute)}, nil
	}
	l, _, err := f.get(context.Background(), key{ExternalCustomerID: "a"})
	require.NoError(t, err)
	assert.Equal(t, "u", l.url.Reveal())
	assert.Zero(t, f.len())
}

// A create that panics fails its visits instead of the process.
func TestPanickingCreateIsAFailure(t *testing.T) {
	f := newFakeReuser(3)
	f.reuser.create = func(context.Context, key) (link, error) { panic("boom") }
	_, _, err := f.get(context.Background(), key{ExternalCustomerID: "a"})
	assert.EqualError(t, err, "portal: creating a session panicked: boom")
	assert.Zero(t, f.len())
}

func TestRetryAfterSeconds(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 90 * time.Second: 90} {
		assert.Equal(t, want, retryAfterSeconds(d), d)
	}
}
