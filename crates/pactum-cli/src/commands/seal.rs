//! `pactum seal`, `pactum verify` and `pactum score`: sealed forecasts, checked and graded
//! once the outcome is known (logic in `pactum::seal`).

use super::forecast;
use crate::Failure;
use crate::input;
use crate::output::{num, write_atomic};
use pactum::io::Format;
use pactum::seal::{self, Request, Scoreboard, Seal};

/// Arguments of `pactum seal`.
#[derive(clap::Args)]
pub struct SealArgs {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// The model to seal (see `pactum models`).
    #[arg(long, short)]
    pub model: String,
    /// A named parameter set of the model.
    #[arg(long)]
    pub preset: Option<String>,
    /// Set a model parameter, e.g. `--set q=0.8` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Monte Carlo draws over the ranged inputs (0: the inputs' modes only).
    #[arg(long, default_value_t = 1000)]
    pub draws: u64,
    /// Seed of the draws.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The time to record (RFC 3339 UTC); default: now.
    #[arg(long, value_name = "TIME")]
    pub sealed_at: Option<String>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
    /// Where to write the seal (`-` for standard output).
    #[arg(short, long)]
    pub output: String,
}

/// Arguments of `pactum verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The seal file.
    pub seal: String,
}

/// Arguments of `pactum score`.
#[derive(clap::Args)]
pub struct ScoreArgs {
    /// Seal files.
    #[arg(required = true)]
    pub seals: Vec<String>,
    /// A CSV with `issue,outcome` columns; issues not in it are scored against the outcome
    /// recorded in the sealed scenario, or listed as pending.
    #[arg(long, value_name = "FILE")]
    pub outcomes: Option<String>,
    /// Output format: `table` for people, `json` for programs.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
}

fn sealing_failure(e: seal::SealError) -> Failure {
    match e {
        seal::SealError::Input(e) => e.into(),
        seal::SealError::Model(e) => e.into(),
        seal::SealError::Uncertainty(m) => Failure::Runtime(m),
        other => Failure::Runtime(other.to_string()),
    }
}

/// Runs `pactum seal`.
pub fn run_seal(args: SealArgs) -> Result<(), Failure> {
    let scenario = input::load_one(&args.file, args.input_format)?;
    let params = forecast::params_from(&scenario, &args.model, args.preset.as_deref(), &args.set)?;
    let request = Request {
        model: args.model.clone(),
        params,
        seed: args.seed,
        draws: args.draws,
        sealed_at: args.sealed_at.clone().unwrap_or_else(seal::now_utc),
    };
    let sealed = seal::seal(&scenario, &request).map_err(sealing_failure)?;
    write_atomic(&args.output, &sealed.render())?;
    if args.output != "-" {
        eprintln!(
            "sealed {} ({} issues, model {}): sha256 {}",
            args.output,
            sealed.seal.issues.len(),
            sealed.seal.model,
            sealed.sha256
        );
    }
    Ok(())
}

/// Runs `pactum verify`: exit 0 only when the hash and the re-run forecast both match.
pub fn run_verify(args: VerifyArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.seal)
        .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", args.seal)))?;
    let v = seal::verify(&args.seal, &text);
    for n in &v.notes {
        eprintln!("note: {n}");
    }
    if v.ok() {
        println!(
            "{}: the seal holds (hash and re-run forecast match)",
            args.seal
        );
        return Ok(());
    }
    let list: Vec<String> = v.problems.iter().map(|p| format!("  {p}")).collect();
    Err(Failure::Runtime(format!(
        "{}: the seal does not hold:\n{}",
        args.seal,
        list.join("\n")
    )))
}

/// Runs `pactum score`.
pub fn run_score(args: ScoreArgs) -> Result<(), Failure> {
    let mut seals = Vec::new();
    for path in &args.seals {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Input(format!("{path}: cannot read: {e}")))?;
        let s = Seal::parse(path, &text)?;
        if s.seal.hash() != s.sha256 {
            return Err(Failure::Runtime(format!(
                "{path}: its hash does not match its content (edited?); run `pactum verify {path}`"
            )));
        }
        seals.push((path.clone(), s));
    }
    let outcomes = match &args.outcomes {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Input(format!("{path}: cannot read: {e}")))?;
            seal::read_outcomes_csv(path, &text)?
        }
        None => Vec::new(),
    };
    let board = seal::score(&seals, &outcomes).map_err(sealing_failure)?;
    for u in &board.unmatched {
        eprintln!("warning: {u}");
    }
    if args.format == "json" {
        super::uncertain::print_json(&board)
    } else {
        print!("{}", table(&board));
        Ok(())
    }
}

fn table(b: &Scoreboard) -> String {
    let mut out = format!(
        "{} sealed issue(s) scored, {} pending. MAE and interval score (IS80) on the 0-100 scale.\n\n",
        b.issues.len(),
        b.pending.len()
    );
    out.push_str(&format!(
        "{:<20} {:>4} {:>7} {:>6} {:>6} {:>7}\n",
        "model", "n", "MAE", "cov50", "cov80", "IS80"
    ));
    for m in &b.models {
        let label = match &m.preset {
            Some(p) => format!("{}:{p}", m.model),
            None => m.model.clone(),
        };
        out.push_str(&format!(
            "{label:<20} {:>4} {:>7.2} {:>5.0}% {:>5.0}% {:>7.1}\n",
            m.n,
            m.mae,
            m.coverage_50 * 100.0,
            m.coverage_80 * 100.0,
            m.interval_score_80
        ));
    }
    if !b.issues.is_empty() {
        out.push_str("\nissue                     model          forecast   50% interval          80% interval          outcome   err/100  in50 in80    IS80  outcome from\n");
        for i in &b.issues {
            let d = crate::output::decimals(i.interval_80[1] - i.interval_80[0]).max(1);
            let iv = |v: [f64; 2]| format!("{}–{}", num(Some(v[0]), d), num(Some(v[1]), d));
            out.push_str(&format!(
                "{:<25} {:<12} {:>10}   {:<20}  {:<20} {:>8}  {:>8.2}  {:>4} {:>4}  {:>6.1}  {}\n",
                i.issue,
                i.model,
                num(Some(i.forecast), d),
                iv(i.interval_50),
                iv(i.interval_80),
                num(Some(i.outcome), d),
                i.abs_error_100,
                if i.in_50 { "yes" } else { "no" },
                if i.in_80 { "yes" } else { "no" },
                i.interval_score_80,
                i.outcome_source
            ));
        }
    }
    if !b.pending.is_empty() {
        out.push_str("\nPending (outcome not known yet):\n");
        for p in &b.pending {
            out.push_str(&format!("  {} — {} ({})\n", p.issue, p.seal, p.model));
        }
    }
    out
}
