package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
BenchmarkCreate/baseline/seq-2   1000  50000 ns/op  0 conns  10000 B/op  100 allocs/op
BenchmarkCreate/baseline/seq-2   1000  40000 ns/op  0 conns  10000 B/op  100 allocs/op
BenchmarkCreate/baseline/seq-2   1000  60000 ns/op  0 conns  10000 B/op  100 allocs/op
BenchmarkCreate/facade/seq-2     1000  52000 ns/op  0 conns  11000 B/op  130 allocs/op
BenchmarkCreate/baseline/par64-2 1000  20000 ns/op  63 conns 10000 B/op  100 allocs/op
BenchmarkCreate/facade/par64-2   1000  21000 ns/op  63 conns 11000 B/op  110 allocs/op
BenchmarkCreate/naive/par64-2    1000  42000 ns/op  900 conns 15000 B/op 150 allocs/op
BenchmarkHeapFlat-2             100000 50000 ns/op  -96 heap-growth-B  200000 heap-live-B  12000 B/op  131 allocs/op
PASS
`

func TestTable(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	med, ok := res.median("Create/baseline/seq", "ns/op")
	require.True(t, ok)
	assert.Equal(t, 50000.0, med, "median of three runs")

	var out strings.Builder
	write(&out, res)
	got := out.String()
	assert.Contains(t, got, "| Create/facade/seq | 1 | 52000 | 11000 | 130 | 0 | – | 1.04× (1.04–1.04) | 1.30× |",
		"unpaired (3 baseline runs, 1 facade run): ratio of medians")
	assert.Contains(t, got, "| Create/naive/par64 | 1 | 42000 | 15000 | 150 | 900 | – | 2.10× (2.10–2.10) | 1.50× |")
	assert.Contains(t, got, "| HeapFlat | 1 | 50000 | 12000 | 131 | – | heap-growth-B -96, heap-live-B 200000 | – | – |",
		"metrics without a column of their own")
	plain := " | plain HTTP/1.1 on loopback, server answers at once | "
	assert.Contains(t, got, "| Create seq: facade ≤ 1.15× baseline ns/op"+plain+"1.04× (quartiles 1.04–1.04) | met |")
	assert.Contains(t, got, "| Create seq: facade allocs ≤ baseline + 25%"+plain+"130 vs 100 (1.30×) | MISSED |")
	assert.Contains(t, got, "| Create par64: facade throughput ≥ 1.5× naive"+plain+"2.00× (quartiles 2.00–2.00) | met |")
	assert.Contains(t, got, "| Create par64: facade opens ≤ 64 connections"+plain+"63 (naive: 900, 0.9 a call) | met |")
	assert.Contains(t, got, "| 100k calls leave the heap flat (growth ≤ 64 KiB)"+plain+"-96 B | met |")
	assert.NotContains(t, got, "make bench at commit", "no heading without a commit or a cpu line")
}

const tlsSample = `cpu: Test CPU @ 3GHz
BenchmarkCreate/baseline/tls-h1/par64-2 1000 100000 ns/op 64 conns 0 resumed 5 server-ms 15000 B/op 140 allocs/op
BenchmarkCreate/facade/tls-h1/par64-2   1000 105000 ns/op 64 conns 0 resumed 5 server-ms 16000 B/op 150 allocs/op
BenchmarkCreate/naive/tls-h1/par64-2    1000 700000 ns/op 1350 conns 0 resumed 5 server-ms 99000 B/op 800 allocs/op
BenchmarkCreate/baseline/tls-h2/par64-2 1000 100000 ns/op 1 conns 0 resumed 5 server-ms 16000 B/op 126 allocs/op
BenchmarkCreate/facade/tls-h2/par64-2   1000 98000 ns/op 1 conns 0 resumed 5 server-ms 16000 B/op 134 allocs/op
BenchmarkCreate/naive/tls-h2/par64-2    1000 100000 ns/op 1 conns 0 resumed 5 server-ms 16000 B/op 132 allocs/op
BenchmarkCreate/baseline/tls-h1/par64-2 1000 200000 ns/op 64 conns 0 resumed 5 server-ms 15000 B/op 140 allocs/op
BenchmarkCreate/facade/tls-h1/par64-2   1000 220000 ns/op 64 conns 0 resumed 5 server-ms 16000 B/op 150 allocs/op
BenchmarkCreate/naive/tls-h1/par64-2    1000 1100000 ns/op 1250 conns 0 resumed 5 server-ms 99000 B/op 800 allocs/op
BenchmarkCreate/baseline/tls-h2/par64-2 1000 100000 ns/op 1 conns 0 resumed 5 server-ms 16000 B/op 126 allocs/op
BenchmarkCreate/facade/tls-h2/par64-2   1000 102000 ns/op 1 conns 0 resumed 5 server-ms 16000 B/op 134 allocs/op
BenchmarkCreate/naive/tls-h2/par64-2    1000 104000 ns/op 1 conns 0 resumed 5 server-ms 16000 B/op 132 allocs/op
BenchmarkColdStart/baseline/tls-h1/new-2  100 2000000 ns/op 1 conns/op 0 resumed/op 0 server-ms 150000 B/op 1000 allocs/op
BenchmarkColdStart/facade/tls-h1/new-2    100 2100000 ns/op 1 conns/op 0 resumed/op 0 server-ms 150000 B/op 1000 allocs/op
BenchmarkColdStart/baseline/tls-h1/idle-2 100 2000000 ns/op 1 conns/op 0 resumed/op 0 server-ms 150000 B/op 1000 allocs/op
BenchmarkColdStart/cache/tls-h1/idle-2    100 1000000 ns/op 1 conns/op 1 resumed/op 0 server-ms 160000 B/op 1100 allocs/op
BenchmarkColdStart/facade/tls-h1/idle-2   100 2000000 ns/op 1 conns/op 0 resumed/op 0 server-ms 150000 B/op 1000 allocs/op
BenchmarkRetryCost/default-2 4000 90000 ns/op 1.185 requests/call 1.221 requests/success 97.05 success-%
BenchmarkRetryCost/off-2     4000 75000 ns/op 1 requests/call 1.2165 requests/success 82.2 success-%
BenchmarkOversizedBody/chunked-2        10 3000000 ns/op 4194304 limit-B 4246544 B/op 223 allocs/op
BenchmarkOversizedBody/content-length-2 10 500000 ns/op 4194304 limit-B 22322 B/op 179 allocs/op
`

// TLS benchmarks pair with the baseline of their own protocol, their
// targets and summary rows name the protocol and the server time, and the
// summary carries the cold-start and retry-cost figures.
func TestTLSTable(t *testing.T) {
	res, err := parse(strings.NewReader(tlsSample))
	require.NoError(t, err)
	res.commit = "abc1234"
	var out strings.Builder
	write(&out, res)
	got := out.String()

	assert.True(t, strings.HasPrefix(got, "make bench at commit abc1234, on Test CPU @ 3GHz\n"), got)
	assert.Contains(t, got, "| Create/facade/tls-h1/par64 | 2 | 162500 | 16000 | 150 | 64 | resumed 0, server-ms 5 | 1.08× (1.06–1.09) | 1.07× |",
		"paired with Create/baseline/tls-h1/par64: ratios 1.05 and 1.10")
	assert.Contains(t, got, "| Create/facade/tls-h2/par64 | 2 | 100000 | 16000 | 134 | 1 | resumed 0, server-ms 5 | 1.00× (0.99–1.01) | 1.06× |")
	assert.Contains(t, got, "| ColdStart/cache/tls-h1/idle | 1 | 1000000 | 160000 | 1100 | – | conns/op 1, resumed/op 1, server-ms 0 | 0.50× (0.50–0.50) | 1.10× |")
	assert.Contains(t, got, "| RetryCost/default | 1 | 90000 | 0 | 0 | – | requests/call 1.19, requests/success 1.22, success-% 97 | – | – |")

	h1 := " | TLS 1.3, HTTP/1.1 on loopback, server answers in 5 ms | "
	h2 := " | TLS 1.3, HTTP/2 on loopback, server answers in 5 ms | "
	assert.Contains(t, got, "| Create par64: facade ≤ 1.15× baseline ns/op"+h1+"1.08× (quartiles 1.06–1.09) | met |")
	assert.Contains(t, got, "| Create par64: facade throughput ≥ 3× naive"+h1+"5.83× (quartiles 5.42–6.25) | met |",
		"per-run ratios 700/105 and 1100/220")
	assert.Contains(t, got, "| Create par64: facade opens ≤ 64 connections"+h1+"64 (naive: 1300, 1.3 a call) | met |")
	assert.Contains(t, got, "| Create par64: facade throughput ≥ 0.9× naive (both multiplex one connection)"+h2+"1.02× (quartiles 1.02–1.02) | met |")
	assert.Contains(t, got, "| Create par64: facade opens ≤ 1 connection"+h2+"1 (naive: 1) | met |")
	assert.NotContains(t, got, "Introspect par64", "no target without its benchmarks")
	assert.Contains(t, got, "| 64 MiB body (chunked) refused allocating ≤ 3× the 4 MiB limit | plain HTTP/1.1 on loopback, server answers at once | 4.05 MiB | met |")

	summary := got[strings.Index(got, "README summary:"):]
	for _, row := range []string{
		"| facade ÷ baseline, time per call, 64 goroutines" + h1 + "1.08× | – |",
		"| throughput vs Go's default transport, 64 goroutines" + h1 + "5.83× | – |",
		"| connections (each a full TLS handshake) opened by 64 goroutines, facade vs Go's default transport" + h1 + "64 vs 1,300 (1.3 a call) | – |",
		"| throughput vs Go's default transport, 64 goroutines" + h2 + "1.02× | – |",
		"| from New to the first completed call (a full TLS handshake) | TLS 1.3, HTTP/1.1 on loopback, server answers at once | 2.10 ms | – |",
		"| a call after the pool went idle, no TLS session cache vs one | TLS 1.3, HTTP/1.1 on loopback, server answers at once | 2.00 ms vs 1.00 ms (0.50×, quartiles 0.50–0.50) | – |",
		"| requests per successful call, DefaultRetryPolicy, 20% of requests faulted | plain HTTP/1.1 on loopback, 64 goroutines, polartest's random faults | 1.22 (1.19 per call, 97.0% succeed) | – |",
		"| requests per successful call, no retries, 20% of requests faulted | plain HTTP/1.1 on loopback, 64 goroutines, polartest's random faults | 1.22 (1.00 per call, 82.2% succeed) | – |",
		"| allocated refusing a 64 MiB body (4 MiB limit), chunked vs with Content-Length | plain HTTP/1.1 on loopback, server answers at once | 4.05 MiB vs 0.02 MiB | – |",
	} {
		assert.Contains(t, summary, row)
	}
	assert.NotContains(t, summary, "HTTP/2 on loopback, server answers at once", "no cold-start rows without their benchmarks")
}

func TestBaselineOf(t *testing.T) {
	for name, want := range map[string]string{
		"Create/facade/seq":           "Create/baseline/seq",
		"Create/naive/tls-h1/par64":   "Create/baseline/tls-h1/par64",
		"ColdStart/cache/tls-h2/idle": "ColdStart/baseline/tls-h2/idle",
	} {
		got, ok := baselineOf(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, got)
	}
	got, ok := baselineOf("FakeIntrospect/polartest/par64")
	assert.True(t, ok)
	assert.Equal(t, "FakeIntrospect/floor/par64", got, "the fake is compared with the floor server")
	for _, name := range []string{"HeapFlat", "RetryCost/default", "a/b/c/d/e"} {
		_, ok := baselineOf(name)
		assert.False(t, ok, name)
	}
}

func TestThousands(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 64: "64", 999: "999", 1000: "1,000", 2542.4: "2,542", 1234567: "1,234,567", -1234: "-1,234", -123: "-123"} {
		assert.Equal(t, want, thousands(v), v)
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	_, err := parse(strings.NewReader("BenchmarkX-2 10 abc ns/op\n"))
	assert.Error(t, err)
}

// Runs pair up by order: the median of the per-run ratios, not the ratio of
// the medians, so that drift between runs cancels.
func TestPairedRatio(t *testing.T) {
	res, err := parse(strings.NewReader(`BenchmarkA/baseline/seq-2 1 100 ns/op
