#!/usr/bin/env bash
# The Python package end to end, as a user meets it: build the wheel with maturin, install it
# in a fresh virtual environment, then run the pytest suite (API against the CLI, Dask on a
# real LocalCluster with two worker processes, the example notebook in a real kernel).
# Needs the release CLI (`cargo build --release -p pactum-cli`) for the CLI comparisons.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== pactum-py: fmt and clippy"
cargo fmt --manifest-path "$here/Cargo.toml" -- --check
cargo clippy --manifest-path "$here/Cargo.toml" --locked -- -D warnings

echo "== pactum-py: build the wheel (maturin, abi3)"
python3 -m venv "$work/build"
"$work/build/bin/pip" install -q "maturin>=1.9,<2"
"$work/build/bin/maturin" build --release --locked -m "$here/Cargo.toml" -o "$work/wheels"

echo "== pactum-py: install it in a fresh virtual environment"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/wheels/pactum-*.whl
"$work/venv/bin/pip" install -q "pytest>=7" "dask[distributed]>=2024.1" "pyarrow>=14" \
  "nbclient>=0.9" "nbformat>=5.9" "ipykernel>=6"
"$work/venv/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null

echo "== pactum-py: pytest (API, Dask LocalCluster, notebook)"
cd "$work"  # import the installed wheel, not the source folder
PACTUM_BIN="${PACTUM_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/pactum}" \
  "$work/venv/bin/python" -m pytest "$here/tests" -q -p no:cacheprovider
