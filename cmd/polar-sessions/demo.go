package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// The demo's customers, the team's member, and the made-up token of its
// last step.
const (
	demoExternalID       = "usr_demo"
	demoTeamExternalID   = "team_demo"
	demoMemberExternalID = "mem_grace"
	demoReturnURL        = "https://example.com/account"
	demoBogusToken       = "polar_mst_madeUpForTheDemo0000000000000000000000"
)

// demoCmd is "polar-sessions demo".
type demoCmd struct{}

func (demoCmd) flags(*flag.FlagSet) {}

func (demoCmd) run(ctx context.Context, c *cli) int {
	start := time.Now()
	srv := polartest.NewServer()
	defer srv.Close()
	d := &demo{out: c.stdout, srv: srv}
	d.done("started a fake Polar API at %s (package polartest: no account, no network)", srv.URL())
	d.done("its organization has the member model, as every organization Polar creates today: sessions are for members")

	// The server's own token, never POLAR_ACCESS_TOKEN, and its URL, never
	// POLAR_SERVER: the demo must not touch a real account.
	api, err := client.New(append(c.clientOptions(d.logger(c.verbose)),
		client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()))...)
	if err != nil {
		return c.fail(err, nil)
	}
	defer api.CloseIdleConnections()
	d.api = api

	for _, step := range []func(context.Context) error{d.createAndIntrospect, d.teamMember, d.retry, d.typedErrors, d.portal} {
		if err := step(ctx); err != nil {
			return c.fail(err, nil)
		}
	}
	d.done("demo finished in %s", roundUp(time.Since(start)))
	return exitOK
}

// demo holds what the demo's steps share.
type demo struct {
	out io.Writer
	srv *polartest.Server
	api *client.Client
}

// step announces what happens next; done reports that it worked.
func (d *demo) step(format string, args ...any) { fmt.Fprintf(d.out, "→ "+format+"\n", args...) }
func (d *demo) done(format string, args ...any) { fmt.Fprintf(d.out, "✓ "+format+"\n", args...) }

// logger shows the client's log lines in the demo's output, under the step
// that caused them: what the library would write to an application's log.
func (d *demo) logger(verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(logIndent{d.out}, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // noise in a demo
			}
			return roundDurations(groups, a)
		},
	}))
}

// logIndent prefixes each Write with an indent. slog's TextHandler writes a
// record in one Write, so each log line is indented once.
type logIndent struct{ w io.Writer }

