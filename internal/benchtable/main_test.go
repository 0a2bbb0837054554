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
	assert.Contains(t, got, "| Create/facade/seq | 1 | 52000 | 11000 | 130 | 0 | 1.04× (1.04–1.04) | 1.30× |",
		"unpaired (3 baseline runs, 1 facade run): ratio of medians")
	assert.Contains(t, got, "| Create/naive/par64 | 1 | 42000 | 15000 | 150 | 900 | 2.10× (2.10–2.10) | 1.50× |")
	assert.Contains(t, got, "| Create seq: facade ≤ 1.10× baseline ns/op | 1.04× (quartiles 1.04–1.04) | met |")
	assert.Contains(t, got, "| Create seq: facade allocs ≤ baseline + 25% | 130 vs 100 (1.30×) | MISSED |")
	assert.Contains(t, got, "| Create par64: facade throughput ≥ 1.5× naive | 2.00× (quartiles 2.00–2.00) | met |")
	assert.Contains(t, got, "| Create par64: facade opens ≤ 64 connections | 63 (naive: 900) | met |")
	assert.Contains(t, got, "| 100k calls leave the heap flat (growth ≤ 64 KiB) | -96 B | met |")
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
