"""Scale pactum out on a Dask cluster (``dask.distributed``).

The same code runs on a laptop (``LocalCluster``), on an HPC queue (``dask-jobqueue``) or
on Kubernetes: pass the ``client`` you have. Results do not depend on the cluster:

- :func:`simulate` splits the draws into chunks. Draw ``i`` depends only on
  ``(seed, i)``, so the chunks, gathered in draw order and summarised by the library, give
  the bytes ``pactum simulate`` prints with the same seed, whatever the number of workers
  or the chunk size.
- :func:`sweep` sends one task per scenario × model × preset × grid point × repetition
  (in batches), and gathers the rows in task order; a failing task is a row with its
  message, never an aborted sweep.

See ``docs/scale-out.md``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from . import Scenario, Simulation, _native, _params, _plan, _sim_options, _simulation
from . import _labelled, _sweep_frame, _write_table

__all__ = ["simulate", "sweep"]

#: Draws per task when ``chunk_size`` is not given.
DEFAULT_CHUNK = 250_000


def _client(client):
    if client is not None:
        return client
    from dask.distributed import get_client

    return get_client()


def _draw_chunk(scenario, model, options, start, count, preset, params):
    return _native.draw_chunk(scenario._native, model, options, start, count, preset, params)


def simulate(
    scenario: Scenario,
    model: str,
    draws: int,
    seed: int = 42,
    client=None,
    chunk_size: int | None = None,
    distribution: str = "triangular",
    thresholds: Sequence[float] = (),
    bins: int = 20,
    params: Mapping[str, Any] | None = None,
    preset: str | None = None,
) -> Simulation:
    """:func:`pactum.simulate` over a Dask cluster: the same :class:`~pactum.Simulation`,
    byte for byte, for any number of workers and any ``chunk_size``.

    Each task runs ``chunk_size`` draws (default 250,000) with the library's threads and
    returns their forecasts (8 bytes × issues per draw); the client gathers them in draw
    order and summarises them once.
    """
    c = _client(client)
    options = _sim_options(draws, seed, distribution, thresholds, bins)
    chunk = int(chunk_size or DEFAULT_CHUNK)
    if chunk < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    p = _params(params)
    [remote] = c.scatter([scenario], broadcast=True, hash=False)
    futures = [
        c.submit(
            _draw_chunk,
            remote,
            model,
            options,
            start,
            min(chunk, draws - start),
            preset,
            p,
            pure=False,
        )
        for start in range(0, draws, chunk)
    ]
    parts = c.gather(futures)
    per_draw = parts[0][2] if parts else 1
    values = b"".join(d for d, _, _ in parts)
    agreement = b"".join(a for _, a, _ in parts)
    text = _native.simulation_from_draws(
        scenario._native, model, options, values, agreement, per_draw, preset, p
    )
    return _simulation(text, np.frombuffer(values, dtype="<f8"), per_draw)


def _run_batch(labelled, tasks_json):
    rows = []
    for task in tasks_json:
        t = json.loads(task)
        label, scenario = labelled[t["scenario"]]
        rows.extend(json.loads(_native.sweep_task(label, scenario._native, task)))
    return rows


def sweep(
    scenarios,
    models: Sequence[str] | str,
    grid: Mapping[str, Any] | None = None,
    client=None,
    presets: Sequence[str] | None = None,
    repetitions: int = 1,
    output: str | os.PathLike | None = None,
    batch_size: int = 64,
) -> pd.DataFrame:
    """:func:`pactum.sweep` over a Dask cluster: the same tidy DataFrame, rows in task
    order, with ``batch_size`` runs per Dask task. ``output`` also writes it (``.parquet``
    or CSV, atomically)."""
    c = _client(client)
    labelled = _labelled(scenarios)
    plan = json.dumps(_plan(models, grid, presets, repetitions))
    tasks = [json.dumps(t) for t in json.loads(_native.sweep_tasks(len(labelled), plan))]
    [remote] = c.scatter([labelled], broadcast=True, hash=False)
    size = max(1, int(batch_size))
    futures = [
        c.submit(_run_batch, remote, tasks[k : k + size], pure=False)
        for k in range(0, len(tasks), size)
    ]
    rows = [r for batch in c.gather(futures) for r in batch]
    df = _sweep_frame(rows)
    _write_table(df, output)
    return df
