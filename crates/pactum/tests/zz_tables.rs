use pactum::io;
use pactum::models::bdm::Bdm;
use pactum::{Model, Params, Snapshot};
#[test]
fn tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/cases/bdm/bdm1994_ec_emission_standards_actors.csv");
    let l = io::read("e.csv", &std::fs::read(path).unwrap(), None).unwrap();
    let s = Snapshot::modes(&l.scenarios[0]);
    let pre = |extra: &[(&str, &str)]| { let mut p = Params { preset: Some("scholz2011".into()), ..Params::new() }; for (k, v) in extra { p = p.set(k, v); } p };
    let cases: Vec<(&str, Params)> = vec![
        ("defaults", Params::new()),
        ("defaults, 10 rounds (tolerance 0, cap 10)", Params::new().set("tolerance", "0").set("max_rounds", "10")),
        ("scholz2011", pre(&[])),
        ("scholz2011 + capitulation", pre(&[("capitulation", "true")])),
        ("scholz2011 + contest denominator", pre(&[("denominator", "contest")])),
        ("scholz2011 + linear votes", pre(&[("votes", "linear")])),
        ("scholz2011 + accept strongest", pre(&[("accept", "strongest")])),
        ("scholz2011 + challenger view", pre(&[("risk_view", "challenger")])),
        ("scholz2011 + dynamic range", pre(&[("range", "dynamic")])),
        ("scholz2011 + conflicts do not move", pre(&[("conflicts_move", "false")])),
        ("defaults + conflicts move", Params::new().set("conflicts_move", "true").set("tolerance", "0").set("max_rounds", "10")),
        ("defaults + all-pairs denominator", Params::new().set("denominator", "all-pairs").set("tolerance", "0").set("max_rounds", "10")),
        ("defaults + risk off", Params::new().set("risk", "false").set("tolerance", "0").set("max_rounds", "10")),
    ];
    for (name, p) in cases {
        let f = Bdm.solve(&s, &p).unwrap();
        let i = &f.issues[0];
        let med: Vec<String> = i.rounds.iter().map(|r| format!("{:.3}", r.median)).collect();
        let mean: Vec<String> = i.rounds.iter().map(|r| format!("{:.3}", r.mean)).collect();
        println!("{name} | forecast {:.3} ({} {})\n  median: {}\n  mean:   {}", i.forecast, i.details["rounds_played"], i.details["stopped"], med.join(" "), mean.join(" "));
    }
}
