#!/usr/bin/env bash
# make demo: build, start a throw-away daemon in a temporary state dir on free
# loopback ports, create a built-in account, and copy a file to it with jscp,
# showing progress. Everything is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-256}
go build -o bin/ ./cmd/jetstream ./cmd/jscp
tmp=$(mktemp -d /tmp/jetstream-demo.XXXXXX)
chmod 755 "$tmp"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
mkdir -p "$tmp/state" "$tmp/recv/demo"
if [ "$(id -u)" -eq 0 ]; then chown nobody "$tmp/recv/demo" 2>/dev/null || chmod 777 "$tmp/recv/demo"; fi
echo "demo: creating account 'demo' in $tmp/state"
echo "demo-password" | bin/jetstream user add demo --password-stdin --persistent-state-dir "$tmp/state" >/dev/null
bin/jetstream server --api-host 127.0.0.1 --api-port 0 --recv-port 0 \
	--persistent-state-dir "$tmp/state" --sandbox-dir "$tmp/recv/%u" --log "$tmp/server.log" &
pid=$!
port=
for _ in $(seq 100); do
	port=$(grep 'API listening' "$tmp/server.log" 2>/dev/null | sed -n 's/.*addr=127.0.0.1:\([0-9]*\).*/\1/p' | head -1 || true)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "demo: the daemon did not start:"; cat "$tmp/server.log"; exit 1; }
echo "demo: daemon listening on 127.0.0.1:$port (TLS API) with state in $tmp/state"
head -c $((SIZE_MB << 20)) /dev/urandom >"$tmp/payload.bin"
export JETSTREAM_API_PASSWORD=demo-password JETSTREAM_KNOWN_HOSTS="$tmp/known_hosts"
echo "demo: jscp $SIZE_MB MiB to demo@127.0.0.1:$port:/inbox/payload.bin"
bin/jscp -P "$port" "$tmp/payload.bin" "demo@127.0.0.1:/inbox/payload.bin"
if cmp -s "$tmp/payload.bin" "$tmp/recv/demo/inbox/payload.bin"; then
	echo "demo: received file is byte-identical ($tmp/recv/demo/inbox/payload.bin)"
else
	echo "demo: received file differs!" >&2
	exit 1
fi
bin/jetstream api --host 127.0.0.1 --api-control-port "$port" --user demo --known-hosts "$tmp/known_hosts" --wait lsAsync --path /inbox
