package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"time"

	"golang.org/x/time/rate"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/gen"
)

// variant is one way of making the two calls.
type variant struct {
	create     func(ctx context.Context) error
	introspect func(ctx context.Context) error
	close      func()
}

// tunedTransport is configured like the client's default transport, so the
// baseline differs from the facade only in the code around the round trip.
func tunedTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxConnsPerHost:       64,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// transport is the one the hand-written variants use for s.
func (s *server) transport() http.RoundTripper {
	if s.rt != nil {
		return s.rt
	}
	return tunedTransport()
}

var userAgent = "bench/1.0 (" + runtime.Version() + ")"

// attemptTimeout is the facade's default per-attempt bound, which the
// hand-written variants apply to each request too.
var attemptTimeout = client.DefaultRetryPolicy().AttemptTimeout

// baseline is the physical floor: net/http and encoding/json by hand, the
// same requests and headers, decoding into the same models.
func baseline(s *server) variant {
	hc := &http.Client{Transport: s.transport()}
	do := func(req *http.Request, token string, want int, out any) error {
		// Bound the request as the facade bounds each attempt by default:
		// a careful hand-written client does, and the comparison should
		// not charge the facade for a safety the baseline lacks. What the
		// bound itself costs is measured by facade-noat.
		ctx, cancel := context.WithTimeout(req.Context(), attemptTimeout)
		defer cancel()
		req = req.WithContext(ctx)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Polar-Version", gen.APIVersion)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != want {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return json.Unmarshal(body, out)
	}
	return variant{
		create: func(ctx context.Context) error {
			body, err := json.Marshal(struct {
				CustomerID string `json:"customer_id"`
			}{customerID})
			if err != nil {
				return err
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/v1/customer-sessions/", bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/json")
			var out gen.CustomerSession
			return do(req, accessToken, http.StatusCreated, &out)
		},
		introspect: func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/v1/customer-portal/customer-session/introspect", nil)
			if err != nil {
				return err
			}
			var out gen.CustomerCustomerSession
			return do(req, sessionToken, http.StatusOK, &out)
		},
		close: hc.CloseIdleConnections,
	}
}

// generated is the raw oapi-codegen client with the tuned transport.
func generated(s *server) variant {
	hc := &http.Client{Transport: s.transport()}
	headers := func(token string) gen.RequestEditorFn {
		return func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", userAgent)
			req.Header.Set("Polar-Version", gen.APIVersion)
			return nil
		}
	}
	c, err := gen.NewClientWithResponses(s.URL, gen.WithHTTPClient(hc))
	if err != nil {
		panic(err)
	}
	return variant{
		create: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
			defer cancel()
			var body gen.CustomerSessionCreate
			if err := body.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{CustomerID: customerID}); err != nil {
				return err
			}
			resp, err := c.CustomerSessionsCreateWithResponse(ctx, body, headers(accessToken))
			if err != nil {
				return err
			}
			if resp.JSON201 == nil {
				return fmt.Errorf("status %d", resp.StatusCode())
			}
			return nil
		},
		introspect: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
			defer cancel()
			resp, err := c.CustomerPortalCustomerSessionIntrospectWithResponse(ctx, headers(sessionToken))
			if err != nil {
				return err
			}
			if resp.JSON200 == nil {
				return fmt.Errorf("status %d", resp.StatusCode())
			}
			return nil
		},
		close: hc.CloseIdleConnections,
	}
}

// facade is the client package with default options, plus extra options.
func facade(s *server, opts ...client.Option) variant {
	if s.rt != nil { // an HTTP client of the caller's: each attempt's request is copied
		opts = append([]client.Option{client.WithHTTPClient(&http.Client{Transport: s.rt})}, opts...)
	}
	return facadeAt(s.URL, accessToken, sessionToken, opts...)
}

// facadeWithMiddleware is the facade with one no-op middleware and a rate
// limiter that never waits: the cost of the hooks themselves.
func facadeWithMiddleware(s *server) variant {
	noop := func(req *http.Request, next client.MiddlewareNext) (*http.Response, error) { return next(req) }
	return facade(s, client.WithMiddleware(noop), client.WithRateLimiter(rate.NewLimiter(rate.Inf, 0)))
}

// facadeNoAttemptTimeout is the facade without its default 5s per-attempt
// bound: the cost of that bound, against the facade.
func facadeNoAttemptTimeout(s *server) variant {
	return facade(s, client.WithRetryPolicy(client.RetryPolicy{AttemptTimeout: -1}))
}

// naive is the facade given a plain &http.Client{}: Go's default transport,
// with 2 idle connections per host.
func naive(s *server) variant {
	hc := &http.Client{}
	v := facade(s, client.WithHTTPClient(hc))
	v.close = hc.CloseIdleConnections
	return v
}
