#!/usr/bin/env bash
# End-to-end test of pactum's web page in Debian's headless Chromium.
# Installs what it needs (chromium via apt when missing, playwright-core via npm ci), builds
# the `pactum` binary (release), runs e2e.mjs and writes screenshots to docs/screenshots/ (or
# $SCREENSHOT_DIR). Fails loudly (non-zero) when anything is missing; never skips.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

fail() { echo "e2e: error: $*" >&2; exit 1; }

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: installing Debian chromium"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
  fi
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (apt-get install chromium chromium-driver)"
command -v node >/dev/null || fail "node is missing"
command -v npm >/dev/null || fail "npm is missing"

cd "$here"
npm ci --no-audit --no-fund
[ -d node_modules/playwright-core ] || fail "npm ci did not install playwright-core"

cd "$root"
# Release build: the edit -> forecasts-on-screen budget (100 ms) is a claim about the
# product, not about an unoptimised binary.
cargo build --release -p pactum-cli
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/pactum"
[ -x "$bin" ] || fail "$bin was not built"

flagship="$root/cases/us-japan-2014.toml"
[ -f "$flagship" ] || fail "$flagship is missing"

node "$here/e2e.mjs" "$bin" "$root/crates/pactum-cli/tests/fixtures/small.toml" "$flagship" \
  "${SCREENSHOT_DIR:-$root/docs/screenshots}"

node "$here/sides.mjs" "$bin" "$root/testdata/twolevel/textbook.toml" \
  "${SCREENSHOT_DIR:-$root/docs/screenshots}"

node "$here/charts.mjs" "$bin" "$root/cases/us-japan-2014-two-level.toml" "$flagship" \
  "$root/testdata/twolevel/disjoint.toml" "${SCREENSHOT_DIR:-$root/docs/screenshots}"
node "$here/seals.mjs" "$bin" "$flagship" "${SCREENSHOT_DIR:-$root/docs/screenshots}"
node "$here/library.mjs" "$bin" "$flagship" "${SCREENSHOT_DIR:-$root/docs/screenshots}"

node "$here/journey.mjs" "$bin" "$flagship" "$root/testdata/cases/bdm/bdm1994_ec_emission_standards_actors.csv" \
  "${SCREENSHOT_DIR:-$root/docs/screenshots}"
