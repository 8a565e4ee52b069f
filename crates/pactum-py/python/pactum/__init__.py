"""pactum: forecast how multi-party negotiations end, from Python.

The numbers come from the same Rust library as the ``pactum`` command line, with the GIL
released while models run; this module only turns them into pandas DataFrames and NumPy
arrays. See ``docs/python.md`` for a walk-through.

>>> import pactum
>>> s = pactum.read("cases/emission-1994.toml")          # doctest: +SKIP
>>> pactum.forecast(s, models=["bdm"])                     # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence, Union

import numpy as np
import pandas as pd

from . import _native
from ._native import InputError, ModelError, PactumError

__all__ = [
    "Scenario",
    "Simulation",
    "InputError",
    "ModelError",
    "PactumError",
    "read",
    "read_all",
    "forecast",
    "simulate",
    "sensitivity",
    "levers",
    "backtest",
    "report",
    "sweep",
    "models",
    "__version__",
]

__version__: str = _native.__version__

PathOrText = Union[str, "os.PathLike[str]", bytes]
Params = Mapping[str, Any]

_ACTOR_COLUMNS = ["id", "name", "capability", "capability_low", "capability_high", "group"]
_ISSUE_COLUMNS = [
    "id",
    "question",
    "lo",
    "hi",
    "unit",
    "lo_label",
    "hi_label",
    "reference_point",
    "outcome",
]
_STANCE_COLUMNS = [
    "actor",
    "issue",
    "position",
    "position_low",
    "position_high",
    "salience",
    "salience_low",
    "salience_high",
    "capability",
    "capability_low",
    "capability_high",
]


class Scenario:
    """A validated negotiation scenario: actors, issues and stances.

    Build one with :func:`read`, :meth:`from_frames`, or ``Scenario.from_toml(text)``.
    It pickles (as JSON), so it can be sent to Dask workers.
    """

    __slots__ = ("_native",)

    def __init__(self, native: "_native.Scenario") -> None:
        self._native = native

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_toml(cls, text: str, name: str = "<text>") -> "Scenario":
        """A scenario from pactum's native TOML text."""
        return read(text, format="toml", name=name)

    @classmethod
    def from_frames(
        cls,
        actors: pd.DataFrame,
        issues: pd.DataFrame,
        stances: pd.DataFrame,
        title: str = "",
    ) -> "Scenario":
        """A scenario from three DataFrames (the columns :meth:`to_frames` gives).

        ``actors``: ``id``, ``capability`` and optionally ``name``, ``group``,
        ``capability_low``/``capability_high`` (a range around ``capability``, the mode).
        ``issues``: ``id``, ``lo``, ``hi`` and optionally ``question``, ``unit``,
        ``lo_label``, ``hi_label``, ``reference_point``, ``outcome``.
        ``stances``: ``actor``, ``issue``, ``position``, ``salience`` (0–1), optionally a
        per-issue ``capability`` overriding the actor's, and optional ``*_low``/``*_high``
        ranges. Errors name the frame, its row (1-based) and the field. Frames carry the
        numbers and labels only; sources and notes travel in :meth:`to_toml`.
        """
        doc = {
            "title": title,
            "actors": [_actor_record(r) for r in _records(actors, "actors", ["id", "capability"])],
            "issues": [_issue_record(r) for r in _records(issues, "issues", ["id", "lo", "hi"])],
            "stances": [
                _stance_record(r)
                for r in _records(stances, "stances", ["actor", "issue", "position", "salience"])
            ],
        }
        return cls(_native.Scenario.from_json(json.dumps(doc, allow_nan=False), "frame"))

    # -- views --------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """The scenario's title."""
        return self._native.title

    def to_toml(self) -> str:
        """The scenario as pactum's native TOML (what ``pactum convert --to toml`` writes)."""
        return self._native.to_toml()

    def to_dict(self) -> dict:
        """The scenario as a dict with the native format's keys."""
        return json.loads(self._native.to_json())

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(actors, issues, stances)`` DataFrames; :meth:`from_frames` reads them back."""
        d = self.to_dict()
        actors = pd.DataFrame(
            [
                {
                    "id": a["id"],
                    "name": a.get("name", ""),
                    **_estimate_columns("capability", a["capability"]),
                    "group": a.get("group"),
                }
                for a in d.get("actors", [])
            ],
            columns=_ACTOR_COLUMNS,
        )
        issues = pd.DataFrame(
            [
                {
                    "id": i["id"],
                    "question": i.get("question", ""),
                    "lo": i["scale"]["lo"],
                    "hi": i["scale"]["hi"],
                    "unit": i["scale"].get("unit", ""),
                    "lo_label": i["scale"].get("lo_label", ""),
                    "hi_label": i["scale"].get("hi_label", ""),
                    "reference_point": i.get("reference_point", math.nan),
                    "outcome": (i.get("outcome") or {}).get("value", math.nan),
                }
                for i in d.get("issues", [])
            ],
            columns=_ISSUE_COLUMNS,
        )
        stances = pd.DataFrame(
            [
                {
                    "actor": s["actor"],
                    "issue": s["issue"],
                    **_estimate_columns("position", s["position"]),
                    **_estimate_columns("salience", s["salience"]),
                    **_estimate_columns("capability", s.get("capability", math.nan)),
                }
                for s in d.get("stances", [])
            ],
            columns=_STANCE_COLUMNS,
        )
        return actors, issues, stances

    def __repr__(self) -> str:
        d = self.to_dict()
        return (
            f"<pactum.Scenario {self.title!r}: {len(d.get('actors', []))} actors, "
            f"{len(d.get('issues', []))} issues, {len(d.get('stances', []))} stances>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: the actor table and a position map per issue."""
        return _scenario_html(self)

    # -- pickling (Dask ships scenarios to workers) -------------------------------------
    def __getstate__(self) -> str:
        return self._native.to_json()

    def __setstate__(self, state: str) -> None:
        self._native = _native.Scenario.from_json(state, "pickle")


