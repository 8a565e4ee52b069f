//! Backtests: score every model on negotiations whose outcome is known.
//!
//! A [`Dataset`] (a DEU III file grouped by proposal, or native scenarios with outcomes) is
//! run through each model of [`crate::models::all`] (with each preset) and scored per issue:
//! absolute error on the 0–100 scale; MAE, RMSE, median AE and the share within 10 points;
//! a paired bootstrap 95 % interval of each model's MAE minus the compromise model's,
//! resampling **proposals** (clusters), seeded; the same by procedure and by voting rule.
//! A tunable model ([`tuning::Blend`]) is fitted by grid search under [`Validation`]: k-fold
//! cross-validation grouped by proposal, or fit on one dataset and score on another; its
//! score is always on issues it was not fitted on.
//!
//! Output: [`Report`] (serialises to the JSON contract `{"dataset", "n_issues", "models":
//! [{"model", "n", "mae", "rmse", "median_ae"}]}` plus additions), [`render::table`] and
//! [`render::issues_csv`].

pub mod council;
pub mod dataset;
pub mod intervals;
pub mod metrics;
pub mod render;
pub mod tuning;

pub use dataset::{
    Capability, Case, Dataset, DeuOptions, Grouping, ParliamentRule, SkippedRow, Unscored, load,
};
pub use metrics::{Interval, Summary};
pub use tuning::{Blend, FoldResult, Tuning};

use crate::calibration::{Calibration, Scaling};
use crate::error::ModelError;
use crate::models::{self, Model, Params};
use crate::snapshot::Snapshot;
use serde::Serialize;
use std::collections::BTreeSet;

/// A model with one parameter set (its defaults, or a preset).
#[derive(Clone)]
pub struct ModelRun {
    /// The model.
    pub model: &'static dyn Model,
    /// Its parameters.
    pub params: Params,
}

impl ModelRun {
    /// Every model of [`models::all`] with its defaults, then once per preset.
    pub fn all() -> Vec<ModelRun> {
        ModelRun::for_models(&models::all())
    }

    /// Every model and preset that `data` does not leave out by default: a model that
    /// would only repeat another on every scenario of the dataset
    /// ([`Model::left_out_by_default`], e.g. `twolevel` without sides) is not scored
    /// unless named.
    pub fn all_for(data: &Dataset) -> Vec<ModelRun> {
        let suited: Vec<&'static dyn Model> = models::all()
            .into_iter()
            .filter(|m| {
                data.groups
                    .iter()
                    .any(|g| m.left_out_by_default(&g.scenario).is_none())
            })
            .collect();
        ModelRun::for_models(&suited)
    }

    /// True for the compromise model with its defaults: the baseline of every comparison.
    pub fn is_baseline(&self) -> bool {
        self.model.name() == "compromise" && self.params == Params::new()
    }

    /// The given models with defaults, then once per preset.
    pub fn for_models(list: &[&'static dyn Model]) -> Vec<ModelRun> {
        let mut out = Vec::new();
        for m in list {
            out.push(ModelRun {
                model: *m,
                params: Params::new(),
            });
            for p in m.presets() {
                out.push(ModelRun {
                    model: *m,
                    params: Params {
                        preset: Some(p.name.to_string()),
                        values: Default::default(),
                    },
                });
            }
        }
        out
    }
}

/// How the tunable model is fitted and scored.
#[derive(Debug, Clone)]
pub enum Validation {
    /// No tuned model is reported.
    None,
    /// k-fold cross-validation, folds grouped by proposal.
    KFold(usize),
    /// Fitted on this dataset, scored on the one being backtested.
    FitOn(Box<Dataset>),
}

/// Everything a backtest run needs besides the dataset.
#[derive(Clone)]
pub struct Options {
    /// The models to score (the compromise model is always added for comparisons).
    pub runs: Vec<ModelRun>,
    /// How the tunable model is fitted.
    pub validation: Validation,
    /// Bootstrap replicates for the intervals.
    pub replicates: usize,
    /// Seed of the bootstrap and of the fold assignment.
    pub seed: u64,
    /// What residuals are divided by when intervals are calibrated.
    pub scaling: Scaling,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: ModelRun::all(),
            validation: Validation::KFold(5),
            replicates: 2000,
            seed: 42,
            scaling: Scaling::default(),
        }
    }
}

