package benchmarks

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

const (
	accessToken  = "polar_oat_BENCHaccessTOKEN0123456789abcdefghijklmnopq"
	sessionToken = "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW"
	customerID   = "992fae2a-2a17-4b7a-8d9e-e287cf90131b"
)

// server is a loopback server answering both operations with realistic
// bodies, counting the connections it accepts.
type server struct {
	*httptest.Server
	conns atomic.Int64
}

func newServer(b *testing.B) *server {
	b.Helper()
	created := fixtures.CustomerSessionIndividual()
	introspected := fixtures.CustomerCustomerSession()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/customer-sessions/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = r.Body.Read(make([]byte, 0)) // the body is small; net/http drains it
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(created)
	})
	mux.HandleFunc("GET /v1/customer-portal/customer-session/introspect", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(introspected)
	})
	s := &server{}
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	b.Cleanup(s.Close)
	return s
}