@dataclass
class Simulation:
    """A Monte Carlo run.

    ``summary``: one row per issue (median, mean, p10, p90, sd, min, max, at_modes, ...).
    ``draws``: the forecasts, shape ``(draws, issues)``, NaN where the model gave none, a
    read-only view of the bytes the library wrote (no per-draw copy).
    ``issues``: the column names of ``draws``. ``raw``: the JSON ``pactum simulate`` prints.
    """

    summary: pd.DataFrame
    draws: np.ndarray
    issues: list
    raw: dict = field(repr=False)
    text: str = field(repr=False, default="")


def _records(df: pd.DataFrame, frame: str, required: Sequence[str]) -> list:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"frame {frame}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"frame {frame}: missing column(s) {', '.join(missing)}; "
            f"expected at least {', '.join(required)}"
        )
    out = []
    for k, row in enumerate(df.to_dict("records")):
        clean = {c: v for c, v in row.items() if not _blank(v)}
        clean["__row"] = k + 1
        clean["__frame"] = frame
        for c in required:
            if c not in clean:
                raise InputError(f"frame {frame} row {k + 1}: field `{c}` is empty")
        out.append(clean)
    return out


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _number(r: dict, key: str) -> float:
    v = r[key]
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(
            f"frame {r['__frame']} row {r['__row']}: field `{key}`: expected a number, got {v!r}"
        ) from None
    if not math.isfinite(x):
        raise InputError(
            f"frame {r['__frame']} row {r['__row']}: field `{key}`: expected a finite number, got {v!r}"
        )
    return x


def _estimate(r: dict, key: str) -> Any:
    mode = _number(r, key)
    lo_key, hi_key = f"{key}_low", f"{key}_high"
    if lo_key in r or hi_key in r:
        low = _number(r, lo_key) if lo_key in r else mode
        high = _number(r, hi_key) if hi_key in r else mode
        return {"low": low, "mode": mode, "high": high}
    return mode


def _estimate_columns(key: str, value: Any) -> dict:
    if isinstance(value, dict):
        return {key: value["mode"], f"{key}_low": value["low"], f"{key}_high": value["high"]}
    return {key: value, f"{key}_low": math.nan, f"{key}_high": math.nan}


def _actor_record(r: dict) -> dict:
    out = {"id": str(r["id"]), "capability": _estimate(r, "capability")}
    if "name" in r:
        out["name"] = str(r["name"])
    if "group" in r:
        out["group"] = str(r["group"])
    return out


