#!/usr/bin/env bash
# Fails when the committed completions, man pages or packaged configuration
# differ from what the current source generates. Fix with: make generate
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/gen-docs.sh" "$tmp"
status=0
for d in completions man; do
	diff -ru "$root/$d" "$tmp/$d" >"$tmp/$d.diff" || { cat "$tmp/$d.diff"; status=1; }
done
diff -u "$root/packaging/jetstream.toml" "$tmp/packaging/jetstream.toml" || status=1
if [ $status -ne 0 ]; then
	echo "check-generated: committed files are stale; run: make generate" >&2
	exit 1
fi
echo "check-generated: completions/, man/ and packaging/jetstream.toml are up to date"
