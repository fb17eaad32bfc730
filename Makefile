# Intuned Go SDK. `make test` is the whole suite (CI runs it through .ci/run).
GO ?= go

.PHONY: all generate check-generated test unit bench lint fmt example

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

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## unit: the race-enabled test suite alone
unit:
	$(GO) test -race -count=1 ./...

## test: everything CI checks: lint, generated code, race-enabled tests
test: lint check-generated unit

## bench: benchmarks with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
