package benchmarks

import (
	"context"
	"runtime"
	"testing"
)

// goroutines is the concurrency of the parallel runs.
const goroutines = 64

var variants = []struct {
	name string
	make func(*server) variant
	// tls: also measured over TLS. The generated client differs from the
	// baseline only in code around the round trip, which plain HTTP shows.
	tls bool
}{
	{"baseline", baseline, true},
	{"generated", generated, false},
	{"facade", func(s *server) variant { return facade(s) }, true},
	{"facade+mw", facadeWithMiddleware, false},
	{"facade-noat", facadeNoAttemptTimeout, false},
	{"naive", naive, true},
}

func BenchmarkCreate(b *testing.B) {
	run(b, func(v variant) func(context.Context) error { return v.create })
}

func BenchmarkIntrospect(b *testing.B) {
	run(b, func(v variant) func(context.Context) error { return v.introspect })
}

// run benchmarks op for every variant: over plain HTTP sequentially and from
// 64 goroutines; the client's own code, sequentially, in memory; then over
// TLS with HTTP/1.1 and with HTTP/2 from 64 goroutines against a server
// that takes serverTime to answer. Sequential calls over TLS would measure
// serverTime.
func run(b *testing.B, op func(variant) func(context.Context) error) {
	for _, vr := range variants {
		for _, parallel := range []bool{false, true} {
			mode := "seq"
			if parallel {
				mode = "par64"
			}
			b.Run(vr.name+"/"+mode, func(b *testing.B) {
				measure(b, newServer(b, plain, 0), vr.make, op, parallel)
			})
		}
	}
	for _, vr := range variants[:3] { // baseline, generated, facade
		b.Run(vr.name+"/"+string(inMemory)+"/seq", func(b *testing.B) {
			measure(b, newServer(b, inMemory, 0), vr.make, op, false)
		})
	}
	for _, proto := range []protocol{tlsH1, tlsH2} {
		for _, vr := range variants {
			if !vr.tls {
				continue
			}
			b.Run(vr.name+"/"+string(proto)+"/par64", func(b *testing.B) {
				measure(b, newServer(b, proto, serverTime), vr.make, op, true)
			})
		}
	}
}

// measure times op of the variant made for s, after one warm-up call, and
// reports the connections the server accepted (the warm-up's included).
func measure(b *testing.B, s *server, mk func(*server) variant, op func(variant) func(context.Context) error, parallel bool) {
	v := mk(s)
	defer v.close()
	call := op(v)
	if err := call(context.Background()); err != nil {
		b.Fatal(err)
	}
	timeCalls(b, call, parallel)
	s.report(b)
}

// timeCalls times call, sequentially or from 64 goroutines, and stops the
// timer.
func timeCalls(b *testing.B, call func(context.Context) error, parallel bool) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	if parallel {
		setParallelism(b)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := call(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	} else {
		for b.Loop() {
			if err := call(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
}

// setParallelism has RunParallel start about 64 goroutines: it starts
// parallelism × GOMAXPROCS.
func setParallelism(b *testing.B) {
	b.SetParallelism((goroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
}
