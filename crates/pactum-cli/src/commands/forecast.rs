//! `pactum forecast FILE`: each issue's forecast under one or more models, beside the
//! spread of positions and the known outcome.

use crate::Failure;
use crate::input;
use crate::output::{decimals, num, pad, rpad, write_atomic};
use pactum::calibration::{self, csv_field};
use pactum::io::Format;
use pactum::models::{self, Model, Params, Selection};
use pactum::{Forecast, Scenario, Snapshot};

/// Arguments of `pactum forecast`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// The model to run (repeatable). Default: every model that suits the scenario.
    #[arg(long, short)]
    pub model: Vec<String>,
    /// Output format: `table` for people, `json` for programs, `csv` (one row per model and
    /// issue: forecast, mean and the calibrated intervals) for spreadsheets.
    #[arg(long, default_value = "table", value_parser = ["table", "json", "csv"])]
    pub format: String,
    /// A named parameter set of the model (see `pactum models`). Needs exactly one --model.
    #[arg(long)]
    pub preset: Option<String>,
    /// Set a model parameter, e.g. `--set q=0.8` (repeatable). Needs exactly one --model.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
    /// Explain the model's moves step by step instead of printing the forecast: for `bdm`
    /// the offers each actor received in round ROUND, which it took and why (every round
    /// played when ROUND is omitted); for `exchange` the exchanges of each round (or of ROUND).
    /// Needs exactly one --model.
    #[arg(long, value_name = "ROUND", num_args = 0..=1, default_missing_value = "0")]
    pub explain: Option<usize>,
    /// Also write every actor's position in every round to this CSV file (one --model).
    /// For `smp`: one row per turn and actor, a column per issue and the win probability;
    /// for other models: one row per issue, round and actor.
    #[arg(long, value_name = "FILE")]
    pub history: Option<String>,
    /// With --explain: only this issue (default: every issue).
    #[arg(long, value_name = "ISSUE_ID")]
    pub issue: Option<String>,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let scenario = input::load_one(&args.file, args.input_format)?;
    let chosen = chosen_models(&args)?;
    let snapshot = Snapshot::modes(&scenario);
    if let Some(round) = args.explain {
        return explain(&args, &scenario, &snapshot, &chosen, round);
    }
    let explicit = !args.model.is_empty();
    let selection = Selection {
        models: args.model.clone(),
        preset: args.preset.clone(),
        values: assignments(&args.set)?,
    };
    let runs = selection.run(&scenario, &snapshot)?;
    for (model, why) in &runs.skipped {
        eprintln!("note: model {model} skipped: {why}");
    }
    let mut forecasts = runs.forecasts;
    let (calibration, notes) =
        calibration::calibrate_runs(&mut forecasts, &scenario, &snapshot, &selection)?;
    for note in notes {
        eprintln!("note: {note}");
    }
    if let Some(path) = &args.history {
        let [f] = forecasts.as_slice() else {
            return Err(Failure::Input("--history needs exactly one --model".into()));
        };
        write_atomic(path, &history_csv(f)?)?;
    }
    if args.format == "json" {
        let value = if explicit && forecasts.len() == 1 {
            serde_json::to_value(&forecasts[0])
        } else {
            Ok(calibration::forecasts_json(&forecasts))
        }
        .map_err(|e| Failure::Runtime(format!("cannot serialise the forecast: {e}")))?;
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| Failure::Runtime(format!("cannot serialise the forecast: {e}")))?;
        println!("{text}");
    } else if args.format == "csv" {
        print!("{}", calibration::forecasts_csv(&forecasts));
    } else {
        print!("{}", table(&scenario, &snapshot, &forecasts));
        if let Some(c) = &calibration {
            println!(
                "Intervals: 50% and 80% predictive intervals calibrated on {} ({} issues; split-conformal on each model's out-of-sample error, see docs/uncertainty.md); they cover the model's error only: `pactum simulate` adds the ranged inputs.",
                c.dataset, c.n
            );
        }
    }
    Ok(())
}

fn history_csv(f: &Forecast) -> Result<String, Failure> {
    let mut buf: Vec<u8> = Vec::new();
    let failed = |e: std::io::Error| Failure::Runtime(format!("cannot write the history: {e}"));
    if f.model == "smp" {
        models::smp::write_history_csv(f, &mut buf).map_err(failed)?;
    } else {
        use std::io::Write;
        writeln!(buf, "issue,round,actor,position").map_err(failed)?;
        for issue in &f.issues {
            for r in &issue.rounds {
                for (actor, x) in &r.positions.0 {
                    writeln!(
                        buf,
                        "{},{},{},{x}",
                        csv_field(&issue.id),
                        r.round,
                        csv_field(actor)
                    )
                    .map_err(failed)?;
                }
            }
        }
    }
    String::from_utf8(buf).map_err(|e| Failure::Runtime(format!("history is not UTF-8: {e}")))
}

