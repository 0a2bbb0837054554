package benchmarks

import (
	"context"
	"testing"
)

// The TLS benchmarks measure what their names say: each variant reaches
// its server over TLS 1.3 with the HTTP version of the name (the server
// counts any other), trusting the certificate only through the system roots
// TestMain set, so client.New() runs unmodified. The cold-start variants
// open a connection per call, and only the one with a session cache resumes. make test runs this; make bench relies on it.
func TestTLSVariants(t *testing.T) {
	ctx := context.Background()
	for _, proto := range []protocol{tlsH1, tlsH2} {
		for _, vr := range variants {
			if !vr.tls {
				continue
			}
			t.Run(vr.name+"/"+string(proto), func(t *testing.T) {
				s := newServer(t, proto, 0)
				v := vr.make(s)
				defer v.close()
				for range 2 {
					if err := v.create(ctx); err != nil {
						t.Fatal(err)
					}
					if err := v.introspect(ctx); err != nil {
						t.Fatal(err)
					}
				}
				if n := s.wrongProto.Load(); n > 0 {
					t.Errorf("%d requests did not use %s", n, s.describe())
				}
				if n := s.conns.Load(); n != 1 {
					t.Errorf("%d connections for 4 sequential calls, want 1", n)
				}
			})
		}
		for _, vr := range coldVariants {
			t.Run("cold/"+vr.name+"/"+string(proto), func(t *testing.T) {
				s := newServer(t, proto, 0)
				v := vr.make(s)
				defer v.close()
				for range 2 {
					if err := v.create(ctx); err != nil {
						t.Fatal(err)
					}
					v.close()
				}
				if n := s.wrongProto.Load(); n > 0 {
					t.Errorf("%d requests did not use %s", n, s.describe())
				}
				// Counted among the connections that carried a request: under
				// load a transport may dial one it then does not use.
				conns, resumed := s.servedConns()
				if conns != 2 {
					t.Errorf("%d connections carried the calls, want one per call after closing idle ones", conns)
				}
				// The facade resumes if and only if the client's own
				// transport keeps a session cache: not checked here.
				want := map[string]int{"baseline": 0, "cache": 1}
				if w, ok := want[vr.name]; ok && resumed != w {
					t.Errorf("%d of them resumed a session, want %d", resumed, w)
				}
			})
		}
	}
}
