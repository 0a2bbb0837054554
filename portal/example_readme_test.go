package portal_test

import (
	"net/http"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/portal"
)

// A production setup, as the README shows it: the client takes its token
// from POLAR_ACCESS_TOKEN, and the Customer func reads the application's own
// sign-in. (Compiled, not run: it needs a Polar account.)
func ExampleNew() {
	type user struct{ ID string }
	currentUser := func(r *http.Request) (user, bool) {
		c, err := r.Cookie("session")
		return user{ID: "usr_1337"}, err == nil && c.Value != ""
	}
	setup := func() error {
		polar, err := client.New() // $POLAR_ACCESS_TOKEN; create one client and share it
		if err != nil {
			return err
		}
		billing, err := portal.New(portal.Config{
			Client: polar,
			// Who is asking: from your own sign-in, never from the query string.
			Customer: func(r *http.Request) (client.CreateCustomerSessionRequest, error) {
				user, ok := currentUser(r) // your session lookup
				if !ok {
					return client.CreateCustomerSessionRequest{}, portal.ErrNoCustomer // 401, nothing sent
				}
				// A team customer also needs the member: ExternalMemberID or MemberID.
				return client.CreateCustomerSessionRequest{ExternalCustomerID: user.ID}, nil
			},
			ReturnURL: "https://example.com/account", // the portal's back button
		})
		if err != nil {
			return err
		}
		http.Handle("/billing", billing) // or chi's r.Handle, echo.WrapHandler, gin.WrapH
		return nil
	}
	_ = setup
}
