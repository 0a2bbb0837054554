package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// HTTPDoer sends HTTP requests. *http.Client implements it; wrap one to add
// middleware that sees every attempt.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// WithHTTPClient sends requests through doer instead of the client's own
// tuned *http.Client. The doer is used as given, never modified; its
// timeouts and redirect policy apply to each attempt. A nil doer, or a nil
// pointer such as a (*http.Client)(nil), is refused: the first call would
// panic.
func WithHTTPClient(doer HTTPDoer) Option {
	return func(s *settings) error {
		if isNil(doer) {
			return invalid("WithHTTPClient", "is nil")
		}
		s.httpClient = doer
		return nil
	}
}

// Transport tuning for the client's own HTTP client. Polar is one host, so
// the per-host limits are what matter: Go's default keeps 2 idle
// connections per host, so a service calling from many goroutines opens and
// closes a connection for most requests. 64 connections (all of which may
// idle) are far beyond Polar's 500 requests a minute; further callers queue
// for a connection, bounded by their context. Without a cap, a burst dials
// more connections than there are callers.
const (
	maxConnsPerHost       = 64
	idleConnTimeout       = 90 * time.Second
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 30 * time.Second
	maxRedirects          = 10
)

// NewHTTPClient returns a new *http.Client like the one New gives a Client
// without WithHTTPClient: a transport tuned for many concurrent calls to one
// host (HTTP/2 when offered), bounded dial, TLS and response-header times,
// and a redirect policy that drops Authorization when a redirect leaves the
// first request's origin. Wrap its Transport and pass it to WithHTTPClient
// to keep all of that; WithMiddleware is simpler when a per-attempt hook is
// enough. It keeps no TLS session cache: measured (BENCHMARKS.md), resuming
// saves no round trip and next to no client CPU.
func NewHTTPClient() *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxConnsPerHost:       maxConnsPerHost,
		MaxIdleConns:          maxConnsPerHost,
		MaxIdleConnsPerHost:   maxConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}
}

// checkRedirect drops the Authorization header whenever a redirect leaves the
// origin (scheme and host) of the first request. net/http already drops it
// for other domains but keeps it for subdomains and for https→http on the
// same host; a bearer token must do neither.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errors.New("stopped after 10 redirects")
	}
	if first := via[0].URL; req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		req.Header.Del("Authorization")
	}
	return nil
}

// Read limits. A session is about 2 KiB; the limits are far above any real
// Polar body and far below what would hurt a caller's memory.
const (
	maxSuccessBody = 4 << 20
	maxErrorBody   = 1 << 20
	// maxDrain bounds what is read past an error body's limit so the
	// connection can be reused; beyond it, closing is cheaper.
	maxDrain = 64 << 10
)

// errNotFinal is the cause of an APIError for a 1xx answer: net/http hands
// over a 101 Switching Protocols (an upgraded connection) as final, which
// is no answer to an API request.
var errNotFinal = errors.New("an informational or upgrade response is not an answer")

// attempt sends attempt n of req (a copy, with a fresh body from GetBody,
// under the attempt's own timeout) through the middleware and the HTTP
// client, and reads the whole bounded response, so the connection goes back
// to the pool before any wait. It returns a 2xx response, its body kept by
// the call, or the failure as an *APIError or *TransportError.
func (c *call) attempt(req *http.Request, n int) (*http.Response, error) {
	callCtx, ctx := req.Context(), req.Context()
	if c.p.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(callCtx, c.p.AttemptTimeout)
		defer cancel()
	}
	r := req.Clone(ctx)
	if n > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, c.transportErr(callCtx, ctx, err, n)
		}
		r.Body = body
	}
	c.attempts = n
	resp, err := c.send(r)
	if err == nil && resp == nil {
		err = errors.New("HTTP client returned neither a response nor an error")
	}
	if err != nil {
		return nil, c.transportErr(callCtx, ctx, err, n)
	}
	c.last = resp
	rc := resp.Body
	if rc == nil {
		rc = http.NoBody // a custom HTTPDoer may leave it nil; net/http never does
	}
	defer rc.Close()
	// A body that does not heed the context (an upgraded connection, a
	// custom doer's) is closed when the attempt ends, so no read outlives it.
	defer context.AfterFunc(ctx, func() { _ = rc.Close() })()

	failed := func(err error) error {
		return &APIError{Operation: c.op, StatusCode: resp.StatusCode, Header: c.red.header(resp.Header), Attempts: n, Err: err}
	}
	switch {
	case resp.StatusCode < 200:
		return nil, failed(errNotFinal)
	case resp.StatusCode > 299:
		body, _ := io.ReadAll(io.LimitReader(rc, maxErrorBody))
		_, _ = io.CopyN(io.Discard, rc, maxDrain)
		return nil, newAPIError(c.op, resp, body, n, c.red)
	case resp.ContentLength > maxSuccessBody:
		return nil, failed(ErrResponseTooLarge)
	}
	body, err := io.ReadAll(io.LimitReader(rc, maxSuccessBody+1))
	switch {
	case err != nil:
		return nil, c.transportErr(callCtx, ctx, fmt.Errorf("reading %d response: %w", resp.StatusCode, err), n)
	case len(body) > maxSuccessBody:
		return nil, failed(ErrResponseTooLarge)
	}
	c.body = body
	return resp, nil
}

// transportErr classifies a failed attempt against the call's context. An
// attempt that hit its own AttemptTimeout, whatever its error says (a body
// closed at the timeout reads as closed), is a "timeout" to retry; one
// whose call is over is not retried.
func (c *call) transportErr(callCtx, attemptCtx context.Context, err error, n int) error {
	class, retry := classifyTransport(callCtx, err)
	if callCtx.Err() == nil && attemptCtx.Err() != nil {
		class, retry, err = "timeout", true, &attemptTimeoutError{after: c.p.AttemptTimeout}
	}
	return &TransportError{Operation: c.op, Class: class, Attempts: n, Err: c.red.err(err), retry: retry}
}
