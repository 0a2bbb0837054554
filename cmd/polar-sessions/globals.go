package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

const programName = "polar-sessions"

// Environment variables the tool reads. The access token has no flag on
// purpose: a flag's value lands in shell history and in ps output.
const (
	envAccessToken  = client.EnvAccessToken
	envServer       = "POLAR_SERVER"
	envSessionToken = "POLAR_CUSTOMER_SESSION"
)

const (
	defaultTimeout = 30 * time.Second
	// defaultRetries gives client.DefaultRetryPolicy's three attempts, so
	// the tool retries as the library does unless told otherwise.
	defaultRetries = 2
	// maxRetries bounds --retries. With the default policy's waits (at
	// most 8s each), ten retries already span more than a minute, Polar's
	// rate-limit window; more only hold the terminal.
	maxRetries = 10
)

// globals are the flags every command's FlagSet binds; a command may take
// only some of them (see commandSpec.globals).
type globals struct {
	server  string // as given to --server; "" means POLAR_SERVER, else production
	timeout time.Duration
	retries int
	// apiVersion is --api-version; "" means client.DefaultAPIVersion.
	apiVersion string
	verbose    bool
	version    bool
}

func defaultGlobals() globals {
	return globals{timeout: defaultTimeout, retries: defaultRetries}
}

// register binds the global flags to fs. They are Func flags, which unlike
// StringVar and friends do not reset their variable to a default when
// registered: the command's FlagSet registers them again after the top level
// has parsed, so flags given before the command name keep their values and
// those given after it win.
func (g *globals) register(fs *flag.FlagSet) {
	fs.Func("server", "`production|sandbox|URL` the Polar API to call (default $"+envServer+", else production)",
		func(s string) error {
			if err := checkServerName(s); err != nil {
				return err
			}
			g.server = s
			return nil
		})
	fs.Func("timeout", "`DURATION` bound on each call, retries and waits included, such as 10s or 2m; 0 for none (default "+defaultTimeout.String()+")",
		func(s string) error {
			d, err := time.ParseDuration(s)
			switch {
			case err != nil:
				return errors.New("not a duration such as 10s or 1m")
			case d < 0:
				return errors.New("is negative")
			}
			g.timeout = d
			return nil
		})
	fs.Func("retries", "`N` retries after a failed attempt (429, 5xx, network errors), 0 to "+strconv.Itoa(maxRetries)+"; 0 disables them (default "+strconv.Itoa(defaultRetries)+")",
		func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > maxRetries {
				return fmt.Errorf("must be a whole number from 0 to %d", maxRetries)
			}
			g.retries = n
			return nil
		})
	fs.Func("api-version", "`YYYY-MM` the Polar API version to send, one of "+strings.Join(rules.APIVersions(), ", ")+" (default "+client.DefaultAPIVersion+")",
		func(s string) error {
			if !rules.IsAPIVersion(s) {
				return fmt.Errorf("is not a Polar API version, YYYY-MM, such as %s", client.DefaultAPIVersion)
			}
			g.apiVersion = s
			return nil
		})
	fs.BoolFunc("v", "log each request (method, path, status, attempt, duration) on stderr; never a token",
		func(s string) error {
			v, err := strconv.ParseBool(s)
			g.verbose = v
			return err
		})

	fs.BoolFunc("version", "print the version ("+client.Version+") and exit",
		func(s string) error {
			v, err := strconv.ParseBool(s)
			g.version = v
			return err
		})
}

// checkServerName refuses a --server value that is neither a server name
// nor a URL, such as a mistyped name: taken as a URL, it would only earn a
// puzzling "scheme" error.
func checkServerName(s string) error {
	switch {
	case s == "":
		return errors.New("is empty; use production, sandbox or an https:// URL")
	case s == "production", s == "sandbox", strings.Contains(s, "://"):
		return nil
	}
	return errors.New("is not a server name or URL; use production, sandbox or an https:// URL")
}

// globalFlagSet holds only the global flags, for help.
func globalFlagSet() *flag.FlagSet {
	fs := newFlagSet("")
	g := defaultGlobals()
	g.register(fs)
	return fs
}

// serverURL resolves --server, then POLAR_SERVER, to a base URL; a name it
// does not know is taken as a URL for the client to check.
func (c *cli) serverURL() string {
	s := c.server
	if s == "" {
		s = c.env(envServer)
	}
	switch s {
	case "", "production":
		return client.ServerProduction
	case "sandbox":
		return client.ServerSandbox
	}
	return s
}

// clientOptions turns the global flags into client options; logger may be
// nil.
func (c *cli) clientOptions(logger *slog.Logger) []client.Option {
	opts := []client.Option{
		client.WithUserAgent(programName + "/" + client.Version),
		client.WithTimeout(c.timeout),
		client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: c.retries + 1}),
		client.WithLogger(logger),
	}
	if c.apiVersion != "" {
		opts = append(opts, client.WithAPIVersion(c.apiVersion))
	}
	return opts
}

// newClient returns a client for the server the flags and environment name;
// opts come last and win.
func (c *cli) newClient(opts ...client.Option) (*client.Client, error) {
	var logger *slog.Logger
	if c.verbose {
		// The client logs no token, body or portal URL, so debug level is
		// safe to show.
		logger = slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: roundDurations}))
	}
	server := c.server
	if server == "" {
		server = c.env(envServer)
		if err := checkServerName(server); server != "" && err != nil {
			return nil, &client.InputError{Field: "server URL", Problem: err.Error()}
		}
	}
	base := append(c.clientOptions(logger), client.WithServerURL(c.serverURL()))
	return client.New(append(base, opts...)...)
}

// inputNames maps the client's names for refused input (InputError.Field)
// to what the user set it with, so that a message names a flag or variable
// they know. extra holds the command's own mappings.
func (c *cli) inputNames(extra map[string]string) map[string]string {
	server := "--server"
	if c.server == "" {
		server = envServer
	}
	names := map[string]string{
		"server URL":      server,
		"WithTimeout":     "--timeout",
		"WithRetryPolicy": "--retries",
		"WithAPIVersion":  "--api-version",
		"WithAccessToken": envAccessToken,
		"access token":    envAccessToken,
	}
	maps.Copy(names, extra)
	return names
}
