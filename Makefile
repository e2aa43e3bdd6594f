# The developer interface; CI runs the same targets.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
BIN := bin/sp404agent

.PHONY: run build web test lint fmt fmt-check vet bench eval tidy-check clean

## run: build and serve on :8100 with SQLite in ./data
run: build
	./$(BIN) serve

## build: the web UI (when web/package.json exists) and a static binary
build: web
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sp404agent

## web: build web/dist when the UI sources changed
web:
	@if [ -f web/package.json ]; then $(MAKE) -C web dist; fi

## test: the UI build (embedded by the Go tests), vet, every Go test with the race detector
## (PostgreSQL suites when SP404_TEST_POSTGRES_URL is set), then the UI's unit and browser tests
test: web vet
	$(GO) test -race -shuffle=on -timeout 20m ./...
	@if [ -z "$$SP404_TEST_POSTGRES_URL" ]; then echo "note: SP404_TEST_POSTGRES_URL unset: PostgreSQL suites were skipped"; fi
	$(MAKE) -C web test

vet:
	$(GO) vet ./...

## lint: staticcheck (installed on demand) and gofmt
lint: fmt-check vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

tidy-check:
	$(GO) mod tidy -diff

## bench: Go benchmarks (numbers go into docs/performance.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## eval: the analysis evaluation on a generated, labelled corpus (bench/eval/README.md)
eval:
	$(GO) run ./bench/eval -compare

clean:
	rm -rf bin
