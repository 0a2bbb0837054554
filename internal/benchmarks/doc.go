// Package benchmarks measures the client against the physical floor of its
// work: hand-written net/http + encoding/json doing the same calls. It holds
// only benchmarks; run them with `make bench`, which prints medians and
// ratios to the baseline measured in the same run (see BENCHMARKS.md).
package benchmarks