def _issue_record(r: dict) -> dict:
    scale = {"lo": _number(r, "lo"), "hi": _number(r, "hi")}
    for k in ("unit", "lo_label", "hi_label"):
        if k in r:
            scale[k] = str(r[k])
    out: dict = {"id": str(r["id"]), "scale": scale}
    if "question" in r:
        out["question"] = str(r["question"])
    if "reference_point" in r:
        out["reference_point"] = _number(r, "reference_point")
    if "outcome" in r:
        out["outcome"] = {"value": _number(r, "outcome")}
    return out


def _stance_record(r: dict) -> dict:
    out = {
        "actor": str(r["actor"]),
        "issue": str(r["issue"]),
        "position": _estimate(r, "position"),
        "salience": _estimate(r, "salience"),
    }
    if "capability" in r:
        out["capability"] = _estimate(r, "capability")
    return out


def _bytes_and_name(source: PathOrText, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, name or "<bytes>"
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and os.path.exists(source)
    ):
        path = os.fspath(source)
        try:
            with open(path, "rb") as f:
                return f.read(), name or path
        except OSError as e:
            raise InputError(f"{path}: cannot read: {e.strerror}") from None
    if isinstance(source, str) and "\n" not in source and "=" not in source and "," not in source:
        raise InputError(f"{source}: no such file (and it does not look like scenario text)")
    return str(source).encode("utf-8"), name or "<text>"


def read_all(
    source: PathOrText, format: str | None = None, name: str | None = None
) -> list[Scenario]:
    """Every scenario in a file (a path) or in text, in any format pactum reads.

    A DEU III table gives one scenario per row. ``format`` overrides detection (``toml``,
    ``ktab``, ``decide``, ``table``, ``schelling``, ``deu``). Reader warnings are issued
    with :mod:`warnings`; malformed rows that a reader skips are warned about too.
    """
    data, label = _bytes_and_name(source, name)
    scenarios, warns, skipped = _native.read(label, data, format)
    if warns or skipped:
        import warnings

        for w in warns:
            warnings.warn(w, stacklevel=2)
        for s in skipped:
            warnings.warn(f"skipped: {s}", stacklevel=2)
    return [Scenario(s) for s in scenarios]


def read(source: PathOrText, format: str | None = None, name: str | None = None) -> Scenario:
    """The one scenario in a file (a path) or in text; see :func:`read_all` for files with
    several (a DEU III table)."""
    all_ = read_all(source, format=format, name=name)
    if len(all_) != 1:
        raise InputError(
            f"{name or source if not isinstance(source, bytes) else '<bytes>'}: holds "
            f"{len(all_)} scenarios; use pactum.read_all()"
        )
    return all_[0]


def _params(params: Params | None) -> list:
    if not params:
        return []
    out = []
    for k, v in params.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        out.append((str(k), str(v)))
    return out


def _outcomes(scenario: Scenario) -> dict:
    return {
        i["id"]: (i.get("outcome") or {}).get("value")
        for i in scenario.to_dict().get("issues", [])
    }


