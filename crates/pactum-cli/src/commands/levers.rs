//! `pactum levers FILE --model M --actor A`: what A, and others, could do to move the
//! forecast toward A's position.

use super::uncertain::{self, CorrelationArgs, ModelArgs};
use crate::Failure;
use crate::output::{num, pad, rpad};
use pactum::uncertainty::{Field, Lever, LeverOptions, Levers, levers};

/// Arguments of `pactum levers`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub common: ModelArgs,
    /// The actor whose levers to search (its id).
    #[arg(long)]
    pub actor: String,
    /// Draws used to test each lever's robustness (0: none).
    #[arg(long, default_value_t = 1000)]
    pub draws: u64,
    /// Seed of those draws.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Other actors to list per issue in the table (JSON lists all).
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    #[command(flatten)]
    pub correlation: CorrelationArgs,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let (scenario, model, params) = uncertain::load(&args.common)?;
    let opts = LeverOptions {
        draws: args.draws,
        seed: args.seed,
        shape: args.common.distribution,
        correlation: args.correlation.correlation(),
        ..Default::default()
    };
    let r = levers(model, &scenario, &params, &args.actor, &opts).map_err(uncertain::failure)?;
    if args.common.format == "json" {
        uncertain::print_json(&r)
    } else {
        print!("{}", table(&scenario, &r, args.top));
        Ok(())
    }
}

fn table(scenario: &pactum::Scenario, r: &Levers, top: usize) -> String {
    let mut out = format!(
        "levers of {} under model {} ({} evaluations; robustness over {} draws)\n",
        r.actor, r.model, r.evaluations, r.draws
    );
    for x in &r.issues {
        let (d, unit) = uncertain::issue_format(scenario, &x.id);
        out.push_str(&format!(
            "\n{}: forecast {}{unit}, {} wants {} (distance {})\n",
            x.id,
            num(Some(x.forecast), d),
            r.actor,
            num(Some(x.target), d),
            num(Some(x.distance), d)
        ));
        out.push_str(&format!(
            "  {}  {}  {}  {}  {}\n",
            pad("move", 36),
            rpad("forecast", 10),
            rpad("gain", 10),
            rpad("helps", 7),
            rpad("hurts", 7)
        ));
        for l in x.own.iter().chain(x.others.iter().take(top)) {
            out.push_str(&row(l, d));
        }
    }
    out.push_str("\ngain: how much closer the forecast gets to the actor's position (issue units);\nhelps/hurts: share of draws of the ranged inputs in which the move helps or hurts.\n");
    out
}

fn row(l: &Lever, d: usize) -> String {
    // Saliences are 0-1 whatever the issue's units; positions use the issue's decimals.
    let dv = match l.field {
        Field::Position => d,
        _ => 2,
    };
    let what = format!(
        "{} {} {} → {}",
        l.actor,
        l.field.name(),
        num(Some(l.from), dv),
        num(Some(l.to), dv)
    );
    let (helps, hurts) = match &l.robustness {
        Some(r) => (format!("{:.2}", r.p_closer), format!("{:.2}", r.p_farther)),
        None => ("—".into(), "—".into()),
    };
    format!(
        "  {}  {}  {}  {}  {}\n",
        pad(&what, 36),
        rpad(&num(Some(l.forecast), d), 10),
        rpad(&format!("{:+.d$}", l.gain), 10),
        rpad(&helps, 7),
        rpad(&hurts, 7)
    )
}
