#!/bin/sh
# Runs before the jetstream package is removed (not on upgrade): stop and
# disable the service. State under /var/lib/jetstream is kept.
set -e
case "$1" in
upgrade | 1) exit 0 ;; # deb upgrade / rpm upgrade ($1 = packages left)
esac
if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl disable --now jetstream.service >/dev/null 2>&1 || true
fi
exit 0
