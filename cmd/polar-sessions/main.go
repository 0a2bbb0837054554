// Command polar-sessions creates and introspects Polar customer sessions
// from a terminal, and shows the client library working end to end against
// an in-process fake of Polar.
//
// Usage:
//
//	polar-sessions [global flags] <command> [flags]
//
// Commands:
//
//	create      create a customer session; prints its token and portal URL
//	introspect  show a session token's expiry and return URL
//	demo        run the library against an in-process fake Polar (no account, no network)
//	help        show a command's help
//
// Global flags, accepted before or after the command name (demo takes only
// --timeout and -v, and refuses the others):
//
//	--server production|sandbox|URL  the Polar API (default $POLAR_SERVER, else production)
//	--timeout DURATION               bound on each call, retries included (default 30s)
//	--retries N                      retries after a failed attempt; 0 disables (default 2)
//	--api-version YYYY-MM            the Polar API version to send (default 2026-10)
//	-v                               debug logs of each request on stderr
//	--version                        print the version and exit
//
// The organization access token is read from POLAR_ACCESS_TOKEN only: there
// is no flag for it, so it never appears in an argument list. introspect
// reads the session token from --token or POLAR_CUSTOMER_SESSION.
//
// Exit codes: 0 success; 1 Polar refused the request; 2 usage error or
// invalid input (nothing was sent); 3 network failure or timeout; 4 the
// answer could not be written out.
//
// "polar-sessions --help" lists the global flags and exit codes;
// "polar-sessions <command> --help" (or "polar-sessions help <command>")
// gives a command's flags and examples.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli is one invocation: where it reads the environment, where it writes,
// and the global flags. Commands get it instead of touching os, so tests run
// them in-process.
type cli struct {
	env            func(string) string
	stdout, stderr io.Writer
	command        string // the command being run, "" before one is chosen
	globals
}

// run runs the tool with args (without the program name) and returns its
// exit code.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	c := &cli{env: env, stdout: stdout, stderr: stderr, globals: defaultGlobals()}
	top := newFlagSet(programName)
	c.globals.register(top)
	if code, done := c.parse(top, args, "", topUsage); done {
		return code
	}
	if c.version {
		fmt.Fprintln(stdout, programName, client.Version)
		return exitOK
	}
	if top.NArg() == 0 {
		fmt.Fprint(stderr, topUsage())
		return exitUsage
	}
	name, rest := top.Arg(0), top.Args()[1:]
	if name == "help" {
		return c.help(rest)
	}
	spec, ok := lookup(name)
	if !ok {
		return c.usageError("", "unknown command %q; the commands are %s", name, commandNames())
	}
	c.command = name
	cmd := spec.new()
	fs := spec.flagSet(&c.globals, cmd)
	if code, done := c.parse(fs, rest, name, spec.usage); done {
		return code
	}
	if c.version {
		fmt.Fprintln(stdout, programName, client.Version)
		return exitOK
	}
	if fs.NArg() > 0 {
		return c.usageError(name, "unexpected argument %q%s", fs.Arg(0), tokenHint(fs.Arg(0)))
	}
	if msg := spec.refusal(setFlags(top, fs)); msg != "" {
		return c.usageError(name, "%s", msg)
	}
	return cmd.run(ctx, c)
}

// setFlags names the flags given on the command line, in any of sets.
func setFlags(sets ...*flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	for _, fs := range sets {
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	}
	return set
}

// help serves "polar-sessions help [command]": the program's help, a
// command's, or with -h its own.
func (c *cli) help(args []string) int {
	fs := newFlagSet("help")
	if code, done := c.parse(fs, args, "help", helpUsage); done {
		return code
	}
	switch fs.NArg() {
	case 0:
		fmt.Fprint(c.stdout, topUsage())
		return exitOK
	case 1:
	default:
		return c.usageError("help", "give one command name, not %d", fs.NArg())
	}
	name := fs.Arg(0)
	if name == "help" {
		fmt.Fprint(c.stdout, helpUsage())
		return exitOK
	}
	spec, ok := lookup(name)
	if !ok {
		return c.usageError("help", "unknown command %q; the commands are %s", name, commandNames())
	}
	fmt.Fprint(c.stdout, spec.usage())
	return exitOK
}

// parse parses args into fs. done is true when the invocation ends here:
// with 0 after printing the help that was asked for, or with 2 after
// reporting bad flags. cmd is "" for the top level.
func (c *cli) parse(fs *flag.FlagSet, args []string, cmd string, usage func() string) (code int, done bool) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(c.stdout, usage())
		return exitOK, true
	case err != nil:
		return c.usageError(cmd, "%s", doubleDash(err.Error())), true
	}
	return exitOK, false
}

// usageError reports a usage problem in one line that says where the help
// is, and returns the usage exit code. The message may quote what the user
// typed, which may be a token pasted in the wrong place: it is redacted.
func (c *cli) usageError(cmd, format string, args ...any) int {
	where := programName
	if cmd != "" {
		where += " " + cmd
	}
	fmt.Fprintf(c.stderr, "%s: %s (see %s --help)\n", where, rules.Redact(fmt.Sprintf(format, args...), ""), where)
	return exitUsage
}

// tokenHint says where a token given as an argument belongs, or "".
func tokenHint(arg string) string {
	switch lower := strings.ToLower(arg); {
	case strings.HasPrefix(lower, rules.PrefixCustomerSession), strings.HasPrefix(lower, rules.PrefixMemberSession):
		return "; a session token goes in --token or " + envSessionToken
	case strings.HasPrefix(lower, rules.PrefixOrganizationToken):
		return "; the access token is read from " + envAccessToken + " only"
	}
	return ""
}

// where is the prefix of every message: the program, and the command once
// one is chosen, so usage errors and failures read alike.
func (c *cli) where() string {
	if c.command == "" {
		return programName
	}
	return programName + " " + c.command
}

// longFlag finds a flag name of two letters or more written with one dash,
// as the flag package writes it in its errors.
var longFlag = regexp.MustCompile(`(^|\s)-([A-Za-z][A-Za-z0-9-]+)`)

// doubleDash rewrites the flag package's "-retries" as "--retries", as this
// tool's help writes long flags; "-v" keeps its single dash.
func doubleDash(msg string) string {
	return longFlag.ReplaceAllString(msg, "$1--$2")
}

// newFlagSet returns a FlagSet that reports nothing itself: parse prints
// errors and help in this tool's words, on the right stream.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}
