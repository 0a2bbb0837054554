package polartest_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/polarsessions/polarsessions-go/polartest"
)

// Script makes the next create requests fail, once each, before the server
// answers normally again.
func ExampleServer_Script() {
	srv := polartest.NewServer()
	defer srv.Close()
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	srv.Script(polartest.RouteCreate, polartest.Status(503), polartest.RateLimited(0))

	for range 3 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/v1/customer-sessions/",
			strings.NewReader(`{"external_customer_id":"usr_1337"}`))
		req.Header.Set("Authorization", "Bearer "+srv.AccessToken())
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	fmt.Println(srv.Stats().TotalFaults(), "faults for customer", cust.ExternalID)
	// Output:
	// 503 Service Unavailable
	// 429 Too Many Requests
	// 201 Created
	// 2 faults for customer usr_1337
}
