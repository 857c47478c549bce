#!/usr/bin/env bash
# Renders every committed man page with groff and man in their strictest
# warning modes; any warning fails. Also checks the pages issue #8 lists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fails=0
for want in jetstream.1 jetstream-server.8 jetstream-relay_server.8 jetstream-api.1 jetstream-tui.1 \
	jscp.1 jetstream.toml.5 jetstream-triggers.7; do
	[ -f "$root/man/$want" ] || { echo "FAIL man/$want is missing" >&2; fails=$((fails + 1)); }
done
n=0
for page in "$root"/man/*.[1-8]; do
	n=$((n + 1))
	warn=$(groff -ww -man -Tutf8 -z "$page" 2>&1 || echo "groff failed")
	if command -v man >/dev/null; then
		warn+=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null || echo "man failed")
	fi
	if [ -n "$warn" ]; then
		echo "FAIL ${page#"$root"/}:" >&2
		sed 's/^/    /' <<<"$warn" >&2
		fails=$((fails + 1))
	fi
done
echo "test-man: $n pages rendered, $fails failures"
[ "$fails" -eq 0 ]
