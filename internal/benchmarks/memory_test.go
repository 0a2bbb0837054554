package benchmarks

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/polarsessions/polarsessions-go/client"
)

// BenchmarkHeapFlat makes b.N Create calls (make bench uses 100,000) and
// reports how much the live heap grew between the first thousand calls and
// the end, after a GC each time: a leak of even a few bytes a call shows.
func BenchmarkHeapFlat(b *testing.B) {
	s := newServer(b, plain, 0)
	v := facade(s)
	defer v.close()
	ctx := context.Background()
	const warmup = 1000
	for range warmup {
		if err := v.create(ctx); err != nil {
			b.Fatal(err)
		}
	}
	before := liveHeap()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := v.create(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := liveHeap()
	b.ReportMetric(float64(after)-float64(before), "heap-growth-B")
	b.ReportMetric(float64(after), "heap-live-B")
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC() // the second pass frees what the first pass's finalizers released
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// oversized is the size of the body the server sends: 16 × the client's 4
// MiB read limit.
const oversized = 64 << 20

// BenchmarkOversizedBody has the server answer a 201 with a 64 MiB body and
// reports the bytes the client allocates refusing it: about the 4 MiB limit
// when the body is chunked, next to nothing when Content-Length gives it away.
func BenchmarkOversizedBody(b *testing.B) {
	chunk := make([]byte, 1<<20)
	for _, chunked := range []bool{false, true} {
		name := "content-length"
		if chunked {
			name = "chunked"
		}
		b.Run(name, func(b *testing.B) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(oversized))
				}
				w.WriteHeader(http.StatusCreated)
				for range oversized / len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return // the client hung up, as it should
					}
				}
			}))
			defer ts.Close()
			c, err := client.New(client.WithServerURL(ts.URL), client.WithAccessToken(accessToken))
			if err != nil {
				b.Fatal(err)
			}
			defer c.CloseIdleConnections()
			req := client.CreateCustomerSessionRequest{CustomerID: customerID}
			b.ReportAllocs()
			for b.Loop() {
				_, err := c.CustomerSessions.Create(context.Background(), req)
				if !errors.Is(err, client.ErrResponseTooLarge) {
					b.Fatalf("want ErrResponseTooLarge, got %v", err)
				}
			}
			b.ReportMetric(4<<20, "limit-B")
		})
	}
}
