package portal_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// signedIn stands in for an application's sign-in: session cookie → user.
var signedIn = map[string]string{"sess_jane": "usr_1337"}

// customerOf is the application's Config.Customer: the signed-in user's
// ID in the application is their external customer ID at Polar.
func customerOf(r *http.Request) (client.CreateCustomerSessionRequest, error) {
	cookie, err := r.Cookie("session")
	if err != nil || signedIn[cookie.Value] == "" {
		return client.CreateCustomerSessionRequest{}, portal.ErrNoCustomer
	}
	return client.CreateCustomerSessionRequest{ExternalCustomerID: signedIn[cookie.Value]}, nil
}

// A "Manage billing" link: GET /billing sends the signed-in user to their
// portal with a 303, and anyone else gets a 401. Here Polar is polartest.
func ExampleHandler() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})

	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.CloseIdleConnections()
	h, err := portal.New(portal.Config{
		Client:    c,
		Customer:  customerOf,
		ReturnURL: "https://example.com/account",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	http.Handle("/billing", h)

	app := httptest.NewServer(http.DefaultServeMux)
	defer app.Close()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // show the redirect instead of following it to polar.sh
	}}
	visit := func(cookie string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, app.URL+"/billing", nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "session", Value: cookie})
		}
		resp, err := browser.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		return resp
	}

	resp := visit("sess_jane")
	fmt.Println(resp.Status)
	fmt.Println(strings.HasPrefix(resp.Header.Get("Location"), "https://polar.sh/polartest/portal?customer_session_token="))
	fmt.Println(resp.Header.Get("Cache-Control"), resp.Header.Get("Referrer-Policy"))

	resp = visit("")
	fmt.Println(resp.Status)
	// Output:
	// 303 See Other
	// true
	// no-store no-referrer
	// 401 Unauthorized
}

// A page that opens the portal itself (in a new tab, say) asks for JSON.
func ExampleHandler_json() {
	polar := polartest.NewServer(polartest.WithClock(func() time.Time {
		return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	}))
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	c, _ := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	defer c.CloseIdleConnections()
	h, _ := portal.New(portal.Config{Client: c, Customer: customerOf})

	req := httptest.NewRequest(http.MethodPost, "/billing", nil)
	req.AddCookie(&http.Cookie{Name: "session", Value: "sess_jane"})
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	var link struct {
		URL       string `json:"url"`
		ExpiresAt string `json:"expires_at"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &link)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(strings.HasPrefix(link.URL, "https://polar.sh/polartest/portal?customer_session_token="))
	fmt.Println(link.ExpiresAt)
	// Output:
	// 200 application/json
	// true
	// 2026-11-21T11:00:00Z
}

// With Reuse, a burst of clicks is one call to Polar, and later visits get
// the same session while at least Reuse of its life remains.
func ExampleConfig_reuse() {
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	c, _ := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
	defer c.CloseIdleConnections()
	h, _ := portal.New(portal.Config{Client: c, Customer: customerOf, Reuse: 45 * time.Minute})

	var wg sync.WaitGroup
	locations := make([]string, 20)
	for i := range locations {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodGet, "/billing", nil)
			req.AddCookie(&http.Cookie{Name: "session", Value: "sess_jane"})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			locations[i] = rec.Header().Get("Location")
		})
	}
	wg.Wait()
	same := 0
	for _, l := range locations {
		if l == locations[0] && l != "" {
			same++
		}
	}
	fmt.Println(same, "visits got the same session;", len(polar.Requests()), "request reached Polar")
	// Output:
	// 20 visits got the same session; 1 request reached Polar
}
