package polartest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/polarsessions/polarsessions-go/gen"
)

// Server is a fake Polar API listening on loopback. Create one with
// NewServer and Close it when done.
type Server struct {
	ts      *httptest.Server
	url     string // URL's
	cfg     config
	orgID   string
	limiter *rateLimiter  // nil without WithRateLimit
	random  *randomFaults // nil without WithRandomFaults

	// closing is closed by Close so that delayed handlers stop waiting and
	// httptest.Server.Close, which waits for every handler, returns.
	closing   chan struct{}
	closeOnce sync.Once
	// clockOffset is how far AdvanceClock has moved the clock, in
	// nanoseconds, ahead of the clock of WithClock.
	clockOffset atomic.Int64

	mu          sync.Mutex
	accessToken string
	tokens      map[string][]string // organization access token → scopes
	customers   map[string]Customer // by ID, deleted ones left out
	externalIDs map[string]string   // external ID → customer ID
	members     map[string]Member   // by ID, deleted ones left out
	memberIDs   map[string][]string // customer ID → its members' IDs, in the order added
	// The IDs of deleted customers and members: Polar keeps their rows, so
	// no new customer or member can take them.
	deletedCustomers, deletedMembers map[string]bool
	sessions                         map[string]session // by token
	seed                             *state             // what Reset restores; nil before Load
	scripts                          map[Route][]Fault  // pending scripted faults
	requests                         []*Request         // in arrival order
	stats                            Stats
}

// NewServer starts a fake Polar server on a loopback port. It owns one
// organization, with the member model unless WithMemberModel(false) says
// otherwise, and one access token for it (AccessToken), and no customers.
// Options panic on invalid arguments, as httptest.NewServer panics when it
// cannot listen: both are mistakes in the test, not conditions to handle.
func NewServer(opts ...ServerOption) *Server {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &Server{
		cfg:              cfg,
		orgID:            newUUID(),
		closing:          make(chan struct{}),
		tokens:           map[string][]string{},
		customers:        map[string]Customer{},
		externalIDs:      map[string]string{},
		members:          map[string]Member{},
		memberIDs:        map[string][]string{},
		deletedCustomers: map[string]bool{},
		deletedMembers:   map[string]bool{},
		sessions:         map[string]session{},
		scripts:          map[Route][]Fault{},
		stats:            Stats{Faults: map[FaultKind]int{}},
	}
	base := cfg.clock
	s.cfg.clock = func() time.Time { return base().Add(time.Duration(s.clockOffset.Load())) }
	if cfg.rateLimit > 0 {
		s.limiter = &rateLimiter{limit: cfg.rateLimit, window: cfg.rateEvery, clock: s.cfg.clock}
	}
	if cfg.random != nil {
		s.random = newRandomFaults(*cfg.random)
	}
	s.accessToken = s.AddAccessToken("", ScopeCustomerSessionsWrite)
	s.ts = httptest.NewUnstartedServer(s.handler())
	if cfg.listener != nil {
		_ = s.ts.Listener.Close() // httptest's own, not yet serving
		s.ts.Listener = cfg.listener
	}
	s.ts.Config.ConnState = s.countConn
	s.ts.Start()
	s.url = clientURL(s.ts.Listener.Addr()) + cfg.basePath
	return s
}

// clientURL is the URL for clients of a server listening on addr: an
// unspecified address (0.0.0.0, or :: listening on both families, as Go's
// "tcp" does), which is no address to connect to, is 127.0.0.1.
func clientURL(addr net.Addr) string {
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return "http://" + host
}

// handler assembles the server from the outside in, as Polar's middleware
// stack runs (see middleware.go): what a proxy in front sees (the record,
// injected faults), then Polar's layers, then its router, then the
// generated handler, whose strict middleware authenticates for the
// operation handlers.
func (s *Server) handler() http.Handler {
	strict := gen.NewStrictHandlerWithOptions(operations{s},
		[]gen.StrictMiddlewareFunc{s.authenticate},
		gen.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  writeInternalError, // readBody hands on only JSON
			ResponseErrorHandlerFunc: writeInternalError,
		})
	h := gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseURL:    s.cfg.basePath,
		BaseRouter: http.NewServeMux(),
	})
	layers := []func(http.Handler) http.Handler{
		s.edge,         // the record; injected faults
		serveErrors,    // ServerErrorMiddleware: 500 for an unhandled error
		s.checkVersion, // APIVersionMiddleware: 404, Polar-Version
		limitBodySize,  // MaxBodySizeMiddleware: 411, 413
		s.rewritePath,  // PathRewriteMiddleware: /api/v1, X-Polar-Deprecation-Notice
		s.rateLimit,    // the rate limiter: 429
		s.identify,     // AuthSubjectMiddleware: 401 invalid_token
		cacheControl,   // CacheControlMiddleware: Cache-Control
		s.route,        // the router: 404, 405, 307; create's body read
	}
	for i := len(layers) - 1; i >= 0; i-- {
		h = layers[i](h)
	}
	return s.faces(h) // the control API and the request log, if asked for
}

// countConn counts accepted connections for Stats.
func (s *Server) countConn(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		s.mu.Lock()
		s.stats.Connections++
		s.mu.Unlock()
	}
}

// URL is the base URL to give a client: scheme, loopback host and port (or
// WithListener's host, 127.0.0.1 for one listening on every address), and
// the base path of WithBasePath, without a trailing slash.
func (s *Server) URL() string { return s.url }

// Client returns an *http.Client configured for the server, as
// httptest.Server.Client does; Close closes its idle connections.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// OrganizationID is the ID of the organization that owns the server's access
// tokens and customers.
func (s *Server) OrganizationID() string { return s.orgID }

// OrganizationSlug is the organization's slug, as it appears in
// customer_portal_url.
func (s *Server) OrganizationSlug() string { return s.cfg.orgSlug }

// MemberModel reports whether the server's organization has Polar's member
// model; see WithMemberModel.
func (s *Server) MemberModel() bool { return s.cfg.memberModel }

// Close stops the server. Requests held by a delay are dropped at once rather
// than waited for, and so is every connection with a request in flight, one
// whose body is still coming included, so Close returns promptly, whatever
// the clients do; it blocks until every handler has returned, so no goroutine
// of the server outlives it (a reset's or a truncated answer's, whose
// connection the fault took over, ends by itself at once). Close may be
// called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	// First no new connections, then none of the open ones: a handler
	// reading a body or writing an answer fails at once and returns.
	// httptest's Close then waits for their goroutines to end.
	_ = s.ts.Listener.Close()
	s.ts.CloseClientConnections()
	s.ts.Close()
}
