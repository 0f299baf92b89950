#!/usr/bin/env bash
# Measures the environments grid for docs/performance.md: 10,000 services with dev, staging and
# prod each (30,000 environments), pages read by a signed-in user with wrk on loopback.
# The environments name a Kubernetes cluster whose API is a closed local port, so every
# status is recorded as "unreachable" within seconds: the grid reads the same rows either way.
# Usage: deploy/bench/grid.sh [SERVICES=10000]; PROFILE=debug for the debug build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SERVICES=${1:-10000}
PROFILE=${PROFILE:-release}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ "$PROFILE" = release ]; then flag=--release; else flag=; fi
cargo build $flag -p server --bin portico 2>&1 | tail -n 1

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
python3 deploy/bench/generate_catalog.py "$work/catalog" "$SERVICES" --environments
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "http://127.0.0.1:9"}}]
users: [{name: bench, user: {token: bench}}]
contexts: [{name: bench, context: {cluster: bench, user: bench}}]
current-context: bench
YAML
cat > "$work/portico.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
[log]
filter = "error"
[catalog]
paths = ["$work/catalog"]
[auth]
demo_user = true
[runtime]
poll_seconds = 3600
retries = 0
timeout_seconds = 1
[runtime.kubernetes.bench]
kubeconfig = "$work/kubeconfig"
TOML
"$CARGO_TARGET_DIR/$PROFILE/portico" --config "$work/portico.toml" serve & pid=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
cookie=$(curl -s -o /dev/null -D - -X POST -d next=/ "http://127.0.0.1:$port/auth/demo" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')
echo "== waiting for the first status round over $(( SERVICES * 3 )) environments"
until [ "$(curl -s -H "cookie: $cookie" "http://127.0.0.1:$port/environments?page=$(( SERVICES / 50 ))" | grep -c 'unreachable')" -gt 0 ]; do sleep 1; done
for path in "/environments" "/environments?q=billing" "/environments?owner=team-07&lifecycle=production" "/environments?page=150"; do
  echo "== GET $path"
  printf '1 connection,   10 s: '
  wrk -t1 -c1 -d10s -H "cookie: $cookie" -s deploy/bench/percentiles.lua "http://127.0.0.1:$port$path" | tail -n 1
  printf '16 connections, 20 s: '
  wrk -t2 -c16 -d20s -H "cookie: $cookie" -s deploy/bench/percentiles.lua "http://127.0.0.1:$port$path" | tail -n 1
done
echo "== RSS after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
