"""The Python API against the CLI: same numbers, located errors, frames both ways."""

from __future__ import annotations

import json
import threading

import numpy as np
import pandas as pd
import pytest

import pactum
from conftest import CASES, ROOT, TESTDATA


def test_the_shipped_cases_are_all_here():
    names = {p.name for p in CASES}
    assert {"emission-1994.toml", "us-japan-2014.toml"} <= names


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_every_model_matches_the_cli_exactly(case, cli):
    scenario = pactum.read(str(case))
    listed = pactum.models()["name"].tolist()
    ran = 0
    for model in listed:
        try:
            df = pactum.forecast(scenario, models=[model])
        except pactum.ModelError as e:
            # The CLI refuses it too, with the same reason.
            err = cli("forecast", str(case), "--model", model, "--format", "json", expect_failure=True)
            assert str(e) in err, f"{case.name} {model}: {e} / {err}"
            continue
        expected = cli("forecast", str(case), "--model", model, "--format", "json")
        assert df.attrs["forecasts"] == [expected], f"{case.name} {model}"
        ran += 1
    assert ran >= 3, f"only {ran} models ran on {case.name}"


def test_default_forecast_runs_every_suitable_model_like_the_cli(cli):
    case = ROOT / "cases" / "us-japan-2014.toml"
    df = pactum.forecast(pactum.read(str(case)))
    expected = cli("forecast", str(case), "--format", "json")
    assert df.attrs["forecasts"] == expected["forecasts"]
    assert set(df.columns) == {"issue", "model", "forecast", "mean", "outcome", "error"}
    known = df.dropna(subset=["outcome"])
    assert not known.empty
    assert np.allclose(known["error"], known["forecast"] - known["outcome"])


def test_rounds_give_the_paths():
    s = pactum.read(str(ROOT / "cases" / "emission-1994.toml"))
    paths = pactum.forecast(s, models="bdm", rounds=True)
    assert list(paths.columns) == ["model", "issue", "round", "actor", "position", "median", "mean"]
    assert paths["round"].min() == 0 and paths["round"].max() >= 1
    assert paths.groupby("round")["actor"].nunique().eq(10).all()


def test_simulate_matches_the_cli_to_the_bit(cli):
    case = str(ROOT / "cases" / "us-japan-2014.toml")
    s = pactum.read(case)
    sim = pactum.simulate(s, "bdm", draws=2000, seed=7, thresholds=[10.0])
    expected = cli(
        "simulate", case, "--model", "bdm", "--draws", "2000", "--seed", "7",
        "--threshold", "10", "--format", "json",
    )
    assert sim.raw == expected
    assert sim.draws.shape == (2000, len(sim.issues))
    assert sim.draws.dtype == np.float64
    # The draws are the ones summarised: their median is the reported one.
    for k, issue in enumerate(sim.issues):
        col = sim.draws[:, k]
        col = col[np.isfinite(col)]
        row = sim.summary.set_index("issue").loc[issue]
        assert np.median(col) == pytest.approx(row["median"], rel=0, abs=1e-12)


def test_sensitivity_levers_and_backtest_match_the_cli(cli):
    case = str(TESTDATA / "peers" / "schelling" / "emission1994_widened.input.json")
    s = pactum.read(case)
    sens = pactum.sensitivity(s, "bdm", samples=256)
    assert sens.attrs["raw"] == cli("sensitivity", case, "--model", "bdm", "--samples", "256", "--format", "json")
    assert list(sens["input"]) == ["germany.position", "france.position"]
    assert (sens["first_order"] <= sens["total"] + 1e-12).all()
    lev = pactum.levers(s, "compromise", "germany", draws=50)
    assert lev.attrs["raw"] == cli(
        "levers", case, "--model", "compromise", "--actor", "germany", "--draws", "50", "--format", "json"
    )
    dev = str(TESTDATA / "deu3" / "deu3-dev.tsv")
    bt = pactum.backtest(dev, models=["compromise", "median"], folds=0, replicates=100)
    expected = cli(
        "backtest", dev, "--model", "compromise", "--model", "median", "--folds", "0",
        "--replicates", "100", "--format", "json",
    )
    assert set(lev["kind"]) == {"own", "others"}
    assert bt.attrs["raw"] == expected
    assert bt.loc[bt["model"] == "compromise", "n"].item() == expected["models"][0]["n"]


def test_frames_round_trip_every_shipped_case():
    for case in CASES:
        s = pactum.read(str(case))
        actors, issues, stances = s.to_frames()
        back = pactum.Scenario.from_frames(actors, issues, stances, title=s.title)
        a = pactum.forecast(s, models="compromise")
        b = pactum.forecast(back, models="compromise")
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        assert back.to_frames()[2].equals(stances)