BenchmarkA/facade/seq-2 1 105 ns/op
BenchmarkA/baseline/seq-2 1 200 ns/op
BenchmarkA/facade/seq-2 1 210 ns/op
BenchmarkA/baseline/seq-2 1 150 ns/op
BenchmarkA/facade/seq-2 1 300 ns/op
`))
	require.NoError(t, err)
	mid, lo, hi, ok := res.ratio("A/facade/seq", "A/baseline/seq", "ns/op")
	require.True(t, ok)
	assert.InDelta(t, 1.05, mid, 1e-9, "ratios 1.05, 1.05, 2.0")
	assert.InDelta(t, 1.05, lo, 1e-9)
	assert.InDelta(t, 1.525, hi, 1e-9)
}

// The hooks' target compares the facade with middleware and a limiter to
// the plain facade of the same run; the attempt timeout's cost is reported.
func TestMiddlewareTargetAndAttemptTimeoutCost(t *testing.T) {
	res, err := parse(strings.NewReader(`BenchmarkCreate/baseline/seq-2 1 100000 ns/op 0 B/op 100 allocs/op
BenchmarkCreate/facade/seq-2 1 104000 ns/op 0 B/op 110 allocs/op
BenchmarkCreate/facade+mw/seq-2 1 106080 ns/op 0 B/op 112 allocs/op
BenchmarkCreate/facade-noat/seq-2 1 100000 ns/op 0 B/op 103 allocs/op
BenchmarkIntrospect/facade/seq-2 1 100000 ns/op
BenchmarkIntrospect/facade+mw/seq-2 1 112000 ns/op
`))
	require.NoError(t, err)
	var out strings.Builder
	write(&out, res)
	got := out.String()
	assert.Contains(t, got, "| Create seq: facade with a no-op middleware and a limiter ≤ 1.10× facade ns/op | plain HTTP/1.1 on loopback, server answers at once | 1.02× (quartiles 1.02–1.02) | met |")
	assert.Contains(t, got, "| Introspect seq: facade with a no-op middleware and a limiter ≤ 1.10× facade ns/op | plain HTTP/1.1 on loopback, server answers at once | 1.12× (quartiles 1.12–1.12) | MISSED |")
	assert.Contains(t, got, "| the 5s per-attempt timeout: facade ÷ facade without it, time per call, sequential | plain HTTP/1.1 on loopback, server answers at once | 1.04× | – |")
	assert.Contains(t, got, "| the 5s per-attempt timeout: allocations per call, facade vs facade without it | plain HTTP/1.1 on loopback, server answers at once | 110 vs 103 | – |")
}

func TestRateLimitSummary(t *testing.T) {
	res, err := parse(strings.NewReader(`BenchmarkRateLimit/cooldown-on-2 1 8000000000 ns/op 244.0 completed 4.000 failed 2002 p50-ms 4036 p99-ms 130.0 refused 374.0 requests
