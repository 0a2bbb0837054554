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
}{
	{"baseline", baseline},
	{"generated", generated},
	{"facade", func(s *server) variant { return facade(s) }},
	{"naive", naive},
}

func BenchmarkCreate(b *testing.B) {
	run(b, func(v variant) func(context.Context) error { return v.create })
}

func BenchmarkIntrospect(b *testing.B) {
	run(b, func(v variant) func(context.Context) error { return v.introspect })
}

// run benchmarks op for every variant, sequentially and from 64 goroutines,
// and reports the connections the server accepted as "conns".
func run(b *testing.B, op func(variant) func(context.Context) error) {
	for _, vr := range variants {
		for _, parallel := range []bool{false, true} {
			mode := "seq"
			if parallel {
				mode = "par64"
			}
			b.Run(vr.name+"/"+mode, func(b *testing.B) {
				s := newServer(b)
				v := vr.make(s)
				defer v.close()
				call := op(v)
				ctx := context.Background()
				if err := call(ctx); err != nil { // warm up one connection
					b.Fatal(err)
				}
				s.conns.Store(0)
				b.ReportAllocs()
				b.ResetTimer()
				if parallel {
					// RunParallel starts parallelism × GOMAXPROCS goroutines.
					b.SetParallelism((goroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
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
				b.ReportMetric(float64(s.conns.Load()), "conns")
			})
		}
	}
}
