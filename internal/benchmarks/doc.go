// Package benchmarks measures the client against the physical floor of its
// work: hand-written net/http + encoding/json doing the same calls, over
// plain HTTP and over TLS with HTTP/1.1 and HTTP/2, and what a cold start
// and the retry policy cost. Run them with `make bench`, which prints
// medians and ratios to the baseline measured in the same run (see
// BENCHMARKS.md). Its one test checks that the TLS benchmarks use the
// protocols they are named after.
package benchmarks
