package polartest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// A fake Polar for a test: a manual clock, a customer, and two scripted
// faults the client rides out.
func Example() {
	run := func() error {
		clock := polartest.NewClock(time.Now()) // clock.Advance(time.Hour) expires sessions
		srv := polartest.NewServer(polartest.WithClock(clock.Now))
		defer srv.Close()
		srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})
		srv.Script(polartest.RouteCreate, polartest.Status(503), polartest.Reset()) // the next two creates fail

		c, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()))
		// … exercise your handler with c, then inspect srv.Requests() and srv.Stats()
		if err != nil {
			return err
		}
		_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"},
			client.WithRetryPolicy(client.RetryPolicy{InitialInterval: time.Millisecond}))
		fmt.Println("error:", err, "requests:", srv.Stats().Requests, "faults:", srv.Stats().TotalFaults())
		return nil
	}
	if err := run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// error: <nil> requests: 3 faults: 2
}

// Both kinds of organization: with the member model (the default), a team
// customer needs a member; without it, sessions are customer sessions.
func ExampleWithMemberModel() {
	ctx := context.Background()
	run := func() error {
		srv := polartest.NewServer() // member model on, as for a new Polar organization
		defer srv.Close()
		team := srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_42"})
		srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: "mem_grace", Email: "grace@example.com"})
		c, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()))
		if err != nil {
			return err
		}

		_, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "team_42"})
		fmt.Println(errors.Is(err, client.ErrInvalidRequest), err) // false: Polar's 422, member_id is required for team customers
		sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{
			ExternalCustomerID: "team_42", ExternalMemberID: "mem_grace"})
		if err != nil {
			return err
		}
		fmt.Println(sess.Token.Reveal()[:len("polar_mst_")]) // a member session, for grace@example.com

		legacy := polartest.NewServer(polartest.WithMemberModel(false)) // polar_cst_…, member fields ignored
		defer legacy.Close()
		legacy.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, ExternalID: "team_42"})
		sess, err = c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "team_42"},
			client.WithServerURL(legacy.URL()), client.WithAccessToken(legacy.AccessToken()))
		if err != nil {
			return err
		}
		fmt.Println(sess.Token.Reveal()[:len("polar_cst_")])
		return nil
	}
	if err := run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// false polar: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError: member_id: member_id is required for team customers.
	// polar_mst_
	// polar_cst_
}
