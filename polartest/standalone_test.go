package polartest_test

import (
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/internal/syncbuf"
	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestWithListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := polartest.NewServer(polartest.WithListener(l))
	assert.Equal(t, "http://"+l.Addr().String(), srv.URL())
	resp := call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	srv.Close()
	_, err = net.Dial("tcp", l.Addr().String())
	assert.Error(t, err, "Close closes the listener")
	assert.Panics(t, func() { polartest.WithListener(nil) })
}

// A listener on every address gives a URL a client can use: 127.0.0.1.
func TestWithListenerOnEveryAddress(t *testing.T) {
	for _, tc := range []struct{ network, addr string }{{"tcp4", "0.0.0.0:0"}, {"tcp", "[::]:0"}} {
		l, err := net.Listen(tc.network, tc.addr)
		if err != nil {
			t.Logf("%s %s: %v", tc.network, tc.addr, err) // no IPv6 here
			continue
		}
		srv := polartest.NewServer(polartest.WithListener(l), polartest.WithBasePath("/polar"))
		assert.Regexp(t, `^http://127\.0\.0\.1:\d+/polar$`, srv.URL(), tc.addr)
		assert.Equal(t, http.StatusUnauthorized, call(t, newHTTPClient(t), srv, http.MethodGet, introspectPath, "", nil).status, tc.addr)
		srv.Close()
	}
}

func TestWithLoggerLogsOneLinePerRequestAndNoToken(t *testing.T) {
	var log syncbuf.Buffer
	srv, _ := start(t, polartest.WithControlAPI(), polartest.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	c := newHTTPClient(t)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	sess := srv.CreateSession(cust.ID, "")
	create(t, c, srv, `{"external_customer_id":"usr_1"}`)
	call(t, c, srv, http.MethodGet, introspectPath+"?t="+sess, "", bearer(sess))
	call(t, c, srv, http.MethodGet, "/"+sess, "", nil)
	control(t, c, srv, http.MethodGet, "requests", "")
	srv.Script(polartest.RouteCreate, polartest.Reset())
	_, err := send(c, srv, http.MethodPost, createPath, `{}`, bearer(srv.AccessToken()))
	assert.Error(t, err)
	// The reset's handler may still be returning: its connection, hijacked,
	// is no longer one that Close waits for.
	assert.Eventually(t, func() bool { return strings.Count(log.String(), "\n") == 5 }, 2*time.Second, 5*time.Millisecond)

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	require.Len(t, lines, 5, log.String())
	line := regexp.MustCompile(`^time=\S+ level=INFO msg=request method=(\S+) path=(\S+) status=(\d+) duration=\S+$`)
	for i, want := range [][]string{
		{"POST", "/polar" + createPath, "201"},
		{"GET", "/polar" + introspectPath, "200"},
		{"GET", "/polar/polar_mst_[redacted]", "404"},
		{"GET", "/_polartest/requests", "200"},
		{"POST", "/polar" + createPath, "0"},
	} {
		m := line.FindStringSubmatch(lines[i])
		if assert.NotNil(t, m, lines[i]) {
			assert.Equal(t, want, m[1:], lines[i])
		}
	}
	assert.NotContains(t, log.String(), sess)
	assert.NotContains(t, log.String(), srv.AccessToken())
}