def forecast(
    scenario: Scenario,
    models: Sequence[str] | str | None = None,
    params: Params | None = None,
    preset: str | None = None,
    rounds: bool = False,
) -> pd.DataFrame:
    """Each issue's forecast under each model.

    ``models``: a name or names (default: every model that suits the scenario; the
    others are skipped, listed in ``df.attrs["skipped"]``). ``params``/``preset`` apply to
    exactly one model, as ``--set``/``--preset`` do. Returns columns ``issue, model,
    forecast, mean, outcome, error`` (error = forecast − outcome where one is known).
    With ``rounds=True``: the paths instead, one row per ``model, issue, round, actor``
    with ``position``, ``median`` and ``mean`` of the round.
    """
    names = [models] if isinstance(models, str) else list(models or [])
    text = _native.forecast(scenario._native, names, preset, _params(params))
    result = json.loads(text)
    outcomes = _outcomes(scenario)
    if rounds:
        rows = [
            {
                "model": f["model"],
                "issue": i["id"],
                "round": r["round"],
                "actor": actor,
                "position": x,
                "median": r["median"],
                "mean": r["mean"],
            }
            for f in result["forecasts"]
            for i in f["issues"]
            for r in i["rounds"]
            for actor, x in r["positions"].items()
        ]
        df = pd.DataFrame(
            rows, columns=["model", "issue", "round", "actor", "position", "median", "mean"]
        )
    else:
        rows = []
        for f in result["forecasts"]:
            for i in f["issues"]:
                o = outcomes.get(i["id"])
                rows.append(
                    {
                        "issue": i["id"],
                        "model": f["model"],
                        "forecast": i["forecast"],
                        "mean": i["mean"],
                        "outcome": math.nan if o is None else o,
                        "error": math.nan if o is None else i["forecast"] - o,
                    }
                )
        df = pd.DataFrame(rows, columns=["issue", "model", "forecast", "mean", "outcome", "error"])
    df.attrs["skipped"] = [tuple(s) for s in result["skipped"]]
    df.attrs["forecasts"] = result["forecasts"]
    df.attrs["calibration"] = result["calibration"]
    if result["notes"]:
        import warnings

        for note in result["notes"]:
            warnings.warn(note, stacklevel=2)
    return df


def _sim_options(draws: int, seed: int, distribution: str, thresholds: Iterable[float], bins: int) -> str:
    if int(draws) < 1:
        raise PactumError(f"draws must be at least 1, not {draws}")
    if int(seed) < 0:
        raise PactumError(f"seed must be a non-negative integer, not {seed}")
    return json.dumps(
        {
            "draws": int(draws),
            "seed": int(seed),
            "distribution": distribution,
            "thresholds": [float(t) for t in thresholds],
            "bins": int(bins),
        }
    )


def _simulation(text: str, values: bytes | np.ndarray, issues_per_draw: int) -> Simulation:
    raw = json.loads(text)
    issues = [i["id"] for i in raw["issues"]]
    arr = values if isinstance(values, np.ndarray) else np.frombuffer(values, dtype="<f8")
    arr = arr.reshape(-1, issues_per_draw) if issues_per_draw else arr.reshape(-1, 1)
    summary = pd.DataFrame(
        [
            {
                "issue": i["id"],
                "median": i["median"],
                "mean": i["mean"],
                "p10": i["p10"],
                "p90": i["p90"],
                "sd": i["sd"],
                "min": i["min"],
                "max": i["max"],
                "at_modes": i.get("at_modes", math.nan),
                "draws_with_forecast": i["draws_with_forecast"],
            }
            for i in raw["issues"]
        ]
    )
    return Simulation(summary=summary, draws=arr, issues=issues, raw=raw, text=text)


def simulate(
    scenario: Scenario,
    model: str,
    draws: int = 10_000,
    seed: int = 42,
    distribution: str = "triangular",
    thresholds: Iterable[float] = (),
    bins: int = 20,
    params: Params | None = None,
    preset: str | None = None,
) -> Simulation:
    """Monte Carlo over the scenario's ranged inputs: ``pactum simulate`` from Python.

    Draw ``i`` depends only on ``(seed, i)``: the result is the CLI's to the bit, on any
    number of threads (and, through :func:`pactum.dask.simulate`, of Dask workers).
    ``draws`` columns follow the scenario's issue order.
    """
    opts = _sim_options(draws, seed, distribution, thresholds, bins)
    text, values, per_draw = _native.simulate(
        scenario._native, model, opts, preset, _params(params)
    )
    return _simulation(text, values, per_draw)


def sensitivity(
    scenario: Scenario,
    model: str,
    samples: int = 4096,
    seed: int = 42,
    distribution: str = "triangular",
    params: Params | None = None,
    preset: str | None = None,
) -> pd.DataFrame:
    """Which ranged inputs move the forecast: one row per issue and input with its swing
    (forecast at the input's low and high end) and its first-order and total
    variance-based indices. ``df.attrs["raw"]`` is
    the JSON ``pactum sensitivity`` prints."""
    raw = json.loads(
        _native.sensitivity(
            scenario._native, model, samples, seed, distribution, preset, _params(params)
        )
    )
    rows = []
    for issue in raw.get("issues", []):
        indices = {v["input"]: v for v in issue.get("indices", [])}
        for swing in issue.get("tornado", []):
            share = indices.get(swing["input"], {})
            rows.append(
                {
                    "issue": issue["id"],
                    **swing,
                    "first_order": share.get("first_order", math.nan),
                    "total": share.get("total", math.nan),
                }
            )
    df = pd.DataFrame(rows)
    df.attrs["raw"] = raw
    return df


