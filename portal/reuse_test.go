package portal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

func TestReuseRepeatedVisits(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	first := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	require.Equal(t, http.StatusSeeOther, first.status)
	for range 4 {
		a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
		assert.Equal(t, http.StatusSeeOther, a.status)
		assert.Equal(t, first.location(), a.location(), "the kept session is handed out again")
		assertSecureHeaders(t, a)
	}
	// JSON mode hands out the same session, with Polar's expiry.
	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", "application/json")
	assert.JSONEq(t, `{"url": "`+first.location()+`", "expires_at": "2026-11-21T11:00:00Z"}`, a.body)
	assert.Len(t, e.creates(), 1)
}

// A burst of clicks is one create: the visits that arrive while it is in
// flight wait for it.
func TestReuseConcurrentVisitsShareOneCreate(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	// Hold the create long enough for every visit to arrive while it is
	// in flight.
	e.srv.Script(polartest.RouteCreate, polartest.Delay(300*time.Millisecond))

	const clicks = 20
	answers := make([]answer, clicks)
	var wg sync.WaitGroup
	for i := range clicks {
		wg.Go(func() { answers[i] = e.visit(t, http.MethodGet, hdrUser, "usr_1337") })
	}
	wg.Wait()
	for _, a := range answers {
		assert.Equal(t, http.StatusSeeOther, a.status)
		assert.Equal(t, answers[0].location(), a.location())
	}
	assert.Len(t, e.creates(), 1, "20 clicks, one call to Polar")
	shared := 0
	for _, l := range e.logLines(t) {
		if l["shared"] == true {
			shared++
		}
	}
	assert.Equal(t, clicks-1, shared, "all but the first visit waited for its create")
}

func TestReuseNoneAcrossCustomersMembersOrReturnURLs(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_2"})
	team := e.srv.AddCustomer(polartest.Customer{ExternalID: "acme", Type: polartest.CustomerTeam})
	e.srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mbr_1"})
	e.srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mbr_2"})

	visits := [][]string{
		{hdrUser, "usr_1"},
		{hdrUser, "usr_2"},
		{hdrUser, "usr_1", hdrSection, "billing"}, // another return URL
		{hdrUser, "acme", hdrMember, "mbr_1"},
		{hdrUser, "acme", hdrMember, "mbr_2"},
		{hdrUser, "acme", hdrMember, "mbr_2", hdrSection, "team"},
	}
	seen := map[string]bool{}
	for range 2 {
		for _, headers := range visits {
			a := e.visit(t, http.MethodGet, headers...)
			require.Equal(t, http.StatusSeeOther, a.status, a.body)
			seen[a.location()] = true
		}
	}
	assert.Len(t, seen, len(visits), "one session per customer, member and return URL")
	assert.Len(t, e.creates(), len(visits), "the second round reused every session")
}

// Reuse is the life a handed-out session must have left: at 45 minutes, a
// one-hour session is handed out for its first 15 minutes, then replaced.
func TestReuseDropsSessionsTooCloseToExpiry(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	first := e.visit(t, http.MethodGet, hdrUser, "usr_1337").location()
	e.clock.Advance(10 * time.Minute)
	assert.Equal(t, first, e.visit(t, http.MethodGet, hdrUser, "usr_1337").location(), "50 minutes left")
	e.clock.Advance(5 * time.Minute)
	assert.Equal(t, first, e.visit(t, http.MethodGet, hdrUser, "usr_1337").location(), "exactly 45 minutes left")
	assert.Len(t, e.creates(), 1)

	e.clock.Advance(time.Second)
	second := e.visit(t, http.MethodGet, hdrUser, "usr_1337").location()
	assert.NotEqual(t, first, second, "44m59s left: too close to expiry")
	assert.Len(t, e.creates(), 2)
	assert.Equal(t, second, e.visit(t, http.MethodGet, hdrUser, "usr_1337").location(), "the new one is kept")
	assert.Len(t, e.creates(), 2)
}

// When Polar's clock is ahead of the handler's, expires_at alone would make
// a session look longer-lived than it is: the handler counts the session's
// lifetime from when it asked for it.
func TestReuseSurvivesClockSkew(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute},
		withPolarClock(func(c *polartest.Clock) func() time.Time {
			return func() time.Time { return c.Now().Add(20 * time.Minute) }
		}))
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	first := e.visit(t, http.MethodGet, hdrUser, "usr_1337").location()
	e.clock.Advance(15 * time.Minute)
	assert.Equal(t, first, e.visit(t, http.MethodGet, hdrUser, "usr_1337").location())
	e.clock.Advance(time.Second)
	assert.NotEqual(t, first, e.visit(t, http.MethodGet, hdrUser, "usr_1337").location(),
		"by Polar's expires_at 35 minutes would remain, but the session has lived 15m01s of its hour")
	assert.Len(t, e.creates(), 2)
}

// A failed create is not kept: the next visit tries again.
func TestReuseDoesNotKeepFailures(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	e.srv.Script(polartest.RouteCreate, polartest.Status(http.StatusServiceUnavailable))

	assert.Equal(t, http.StatusBadGateway, e.visit(t, http.MethodGet, hdrUser, "usr_1337").status)
	assert.Equal(t, http.StatusNotFound, e.visit(t, http.MethodGet, hdrUser, "usr_nobody").status)
	assert.Equal(t, http.StatusSeeOther, e.visit(t, http.MethodGet, hdrUser, "usr_1337").status)
	assert.Equal(t, http.StatusNotFound, e.visit(t, http.MethodGet, hdrUser, "usr_nobody").status)
	assert.Len(t, e.creates(), 4)
}

// Visits sharing a create that fails all get the failure, each logged once.
func TestReuseSharedFailure(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.Script(polartest.RouteCreate, polartest.Status(http.StatusInternalServerError).WithDelay(300*time.Millisecond))

	const clicks = 5
	var wg sync.WaitGroup
	for range clicks {
		wg.Go(func() {
			assert.Equal(t, http.StatusBadGateway, e.visit(t, http.MethodGet, hdrUser, "usr_1337").status)
		})
	}
	wg.Wait()
	assert.Len(t, e.creates(), 1)
	assert.Len(t, e.failureLines(t), clicks, "one line per failed visit")
}

// A visit that gives up waiting gets its answer at once; the create it
// started goes on, and its session serves the next visit.
func TestReuseWaitHonoursEachVisitsContext(t *testing.T) {
	e := setup(t, portal.Config{Reuse: 45 * time.Minute})
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	e.srv.Script(polartest.RouteCreate, polartest.Delay(500*time.Millisecond))

	// The first visit has 50ms: it starts the create and leaves.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/billing", nil)
	req.Header.Set(hdrUser, "usr_1337")
	start := time.Now()
	e.handler.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusGatewayTimeout, rec.Code)
	assert.Less(t, time.Since(start), 400*time.Millisecond, "it did not wait for the create")

	// A visitor who goes away is answered too, though nobody reads it.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	rec2 := httptest.NewRecorder()
	e.handler.ServeHTTP(rec2, req.WithContext(ctx2))
	assert.Equal(t, http.StatusServiceUnavailable, rec2.Code)
	assert.Empty(t, rec2.Header().Get("Retry-After"))

	// The next visit, with time to wait, gets the session the first one
	// asked for.
	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	assert.Equal(t, http.StatusSeeOther, a.status)
	a2 := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	assert.Equal(t, a.location(), a2.location())
	assert.Len(t, e.creates(), 1, "the create outlived the visit that started it")
}
