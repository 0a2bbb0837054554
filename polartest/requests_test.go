package polartest_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestRequestsRecordsEverything(t *testing.T) {
	srv, clock := start(t, polartest.WithRateLimit(3, time.Minute))
	cust := srv.AddCustomer(polartest.Customer{})
	c := newHTTPClient(t)
	body := `{"customer_id":"` + cust.ID + `"}`

	srv.Script(polartest.RouteCreate, polartest.Status(503))
	create(t, c, srv, body) // faulted, not counted by the rate limit
	clock.Advance(time.Second)
	create(t, c, srv, body)                                         // created
	call(t, c, srv, http.MethodGet, introspectPath+"?x=1", "", nil) // refused
	call(t, c, srv, http.MethodGet, "/nowhere", "", nil)            // not found
	call(t, c, srv, http.MethodGet, "/nowhere", "", nil)            // rate-limited
	call(t, c, srv, http.MethodGet, "/nowhere", "", nil)            // rate-limited

	reqs := srv.Requests()
	require.Len(t, reqs, 6)
	first := reqs[0]
	assert.Equal(t, t0, first.Time)
	assert.Equal(t, http.MethodPost, first.Method)
	assert.Equal(t, "/polar/v1/customer-sessions/", first.Path)
	assert.Equal(t, "Bearer "+srv.AccessToken(), first.Header.Get("Authorization"))
	assert.Equal(t, "application/json", first.Header.Get("Content-Type"))
	assert.Equal(t, body, string(first.Body))
	assert.Equal(t, http.StatusServiceUnavailable, first.Status)
	assert.Equal(t, polartest.FaultServiceUnavailable, first.Fault)

	assert.Equal(t, t0.Add(time.Second), reqs[1].Time)
	assert.Equal(t, http.StatusCreated, reqs[1].Status)
	assert.Equal(t, polartest.FaultNone, reqs[1].Fault)
	assert.Equal(t, "x=1", reqs[2].RawQuery)
	assert.Empty(t, reqs[2].Body)
	var statuses []int
	for _, r := range reqs {
		statuses = append(statuses, r.Status)
	}
	assert.Equal(t, []int{503, 201, 401, 404, 429, 429}, statuses)

	// The records are copies.
	first.Header.Set("Authorization", "changed")
	first.Body[0] = 'X'
	again := srv.Requests()[0]
	assert.Equal(t, "Bearer "+srv.AccessToken(), again.Header.Get("Authorization"))
	assert.Equal(t, body, string(again.Body))
}

// Everything at once, for the race detector.
func TestConcurrentUse(t *testing.T) {
	srv, clock := start(t, polartest.WithRandomFaults(polartest.RandomFaults{Seed: 3, Rate: 0.1, SlowDelay: time.Millisecond}))
	c := newHTTPClient(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			cust := srv.AddCustomer(polartest.Customer{ExternalID: fmt.Sprint("usr_", i)})
			token := srv.CreateSession(cust.ID, "")
			for j := range 10 {
				srv.AddAccessToken(fmt.Sprintf("polar_oat_w%dr%d", i, j))
				srv.Script(polartest.RouteAny, polartest.Pass())
				for _, r := range []struct{ method, path, body, token string }{
					{http.MethodPost, createPath, `{"external_customer_id":"usr_` + fmt.Sprint(i) + `"}`, srv.AccessToken()},
					{http.MethodGet, introspectPath, "", token},
				} {
					resp, err := send(c, srv, r.method, r.path, r.body, bearer(r.token))
					if err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}
				_ = srv.Requests()
				_ = srv.Stats()
				_ = srv.Pending(polartest.RouteAny)
				clock.Advance(time.Millisecond)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 160, srv.Stats().Requests)
	assert.Len(t, srv.Requests(), 160)
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()

	srv := polartest.NewServer(polartest.WithRateLimit(100, time.Minute))
	cust := srv.AddCustomer(polartest.Customer{})
	body := `{"customer_id":"` + cust.ID + `"}`
	tr := &http.Transport{}
	c := &http.Client{Transport: tr}
	srv.Script(polartest.RouteCreate, polartest.Pass(), polartest.Reset(), polartest.Truncated(), polartest.Malformed(), polartest.Status(503))
	for range 6 {
		resp, err := send(c, srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}

	// One request still held by a delay when the server closes.
	srv.Script(polartest.RouteCreate, polartest.Delay(time.Minute))
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL()+createPath, nil)
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 7 }, 2*time.Second, 5*time.Millisecond)

	srv.Close()
	<-done
	tr.CloseIdleConnections()
	waitForGoroutines(t, before)
}

