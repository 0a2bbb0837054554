package polartest_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// portalHandler is the code under test, as a user of the client would write
// it: it sends the signed-in user to their Polar customer portal.
func portalHandler(polar *client.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		userID := r.Header.Get("X-User-ID") // stands in for your session lookup
		sess, err := polar.CustomerSessions.Create(r.Context(), client.CreateCustomerSessionRequest{
			ExternalCustomerID: userID,
			ReturnURL:          "https://example.com/account",
		})
		var vErr *client.ValidationError
		switch {
		case errors.As(err, &vErr):
			http.Error(w, "no billing account yet", http.StatusNotFound)
			return
		case err != nil:
			http.Error(w, "billing is unavailable, try again", http.StatusBadGateway)
			return
		}
		http.Redirect(w, r, sess.CustomerPortalURL.Reveal(), http.StatusSeeOther)
	}
}

// Testing your own handler against the fake server: no network, no sandbox
// token, and Polar's failures on demand.
func Example_testingYourHandler() {
	srv := polartest.NewServer()
	defer srv.Close()
	srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})

	polar, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		fmt.Println(err)
		return
	}
	handler := portalHandler(polar)
	visit := func(userID string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/billing", nil)
		req.Header.Set("X-User-ID", userID)
		rec := httptest.NewRecorder()
		handler(rec, req)
		return rec
	}

	rec := visit("usr_1337")
	// A member session for the customer's owner: the member model is on,
	// as for every organization Polar creates today.
	fmt.Println(rec.Code, strings.Contains(rec.Header().Get("Location"), "customer_session_token=polar_mst_"))

	rec = visit("usr_unknown")
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))

	srv.Script(polartest.RouteCreate, polartest.Status(503))
	rec = visit("usr_1337")
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))

	fmt.Println(len(srv.Requests()), "requests reached the fake Polar")
	// Output:
	// 303 true
	// 404 no billing account yet
	// 502 billing is unavailable, try again
	// 3 requests reached the fake Polar
}
