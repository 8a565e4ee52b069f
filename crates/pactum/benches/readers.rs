//! Read + validate speed of every reader on generated scenarios of 1k, 10k and 100k actors
//! (one issue, one stance per actor: the same scenario in each format). Linear readers
//! take about ten times longer per ×10; the quadratic TOML reader of before took ~100×.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pactum::io::{self, Format};
use std::fmt::Write;
use std::hint::black_box;

/// Sizes in actors.
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn capability(k: usize) -> usize {
    1 + k % 7
}

fn position(k: usize) -> usize {
    k % 101
}

fn salience(k: usize) -> f64 {
    0.1 + (k % 9) as f64 / 10.0
}

/// Native TOML, as `pactum convert` writes it.
fn toml(n: usize) -> String {
    let mut out = String::from(
        "title = \"generated\"\n\n[[issues]]\nid = \"x\"\nscale = { lo = 0, hi = 100, unit = \"pct\" }\n",
    );
    for k in 0..n {
        let _ = write!(
            out,
            "\n[[actors]]\nid = \"a{k}\"\ncapability = {}\n",
            capability(k)
        );
    }
    for k in 0..n {
        let _ = write!(
            out,
            "\n[[stances]]\nactor = \"a{k}\"\nissue = \"x\"\nposition = {}\nsalience = {:.1}\n",
            position(k),
            salience(k)
        );
    }
    out
}

/// The plain CSV table.
fn table(n: usize) -> String {
    let mut out = String::from("actor,capability,position_0_100,salience_0_1\n");
    for k in 0..n {
        let _ = writeln!(
            out,
            "a{k},{},{},{:.1}",
            capability(k),
            position(k),
            salience(k)
        );
    }
    out
}

/// KTAB's SMP CSV.
fn ktab(n: usize) -> String {
    let mut out =
        format!("generated, bench, {n}, 1,\nActor, Description, Power, X Position, X Salience,\n");
    for k in 0..n {
        let s = salience(k) * 100.0;
        let _ = writeln!(
            out,
            "a{k}, actor {k}, {}, {}, {s:.0},",
            capability(k),
            position(k)
        );
    }
    out
}

/// Decide's `#A`/`#P`/`#M`/`#D` rows.
fn decide(n: usize) -> String {
    let mut out = String::from("#P\tx\tx\tgenerated\n#M\tx\t0\n#M\tx\t100\n");
    for k in 0..n {
        let _ = writeln!(out, "#A\ta{k}");
    }
    for k in 0..n {
        let _ = writeln!(
            out,
            "#D\ta{k}\tx\t{}\t{:.1}\t{}",
            position(k),
            salience(k),
            capability(k)
        );
    }
    out
}

/// schelling's GameSpec JSON.
fn schelling(n: usize) -> String {
    let mut out = String::from("{\"question_id\": \"x\", \"actors\": [\n");
    for k in 0..n {
        let t = |v: f64| format!("{{\"low\": {v}, \"mode\": {v}, \"high\": {v}}}");
        let _ = writeln!(
            out,
            "{}{{\"id\": \"a{k}\", \"position\": {}, \"salience\": {}, \"capability\": {}}}",
            if k == 0 { "" } else { "," },
            t(position(k) as f64),
            t((salience(k) * 100.0).round()),
            t(capability(k) as f64)
        );
    }
    out.push_str("]}\n");
    out
}

/// DEU III rows: `n` issues of 3 actors in proposals of 4 issues (DEU is one scenario per
/// row, so its size is rows, not actors).
fn deu(n: usize) -> String {
    let mut out = String::from("prnr\tisnr\tintro\tpcom\tpep\tpde\tscom\tsep\tsde\trp\tout\n");
    for k in 0..n {
        let _ = writeln!(
            out,
            "d99{:04}\ti{k}\t01-02-99\t{}\t{}\t{}\t50\t60\t70\t0\t40",
            k / 4,
            position(k),
            position(k + 30),
            position(k + 60)
        );
    }
    out
}

/// Writes a scenario of n actors in one format.
type Generator = fn(usize) -> String;

fn bench(c: &mut Criterion) {
    let formats: [(Format, Generator); 6] = [
        (Format::Toml, toml),
        (Format::Table, table),
        (Format::Ktab, ktab),
        (Format::Decide, decide),
        (Format::Schelling, schelling),
        (Format::Deu, deu),
    ];
    for (format, generate) in formats {
        let mut group = c.benchmark_group(format!("read_validate/{format}"));
        for n in SIZES {
            let text = generate(n);
            let name = format!("bench.{format}");
            let loaded =
                io::read(&name, text.as_bytes(), Some(format)).expect("generated input reads");
            let actors: usize = loaded
                .scenarios
                .iter()
                .map(|s| s.actors.len())
                .max()
                .unwrap_or(0);
            assert!(
                actors == n || format == Format::Deu,
                "{format}: {actors} actors"
            );
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| {
                    io::read(&name, black_box(text.as_bytes()), Some(format))
                        .map(|l| l.scenarios.len())
                        .ok()
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
