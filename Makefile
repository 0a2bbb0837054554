# polarsessions-go: `make test` is the one test command (CI runs it through .ci/run).

GO          ?= go
STATICCHECK_VERSION := v0.8.2
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck-$(STATICCHECK_VERSION)
REFERENCE   ?= ../shared/reference/polar-openapi-2026-10.json
SPEC        := openapi/openapi.json
# BENCH_COUNT interleaved runs of BENCH_TIME each: many short runs give
# medians that drift and noisy neighbours move less. The TLS benchmarks
# (names with a tls-h1 or tls-h2 element: throughput and cold start) are
# slower and measure larger effects; they take part in every
# BENCH_TLS_EVERY-th run only, all their variants in the same runs, so
# their ratios still pair.
BENCH_COUNT ?= 30
BENCH_TIME  ?= 0.2s
BENCH_TLS_EVERY ?= 2
BENCH_OUT   ?= bench.txt

.PHONY: all test redislimit lint vet fmt-check staticcheck unit gen-check generate spec spec-check regen-check fuzz bench demo api clean

all: test

## test: lint, tests (race-enabled where cgo works), redislimit's, and a check that
## `go generate` leaves gen/ unchanged.
test: lint unit gen-check redislimit

## lint: go vet, gofmt and staticcheck.
lint: vet fmt-check staticcheck

vet:
	$(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l .)"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# staticcheck $(STATICCHECK_VERSION) needs Go 1.26: under an older go (1.25, the oldest the module
# supports, which CI also runs make test under) lint is go vet and gofmt only. A go version this
# cannot read (a development build) gets staticcheck.
STATICCHECK_GO := 26
GO_MINOR       := $(shell $(GO) env GOVERSION | sed -nE 's/^go1\.([0-9]+).*/\1/p')
STATICCHECK_OK := $(shell [ -z "$(GO_MINOR)" ] || [ "$(GO_MINOR)" -ge $(STATICCHECK_GO) ] && echo 1)
STATICCHECK_SKIP = @echo "staticcheck: skipped under go1.$(GO_MINOR): staticcheck $(STATICCHECK_VERSION) needs Go 1.$(STATICCHECK_GO) (CI runs it there)"

staticcheck: $(if $(STATICCHECK_OK),$(STATICCHECK))
	$(if $(STATICCHECK_OK),$(STATICCHECK) ./...,$(STATICCHECK_SKIP))

# staticcheck is installed from the Go module proxy at a pinned version, into
# ./bin, so nothing needs to be installed by hand.
$(STATICCHECK):
	@mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(BIN)/staticcheck $@

# -race needs cgo, and cgo a C compiler: Go turns cgo off when there is none,
# and then the same tests run without the race detector.
RACE := $(if $(filter 1,$(shell $(GO) env CGO_ENABLED)),-race)

unit:
	@[ -n "$(RACE)" ] || echo "unit: no C compiler for cgo: the tests run without -race (install gcc for the race detector)"
	$(GO) test $(RACE) -count=1 ./...

## redislimit: lint and tests of redislimit/, a module of its own (so the core module has no
## Redis dependency), which ./... does not reach. Its real-server tests need redis-server;
## without it they are skipped, or fail when REDISLIMIT_REQUIRE_REDIS=1 (CI).
redislimit: $(if $(STATICCHECK_OK),$(STATICCHECK))
	cd redislimit && $(GO) vet ./...
	@out="$$(cd redislimit && gofmt -l .)"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(if $(STATICCHECK_OK),cd redislimit && $(STATICCHECK) ./...,$(STATICCHECK_SKIP))
	@command -v redis-server >/dev/null 2>&1 || \
		echo "redislimit: redis-server not installed: its real-server tests are skipped (apt-get install -y redis-server)"
	cd redislimit && $(GO) test $(RACE) -count=1 ./...

## gen-check: regenerate into gen/ and fail if anything changed.
gen-check:
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	cp -R gen "$$tmp/before"; \
	$(GO) generate ./... || exit 1; \
	if ! diff -r "$$tmp/before" gen >/dev/null; then \
		diff -ru "$$tmp/before" gen | head -n 40; \
		echo "gen/ is stale: commit the output of 'go generate ./...'"; exit 1; \
	fi; \
	echo "gen/ is up to date"

