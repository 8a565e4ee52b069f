//! `pactum serve` as a real process: the API answers what `pactum forecast --format json`
//! prints, and a `kill -9` in the middle of saves leaves the library readable with every
//! acknowledged version intact.

use pactum_web::store::{Store, sha256_hex};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[path = "../../pactum-web/tests/common/mod.rs"]
mod common;
use common::big_table;

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.toml");

/// A running `pactum serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start pactum serve");
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    // Keep draining the server's output so it never writes to a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    Server { child, addr }
}

/// One HTTP/1.1 request with `Connection: close`; returns status and body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    ct: &str,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok((status, body.to_string()))
}

fn import_small(addr: &str) -> i64 {
    let text = std::fs::read(SMALL).unwrap();
    let (status, body) = http(
        addr,
        "POST",
        "/api/scenarios?filename=small.toml",
        "application/octet-stream",
        &text,
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["created"][0]["scenario_id"].as_i64().unwrap()
}

#[test]
fn the_api_answers_what_the_cli_prints() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let id = import_small(&server.addr);
    for model in pactum::models::all().iter().map(|m| m.name()) {
        let out = Command::new(env!("CARGO_BIN_EXE_pactum"))
            .args(["forecast", SMALL, "--model", model, "--format", "json"])
            .output()
            .unwrap();
        let req = json!({"scenario_id": id, "model": model}).to_string();
        let (status, body) = http(
            &server.addr,
            "POST",
            "/api/forecast",
            "application/json",
            req.as_bytes(),
        )
        .unwrap();
        if !out.status.success() {
            // The CLI refuses this model for this scenario; so must the API, with a 4xx.
            assert!(
                (400..500).contains(&status),
                "{model}: the CLI failed but the API answered {status}: {body}"
            );
            continue;
        }
        assert_eq!(status, 200, "{body}");
        let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
        let api: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(api, cli, "model {model}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args(["forecast", SMALL, "--format", "json"])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let req = json!({"scenario_id": id}).to_string();
    let (_, body) = http(
        &server.addr,
        "POST",
        "/api/forecast",
        "application/json",
        req.as_bytes(),
    )
    .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), cli);
}

#[test]
fn serve_refuses_a_public_address_without_a_token() {
    let out = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args(["serve", "--bind", "0.0.0.0:0"])
        .env_remove("PACTUM_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
}

/// A version the server acknowledged (201): its number and hash.
#[derive(Debug, Clone)]
struct Acked {
    version: i64,
    sha256: String,
}

/// Saves edited versions in a loop until `stop`; returns what was acknowledged.
fn hammer(
    addr: String,
    id: i64,
    scenario: Value,
    worker: usize,
    stop: Arc<AtomicBool>,
) -> Vec<Acked> {
    let mut acked = Vec::new();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let mut s = scenario.clone();
        // A distinct salience per save, so every version's text (and hash) differs.
        s["stances"][1]["salience"] =
            json!(((worker as u64 * 100_003 + n) % 997) as f64 / 1000.0 + 0.001);
        let body = json!({"scenario": s, "note": format!("worker {worker} save {n}")}).to_string();
        match http(
            &addr,
            "POST",
            &format!("/api/scenarios/{id}/versions"),
            "application/json",
            body.as_bytes(),
        ) {
            Ok((201, text)) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                acked.push(Acked {
                    version: v["version"].as_i64().unwrap(),
                    sha256: v["sha256"].as_str().unwrap().to_string(),
                });
            }
            Ok((status, text)) => panic!("save answered {status}: {text}"),
            Err(_) => break, // the server is gone
        }
    }
    acked
}

#[test]
fn kill_9_during_saves_leaves_every_acknowledged_version_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path());
    let id = import_small(&server.addr);
    let (_, body) = http(
        &server.addr,
        "GET",
        &format!("/api/scenarios/{id}/versions/1"),
        "application/json",
        b"",
    )
    .unwrap();
    let scenario = serde_json::from_str::<Value>(&body).unwrap()["scenario"].clone();

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (addr, s, stop) = (server.addr.clone(), scenario.clone(), stop.clone());
            std::thread::spawn(move || hammer(addr, id, s, w, stop))
        })
        .collect();
    // Let the saves run, then SIGKILL the server while they are in flight.
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();
    let killed_after = t0.elapsed();
    stop.store(true, Ordering::Relaxed);
    let acked: Vec<Acked> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        acked.len() >= 10,
        "only {} saves in {killed_after:?}",
        acked.len()
    );

    let store = Store::open(&pactum_web::database_path(dir.path())).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let versions = store.list_versions(id).unwrap().unwrap();
    // Numbers are 1..=n with no gap, and every acknowledged save is there unchanged.
    for (k, v) in versions.iter().enumerate() {
        assert_eq!(v.version, k as i64 + 1);
    }
    for a in &acked {
        let v = store.version(id, Some(a.version)).unwrap().unwrap();
        assert_eq!(v.info.sha256, a.sha256, "version {}", a.version);
        assert_eq!(sha256_hex(&v.toml), a.sha256);
    }
    // The last committed version is whole: its text matches its hash and reads back.
    let last = store.version(id, None).unwrap().unwrap();
    assert!(last.info.version >= acked.iter().map(|a| a.version).max().unwrap());
    assert_eq!(sha256_hex(&last.toml), last.info.sha256);
    pactum::io::read("last.toml", last.toml.as_bytes(), None).unwrap();
    eprintln!(
        "{} saves acknowledged, {} versions committed, killed after {killed_after:?}",
        acked.len(),
        versions.len()
    );

    // The server starts again on the same library and serves the last version.
    let again = start(dir.path());
    let (status, _) = http(
        &again.addr,
        "GET",
        &format!("/api/scenarios/{id}/versions/latest"),
        "application/json",
        b"",
    )
    .unwrap();
    assert_eq!(status, 200);
}

