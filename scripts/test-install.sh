#!/usr/bin/env bash
# `make install` into a DESTDIR lays out binaries, man pages and completions;
# `make uninstall` removes them again (the PAM file stays, as documented).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s -C "$root" install DESTDIR="$dest" PREFIX=/usr >/dev/null
fails=0
for f in usr/bin/jetstream usr/bin/jscp usr/share/man/man1/jscp.1 usr/share/man/man8/jetstream-server.8 \
	usr/share/man/man5/jetstream.toml.5 usr/share/bash-completion/completions/jscp \
	usr/share/zsh/vendor-completions/_jetstream usr/share/fish/vendor_completions.d/jetstream.fish etc/pam.d/jetstream; do
	[ -f "$dest/$f" ] || { echo "FAIL make install: no /$f" >&2; fails=$((fails + 1)); }
done
"$dest/usr/bin/jscp" --version | grep -q 'api version' || { echo "FAIL jscp --version" >&2; fails=$((fails + 1)); }
make -s -C "$root" uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null
left=$(cd "$dest" && find . -type f | sed 's|^\./||' | grep -v '^etc/pam.d/jetstream$' || true)
[ -z "$left" ] || { echo "FAIL make uninstall left: $left" >&2; fails=$((fails + 1)); }
echo "test-install: $fails failures"
[ "$fails" -eq 0 ]
