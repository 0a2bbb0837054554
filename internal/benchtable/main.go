// Command benchtable turns `go test -bench` output (on stdin) into the
// tables make bench prints: the median of every metric over the runs, each
// variant's ratio to the baseline measured in the same run, whether the
// performance targets are met, and the README's Performance table, each
// figure with the protocol and conditions it was measured under. It reports;
// it never fails a build.
//
// Usage:
//
//	benchtable [-commit REV] < bench.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	commit := flag.String("commit", "", "the commit the benchmarks ran on, for the tables' heading")
	flag.Parse()
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results on stdin")
		os.Exit(1)
	}
	res.commit = *commit
	write(os.Stdout, res)
}

// results holds every sample of every metric, by benchmark name (without
// the -GOMAXPROCS suffix) and unit.
type results struct {
	order   []string
	samples map[string]map[string][]float64
	units   map[string][]string // by name, in the order they appear
	cpu     string              // the "cpu:" line of go test
	commit  string
}

var procSuffix = regexp.MustCompile(`-\d+$`)

func parse(r io.Reader) (*results, error) {
	res := &results{samples: map[string]map[string][]float64{}, units: map[string][]string{}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if cpu, ok := strings.CutPrefix(sc.Text(), "cpu: "); ok {
			res.cpu = strings.TrimSpace(cpu)
			continue
		}
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		if res.samples[name] == nil {
			res.samples[name] = map[string][]float64{}
			res.order = append(res.order, name)
		}
		// The iteration count has no unit; it is kept (under "iterations",
		// in no column of its own) to give connections per call.
		n, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", sc.Text(), err)
		}
		res.samples[name]["iterations"] = append(res.samples[name]["iterations"], n)
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", sc.Text(), err)
			}
			unit := f[i+1]
			if _, seen := res.samples[name][unit]; !seen {
				res.units[name] = append(res.units[name], unit)
			}
			res.samples[name][unit] = append(res.samples[name][unit], v)
		}
	}
	return res, sc.Err()
}