/// The forecasts of one model run on every case of a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Forecast per case, in the issue's units (`None`: the model gave none).
    pub forecasts: Vec<Option<f64>>,
    /// Why forecasts are missing: (group index, message), one per failed group.
    pub failures: Vec<(usize, String)>,
}

impl Prediction {
    /// Absolute error of case `k` on the 0–100 scale.
    pub fn error(&self, data: &Dataset, k: usize) -> Option<f64> {
        let c = &data.cases[k];
        let f = self.forecasts.get(k).copied().flatten()?;
        Some((c.percent(f) - c.percent(c.outcome)).abs())
    }
}

/// Runs `model` with `params` on every group of `data`; a model error on a group leaves its
/// cases without forecast and is recorded, never hidden. Each group's own parameters
/// ([`Params::from_scenario`]: its `[models.M]` table and what the model reads from its
/// data, e.g. a DEU proposal's procedure) lie under `params`.
pub fn predict(data: &Dataset, model: &dyn Model, params: &Params) -> Prediction {
    predict_on(data, &snapshots(data), model, params)
}

/// The numeric view of every group of `data`, in group order.
pub fn snapshots(data: &Dataset) -> Vec<Snapshot> {
    data.groups
        .iter()
        .map(|g| Snapshot::modes(&g.scenario))
        .collect()
}

/// As [`predict`], on snapshots already built by [`snapshots`].
pub fn predict_on(
    data: &Dataset,
    snaps: &[Snapshot],
    model: &dyn Model,
    params: &Params,
) -> Prediction {
    let per_group: Vec<Result<Vec<Option<f64>>, ModelError>> = snaps
        .iter()
        .zip(&data.groups)
        .map(|(snap, g)| {
            let own = Params::from_scenario(&g.scenario, model.name());
            model.forecast_values(snap, &params.over(&own))
        })
        .collect();
    let mut failures = Vec::new();
    for (g, r) in per_group.iter().enumerate() {
        if let Err(e) = r {
            failures.push((g, format!("{}: {e}", data.groups[g].id)));
        }
    }
    let forecasts = data
        .cases
        .iter()
        .map(|c| match &per_group[c.group] {
            Ok(v) => v.get(c.issue).copied().flatten().filter(|x| x.is_finite()),
            Err(_) => None,
        })
        .collect();
    Prediction {
        forecasts,
        failures,
    }
}

/// One model's scores (0–100 scale).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScore {
    /// The model's name.
    pub model: String,
    /// The preset, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Issues forecast and scored.
    pub n: usize,
    /// Mean absolute error (`null` when nothing was forecast).
    pub mae: Option<f64>,
    /// Root mean squared error.
    pub rmse: Option<f64>,
    /// Median absolute error.
    pub median_ae: Option<f64>,
    /// Share of issues within 10 points (0–1).
    pub within_10: Option<f64>,
    /// Issues the model gave no forecast for.
    pub n_missing: usize,
    /// The model's reasons for missing forecasts (one per failed group with scored issues).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// This model's MAE minus the compromise model's on the same issues, with a paired
    /// bootstrap 95 % interval (proposals resampled). `null` for the compromise model itself.
    pub mae_minus_compromise: Option<Interval>,
    /// The held-out 50 % and 80 % intervals: coverage, width, interval score, CRPS (absent
    /// for the tuned model and where no interval could be calibrated).
    #[serde(flatten)]
    pub intervals: Option<intervals::IntervalScores>,
}