def test_frame_errors_name_frame_row_and_field():
    actors = pd.DataFrame({"id": ["a", "b"], "capability": [1.0, 2.0]})
    issues = pd.DataFrame({"id": ["x"], "lo": [0.0], "hi": [10.0]})
    stances = pd.DataFrame(
        {"actor": ["a", "b"], "issue": ["x", "x"], "position": [1.0, 9.0], "salience": [0.5, 1.5]}
    )
    with pytest.raises(pactum.InputError) as e:
        pactum.Scenario.from_frames(actors, issues, stances)
    msg = str(e.value)
    assert "stances" in msg and ":2" in msg and "salience" in msg, msg
    bad = stances.assign(position=["left", 9.0])
    with pytest.raises(pactum.InputError, match=r"stances row 1: field `position`"):
        pactum.Scenario.from_frames(actors, issues, bad)
    with pytest.raises(pactum.InputError, match="missing column"):
        pactum.Scenario.from_frames(actors.drop(columns="capability"), issues, stances)


def test_errors_are_importable_classes_with_located_messages(tmp_path):
    assert issubclass(pactum.InputError, pactum.PactumError)
    assert issubclass(pactum.ModelError, pactum.PactumError)
    f = tmp_path / "bad.toml"
    f.write_text(
        'title = "t"\n[[actors]]\nid = "a"\ncapability = -1\n'
        '[[issues]]\nid = "x"\nscale = { lo = 0, hi = 1 }\n'
        '[[stances]]\nactor = "a"\nissue = "x"\nposition = 0.5\nsalience = 1\n'
    )
    with pytest.raises(pactum.InputError, match=r"bad.toml:4(:\d+)?: field `capability`"):
        pactum.read(str(f))
    s = pactum.read(str(ROOT / "cases" / "emission-1994.toml"))
    with pytest.raises(pactum.ModelError, match="unknown model"):
        pactum.forecast(s, models="nope")
    with pytest.raises(pactum.ModelError, match="q"):
        pactum.forecast(s, models="bdm", params={"q": "many"})


def test_read_takes_text_and_refuses_several_scenarios():
    text = (ROOT / "cases" / "emission-1994.toml").read_text()
    assert pactum.read(text).title == pactum.read(str(ROOT / "cases" / "emission-1994.toml")).title
    dev = str(TESTDATA / "deu3" / "deu3-dev.tsv")
    with pytest.warns(UserWarning):
        many = pactum.read_all(dev)
    assert len(many) > 100
    with pytest.raises(pactum.InputError, match="read_all"), pytest.warns(UserWarning):
        pactum.read(dev)


def test_scenarios_pickle_and_show_in_jupyter():
    import pickle

    s = pactum.read(str(ROOT / "cases" / "us-japan-2014.toml"))
    back = pickle.loads(pickle.dumps(s))
    assert back.to_toml() == s.to_toml()
    html = s._repr_html_()
    assert html.count("<svg") == len(s.to_frames()[1])
    assert "<table" in html
    page = pactum.report(s, models=["compromise", "bdm"])
    assert page.startswith("<!DOCTYPE html>") and "bdm" in page


def test_local_sweep_equals_the_cli_sweep(cli, tmp_path):
    case = str(ROOT / "cases" / "emission-1994.toml")
    s = pactum.read(case)
    df = pactum.sweep({case: s}, ["bdm", "compromise"], grid={"q": "0.5:1:0.25"})
    text = cli("sweep", case, "-m", "bdm", "-m", "compromise", "--grid", "q=0.5:1:0.25", parse_json=False)
    out = tmp_path / "cli.csv"
    out.write_text(text)
    expected = pd.read_csv(out, keep_default_na=False, na_values=[""])
    for c in ("preset", "parameters", "issue", "failure"):
        expected[c] = expected[c].fillna("").astype(str)
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)
    assert (df["failure"] == "").all()
    pq = tmp_path / "s.parquet"
    pactum.sweep(s, "bdm", grid={"q": [0.5, 1]}, output=pq)
    assert len(pd.read_parquet(pq)) == 2


def test_the_gil_is_released_while_a_model_runs():
    s = pactum.read(str(ROOT / "cases" / "us-japan-2014.toml"))
    done = threading.Event()
    ticks = 0

    def work():
        pactum.simulate(s, "bdm", draws=20_000, seed=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
    t.join()
    # Had the run held the GIL, this thread could not have counted while it ran.
    assert ticks > 1000