// median of the samples of name's unit; ok is false when there are none.
func (r *results) median(name, unit string) (float64, bool) {
	s := slices.Clone(r.samples[name][unit])
	if len(s) == 0 {
		return 0, false
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// ratio is name's unit over base's: the median of the per-run ratios when
// both have one sample per run (make bench interleaves runs, so each pair
// ran moments apart and shares the machine's drift), else the ratio of the
// medians. lo and hi are the quartiles of the per-run ratios (equal to the
// ratio without pairs): the spread a reader should allow for.
func (r *results) ratio(name, base, unit string) (mid, lo, hi float64, ok bool) {
	a, b := r.samples[name][unit], r.samples[base][unit]
	if len(a) > 0 && len(a) == len(b) {
		rs := make([]float64, 0, len(a))
		for i := range a {
			if b[i] > 0 {
				rs = append(rs, a[i]/b[i])
			}
		}
		if len(rs) == len(a) {
			slices.Sort(rs)
			return quantile(rs, 0.5), quantile(rs, 0.25), quantile(rs, 0.75), true
		}
	}
	x, ok1 := r.median(name, unit)
	y, ok2 := r.median(base, unit)
	if !ok1 || !ok2 || y == 0 {
		return 0, 0, 0, false
	}
	return x / y, x / y, x / y, true
}

// perCall is the median over runs of name's unit divided by the run's
// iterations.
func (r *results) perCall(name, unit string) (float64, bool) {
	v, n := r.samples[name][unit], r.samples[name]["iterations"]
	if len(v) == 0 || len(v) != len(n) {
		return 0, false
	}
	per := make([]float64, len(v))
	for i := range v {
		if n[i] == 0 {
			return 0, false
		}
		per[i] = v[i] / n[i]
	}
	slices.Sort(per)
	return quantile(per, 0.5), true
}

// perCallString writes a per-call figure to two significant digits: 0.8,
// 1.3, 0.0011.
func perCallString(v float64) string { return strconv.FormatFloat(v, 'g', 2, 64) }

// quantile of sorted s, interpolating between neighbours.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

// baselineOf maps "Create/facade/seq" to "Create/baseline/seq", and
// "Create/facade/tls-h1/par64" to "Create/baseline/tls-h1/par64": every
// variant is compared with the baseline of the same operation, protocol
// and mode. The fake's benchmarks compare servers, not clients: their
// baseline is the floor server ("FakeCreate/polartest/seq" to
// "FakeCreate/floor/seq").
func baselineOf(name string) (string, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 3 && len(parts) != 4 {
		return "", false
	}
	parts[1] = "baseline"
	if strings.HasPrefix(parts[0], "Fake") {
		parts[1] = "floor"
	}
	return strings.Join(parts, "/"), true
}

// bench names a benchmark of op by variant, protocol ("" for plain HTTP)
// and mode, as internal/benchmarks does.
func bench(op, variant, proto, mode string) string {
	if proto == "" {
		return op + "/" + variant + "/" + mode
	}
	return op + "/" + variant + "/" + proto + "/" + mode
}

// mainUnits have columns of their own; any other metric goes under
// "other".
var mainUnits = []string{"ns/op", "B/op", "allocs/op", "conns"}

func write(w io.Writer, r *results) {
	if r.commit != "" || r.cpu != "" {
		fmt.Fprintf(w, "make bench at commit %s, on %s\n\n", or(r.commit, "(unknown)"), or(r.cpu, "(unknown CPU)"))
	}
	fmt.Fprintln(w, "| benchmark | runs | ns/op | B/op | allocs/op | conns | other metrics (medians) | ns/op ÷ baseline (quartiles) | allocs ÷ baseline |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
	for _, name := range r.order {
		ns, _ := r.median(name, "ns/op")
		bytes, _ := r.median(name, "B/op")
		allocs, _ := r.median(name, "allocs/op")
		conns := "–"
		if c, ok := r.median(name, "conns"); ok {
			conns = fmt.Sprintf("%.0f", c)
		}
		var other []string
		for _, unit := range r.units[name] {
			if !slices.Contains(mainUnits, unit) {
				v, _ := r.median(name, unit)
				other = append(other, unit+" "+num(v))
			}
		}
		if len(other) == 0 {
			other = []string{"–"}
		}
		nsRatio, allocRatio := "–", "–"
		if base, ok := baselineOf(name); ok {
			if mid, lo, hi, ok := r.ratio(name, base, "ns/op"); ok {
				nsRatio = fmt.Sprintf("%.2f× (%.2f–%.2f)", mid, lo, hi)
			}
			if ba, ok := r.median(base, "allocs/op"); ok && ba > 0 {
				allocRatio = fmt.Sprintf("%.2f×", allocs/ba)
			}
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %.0f | %.0f | %s | %s | %s | %s |\n",
			name, len(r.samples[name]["ns/op"]), ns, bytes, allocs, conns, strings.Join(other, ", "), nsRatio, allocRatio)
	}
	fmt.Fprintln(w)
	writeTargets(w, r)
	fmt.Fprintln(w)
	writeSummary(w, r)
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// num formats a metric: whole numbers for large values, three significant
// digits for small ones.
func num(v float64) string {
	if math.Abs(v) >= 100 || v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// conditions says how the benchmarks of proto reach their server, from the
// server-ms metric the TLS benchmarks report.
func (r *results) conditions(op, proto string) string {
	switch proto {
	case "":
		return "plain HTTP/1.1 on loopback, server answers at once"
	case "inmem":
		return "in memory: the server's handler answers inside RoundTrip, no connection"
	case "tls-h1", "tls-h2":
		version := "HTTP/1.1"
		if proto == "tls-h2" {
			version = "HTTP/2"
		}
		ms, ok := r.median(bench(op, "facade", proto, "par64"), "server-ms")
		if !ok || ms == 0 {
			return "TLS 1.3, " + version + " on loopback, server answers at once"
		}
		return fmt.Sprintf("TLS 1.3, %s on loopback, server answers in %s ms", version, num(ms))
	}
	return proto
}

// protocols of the benchmarks, with the minimum facade throughput over the
// naive variant's (Go's default transport) and the most connections the
// facade may open from 64 goroutines. Over HTTP/1.1 the tuned pool is the
// point; over HTTP/2 both multiplex one connection, so the facade only has
// to be no slower.
var protocols = []struct {
	proto          string
	minVsNaive     float64
	maxConns       float64
	throughputNote string
}{
	{"", 1.5, 64, ""},
	{"tls-h1", 3, 64, ""},
	{"tls-h2", 0.9, 1, " (both multiplex one connection)"},
}

// writeTargets checks the medians against the targets of the performance
// issues and says which are met.
func writeTargets(w io.Writer, r *results) {
	fmt.Fprintln(w, "| target | conditions | measured | verdict |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	row := func(target, cond, measured string, ok bool) {
		verdict := "met"
		if !ok {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", target, cond, measured, verdict)
	}
	for _, op := range []string{"Create", "Introspect"} {
		for _, p := range protocols {
			cond := r.conditions(op, p.proto)
			for _, mode := range []string{"seq", "par64"} {
				facade, baseline := bench(op, "facade", p.proto, mode), bench(op, "baseline", p.proto, mode)
				if mid, lo, hi, ok := r.ratio(facade, baseline, "ns/op"); ok {
					row(fmt.Sprintf("%s %s: facade ≤ 1.15× baseline ns/op", op, mode), cond,
						fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), mid <= 1.15)
				}
				fa, ok1 := r.median(facade, "allocs/op")
				ba, ok2 := r.median(baseline, "allocs/op")
				if ok1 && ok2 {
					row(fmt.Sprintf("%s %s: facade allocs ≤ baseline + 25%%", op, mode), cond,
						fmt.Sprintf("%.0f vs %.0f (%.2f×)", fa, ba, fa/ba), fa <= 1.25*ba)
				}
			}
			facade, naive := bench(op, "facade", p.proto, "par64"), bench(op, "naive", p.proto, "par64")
			if mid, lo, hi, ok := r.ratio(naive, facade, "ns/op"); ok {
				row(fmt.Sprintf("%s par64: facade throughput ≥ %s× naive%s", op, num(p.minVsNaive), p.throughputNote), cond,
					fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), mid >= p.minVsNaive)
			}
			if c, ok := r.median(facade, "conns"); ok {
				nc, _ := r.median(naive, "conns")
				naiveConns := fmt.Sprintf("%.0f", nc)
				if per, ok := r.perCall(naive, "conns"); ok && nc > 64 {
					naiveConns += ", " + perCallString(per) + " a call"
				}
				noun := "connections"
				if p.maxConns == 1 {
					noun = "connection"
				}
				row(fmt.Sprintf("%s par64: facade opens ≤ %s %s", op, num(p.maxConns), noun), cond,
					fmt.Sprintf("%.0f (naive: %s)", c, naiveConns), c <= p.maxConns)
			}
		}
	}
	for _, op := range []string{"Create", "Introspect"} {
		for _, mode := range []string{"seq", "par64"} {
			mw, facade := bench(op, "facade+mw", "", mode), bench(op, "facade", "", mode)
			// Hooks cost a copy of each attempt's request (a middleware may
			// edit it) and a body close bound to the attempt's context.
			if mid, lo, hi, ok := r.ratio(mw, facade, "ns/op"); ok {
				row(fmt.Sprintf("%s %s: facade with a no-op middleware and a limiter ≤ 1.10× facade ns/op", op, mode), r.conditions(op, ""),
					fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), mid <= 1.10)
			}
		}
	}
	if g, ok := r.median("HeapFlat", "heap-growth-B"); ok {
		row("100k calls leave the heap flat (growth ≤ 64 KiB)", r.conditions("", ""), fmt.Sprintf("%+.0f B", g), g <= 64<<10)
	}
	for _, mode := range []string{"chunked", "content-length"} {
		name := "OversizedBody/" + mode
		b, ok1 := r.median(name, "B/op")
		limit, ok2 := r.median(name, "limit-B")
		if ok1 && ok2 { // io.ReadAll doubles its buffer on the way to the limit: about 2.4× it in all
			row(fmt.Sprintf("64 MiB body (%s) refused allocating ≤ 3× the %d MiB limit", mode, int(limit)>>20), r.conditions("", ""),
				fmt.Sprintf("%.2f MiB", b/(1<<20)), b <= 3*limit)
		}
	}
}

// writeSummary prints the README's Performance table: one row per figure,
// with the protocol and conditions it was measured under, for both
// operations where both were measured.
func writeSummary(w io.Writer, r *results) {
	type cell func(op string) (string, bool)
	var rows [][4]string // figure, conditions, Create, Introspect
	add := func(figure, cond string, c cell) {
		cr, ok1 := c("Create")
		in, ok2 := c("Introspect")
		if !ok1 && !ok2 {
			return
		}
		if !ok1 {
			cr = "–"
		}
		if !ok2 {
			in = "–"
		}
		rows = append(rows, [4]string{figure, cond, cr, in})
	}
	// ratio is variant a's ns/op over b's.
	ratio := func(a, b, proto, mode string) cell {
		return func(op string) (string, bool) {
			mid, _, _, ok := r.ratio(bench(op, a, proto, mode), bench(op, b, proto, mode), "ns/op")
			return fmt.Sprintf("%.2f×", mid), ok
		}
	}
	// versus is the facade's median of unit against other's.
	versus := func(unit, other, proto, mode string) cell {
		return func(op string) (string, bool) {
			a, ok1 := r.median(bench(op, "facade", proto, mode), unit)
			b, ok2 := r.median(bench(op, other, proto, mode), unit)
			return fmt.Sprintf("%s vs %s", thousands(a), thousands(b)), ok1 && ok2
		}
	}
	// connections is versus for conns, with the naive variant's per call
	// when it opens more than one per goroutine: then its count grows with
	// the benchmark's length, and the facade's does not.
	connections := func(proto string) cell {
		return func(op string) (string, bool) {
			s, ok := versus("conns", "naive", proto, "par64")(op)
			naive := bench(op, "naive", proto, "par64")
			nc, _ := r.median(naive, "conns")
			if per, ok := r.perCall(naive, "conns"); ok && nc > 64 {
				s += " (" + perCallString(per) + " a call)"
			}
			return s, ok
		}
	}
	for _, p := range protocols {
		cond := r.conditions("Create", p.proto)
		if p.proto == "" {
			add("facade ÷ baseline, time per call, sequential", cond, ratio("facade", "baseline", "", "seq"))
		}
		add("facade ÷ baseline, time per call, 64 goroutines", cond, ratio("facade", "baseline", p.proto, "par64"))
		if p.proto == "" {
			add("allocations per call, facade vs baseline", cond, versus("allocs/op", "baseline", "", "seq"))
		}
		add("throughput vs Go's default transport, 64 goroutines", cond, ratio("naive", "facade", p.proto, "par64"))
		what := "connections opened by 64 goroutines, facade vs Go's default transport"
		if p.proto != "" {
			what = "connections (each a full TLS handshake) opened by 64 goroutines, facade vs Go's default transport"
		}
		add(what, cond, connections(p.proto))
	}
	add("CPU of the code around the round trip per call: baseline / generated / facade (on a caller's HTTP client)",
		r.conditions("", "inmem"), func(op string) (string, bool) {
			var us [3]string
			for i, v := range []string{"baseline", "generated", "facade"} {
				ns, ok := r.median(bench(op, v, "inmem", "seq"), "ns/op")
				if !ok {
					return "", false
				}
				us[i] = fmt.Sprintf("%.1f µs", ns/1000)
			}
			return strings.Join(us[:], " / "), true
		})
	fakeCond := "plain HTTP/1.1 on loopback, the facade against polartest and against a server answering fixed bytes"
	for _, mode := range []struct{ name, label string }{{"seq", "sequential"}, {"par64", "64 goroutines"}} {
		add("polartest ÷ the floor server, time per call, "+mode.label, fakeCond, func(op string) (string, bool) {
			mid, lo, hi, ok := r.ratio("Fake"+op+"/polartest/"+mode.name, "Fake"+op+"/floor/"+mode.name, "ns/op")
			return fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), ok
		})
		add("calls per second, polartest vs the floor server, "+mode.label, fakeCond, func(op string) (string, bool) {
			a, ok1 := r.median("Fake"+op+"/polartest/"+mode.name, "ns/op")
			b, ok2 := r.median("Fake"+op+"/floor/"+mode.name, "ns/op")
			return fmt.Sprintf("%s vs %s", thousands(1e9/a), thousands(1e9/b)), ok1 && ok2 && a > 0 && b > 0
		})
	}
	plain := r.conditions("Create", "")
	add("a no-op middleware and a limiter, ÷ facade, time per call, sequential", plain, ratio("facade+mw", "facade", "", "seq"))
	add("the 5s per-attempt timeout: facade ÷ facade without it, time per call, sequential", plain, ratio("facade", "facade-noat", "", "seq"))
	add("the 5s per-attempt timeout: allocations per call, facade vs facade without it", plain, func(op string) (string, bool) {
		a, ok1 := r.median(bench(op, "facade", "", "seq"), "allocs/op")
		b, ok2 := r.median(bench(op, "facade-noat", "", "seq"), "allocs/op")
		return fmt.Sprintf("%s vs %s", thousands(a), thousands(b)), ok1 && ok2
	})
	for _, proto := range []string{"tls-h1", "tls-h2"} {
		version := map[string]string{"tls-h1": "HTTP/1.1", "tls-h2": "HTTP/2"}[proto]
		cond := "TLS 1.3, " + version + " on loopback, server answers at once"
		add("from New to the first completed call (a full TLS handshake)", cond, createOnly(func() (string, bool) {
			ns, ok := r.median("ColdStart/facade/"+proto+"/new", "ns/op")
			return millis(ns), ok
		}))
		add("a call after the pool went idle, no TLS session cache vs one", cond, createOnly(func() (string, bool) {
			base, cache := "ColdStart/baseline/"+proto+"/idle", "ColdStart/cache/"+proto+"/idle"
			a, ok1 := r.median(base, "ns/op")
			b, ok2 := r.median(cache, "ns/op")
			mid, lo, hi, ok3 := r.ratio(cache, base, "ns/op")
			return fmt.Sprintf("%s vs %s (%.2f×, quartiles %.2f–%.2f)", millis(a), millis(b), mid, lo, hi), ok1 && ok2 && ok3
		}))
	}
	for _, policy := range []struct{ name, label string }{{"default", "DefaultRetryPolicy"}, {"off", "no retries"}} {
		add("requests per successful call, "+policy.label+", 20% of requests faulted",
			"plain HTTP/1.1 on loopback, 64 goroutines, polartest's random faults",
			createOnly(func() (string, bool) {
				name := "RetryCost/" + policy.name
				perOK, ok1 := r.median(name, "requests/success")
				perCall, ok2 := r.median(name, "requests/call")
				okPct, ok3 := r.median(name, "success-%")
				return fmt.Sprintf("%.2f (%.2f per call, %.1f%% succeed)", perOK, perCall, okPct), ok1 && ok2 && ok3
			}))
	}
	add("a portal visit with Reuse ÷ without, time per visit", "plain HTTP/1.1 on loopback: an httptest server running portal.Handler, polartest behind it",
		createOnly(func() (string, bool) {
			mid, lo, hi, ok := r.ratio("PortalVisit/reuse", "PortalVisit/noreuse", "ns/op")
			return fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), ok
		}))
	rlCond := "plain HTTP/1.1 on loopback, 64 goroutines for 6 s, polartest allowing 60 requests per 2 s window"
	for _, m := range []struct{ figure, unit, format string }{
		{"requests refused (429), cooldown on vs off", "refused", "%.0f vs %.0f"},
		{"calls completed, cooldown on vs off", "completed", "%.0f vs %.0f"},
		{"calls failed, cooldown on vs off", "failed", "%.0f vs %.0f"},
		{"latency of completed calls, p50, cooldown on vs off", "p50-ms", "%.0f ms vs %.0f ms"},
		{"latency of completed calls, p99, cooldown on vs off", "p99-ms", "%.0f ms vs %.0f ms"},
	} {
		add(m.figure, rlCond, createOnly(func() (string, bool) {
			on, ok1 := r.median("RateLimit/cooldown-on", m.unit)
			off, ok2 := r.median("RateLimit/cooldown-off", m.unit)
			return fmt.Sprintf(m.format, on, off), ok1 && ok2
		}))
	}
	plainCond := r.conditions("", "")
	add("live heap growth over 100,000 calls", plainCond, createOnly(func() (string, bool) {
		g, ok := r.median("HeapFlat", "heap-growth-B")
		return fmt.Sprintf("%+.0f B", g), ok
	}))
	add("allocated refusing a 64 MiB body (4 MiB limit), chunked vs with Content-Length", plainCond, createOnly(func() (string, bool) {
		a, ok1 := r.median("OversizedBody/chunked", "B/op")
		b, ok2 := r.median("OversizedBody/content-length", "B/op")
		return fmt.Sprintf("%.2f MiB vs %.2f MiB", a/(1<<20), b/(1<<20)), ok1 && ok2
	}))
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "README summary:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| figure | conditions | Create | Introspect |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, row := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", row[0], row[1], row[2], row[3])
	}
}

// createOnly is a summary cell measured for Create only.
func createOnly(f func() (string, bool)) func(string) (string, bool) {
	return func(op string) (string, bool) {
		if op != "Create" {
			return "", false
		}
		return f()
	}
}

func millis(ns float64) string { return fmt.Sprintf("%.2f ms", ns/1e6) }

// thousands writes a count with thousands separators, as the README does.
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
