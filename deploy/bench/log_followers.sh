#!/usr/bin/env bash
# Measures live-log fan-out for docs/performance.md: one environment writing 20 lines a second,
# FOLLOWERS browsers' worth of server-sent-event connections on one release portal, and the
# time from the portal reading each line to each follower receiving it.
# Usage: deploy/bench/log_followers.sh [FOLLOWERS=1000] [SECONDS=30]
# PROFILE=debug measures the debug build instead of the release one (quicker to build).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
FOLLOWERS=${1:-1000}
SECONDS_=${2:-30}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then flag=--release; else flag=; fi
cargo build $flag -p server --bin portico --example log_followers 2>&1 | tail -n 1
# Each follower holds a socket on both sides: raise the open-files limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/catalog"
cat > "$work/catalog/chatty.yaml" <<YAML
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: chatty
spec:
  type: service
  lifecycle: production
  owner: platform
  environments:
    - name: dev
      local:
        command: i=0; while :; do i=\$((i+1)); echo "request \$i served in 12 ms"; sleep 0.05; done
YAML
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/portico.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
[log]
filter = "error"
[catalog]
paths = ["$work/catalog"]
[auth]
demo_user = true
[[access.grants]]
role = "admin"
users = ["demo"]
TOML
"$CARGO_TARGET_DIR/$PROFILE/portico" --config "$work/portico.toml" serve & pid=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
sleep 2
echo "== RSS before: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
"$CARGO_TARGET_DIR/$PROFILE/examples/log_followers" "http://127.0.0.1:$port" chatty dev "$FOLLOWERS" "$SECONDS_" &
bench=$!
sleep $(( SECONDS_ / 2 + FOLLOWERS / 500 ))
echo "== RSS with $FOLLOWERS followers: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
wait $bench
