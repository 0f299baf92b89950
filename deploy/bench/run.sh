#!/usr/bin/env bash
# Measures what docs/performance.md reports: release bundle sizes, cold start to serving, and
# services-page latency with 10,000 services, with wrk against a release build on loopback.
# Usage: deploy/bench/run.sh [SERVICES]   (default 10000)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SERVICES=${1:-10000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
bash deploy/dev.sh setup >/dev/null
export PATH="$HOME/.cargo/bin:$ROOT/style/node_modules/.bin:$PATH"
command -v wasm-opt >/dev/null || { apt-get update -qq && apt-get install -y -qq binaryen >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

echo "== release build"
cargo leptos build --release 2>&1 | tail -n 1
echo "== bundle (raw / gzip -9 bytes)"
for f in target/site/pkg/portico.wasm target/site/pkg/portico.js target/site/pkg/portico.css; do
  printf '%-32s %9d %9d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
python3 deploy/bench/generate_catalog.py "$work/catalog" "$SERVICES"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/portico.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
site_root = "$ROOT/target/site"
[log]
filter = "warn"
[catalog]
paths = ["$work/catalog"]
TOML

start_portal() {
  local t0 t1
  t0=$(date +%s%N)
  "$CARGO_TARGET_DIR/release/portico" --config "$work/portico.toml" serve & pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
  t1=$(date +%s%N)
  echo "start to serving: $(( (t1 - t0) / 1000000 )) ms"
}
stop_portal() { kill "$pid"; wait "$pid" || true; }

echo "== cold start with $SERVICES services (first start: creates the SQLite file, migrates, loads)"
start_portal; stop_portal
echo "== warm start (database exists; catalog reloaded)"
start_portal
echo "== RSS after start: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
echo "== first load as the server sends it (bytes: identity / gzip / br)"
for path in /services /pkg/portico.wasm /pkg/portico.js /pkg/portico.css; do
  sizes=""
  for encoding in identity gzip br; do
    sizes="$sizes $(curl -s -H "accept-encoding: $encoding" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$path")"
  done
  printf '%-20s %s\n' "$path" "$sizes"
done

for path in "/services" "/services?q=billing&sort=owner" "/services?owner=team-07&lifecycle=production" "/services?page=200"; do
  echo "== GET $path"
  printf '1 connection,   10 s: '
  wrk -t1 -c1 -d10s -s deploy/bench/percentiles.lua "http://127.0.0.1:$port$path" | tail -n 1
  printf '16 connections, 20 s: '
  wrk -t2 -c16 -d20s -s deploy/bench/percentiles.lua "http://127.0.0.1:$port$path" | tail -n 1
done
echo "== RSS after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
