//! pactum's local web app: a scenario library in an embedded SQLite file, a JSON API that
//! mirrors the command line, and one browser page that edits a scenario and redraws its
//! forecasts.
//!
//! The crate is thin: reading, validating and forecasting are the `pactum` library's; this
//! crate does HTTP ([`api`], [`security`]) and storage ([`store`]). Routes are listed in one
//! table ([`routes`]) that the OpenAPI document at `/api/openapi.json` must match (tested).

// Errors are built on the cold path of a failed request; their size does not matter.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod authoring;
pub mod charts;
pub mod error;
pub mod library;
pub mod montecarlo;
pub mod pool;
pub mod seals;
pub mod security;
pub mod store;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use error::ApiError;
use pool::{Limits, Pool};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use store::Store;

/// Largest request body accepted, bytes (a scenario file or an edited scenario: a
/// 100,000-actor scenario as JSON is about 15 MiB).
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// The OpenAPI 3 document describing every route.
pub const OPENAPI: &str = include_str!("openapi.json");

const INDEX_HTML: &str = include_str!("../static/index.html");
const APP_CSS: &str = include_str!("../static/app.css");

/// The page's scripts: path and text. Each is served as it is; `index.html` loads them.
pub const SCRIPTS: &[(&str, &str)] = &[
    ("/static/sides.js", include_str!("../static/sides.js")),
    ("/static/app.js", include_str!("../static/app.js")),
    ("/static/seals.js", include_str!("../static/seals.js")),
    ("/static/library.js", include_str!("../static/library.js")),
    ("/static/editor.js", include_str!("../static/editor.js")),
];

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The library.
    pub store: Arc<Mutex<Store>>,
    /// The bearer token every request must carry, when one is set.
    pub token: Option<Arc<str>>,
    /// Monte Carlo jobs, in memory.
    pub jobs: Arc<montecarlo::Jobs>,
    /// The bounded pool heavy work runs on.
    pub pool: Arc<Pool>,
    /// The library's schema version (fixed once the store is open).
    pub schema_version: i64,
}

impl AppState {
    /// State over `store`, with an optional access token. The pool has
    /// [`pool::default_size`] slots; with a token (a server reachable beyond loopback) it
    /// has the default [`Limits`] too.
    pub fn new(store: Store, token: Option<String>) -> Self {
        let limits = token.as_ref().map(|_| Limits::default());
        AppState::with_pool(store, token, Pool::new(pool::default_size(), limits))
    }

    /// State over `store` with an optional token and the given pool.
    pub fn with_pool(store: Store, token: Option<String>, pool: Pool) -> Self {
        let schema_version = store.schema_version().unwrap_or(0);
        AppState {
            store: Arc::new(Mutex::new(store)),
            token: token.map(Arc::from),
            jobs: Arc::new(montecarlo::Jobs::default()),
            pool: Arc::new(pool),
            schema_version,
        }
    }
}

/// One served route: its path (OpenAPI syntax), its methods, and its handlers.
pub struct RouteSpec {
    /// Path with `{name}` parameters.
    pub path: &'static str,
    /// HTTP methods, upper case.
    pub methods: &'static [&'static str],
    /// The handlers.
    pub handler: MethodRouter<AppState>,
}

fn route(
    path: &'static str,
    methods: &'static [&'static str],
    handler: MethodRouter<AppState>,
) -> RouteSpec {
    RouteSpec {
        path,
        methods,
        handler,
    }
}

