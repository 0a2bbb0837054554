package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
)

// command is a subcommand: it binds its own flags, then runs with them.
type command interface {
	flags(fs *flag.FlagSet)
	run(ctx context.Context, c *cli) int
}

// commandSpec describes a command for dispatch and help.
type commandSpec struct {
	name     string
	summary  string // one line, for the command list
	synopsis string // the usage line, after the program name
	about    string // what it does, in a paragraph or two
	examples string
	// globals, when not nil, are the only global flags the command takes:
	// its help lists them among its own flags, and run refuses the others
	// (--version aside). nil means it takes them all, and its help points
	// to the top-level help for them.
	globals []globalHelp
	new     func() command
}

// globalHelp is a global flag as a command that takes only some of them
// describes it; usage "" keeps the flag's own.
type globalHelp struct {
	name, usage string
}

// commands lists the commands in the order help shows them. A function,
// not a variable, so nothing at package level can be changed.
func commands() []commandSpec {
	return []commandSpec{
		{
			name:    "create",
			summary: "create a customer session; prints its token and portal URL",
			synopsis: "create (--customer-id ID | --external-customer-id ID)\n" +
				"      [--member-id ID | --external-member-id ID] [--return-url URL] [--output json|text]",
			about: `Creates a customer session, a one-hour token that lets one customer into
Polar's customer portal, and prints it with its portal URL. Organizations
created today have the member model: the session is for one member of the
customer and its token is a member session token, polar_mst_…; older
organizations get a customer session token, polar_cst_…. Anyone holding the
token or the URL is in that customer's portal: hand them only to that customer.

Needs ` + envAccessToken + `, an organization access token (polar_oat_…) with the
customer_sessions:write scope. It is read from the environment only, never
from a flag, so it need not appear on a command line. The flags are checked
first: a malformed ID is reported even without a token.`,
			examples: `  read -rs ` + envAccessToken + ` && export ` + envAccessToken + `
  polar-sessions --server sandbox create --external-customer-id usr_1337
  polar-sessions create --external-customer-id team_42 --external-member-id usr_7
  polar-sessions create --customer-id 992fae2a-2a17-4b7a-8d9e-e287cf90131b \
      --return-url https://example.com/account --output text
`,
			new: func() command { return &createCmd{output: outputJSON} },
		},
		{
			name:     "introspect",
			summary:  "show a session token's expiry and return URL",
			synopsis: "introspect [--token TOKEN] [--output json|text]",
			about: `Asks Polar when a session token (polar_mst_…, or polar_cst_… from an older
organization) expires and which return URL it was created with. Only the
session token is sent; ` + envAccessToken + ` is not needed and never sent. The token
is never printed.`,
			examples: `  ` + envSessionToken + `=polar_mst_… polar-sessions introspect --output text
  polar-sessions --server sandbox introspect --token "$TOKEN"
`,
			new: func() command { return &introspectCmd{output: outputJSON} },
		},
		{
			name:     "demo",
			summary:  "run the library end to end against an in-process fake Polar",
			synopsis: "demo [-v] [--timeout DURATION]",
			about: `Starts a fake Polar API in this process (the polartest package), whose
organization has the member model, as every organization Polar creates today.
It creates and introspects a member session, shows the 422 a team customer
without a member gets and then the fix, rides out a scripted 429 and 503 with
retries, shows two typed errors, and sends a visitor through portal.Handler
(the 303, then a second visit reusing the session). It needs no account, no
token and no network, and takes a few seconds (one of them is the fake's
Retry-After).

The client's log lines are shown indented under each step. The demo brings
its own server and shows the default retry policy: --server and --retries are
refused, and ` + envAccessToken + ` and ` + envServer + ` are ignored.`,
			examples: `  polar-sessions demo
  polar-sessions demo -v
`,
			globals: []globalHelp{
				{name: "timeout"},
				{name: "v", usage: "also show the debug log line of each request, under its step"},
			},
			new: func() command { return demoCmd{} },
		},
		{
			name:    "fake",
			summary: "serve a fake Polar API on a port, for tests in any language",
			synopsis: "fake [--addr HOST:PORT] [--seed FILE] [--access-token polar_oat_…]... [--member-model=false]\n" +
				"      [--base-path PREFIX] [--rate-limit N] [--fault-rate RATE] [--keep-requests N] [-v]",
			about: `Serves the polartest package's fake of Polar's customer-session API on
--addr until SIGINT (Ctrl-C) or SIGTERM, then stops gracefully and exits 0.
Point any Polar SDK or HTTP client at it: it answers create
(POST /v1/customer-sessions/) and introspect
(GET /v1/customer-portal/customer-session/introspect) as Polar does. Its
organization has the member model, so sessions are member sessions
(polar_mst_…); with --member-model=false, as for older organizations, they
are customer sessions (polar_cst_…).

On start it prints exactly two lines to stdout, and nothing more ever:
  ` + envServer + `=http://127.0.0.1:PORT[PREFIX]
  ` + envAccessToken + `=polar_oat_…
so that a script can read them. Everything else goes to stderr.

It listens on loopback only unless --public is given: the sessions it hands
out look real, and a fake should not appear on a network by accident.

The seed file (--seed) is JSON; every key is optional but what Polar
requires, and an unknown key is an error:
  {"customers": [{"id", "external_id", "email", "type": "individual"|"team",
    "name", "members": [{"id", "external_id", "email", "name",
    "role": "owner"|"billing_manager"|"member"}]}]}
A customer or member Polar would refuse stops the start with exit 2 and an
error naming it: "customers[1].members[0].email: …".

The control API, at the server's root (not under --base-path), JSON in and
out, never recorded among the requests; errors are {"error": "<field>: …"}
with 400, 404, 405, 409 or 422:
  POST   /_polartest/customers              a seed customer, members too → 201 as stored
  DELETE /_polartest/customers/{id}         soft delete: its sessions stop → 204
  POST   /_polartest/customers/{id}/members a seed member → 201 as stored
  DELETE /_polartest/members/{id}           soft delete → 204
  POST   /_polartest/faults                 {"route": "create"|"introspect"|"any", "faults":
           [{"kind": "status", "status": 429, "retry_after": 1}, {"kind": "reset"},
            {"kind": "truncated"}, {"kind": "malformed"}, {"kind": "delay", "delay_ms": 250},
            {"kind": "pass"}]}: the next requests' faults, in order → 204
  POST   /_polartest/clock                  {"advance_seconds": 3600} → 200 {"now": "…"}
  GET    /_polartest/requests               what the fake received, tokens redacted: the latest
                                            --keep-requests (1000 by default), each with its
                                            status and "fault": "none", or a kind above → 200
  POST   /_polartest/reset                  back to the seed (tokens kept) → 204`,
			examples: `  polar-sessions fake --seed seed.json
  polar-sessions fake --addr 127.0.0.1:0 --access-token polar_oat_ci -v
  exec 3< <(polar-sessions fake --addr 127.0.0.1:0)   # bash: read the two lines, then export them
  read -r server <&3 && read -r token <&3 && export "$server" "$token"
  polar-sessions fake --addr 0.0.0.0:8790 --public --seed /seed.json   # in a container
`,
			globals: []globalHelp{
				{name: "v", usage: "log one line per request on stderr: method, path, status, duration; never a token"},
			},
			new: func() command { return newFakeCmd() },
		},
	}
}

