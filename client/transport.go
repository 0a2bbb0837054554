package client

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// HTTPDoer sends HTTP requests; *http.Client implements it.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// WithHTTPClient sends requests through doer (never modified, not nil)
// instead of the client's own; an *http.Client without CheckRedirect goes
// through a copy that drops Authorization off the first origin.
func WithHTTPClient(doer HTTPDoer) Option {
	return func(s *settings) error {
		if hc, ok := doer.(*http.Client); ok && hc != nil && hc.CheckRedirect == nil {
			cp := *hc
			cp.CheckRedirect, doer = checkRedirect, &cp
		}
		s.httpClient, s.ownHTTP = doer, false
		return refuse(isNil(doer), "WithHTTPClient", "is nil")
	}
}

// maxConnsPerHost caps connections to Polar, all of which may idle: Go's 2
// idle make a busy service redial, no cap lets a burst dial too many.
const maxConnsPerHost = 64

// NewHTTPClient returns an *http.Client like New's: tuned for concurrent
// calls to one host, with bounded dial, TLS and header times, dropping
// Authorization off the first origin, and no TLS session cache (BENCHMARKS.md).
func NewHTTPClient() *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxConnsPerHost:       maxConnsPerHost,
		MaxIdleConns:          maxConnsPerHost,
		MaxIdleConnsPerHost:   maxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}
}

// checkRedirect drops Authorization when a redirect leaves the first origin,
// where net/http keeps it (subdomains, https→http on the same host).
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if first := via[0].URL; req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		req.Header.Del("Authorization")
	}
	return nil
}

// Read limits far above any Polar body (about 2 KiB); maxDrain bounds what
// is read past an error body's limit, so the connection can be reused.
const (
	maxSuccessBody = 4 << 20
	maxErrorBody   = 1 << 20
	maxDrain       = 64 << 10
)

// errNotFinal is the cause for a 1xx, such as a 101 net/http hands over.
var errNotFinal = errors.New("an informational or upgrade response is not an answer")

// attempt sends attempt n (a copy of req under its own timeout, the body
// from GetBody) and reads the bounded response, pooling the connection
// before any wait: a 2xx, its body kept, or an *APIError or *TransportError.
func (c *call) attempt(req *http.Request, n int) (*http.Response, error) {
	callCtx, ctx := req.Context(), req.Context()
	if c.p.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(callCtx, c.p.AttemptTimeout)
		defer cancel()
	}
	// A hook may edit its request or hand over a body that ignores the
	// context (the client's own HTTP client does neither): then each attempt
	// gets its own copy, and reads end with the attempt.
	trusted := c.set.ownHTTP && len(c.set.middleware) == 0
	r := req.WithContext(ctx)
	if !trusted {
		r = req.Clone(ctx)
	}
	if n > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, c.transportErr(callCtx, ctx, err, n)
		}
		r.Body = body
	}
	c.attempts, c.last, c.lastBody = n, nil, nil
	resp, err := c.send(r)
	if err == nil && resp == nil {
		err = errors.New("HTTP client returned neither a response nor an error")
	}
	if err != nil {
		return nil, c.transportErr(callCtx, ctx, err, n)
	}
	c.last = resp
	rc := cmp.Or[io.ReadCloser](resp.Body, http.NoBody) // a custom HTTPDoer may leave it nil
	defer rc.Close()
	if !trusted {
		defer context.AfterFunc(ctx, func() {
			defer func() { _ = recover() }() // a panicking Close, on a goroutine of its own
			_ = rc.Close()
		})()
	}

	failed := func(cause error) error {
		return &APIError{Operation: c.op, StatusCode: resp.StatusCode, Header: c.red.header(resp.Header), Attempts: n, Err: cause}
	}
	switch {
	case resp.StatusCode < 200:
		return nil, failed(errNotFinal)
	case resp.StatusCode > 299:
		body, _ := io.ReadAll(io.LimitReader(rc, maxErrorBody))
		_, _ = io.CopyN(io.Discard, rc, maxDrain)
		c.lastBody = body
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
	c.body, c.lastBody = body, body
	return resp, nil
}

// transportErr classifies a failed attempt; one past its AttemptTimeout is
// a "timeout" whatever its error says (a body closed then reads as closed).
func (c *call) transportErr(callCtx, attemptCtx context.Context, err error, n int) error {
	class, retry := classifyTransport(callCtx, err)
	if callCtx.Err() == nil && attemptCtx.Err() != nil {
		class, retry, err = "timeout", true, &attemptTimeoutError{after: c.p.AttemptTimeout}
	}
	return &TransportError{Operation: c.op, Class: class, Attempts: n, Err: c.red.err(err), retry: retry}
}
