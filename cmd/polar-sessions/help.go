package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
)

// usage is the command's --help: its own flags and examples. The global
// flags are listed once, in topUsage; a command that takes only some of
// them lists those among its own.
func (s commandSpec) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage:\n  %s %s\n\n%s\n", programName, s.synopsis, s.about)
	own := newFlagSet(s.name)
	s.new().flags(own)
	if s.globals != nil {
		all := globalFlagSet()
		for _, g := range s.globals {
			f := all.Lookup(g.name)
			usage := g.usage
			if usage == "" {
				usage = f.Usage
			}
			own.Var(f.Value, f.Name, usage)
		}
	}
	writeFlags(&b, "Flags", own)
	b.WriteString("\nExamples:\n" + s.examples + "\n")
	if s.globals == nil {
		fmt.Fprintf(&b, "Global flags (%s) and exit codes: %s --help\n", globalNames(), programName)
	} else {
		fmt.Fprintf(&b, "Exit codes: %s --help\n", programName)
	}
	return b.String()
}

// globalNames lists the global flags as typed: "--server, --timeout, …".
func globalNames() string {
	var names []string
	globalFlagSet().VisitAll(func(f *flag.Flag) { names = append(names, dashed(f.Name)) })
	return strings.Join(names, ", ")
}

// helpUsage is "polar-sessions help --help".
func helpUsage() string {
	return `Usage:
  polar-sessions help [command]

Shows a command's help, as "polar-sessions <command> --help" does, or without
a command the program's, with the global flags and exit codes. The commands
are ` + commandNames() + `.

Examples:
  polar-sessions help
  polar-sessions help create
`
}

// topUsage is the program's --help, the one place that lists the global
// flags and the exit codes.
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
	heading := "Global flags, before or after the command"
	for _, spec := range commands() {
		if spec.globals != nil {
			heading += " (" + spec.name + " takes only " + spec.takes() + ")"
		}
	}
	writeFlags(&b, heading, globalFlagSet())
	b.WriteString(`
Environment:
  ` + envAccessToken + `      organization access token (polar_oat_…) for create. There is
                          no flag for it, so it never lands in an argument list or
                          shell history; set it with read -rs, or from a secret store.
  ` + envServer + `            default for --server
  ` + envSessionToken + `  session token for introspect when --token is not given:
                          polar_mst_…, or polar_cst_… from an older organization

` + exitCodesHelp + `
Examples:
  polar-sessions demo
  read -rs ` + envAccessToken + ` && export ` + envAccessToken + `
  polar-sessions --server sandbox create --external-customer-id usr_1337 --output text
  ` + envSessionToken + `=polar_mst_… polar-sessions introspect
`)
	return b.String()
}

const exitCodesHelp = `Exit codes:
  0  success
  1  Polar refused the request: its status and error code are printed, and
     for a 422 each field error, led by the flag that set the field
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
		name := dashed(f.Name)
		if arg != "" && arg != "value" {
			name += " " + arg
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
	})
	_ = tw.Flush()
}

// dashed writes a flag's name as this tool's help does: "-v", "--server".
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
