package polartest

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// ServerOption configures a Server built by NewServer.
type ServerOption func(*config)

type config struct {
	clock     func() time.Time
	basePath  string
	orgSlug   string
	rateLimit int
	rateEvery time.Duration
	random    *RandomFaults
	// memberModel is the organization's member_model_enabled.
	memberModel bool
	// versions are the Polar-Version values served, gen.APIVersion among
	// them.
	versions []string
	// control mounts the control API (WithControlAPI).
	control bool
	// listener replaces httptest's loopback listener (WithListener).
	listener net.Listener
	// logger logs each request (WithLogger).
	logger *slog.Logger
	// requestsKept bounds the records of Requests, 0 for none
	// (WithRequestsKept).
	requestsKept int
}

func defaultConfig() config {
	return config{clock: time.Now, orgSlug: "polartest", memberModel: true, versions: APIVersions()}
}

// WithClock sets the clock the server reads for created_at and expires_at,
// session expiry and the rate-limit window. The default is time.Now.
func WithClock(now func() time.Time) ServerOption {
	if now == nil {
		panic("polartest: WithClock(nil)")
	}
	return func(c *config) { c.clock = now }
}

// WithRateLimit lets n requests through per window and answers the rest
// with 429, an empty body and a retry-after header, as Polar does, giving
// the whole seconds until the window resets (at least 1). (Polar's limiter,
// asgi-ratelimit, gives the window's whole length instead, 60 for its
// per-minute rules, however much of it is left.) Windows are fixed: one
// opens with the first request after the previous one has ended. Requests
// answered by an injected fault, or refused by the body size limit or the
// version check, do not count against the budget.
func WithRateLimit(n int, window time.Duration) ServerOption {
	if n <= 0 || window <= 0 {
		panic(fmt.Sprintf("polartest: WithRateLimit(%d, %v): both must be positive", n, window))
	}
	return func(c *config) { c.rateLimit, c.rateEvery = n, window }
}

// WithBasePath mounts the API under a path prefix, as an API gateway would,
// so a client that builds absolute paths instead of resolving them against
// its base URL fails. URL includes the prefix. It panics on a prefix
// ParseBasePath refuses: one that a URL cannot hold as it is, or that is
// the control API's /_polartest.
func WithBasePath(prefix string) ServerOption {
	prefix, err := ParseBasePath(prefix)
	if err != nil {
		panic("polartest: WithBasePath: " + err.Error())
	}
	return func(c *config) { c.basePath = prefix }
}

// WithOrganizationSlug sets the slug of the organization that owns the
// server's tokens and customers; it appears in customer_portal_url. The
// default is "polartest".
func WithOrganizationSlug(slug string) ServerOption {
	if slug == "" {
		panic("polartest: empty organization slug")
	}
	return func(c *config) { c.orgSlug = slug }
}

// WithRandomFaults faults each request with probability rf.Rate, the kind
// drawn uniformly from rf.Kinds, from a generator seeded with rf.Seed: the
// same seed gives the same sequence of faults for the same sequence of
// requests. Scripted faults take precedence and do not consume a draw.
func WithRandomFaults(rf RandomFaults) ServerOption {
	rf = rf.withDefaults()
	if err := rf.validate(); err != nil {
		panic("polartest: " + err.Error())
	}
	return func(c *config) { c.random = &rf }
}

// WithMemberModel sets whether the server's organization has Polar's member
// model (its feature setting member_model_enabled). The default is true:
// Polar turns the member model on for every organization it creates today.
//
// With the member model, POST /v1/customer-sessions/ creates a member
// session (a polar_mst_ token) for one member of the customer: the member
// given by member_id or external_member_id, which must belong to that
// customer; without either, an individual customer's owner member, which
// the server creates from the customer on first use as Polar does; a team
// customer without either is refused with 422. See AddMember.
//
// WithMemberModel(false) is an organization created before Polar introduced
// members: create makes a customer session (a polar_cst_ token) and accepts
// and ignores member_id and external_member_id.
//
// Introspection accepts live sessions of both kinds either way, as Polar
// does.
func WithMemberModel(enabled bool) ServerOption {
	return func(c *config) { c.memberModel = enabled }
}

// WithAPIVersions sets the Polar-Version values the server serves, in place
// of APIVersions: a test can retire a version, as Polar will, or add one it
// has announced. gen.APIVersion, which a request without the header gets,
// is always served. Any other value is answered 404, as Polar does, and each
// answer's Polar-Version is the version served. Each must be of Polar's
// form, YYYY-MM.
func WithAPIVersions(versions ...string) ServerOption {
	for _, v := range versions {
		if !rules.IsAPIVersion(v) {
			panic(fmt.Sprintf("polartest: WithAPIVersions(%q): Polar's versions are YYYY-MM", v))
		}
	}
	versions = servedVersions(versions)
	return func(c *config) { c.versions = versions }
}

// WithRequestsKept keeps only the last n requests for Requests (and the
// control API's GET /_polartest/requests), dropping the oldest as new ones
// arrive, so that a server that runs for hours, as polar-sessions fake in a
// docker-compose file, does not grow without bound: each record holds the
// request's headers and body (up to 10 MiB). The default, for a server
// that lives as long as a test, keeps every request. Stats counts them all
// either way. n must not be negative; 0 is the default.
func WithRequestsKept(n int) ServerOption {
	if n < 0 {
		panic(fmt.Sprintf("polartest: WithRequestsKept(%d): negative", n))
	}
	return func(c *config) { c.requestsKept = n }
}
