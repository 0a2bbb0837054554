package client_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// Pinning the client to Polar's API 2026-04, for every call; a call option
// pins one call. Each answer's Polar-Version is the version Polar served.
func ExampleWithAPIVersion() {
	polar := polartest.NewServer() // serves 2026-04, 2026-10 and 2027-01, as Polar does
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()),
		client.WithAPIVersion("2026-04"))
	if err != nil {
		fmt.Println(err)
		return
	}
	var raw *http.Response
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"},
		client.WithResponseInto(&raw))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("served:", raw.Header.Get("Polar-Version"))

	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"},
		client.WithAPIVersion("2099-01"))
	fmt.Println(err)
	// Output:
	// served: 2026-04
	// polar: customer-sessions:create: 404 Not Found (hint: check the server URL, any path prefix in it, and the Polar-Version)
}
