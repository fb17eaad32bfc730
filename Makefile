# Intuned Go SDK. `make test` is the whole suite (CI runs it through .ci/run).
GO ?= go

.PHONY: all generate check-generated api deps test unit fuzz fuzz-short bench bench-bulk lint fmt

# Budget per fuzz target: a duration (`make fuzz FUZZTIME=5m`) or an
# execution count (`FUZZTIME=100000x`). On Go before 1.27 a duration budget can
# end in a spurious "context deadline exceeded" with no crasher written
# (golang/go#75804), so CI's short pass uses counts, which never hit it.
FUZZTIME ?= 30s
FUZZMINTIME ?= 10s

all: test

## generate: regenerate the SDK's generated code from openapi.yaml, by
## internal/cmd/gensdk: sdk/*.gen.go, and sdk/intunedtest/routes.gen.go (the
## fake's routes and the operations interface its Server implements)
generate:
	$(GO) generate ./...

## check-generated: fail if the committed generated code differs from what
## openapi.yaml generates
GENERATED = sdk/models.gen.go sdk/operations.gen.go sdk/services.gen.go sdk/longrunning.gen.go sdk/intunedtest/routes.gen.go
check-generated: generate
	@if [ -n "$$(git status --porcelain -- $(GENERATED))" ]; then \
		echo "generated code is out of date with openapi.yaml: run 'make generate' and commit the result"; \
		git status --porcelain -- $(GENERATED); git --no-pager diff --stat -- $(GENERATED); exit 1; \
	fi
	@echo "generated code is up to date"

## api: rewrite api/sdk.txt and api/intunedtest.txt, the exported API of
## sdk and sdk/intunedtest one feature a line, as Go's own api/*.txt (by
## internal/cmd/apilist). TestExportedAPIIsListed fails when they differ from
## the code: run this after changing the API and review their diff.
api:
	$(GO) run ./internal/cmd/apilist

## lint: gofmt, go vet and staticcheck (pinned here, run from the module proxy,
## so it stays out of go.mod and out of users' dependency graphs).
## v0.7.0 is the newest staticcheck whose go.mod asks for no more than
## go 1.25.0, our stated minimum: v0.8.x asks for go 1.26.0 and so does not
## build with Go 1.25. v0.7.0 builds and runs clean on this code with Go 1.25
## and with Go 1.26.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.7.0
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## deps: fail if a user's module downloads code it should not: importing
## ./sdk alone must bring in no module but ours (DEPCHECKFLAGS=-sdk-allow=...
## to let some through), and sdk/intunedtest no code generator, no spec
## tooling (what reads openapi.yaml: kin-openapi, YAML) and no test-only
## module. It makes scratch user modules and runs `go mod tidy` in them.
DEPCHECKFLAGS ?=
deps:
	$(GO) run ./internal/cmd/depcheck $(DEPCHECKFLAGS)

## unit: the race-enabled test suite alone
unit:
	$(GO) test -race -count=1 ./...

## fuzz: run every fuzz target for FUZZTIME each. The package's test binary
## is built once, with fuzzing's instrumentation (-fuzz), and run for each
## target in the package's directory (its testdata corpus, crashers written
## there) with go test's own cache of generated inputs.
fuzz:
	@set -e; bin=$$(mktemp -d)/sdk.test; trap 'rm -rf "$$(dirname $$bin)"' EXIT; \
	$(GO) test -c -fuzz=. -o $$bin ./sdk; \
	cache=$$($(GO) env GOCACHE)/fuzz/github.com/intuned/intuned-go/sdk; \
	for target in $$($$bin -test.list '^Fuzz'); do \
		echo "== ./sdk $$target ($(FUZZTIME))"; \
		(cd sdk && $$bin -test.run '^$$' -test.fuzz "^$$target\$$" -test.fuzztime $(FUZZTIME) \
			-test.fuzzminimizetime $(FUZZMINTIME) -test.fuzzcachedir $$cache); \
	done

## fuzz-short: a few seconds per fuzz target, as CI runs it (count budgets)
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=5000x FUZZMINTIME=500x

## test: everything CI checks: lint, generated code, what users download,
## race-enabled tests, a short fuzz pass
test: lint check-generated deps unit fuzz-short

## bench: each SDK call beside a raw net/http baseline, with ratios. Each
## repetition is its own `go test` run, so the SDK and raw runs interleave
## and the per-repetition ratios pair runs made moments apart.
BENCHCOUNT ?= 7
bench:
	@{ for i in $$(seq $(BENCHCOUNT)); do \
		$(GO) test ./sdk -run '^$$' -bench '^Benchmark(Start|Result|Resume|ErrorResponse)$$' -benchmem -count 1 -benchtime 1s; \
	   done; \
	   for i in 1 2 3; do \
		$(GO) test ./sdk -run '^$$' -bench '^BenchmarkConcurrentResult$$' -benchmem -count 1 -benchtime 1x; \
	   done; } | $(GO) run ./internal/cmd/benchratio

## bench-bulk: the bulk calls beside the naive way (a goroutine per
## operation), 10,000 queue items and 10,000 auth-session creates each,
## against the fake in another process; one table per run (BENCHMARKS.md).
## Each run is its own `go test` (a fake of its own, and the CPU ratios
## paired with the baselines of the same run). BULKFLAGS go to the
## benchmark: -bulk.ops=N, and the poll schedule -bulk.initial,
## -bulk.multiplier, -bulk.max (the SDK's defaults otherwise).
BULKCOUNT ?= 3
BULKFLAGS ?=
bench-bulk:
	@for i in $$(seq $(BULKCOUNT)); do \
		$(GO) test ./sdk -run '^$$' -bench '^BenchmarkBulk$$' -benchtime 1x -count 1 -timeout 30m -args $(BULKFLAGS) || exit 1; \
	done | $(GO) run ./internal/cmd/benchratio

fmt:
	gofmt -w $$(git ls-files '*.go')