func (l logIndent) Write(p []byte) (int, error) {
	if _, err := io.WriteString(l.w, "    log: "+string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (d *demo) createAndIntrospect(ctx context.Context) error {
	cust := d.srv.AddCustomer(polartest.Customer{ExternalID: demoExternalID, Email: "ada@example.com", Name: "Ada Lovelace"})
	d.done("seeded customer %s: %s <%s>", cust.ExternalID, cust.Name, cust.Email)

	sess, err := d.api.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{
		ExternalCustomerID: demoExternalID,
		ReturnURL:          demoReturnURL,
	})
	if err != nil {
		return err
	}
	d.done("created session for %s (%s), expires %s (%s), portal URL %s",
		demoExternalID, sess.CustomerType(), sess.ExpiresAt.Format(time.RFC3339),
		relative(sess.ExpiresAt, time.Now()), shortPortalURL(sess.CustomerPortalURL.Reveal(), sess.Token.Reveal()))
	if owners := d.srv.Members(cust.ID); len(owners) == 1 {
		d.done("it is a member session (%s…) for the customer's %s member <%s>, created on first use as Polar does",
			sess.Token.Reveal()[:len("polar_mst_")], owners[0].Role, owners[0].Email)
	}

	info, err := d.api.CustomerPortal.CustomerSession.Introspect(ctx, sess.Token.Reveal())
	if err != nil {
		return err
	}
	d.done("introspected its token: expires %s, return URL %s", info.ExpiresAt.Format(time.RFC3339), orNone(info.ReturnURL))
	return nil
}

// teamMember shows the member model's rule for teams: a session is for one
// member, and Polar refuses to guess which.
func (d *demo) teamMember(ctx context.Context) error {
	team := d.srv.AddCustomer(polartest.Customer{Type: polartest.CustomerTeam, ExternalID: demoTeamExternalID, Name: "Analytical Engines Ltd"})
	member := d.srv.AddMember(polartest.Member{CustomerID: team.ID, ExternalID: demoMemberExternalID, Email: "grace@example.com", Name: "Grace Hopper"})
	d.done("seeded team %s: %s, with member %s: %s <%s>", team.ExternalID, team.Name, member.ExternalID, member.Name, member.Email)

	d.step("creating a session for team %s without saying which member", demoTeamExternalID)
	req := client.CreateCustomerSessionRequest{ExternalCustomerID: demoTeamExternalID}
	_, err := d.api.CustomerSessions.Create(ctx, req)
	var validation *client.ValidationError
	if !errors.As(err, &validation) {
		return fmt.Errorf("demo: want a *client.ValidationError, got %v", err)
	}
	d.done("*client.ValidationError: %s; %s", clientMessage(validation.APIError), strings.Join(fieldErrors(validation, nil), "; "))

	d.step("again with ExternalMemberID %q", demoMemberExternalID)
	req.ExternalMemberID = demoMemberExternalID
	sess, err := d.api.CustomerSessions.Create(ctx, req)
	if err != nil {
		return err
	}
	portal, err := url.Parse(sess.CustomerPortalURL.Reveal())
	if err != nil {
		return fmt.Errorf("demo: portal URL: %w", err)
	}
	d.done("created a member session (%s…) for %s of %s (%s): its portal URL carries the member's email, %s",
		sess.Token.Reveal()[:len("polar_mst_")], member.Name, demoTeamExternalID, sess.CustomerType(), portal.Query().Get("email"))
	return nil
}

func (d *demo) retry(ctx context.Context) error {
	d.step("scripting a 429 (Retry-After: 1s), then a 503, for the next creates")
	d.srv.Script(polartest.RouteCreate, polartest.RateLimited(time.Second), polartest.Status(http.StatusServiceUnavailable))
	before := len(d.srv.Requests())
	start := time.Now()
	if _, err := d.api.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: demoExternalID}); err != nil {
		return err
	}
	took := time.Since(start)
	var statuses []string
	for _, r := range d.srv.Requests()[before:] {
		statuses = append(statuses, strconv.Itoa(r.Status))
	}
	d.done("created a session anyway: %d attempts in %s, the server answered %s",
		len(statuses), roundUp(took), strings.Join(statuses, ", "))
	return nil
}

func (d *demo) typedErrors(ctx context.Context) error {
	d.step("creating a session for usr_nobody, a customer the server does not know")
	_, err := d.api.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_nobody"})
	var validation *client.ValidationError
	if !errors.As(err, &validation) {
		return fmt.Errorf("demo: want a *client.ValidationError, got %v", err)
	}
	d.done("*client.ValidationError: %s; %s", clientMessage(validation.APIError), strings.Join(fieldErrors(validation, nil), "; "))

	d.step("introspecting a made-up session token")
	_, err = d.api.CustomerPortal.CustomerSession.Introspect(ctx, demoBogusToken)
	var api *client.APIError
	if !errors.Is(err, client.ErrUnauthorized) || !errors.As(err, &api) {
		return fmt.Errorf("demo: want an error matching client.ErrUnauthorized, got %v", err)
	}
	d.done("errors.Is(err, client.ErrUnauthorized), %d, Code %q\n    %s", api.StatusCode, api.Code, api.Hint())
	return nil
}

// shortPortalURL cuts a portal URL a few characters into its token: enough
// to recognise, short enough to read.
func shortPortalURL(portalURL, token string) string {
	const keep = len("polar_cst_") + 6
	i := strings.Index(portalURL, token)
	if i < 0 || len(token) <= keep {
		return portalURL
	}
	return portalURL[:i+keep] + "…"
}