// lookup finds a command by name.
func lookup(name string) (commandSpec, bool) {
	for _, spec := range commands() {
		if spec.name == name {
			return spec, true
		}
	}
	return commandSpec{}, false
}

// commandNames lists the commands help knows, "help" included, for
// messages: "create, introspect, demo, fake and help".
func commandNames() string {
	var names []string
	for _, spec := range commands() {
		names = append(names, spec.name)
	}
	return strings.Join(names, ", ") + " and help"
}

// flagSet returns a FlagSet with the global flags and cmd's own. Every
// global flag is bound, even one the command refuses, so that run can say
// it does not apply rather than that it does not exist.
func (s commandSpec) flagSet(g *globals, cmd command) *flag.FlagSet {
	fs := newFlagSet(s.name)
	g.register(fs)
	cmd.flags(fs)
	return fs
}

// refusal says which of the global flags set the command does not take,
// or is "" when it takes them all: "--server does not apply to demo, which
// takes only --timeout and -v".
func (s commandSpec) refusal(set map[string]bool) string {
	if s.globals == nil {
		return ""
	}
	var bad []string
	globalFlagSet().VisitAll(func(f *flag.Flag) {
		taken := f.Name == "version" || slices.ContainsFunc(s.globals, func(g globalHelp) bool { return g.name == f.Name })
		if set[f.Name] && !taken {
			bad = append(bad, dashed(f.Name))
		}
	})
	if len(bad) == 0 {
		return ""
	}
	verb := "does"
	if len(bad) > 1 {
		verb = "do"
	}
	return fmt.Sprintf("%s %s not apply to %s, which takes only %s", strings.Join(bad, " and "), verb, s.name, s.takes())
}

// takes lists the global flags a command that takes only some of them
// takes: "--timeout and -v".
func (s commandSpec) takes() string {
	names := make([]string, len(s.globals))
	for i, g := range s.globals {
		names[i] = dashed(g.name)
	}
	return strings.Join(names, " and ")
}
