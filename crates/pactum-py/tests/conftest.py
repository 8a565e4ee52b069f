"""Shared fixtures: the repository root, the shipped cases and the `pactum` binary."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CASES = sorted((ROOT / "cases").glob("*.toml"))
TESTDATA = ROOT / "testdata"


def _binary() -> Path:
    explicit = os.environ.get("PACTUM_BIN")
    if explicit:
        return Path(explicit)
    for profile in ("release", "debug"):
        p = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / profile / "pactum"
        if p.exists():
            return p
    raise RuntimeError(
        "the pactum binary is needed to compare with the CLI: build it with "
        "`cargo build --release -p pactum-cli` or set PACTUM_BIN"
    )


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI and returns its standard output (JSON parsed when asked)."""
    binary = _binary()

    def run(*args: str, parse_json: bool = True, expect_failure: bool = False):
        out = subprocess.run(
            [str(binary), *args], capture_output=True, text=True, cwd=ROOT, check=False
        )
        if expect_failure:
            assert out.returncode != 0, f"pactum {' '.join(args)} succeeded"
            return out.stderr
        assert out.returncode == 0, f"pactum {' '.join(args)}: {out.stderr}"
        return json.loads(out.stdout) if parse_json else out.stdout

    return run
