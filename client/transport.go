package client

import (
	"errors"
	"net"
	"net/http"
	"time"
)

// Transport tuning for the client's own HTTP client. Go's default transport
// keeps 2 idle connections per host: a service calling Polar from many
// goroutines then opens and closes a connection for most requests, halving
// throughput and piling up TIME_WAIT sockets. Polar is one host, so the
// per-host limits are what matter.
//
// maxConnsPerHost caps the connections to the host, idle and busy. Without a
// cap, a burst of callers dials more connections than there are callers
// (a request waiting on a dial takes a connection freed meanwhile, and the
// dialled one idles). Polar allows 500 requests a minute, so 64 requests in
// flight at once is far beyond any useful rate; further callers queue for a
// connection, still bounded by their context.
const (
	maxConnsPerHost       = 64
	maxIdleConnsPerHost   = maxConnsPerHost
	idleConnTimeout       = 90 * time.Second
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 30 * time.Second
	maxRedirects          = 10
)

// NewHTTPClient returns a new *http.Client like the one New gives a Client
// without WithHTTPClient: a transport tuned for many concurrent calls to one
// host (64 connections, all of which may idle; HTTP/2 when offered), bounded
// dial, TLS and response-header times, and a redirect policy that drops
// Authorization when a redirect leaves the first request's origin. Wrap its
// Transport (for tracing, say) and pass it to WithHTTPClient to keep all of
// that; WithMiddleware is simpler when a per-attempt hook is enough.
func NewHTTPClient() *http.Client {
	// No TLS session cache (tls.Config.ClientSessionCache), measured
	// (BenchmarkColdStart, BENCHMARKS.md): resuming a session cuts a call on
	// a new connection from about 2.0 to 1.0 ms on loopback, but 0.9 ms of
	// that is the server's certificate signature and 0.1 ms the client's CPU.
	// A TLS 1.3 resumption saves no round trip (Go sends no early data), and
	// the pool keeps connections for 90s idle, so against Polar a cache would
	// save the edge a signature on rare reconnects and the caller next to
	// nothing.
	t := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   dialTimeout,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxConnsPerHost:       maxConnsPerHost,
		MaxIdleConns:          maxIdleConnsPerHost,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}
}

// errTooManyRedirects ends a redirect loop.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

// checkRedirect drops the Authorization header whenever a redirect leaves the
// origin (scheme and host) of the first request. net/http already drops it
// for other domains but keeps it for subdomains and for https→http on the
// same host; a bearer token must do neither.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		req.Header.Del("Authorization")
	}
	return nil
}
