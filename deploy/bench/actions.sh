#!/usr/bin/env bash
# Measures the actions engine for docs/performance.md: RUNS runs requested at once on the local
# runtime (a restart, then a one-line task), on SQLite and on PostgreSQL, with the default 8
# workers and with 32; then RUNS runs requested 100 ms apart, so each finds an idle worker; then
# the database's ceiling for write transactions from 16 writers, audited and not.
# Each case starts its own in-process portal on a fresh database (PostgreSQL: a throw-away
# database on PORTICO_TEST_POSTGRES_URL, by default postgres://postgres@127.0.0.1:5432/postgres,
# which deploy/dev.sh test starts).
# Usage: deploy/bench/actions.sh [RUNS=100]
# PROFILE=debug measures the debug build instead of the release one (quicker to build).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
RUNS=${1:-100}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then flag=--release; else flag=; fi
cargo build $flag -p server --example actions_bench 2>&1 | tail -n 1
bench="$CARGO_TARGET_DIR/$PROFILE/examples/actions_bench"
# One case failing (say, PostgreSQL not running) does not stop the others.
run() { "$bench" "$@" || echo "(actions_bench $* exited with $?)"; }

for database in sqlite postgres; do
  for action in restart task; do
    echo "== $database, $action, $RUNS at once, 8 workers"
    run --database "$database" --action "$action" --runs "$RUNS"
    echo
  done
  echo "== $database, restart, $RUNS at once, 32 workers"
  run --database "$database" --action restart --runs "$RUNS" --workers 32
  echo
  echo "== $database, restart, $RUNS requested 100 ms apart, 8 workers"
  run --database "$database" --action restart --runs "$RUNS" --interval-ms 100
  echo
  echo "== $database, write ceiling, 16 writers"
  run --database "$database" --services 1 --ceiling 2000
  echo
done
