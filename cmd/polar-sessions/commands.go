package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
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
	new      func() command
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
Polar's customer portal, and prints it with its portal URL. Anyone holding the
token or the URL is in that customer's portal: hand them only to that customer.

Needs ` + envAccessToken + `, an organization access token (polar_oat_…) with the
customer_sessions:write scope. It is read from the environment only, never
from a flag, so it need not appear on a command line.`,
			examples: `  read -rs ` + envAccessToken + ` && export ` + envAccessToken + `
  polar-sessions --server sandbox create --external-customer-id usr_1337
  polar-sessions create --customer-id 992fae2a-2a17-4b7a-8d9e-e287cf90131b \
      --return-url https://example.com/account --output text
`,
			new: func() command { return &createCmd{output: outputJSON} },
		},
		{
			name:     "introspect",
			summary:  "show a session token's expiry and return URL",
			synopsis: "introspect [--token TOKEN] [--output json|text]",
			about: `Asks Polar when a customer or member session token expires and which return
URL it was created with. Only the session token is sent; ` + envAccessToken + `
is not needed and never sent. The token is never printed.`,
			examples: `  ` + envSessionToken + `=polar_cst_… polar-sessions introspect --output text
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
token and no network, ignores ` + envAccessToken + ` and ` + envServer + `, and takes a
few seconds (one of them is the fake's Retry-After).

The client's log lines are shown indented under each step: retries at info
level, and with -v every request at debug level. --server and --retries do
not apply: the demo brings its own server and shows the default retry policy.`,
			examples: `  polar-sessions demo
  polar-sessions demo -v
`,
			new: func() command { return demoCmd{} },
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

// flagSet returns a FlagSet with the global flags and cmd's own.
func (s commandSpec) flagSet(g *globals, cmd command) *flag.FlagSet {
	fs := newFlagSet(s.name)
	g.register(fs)
	cmd.flags(fs)
	return fs
}

// usage is the command's --help.
func (s commandSpec) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage:\n  %s %s\n\n%s\n", programName, s.synopsis, s.about)
	own := newFlagSet(s.name)
	s.new().flags(own)
	writeFlags(&b, "Flags", own)
	writeFlags(&b, "Global flags, before or after "+s.name, globalFlagSet())
	b.WriteString("\n" + exitCodesHelp + "\nExamples:\n" + s.examples)
	return b.String()
}

// topUsage is the program's --help.
func topUsage() string {
	var b strings.Builder
	b.WriteString(`polar-sessions creates and introspects Polar customer sessions: the one-hour
tokens and links that let a customer into Polar's customer portal.

Usage:
  polar-sessions [global flags] <command> [flags]
  polar-sessions <command> --help

Commands:
`)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, spec := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", spec.name, spec.summary)
	}
	fmt.Fprintf(tw, "  help\tshow a command's help: polar-sessions help create\n")
	_ = tw.Flush() // a strings.Builder does not fail
	writeFlags(&b, "Global flags, before or after the command", globalFlagSet())
	b.WriteString(`
Environment:
  ` + envAccessToken + `      organization access token (polar_oat_…) for create. There is
                          no flag for it, so it never lands in an argument list or
                          shell history; set it with read -rs, or from a secret store.
  ` + envServer + `            default for --server
  ` + envSessionToken + `  session token for introspect when --token is not given

` + exitCodesHelp + `
Examples:
  polar-sessions demo
  read -rs ` + envAccessToken + ` && export ` + envAccessToken + `
  polar-sessions --server sandbox create --external-customer-id usr_1337 --output text
  ` + envSessionToken + `=polar_cst_… polar-sessions introspect
`)
	return b.String()
}

const exitCodesHelp = `Exit codes:
  0  success
  1  Polar refused the request: its status and error code are printed, and
     for a 422 each field error
  2  usage error or invalid input (a bad flag, a malformed ID): nothing was sent
  3  network failure or timeout: no usable answer from Polar
  4  Polar answered, but the answer could not be written out (stdout failed);
     a session may have been created
`

// writeFlags lists fs's flags under a heading, skipping an empty list. The
// lists are generated so that help cannot drift from the flags.
func writeFlags(b *strings.Builder, heading string, fs *flag.FlagSet) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if n == 0 {
			fmt.Fprintf(tw, "\n%s:\n", heading)
		}
		n++
		arg, usage := flag.UnquoteUsage(f)
		// A usage that starts with its argument's name ("`N` retries …")
		// reads well in both the standard flag format and this one once
		// the name, shown after the flag, is not repeated.
		usage = strings.TrimPrefix(usage, arg+" ")
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		if arg != "" && arg != "value" {
			name += " " + arg
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
	})
	_ = tw.Flush()
}
