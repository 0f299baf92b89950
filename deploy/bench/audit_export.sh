#!/usr/bin/env bash
# Measures what docs/performance.md reports for the audit export: a release portal on an SQLite
# log of 1,000,000 events, signed in as the demo user (an operator here), downloading
# /audit/export.csv and /audit/export.json to /dev/null; time, bytes, and the portal's memory
# (VmRSS now, VmHWM the peak so far) before and after each download.
# Usage: deploy/bench/audit_export.sh   (needs about 1 GiB of disk for the database)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}

echo "== release build"
cargo build --release -p server --bin portico 2>&1 | tail -n 1

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/data" "$work/site"

echo "== writing 1,000,000 events (the generator of the page benchmark, server/tests/it/audit/bench.rs)"
PORTICO_BENCH_AUDIT_DB="$work/data/portico.db" \
  cargo test -q -p server --test it audit::bench::sqlite_file_of_a_million_events -- --ignored --exact --nocapture 2>&1 \
  | grep -E 'events written|test result'
echo "database: $(( $(du -sk "$work/data" | cut -f1) / 1024 )) MiB"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
cat > "$work/portico.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
# Only the export route is requested: no pages, so no site is needed.
site_root = "$work/site"
[log]
filter = "warn"
[auth]
demo_user = true
[[access.grants]]
role = "operator"
users = ["demo"]
TOML

"$CARGO_TARGET_DIR/release/portico" --config "$work/portico.toml" serve & pid=$!
until curl -fs "$url/readyz" >/dev/null; do sleep 0.05; done

memory() {
  awk '/VmRSS|VmHWM/ { printf "%s %d MiB  ", $1, $2 / 1024 }' "/proc/$pid/status"
  echo
}

# The portal refuses cross-site POSTs: a browser would send this Origin.
curl -fs -o /dev/null -c "$work/jar" -H "Origin: $url" --data 'next=/' "$url/auth/demo"
echo "== signed in; memory before:   $(memory)"
for format in csv json; do
  stats=$(curl -fs -b "$work/jar" -o /dev/null -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}' \
    "$url/audit/export.$format")
  read -r code bytes first total <<<"$stats"
  printf '== export.%-4s HTTP %s, %d bytes (%d MiB), first byte %.3f s, total %.1f s, %.1f MiB/s\n' \
    "$format" "$code" "$bytes" $(( bytes / 1048576 )) "$first" "$total" "$(awk "BEGIN { print $bytes / 1048576 / $total }")"
  echo "   memory after: $(memory)"
done
echo "== a filtered export (one popular actor's failures)"
curl -fs -b "$work/jar" -o /dev/null -w 'HTTP %{http_code}, %{size_download} bytes, total %{time_total} s\n' \
  "$url/audit/export.csv?actor=user-0&outcome=failure"
echo "   memory after: $(memory)"