## fuzz: mutate each fuzz target for FUZZTIME (CI: 100000 executions each). Seeds run in
## `make test` already. A count, not a duration, by default: at the end of a duration Go 1.26's
## fuzz coordinator can report "context deadline exceeded" having found nothing (a race,
## golang/go#75804, fixed in Go 1.27), which would fail CI.
FUZZTIME    ?= 100000x
FUZZ_TARGETS := client:FuzzDecodeCustomerSession client:FuzzDecodeIntrospection client:FuzzErrorBody \
	rules:FuzzParseRetryAfter client:FuzzRequestValidation client:FuzzNormalizeBaseURL \
	rules:FuzzEncodeReturnURL rules:FuzzRedact polartest:FuzzStoredReturnURL
fuzz:
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; t=$${pt#*:}; \
		echo "fuzz $$t in ./$$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

## generate: rebuild gen/ from openapi/.
generate:
	$(GO) generate ./...

## spec: trim an upstream spec (file or URL) into openapi/ and say what changed; then run `make generate`.
spec:
	@test -n "$(UPSTREAM)" || { echo "usage: make spec UPSTREAM=<file or URL>"; exit 2; }
	$(GO) run ./internal/trimspec -in "$(UPSTREAM)" -out $(SPEC)

## spec-check: fail when openapi/ differs from what trimspec makes of the reference spec.
spec-check:
	@if [ ! -f "$(REFERENCE)" ]; then echo "spec-check: skipped, $(REFERENCE) not found"; exit 0; fi; \
	tmp="$$(mktemp)"; trap 'rm -f "$$tmp"' EXIT; \
	$(GO) run ./internal/trimspec -in "$(REFERENCE)" -out "$$tmp" || exit 1; \
	if ! cmp -s $(SPEC) "$$tmp"; then \
		diff -u $(SPEC) "$$tmp" | head -n 60; \
		echo "spec-check: $(SPEC) is not what trimspec makes of $(REFERENCE); run make spec UPSTREAM=$(REFERENCE)"; exit 1; \
	fi; \
	echo "spec-check: $(SPEC) matches $(REFERENCE)"

## regen-check: apply changes modelled on Polar's 2026 spec changes to a copy of the module (and regenerate one pinned to 2026-04),
## regenerate it as `make spec` and `go generate` would, and build, vet and test the copy
## (slow, so not in `make test`; CI runs it). REGEN=each also tries every change alone.
REGEN ?= 1
regen-check:
	POLARSESSIONS_REGEN=$(REGEN) $(GO) test -count=1 -timeout 30m -run TestRegeneration -v ./internal/regen

## bench: run the benchmarks BENCH_COUNT times, interleaved, and print medians and ratios.
# Raw output goes to BENCH_OUT, for benchstat comparisons between commits.
bench:
	@mkdir -p $(BIN); rm -f $(BENCH_OUT); \
	$(GO) test -c -o $(BIN)/benchmarks.test ./internal/benchmarks || exit 1; \
	for i in $$(seq $(BENCH_COUNT)); do \
		echo "run $$i of $(BENCH_COUNT)"; \
		$(BIN)/benchmarks.test -test.run '^$$' -test.bench 'Create|Introspect|Oversized|RetryCost|PortalVisit' -test.skip '/./tls-' \
			-test.benchtime $(BENCH_TIME) -test.benchmem >> $(BENCH_OUT) || exit 1; \
		if [ $$(( (i - 1) % $(BENCH_TLS_EVERY) )) -eq 0 ]; then \
			$(BIN)/benchmarks.test -test.run '^$$' -test.bench '(Create|Introspect|ColdStart)/./tls-' \
				-test.benchtime $(BENCH_TIME) -test.benchmem >> $(BENCH_OUT) || exit 1; \
		fi; \
	done; \
	echo "100,000 calls for the heap check"; \
	$(BIN)/benchmarks.test -test.run '^$$' -test.bench HeapFlat -test.benchtime 100000x -test.benchmem >> $(BENCH_OUT) || exit 1; \
	echo "the rate-limit scenario, cooldown on and off (about 16 s)"; \
	$(BIN)/benchmarks.test -test.run '^$$' -test.bench RateLimit -test.benchtime 1x >> $(BENCH_OUT) || exit 1; \
	$(GO) run ./internal/benchtable -commit "$$(git describe --always --dirty 2>/dev/null || echo unknown)" < $(BENCH_OUT)

## api: rewrite the API snapshots in api/ after a deliberate change of the
## exported API (make test fails until they match); commit them with a
## CHANGELOG entry.
api:
	$(GO) run ./internal/apisnapshot

## demo: the library end to end against an in-process fake Polar server (no account, no network).
demo:
	$(GO) run ./cmd/polar-sessions demo

clean:
	rm -rf $(BIN)
