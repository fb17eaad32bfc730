# Intuned Go SDK. `make test` is the whole suite (CI runs it through .ci/run).
GO ?= go

.PHONY: all generate check-generated test unit fuzz fuzz-short bench lint fmt

# Budget per fuzz target: a duration (`make fuzz FUZZTIME=5m`) or an
# execution count (`FUZZTIME=100000x`). On Go before 1.27 a duration budget can
# end in a spurious "context deadline exceeded" with no crasher written
# (golang/go#75804), so CI's short pass uses counts, which never hit it.
FUZZTIME ?= 30s
FUZZMINTIME ?= 10s

all: test

## generate: regenerate gen/ from openapi.yaml (oapi-codegen pinned in go.mod)
generate:
	$(GO) generate ./...

## check-generated: fail if gen/ differs from what openapi.yaml generates
check-generated: generate
	@if [ -n "$$(git status --porcelain -- gen)" ]; then \
		echo "gen/ is out of date with openapi.yaml: run 'make generate' and commit the result"; \
		git status --porcelain -- gen; git --no-pager diff --stat -- gen; exit 1; \
	fi
	@echo "gen/ is up to date"

## lint: gofmt, go vet and staticcheck (pinned here, run from the module proxy,
## so it stays out of go.mod and out of users' dependency graphs)
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## unit: the race-enabled test suite alone
unit:
	$(GO) test -race -count=1 ./...

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@for pkg in ./sdk; do \
		for target in $$($(GO) test $$pkg -list '^Fuzz' | grep '^Fuzz'); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test $$pkg -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) || exit 1; \
		done; \
	done

## fuzz-short: a few seconds per fuzz target, as CI runs it (count budgets)
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=10000x FUZZMINTIME=500x

## test: everything CI checks: lint, generated code, race-enabled tests, a short fuzz pass
test: lint check-generated unit fuzz-short

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

fmt:
	gofmt -w $$(git ls-files '*.go')