// Close cuts short a request whose body is still coming, on Polar's routes
// and the control API's: it does not wait for a client that announced more
// than it sends, and still no handler outlives it.
func TestCloseCutsStalledUploads(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := polartest.NewServer(polartest.WithControlAPI())
	addr := strings.TrimPrefix(srv.URL(), "http://")
	var conns []net.Conn
	for _, path := range []string{createPath, "/_polartest/customers"} {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", path, addr)
		require.NoError(t, err)
		conns = append(conns, conn)
	}
	require.Eventually(t, func() bool { return srv.Stats().Connections == 2 }, 2*time.Second, 5*time.Millisecond)
	time.Sleep(100 * time.Millisecond) // for both handlers to be reading the body

	closed := make(chan struct{})
	start := time.Now()
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(time.Second):
		t.Fatal("Close waited for a stalled upload")
	}
	assert.Less(t, time.Since(start), time.Second)
	for _, conn := range conns {
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(time.Second)))
		_, err := io.ReadAll(conn)
		assert.NoError(t, err, "the server closed the connection")
		conn.Close()
	}
	waitForGoroutines(t, before)
}

func TestCloseTwice(t *testing.T) {
	srv := polartest.NewServer()
	srv.Close()
	assert.NotPanics(t, srv.Close)
}

func TestStatsCountsConnections(t *testing.T) {
	srv, _ := start(t)
	c := newHTTPClient(t)
	cust := srv.AddCustomer(polartest.Customer{})
	body := `{"customer_id":"` + cust.ID + `"}`
	for range 5 {
		require.Equal(t, http.StatusCreated, create(t, c, srv, body).status)
	}
	assert.Equal(t, 1, srv.Stats().Connections, "keep-alive: one connection for sequential requests")

	srv.Script(polartest.RouteCreate, polartest.Reset())
	_, err := send(c, srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
	require.Error(t, err)
	require.Equal(t, http.StatusCreated, create(t, c, srv, body).status)
	assert.Equal(t, 2, srv.Stats().Connections, "a reset connection is replaced")
}

// countingReader is an endless body that counts the bytes taken from it.
type countingReader struct{ n atomic.Int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	r.n.Add(int64(len(p)))
	return len(p), nil
}

// A body without Content-Length on a method Polar takes it for (a chunked
// GET) is recorded up to Polar's 10 MiB limit and read no further.
func TestRequestsReadNoBodyBeyondTheLimit(t *testing.T) {
	srv, _ := start(t)
	body := &countingReader{}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL()+introspectPath, io.LimitReader(body, 64<<20))
	require.NoError(t, err)
	req.ContentLength = -1 // chunked
	if resp, err := newHTTPClient(t).Do(req); err == nil {
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		resp.Body.Close()
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Len(t, reqs[0].Body, 10<<20, "cut at 10 MiB")
	assert.Less(t, body.n.Load(), int64(10<<20)+(24<<20), "the client sent no more than the server read and the buffers on the way hold, not the 64 MiB")
}

func TestWithRequestsKept(t *testing.T) {
	srv, _ := start(t, polartest.WithRequestsKept(2))
	c := newHTTPClient(t)
	for _, path := range []string{"/one", "/two", "/three"} {
		call(t, c, srv, http.MethodGet, path, "", nil)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 2, "the last two")
	assert.Equal(t, "/polar/two", reqs[0].Path)
	assert.Equal(t, "/polar/three", reqs[1].Path)
	assert.Equal(t, 3, srv.Stats().Requests, "all are counted")
	assert.Panics(t, func() { polartest.WithRequestsKept(-1) })
}
