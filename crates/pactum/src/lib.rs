//! pactum: forecast how multi-party negotiations end.
//!
//! The library knows nothing of terminals or HTTP. Its parts, in data-flow order:
//! - [`io`] reads scenario files in every supported format into a [`Scenario`];
//! - [`Scenario::validate`] checks it and names the place of every problem;
//! - [`Snapshot`] is the numeric view models compute on;
//! - [`models`] holds one module per model behind the [`Model`] trait, each returning a
//!   [`Forecast`];
//! - [`uncertainty`] wraps a model in Monte Carlo, sensitivity and levers; [`sweep`] runs
//!   grids of models and parameters over many scenarios.

// Input errors carry a full location (file, line, column, field) and a hint; they are
// returned only on the cold path of reading a file, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod backtest;
pub mod calibration;
pub mod error;
pub mod io;
pub mod models;
pub mod scenario;
pub mod seal;
pub mod sides;
pub mod snapshot;
pub mod stats;
pub mod sweep;
pub mod uncertainty;

pub use error::{Assumption, InputError, Location, ModelError, Warning};
pub use models::{Forecast, IssueForecast, Model, Params, Round};
pub use scenario::{
    Actor, Estimate, Issue, Members, Outcome, Problem, Ratification, Scale, Scenario, Side, Stance,
    Target,
};
pub use snapshot::{IssueData, Snapshot};
