#!/usr/bin/env bash
# Measures what docs/performance.md reports for the audit log under a flood of junk requests:
# 10,000 GET /sign-in with an unknown `Authorization: Bearer` token (16 at a time, from one
# address), then 10,000 GET /auth/github/callback with no sign-in waiting, against a debug
# portal on a fresh SQLite database; how many events each flood appended, and the answers.
# Usage: deploy/bench/audit_flood.sh [PORTICO_BINARY]   (default: the debug build)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
binary=${1:-}
if [ -z "$binary" ]; then
  cargo build -q -p server --bin portico
  binary="$CARGO_TARGET_DIR/debug/portico"
fi
requests=${REQUESTS:-10000}

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/data" "$work/site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
cat > "$work/portico.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
site_root = "$work/site"
[log]
filter = "error"
[auth.github]
client_id = "bench"
client_secret = "bench"
TOML
"$binary" --config "$work/portico.toml" serve & pid=$!
until curl -fs "$url/readyz" >/dev/null; do sleep 0.05; done

events() { sqlite3 "$work/data/portico.db" 'SELECT last_seq FROM audit_chain WHERE id = 1'; }

flood() {
  local name=$1; shift
  local before after started elapsed
  before=$(events)
  started=$(date +%s.%N)
  seq "$requests" | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$@" >"$work/codes"
  elapsed=$(awk "BEGIN { print $(date +%s.%N) - $started }")
  after=$(events)
  printf '== %s: %d requests in %.1f s, %d events appended; answers: %s\n' "$name" "$requests" "$elapsed" $(( after - before )) \
    "$(sort "$work/codes" | uniq -c | awk '{ printf "%s x %s  ", $2, $1 }')"
}

flood "unknown bearer tokens" -H 'Authorization: Bearer portico_junk' "$url/sign-in"
flood "callbacks with no sign-in waiting" "$url/auth/github/callback?code=x&state=y"
