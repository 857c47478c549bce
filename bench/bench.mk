# bench.mk — WAN benchmark targets. The top-level Makefile includes this
# file; it also works alone: make -f bench/bench.mk bench-smoke
#
# The benchmark needs root (network namespaces, TUN devices). It installs
# iperf3 and openssh-server with apt-get when they are missing. Everything it
# creates (namespaces jsbA-<pid>/jsbB-<pid>, TUN devices, sshd, temp files)
# is removed on exit, error or Ctrl-C; `make bench-cleanup` removes what a
# killed run left behind.

BENCH_BIN   ?= bin
BENCH_OUT   ?= bench/results
# Optional: comma-separated cell names to run (see `$(BENCH_BIN)/wanbench show`).
BENCH_CELLS ?=

.PHONY: bench bench-build bench-smoke bench-capacity bench-cleanup bench-unit

bench-build: ## Build the link emulator, the benchmark runner, jetstream and jscp into bin/
	go build -o $(BENCH_BIN)/linkemu ./bench/cmd/linkemu
	go build -o $(BENCH_BIN)/wanbench ./bench/cmd/wanbench
	go build -o $(BENCH_BIN)/ ./cmd/jetstream ./cmd/jscp

bench: bench-build ## Run the full WAN matrix (long, root) and write bench/results/REPORT.md
	$(BENCH_BIN)/wanbench run --capacity --out $(BENCH_OUT) $(if $(BENCH_CELLS),--cells $(BENCH_CELLS))

bench-smoke: bench-build ## One short WAN cell (< 60 s); prints a SKIP line and succeeds when not root
	$(BENCH_BIN)/wanbench smoke --skip-if-not-root

bench-capacity: bench-build ## Measure the emulator's forwarding capacity (root)
	$(BENCH_BIN)/wanbench capacity

bench-cleanup: bench-build ## Remove namespaces left by killed benchmark runs (root)
	$(BENCH_BIN)/wanbench cleanup

bench-unit: ## Unit tests of the benchmark packages (root-only tests skip otherwise)
	go test -race ./bench/...
