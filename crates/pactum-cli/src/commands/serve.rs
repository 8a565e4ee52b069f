//! `pactum serve`: the local web app (scenario library, editor, JSON API).

use crate::Failure;
use std::net::SocketAddr;
use std::path::PathBuf;

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
}

/// Runs the server until Ctrl-C.
pub fn run(args: Args) -> Result<(), Failure> {
    let opts = pactum_web::ServeOptions {
        data_dir: args.data_dir,
        bind: args.bind,
        token: args.token,
    };
    pactum_web::check_options(&opts).map_err(Failure::Input)?;
    pactum_web::serve(opts).map_err(Failure::Runtime)
}
