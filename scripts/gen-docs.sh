#!/usr/bin/env bash
# Generates the completion scripts, man pages and packaged configuration
# file from the kong models and tables in the source, into OUTDIR (default:
# the repository root, i.e. the committed copies):
#   OUTDIR/completions/{bash/jetstream,bash/jscp,zsh/_jetstream,zsh/_jscp,fish/jetstream.fish,fish/jscp.fish}
#   OUTDIR/man/*.{1,5,7,8}
#   OUTDIR/packaging/jetstream.toml
# Usage: scripts/gen-docs.sh [OUTDIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root}
go=${GO:-go}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && "$go" build -o "$bin/" ./cmd/jetstream ./cmd/jscp)
mkdir -p "$out/completions/bash" "$out/completions/zsh" "$out/completions/fish" "$out/man" "$out/packaging"
for prog in jetstream jscp; do
	if [ "$prog" = jetstream ]; then gen=("$bin/jetstream" completion); else gen=("$bin/jscp" --completion); fi
	"${gen[@]}" bash >"$out/completions/bash/$prog"
	"${gen[@]}" zsh >"$out/completions/zsh/_$prog"
	"${gen[@]}" fish >"$out/completions/fish/$prog.fish"
done
# Only the generated pages live in man/: remove stale ones first.
rm -f "$out"/man/*.[1-8]
"$bin/jetstream" man "$out/man" --config "$out/packaging/jetstream.toml"
"$bin/jscp" --man-page >"$out/man/jscp.1"
