#!/usr/bin/env bash
# Build times of the workspace at one commit: a cold build (empty target folder, dependencies
# included), then a rebuild after touching one file of each layer, each with cargo's --timings
# report. The commit is cloned into a folder of its own with its own target folder, so nothing
# is shared with the checkout or with another run (see README: one target folder per checkout).
#
#   bash deploy/bench/build_times.sh [COMMIT] [OUT]
#
# COMMIT defaults to HEAD; the reports and a summary go to OUT (default /tmp/build-times-COMMIT).
# Run it on an otherwise idle machine: the figures are wall-clock times.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COMMIT=$(git -C "$ROOT" rev-parse --short "${1:-HEAD}")
OUT=${2:-/tmp/build-times-$COMMIT}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$OUT"
git clone -q "$ROOT" "$WORK/src"
git -C "$WORK/src" checkout -q "$COMMIT"
cd "$WORK/src"
export CARGO_TARGET_DIR="$WORK/target"
# The flag every build of the test command uses (deploy/dev.sh).
export RUSTFLAGS="--cfg erase_components"

# One file per layer; the first path that exists at COMMIT is touched (files moved into crates).
TOUCHES=(
  "app/src/pages/services.rs"
  "server/crates/runtimes/src/kubernetes/api.rs server/src/runtime/kubernetes/api.rs"
  "server/crates/store/src/catalog.rs server/src/store/catalog.rs"
  "server/crates/actions/src/execute.rs server/src/actions/execute.rs"
  "server/src/http/mod.rs"
)

build() {
  local name=$1 start end
  start=$(date +%s.%N)
  cargo build --workspace --locked --timings >"$OUT/$name.log" 2>&1
  end=$(date +%s.%N)
  cp "$(ls -t "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing-*.html | head -1)" "$OUT/$name.html"
  printf '%s\t%.0f s\n' "$name" "$(echo "$end - $start" | bc)" | tee -a "$OUT/summary.tsv"
}

: >"$OUT/summary.tsv"
echo "commit $COMMIT, $(nproc) cores, $(rustc --version)" | tee "$OUT/about.txt"
cargo fetch --locked >/dev/null 2>&1
build cold
for candidates in "${TOUCHES[@]}"; do
  for file in $candidates; do
    if [ -f "$file" ]; then
      touch "$file"
      build "touch-$(echo "$file" | tr / _)"
      break
    fi
  done
done
echo "reports in $OUT"
