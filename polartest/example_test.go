package polartest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/polarsessions/polarsessions-go/client"
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

// With the member model, the default as for every organization Polar
// creates today, a session is for one member: a team customer must say
// which, and an individual customer gets its owner member.
func ExampleServer_AddMember() {
	srv := polartest.NewServer()
	defer srv.Close()
	team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_42"})
	srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mem_grace", Email: "grace@example.com"})
	jane := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})

	polar, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for _, req := range []client.CreateCustomerSessionRequest{
		{ExternalCustomerID: "team_42"},
		{ExternalCustomerID: "team_42", ExternalMemberID: "mem_grace"},
		{ExternalCustomerID: "usr_1337"},
	} {
		sess, err := polar.CustomerSessions.Create(ctx, req)
		var refused *client.ValidationError
		if errors.As(err, &refused) {
			fmt.Println(refused.StatusCode, refused.Errors[0].Field()+":", refused.Errors[0].Msg)
			continue
		} else if err != nil {
			fmt.Println(err)
			return
		}
		portal, _ := url.Parse(sess.CustomerPortalURL.Reveal())
		fmt.Println(sess.Token.Reveal()[:len("polar_mst_")], "for", portal.Query().Get("email"))
	}
	owner := srv.Members(jane.ID)[0]
	fmt.Println(owner.Role, owner.Email, owner.ExternalID)
	// Output:
	// 422 member_id: member_id is required for team customers.
	// polar_mst_ for grace@example.com
	// polar_mst_ for jane@example.com
	// owner jane@example.com usr_1337
}