/// Every route the server answers, pages and API alike.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route("/", &["GET"], get(page)),
        route("/scenarios/{id}", &["GET"], get(page)),
        route("/scenarios/new", &["GET"], get(page)),
        route("/scenarios/{id}/edit", &["GET"], get(page)),
        route("/scenarios/{id}/versions/{version}", &["GET"], get(page)),
        route("/runs/{id}", &["GET"], get(page)),
        route("/static/sides.js", &["GET"], get(script)),
        route("/static/app.js", &["GET"], get(script)),
        route("/static/library.js", &["GET"], get(script)),
        route("/static/editor.js", &["GET"], get(script)),
        route("/static/app.css", &["GET"], get(app_css)),
        route("/seals", &["GET"], get(page)),
        route("/static/seals.js", &["GET"], get(script)),
        route("/login", &["GET", "POST"], get(page).post(security::login)),
        route("/api/health", &["GET"], get(api::health)),
        route("/api/openapi.json", &["GET"], get(openapi)),
        route("/api/models", &["GET"], get(api::list_models)),
        route(
            "/api/scenarios",
            &["GET", "POST"],
            get(api::list_scenarios).post(api::import),
        ),
        route("/api/scenarios/new", &["POST"], post(authoring::create)),
        route("/api/validate", &["POST"], post(authoring::validate)),
        route(
            "/api/scenarios/{id}",
            &["GET", "PATCH", "DELETE"],
            get(api::scenario)
                .patch(library::rename)
                .delete(library::delete),
        ),
        route("/api/scenarios/{id}/usage", &["GET"], get(library::usage)),
        route(
            "/api/scenarios/{id}/duplicate",
            &["POST"],
            post(library::duplicate),
        ),
        route("/api/scenarios/{id}/diff", &["GET"], get(library::diff)),
        route(
            "/api/scenarios/{id}/versions",
            &["GET", "POST"],
            get(api::versions).post(api::save_version),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}",
            &["GET"],
            get(api::version),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/toml",
            &["GET"],
            get(api::version_toml),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/restore",
            &["POST"],
            post(library::restore),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/sensitivity",
            &["POST"],
            post(library::sensitivity_route),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/levers",
            &["POST"],
            post(library::levers_route),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/xlsx",
            &["GET"],
            get(library::version_xlsx),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/report",
            &["GET"],
            get(library::version_report),
        ),
        route(
            "/api/scenarios/{id}/versions/{version}/results/{format}",
            &["GET"],
            get(library::version_results),
        ),
        route("/api/forecast", &["POST"], post(api::forecast)),
        route("/api/runs", &["GET"], get(api::runs)),
        route("/api/runs/{id}", &["GET"], get(api::run)),
        route("/api/montecarlo", &["POST"], post(montecarlo::start)),
        route("/api/montecarlo/{job}", &["GET"], get(montecarlo::status)),
        route("/api/charts", &["POST"], post(charts::charts)),
        route(
            "/api/scenarios/{id}/versions/{version}/seal",
            &["POST"],
            post(seals::seal_version),
        ),
        route("/api/seals", &["GET"], get(seals::ledger)),
        route("/api/seals/{id}", &["GET"], get(seals::download)),
        route(
            "/api/scenarios/{id}/outcomes",
            &["GET", "POST"],
            get(seals::list_outcomes).post(seals::record_outcome),
        ),
        route("/api/scoreboard", &["GET"], get(seals::scoreboard)),
    ]
}

/// The application: every route, JSON errors for unknown paths and methods, the body
/// limit, security headers and (when a token is set) authentication.
pub fn router(state: AppState) -> Router {
    let mut r = Router::new();
    for spec in routes() {
        r = r.route(spec.path, spec.handler);
    }
    r.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route").with_hint("GET /api/openapi.json lists every route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
    .with_hint("GET /api/openapi.json lists every route and its methods")
}

fn text(content_type: &'static str, body: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    text("text/html; charset=utf-8", INDEX_HTML)
}

/// One of [`SCRIPTS`], found by the request's path.
async fn script(uri: axum::http::Uri) -> Response {
    match SCRIPTS.iter().find(|(path, _)| *path == uri.path()) {
        Some((_, body)) => text("text/javascript; charset=utf-8", body),
        None => not_found().await.into_response(),
    }
}

async fn app_css() -> Response {
    text("text/css; charset=utf-8", APP_CSS)
}

async fn openapi() -> Response {
    text("application/json", OPENAPI)
}

/// How `pactum serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where the library lives; `None`: the platform's data folder (see [`default_data_dir`]).
    pub data_dir: Option<PathBuf>,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Bearer token required on every request (mandatory off loopback).
    pub token: Option<String>,
    /// Heavy jobs (model runs, imports, validation) run at once; `None`: one fewer than
    /// the machine's cores.
    pub workers: Option<usize>,
    /// With a token: the longest a request may wait for its answer, and for a free worker
    /// (`None`: the defaults of [`Limits`]).
    pub limits: Option<Limits>,
}

