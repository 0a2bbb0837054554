package benchmarks

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

const (
	accessToken  = "polar_oat_BENCHaccessTOKEN0123456789abcdefghijklmnopq"
	sessionToken = "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW"
	customerID   = "992fae2a-2a17-4b7a-8d9e-e287cf90131b"
)

// protocol is how the benchmark server is reached.
type protocol string

const (
	// plain is HTTP/1.1 without TLS: the client's own overhead, with
	// nothing else on the wire.
	plain protocol = ""
	// tlsH1 is TLS offering only HTTP/1.1 in ALPN, as an edge or proxy
	// that does not speak HTTP/2 would.
	tlsH1 protocol = "tls-h1"
	// tlsH2 is TLS offering HTTP/2 in ALPN.
	tlsH2 protocol = "tls-h2"
	// inMemory is no connection at all: the server's handler answers
	// inside the client's RoundTrip. What is left is the CPU of the code
	// around the round trip, without the loopback's scheduling, which on a
	// few vCPUs turns each microsecond of it into several.
	inMemory protocol = "inmem"
)

// serverTime is how long the TLS servers take to answer. Polar does real
// work (and a database write for Create), so requests overlap: on loopback
// with no server time, a connection is free again almost at once and the
// pool sizes that matter in production never show.
const serverTime = 5 * time.Millisecond

// server is a loopback server answering both operations with realistic
// bodies, counting the connections it accepts, the TLS handshakes it
// completes (resumed ones apart) and the requests it gets over the wrong
// HTTP version for its protocol.
type server struct {
	*httptest.Server
	proto   protocol
	delay   time.Duration
	conns   atomic.Int64
	resumed atomic.Int64
	// wrongProto counts requests over another HTTP version than the
	// protocol implies, and handshakes below TLS 1.3: a benchmark whose
	// figures are said to be HTTP/2's must have measured HTTP/2.
	wrongProto atomic.Int64
	// rt, for inMemory, is the transport every variant uses.
	rt http.RoundTripper

	// served maps each connection that carried a request (its client's
	// address) to whether its handshake resumed a session: a transport may
	// dial a connection it then does not use, which conns counts.
	mu     sync.Mutex
	served map[string]bool
}

// newServer starts a server for proto whose handlers wait delay before
// answering. Over TLS it presents httptest's built-in certificate, which
// TestMain makes the process trust.
func newServer(b testing.TB, proto protocol, delay time.Duration) *server {
	b.Helper()
	s := &server{proto: proto, delay: delay}
	created := fixtures.CustomerSessionIndividual()
	introspected := fixtures.CustomerCustomerSession()
	wantMajor := 1
	if proto == tlsH2 {
		wantMajor = 2
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/customer-sessions/", func(w http.ResponseWriter, r *http.Request) {
		s.checkProto(r, wantMajor)
		_, _ = r.Body.Read(make([]byte, 0)) // the body is small; net/http drains it
		if delay > 0 {
			time.Sleep(delay)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(created)
	})
	mux.HandleFunc("GET /v1/customer-portal/customer-session/introspect", func(w http.ResponseWriter, r *http.Request) {
		s.checkProto(r, wantMajor)
		if delay > 0 {
			time.Sleep(delay)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(introspected)
	})
	if proto == inMemory {
		s.Server = &httptest.Server{URL: "http://127.0.0.1:1"} // never dialled
		s.rt = handlerTransport{mux}
		return s
	}
	s.Server = httptest.NewUnstartedServer(mux)
	// Close cuts off handshakes still in flight (a transport dials ahead
	// for a request that a freed connection then serves), and the server
	// would log each.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	switch proto {
	case plain:
		s.Start()
	case tlsH1, tlsH2:
		// VerifyConnection runs on the server at the end of every
		// handshake, client certificate or not.
		s.TLS = &tls.Config{VerifyConnection: func(cs tls.ConnectionState) error {
			if cs.Version != tls.VersionTLS13 {
				s.wrongProto.Add(1) // the figures are said to be TLS 1.3's
			}
			if cs.DidResume {
				s.resumed.Add(1)
			}
			return nil
		}}
		s.EnableHTTP2 = proto == tlsH2
		s.StartTLS()
	default:
		b.Fatalf("unknown protocol %q", proto)
	}
	b.Cleanup(s.Close)
	return s
}

// servedConns counts the connections that carried a request, and those of
// them whose handshake resumed a session.
func (s *server) servedConns() (conns, resumed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.served {
		conns++
		if r {
			resumed++
		}
	}
	return conns, resumed
}

func (s *server) checkProto(r *http.Request, major int) {
	s.mu.Lock()
	if s.served == nil {
		s.served = map[string]bool{}
	}
	s.served[r.RemoteAddr] = r.TLS != nil && r.TLS.DidResume
	s.mu.Unlock()
	if r.ProtoMajor != major || (s.proto == tlsH1 || s.proto == tlsH2) != (r.TLS != nil) {
		s.wrongProto.Add(1)
	}
}

// report adds the server's counts to b's metrics and fails b if a request
// came over the wrong protocol.
func (s *server) report(b *testing.B) {
	b.Helper()
	if n := s.wrongProto.Load(); n > 0 {
		b.Fatalf("%d requests did not use %s", n, s.describe())
	}
	if s.proto == inMemory {
		return // no connections, no server time
	}
	b.ReportMetric(float64(s.conns.Load()), "conns")
	if s.proto != plain {
		b.ReportMetric(float64(s.resumed.Load()), "resumed")
		b.ReportMetric(float64(s.delay)/float64(time.Millisecond), "server-ms")
	}
}

// reportPerOp is report for benchmarks whose every call opens a connection:
// the counts per call, from the last reset.
func (s *server) reportPerOp(b *testing.B) {
	b.Helper()
	if n := s.wrongProto.Load(); n > 0 {
		b.Fatalf("%d requests did not use %s", n, s.describe())
	}
	b.ReportMetric(float64(s.conns.Load())/float64(b.N), "conns/op")
	b.ReportMetric(float64(s.resumed.Load())/float64(b.N), "resumed/op")
	b.ReportMetric(float64(s.delay)/float64(time.Millisecond), "server-ms")
}

// handlerTransport answers a request with its handler, in the caller's
// goroutine, as a server would over the wire.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

func (s *server) describe() string {
	switch s.proto {
	case tlsH1:
		return "HTTP/1.1 over TLS 1.3"
	case tlsH2:
		return "HTTP/2 over TLS 1.3"
	case inMemory:
		return "HTTP/1.1 in memory"
	}
	return "plain HTTP/1.1"
}
