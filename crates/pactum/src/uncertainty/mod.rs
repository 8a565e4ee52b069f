//! Uncertainty, sensitivity and levers, for every model behind the [`Model`] trait.
//!
//! - [`simulate()`]: Monte Carlo over the ranged inputs (triangular or PERT, optionally
//!   correlated within groups); draw `i` depends only on `(seed, i)`, so results are
//!   byte-identical for any number of threads.
//! - [`sensitivity()`]: one-at-a-time swings (tornado) and variance-based first-order and
//!   total indices.
//! - [`levers()`]: what one actor could do (its own position and salience) and whose shift
//!   would move the outcome most toward it, with the robustness of each across draws.
//!
//! Every function fills a reusable [`crate::Snapshot`] and calls
//! [`Model::forecast_values`], the models' fast path. See `docs/uncertainty.md`.

pub mod distributions;
pub mod inputs;
pub mod levers;
pub mod sensitivity;
pub mod simulate;
pub mod summary;

pub use distributions::{Distribution, Shape};
pub use inputs::{Correlation, Field, Input, InputSpace};
pub use levers::{Lever, LeverOptions, Levers, levers};
pub use sensitivity::{Sensitivity, SensitivityOptions, sensitivity};
pub use simulate::{
    ForecastTable, GivenAgreement, IssueDistribution, Simulation, SimulationOptions, draw_chunk,
    simulate, simulate_with_draws, simulation_from_draws,
};

use crate::error::{InputError, ModelError};
#[cfg(doc)]
use crate::models::Model;

/// Why an uncertainty analysis could not run.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UncertaintyError {
    /// The scenario is invalid.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The model rejected the scenario or parameters.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The model failed on one draw (the first failing draw in draw order).
    #[error("draw {draw}: {error}")]
    Draw {
        /// The draw index.
        draw: u64,
        /// What the model said.
        error: ModelError,
    },
    /// An option is out of range (e.g. zero draws, unknown actor).
    #[error("{0}")]
    Options(String),
}