impl ModelScore {
    /// The label shown in tables: `model` or `model:preset`.
    pub fn label(&self) -> String {
        match &self.preset {
            Some(p) => format!("{}:{p}", self.model),
            None => self.model.clone(),
        }
    }
}

/// Scores of a subgroup of issues (one procedure or one voting rule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subgroup {
    /// The attribute: `procedure` or `voting_rule`.
    pub by: String,
    /// Its value, e.g. `COD`.
    pub value: String,
    /// Issues in the subgroup.
    pub n_issues: usize,
    /// Per model, as in [`Report::models`].
    pub models: Vec<ModelScore>,
}

/// The tuned model's out-of-sample result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TunedResult {
    /// The tuned model.
    pub model: String,
    /// How it was fitted and scored, in words.
    pub method: String,
    /// Grid size.
    pub grid_points: usize,
    /// Per fold (or the one split): what was chosen and how it scored.
    pub folds: Vec<FoldResult>,
    /// Scores of the held-out forecasts only, with the interval against the compromise model.
    pub score: ModelScore,
    /// For cross-validation: the point chosen on all issues, for use on new data (its
    /// in-sample error is deliberately not reported).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters_for_new_data: Vec<String>,
}

/// One forecast of one issue, for the per-issue CSV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueRow {
    /// The proposal or scenario.
    pub proposal: String,
    /// The issue's id.
    pub issue: String,
    /// Procedure (`COD`, `CNS`, `-`).
    pub procedure: String,
    /// Voting rule (`QMV`, `Unan`, `-`).
    pub voting_rule: String,
    /// The model.
    pub model: String,
    /// The preset, or empty; `cross-validated` / `fitted` for the tuned model.
    pub preset: String,
    /// The issue's unit.
    pub unit: String,
    /// The forecast in the issue's units (empty when missing).
    pub forecast: Option<f64>,
    /// The outcome in the issue's units.
    pub outcome: f64,
    /// Absolute error in the issue's units.
    pub abs_error: Option<f64>,
    /// The forecast on 0–100.
    pub forecast_100: Option<f64>,
    /// The outcome on 0–100.
    pub outcome_100: f64,
    /// Absolute error on 0–100.
    pub abs_error_100: Option<f64>,
}

/// The result of a backtest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The dataset's name (path).
    pub dataset: String,
    /// Issues scored (with an outcome).
    pub n_issues: usize,
    /// Proposals (DEU) or scenarios containing them.
    pub n_proposals: usize,
    /// How capabilities were set.
    pub capability: String,
    /// What a cluster is: `proposal` (DEU; counted in `n_proposals`) or `scenario`.
    pub cluster: String,
    /// What the bootstrap resamples.
    pub resampling: String,
    /// Bootstrap replicates.
    pub replicates: usize,
    /// Seed of the bootstrap and the folds.
    pub seed: u64,
    /// Per model, in the order run.
    pub models: Vec<ModelScore>,
    /// By legislative procedure.
    pub by_procedure: Vec<Subgroup>,
    /// By Council voting rule.
    pub by_voting_rule: Vec<Subgroup>,
    /// The tuned model, scored out of sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuned: Option<TunedResult>,
    /// How each issue's intervals were calibrated, in words.
    pub interval_method: String,
    /// The naive interval (range of the actors' positions) on every scored issue.
    pub naive_interval: Option<intervals::NaiveScores>,
    /// Rows skipped as malformed.
    pub n_skipped: usize,
    /// Each skipped row with its reason.
    pub skipped: Vec<SkippedRow>,
    /// Issues without outcome (not scored).
    pub n_unscored: usize,
    /// Each of them.
    pub unscored: Vec<Unscored>,
    /// Rows read (DEU) or issues (native): `n_issues + n_unscored + n_skipped`.
    pub n_rows: usize,
    /// Reader and preparation notices (e.g. an `intro` date off the proposal year that
    /// leaves the treaty regime unambiguous), as `file:line: field: message`.
    pub warnings: Vec<String>,
    /// Every forecast of every scored issue (for the CSV; not in the JSON).
    #[serde(skip)]
    pub rows: Vec<IssueRow>,
}

