package main

import (
	"context"
	"flag"
	"time"
)

// introspectCmd is "polar-sessions introspect".
type introspectCmd struct {
	token  string
	output outputFormat
}

func (cmd *introspectCmd) flags(fs *flag.FlagSet) {
	fs.StringVar(&cmd.token, "token", "", "`TOKEN` the session token, polar_mst_… (polar_cst_… from an older organization; default $"+envSessionToken+
		", which keeps it out of shell history)")
	cmd.output.register(fs, "what Polar returned")
}

func (cmd *introspectCmd) run(ctx context.Context, c *cli) int {
	token, source := cmd.token, "--token"
	if token == "" {
		token, source = c.env(envSessionToken), envSessionToken
	}
	names := c.inputNames(map[string]string{"session token": source})
	// No access token option: Introspect sends only the session token.
	// --server and --timeout are checked first, a missing token last, as
	// in create.
	api, err := c.newClient()
	if err != nil {
		return c.fail(err, names)
	}
	defer api.CloseIdleConnections()
	if token == "" {
		return c.usageError("introspect", "no session token: set %s or pass --token", envSessionToken)
	}
	info, err := api.CustomerPortal.CustomerSession.Introspect(ctx, token)
	if err != nil {
		return c.fail(err, names)
	}
	return c.emit(cmd.output, info, func(now time.Time) string { return introspectionText(info, now) })
}