fn explain(
    args: &Args,
    scenario: &Scenario,
    snapshot: &Snapshot,
    chosen: &[&'static dyn Model],
    round: usize,
) -> Result<(), Failure> {
    let [model] = chosen else {
        return Err(Failure::Input(
            "--explain needs exactly one --model (bdm, exchange or twolevel)".into(),
        ));
    };
    let params = params_for(args, scenario, model.name())?;
    let issues: Vec<usize> = match &args.issue {
        Some(id) => vec![
            scenario
                .issues
                .iter()
                .position(|i| &i.id == id)
                .ok_or_else(|| {
                    Failure::Input(format!("--issue {id}: no such issue in {}", args.file))
                })?,
        ],
        None => (0..scenario.issues.len()).collect(),
    };
    match model.name() {
        "bdm" => explain_bdm(scenario, snapshot, &params, &issues, round),
        "exchange" => explain_exchange(scenario, &params, args.issue.as_deref(), round),
        "twolevel" => {
            let mut story = models::twolevel::explain(scenario, &params)?;
            if let Some(id) = &args.issue {
                story.issues.retain(|s| &s.issue == id);
            }
            print!("{story}");
            Ok(())
        }
        other => Err(Failure::Input(format!(
            "--explain is not available for model `{other}` (it is for bdm, exchange and twolevel)"
        ))),
    }
}

fn explain_bdm(
    scenario: &Scenario,
    snapshot: &Snapshot,
    params: &Params,
    issues: &[usize],
    round: usize,
) -> Result<(), Failure> {
    let forecast = models::by_name("bdm")?.solve(snapshot, params)?;
    for &k in issues {
        let issue = &scenario.issues[k];
        let played = forecast
            .issues
            .iter()
            .find(|f| f.id == issue.id)
            .map(|f| f.rounds.len().saturating_sub(1))
            .unwrap_or(0);
        if round > played {
            return Err(Failure::Input(format!(
                "--explain {round}: issue `{}` stopped after {played} round(s)",
                issue.id
            )));
        }
        let rounds: Vec<usize> = if round == 0 {
            (1..=played).collect()
        } else {
            vec![round]
        };
        for r in rounds {
            let e = models::bdm::explain(snapshot, params, k, r)?.in_units(&issue.scale.unit);
            println!("{e}");
        }
    }
    Ok(())
}

fn explain_exchange(
    scenario: &Scenario,
    params: &Params,
    issue: Option<&str>,
    round: usize,
) -> Result<(), Failure> {
    let story = models::exchange::explain(scenario, params)?;
    if round > story.rounds.len() {
        return Err(Failure::Input(format!(
            "--explain {round}: the exchange model stopped after {} round(s)",
            story.rounds.len()
        )));
    }
    for r in &story.rounds {
        if round != 0 && r.round != round {
            continue;
        }
        match issue {
            None => print!("{r}"),
            Some(id) => {
                let mut only = r.clone();
                only.deals.retain(|d| d.sides.iter().any(|s| s.issue == id));
                print!("{only}");
            }
        }
    }
    Ok(())
}

fn chosen_models(args: &Args) -> Result<Vec<&'static dyn Model>, Failure> {
    let selection = Selection {
        models: args.model.clone(),
        preset: args.preset.clone(),
        values: assignments(&args.set)?,
    };
    selection.models().map_err(|e| match e {
        pactum::ModelError::Parameter { name, .. } if name == "preset" => {
            Failure::Input("--preset and --set apply to one model: add exactly one --model".into())
        }
        e => e.into(),
    })
}

/// Parameters for `model`: the scenario's `[models.<name>]` table, then `--preset` and `--set`.
pub fn params_for(args: &Args, scenario: &Scenario, model: &str) -> Result<Params, Failure> {
    params_from(scenario, model, args.preset.as_deref(), &args.set)
}

/// Parameters for `model` from the scenario's table, a preset and `--set NAME=VALUE` items
/// (shared with `simulate`, `sensitivity` and `levers`).
pub fn params_from(
    scenario: &Scenario,
    model: &str,
    preset: Option<&str>,
    set: &[String],
) -> Result<Params, Failure> {
    let selection = Selection {
        models: vec![model.to_string()],
        preset: preset.map(str::to_string),
        values: assignments(set)?,
    };
    Ok(selection.params(scenario, model))
}

/// `--set NAME=VALUE` items as `(name, value)` pairs.
fn assignments(set: &[String]) -> Result<Vec<(String, String)>, Failure> {
    set.iter()
        .map(|kv| {
            models::parse_assignment(kv).map_err(|_| {
                Failure::Input(format!("--set {kv}: expected NAME=VALUE, e.g. --set q=0.8"))
            })
        })
        .collect()
}

