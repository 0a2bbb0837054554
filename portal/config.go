package portal

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

// ErrNoCustomer is what Config.Customer returns when the visitor is not
// signed in, or has no billing identity: the handler answers 401 and sends
// nothing to Polar. It may be wrapped; the handler matches it with errors.Is.
var ErrNoCustomer = errors.New("portal: no signed-in customer")

// MaxKeptSessions bounds how many sessions a Handler keeps for reuse. When
// it is reached, sessions too close to expiry are dropped first, then the
// oldest (every session lives an hour, so the oldest is also the nearest to
// expiry). A dropped session is not revoked: the next visit of its customer
// creates a new one.
const MaxKeptSessions = 10_000

// Config configures a Handler. Client and Customer are required.
type Config struct {
	// Client creates the sessions. Its options (access token, server,
	// retry policy, timeout, logger) apply to every create. The handler
	// uses this one client for every visit and never makes its own.
	Client *client.Client

	// Customer says who is asking: it maps the visit to the customer, and
	// for team customers the member, whose portal to open. Identify the
	// visitor from your own sign-in (a session cookie, your auth
	// middleware's context), never from anything the visitor can choose:
	// a query parameter naming a customer would open anyone's portal to
	// anyone. Return ErrNoCustomer when nobody is signed in; any other
	// error answers 500 and is logged as returned.
	//
	// With the member model, a team customer needs MemberID or
	// ExternalMemberID: without one Polar refuses the create, and the
	// handler answers 500 and logs why.
	Customer func(r *http.Request) (client.CreateCustomerSessionRequest, error)

	// ReturnURL, when set, is the ReturnURL of every request that Customer
	// leaves without one: Polar's portal then shows a back button to it.
	// It must be an absolute http(s) URL; New refuses any other. The
	// handler never takes a return URL from the visit itself (a query
	// parameter, a form field, the Referer): that would make the handler
	// an open redirect through Polar's portal. To send visitors back to
	// where they came from, have Customer choose among URLs you trust.
	ReturnURL string

	// Reuse, when positive, lets visits share a live session instead of
	// creating one each: a kept session is handed out again while at least
	// Reuse of its life remains, so every visitor gets a link valid for at
	// least Reuse. Zero, the default, creates a session on every visit.
	// Reuse must be less than a session's lifetime (rules.SessionLifetime,
	// an hour). See the package documentation for what reuse means for
	// security, and why it is off by default.
	Reuse time.Duration

	// Logger receives one line per visit: at debug level for a success, an
	// anonymous visitor or a wrong method, at warn or error level for a
	// failure (see the package documentation). No line holds a token or a
	// portal URL. nil logs nothing.
	Logger *slog.Logger

	// Now is the clock reuse decisions read; nil means time.Now. Tests
	// that move a fake server's clock (polartest.WithClock) pass the same
	// clock here.
	Now func() time.Time
}

// check refuses a Config the handler cannot work with.
func (c Config) check() error {
	switch {
	case c.Client == nil:
		return errors.New("portal: Config.Client is required")
	case c.Customer == nil:
		return errors.New("portal: Config.Customer is required")
	case c.Reuse < 0:
		return fmt.Errorf("portal: Config.Reuse is negative (%s)", c.Reuse)
	case c.Reuse >= rules.SessionLifetime:
		return fmt.Errorf("portal: Config.Reuse (%s) must be less than a session's lifetime (%s), or no session could ever be reused",
			c.Reuse, rules.SessionLifetime)
	}
	if c.ReturnURL != "" {
		if _, v := rules.PrepareReturnURL(c.ReturnURL); v != nil {
			return fmt.Errorf("portal: Config.ReturnURL %s", v.Reason)
		}
	}
	return nil
}