def levers(
    scenario: Scenario,
    model: str,
    actor: str,
    draws: int = 1000,
    seed: int = 42,
    distribution: str = "triangular",
    params: Params | None = None,
    preset: str | None = None,
) -> pd.DataFrame:
    """What ``actor`` (and others) could do to move the forecast toward it: one row per
    issue and lever. ``df.attrs["raw"]`` is the JSON ``pactum levers`` prints."""
    raw = json.loads(
        _native.levers(
            scenario._native, model, actor, draws, seed, distribution, preset, _params(params)
        )
    )
    rows = []
    for issue in raw.get("issues", []):
        for key, value in issue.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for lever in value:
                    rows.append({"issue": issue.get("id"), "kind": key, **_flat(lever)})
    df = pd.DataFrame(rows)
    df.attrs["raw"] = raw
    return df


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}_"))
        else:
            out[f"{prefix}{k}"] = v
    return out


def backtest(
    dataset: str | os.PathLike,
    models: Sequence[str] | None = None,
    capability: str = "council",
    folds: int = 5,
    seed: int = 42,
    replicates: int = 2000,
) -> pd.DataFrame:
    """Score models on negotiations whose outcome is known (a DEU III file, a native
    scenario with outcomes, or a folder of them): one row per model with ``n``, ``mae``,
    ``rmse``, ``median_ae`` and the rest of ``pactum backtest --format json``'s fields;
    ``df.attrs["raw"]`` holds the whole report."""
    raw = json.loads(
        _native.backtest(os.fspath(dataset), list(models or []), capability, folds, seed, replicates)
    )
    df = pd.DataFrame([_flat(m) for m in raw.get("models", [])])
    df.attrs["raw"] = raw
    return df


def report(scenario: Scenario, models: Sequence[str] | None = None) -> str:
    """The self-contained HTML report (as ``pactum report`` writes) of the models'
    forecasts; display it with ``IPython.display.HTML`` or write it to a file."""
    return _native.report(scenario._native, list(models or []))


def models() -> pd.DataFrame:
    """The models pactum knows: name, summary, parameters and presets."""
    return pd.DataFrame(json.loads(_native.models_json()))


def _axes(grid: Mapping[str, Any] | None) -> list:
    axes = []
    for name, spec in (grid or {}).items():
        if isinstance(spec, str):
            text = f"{name}={spec}"
        else:
            values = list(spec) if isinstance(spec, (list, tuple, np.ndarray, range)) else [spec]
            text = f"{name}=" + ",".join(
                ("true" if v else "false") if isinstance(v, bool) else str(v) for v in values
            )
        axes.append(text)
    return axes


def _plan(models: Sequence[str] | str, grid, presets, repetitions) -> dict:
    names = [models] if isinstance(models, str) else list(models)
    return {
        "models": names,
        "presets": list(presets or []),
        "grid": [_parse_axis(a) for a in _axes(grid)],
        "repetitions": int(repetitions),
    }


def _parse_axis(text: str) -> dict:
    # The library parses axes, so Python and `pactum sweep --grid` give the same values.
    return json.loads(_native.parse_axis(text))


def _labelled(scenarios) -> list:
    if isinstance(scenarios, Scenario):
        return [(scenarios.title or "scenario", scenarios)]
    if isinstance(scenarios, Mapping):
        return [(str(k), v) for k, v in scenarios.items()]
    out = []
    for k, s in enumerate(scenarios):
        if isinstance(s, tuple):
            out.append((str(s[0]), s[1]))
        else:
            out.append((s.title or f"scenario {k + 1}", s))
    return out


_SWEEP_COLUMNS = [
    "scenario",
    "model",
    "preset",
    "parameters",
    "repetition",
    "issue",
    "forecast",
    "outcome",
    "error",
    "failure",
]