fn table(scenario: &Scenario, snapshot: &Snapshot, forecasts: &[Forecast]) -> String {
    let mut out = String::new();
    if !scenario.title.is_empty() {
        out.push_str(&format!("{}\n", scenario.title));
        if let Some(d) = &scenario.frozen_at {
            out.push_str(&format!("inputs frozen at {d}\n"));
        }
        out.push('\n');
    }
    let name_w = forecasts
        .iter()
        .map(|f| f.model.len() + f.preset.as_ref().map(|p| p.len() + 3).unwrap_or(0))
        .max()
        .unwrap_or(8)
        .max(8);
    for (k, issue) in scenario.issues.iter().enumerate() {
        let data = &snapshot.issues[k];
        let d = decimals(issue.scale.hi - issue.scale.lo);
        let unit = if issue.scale.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", issue.scale.unit)
        };
        out.push_str(&issue.id);
        if !issue.question.is_empty() {
            out.push_str(&format!(" — {}", issue.question));
        }
        out.push('\n');
        out.push_str(&format!(
            "  scale {}–{}{unit}",
            num(Some(issue.scale.lo), d),
            num(Some(issue.scale.hi), d)
        ));
        if !issue.scale.lo_label.is_empty() || !issue.scale.hi_label.is_empty() {
            out.push_str(&format!(
                " ({} … {})",
                issue.scale.lo_label, issue.scale.hi_label
            ));
        }
        out.push('\n');
        let lo = data.position.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = data
            .position
            .iter()
            .cloned()
            .fold(f64::NEG_INFINITY, f64::max);
        out.push_str(&format!(
            "  positions of {} actors: {}–{}{unit}\n",
            data.len(),
            num(Some(lo), d),
            num(Some(hi), d)
        ));
        let outcome = issue.outcome.as_ref().map(|o| o.value);
        let iv_w = 2 * num(Some(issue.scale.hi), d)
            .len()
            .max(num(Some(issue.scale.lo), d).len())
            + 1;
        if let Some(o) = &issue.outcome {
            out.push_str(&format!(
                "  known outcome: {}{unit}{}\n",
                num(Some(o.value), d),
                o.date
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ));
        }
        push_line(
            &mut out,
            &format!(
                "  {}  {}  {}  {}  {}",
                pad("model", name_w),
                rpad("forecast", 12),
                pad("50% interval", iv_w),
                pad("80% interval", iv_w),
                if outcome.is_some() {
                    rpad("error", 10)
                } else {
                    String::new()
                }
            ),
        );
        for f in forecasts {
            let found = f.issues.iter().find(|i| i.id == issue.id);
            let value = found.map(|i| i.forecast);
            let iv = |level| {
                found
                    .and_then(|i| calibration::annotated_interval(i, level))
                    .map(|[a, b]| format!("{}–{}", num(Some(a), d), num(Some(b), d)))
                    .unwrap_or_default()
            };
            let name = match &f.preset {
                Some(p) => format!("{} ({p})", f.model),
                None => f.model.clone(),
            };
            let err = match (value, outcome) {
                (Some(v), Some(o)) => format!("{:+.d$}", v - o),
                _ => String::new(),
            };
            push_line(
                &mut out,
                &format!(
                    "  {}  {}  {}  {}  {}",
                    pad(&name, name_w),
                    rpad(&num(value, d), 12),
                    pad(&iv(0.5), iv_w),
                    pad(&iv(0.8), iv_w),
                    rpad(&err, 10)
                ),
            );
            if let Some(i) = f.issues.iter().find(|i| i.id == issue.id) {
                out.push_str(&two_level_lines(i, d, &unit));
            }
        }
        out.push('\n');
    }
    out
}

/// Appends `line` without trailing spaces, and a newline.
fn push_line(out: &mut String, line: &str) {
    out.push_str(line.trim_end());
    out.push('\n');
}

/// The two-level details of one issue (agreement, mandates, win-sets, binding sides), as
/// indented lines under the model's row; empty for one-level models.
fn two_level_lines(i: &pactum::IssueForecast, d: usize, unit: &str) -> String {
    let Some(agreement) = i.details.get("agreement").and_then(|v| v.as_bool()) else {
        return String::new();
    };
    let mut out = String::new();
    let x = |v: Option<f64>| num(v, d);
    let level_one = i.details.get("level_one").and_then(|v| v.as_f64());
    let reversion = i.details.get("reversion").and_then(|v| v.as_f64());
    out.push_str(&format!(
        "    {}; level-I outcome {}{unit}{}\n",
        if agreement {
            "agreement"
        } else {
            "NO AGREEMENT (reversion point)"
        },
        x(level_one),
        reversion
            .map(|r| format!(", reversion point {}{unit}", x(Some(r))))
            .unwrap_or_default()
    ));
    let sides = i.details.get("sides").and_then(|v| v.as_array());
    for s in sides.into_iter().flatten() {
        let id = s.get("id").and_then(|v| v.as_str()).unwrap_or("?");
        let mandate = s.get("mandate").and_then(|v| v.as_f64());
        let set = match s.get("win_set") {
            Some(w) if !w.is_null() => format!(
                "[{}, {}]{unit}",
                x(w.get("lo").and_then(|v| v.as_f64())),
                x(w.get("hi").and_then(|v| v.as_f64()))
            ),
            _ => "empty".into(),
        };
        let ratifies = s.get("ratifies").and_then(|v| v.as_bool()).unwrap_or(false);
        let binds = s.get("binds").and_then(|v| v.as_bool()).unwrap_or(false);
        out.push_str(&format!(
            "    side {id}: mandate {}{unit}, win-set {}{}\n",
            x(mandate),
            if ratifies {
                set
            } else {
                "any deal (no ratification)".into()
            },
            if binds { " — binds" } else { "" }
        ));
    }
    out
}
