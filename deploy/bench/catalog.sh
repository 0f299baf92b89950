#!/usr/bin/env bash
# Measures the catalog at the size of a large organisation, for docs/performance.md: start-up
# with N entities of every kind (default 100,000), search across kinds, and the page, graph and
# "what breaks" of an entity with 1,000 relations, with wrk against a release build on loopback.
# Usage: deploy/bench/catalog.sh [ENTITIES]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
ENTITIES=${1:-100000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
bash deploy/dev.sh setup >/dev/null
export PATH="$HOME/.cargo/bin:$ROOT/style/node_modules/.bin:$PATH"
command -v wasm-opt >/dev/null || { apt-get update -qq && apt-get install -y -qq binaryen >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

echo "== release build"
cargo leptos build --release 2>&1 | tail -n 1

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
python3 deploy/bench/generate_mixed_catalog.py "$work/catalog" "$ENTITIES"
echo "catalog: $(cat "$work"/catalog/*.yaml | grep -c '^kind:') entities in $(du -sh "$work/catalog" | cut -f1)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/portico.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
site_root = "$ROOT/target/site"
[log]
# The catalog load's phase timings (read, merge, store) are logged at info.
filter = "warn,server::catalog_refresh=info"
[catalog]
paths = ["$work/catalog"]
refresh_seconds = 0
# The catalog pages need a signed-in person: the demo user signs in on loopback.
[auth]
demo_user = true
TOML

# Serving starts before the catalog is read; the catalog is in once the hub database's page is.
start_portal() {
  local t0 t1 t2
  t0=$(date +%s%N)
  "$CARGO_TARGET_DIR/release/portico" --config "$work/portico.toml" serve & pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
  t1=$(date +%s%N)
  curl -s -c "$work/cookies" -d next=/ -o /dev/null "http://127.0.0.1:$port/auth/demo"
  # Session cookies are HttpOnly: the jar writes them on lines starting `#HttpOnly_`.
  cookie=$(grep -v '^# ' "$work/cookies" | awk 'NF >= 7 {print $6 "=" $7}' | paste -sd';')
  until curl -fs -b "$cookie" "http://127.0.0.1:$port/catalog/resource/default/hub-db" | grep -q 'hub-db'; do sleep 0.05; done
  t2=$(date +%s%N)
  echo "start to serving: $(( (t1 - t0) / 1000000 )) ms; to the whole catalog loaded: $(( (t2 - t0) / 1000000 )) ms"
}
stop_portal() { kill "$pid"; wait "$pid" || true; }

echo "== cold start (creates the SQLite file, migrates, loads $ENTITIES entities)"
start_portal; stop_portal
echo "== warm start (database exists; catalog reloaded)"
start_portal
rss() { echo "RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB, peak $(( $(awk '/VmHWM/ {print $2}' /proc/$pid/status) / 1024 )) MiB"; }
echo "== after start: $(rss)"

for path in "/catalog?q=payments" "/catalog?q=region+7&kind=component" "/catalog?kind=user&page=300" \
            "/catalog/resource/default/hub-db" "/catalog/resource/default/hub-db/graph" \
            "/catalog/resource/default/hub-db/graph?depth=3" "/catalog/resource/default/hub-db/impact"; do
  echo "== GET $path ($(curl -s -b "$cookie" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$path") bytes)"
  printf '1 connection,   10 s: '
  wrk -t1 -c1 -d10s --timeout 10s -H "Cookie: $cookie" -s deploy/bench/percentiles.lua "http://127.0.0.1:$port$path" | tail -n 1
  printf '16 connections, 20 s: '
  wrk -t2 -c16 -d20s --timeout 10s -H "Cookie: $cookie" -s deploy/bench/percentiles.lua "http://127.0.0.1:$port$path" | tail -n 1
done
echo "== after load: $(rss)"
