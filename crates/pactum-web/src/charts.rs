//! Charts for the page, drawn by `pactum-chart` (the same functions, hence the same bytes,
//! as the HTML report).
//!
//! `POST /api/charts` takes the live preview's body (`POST /api/forecast` with an unsaved
//! `scenario`), runs the models once and answers both the forecasts (exactly what
//! `/api/forecast` answers) and every chart of every issue, so one request per edit puts
//! the table and the charts on screen. Monte Carlo jobs add their histograms to the job's
//! answer ([`histograms`]).

use crate::AppState;
use crate::api::{
    ForecastRequest, body_bytes, check_scenario, chosen_models, cli_json, parse_json, run_models,
};
use crate::error::ApiError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::response::{IntoResponse, Response};
use pactum::uncertainty::Simulation;
use pactum::{Forecast, Scenario};
use pactum_chart::Histogram;
use serde_json::{Map, Value, json};

/// Every chart of every issue of `scenario` for these forecasts, as the page draws them:
/// per issue its `id`, the `decimals` its values are shown with, the `position_map`, the `round_medians` (null when no model bargains
/// over rounds), and per model (by name) its `round_actors` and, for a two-level forecast,
/// its `win_set`. The `k` of a model's charts is its index in `forecasts`, as in a report of
/// the same forecasts.
pub fn issue_charts(scenario: &Scenario, forecasts: &[Forecast]) -> Value {
    let issues: Vec<Value> = scenario
        .issues
        .iter()
        .map(|issue| {
            let mut actors = Map::new();
            let mut win_sets = Map::new();
            for (k, f) in forecasts.iter().enumerate() {
                if let Some(svg) = pactum_chart::round_actors(scenario, issue, k, f) {
                    actors.insert(f.model.clone(), json!(svg));
                }
                let two = pactum_chart::issue_forecast(f, &issue.id)
                    .and_then(|i| pactum_chart::win_set(issue, i, &f.model));
                if let Some(svg) = two {
                    win_sets.insert(f.model.clone(), json!(svg));
                }
            }
            json!({
                "id": issue.id,
                "decimals": pactum_chart::decimals(issue.scale.hi - issue.scale.lo),
                "position_map": pactum_chart::position_map(scenario, issue, forecasts),
                "round_medians": pactum_chart::round_medians(issue, forecasts),
                "round_actors": actors,
                "win_sets": win_sets,
            })
        })
        .collect();
    json!({ "issues": issues })
}

/// The histogram of each issue of a Monte Carlo run, in the run's order: `[{"id",
/// "decimals", "svg", "p_agreement"}]` (`p_agreement` null for a model that always agrees).
pub fn histograms(scenario: &Scenario, sim: &Simulation) -> Value {
    let list: Vec<Value> = Histogram::from_simulation(sim)
        .iter()
        .enumerate()
        .filter_map(|(k, h)| {
            let issue = scenario.issues.iter().find(|i| i.id == h.issue_id)?;
            Some(json!({
                "id": h.issue_id,
                "decimals": pactum_chart::decimals(issue.scale.hi - issue.scale.lo),
                "svg": pactum_chart::histogram(issue, k, h),
                "p_agreement": h.p_agreement,
            }))
        })
        .collect();
    Value::Array(list)
}

/// `POST /api/charts`: the body of `POST /api/forecast` for an unsaved `scenario`; the
/// answer is `{"forecasts": <the /api/forecast answer>, "charts": <issue_charts>}`.
/// Nothing is recorded.
pub async fn charts(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let mut req: ForecastRequest = parse_json(&body_bytes(body)?)?;
    let (chosen, explicit) = chosen_models(&req)?;
    let seed = req.seed.as_ref().map(|s| s.value()).transpose()?;
    if req.scenario_id.is_some() || req.version.is_some() {
        return Err(ApiError::bad_request(
            "charts are drawn for an inline `scenario`; a stored version's forecast is `POST /api/forecast`",
        ));
    }
    let inline = req.scenario.take().ok_or_else(|| {
        ApiError::bad_request("give the `scenario` to draw (as `GET .../versions/{v}` returns it)")
    })?;
    let body = state
        .pool
        .run(move || {
            let (scenario, _) = check_scenario(&inline)?;
            let ran = run_models(&scenario, &chosen, explicit, &req, seed)?;
            let forecasts: Vec<Forecast> = ran.iter().map(|r| r.forecast.clone()).collect();
            Ok::<_, ApiError>(json!({
                "forecasts": cli_json(&ran, explicit),
                "charts": issue_charts(&scenario, &forecasts),
            }))
        })
        .await?;
    Ok(Json(body).into_response())
}
