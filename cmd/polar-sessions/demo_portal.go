package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// demoSessionCookie signs the demo's visitor in to the demo's app.
const demoSessionCookie = "sess_demo"

// portal shows package portal: an app serving portal.Handler at /billing,
// a visit that is sent to the portal, a second visit that reuses the
// session, and an anonymous visit that never reaches Polar.
func (d *demo) portal(ctx context.Context) error {
	h, err := portal.New(portal.Config{
		Client: d.api,
		// The app's sign-in: a session cookie naming the demo's customer.
		Customer: func(r *http.Request) (client.CreateCustomerSessionRequest, error) {
			if c, err := r.Cookie("session"); err == nil && c.Value == demoSessionCookie {
				return client.CreateCustomerSessionRequest{ExternalCustomerID: demoExternalID}, nil
			}
			return client.CreateCustomerSessionRequest{}, portal.ErrNoCustomer
		},
		ReturnURL: demoReturnURL,
		Reuse:     45 * time.Minute,
		Logger:    d.logger(false),
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/billing", h)
	app := httptest.NewServer(mux)
	defer app.Close()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // show the redirect, do not follow it to polar.sh
	}}
	defer browser.CloseIdleConnections()
	d.step("serving portal.Handler at %s/billing (Reuse: 45m) to a visitor signed in as %s", app.URL, demoExternalID)

	before := d.creates()
	first, err := d.visitPortal(ctx, browser, app.URL+"/billing", demoSessionCookie)
	if err != nil {
		return err
	}
	if first.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("demo: GET /billing answered %s, want 303 See Other", first.Status)
	}
	location := first.Header.Get("Location")
	d.done("GET /billing: %s to %s (redacted), Cache-Control: %s, Referrer-Policy: %s",
		first.Status, redactPortalURL(location), first.Header.Get("Cache-Control"), first.Header.Get("Referrer-Policy"))

	second, err := d.visitPortal(ctx, browser, app.URL+"/billing", demoSessionCookie)
	if err != nil {
		return err
	}
	if second.StatusCode != http.StatusSeeOther || second.Header.Get("Location") != location {
		return fmt.Errorf("demo: the second visit was not sent to the same session (%s)", second.Status)
	}
	d.done("GET /billing again: %s to the same session, reused: %d create at Polar for 2 visits", second.Status, d.creates()-before)

	anonymous, err := d.visitPortal(ctx, browser, app.URL+"/billing", "")
	if err != nil {
		return err
	}
	if anonymous.StatusCode != http.StatusUnauthorized || d.creates()-before != 1 {
		return fmt.Errorf("demo: the anonymous visit got %s", anonymous.Status)
	}
	d.done("GET /billing signed out: %s, nothing sent to Polar", anonymous.Status)
	return nil
}

// visitPortal makes a visit with the session cookie, if any, and returns
// the answer with its body read.
func (d *demo) visitPortal(ctx context.Context, browser *http.Client, target, cookie string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "session", Value: cookie})
	}
	resp, err := browser.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp, resp.Body.Close()
}

// creates counts the creates the fake Polar has received.
func (d *demo) creates() int {
	n := 0
	for _, r := range d.srv.Requests() {
		if polartest.Route(r.Method+" "+r.Path) == polartest.RouteCreate {
			n++
		}
	}
	return n
}

// redactPortalURL cuts a portal URL six characters into the secret of its
// session token (the customer_session_token parameter), after the token's
// kind prefix, whatever that is: enough to recognise, not to use.
func redactPortalURL(portalURL string) string {
	u, err := url.Parse(portalURL)
	if err != nil {
		return "[unreadable URL]"
	}
	token := u.Query().Get("customer_session_token")
	i := strings.Index(portalURL, token)
	if token == "" || i < 0 {
		return "[portal URL without a readable token]"
	}
	prefix := strings.LastIndexByte(token, '_') + 1
	keep := min(prefix+6, len(token)-1)
	return portalURL[:i+max(keep, prefix)] + "…"
}
