#!/usr/bin/env bash
# Creates the demo's code history: one git repository per demo service under $1 (default
# data/demo-repositories), `owner/name` as the services' github.com/project-slug annotations
# say, with a few weeks of commits and an annotated release tag for every version the demo
# catalog runs and a few it does not run yet. The delivery view reads them the way it reads
# GitHub (docs/delivery.md). Run again, it leaves repositories of the same recipe alone.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=${1:-$ROOT/data/demo-repositories}
# Bump when the recipe below changes: repositories of an older recipe are made again.
RECIPE=1

# repository, then its releases oldest first. The catalog runs some of them.
RELEASES=(
  "checkout 1.7.0 1.7.1 1.7.2 1.7.3 1.8.0"
  "payments-gateway 3.1.0 3.2.0 3.2.1"
  "pricing 0.9.2 0.9.3 0.9.4"
  "coupons 1.9.0 2.0.0"
  "inventory 1.0.8 1.0.9 1.1.0"
  "shipping 0.4.0 0.4.1 0.4.2"
  "storefront 4.11.0 4.12.0 5.0.0-rc.1 5.0.0-rc.2"
  "search 2.2.0 2.3.0"
)
AUTHORS=("Ada Okafor:ada" "Bruno Lindqvist:bruno" "Chen Wei:chen" "Dara Murphy:dara" "Esme Laurent:esme")
CHANGES=(
  "Retry the payment provider once on a timeout"
  "Log the request id with every error"
  "Move the feature flags to the shared config"
  "Fix the rounding of totals in multi-currency baskets"
  "Add an index for the orders-by-customer query"
  "Drop the unused v1 endpoints"
  "Bump the HTTP client to the current release"
  "Cache the price list for 60 seconds"
  "Validate postcodes before calling the carrier"
  "Make the health check report the database"
  "Split the slow integration tests into their own job"
  "Show a clearer message when the basket is empty"
)

make_repository() {
  local dir=$1 name=$2; shift 2
  rm -rf "$dir"
  mkdir -p "$dir"
  git -C "$dir" init -q -b main
  # Dates spread over the last four weeks, 9 hours apart, so that the pages show a history.
  local at=$(( $(date +%s) - 28 * 86400 )) n=0 release
  for release in "$@"; do
    local commits=$(( 2 + ${#name} % 3 + n % 2 ))
    for _ in $(seq 1 "$commits"); do
      local author=${AUTHORS[$(( n % ${#AUTHORS[@]} ))]}
      local change=${CHANGES[$(( (n * 7 + ${#name}) % ${#CHANGES[@]} ))]}
      echo "$change" >> "$dir/CHANGES"
      git -C "$dir" add CHANGES
      GIT_AUTHOR_NAME=${author%%:*} GIT_AUTHOR_EMAIL="${author##*:}@inkwell.example" GIT_AUTHOR_DATE="@$at +0000" \
        GIT_COMMITTER_NAME=${author%%:*} GIT_COMMITTER_EMAIL="${author##*:}@inkwell.example" GIT_COMMITTER_DATE="@$at +0000" \
        git -C "$dir" commit -q -m "$change (#$(( 100 + n )))"
      at=$(( at + 9 * 3600 )); n=$(( n + 1 ))
    done
    GIT_COMMITTER_NAME="Release bot" GIT_COMMITTER_EMAIL="releases@inkwell.example" GIT_COMMITTER_DATE="@$at +0000" \
      git -C "$dir" tag -a "v$release" -m "Release $release"
  done
  echo "$RECIPE" > "$dir/.git/portico-demo-recipe"
}

for line in "${RELEASES[@]}"; do
  read -r name releases <<< "$line"
  dir=$TARGET/inkwell/$name
  if [ "$(cat "$dir/.git/portico-demo-recipe" 2>/dev/null)" != "$RECIPE" ]; then
    # shellcheck disable=SC2086 # the releases are words
    make_repository "$dir" "$name" $releases
  fi
done
