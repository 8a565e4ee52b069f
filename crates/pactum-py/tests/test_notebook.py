"""The example notebook runs from top to bottom in a real Jupyter kernel."""

from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_the_flagship_notebook_executes():
    path = ROOT / "examples" / "flagship.ipynb"
    nb = nbformat.read(path, as_version=4)
    os.environ["PACTUM_ROOT"] = str(ROOT)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    # The model table and the Monte Carlo summary were displayed.
    assert sum(1 for o in outputs if o.get("output_type") == "execute_result") >= 5
