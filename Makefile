# JetStream — build, test and release targets. `make` lists them.
SHELL := /bin/bash
GO ?= go
PREFIX ?= /usr/local
DESTDIR ?=
BIN := bin
PKGS := ./...
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
FUZZTIME ?= 3000x
TEST_TIMEOUT ?= 15m

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: deps
deps: ## Install the system packages the build and tests need (Debian/Ubuntu, as root)
	@./scripts/install-deps.sh

.PHONY: build
build: ## Build jetstream and jscp into bin/
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/jetstream ./cmd/jscp

.PHONY: test
test: deps ## Run every check CI runs: vet, unit + e2e tests with -race, fuzz smoke, bench smoke
	$(GO) vet $(PKGS)
	$(GO) test -race -shuffle=on -timeout $(TEST_TIMEOUT) -count=1 $(PKGS)
	$(MAKE) fuzz-smoke
	@if grep -q '^bench-smoke:' bench/bench.mk 2>/dev/null; then $(MAKE) bench-smoke; else echo "bench-smoke: WAN harness not built yet, skipped"; fi

.PHONY: test-race
test-race: ## Unit and end-to-end tests with the race detector
	$(GO) test -race -shuffle=on -timeout $(TEST_TIMEOUT) -count=1 $(PKGS)

.PHONY: test-short
test-short: ## Quick tests without the race detector
	$(GO) test -short -count=1 $(PKGS)

.PHONY: lint
lint: ## gofmt, go vet, module tidiness and generated-file freshness
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) mod tidy -diff

.PHONY: fuzz-smoke
fuzz-smoke: ## Run every fuzz target for $(FUZZTIME) inputs
	@./scripts/fuzz-smoke.sh $(FUZZTIME)

.PHONY: generate
generate: ## Regenerate committed files (licences, completions, man pages)
	cd daemon/licenses && $(GO) run gen.go

.PHONY: demo
demo: ## Start a throw-away daemon in a temp dir and copy a file through it with progress
	@./scripts/demo.sh

.PHONY: install
install: build ## Install binaries and the PAM service (PREFIX, DESTDIR)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN)/jetstream $(BIN)/jscp $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)/etc/pam.d
	test -e $(DESTDIR)/etc/pam.d/jetstream || install -m 0644 packaging/pam.d/jetstream $(DESTDIR)/etc/pam.d/jetstream

.PHONY: uninstall
uninstall: ## Remove what install put in place
	rm -f $(DESTDIR)$(PREFIX)/bin/jetstream $(DESTDIR)$(PREFIX)/bin/jscp

-include bench/bench.mk
