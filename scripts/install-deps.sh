#!/usr/bin/env bash
# Installs the Debian packages that building and testing need. Idempotent;
# does nothing for packages already present. Non-root: prints what is missing.
set -euo pipefail
# zsh and fish: the completion tests (scripts/test-completions.sh) drive them.
pkgs=(libpam0g-dev iperf3 openssh-server openssh-client tmux groff-base man-db python3 zsh fish)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: not root; please install: ${missing[*]}" >&2
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: installed ${missing[*]}"
