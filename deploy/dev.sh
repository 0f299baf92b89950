#!/usr/bin/env bash
# Portico's developer entry point. On a brand-new machine it installs what is missing (each tool
# only when absent or at the wrong version), then:
#   deploy/dev.sh run    builds and serves the portal with the demo catalog on http://127.0.0.1:3000
#   deploy/dev.sh test   runs every test: WASM dependency check, clippy (server and browser builds), unit, integration
#                        (SQLite and PostgreSQL) and browser tests
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CARGO_LEPTOS_VERSION=0.3.6
# The AWS API emulator the ECS runtime's tests run against.
MOTO_VERSION=5.2.1
# Builds are kept outside the checkout so a fresh clone on the same machine reuses them.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/portico/target}
export PATH="$HOME/.cargo/bin:$ROOT/style/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Runs `npm install` in $1 (npm ci trips over optional platform packages missing from the lock
# file) unless its node_modules already matches its lock file.
npm_install() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.portico-lock"; then
    say "npm install in $dir"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.portico-lock"
  fi
}

setup_build() {
  command -v cargo >/dev/null || { echo "Rust is required: install it with rustup (https://rustup.rs)." >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (a one-off, ~20 minutes on 2 cores)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  # The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
    say "installing wasm-bindgen-cli $wb"
    cargo install wasm-bindgen-cli --version "$wb"
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  npm_install style
}

setup_test() {
  setup_build
  npm_install end2end
  [ -x /usr/bin/chromium ] || apt_install chromium
  if [ "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ] || ! command -v moto_server >/dev/null; then
    command -v python3 >/dev/null || apt_install python3 python3-pip
    say "installing moto[server] $MOTO_VERSION (AWS API emulator for the ECS tests)"
    python3 -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
    hash -r
  fi
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
}

# The browser bundle must stay free of server-only crates: they would not compile to WASM, and
# if they did they would bloat the download.
check_wasm_dependencies() {
  say "checking the WASM build's dependency tree"
  local tree forbidden
  tree=$(cargo tree -p app --target wasm32-unknown-unknown --no-default-features -F hydrate -e normal --prefix none)
  forbidden=$(echo "$tree" | awk '{print $1}' | grep -xE 'sqlx|sqlx-core|tokio|octocrab|kube|kube-client|axum|hyper|leptos_axum|aws-sdk-.*|store|runtimes|github-api|actions|server' | sort -u || true)
  if [ -n "$forbidden" ]; then
    echo "The hydrate (WASM) build depends on server-only crates: $forbidden" >&2
    exit 1
  fi
  echo "ok: no server-only crate in the WASM build"
}

# Each crate may import only the workspace crates docs/architecture.md allows it.
check_crate_imports() {
  say "checking what each crate imports"
  cargo metadata --format-version 1 --no-deps --locked | python3 "$ROOT/deploy/checks/crate_imports.py"
}

run_portal() {
  setup_build
  export PORTICO_CONFIG=${PORTICO_CONFIG:-$ROOT/deploy/demo/portico.toml}
  # The demo services' code history, which the delivery view reads (docs/delivery.md).
  command -v git >/dev/null || apt_install git
  "$ROOT/deploy/demo/repositories.sh" "$ROOT/data/demo-repositories"
  say "building and serving Portico on http://127.0.0.1:3000 (Ctrl-C to stop)"
  exec cargo leptos serve
}

run_tests() {
  setup_test
  # cargo-leptos builds debug code with `--cfg erase_components` (views type-erased: the WASM
  # build needs it, and it compiles faster). Every build of the test command uses the same flag,
  # so that clippy, the tests and the browser tests share one build of the dependencies, and the
  # server `cargo test` builds hydrates with the WASM cargo-leptos builds.
  export RUSTFLAGS="--cfg erase_components"
  check_wasm_dependencies
  check_crate_imports
  say "clippy (warnings are errors)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  say "clippy of the browser build (app with hydrate, for WASM)"
  cargo clippy -p app --target wasm32-unknown-unknown --no-default-features -F hydrate --locked -- -D warnings
  # `cargo test` also builds the `portico` and `github-double` binaries (their packages have
  # integration tests): the browser tests drive those, so the server is compiled once for both,
  # and cargo-leptos only builds the browser's half (WASM and CSS).
  say "unit and integration tests (SQLite and PostgreSQL)"
  cargo test --workspace --locked
  say "building the site's WASM and CSS for the browser tests"
  cargo leptos build --frontend-only
  say "browser tests"
  E2E_PORTICO_BIN="$CARGO_TARGET_DIR/debug/portico" E2E_SITE_ROOT="$ROOT/target/site" \
    E2E_GITHUB_DOUBLE_BIN="$CARGO_TARGET_DIR/debug/github-double" \
    node --test --test-concurrency=1 end2end/tests/
}

case "${1:-}" in
  run) run_portal ;;
  test) run_tests ;;
  setup) setup_test ;;
  *) echo "usage: deploy/dev.sh run|test|setup" >&2; exit 2 ;;
esac
