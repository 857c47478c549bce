#!/usr/bin/env bash
# Builds the linux/amd64 .deb with goreleaser's nfpm (the same nfpms
# section `make release-snapshot` uses), checks its file layout, installs it
# with dpkg into a temporary root (or, as root in CI with CI_REAL_DPKG=1,
# into the real system) and removes it again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gr=${GORELEASER:?set GORELEASER to the goreleaser binary (make test-deb does)}
dist=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$dist" "$tmp"' EXIT
cd "$root"
# One target only: the deb of linux/amd64 (no cross builds, no archives).
cat >"$tmp/goreleaser.yaml" <<YAML
$(sed -e 's/goos: \[linux, darwin\]/goos: [linux]/' -e 's/goarch: \[amd64, arm64\]/goarch: [amd64]/' \
	-e 's/formats: \[deb, rpm\]/formats: [deb]/' -e "s|^    - ./scripts/check-generated.sh|    - 'true'|" .goreleaser.yaml)
dist: $dist
YAML
"$gr" release --snapshot --clean --skip=archive,sign,sbom --config "$tmp/goreleaser.yaml" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; exit 1; }
deb=$(ls "$dist"/*.deb)
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
fails=0
for f in /usr/bin/jetstream /usr/bin/jscp \
	/usr/share/bash-completion/completions/jetstream /usr/share/bash-completion/completions/jscp \
	/usr/share/zsh/vendor-completions/_jetstream /usr/share/fish/vendor_completions.d/jscp.fish \
	/usr/share/man/man1/jetstream.1 /usr/share/man/man1/jscp.1 /usr/share/man/man8/jetstream-server.8 \
	/usr/share/man/man5/jetstream.toml.5 /usr/share/man/man7/jetstream-triggers.7 \
	/usr/lib/systemd/system/jetstream.service /etc/jetstream/jetstream.toml /etc/pam.d/jetstream \
	/var/lib/jetstream/state/ /var/lib/jetstream/triggers/; do
	grep -qxF -- "$f" "$tmp/contents" || { echo "FAIL .deb lacks $f" >&2; fails=$((fails + 1)); }
done
dpkg-deb -f "$deb" Depends | grep -q libpam0g || { echo "FAIL .deb does not depend on libpam0g" >&2; fails=$((fails + 1)); }
dpkg-deb -I "$deb" conffiles | grep -qx /etc/jetstream/jetstream.toml || { echo "FAIL jetstream.toml is not a conffile" >&2; fails=$((fails + 1)); }

if [ "${CI_REAL_DPKG:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
	target=/
	dpkg=(dpkg)
else
	# A private dpkg database in a temporary root; maintainer scripts run
	# with that root as their working tree (--force-script-chrootless).
	target=$tmp/root
	mkdir -p "$target/var/lib/dpkg/updates" "$target/var/lib/dpkg/info"
	: >"$target/var/lib/dpkg/status"
	dpkg=(dpkg --root="$target" --force-script-chrootless --force-not-root --force-bad-path --log=/dev/null)
fi
host_had_state=$([ -e /var/lib/jetstream ] && echo yes || echo no)
if ! "${dpkg[@]}" --force-depends -i "$deb" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	exit 1
fi
for f in usr/bin/jetstream etc/jetstream/jetstream.toml usr/lib/systemd/system/jetstream.service \
	usr/share/man/man1/jscp.1; do
	[ -e "$target/$f" ] || { echo "FAIL installed tree lacks /$f" >&2; fails=$((fails + 1)); }
done
[ -d "$target/var/lib/jetstream/triggers" ] || { echo "FAIL /var/lib/jetstream/triggers missing" >&2; fails=$((fails + 1)); }
"$target/usr/bin/jetstream" version | grep -q '^api version' || { echo "FAIL installed jetstream version" >&2; fails=$((fails + 1)); }
if [ "$target" = / ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
	systemctl is-enabled jetstream.service 2>/dev/null | grep -qx disabled || { echo "FAIL service is enabled after install" >&2; fails=$((fails + 1)); }
fi
if [ "$target" != / ] && [ "$host_had_state" = no ] && [ -e /var/lib/jetstream ]; then
	echo "FAIL maintainer scripts wrote to the real /var/lib/jetstream (DPKG_ROOT ignored)" >&2
	fails=$((fails + 1))
fi
"${dpkg[@]}" --purge jetstream >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log" >&2; exit 1; }
for f in usr/bin/jetstream usr/bin/jscp usr/share/man/man1/jscp.1 usr/lib/systemd/system/jetstream.service; do
	[ ! -e "$target/$f" ] || { echo "FAIL /$f left after purge" >&2; fails=$((fails + 1)); }
done
echo "test-deb: $(wc -l <"$tmp/contents") entries in $(basename "$deb"); installed and purged in $target; $fails failures"
[ "$fails" -eq 0 ]
