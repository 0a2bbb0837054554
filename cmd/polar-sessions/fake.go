package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/rules"
)

// defaultFakeAddr is where polar-sessions fake listens without --addr.
const defaultFakeAddr = "127.0.0.1:8790"

// defaultKeepRequests is how many requests the fake keeps for GET
// /_polartest/requests without --keep-requests: enough for any test's
// checks, and a bound for a fake that runs for hours.
const defaultKeepRequests = 1000

// fakeCmd is "polar-sessions fake": polartest's server, stand-alone, for
// tests in any language.
type fakeCmd struct {
	addr        string
	public      bool
	seedFile    string
	tokens      []string
	memberModel bool
	basePath    string
	slug        string
	rateLimit   int
	rateWindow  time.Duration
	faultRate   float64
	faultSeed   uint64
	faultKinds  []polartest.FaultKind
	keep        int // requests kept for GET /_polartest/requests
}

func newFakeCmd() *fakeCmd {
	return &fakeCmd{addr: defaultFakeAddr, memberModel: true, rateWindow: time.Minute, keep: defaultKeepRequests}
}

func (cmd *fakeCmd) flags(fs *flag.FlagSet) {
	fs.StringVar(&cmd.addr, "addr", cmd.addr, "`HOST:PORT` where to listen, a loopback host unless --public; port 0 picks a free one, an empty host is 127.0.0.1 (default "+defaultFakeAddr+")")
	fs.BoolVar(&cmd.public, "public", false, "allow a --addr that is not loopback, such as 0.0.0.0:8790 in a container: the fake then hands out real-looking sessions to the network")
	fs.StringVar(&cmd.seedFile, "seed", "", "JSON `FILE` of customers and members to start with, and to return to on POST /_polartest/reset")
	fs.Func("access-token", "the organization `TOKEN` the fake accepts and prints, polar_oat_ then letters and digits as Polar's tokens; may be repeated, the first is printed (default a random one)",
		func(s string) error {
			// Checked by run: the flag package would quote a refused value
			// in its error, and what follows a token's refused character is
			// no token's shape that redaction finds.
			cmd.tokens = append(cmd.tokens, s)
			return nil
		})
	fs.BoolVar(&cmd.memberModel, "member-model", cmd.memberModel, "the organization has Polar's member model (default true); --member-model=false is an older organization, from before members: polar_cst_ sessions")
	fs.StringVar(&cmd.basePath, "base-path", "", "serve the API under `PREFIX`, as behind a gateway: path segments of letters, digits and -._~!$&'()*+,;=:@, not /_polartest; POLAR_SERVER includes it, the control API stays at the root")
	fs.StringVar(&cmd.slug, "organization-slug", "polartest", "the organization's `SLUG`, in customer_portal_url (default polartest)")
	fs.Func("rate-limit", "`N` requests per --rate-window, then 429 with Retry-After, as Polar's limiter (default no limit)",
		func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				return errors.New("must be a whole number above 0")
			}
			cmd.rateLimit = n
			return nil
		})
	fs.Func("rate-window", "`DURATION`, the length of --rate-limit's window (default 1m)",
		func(s string) error {
			d, err := time.ParseDuration(s)
			if err != nil || d <= 0 {
				return errors.New("must be a positive duration such as 1m")
			}
			cmd.rateWindow = d
			return nil
		})
	fs.Func("fault-rate", "`RATE`, from 0 to 1, the fraction of requests given a random fault (default 0)",
		func(s string) error {
			r, err := strconv.ParseFloat(s, 64)
			if err != nil || !(r >= 0 && r <= 1) {
				return errors.New("must be a number from 0 to 1")
			}
			cmd.faultRate = r
			return nil
		})
	fs.Func("fault-seed", "`N` seeds --fault-rate's draws: the same seed, the same faults (default 0)",
		func(s string) error {
			n, err := strconv.ParseUint(s, 10, 64)
			cmd.faultSeed = n
			if err != nil {
				return errors.New("must be a whole number")
			}
			return nil
		})
	fs.Func("keep-requests", fmt.Sprintf("`N`, how many of the latest requests GET /_polartest/requests lists; older ones are dropped, so that a long-running fake does not grow; 0 keeps all (default %d)", defaultKeepRequests),
		func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return errors.New("must be a whole number, 0 or more")
			}
			cmd.keep = n
			return nil
		})
	fs.Func("fault-kinds", "`KINDS` for --fault-rate to draw from, comma-separated: "+faultKindNames()+" (default all)",
		func(s string) error {
			cmd.faultKinds = nil
			for _, name := range strings.Split(s, ",") {
				kind, ok := faultKind(strings.TrimSpace(name))
				if !ok {
					return fmt.Errorf("%q is not one of %s", name, faultKindNames())
				}
				cmd.faultKinds = append(cmd.faultKinds, kind)
			}
			return nil
		})
}

