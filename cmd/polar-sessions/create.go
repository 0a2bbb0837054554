package main

import (
	"context"
	"flag"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
)

// createCmd is "polar-sessions create".
type createCmd struct {
	req    client.CreateCustomerSessionRequest
	output outputFormat
}

func (cmd *createCmd) flags(fs *flag.FlagSet) {
	fs.StringVar(&cmd.req.CustomerID, "customer-id", "", "Polar's customer `ID`, a UUID")
	fs.StringVar(&cmd.req.ExternalCustomerID, "external-customer-id", "", "the customer's `ID` in your system")
	fs.StringVar(&cmd.req.MemberID, "member-id", "", "Polar's member `ID`, a UUID, for organizations with members")
	fs.StringVar(&cmd.req.ExternalMemberID, "external-member-id", "", "the member's `ID` in your system")
	fs.StringVar(&cmd.req.ReturnURL, "return-url", "", "show a back button in the portal that leads to `URL`")
	cmd.output.register(fs, "the session exactly as Polar returned it, token included")
}

func (cmd *createCmd) run(ctx context.Context, c *cli) int {
	req := cmd.req
	// Which IDs may go together is the client's rule, reported in the
	// flags' names by fail (see inputNames). The token is checked here
	// rather than left to client.New, which would fall back to the
	// process environment behind the env the tool was given.
	token := c.env(envAccessToken)
	if token == "" {
		return c.usageError("create", "%s is not set: create needs an organization access token (polar_oat_…)", envAccessToken)
	}
	names := c.inputNames(map[string]string{
		"customer_id":          "--customer-id",
		"external_customer_id": "--external-customer-id",
		"member_id":            "--member-id",
		"external_member_id":   "--external-member-id",
		"return_url":           "--return-url",
	})
	api, err := c.newClient(client.WithAccessToken(token))
	if err != nil {
		return c.fail(err, names)
	}
	defer api.CloseIdleConnections()
	sess, err := api.CustomerSessions.Create(ctx, req)
	if err != nil {
		return c.fail(err, names)
	}
	return c.emit(cmd.output, sess, func(now time.Time) string { return sessionText(sess, now) })
}
