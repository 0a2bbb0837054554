package polartest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

// faultServer has a customer and a session, and returns a create body.
func faultServer(t *testing.T, opts ...polartest.ServerOption) (*polartest.Server, string, string) {
	t.Helper()
	srv, _ := start(t, opts...)
	cust := srv.AddCustomer(polartest.Customer{})
	return srv, `{"customer_id":"` + cust.ID + `"}`, srv.CreateSession(cust.ID, "")
}

func TestStatusFaults(t *testing.T) {
	srv, body, _ := faultServer(t)
	c := newHTTPClient(t)
	srv.Script(polartest.RouteCreate,
		polartest.Status(503),
		polartest.RateLimited(1500*time.Millisecond),
		polartest.RateLimited(0),
		polartest.Status(418).WithHeader("X-Trace", "abc").WithBody([]byte("teapot")),
	)

	resp := create(t, c, srv, body)
	assert.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
	assert.JSONEq(t, `{"detail":"Service Unavailable"}`, string(resp.body))
	assert.Empty(t, resp.header.Get("Polar-Version"), "a proxy answered, not Polar")

	resp = create(t, c, srv, body)
	assert.Equal(t, http.StatusTooManyRequests, resp.status)
	assert.Equal(t, "2", resp.header.Get("Retry-After"))
	assert.Empty(t, resp.body)

	resp = create(t, c, srv, body)
	assert.Equal(t, http.StatusTooManyRequests, resp.status)
	assert.Equal(t, "0", resp.header.Get("Retry-After"))

	resp = create(t, c, srv, body)
	assert.Equal(t, http.StatusTeapot, resp.status)
	assert.Equal(t, "abc", resp.header.Get("X-Trace"))
	assert.Equal(t, "teapot", string(resp.body))

	assert.Equal(t, http.StatusCreated, create(t, c, srv, body).status, "the script is used up")
	assert.Equal(t, map[polartest.FaultKind]int{
		polartest.FaultServiceUnavailable: 1,
		polartest.FaultTooManyRequests:    2,
		polartest.FaultStatus:             1,
	}, srv.Stats().Faults)
}

func TestFaultValuesAreIndependent(t *testing.T) {
	base := polartest.Status(500)
	withHeader := base.WithHeader("X-A", "1")
	assert.Equal(t, polartest.FaultInternalServerError, withHeader.Kind())

	srv, body, _ := faultServer(t)
	srv.Script(polartest.RouteCreate, base)
	resp := create(t, newHTTPClient(t), srv, body)
	assert.Equal(t, http.StatusInternalServerError, resp.status)
	assert.Empty(t, resp.header.Get("X-A"), "WithHeader must not change the fault it was called on")
}

func TestResetFault(t *testing.T) {
	srv, body, _ := faultServer(t)
	srv.Script(polartest.RouteCreate, polartest.Reset())

	_, err := send(newHTTPClient(t), srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET) || strings.Contains(err.Error(), "connection reset"), "got %v", err)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, polartest.FaultReset, reqs[0].Fault)
	assert.Equal(t, 0, reqs[0].Status)
	assert.Equal(t, body, string(reqs[0].Body), "the body is read before the reset")
}

// Pins the caveat documented on Reset: Go's transport retries a GET reset on
// a reused connection, so the client never sees that reset.
func TestResetOnReusedConnectionIsRetriedByTransport(t *testing.T) {
	srv, _, token := faultServer(t)
	c := newHTTPClient(t)
	require.Equal(t, http.StatusOK, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(token)).status)

	srv.Script(polartest.RouteIntrospect, polartest.Reset())
	assert.Equal(t, http.StatusOK, call(t, c, srv, http.MethodGet, introspectPath, "", bearer(token)).status)
	assert.Len(t, srv.Requests(), 3)
}

func TestTruncatedFault(t *testing.T) {
	srv, body, token := faultServer(t)
	c := newHTTPClient(t)
	srv.Script(polartest.RouteCreate, polartest.Truncated())
	srv.Script(polartest.RouteIntrospect, polartest.Truncated())

	for _, tt := range []struct {
		method, path, body string
		header             map[string]string
		status             int
	}{
		{http.MethodPost, createPath, body, bearer(srv.AccessToken()), http.StatusCreated},
		{http.MethodGet, introspectPath, "", bearer(token), http.StatusOK},
	} {
		resp, err := send(c, srv, tt.method, tt.path, tt.body, tt.header)
		require.NoError(t, err, "the status line and headers arrive")
		assert.Equal(t, tt.status, resp.StatusCode)
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.StatusCreated, reqs[0].Status)
	assert.Equal(t, polartest.FaultTruncated, reqs[1].Fault)
}

func TestMalformedFault(t *testing.T) {
	srv, body, _ := faultServer(t)
	srv.Script(polartest.RouteCreate, polartest.Malformed())

	resp := create(t, newHTTPClient(t), srv, body)
	assert.Equal(t, http.StatusCreated, resp.status)
	assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
	assert.False(t, json.Valid(resp.body), "body: %s", resp.body)

	srv.Script(polartest.RouteCreate, polartest.Malformed())
	_, err := genClient(t, srv, srv.AccessToken()).CustomerSessionsCreateWithBodyWithResponse(
		context.Background(), "application/json", strings.NewReader(body))
	var syntax *json.SyntaxError
	assert.ErrorAs(t, err, &syntax)
}