/// Runs the backtest.
pub fn run(data: &Dataset, options: &Options) -> Result<Report, ModelError> {
    check_validation(data, &options.validation)?;
    let mut runs = options.runs.clone();
    if !runs.iter().any(ModelRun::is_baseline) {
        runs.insert(
            0,
            ModelRun {
                model: &models::baseline::Compromise,
                params: Params::new(),
            },
        );
    }
    let snaps = snapshots(data);
    let predictions: Vec<Prediction> = runs
        .iter()
        .map(|r| predict_on(data, &snaps, r.model, &r.params))
        .collect();
    let reference = runs
        .iter()
        .position(ModelRun::is_baseline)
        .map(|k| predictions[k].clone())
        .ok_or_else(|| ModelError::Unsuitable("no compromise run".into()))?;
    let all: Vec<usize> = (0..data.cases.len()).collect();
    let (sources, interval_method) = interval_sources(data, &runs, options);
    let evals: Vec<Vec<Option<intervals::CaseEval>>> = predictions
        .iter()
        .zip(&sources)
        .map(|(p, src)| intervals::held_out(data, &snaps, p, src, options.scaling))
        .collect();
    let naive_interval = naive_interval(data, &snaps, options);
    let score_set = |subset: &[usize]| -> Vec<ModelScore> {
        runs.iter()
            .zip(&predictions)
            .zip(&evals)
            .map(|((r, p), e)| {
                let against = (!r.is_baseline()).then_some(&reference);
                let mut s = score(data, subset, r, p, against, options);
                s.intervals =
                    intervals::summarise(data, subset, e, options.replicates, options.seed);
                s
            })
            .collect()
    };
    let models = score_set(&all);
    let by_procedure = subgroups(data, "procedure", |c| &c.procedure, &score_set);
    let by_voting_rule = subgroups(data, "voting_rule", |c| &c.voting_rule, &score_set);
    let mut rows = Vec::new();
    for (r, p) in runs.iter().zip(&predictions) {
        rows.extend(issue_rows(
            data,
            r.model.name(),
            r.params.preset.as_deref().unwrap_or(""),
            p,
        ));
    }
    let tuned = tune(data, options, &reference)?;
    if let Some((t, p)) = &tuned {
        let label = if matches!(options.validation, Validation::KFold(_)) {
            "cross-validated"
        } else {
            "fitted"
        };
        rows.extend(issue_rows(data, &t.model, label, p));
    }
    Ok(Report {
        dataset: data.name.clone(),
        n_issues: data.cases.len(),
        n_proposals: data.n_proposals(),
        capability: data.capability.clone(),
        resampling: format!(
            "{c}s (all issues of a resampled {c} move together)",
            c = data.cluster
        ),
        cluster: data.cluster.clone(),
        replicates: options.replicates,
        seed: options.seed,
        models,
        by_procedure,
        by_voting_rule,
        tuned: tuned.map(|t| t.0),
        interval_method,
        naive_interval,
        n_skipped: data.skipped.len(),
        skipped: data.skipped.clone(),
        n_unscored: data.unscored.len(),
        unscored: data.unscored.clone(),
        n_rows: data.rows,
        warnings: data.warnings.iter().map(ToString::to_string).collect(),
        rows,
    })
}

