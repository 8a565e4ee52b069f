//! Runs `smp` for CPU-time measurements on a loaded machine, where criterion's wall-clock
//! figures mostly measure waiting for a core. Run under `/usr/bin/time` or `perf stat`:
//!
//! - `smp_cpu FILE.csv [REPS]`: solves a KTAB file REPS times (default 5);
//! - `smp_cpu generated N TURNS [DIMS [SEED]]`: N actors on DIMS dimensions (default 1; the
//!   bench's generator, default seed 1000 + N), at most TURNS turns.

use pactum::models::smp::{Options, Probabilities, Smp, Space};
use pactum::{Model, Params, Snapshot, io};

/// The same deterministic case generator as `benches/smp.rs`.
fn generated(n: usize, d: usize, seed: u64) -> (Space, Vec<f64>) {
    let step = |s: u64| {
        s.wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
    };
    let mut state = step(seed);
    let mut next = move || {
        state = step(state);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut capability, mut salience, mut start) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        capability.push(10.0 + 190.0 * next());
        let total = 0.75 + 0.24 * next();
        let raw: Vec<f64> = (0..d).map(|_| 0.1 + 0.9 * next()).collect();
        let sum: f64 = raw.iter().sum();
        salience.extend(raw.iter().map(|s| total * s / sum));
        start.extend((0..d).map(|_| next()));
    }
    let space = Space {
        n,
        d,
        capability,
        salience,
    };
    (space, start)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: usize| args.get(k).map(String::as_str).unwrap_or("");
    if arg(1) == "generated" {
        let n: usize = arg(2).parse().unwrap_or(80);
        let turns: usize = arg(3).parse().unwrap_or(100);
        let d: usize = arg(4).parse().unwrap_or(1);
        let seed: u64 = arg(5).parse().unwrap_or(1000 + n as u64);
        let (space, start) = generated(n, d, seed);
        let opts = Options {
            max_turns: turns,
            ..Options::default()
        };
        let t = std::time::Instant::now();
        let h = match pactum::models::smp::run(&space, &start, &opts, Probabilities::All) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        println!(
            "n {n} turns {} wall {:?}",
            h.positions.len() - 1,
            t.elapsed()
        );
        return;
    }
    let file = arg(1);
    let reps: u32 = arg(2).parse().unwrap_or(5);
    let Ok(bytes) = std::fs::read(file) else {
        eprintln!("usage: smp_cpu FILE.csv [REPS] | smp_cpu generated N TURNS");
        std::process::exit(2);
    };
    let loaded = match io::read(file, &bytes, None) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let snap = Snapshot::modes(&loaded.scenarios[0]);
    let t = std::time::Instant::now();
    let mut turns = 0;
    for _ in 0..reps {
        match Smp.solve(&snap, &Params::new()) {
            Ok(f) => turns = f.details["turns"].as_u64().unwrap_or(0),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    println!(
        "{file}: turns {turns} wall per solve {:?}",
        t.elapsed() / reps
    );
}
