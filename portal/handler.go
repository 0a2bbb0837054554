package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

// sharedCreateTimeout bounds a create that visits share (with Reuse): it
// does not end when the visit that started it goes away, so something else
// must end it.
const sharedCreateTimeout = 30 * time.Second

// Handler sends the signed-in visitor to their customer portal. Create one
// with New; it is safe for concurrent use, and needs no closing: a create
// that visits share ends within 30 seconds of its start.
type Handler struct {
	client    *client.Client
	customer  func(*http.Request) (client.CreateCustomerSessionRequest, error)
	returnURL string
	log       *slog.Logger
	reuse     *reuser // nil without Config.Reuse
}

// New returns a Handler for cfg. It refuses a Config without Client or
// Customer, a negative Reuse or one of an hour or more, and a ReturnURL that
// is not an absolute http(s) URL.
func New(cfg Config) (*Handler, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	h := &Handler{
		client:    cfg.Client,
		customer:  cfg.Customer,
		returnURL: cfg.ReturnURL,
		log:       cfg.Logger,
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Reuse > 0 {
		now := cfg.Now
		if now == nil {
			now = time.Now
		}
		h.reuse = newReuser(h.create, now, cfg.Reuse, MaxKeptSessions, sharedCreateTimeout)
	}
	return h, nil
}

// ServeHTTP answers a GET or POST with a 303 to the visitor's portal, or
// with {"url": …, "expires_at": …} when the request accepts
// application/json. See the package documentation for every answer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	asJSON := wantsJSON(r.Header)
	if h == nil || h.client == nil || h.customer == nil || h.log == nil {
		// A Handler not made by New: answer, rather than panic.
		writeError(w, asJSON, outcome{status: http.StatusInternalServerError})
		return
	}
	// A panic in Config.Customer or Config.Now still gets an answer with
	// the security headers, and one log line, rather than a dropped
	// connection.
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.fail(w, r, asJSON, outcome{status: http.StatusInternalServerError, cause: "panic", level: slog.LevelError,
				hint: "Config.Customer or Config.Now panicked"}, fmt.Errorf("panic: %v", p), client.CreateCustomerSessionRequest{}, false)
		}
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		h.fail(w, r, asJSON, outcome{status: http.StatusMethodNotAllowed, cause: "method", level: slog.LevelDebug},
			nil, client.CreateCustomerSessionRequest{}, false)
		return
	}
	req, err := h.customer(r)
	if err != nil {
		o := outcome{status: http.StatusUnauthorized, cause: "no_customer", level: slog.LevelDebug}
		if !errors.Is(err, ErrNoCustomer) {
			o = outcome{status: http.StatusInternalServerError, cause: "customer_func", level: slog.LevelError,
				hint: "Config.Customer failed"}
		}
		h.fail(w, r, asJSON, o, err, req, false)
		return
	}
	if req.ReturnURL == "" {
		req.ReturnURL = h.returnURL
	}

	var l link
	var shared bool
	if h.reuse != nil {
		l, shared, err = h.reuse.get(r.Context(), req)
	} else {
		l, err = h.create(r.Context(), req)
	}
	if err != nil {
		h.fail(w, r, asJSON, classify(r.Context(), err), err, req, shared)
		return
	}
	h.log.LogAttrs(r.Context(), slog.LevelDebug, "portal: sent visitor to portal",
		append(customerAttrs(req),
			slog.Bool("json", asJSON),
			slog.Bool("shared", shared),
			slog.Time("expires_at", l.expiresAt))...)
	writeLink(w, asJSON, l)
}

// errPortalURL is a created session whose portal URL is no absolute https
// URL: the handler redirects to nothing else (never to javascript:).
var errPortalURL = errors.New("portal: Polar's customer_portal_url is not an absolute https URL")

// create asks Polar for a session.
func (h *Handler) create(ctx context.Context, req client.CreateCustomerSessionRequest) (link, error) {
	s, err := h.client.CustomerSessions.Create(ctx, req)
	if err != nil {
		return link{}, err
	}
	if u, err := url.Parse(s.CustomerPortalURL.Reveal()); err != nil || u.Scheme != "https" || u.Host == "" {
		return link{}, errPortalURL
	}
	return link{url: s.CustomerPortalURL, expiresAt: s.ExpiresAt, createdAt: s.CreatedAt}, nil
}

// fail answers a failed visit and logs it once.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, asJSON bool, o outcome, err error,
	req client.CreateCustomerSessionRequest, shared bool) {
	attrs := append([]slog.Attr{
		slog.Int("status", o.status),
		slog.String("cause", o.cause),
	}, customerAttrs(req)...)
	attrs = append(attrs, o.attrs...)
	if shared {
		attrs = append(attrs, slog.Bool("shared", true))
	}
	if err != nil {
		// The client's errors hold no secret; the application's own (from
		// Config.Customer) might, so they pass the same redaction.
		attrs = append(attrs, slog.String("err", rules.Redact(err.Error(), "")))
	}
	msg := "portal: visit failed"
	if o.hint != "" {
		msg += ": " + o.hint
	}
	h.log.LogAttrs(r.Context(), o.level, msg, attrs...)
	writeError(w, asJSON, o)
}

// customerAttrs names the customer and member a visit was for, by the
// fields set: the IDs are the application's own data, never a secret.
func customerAttrs(req client.CreateCustomerSessionRequest) []slog.Attr {
	var attrs []slog.Attr
	for _, f := range [...]struct{ key, value string }{
		{"customer_id", req.CustomerID},
		{"external_customer_id", req.ExternalCustomerID},
		{"member_id", req.MemberID},
		{"external_member_id", req.ExternalMemberID},
	} {
		if f.value != "" {
			attrs = append(attrs, slog.String(f.key, f.value))
		}
	}
	return attrs
}