def _sweep_frame(rows: list) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=_SWEEP_COLUMNS)
    for c in ("forecast", "outcome", "error"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["repetition"] = df["repetition"].astype("int64")
    return df


def _write_table(df: pd.DataFrame, output: str | os.PathLike | None) -> None:
    if output is None:
        return
    path = os.fspath(output)
    tmp = path + ".partial"
    if path.endswith(".parquet"):
        df.to_parquet(tmp, index=False)
    else:
        df.to_csv(tmp, index=False)
    os.replace(tmp, path)


def sweep(
    scenarios,
    models: Sequence[str] | str,
    grid: Mapping[str, Any] | None = None,
    presets: Sequence[str] | None = None,
    repetitions: int = 1,
    output: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Every scenario × model × preset × grid point × repetition on this machine's
    threads (``pactum sweep`` from Python); see :func:`pactum.dask.sweep` for a cluster.

    ``scenarios``: a Scenario, a list of them (or of ``(label, scenario)``), or a dict
    label → scenario. ``grid``: parameter → ``"start:stop:step"`` or a list of values; an
    axis applies to the models that have that parameter. ``repetitions``: runs per point
    for models with a ``seed`` (repetition r uses seed r). A failing run becomes a row
    with its message in ``failure``. ``output``: also write the table (``.parquet`` or CSV).
    """
    labelled = _labelled(scenarios)
    plan = json.dumps(_plan(models, grid, presets, repetitions))
    rows = json.loads(_native.sweep_local([(l, s._native) for l, s in labelled], plan))
    df = _sweep_frame(rows)
    _write_table(df, output)
    return df


def _scenario_html(s: Scenario) -> str:
    import html as _html

    actors, issues, stances = s.to_frames()
    parts = [f"<div class='pactum-scenario'><h4>{_html.escape(s.title or 'scenario')}</h4>"]
    parts.append(actors[["id", "name", "capability", "group"]].to_html(index=False, na_rep=""))
    for _, issue in issues.iterrows():
        parts.append(_position_map(issue, stances[stances["issue"] == issue["id"]], actors))
    parts.append("</div>")
    return "".join(parts)


def _position_map(issue, stances: pd.DataFrame, actors: pd.DataFrame) -> str:
    import html as _html

    width, left, right = 560, 150, 20
    row_h = 16
    height = 30 + row_h * max(len(stances), 1)
    lo, hi = float(issue["lo"]), float(issue["hi"])
    span = hi - lo if hi > lo else 1.0

    def x(v: float) -> float:
        return left + (float(v) - lo) / span * (width - left - right)

    caps = dict(zip(actors["id"], actors["capability"]))
    top = max((float(caps.get(a, 0)) for a in stances["actor"]), default=1.0) or 1.0
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"role='img' aria-label='positions on {_html.escape(str(issue['id']))}'>",
        f"<text x='0' y='12' font-size='12' font-weight='bold'>{_html.escape(str(issue['id']))}"
        f" ({lo:g}–{hi:g} {_html.escape(str(issue['unit'] or ''))})</text>",
        f"<line x1='{left}' x2='{width - right}' y1='22' y2='22' stroke='#888'/>",
    ]
    for k, (_, st) in enumerate(stances.sort_values("position").iterrows()):
        y = 30 + k * row_h + row_h / 2
        r = 2 + 5 * float(st["salience"]) ** 0.5
        w = 0.3 + 0.7 * float(caps.get(st["actor"], 0)) / top
        if not math.isnan(st["position_low"]):
            out.append(
                f"<line x1='{x(st['position_low']):.1f}' x2='{x(st['position_high']):.1f}' "
                f"y1='{y:.1f}' y2='{y:.1f}' stroke='#4a7ab5' stroke-width='2' opacity='0.5'/>"
            )
        out.append(
            f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end'>"
            f"{_html.escape(str(st['actor']))}</text>"
            f"<circle cx='{x(st['position']):.1f}' cy='{y:.1f}' r='{r:.1f}' fill='#1f4e8c' "
            f"opacity='{w:.2f}'><title>{_html.escape(str(st['actor']))}: "
            f"{float(st['position']):g}, salience {float(st['salience']):g}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)
