#!/usr/bin/env bash
# Runs each Fuzz* target of the module for a short time (default 5s).
set -euo pipefail
t=${1:-5s}
go list -f '{{.Dir}} {{.ImportPath}}' ./... | while read -r dir pkg; do
	grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u | while read -r f; do
		echo "fuzz $pkg $f ($t)"
		go test -run '^$' -fuzz "^${f}\$" -fuzztime "$t" "$pkg" >/dev/null || { echo "FAIL: $pkg $f"; exit 1; }
	done
done
echo "fuzz smoke passed"