/// The platform's folder for user data: `$XDG_DATA_HOME/pactum` or
/// `~/.local/share/pactum` (Linux and other Unix), `~/Library/Application Support/pactum`
/// (macOS), `%APPDATA%\pactum` (Windows).
pub fn default_data_dir() -> Result<PathBuf, String> {
    data_dir_from(|k| std::env::var_os(k))
}

/// [`default_data_dir`] with the environment given as a lookup (testable).
pub fn data_dir_from(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<PathBuf, String> {
    let env = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if cfg!(windows) {
        return env("APPDATA")
            .map(|p| p.join("pactum"))
            .ok_or_else(|| "APPDATA is not set; give --data-dir".to_string());
    }
    if let Some(x) = env("XDG_DATA_HOME").filter(|p| p.is_absolute()) {
        return Ok(x.join("pactum"));
    }
    let home = env("HOME").ok_or_else(|| "HOME is not set; give --data-dir".to_string())?;
    if cfg!(target_os = "macos") {
        Ok(home.join("Library/Application Support/pactum"))
    } else {
        Ok(home.join(".local/share/pactum"))
    }
}

/// The library file inside a data folder.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("pactum.db")
}

/// Checks the bind address and token: a non-loopback address needs a token, and a token
/// must be long enough to guess hard.
pub fn check_options(opts: &ServeOptions) -> Result<(), String> {
    if let Some(t) = &opts.token
        && t.len() < 16
    {
        return Err("--token must be at least 16 characters".into());
    }
    if let Some(t) = &opts.token
        && !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(c))
    {
        return Err("--token may hold only letters, digits and - . _ ~ + / =".into());
    }
    if opts.workers == Some(0) {
        return Err("--workers must be at least 1".into());
    }
    if let Some(l) = opts.limits
        && (l.time_limit.is_zero() || l.wait.is_zero())
    {
        return Err("--time-limit and --queue-wait must be more than 0 seconds".into());
    }
    if !opts.bind.ip().is_loopback() && opts.token.is_none() {
        return Err(format!(
            "{} is not a loopback address: anyone on the network could reach the library; add --token (then every request needs `Authorization: Bearer <token>`)",
            opts.bind
        ));
    }
    Ok(())
}

/// Opens the library and serves until Ctrl-C. Prints the address on standard output
/// (`listening on http://ADDR`) once the socket is bound.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    check_options(&opts)?;
    let dir = match &opts.data_dir {
        Some(d) => d.clone(),
        None => default_data_dir()?,
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let db = database_path(&dir);
    let store = Store::open(&db).map_err(|e| format!("{}: {e}", db.display()))?;
    let limits = opts.token.as_ref().map(|_| opts.limits.unwrap_or_default());
    let workers = opts.workers.unwrap_or_else(pool::default_size);
    let state = AppState::with_pool(store, opts.token.clone(), Pool::new(workers, limits));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.bind)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.bind))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        // Printing must never stop the server (standard output may be closed).
        let mut out = std::io::stdout();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = writeln!(out, "library: {}", db.display());
        if opts.token.is_some() {
            let _ = writeln!(
                out,
                "a token is required: open http://{addr}/ in a browser and enter it once"
            );
        }
        let _ = out.flush();
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}

#[cfg(all(test, unix, not(target_os = "macos")))]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn data_dir_follows_xdg_then_home() {
        let d = data_dir_from(env(&[("XDG_DATA_HOME", "/x/data"), ("HOME", "/h")]));
        assert_eq!(d.unwrap(), PathBuf::from("/x/data/pactum"));
        // A relative XDG_DATA_HOME is ignored, as the XDG spec says.
        let d = data_dir_from(env(&[("XDG_DATA_HOME", "rel"), ("HOME", "/h")]));
        assert_eq!(d.unwrap(), PathBuf::from("/h/.local/share/pactum"));
        let d = data_dir_from(env(&[("XDG_DATA_HOME", ""), ("HOME", "/h")]));
        assert_eq!(d.unwrap(), PathBuf::from("/h/.local/share/pactum"));
        assert!(data_dir_from(env(&[])).unwrap_err().contains("--data-dir"));
    }
}
