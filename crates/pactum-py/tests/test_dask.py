"""Scale-out on a real dask.distributed LocalCluster with two worker processes."""

from __future__ import annotations

import pandas as pd
import pytest

import pactum
import pactum.dask
from conftest import ROOT

from dask.distributed import Client, LocalCluster


@pytest.fixture(scope="module")
def two_workers():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with Client(c) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            yield client


@pytest.fixture(scope="module")
def one_worker():
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with Client(c) as client:
            yield client


FLAGSHIP = str(ROOT / "cases" / "us-japan-2014.toml")


def test_dask_simulate_equals_the_cli_on_one_and_two_workers(two_workers, one_worker, cli):
    s = pactum.read(FLAGSHIP)
    expected = cli(
        "simulate", FLAGSHIP, "--model", "bdm", "--draws", "3000", "--seed", "11", "--format", "json"
    )
    runs = [
        pactum.dask.simulate(s, "bdm", 3000, seed=11, client=two_workers, chunk_size=700),
        pactum.dask.simulate(s, "bdm", 3000, seed=11, client=two_workers, chunk_size=3000),
        pactum.dask.simulate(s, "bdm", 3000, seed=11, client=one_worker, chunk_size=999),
    ]
    local = pactum.simulate(s, "bdm", draws=3000, seed=11)
    for r in runs:
        assert r.raw == expected
        assert r.text == local.text
        assert (r.draws.tobytes() == local.draws.tobytes())


def test_dask_sweep_equals_the_local_sweep_and_reports_failures(two_workers, tmp_path):
    scenarios = {p.name: pactum.read(str(p)) for p in sorted((ROOT / "cases").glob("*.toml"))}
    grid = {"q": "0.5:1:0.5", "rate": ["equal", "random"]}
    local = pactum.sweep(scenarios, ["bdm", "exchange", "compromise"], grid=grid, repetitions=2)
    out = tmp_path / "sweep.parquet"
    remote = pactum.dask.sweep(
        scenarios, ["bdm", "exchange", "compromise"], grid=grid, repetitions=2,
        client=two_workers, batch_size=3, output=out,
    )
    pd.testing.assert_frame_equal(remote, local)
    pd.testing.assert_frame_equal(pd.read_parquet(out), local)
    # bdm is swept over q, exchange over rate with 2 repetitions, compromise once.
    assert set(local.loc[local["model"] == "bdm", "parameters"]) == {"q=0.5", "q=1"}
    assert set(local.loc[local["model"] == "exchange", "repetition"]) == {0, 1}
    # An unknown preset fails its own rows and nothing else.
    bad = pactum.dask.sweep(
        scenarios, ["compromise", "bdm"], presets=["scholz2011"], client=two_workers
    )
    failed = bad[bad["failure"] != ""]
    assert set(failed["model"]) == {"compromise"}
    assert not bad[bad["model"] == "bdm"].empty and (bad.loc[bad["model"] == "bdm", "failure"] == "").any()
