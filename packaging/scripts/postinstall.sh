#!/bin/sh
# Runs after the jetstream package is installed or upgraded. The service is
# installed disabled, as the product does: enable it with
#   systemctl enable --now jetstream
set -e
# DPKG_ROOT is set when dpkg installs into another root (dpkg --root).
root=${DPKG_ROOT:-}
mkdir -p "$root/var/lib/jetstream/state" "$root/var/lib/jetstream/triggers"
chmod 0750 "$root/var/lib/jetstream/state"
if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	# On upgrade, restart a service the administrator enabled.
	if systemctl is-active --quiet jetstream.service; then
		systemctl try-restart jetstream.service >/dev/null 2>&1 || true
	fi
fi
exit 0