/// The naive interval on every case, raw and calibrated like the models (midpoint of the
/// positions as the forecast; under `--fit`, calibrated on the fit dataset).
fn naive_interval(
    data: &Dataset,
    snaps: &[Snapshot],
    options: &Options,
) -> Option<intervals::NaiveScores> {
    let raw = intervals::naive(data, snaps);
    let mut out = intervals::naive_scores(data, &raw, options.replicates, options.seed)?;
    let mid = intervals::midpoints(data, snaps);
    let source = match &options.validation {
        Validation::FitOn(fit) => {
            let fit_snaps = snapshots(fit);
            let own = crate::calibration::case_scores(
                fit,
                &fit_snaps,
                &intervals::midpoints(fit, &fit_snaps),
                options.scaling,
            );
            let mut finite: Vec<f64> = own.iter().flatten().flatten().copied().collect();
            finite.sort_by(f64::total_cmp);
            intervals::Source::Fixed(finite, own.iter().flatten().count())
        }
        _ => intervals::Source::OtherProposals,
    };
    let evals = intervals::held_out(data, snaps, &mid, &source, options.scaling);
    let all: Vec<usize> = (0..data.cases.len()).collect();
    out.calibrated = intervals::summarise(data, &all, &evals, options.replicates, options.seed);
    Some(out)
}

/// Where each run's intervals are calibrated: on the other proposals of `data`, or on the
/// `--fit` dataset. Returns the sources (one per run) and the method in words.
fn interval_sources(
    data: &Dataset,
    runs: &[ModelRun],
    options: &Options,
) -> (Vec<intervals::Source>, String) {
    let scaling = match options.scaling {
        Scaling::Width => "the issue's scale width",
        Scaling::Spread => "the spread of positions",
    };
    match &options.validation {
        Validation::FitOn(fit) => {
            let cal = Calibration::fit(&fit.name, fit, runs, options.scaling);
            let sources = cal
                .models
                .into_iter()
                .map(|m| intervals::Source::Fixed(m.scores, m.n))
                .collect();
            let method = format!(
                "split-conformal: every interval calibrated on {} ({} issues), scored on {}; \
                 residuals divided by {scaling}",
                fit.name,
                fit.cases.len(),
                data.name
            );
            (sources, method)
        }
        _ => (
            vec![intervals::Source::OtherProposals; runs.len()],
            format!(
                "split-conformal, leave one {c} out: each issue's interval calibrated on the \
                 residuals of every other {c} (never its own); residuals divided by {scaling}",
                c = data.cluster
            ),
        ),
    }
}

fn subgroups(
    data: &Dataset,
    by: &str,
    key: impl Fn(&Case) -> &String,
    score_set: &dyn Fn(&[usize]) -> Vec<ModelScore>,
) -> Vec<Subgroup> {
    let values: BTreeSet<&String> = data.cases.iter().map(&key).collect();
    values
        .into_iter()
        .map(|v| {
            let subset: Vec<usize> = (0..data.cases.len())
                .filter(|k| key(&data.cases[*k]) == v)
                .collect();
            Subgroup {
                by: by.to_string(),
                value: v.clone(),
                n_issues: subset.len(),
                models: score_set(&subset),
            }
        })
        .collect()
}

/// Scores prediction `p` on the cases in `subset`, with the bootstrap against `reference`.
fn score(
    data: &Dataset,
    subset: &[usize],
    run: &ModelRun,
    p: &Prediction,
    reference: Option<&Prediction>,
    options: &Options,
) -> ModelScore {
    score_named(
        data,
        subset,
        run.model.name(),
        run.params.preset.clone(),
        p,
        reference,
        options,
    )
}

fn score_named(
    data: &Dataset,
    subset: &[usize],
    model: &str,
    preset: Option<String>,
    p: &Prediction,
    reference: Option<&Prediction>,
    options: &Options,
) -> ModelScore {
    let errors: Vec<f64> = subset.iter().filter_map(|k| p.error(data, *k)).collect();
    let summary = metrics::summarise(&errors);
    let vs = reference.and_then(|r| {
        let pairs: Vec<(usize, f64, f64)> = subset
            .iter()
            .filter_map(|k| {
                Some((
                    data.cases[*k].cluster,
                    p.error(data, *k)?,
                    r.error(data, *k)?,
                ))
            })
            .collect();
        metrics::paired_bootstrap(&pairs, options.replicates, options.seed)
    });
    ModelScore {
        model: model.to_string(),
        preset,
        n: errors.len(),
        mae: summary.map(|s| s.mae),
        rmse: summary.map(|s| s.rmse),
        median_ae: summary.map(|s| s.median_ae),
        within_10: summary.map(|s| s.within_10),
        n_missing: subset.len() - errors.len(),
        failures: p
            .failures
            .iter()
            .filter(|(g, _)| subset.iter().any(|k| data.cases[*k].group == *g))
            .map(|(_, m)| m.clone())
            .collect(),
        mae_minus_compromise: vs,
        intervals: None,
    }
}