BenchmarkRateLimit/cooldown-off-2 1 8000000000 ns/op 244.0 completed 52.00 failed 3.865 p50-ms 4012 p99-ms 248.0 refused 492.0 requests
`))
	require.NoError(t, err)
	var out strings.Builder
	writeSummary(&out, res)
	got := out.String()
	assert.Contains(t, got, "| requests refused (429), cooldown on vs off | plain HTTP/1.1 on loopback, 64 goroutines for 6 s, polartest allowing 60 requests per 2 s window | 130 vs 248 | – |")
	assert.Contains(t, got, "| latency of completed calls, p50, cooldown on vs off | plain HTTP/1.1 on loopback, 64 goroutines for 6 s, polartest allowing 60 requests per 2 s window | 2002 ms vs 4 ms | – |")
}

func TestPortalSummary(t *testing.T) {
	res, err := parse(strings.NewReader(`BenchmarkPortalVisit/reuse-2 1 50000 ns/op
BenchmarkPortalVisit/noreuse-2 1 200000 ns/op
BenchmarkPortalVisit/reuse-2 1 60000 ns/op
BenchmarkPortalVisit/noreuse-2 1 200000 ns/op
`))
	require.NoError(t, err)
	var out strings.Builder
	writeSummary(&out, res)
	assert.Contains(t, out.String(), "| a portal visit with Reuse ÷ without, time per visit | plain HTTP/1.1 on loopback: an httptest server running portal.Handler, polartest behind it | 0.28× (quartiles 0.26–0.29) | – |")
}

// The in-memory benchmarks give the summary the CPU of each variant's code
// around the round trip.
func TestInMemoryRow(t *testing.T) {
	res, err := parse(strings.NewReader(`BenchmarkCreate/baseline/inmem/seq-2 1 15000 ns/op
