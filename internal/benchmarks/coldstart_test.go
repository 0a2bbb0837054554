package benchmarks

import (
	"context"
	"crypto/tls"
	"net/http"
	"testing"

	"github.com/polarsessions/polarsessions-go/client"
)

// coldVariants are the ways of reaching the server that the cold-start
// benchmarks compare. baseline and cache run the client on the benchmarks'
// copy of its tuned transport, without and with a TLS session cache, so
// that the cache's worth is measured in the same run whatever the client's
// own transport does; facade is the client's own transport, as New builds
// it.
var coldVariants = []struct {
	name string
	make func(*server) variant
}{
	{"baseline", func(s *server) variant { return onTransport(s, tunedTransport()) }},
	{"cache", func(s *server) variant {
		tr := tunedTransport()
		tr.TLSClientConfig = &tls.Config{ClientSessionCache: tls.NewLRUClientSessionCache(0)}
		return onTransport(s, tr)
	}},
	{"facade", func(s *server) variant { return facade(s) }},
}

// onTransport is the client on an HTTP client of its own making around tr.
func onTransport(s *server, tr *http.Transport) variant {
	hc := &http.Client{Transport: tr}
	v := facade(s, client.WithHTTPClient(hc))
	v.close = tr.CloseIdleConnections
	return v
}

// BenchmarkColdStart times the calls that pay for a connection, over TLS
// with each protocol, against a server that answers at once (so the figure
// is the client's set-up and the handshake, not the server's work):
//
//   - new: from New to the first completed Create: building the client, a
//     TCP connection, a full TLS handshake, one request.
//   - idle: a Create on a client whose pool was emptied by
//     CloseIdleConnections, as after IdleConnTimeout: a new connection, whose
//     handshake can resume an earlier session if the client keeps a session
//     cache.
//
// conns/op and resumed/op are the connections the server accepted per call
// and how many of their handshakes resumed a session.
func BenchmarkColdStart(b *testing.B) {
	for _, proto := range []protocol{tlsH1, tlsH2} {
		for _, mode := range []string{"new", "idle"} {
			for _, vr := range coldVariants {
				if vr.name == "cache" && mode == "new" {
					continue // a new client's cache is empty
				}
				b.Run(vr.name+"/"+string(proto)+"/"+mode, func(b *testing.B) {
					s := newServer(b, proto, 0)
					if mode == "new" {
						coldNew(b, s, vr.make)
					} else {
						coldIdle(b, s, vr.make)
					}
					s.reportPerOp(b)
				})
			}
		}
	}
}

func coldNew(b *testing.B, s *server, mk func(*server) variant) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		v := mk(s)
		if err := v.create(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		v.close()
		b.StartTimer()
	}
	b.StopTimer()
}

func coldIdle(b *testing.B, s *server, mk func(*server) variant) {
	ctx := context.Background()
	v := mk(s)
	defer v.close()
	// The first connection's handshake is a full one, whatever the client
	// keeps; from then on a session cache has a ticket to offer.
	if err := v.create(ctx); err != nil {
		b.Fatal(err)
	}
	s.conns.Store(0)
	s.resumed.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		v.close()
		b.StartTimer()
		if err := v.create(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
}