func faultKind(name string) (polartest.FaultKind, bool) {
	for _, k := range polartest.RandomFaultKinds() {
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}

func faultKindNames() string {
	var names []string
	for _, k := range polartest.RandomFaultKinds() {
		names = append(names, k.String())
	}
	return strings.Join(names, ",")
}

func (cmd *fakeCmd) run(ctx context.Context, c *cli) int {
	for i, t := range cmd.tokens {
		if !rules.IsToken(t, rules.PrefixOrganizationToken) {
			return c.usageError(c.command, "--access-token (the %s): must be %s followed by letters and digits, as Polar's tokens are",
				ordinal(i+1), rules.PrefixOrganizationToken)
		}
	}
	network, host, addr, err := cmd.listenAddr()
	if err != nil {
		return c.usageError(c.command, "--addr %s", err)
	}
	basePath, err := polartest.ParseBasePath(cmd.basePath)
	if err != nil {
		return c.usageError(c.command, "--base-path %s: %s", shown(cmd.basePath), strings.ReplaceAll(err.Error(), cmd.basePath, shown(cmd.basePath)))
	}
	var seed polartest.Seed
	if cmd.seedFile != "" {
		data, err := os.ReadFile(cmd.seedFile)
		if err == nil {
			seed, err = polartest.ParseSeed(data)
		}
		if err != nil {
			return c.usageError(c.command, "--seed %s: %s", cmd.seedFile, err)
		}
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		// The error quotes the host, which may be anything pasted there.
		fmt.Fprintf(c.stderr, "%s: --addr %s: %s\n", c.where(), shown(addr),
			rules.Redact(strings.ReplaceAll(err.Error(), host, shown(host)), ""))
		return exitUnreachable
	}
	srv := polartest.NewServer(cmd.options(c, l)...)
	defer srv.Close()
	if err := srv.Load(seed); err != nil {
		return c.usageError(c.command, "--seed %s: %s", cmd.seedFile, err)
	}
	token := srv.AccessToken()
	for i, t := range cmd.tokens {
		srv.AddAccessToken(t, polartest.ScopeCustomerSessionsWrite)
		if i == 0 {
			token = t
		}
	}
	if _, err := fmt.Fprintf(c.stdout, "%s=%s\n%s=%s\n", envServer, srv.URL(), envAccessToken, token); err != nil {
		fmt.Fprintf(c.stderr, "%s: writing the server's address: %s\n", c.where(), err)
		return exitOutput
	}
	root := strings.TrimSuffix(srv.URL(), basePath)
	fmt.Fprintf(c.stderr, "%s: serving a fake Polar API at %s, its control API at %s/_polartest/; stop it with Ctrl-C or SIGTERM\n",
		c.where(), srv.URL(), root)
	<-ctx.Done()
	srv.Close() // returns once every handler has: delayed ones are cut short
	return exitOK
}

// listenAddr checks --addr: a loopback host unless --public, an empty host
// taken as 127.0.0.1, a port a number (net.Listen would look a name up as
// a service). It returns the network, the host and the address to listen
// on: "tcp4" for an IPv4 address, so that 0.0.0.0 is every IPv4 address,
// not IPv6's too (on which Go listens for "tcp"), and "tcp" otherwise.
func (cmd *fakeCmd) listenAddr() (network, host, addr string, err error) {
	host, port, err := net.SplitHostPort(cmd.addr)
	if err != nil {
		why := "is not HOST:PORT"
		if ae := (*net.AddrError)(nil); errors.As(err, &ae) {
			why += ": " + ae.Err // without the address, which may be anything
		}
		return "", "", "", errors.New(why)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", "", "", fmt.Errorf("port %s is not a number from 0 to 65535", shown(strconv.Quote(port)))
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if !cmd.public && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", "", "", fmt.Errorf("host %s is not loopback: the fake would be on the network; add --public if that is meant", shown(host))
	}
	network = "tcp"
	if ip.To4() != nil {
		network = "tcp4"
	}
	return network, host, net.JoinHostPort(host, port), nil
}

// shown is a value given on the command line as a message may quote it:
// whole, or "[redacted]" whole when it holds a secret's shape, of which
// redaction alone would leave what follows a character no token has.
func shown(s string) string {
	if rules.Redact(s, "") != s {
		return rules.Redacted
	}
	return s
}

// options are the server's options from the flags.
func (cmd *fakeCmd) options(c *cli, l net.Listener) []polartest.ServerOption {
	opts := []polartest.ServerOption{
		polartest.WithListener(l),
		polartest.WithControlAPI(),
		polartest.WithMemberModel(cmd.memberModel),
		polartest.WithBasePath(cmd.basePath), // checked by run
		polartest.WithRequestsKept(cmd.keep),
	}
	if cmd.slug != "" {
		opts = append(opts, polartest.WithOrganizationSlug(cmd.slug))
	}
	if cmd.rateLimit > 0 {
		opts = append(opts, polartest.WithRateLimit(cmd.rateLimit, cmd.rateWindow))
	}
	if cmd.faultRate > 0 {
		opts = append(opts, polartest.WithRandomFaults(polartest.RandomFaults{Seed: cmd.faultSeed, Rate: cmd.faultRate, Kinds: cmd.faultKinds}))
	}
	if c.verbose {
		// The log holds method, path (tokens redacted), status and
		// duration: never a header or a body.
		opts = append(opts, polartest.WithLogger(slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{ReplaceAttr: roundDurations}))))
	}
	return opts
}

// ordinal writes n as "1st", "2nd", "3rd", "4th"….
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
