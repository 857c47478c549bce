#!/usr/bin/env bash
# Runs each Fuzz* target of the module for a bounded number of inputs
# (default 3000x; a count avoids the flaky deadline error of -fuzztime=Ns).
set -euo pipefail
t=${1:-3000x}
n=0
while read -r dir pkg; do
	targets=$(cat "$dir"/*_test.go 2>/dev/null | sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' | sort -u || true)
	for f in $targets; do
		echo "fuzz $pkg $f ($t)"
		if ! go test -run '^$' -fuzz "^${f}\$" -fuzztime "$t" -fuzzminimizetime 2s "$pkg" >/tmp/fuzz-smoke.$$ 2>&1; then
			cat /tmp/fuzz-smoke.$$
			rm -f /tmp/fuzz-smoke.$$
			echo "FAIL: $pkg $f"
			exit 1
		fi
		n=$((n + 1))
	done
done < <(go list -f '{{.Dir}} {{.ImportPath}}' ./...)
rm -f /tmp/fuzz-smoke.$$
echo "fuzz smoke passed: $n targets"
