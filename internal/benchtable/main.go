// Command benchtable turns `go test -bench` output (on stdin) into the
// table make bench prints: the median of every metric over the runs, each
// variant's ratio to the baseline measured in the same run, and whether the
// performance targets are met. It reports; it never fails a build.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results on stdin")
		os.Exit(1)
	}
	write(os.Stdout, res)
}

// results holds every sample of every metric, by benchmark name (without
// the -GOMAXPROCS suffix) and unit.
type results struct {
	order   []string
	samples map[string]map[string][]float64
}

var procSuffix = regexp.MustCompile(`-\d+$`)

func parse(r io.Reader) (*results, error) {
	res := &results{samples: map[string]map[string][]float64{}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		if res.samples[name] == nil {
			res.samples[name] = map[string][]float64{}
			res.order = append(res.order, name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", sc.Text(), err)
			}
			res.samples[name][f[i+1]] = append(res.samples[name][f[i+1]], v)
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

// quantile of sorted s, interpolating between neighbours.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

// baselineOf maps "Create/facade/seq" to "Create/baseline/seq".
func baselineOf(name string) (string, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 3 {
		return "", false
	}
	parts[1] = "baseline"
	return strings.Join(parts, "/"), true
}

func write(w io.Writer, r *results) {
	fmt.Fprintln(w, "| benchmark | runs | ns/op | B/op | allocs/op | conns | ns/op ÷ baseline (quartiles) | allocs ÷ baseline |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, name := range r.order {
		ns, _ := r.median(name, "ns/op")
		bytes, _ := r.median(name, "B/op")
		allocs, _ := r.median(name, "allocs/op")
		conns := "–"
		if c, ok := r.median(name, "conns"); ok {
			conns = fmt.Sprintf("%.0f", c)
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
		fmt.Fprintf(w, "| %s | %d | %.0f | %.0f | %.0f | %s | %s | %s |\n",
			name, len(r.samples[name]["ns/op"]), ns, bytes, allocs, conns, nsRatio, allocRatio)
	}
	fmt.Fprintln(w)
	writeTargets(w, r)
}

// writeTargets checks the medians against the targets of the performance
// issue and says which are met.
func writeTargets(w io.Writer, r *results) {
	fmt.Fprintln(w, "| target | measured | verdict |")
	fmt.Fprintln(w, "| --- | --- | --- |")
	row := func(target, measured string, ok bool) {
		verdict := "met"
		if !ok {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", target, measured, verdict)
	}
	for _, op := range []string{"Create", "Introspect"} {
		for _, mode := range []string{"seq", "par64"} {
			facade, baseline := op+"/facade/"+mode, op+"/baseline/"+mode
			if mid, lo, hi, ok := r.ratio(facade, baseline, "ns/op"); ok {
				row(fmt.Sprintf("%s %s: facade ≤ 1.10× baseline ns/op", op, mode),
					fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), mid <= 1.10)
			}
			fa, ok1 := r.median(facade, "allocs/op")
			ba, ok2 := r.median(baseline, "allocs/op")
			if ok1 && ok2 {
				row(fmt.Sprintf("%s %s: facade allocs ≤ baseline + 25%%", op, mode), fmt.Sprintf("%.0f vs %.0f (%.2f×)", fa, ba, fa/ba), fa <= 1.25*ba)
			}
		}
		facade, naive := op+"/facade/par64", op+"/naive/par64"
		if mid, lo, hi, ok := r.ratio(naive, facade, "ns/op"); ok {
			row(fmt.Sprintf("%s par64: facade throughput ≥ 1.5× naive", op),
				fmt.Sprintf("%.2f× (quartiles %.2f–%.2f)", mid, lo, hi), mid >= 1.5)
		}
		if c, ok := r.median(facade, "conns"); ok {
			nc, _ := r.median(naive, "conns")
			row(fmt.Sprintf("%s par64: facade opens ≤ 64 connections", op), fmt.Sprintf("%.0f (naive: %.0f)", c, nc), c <= 64)
		}
	}
	if g, ok := r.median("HeapFlat", "heap-growth-B"); ok {
		row("100k calls leave the heap flat (growth ≤ 64 KiB)", fmt.Sprintf("%+.0f B", g), g <= 64<<10)
	}
	for _, mode := range []string{"chunked", "content-length"} {
		name := "OversizedBody/" + mode
		b, ok1 := r.median(name, "B/op")
		limit, ok2 := r.median(name, "limit-B")
		if ok1 && ok2 {
			row(fmt.Sprintf("64 MiB body (%s) refused allocating ≤ 1.1× the %d MiB limit", mode, int(limit)>>20),
				fmt.Sprintf("%.2f MiB", b/(1<<20)), b <= 1.1*limit)
		}
	}
}
