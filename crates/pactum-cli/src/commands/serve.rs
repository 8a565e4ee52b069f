//! `pactum serve`: the local web app (scenario library, editor, JSON API).

use crate::Failure;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `pactum serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Folder of the scenario library (default: $XDG_DATA_HOME/pactum or ~/.local/share/pactum).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on. Anything but loopback needs --token.
    #[arg(long, default_value = "127.0.0.1:8700")]
    pub bind: SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on every request (at least 16 characters).
    #[arg(long, env = "PACTUM_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Model runs, imports and validations that may run at once (default: one fewer than
    /// the cores, at least 1); the others wait for a slot.
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// With --token: seconds a request may run before it is answered 504 (default 30).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// With --token: seconds a request may wait for a free worker before it is answered
    /// 503 (default 2).
    #[arg(long, value_name = "SECONDS")]
    pub queue_wait: Option<f64>,
}

fn seconds(flag: &str, v: Option<f64>, default: Duration) -> Result<Duration, Failure> {
    match v {
        None => Ok(default),
        Some(s) => Duration::try_from_secs_f64(s)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                Failure::Input(format!(
                    "--{flag} must be a positive number of seconds, not {s}"
                ))
            }),
    }
}

/// Runs the server until Ctrl-C.
pub fn run(args: Args) -> Result<(), Failure> {
    let opts = pactum_web::ServeOptions {
        data_dir: args.data_dir,
        bind: args.bind,
        limits: match (args.time_limit, args.queue_wait) {
            (None, None) => None,
            (t, w) => Some(pactum_web::pool::Limits {
                time_limit: seconds("time-limit", t, pactum_web::pool::DEFAULT_TIME_LIMIT)?,
                wait: seconds("queue-wait", w, pactum_web::pool::DEFAULT_WAIT)?,
            }),
        },
        token: args.token,
        workers: args.workers,
    };
    pactum_web::check_options(&opts).map_err(Failure::Input)?;
    pactum_web::serve(opts).map_err(Failure::Runtime)
}