/// Imports a table of `n` actors; returns its scenario id.
fn import_big(addr: &str, n: usize) -> i64 {
    let (status, body) = http(
        addr,
        "POST",
        "/api/scenarios?filename=big.csv",
        "application/octet-stream",
        big_table(n).as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["created"][0]["scenario_id"]
        .as_i64()
        .unwrap()
}

/// Sends `head` and `body`, reads at least `first` bytes of the answer, drains what has
/// arrived, and closes: the server is left writing to a socket whose client has gone.
fn hang_up(addr: &str, head: &str, body: &[u8], first: usize) {
    let mut s = TcpStream::connect(addr)
        .expect("the server refuses connections: did an earlier client's hang-up kill it?");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut got = 0;
    while got < first {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    // Drain what the kernel holds, so closing sends a FIN, not a reset: the server's
    // next writes then fail with EPIPE, which raises SIGPIPE under the default action.
    s.set_nonblocking(true).unwrap();
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
    }
    drop(s);
}

/// Proves the SIGPIPE choice in `main.rs`: with `serve` made to restore the default action
/// this test fails (the server is killed by the first hang-up and refuses the next
/// connection), as checked by hand when it was written.
#[test]
fn a_client_that_hangs_up_never_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path());
    // An answer of megabytes: the scenario page's data for 40,000 actors.
    let id = import_big(&server.addr, 40_000);
    let page = format!(
        "GET /api/scenarios/{id}/versions/latest HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    );
    for _ in 0..5 {
        hang_up(&server.addr, &page, b"", 1);
        std::thread::sleep(Duration::from_millis(200));
    }
    // A slow answer (bdm on 300 actors): the client leaves before it is ready.
    let slow = import_big(&server.addr, 300);
    let req = json!({ "scenario_id": slow, "model": "bdm" }).to_string();
    let head = format!(
        "POST /api/forecast HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.addr,
        req.len()
    );
    hang_up(&server.addr, &head, req.as_bytes(), 0);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited after a client hung up: {:?}",
        server.child.try_wait()
    );
    let (status, body) = http(&server.addr, "GET", "/api/health", "application/json", b"")
        .expect("the server no longer answers /api/health");
    assert_eq!(status, 200, "{body}");
    // And it still serves the page's data whole.
    let (status, body) = http(
        &server.addr,
        "GET",
        &format!("/api/scenarios/{id}/versions/latest"),
        "application/json",
        b"",
    )
    .unwrap();
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["scenario"]["actors"].as_array().unwrap().len(), 40_000);
}

/// `pactum` run with `args`; its standard output (the command must succeed).
fn cli_stdout(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pactum {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_page_downloads_are_the_bytes_the_cli_writes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let flagship = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../cases/us-japan-2014.toml"
    );
    let text = std::fs::read(flagship).unwrap();
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/scenarios?filename=us-japan-2014.toml",
        "application/octet-stream",
        &text,
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["created"][0]["scenario_id"]
        .as_i64()
        .unwrap();
    let get = |path: String| {
        let (status, body) = http(&server.addr, "GET", &path, "application/json", b"").unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        body
    };
    // The exported TOML under the name the report download cites.
    let toml_path = dir.path().join(format!("scenario-{id}-v1.toml"));
    std::fs::write(
        &toml_path,
        get(format!("/api/scenarios/{id}/versions/1/toml")),
    )
    .unwrap();
    let file = toml_path.to_str().unwrap();
    let base = format!("/api/scenarios/{id}/versions/1");
    for format in ["csv", "json"] {
        let web = get(format!("{base}/results/{format}"));
        let cli = cli_stdout(&["forecast", file, "--format", format]);
        assert_eq!(web, cli, "every model, {format}");
        let web = get(format!("{base}/results/{format}?model=bdm"));
        let cli = cli_stdout(&["forecast", file, "--model", "bdm", "--format", format]);
        assert_eq!(web, cli, "bdm, {format}");
    }
    let csv = get(format!("{base}/results/csv"));
    assert!(csv.starts_with("model,issue,forecast,mean,"), "{csv}");
    assert!(csv.lines().count() > 2, "{csv}");
    let html = dir.path().join("report.html");
    cli_stdout(&["report", file, "-o", html.to_str().unwrap()]);
    let web = get(format!("{base}/report"));
    assert_eq!(web, std::fs::read_to_string(&html).unwrap());
}