fn issue_rows(data: &Dataset, model: &str, preset: &str, p: &Prediction) -> Vec<IssueRow> {
    data.cases
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let f = p.forecasts[k];
            IssueRow {
                proposal: c.proposal.clone(),
                issue: c.id.clone(),
                procedure: c.procedure.clone(),
                voting_rule: c.voting_rule.clone(),
                model: model.to_string(),
                preset: preset.to_string(),
                unit: c.unit.clone(),
                forecast: f,
                outcome: c.outcome,
                abs_error: f.map(|f| (f - c.outcome).abs()),
                forecast_100: f.map(|f| c.percent(f)),
                outcome_100: c.percent(c.outcome),
                abs_error_100: p.error(data, k),
            }
        })
        .collect()
}

/// Fits and scores the tunable model as `options.validation` says. Returns the result and
/// the held-out forecasts on `data`'s cases.
fn tune(
    data: &Dataset,
    options: &Options,
    reference: &Prediction,
) -> Result<Option<(TunedResult, Prediction)>, ModelError> {
    let tuning = Tuning::blend();
    match &options.validation {
        Validation::None => Ok(None),
        Validation::KFold(k) => Ok(Some(cross_validate(data, &tuning, *k, options, reference)?)),
        Validation::FitOn(fit) => Ok(Some(fit_then_score(
            fit, data, &tuning, options, reference,
        )?)),
    }
}

/// Grouped k-fold cross-validation of `tuning` on `data`.
pub fn cross_validate(
    data: &Dataset,
    tuning: &Tuning,
    k: usize,
    options: &Options,
    reference: &Prediction,
) -> Result<(TunedResult, Prediction), ModelError> {
    check_folds(data, k)?;
    let grid = tuning.solve_grid(data);
    let case_fold = tuning::assign_folds(data, k, options.seed);
    let mut held_out = Prediction {
        forecasts: vec![None; data.cases.len()],
        failures: Vec::new(),
    };
    let mut folds = Vec::new();
    for f in 0..k {
        let train: Vec<bool> = case_fold.iter().map(|x| *x != f).collect();
        let Some((best, train_mae)) = tuning::choose(&grid, data, &train) else {
            continue;
        };
        let test: Vec<usize> = (0..data.cases.len()).filter(|i| !train[*i]).collect();
        for &i in &test {
            held_out.forecasts[i] = grid[best].forecasts[i];
        }
        let test_errors: Vec<f64> = test
            .iter()
            .filter_map(|i| grid[best].error(data, *i))
            .collect();
        let count_proposals = |in_fold: bool| {
            (0..data.cases.len())
                .filter(|c| (case_fold[*c] == f) == in_fold)
                .map(|c| data.cases[c].cluster)
                .collect::<BTreeSet<_>>()
                .len()
        };
        folds.push(FoldResult {
            fold: f,
            train_proposals: count_proposals(false),
            train_issues: train.iter().filter(|t| **t).count(),
            test_proposals: count_proposals(true),
            test_issues: test.len(),
            parameters: tuning::describe(&tuning.grid[best]),
            train_mae,
            test_mae: metrics::summarise(&test_errors).map(|s| s.mae),
        });
    }
    let all = vec![true; data.cases.len()];
    let overall = tuning::choose(&grid, data, &all)
        .map(|(b, _)| tuning::describe(&tuning.grid[b]))
        .unwrap_or_default();
    let subset: Vec<usize> = (0..data.cases.len()).collect();
    let score = score_named(
        data,
        &subset,
        tuning.model.name(),
        None,
        &held_out,
        Some(reference),
        options,
    );
    Ok((
        TunedResult {
            model: tuning.model.name().into(),
            method: format!(
                "{k}-fold cross-validation grouped by proposal (no proposal's issues in two folds; \
                 folds dealt from a ChaCha8 shuffle, seed {}); each fold's parameters chosen by grid \
                 search on the other folds and scored only on the held-out fold",
                options.seed
            ),
            grid_points: tuning.grid.len(),
            folds,
            score,
            parameters_for_new_data: overall,
        },
        held_out,
    ))
}

