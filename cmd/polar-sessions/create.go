package main

import (
	"context"
	"errors"
	"flag"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
)

// createCmd is "polar-sessions create".
type createCmd struct {
	req    client.CreateCustomerSessionRequest
	output outputFormat
}

// requestFlag is a create flag that sets a request field.
type requestFlag struct {
	flag  string  // the flag's name, without dashes
	field string  // the field's API name, as the client and Polar name it
	value *string // where the flag's value goes
	usage string
}

// requestFlags is the one table of create's request fields: it binds the
// flags, and through fieldNames names them in the client's refusals and in
// Polar's 422 field errors.
func (cmd *createCmd) requestFlags() []requestFlag {
	return []requestFlag{
		{"customer-id", "customer_id", &cmd.req.CustomerID, "Polar's customer `ID`, a UUID"},
		{"external-customer-id", "external_customer_id", &cmd.req.ExternalCustomerID, "the customer's `ID` in your system"},
		{"member-id", "member_id", &cmd.req.MemberID, "Polar's member `ID`, a UUID, for organizations with members"},
		{"external-member-id", "external_member_id", &cmd.req.ExternalMemberID, "the member's `ID` in your system"},
		{"return-url", "return_url", &cmd.req.ReturnURL, "show a back button in the portal that leads to `URL`"},
	}
}

// fieldNames maps each request field's API name to its flag: "member_id"
// to "--member-id".
func (cmd *createCmd) fieldNames() map[string]string {
	names := map[string]string{}
	for _, f := range cmd.requestFlags() {
		names[f.field] = dashed(f.flag)
	}
	return names
}

func (cmd *createCmd) flags(fs *flag.FlagSet) {
	for _, f := range cmd.requestFlags() {
		fs.StringVar(f.value, f.flag, "", f.usage)
	}
	cmd.output.register(fs, "the session exactly as Polar returned it, token included")
}

func (cmd *createCmd) run(ctx context.Context, c *cli) int {
	names := c.inputNames(cmd.fieldNames())
	// The client checks the flags' values (IDs, which go together, the
	// return URL) before it looks for a token, so a malformed ID is
	// reported first; this only words the missing token for a terminal.
	// Without WithAccessToken, client.New reads POLAR_ACCESS_TOKEN from
	// the process environment: what c.env reads when the tool runs (tests,
	// which give it another env, clear it; see TestMain).
	token := c.env(envAccessToken)
	var opts []client.Option
	if token != "" {
		opts = append(opts, client.WithAccessToken(token))
	}
	api, err := c.newClient(opts...)
	if err != nil {
		return c.fail(err, names)
	}
	defer api.CloseIdleConnections()
	sess, err := api.CustomerSessions.Create(ctx, cmd.req)
	if err != nil {
		var input *client.InputError
		if token == "" && errors.As(err, &input) && input.Field == "access token" {
			return c.usageError("create", "%s is not set: create needs an organization access token (polar_oat_…)", envAccessToken)
		}
		return c.fail(err, names)
	}
	return c.emit(cmd.output, sess, func(now time.Time) string { return sessionText(sess, now) })
}
