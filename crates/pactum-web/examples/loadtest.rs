//! Load test of `POST /api/forecast`: 32 concurrent keep-alive clients on loopback, a
//! bounded number of requests and a time limit; prints requests per second and latency
//! percentiles, and exits non-zero on any error.
//!
//! ```text
//! cargo run --release -p pactum-web --example loadtest -- [--clients 32] [--requests 20000]
//!     [--seconds 30] [--mode stored|inline] [--scenario FILE] [--addr 127.0.0.1:PORT]
//! ```
//! Without `--addr` it serves a fresh library in-process on 127.0.0.1:0. `--addr` must be a
//! loopback address (this tool never sends traffic anywhere else).
//! `stored`: a stored version + one model, each request recorded as a run (an SQLite
//! commit with `synchronous = FULL`); `inline`: an unsaved scenario under every model, as
//! the page's live preview sends it (nothing stored). `--scenario`: the scenario file
//! (default: the CLI's small test fixture).

use pactum_web::store::Store;
use pactum_web::{AppState, router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const SMALL: &str = include_str!("../../pactum-cli/tests/fixtures/small.toml");

struct Options {
    clients: usize,
    requests: usize,
    seconds: u64,
    mode: String,
    addr: Option<SocketAddr>,
    scenario: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        clients: 32,
        requests: 20_000,
        seconds: 30,
        mode: "stored".into(),
        addr: None,
        scenario: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--clients" => o.clients = value.parse().map_err(|e| bad(&e))?,
            "--requests" => o.requests = value.parse().map_err(|e| bad(&e))?,
            "--seconds" => o.seconds = value.parse().map_err(|e| bad(&e))?,
            "--mode" => o.mode = value.clone(),
            "--addr" => o.addr = Some(value.parse().map_err(|e| bad(&e))?),
            "--scenario" => o.scenario = Some(value.clone()),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if !matches!(o.mode.as_str(), "stored" | "inline") {
        return Err("--mode is stored or inline".into());
    }
    if let Some(a) = o.addr
        && !a.ip().is_loopback()
    {
        return Err(format!(
            "{a} is not a loopback address; this tool only targets 127.0.0.1 or ::1"
        ));
    }
    if o.clients == 0 || o.clients > 256 || o.requests > 1_000_000 || o.seconds > 600 {
        return Err("bounds: 1-256 clients, at most 1,000,000 requests and 600 s".into());
    }
    Ok(o)
}

/// One request on a keep-alive connection; returns the status.
async fn request(
    conn: &mut BufReader<TcpStream>,
    addr: &SocketAddr,
    path: &str,
    body: &[u8],
) -> std::io::Result<u16> {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.get_mut().write_all(head.as_bytes()).await?;
    conn.get_mut().write_all(body).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().map_err(std::io::Error::other)?;
        }
    }
    let mut sink = vec![0u8; length];
    conn.read_exact(&mut sink).await?;
    Ok(status)
}

async fn setup(addr: SocketAddr, mode: &str, text: &str) -> Result<(String, Vec<u8>), String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut conn = BufReader::new(stream);
    let head = format!(
        "POST /api/scenarios?filename=small.toml HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        text.len()
    );
    conn.get_mut()
        .write_all(head.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    conn.get_mut()
        .write_all(text.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    conn.read_to_string(&mut reply)
        .await
        .map_err(|e| e.to_string())?;
    let body = reply.split_once("\r\n\r\n").map(|x| x.1).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("{e}: {reply}"))?;
    let id = v["created"][0]["scenario_id"]
        .as_i64()
        .ok_or(format!("import failed: {reply}"))?;
    let req = if mode == "stored" {
        serde_json::json!({"scenario_id": id, "model": "compromise"})
    } else {
        let s = pactum::io::read("scenario", text.as_bytes(), None)
            .map_err(|e| e.to_string())?
            .scenarios
            .remove(0);
        serde_json::json!({ "scenario": s })
    };
    Ok(("/api/forecast".into(), req.to_string().into_bytes()))
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[k] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let _dir; // keeps the in-process library alive until the end
    let addr = match o.addr {
        Some(a) => a,
        None => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let store = Store::open(&pactum_web::database_path(dir.path())).expect("library");
            _dir = dir;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let a = listener.local_addr().expect("address");
            let app = router(AppState::new(store, None));
            tokio::spawn(async move { axum::serve(listener, app).await });
            a
        }
    };
    let text = match &o.scenario {
        Some(f) => match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return std::process::ExitCode::from(2);
            }
        },
        None => SMALL.to_string(),
    };
    let (path, body) = match setup(addr, &o.mode, &text).await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: setup: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let (path, body) = (Arc::new(path), Arc::new(body));
    let issued = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..o.clients {
        let (path, body, issued, errors) =
            (path.clone(), body.clone(), issued.clone(), errors.clone());
        let total = o.requests;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let Ok(stream) = TcpStream::connect(addr).await else {
                errors.fetch_add(1, Ordering::Relaxed);
                return lat;
            };
            let mut conn = BufReader::new(stream);
            while Instant::now() < deadline && issued.fetch_add(1, Ordering::Relaxed) < total {
                let t0 = Instant::now();
                match request(&mut conn, &addr, &path, &body).await {
                    Ok(200) => lat.push(t0.elapsed().as_micros().min(u32::MAX as u128) as u32),
                    Ok(_) | Err(_) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
            lat
        }));
    }
    let mut lat: Vec<u32> = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap_or_default());
    }
    let elapsed = start.elapsed().as_secs_f64();
    lat.sort_unstable();
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "{} mode {}: {} clients, {} requests in {:.2} s = {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; errors {}",
        o.scenario.as_deref().unwrap_or("small.toml"),
        o.mode,
        o.clients,
        lat.len(),
        elapsed,
        lat.len() as f64 / elapsed,
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0),
        errors
    );
    if errors > 0 || lat.is_empty() {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
