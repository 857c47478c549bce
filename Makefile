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
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# goreleaser is built from the module proxy the first time a target needs it.
GORELEASER_VERSION ?= v2.16.0
TOOLS := $(CURDIR)/bin/tools
# A goreleaser on PATH (CI may cache one) wins over building it.
GORELEASER ?= $(or $(shell command -v goreleaser 2>/dev/null),$(TOOLS)/goreleaser-$(GORELEASER_VERSION))
MANPAGES = $(wildcard man/*.[1-8])

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
test: deps ## Run every check CI runs: vet, unit + e2e tests with -race, fuzz smoke, bench smoke, shipping
	$(GO) vet $(PKGS)
	$(GO) test -race -shuffle=on -timeout $(TEST_TIMEOUT) -count=1 $(PKGS)
	$(MAKE) fuzz-smoke
	@if grep -q '^bench-smoke:' bench/bench.mk 2>/dev/null; then $(MAKE) bench-smoke; else echo "bench-smoke: WAN harness not built yet, skipped"; fi
	$(MAKE) test-shipping

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
generate: ## Regenerate committed files (licences, completions, man pages, packaging/jetstream.toml)
	cd daemon/licenses && $(GO) run gen.go
	GO=$(GO) ./scripts/gen-docs.sh

.PHONY: check-generated
check-generated: ## Fail when completions/, man/ or packaging/jetstream.toml differ from freshly generated output
	GO=$(GO) ./scripts/check-generated.sh

.PHONY: test-shipping
# goreleaser is built from source the first time (about 12 min of CPU, ~6 min
# wall on 2 idle cores; then cached in bin/tools): `goreleaser check` and the
# .deb test are part of make test. INSTALL_GORELEASER=0 skips them when no
# goreleaser binary is present (say so in the output).
INSTALL_GORELEASER ?= 1
test-shipping: check-generated ## Completions (bash, zsh, fish), man pages, make install, then test-release
	./scripts/test-completions.sh
	./scripts/test-man.sh
	./scripts/test-install.sh
	@if [ -x "$(GORELEASER)" ] || [ "$(INSTALL_GORELEASER)" = 1 ]; then $(MAKE) test-release; \
	else echo "test-shipping: SKIPPED goreleaser check and the .deb test: goreleaser $(GORELEASER_VERSION) is not installed (INSTALL_GORELEASER=1 or make test-release builds it)"; fi

.PHONY: test-release
test-release: $(GORELEASER) ## goreleaser check, then build the linux/amd64 .deb, install it with dpkg in a temp root, purge it
	$(GORELEASER) check
	GORELEASER=$(GORELEASER) ./scripts/test-deb.sh

$(GORELEASER):
	GOBIN=$(TOOLS) GOFLAGS= $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)
	mv $(TOOLS)/goreleaser $@

.PHONY: goreleaser-check
goreleaser-check: $(GORELEASER) ## Validate .goreleaser.yaml
	$(GORELEASER) check

.PHONY: release-snapshot
release-snapshot: $(GORELEASER) ## Build every archive and package into dist/ without publishing
	$(GORELEASER) release --snapshot --clean

.PHONY: demo
demo: ## Start a throw-away daemon in a temp dir and copy a file through it with progress
	@./scripts/demo.sh

.PHONY: install
install: build ## Install binaries, man pages, completions and the PAM service (PREFIX, DESTDIR)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN)/jetstream $(BIN)/jscp $(DESTDIR)$(PREFIX)/bin/
	for p in $(MANPAGES); do s=$${p##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; install -m 0644 $$p $(DESTDIR)$(MANDIR)/man$$s/; done
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0644 completions/bash/jetstream completions/bash/jscp $(DESTDIR)$(BASHCOMPDIR)/
	install -m 0644 completions/zsh/_jetstream completions/zsh/_jscp $(DESTDIR)$(ZSHCOMPDIR)/
	install -m 0644 completions/fish/jetstream.fish completions/fish/jscp.fish $(DESTDIR)$(FISHCOMPDIR)/
	install -d $(DESTDIR)/etc/pam.d
	test -e $(DESTDIR)/etc/pam.d/jetstream || install -m 0644 packaging/pam.d/jetstream $(DESTDIR)/etc/pam.d/jetstream

.PHONY: uninstall
uninstall: ## Remove what install put in place (not /etc/pam.d/jetstream, which may be edited)
	rm -f $(DESTDIR)$(PREFIX)/bin/jetstream $(DESTDIR)$(PREFIX)/bin/jscp
	for p in $(MANPAGES); do s=$${p##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p#man/}; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/jetstream $(DESTDIR)$(BASHCOMPDIR)/jscp
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_jetstream $(DESTDIR)$(ZSHCOMPDIR)/_jscp
	rm -f $(DESTDIR)$(FISHCOMPDIR)/jetstream.fish $(DESTDIR)$(FISHCOMPDIR)/jscp.fish

-include bench/bench.mk