/// Fits `tuning` on `fit` and scores it on `data`; they must share no proposal.
pub fn fit_then_score(
    fit: &Dataset,
    data: &Dataset,
    tuning: &Tuning,
    options: &Options,
    reference: &Prediction,
) -> Result<(TunedResult, Prediction), ModelError> {
    check_disjoint(fit, data)?;
    let grid = tuning.solve_grid(fit);
    let all = vec![true; fit.cases.len()];
    let (best, train_mae) = tuning::choose(&grid, fit, &all).ok_or_else(|| {
        ModelError::Unsuitable("the tuned model forecasts no issue of the fit dataset".into())
    })?;
    let p = predict(data, tuning.model, &tuning.grid[best]);
    let subset: Vec<usize> = (0..data.cases.len()).collect();
    let score = score_named(
        data,
        &subset,
        tuning.model.name(),
        None,
        &p,
        Some(reference),
        options,
    );
    let fold = FoldResult {
        fold: 0,
        train_proposals: fit.n_proposals(),
        train_issues: fit.cases.len(),
        test_proposals: data.n_proposals(),
        test_issues: data.cases.len(),
        parameters: tuning::describe(&tuning.grid[best]),
        train_mae,
        test_mae: score.mae,
    };
    Ok((
        TunedResult {
            model: tuning.model.name().into(),
            method: format!(
                "parameters chosen by grid search on {} ({} issues), scored on {} ({} issues); no \
                 proposal in both",
                fit.name,
                fit.cases.len(),
                data.name,
                data.cases.len()
            ),
            grid_points: tuning.grid.len(),
            folds: vec![fold],
            score,
            parameters_for_new_data: Vec::new(),
        },
        p,
    ))
}

/// Checks that `k` folds are possible: 2 ≤ k ≤ the number of proposals with an outcome.
fn check_folds(data: &Dataset, k: usize) -> Result<(), ModelError> {
    let proposals = data.n_proposals();
    if k < 2 || k > proposals {
        return Err(ModelError::Parameter {
            name: "folds".into(),
            message: format!(
                "{k}-fold cross-validation needs 2 ≤ k ≤ {proposals} (the {}s with an outcome)",
                data.cluster
            ),
        });
    }
    Ok(())
}

/// Checks that no proposal of `data` is also in `fit`.
fn check_disjoint(fit: &Dataset, data: &Dataset) -> Result<(), ModelError> {
    let fit_ids: BTreeSet<&str> = fit.cases.iter().map(|c| c.proposal.as_str()).collect();
    let shared: Vec<&str> = data
        .cases
        .iter()
        .map(|c| c.proposal.as_str())
        .filter(|p| fit_ids.contains(p))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !shared.is_empty() {
        return Err(ModelError::Parameter {
            name: "fit".into(),
            message: format!(
                "the fit and score datasets share {} proposal(s) ({}); a parameter must not be \
                 scored on the issues it was fitted on",
                shared.len(),
                shared
                    .iter()
                    .take(5)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(())
}

/// Checks the validation settings before any model runs.
fn check_validation(data: &Dataset, validation: &Validation) -> Result<(), ModelError> {
    match validation {
        Validation::None => Ok(()),
        Validation::KFold(k) => check_folds(data, *k),
        Validation::FitOn(fit) => check_disjoint(fit, data),
    }
}
