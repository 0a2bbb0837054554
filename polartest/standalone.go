package polartest

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// The options for serving the fake stand-alone, as polar-sessions fake
// does: to tests in other languages, over a port they are told.

// WithControlAPI mounts the control API under /_polartest/, at the
// server's root (not under WithBasePath's prefix): JSON routes through
// which a test in another language does what a Go test does with the
// Server's methods, calling those same methods: add and delete customers
// and members, Script faults, AdvanceClock, read Requests, Reset. Its
// requests are answered before Polar's layers and are not recorded in
// Requests. Without the option, the default, /_polartest/ is a path like
// any other, answered 404 as Polar answers it. The README's "Testing from
// any language" and polar-sessions fake --help list the routes.
func WithControlAPI() ServerOption {
	return func(c *config) { c.control = true }
}

// WithListener serves on l instead of a loopback port httptest chooses,
// as polar-sessions fake serves on its --addr; URL reports l's address,
// 127.0.0.1 for one on every address (0.0.0.0, or :: on both families).
// The server takes l over and closes it with Close.
func WithListener(l net.Listener) ServerOption {
	if l == nil {
		panic("polartest: WithListener(nil)")
	}
	return func(c *config) { c.listener = l }
}

// WithLogger logs one line per request at level Info once it is answered:
// its method, its path (tokens in it redacted, the query left out), the
// status answered (0 for a fault's answer written by hand on the
// connection: a reset, a truncated body, or one dropped unanswered) and how
// long the answer took. Control API requests are logged too. Nothing else
// of a request, its headers and body with their tokens, is logged.
func WithLogger(l *slog.Logger) ServerOption {
	return func(c *config) { c.logger = l }
}

// faces wraps the fake's Polar handler in what the options ask for: the
// control API in front of it, and the request log around both.
func (s *Server) faces(polar http.Handler) http.Handler {
	h := polar
	if s.cfg.control {
		control := s.controlRoutes()
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isControlPath(r.URL.Path) {
				control.ServeHTTP(w, r)
				return
			}
			polar.ServeHTTP(w, r)
		})
	}
	if s.cfg.logger != nil {
		h = logRequests(s.cfg.logger, h)
	}
	return h
}

// logRequests is WithLogger's layer. It times with the wall clock, not the
// server's, which a test may hold still.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &loggedWriter{ResponseWriter: w}
		defer func() {
			logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("path", rules.Redact(r.URL.Path, "")),
				slog.Int("status", lw.status),
				slog.Duration("duration", time.Since(start)))
		}()
		next.ServeHTTP(lw, r)
		if lw.status == 0 && !lw.hijacked {
			lw.status = http.StatusOK
		}
	})
}

// loggedWriter remembers the status of an answer for the log.
type loggedWriter struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (w *loggedWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *loggedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *loggedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack is the connection's, marking the answer as written by hand: a
// reset's or a truncated body's, which the log shows as status 0.
func (w *loggedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