BenchmarkCreate/generated/inmem/seq-2 1 18000 ns/op
BenchmarkCreate/facade/inmem/seq-2 1 23500 ns/op
`))
	require.NoError(t, err)
	var out strings.Builder
	write(&out, res)
	assert.Contains(t, out.String(), "| CPU of the code around the round trip per call: baseline / generated / facade (on a caller's HTTP client) | "+
		"in memory: the server's handler answers inside RoundTrip, no connection | 15.0 µs / 18.0 µs / 23.5 µs | – |")
}

// The fake's benchmarks pair polartest with the floor server of the same
// run, in the table and in the summary, with calls per second.
func TestFakeRows(t *testing.T) {
	res, err := parse(strings.NewReader(`BenchmarkFakeCreate/floor/seq-2 1 50000 ns/op 1 conns 15000 B/op 148 allocs/op
BenchmarkFakeCreate/polartest/seq-2 1 80000 ns/op 1 conns 24000 B/op 238 allocs/op
BenchmarkFakeCreate/floor/seq-2 1 60000 ns/op 1 conns 15000 B/op 148 allocs/op
BenchmarkFakeCreate/polartest/seq-2 1 90000 ns/op 1 conns 24000 B/op 238 allocs/op
BenchmarkFakeIntrospect/floor/par64-2 1 40000 ns/op 64 conns
BenchmarkFakeIntrospect/polartest/par64-2 1 50000 ns/op 64 conns
`))
	require.NoError(t, err)
	var out strings.Builder
	write(&out, res)
	got := out.String()
	assert.Contains(t, got, "| FakeCreate/polartest/seq | 2 | 85000 | 24000 | 238 | 1 | – | 1.55× (1.52–1.58) | 1.61× |", "ratios 1.6 and 1.5")
	cond := " | plain HTTP/1.1 on loopback, the facade against polartest and against a server answering fixed bytes | "
	assert.Contains(t, got, "| polartest ÷ the floor server, time per call, sequential"+cond+"1.55× (quartiles 1.52–1.58) | – |")
	assert.Contains(t, got, "| calls per second, polartest vs the floor server, sequential"+cond+"11,765 vs 18,182 | – |")
	assert.Contains(t, got, "| polartest ÷ the floor server, time per call, 64 goroutines"+cond+"– | 1.25× (quartiles 1.25–1.25) |")
	assert.Contains(t, got, "| calls per second, polartest vs the floor server, 64 goroutines"+cond+"– | 20,000 vs 25,000 |")
}