func TestDelayFault(t *testing.T) {
	srv, body, _ := faultServer(t)
	c := newHTTPClient(t)
	srv.Script(polartest.RouteCreate, polartest.Delay(60*time.Millisecond), polartest.Status(502).WithDelay(30*time.Millisecond))

	began := time.Now()
	assert.Equal(t, http.StatusCreated, create(t, c, srv, body).status)
	assert.GreaterOrEqual(t, time.Since(began), 60*time.Millisecond)

	began = time.Now()
	assert.Equal(t, http.StatusBadGateway, create(t, c, srv, body).status)
	assert.GreaterOrEqual(t, time.Since(began), 30*time.Millisecond)

	reqs := srv.Requests()
	assert.Equal(t, polartest.FaultSlow, reqs[0].Fault)
	assert.Equal(t, polartest.FaultBadGateway, reqs[1].Fault)
}

// waitForRequests polls until the server has received n requests.
func waitForRequests(t *testing.T, srv *polartest.Server, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return len(srv.Requests()) >= n }, 2*time.Second, 5*time.Millisecond)
}

func TestDelayEndsWhenServerCloses(t *testing.T) {
	srv, body, _ := faultServer(t)
	srv.Script(polartest.RouteCreate, polartest.Delay(time.Minute))

	errc := make(chan error, 1)
	go func() {
		resp, err := send(newHTTPClient(t), srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitForRequests(t, srv, 1)

	began := time.Now()
	srv.Close()
	assert.Less(t, time.Since(began), time.Second, "Close must not wait for the delay")
	assert.Error(t, <-errc, "the delayed request is dropped unanswered")
	assert.Equal(t, 0, srv.Requests()[0].Status)
}

func TestDelayEndsWhenClientGivesUp(t *testing.T) {
	srv, body, _ := faultServer(t)
	srv.Script(polartest.RouteCreate, polartest.Delay(time.Minute))

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+createPath, strings.NewReader(body))
	require.NoError(t, err)
	_, err = newHTTPClient(t).Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	// The handler notices and returns: the record gets its (absent) status
	// without waiting a minute, and Close is prompt.
	assert.Eventually(t, func() bool {
		reqs := srv.Requests()
		return len(reqs) == 1 && reqs[0].Fault == polartest.FaultSlow
	}, time.Second, 5*time.Millisecond)
}

func TestScriptOrderRoutesAndPending(t *testing.T) {
	srv, body, token := faultServer(t)
	c := newHTTPClient(t)
	srv.Script(polartest.RouteCreate, polartest.Status(500), polartest.Pass())
	srv.Script(polartest.RouteCreate, polartest.Status(502)) // queued after the others
	srv.Script(polartest.RouteAny, polartest.Status(503))
	assert.Equal(t, 3, srv.Pending(polartest.RouteCreate))
	assert.Equal(t, 1, srv.Pending(polartest.RouteAny))

	introspect := func() int { return call(t, c, srv, http.MethodGet, introspectPath, "", bearer(token)).status }
	assert.Equal(t, http.StatusInternalServerError, create(t, c, srv, body).status)
	assert.Equal(t, http.StatusServiceUnavailable, introspect(), "RouteAny serves routes without a script")
	assert.Equal(t, http.StatusOK, introspect())
	assert.Equal(t, http.StatusCreated, create(t, c, srv, body).status, "Pass")
	assert.Equal(t, http.StatusBadGateway, create(t, c, srv, body).status)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, body).status)
	assert.Equal(t, 0, srv.Pending(polartest.RouteCreate))
	assert.Equal(t, 0, srv.Pending(polartest.RouteAny))

	// A request for a route's path with another method is not that route's.
	srv.Script(polartest.RouteCreate, polartest.Status(500))
	assert.Equal(t, http.StatusMethodNotAllowed, call(t, c, srv, http.MethodGet, createPath, "", nil).status)
	assert.Equal(t, 1, srv.Pending(polartest.RouteCreate))
}

func TestFaultKindString(t *testing.T) {
	assert.Equal(t, "503", polartest.FaultServiceUnavailable.String())
	assert.Equal(t, "reset", polartest.FaultReset.String())
	assert.Equal(t, "none", polartest.FaultNone.String())
	assert.Equal(t, "FaultKind(99)", polartest.FaultKind(99).String())
	assert.Panics(t, func() { polartest.Status(42) })
}

// Scripted faults and normal requests can be mixed by many goroutines.
func TestConcurrentFaults(t *testing.T) {
	srv, body, _ := faultServer(t)
	c := newHTTPClient(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				srv.Script(polartest.RouteCreate, polartest.Status(503))
				resp, err := send(c, srv, http.MethodPost, createPath, body, bearer(srv.AccessToken()))
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 80, srv.Stats().Faults[polartest.FaultServiceUnavailable])
}
