//! The ranged inputs of a scenario, where each lands in the [`Snapshot`], and how one draw
//! of them is made from `(seed, draw index)`.

use super::UncertaintyError;
use super::distributions::{Distribution, Shape, box_muller, normal_cdf};
use crate::scenario::{Estimate, Scenario};
use crate::snapshot::Snapshot;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Which coded number of an actor an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// A position on one issue, in the issue's units.
    Position,
    /// A salience on one issue, 0–1.
    Salience,
    /// A capability (actor-wide, or one issue's override).
    Capability,
}

impl Field {
    /// The name used in input names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Field::Position => "position",
            Field::Salience => "salience",
            Field::Capability => "capability",
        }
    }
}

impl std::str::FromStr for Field {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "position" => Ok(Field::Position),
            "salience" => Ok(Field::Salience),
            "capability" => Ok(Field::Capability),
            _ => Err(format!(
                "unknown field `{s}`; expected position, salience or capability"
            )),
        }
    }
}

/// Correlated draws: a one-factor Gaussian copula.
///
/// Every ranged input of a field in `fields` whose actor has a `group` gets the normal score
/// `z = √ρ · w_(group, field) + √(1 − ρ) · e`, with `w` shared by the group and field and
/// `e` its own; `u = Φ(z)` is then mapped through the input's quantile function. Inputs of
/// one group and field are thus correlated with (normal-score) correlation `ρ`; all other
/// pairs are independent. `ρ` is 0–1 (an equicorrelation below 0 is not valid for more
/// than two members).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// Correlation of the normal scores within a group, 0–1.
    pub rho: f64,
    /// The fields that move together within a group.
    pub fields: Vec<Field>,
}

/// One coded number given as a range, and where it lands in the snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// Display name: `actor.field`, with `@issue` when the scenario has several issues and
    /// the number belongs to one issue.
    pub name: String,
    /// The actor's id.
    pub actor: String,
    /// The issue's id; `None` for an actor-wide capability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Which number it is.
    pub field: Field,
    /// Smallest plausible value.
    pub low: f64,
    /// Most likely value.
    pub mode: f64,
    /// Largest plausible value.
    pub high: f64,
    /// The actor's group, for correlated draws.
    #[serde(skip)]
    pub group: Option<String>,
    /// `(issue index, participant index)` of every snapshot value this input sets.
    #[serde(skip)]
    pub(crate) slots: Vec<(usize, usize)>,
    #[serde(skip)]
    pub(crate) distribution: Distribution,
}

/// The ranged inputs of a scenario and how to draw them.
#[derive(Debug, Clone)]
pub struct InputSpace {
    /// The snapshot with every estimate at its mode.
    pub base: Snapshot,
    /// The ranged inputs, in draw order: actor-wide capabilities (actor order), then per
    /// stance (file order) its position, salience and capability override.
    pub inputs: Vec<Input>,
    /// The distribution shape used for every input.
    pub shape: Shape,
    correlation: Option<Correlation>,
    /// Per input, the index of its shared factor in a correlated draw.
    factor: Vec<Option<usize>>,
    factors: usize,
}

/// Key purposes, so that simulation, sensitivity and levers use unrelated streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Monte Carlo draws.
    Simulate = 0,
    /// Matrix A of the variance-based sensitivity.
    SobolA = 1,
    /// Matrix B of the variance-based sensitivity.
    SobolB = 2,
}

/// The generator of draw `index`: ChaCha8 keyed with the little-endian bytes of `seed`
/// (bytes 0–7) and `purpose` (bytes 8–15, the rest zero), on stream `index`.
pub fn draw_rng(seed: u64, purpose: Purpose, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(purpose as u64).to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(index);
    rng
}

/// A uniform number in the open interval (0, 1): the top 53 bits of one `u64`, plus half a
/// step.
pub fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

impl InputSpace {
    /// Collects the ranged inputs of a validated scenario.
    pub fn new(
        scenario: &Scenario,
        shape: Shape,
        correlation: Option<Correlation>,
    ) -> Result<Self, UncertaintyError> {
        scenario.validate()?;
        if let Some(c) = &correlation
            && !(0.0..=1.0).contains(&c.rho)
        {
            return Err(UncertaintyError::Options(format!(
                "correlation must be between 0 and 1, got {}",
                c.rho
            )));
        }
        let base = Snapshot::modes(scenario);
        let inputs = collect_inputs(scenario, &base, shape)?;
        let (factor, factors) = assign_factors(&inputs, correlation.as_ref());
        Ok(InputSpace {
            base,
            inputs,
            shape,
            correlation,
            factor,
            factors,
        })
    }

    /// The correlation in force, if any.
    pub fn correlation(&self) -> Option<&Correlation> {
        self.correlation.as_ref()
    }

    /// Number of ranged inputs.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// True when no estimate is a range.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Writes `value` for input `j` into every snapshot slot it owns.
    pub fn set(&self, snapshot: &mut Snapshot, j: usize, value: f64) {
        let input = &self.inputs[j];
        for &(i, k) in &input.slots {
            let d = &mut snapshot.issues[i];
            match input.field {
                Field::Position => d.position[k] = value,
                Field::Salience => d.salience[k] = value,
                Field::Capability => d.capability[k] = value,
            }
        }
    }

    /// Writes the value of input `j` at quantile `u`.
    pub fn set_quantile(&self, snapshot: &mut Snapshot, j: usize, u: f64) {
        self.set(snapshot, j, self.inputs[j].distribution.quantile(u));
    }

    /// Fills `u` (one entry per input) with the uniforms of draw `index`: independent, or
    /// through the Gaussian copula when a correlation is set.
    pub fn draw_uniforms(&self, seed: u64, purpose: Purpose, index: u64, u: &mut [f64]) {
        let mut rng = draw_rng(seed, purpose, index);
        let Some(c) = &self.correlation else {
            for x in u.iter_mut() {
                *x = uniform(&mut rng);
            }
            return;
        };
        let mut normals = NormalStream::default();
        let shared: Vec<f64> = (0..self.factors).map(|_| normals.next(&mut rng)).collect();
        let (a, b) = (c.rho.sqrt(), (1.0 - c.rho).sqrt());
        for (j, x) in u.iter_mut().enumerate() {
            let own = normals.next(&mut rng);
            let z = match self.factor[j] {
                Some(f) => a * shared[f] + b * own,
                None => own,
            };
            *x = normal_cdf(z).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
        }
    }

    /// Sets every input of `snapshot` from the uniforms `u`.
    pub fn apply(&self, snapshot: &mut Snapshot, u: &[f64]) {
        for (j, &x) in u.iter().enumerate() {
            self.set_quantile(snapshot, j, x);
        }
    }
}

/// Normals from Box–Muller pairs, so that each pair of uniforms gives two normals.
#[derive(Default)]
struct NormalStream {
    spare: Option<f64>,
}

impl NormalStream {
    fn next(&mut self, rng: &mut ChaCha8Rng) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (z0, z1) = box_muller(uniform(rng), uniform(rng));
        self.spare = Some(z1);
        z0
    }
}

/// Builds the inputs: actor-wide capabilities first, then per stance its ranged numbers.
fn collect_inputs(
    scenario: &Scenario,
    base: &Snapshot,
    shape: Shape,
) -> Result<Vec<Input>, UncertaintyError> {
    let multi = scenario.issues.len() > 1;
    let mut next_slot = vec![0usize; base.issues.len()];
    let mut actor_slots: Vec<Vec<(usize, usize)>> = vec![Vec::new(); scenario.actors.len()];
    let mut stance_inputs = Vec::new();
    for st in &scenario.stances {
        let (Some(a), Some(i)) = (
            base.actor_ids.iter().position(|id| *id == st.actor),
            base.issue_ids.iter().position(|id| *id == st.issue),
        ) else {
            continue;
        };
        let k = next_slot[i];
        next_slot[i] += 1;
        if base.issues[i].actors.get(k) != Some(&a) {
            return Err(UncertaintyError::Options(format!(
                "internal: snapshot order differs from stance order at `{}` on `{}`",
                st.actor, st.issue
            )));
        }
        let group = scenario.actors[a].group.clone();
        let issue = Some(st.issue.clone());
        let mut push = |field: Field, e: &Estimate| {
            if !e.is_point() {
                let name = if multi {
                    format!("{}.{}@{}", st.actor, field.name(), st.issue)
                } else {
                    format!("{}.{}", st.actor, field.name())
                };
                stance_inputs.push(make_input(
                    name,
                    &st.actor,
                    issue.clone(),
                    field,
                    e,
                    group.clone(),
                    vec![(i, k)],
                    shape,
                ));
            }
        };
        push(Field::Position, &st.position);
        push(Field::Salience, &st.salience);
        match &st.capability {
            Some(c) => push(Field::Capability, c),
            None => actor_slots[a].push((i, k)),
        }
    }
    let mut inputs: Vec<Input> = scenario
        .actors
        .iter()
        .zip(actor_slots)
        .filter(|(a, slots)| !a.capability.is_point() && !slots.is_empty())
        .map(|(a, slots)| {
            make_input(
                format!("{}.capability", a.id),
                &a.id,
                None,
                Field::Capability,
                &a.capability,
                a.group.clone(),
                slots,
                shape,
            )
        })
        .collect();
    inputs.extend(stance_inputs);
    Ok(inputs)
}

#[allow(clippy::too_many_arguments)]
fn make_input(
    name: String,
    actor: &str,
    issue: Option<String>,
    field: Field,
    e: &Estimate,
    group: Option<String>,
    slots: Vec<(usize, usize)>,
    shape: Shape,
) -> Input {
    Input {
        name,
        actor: actor.to_string(),
        issue,
        field,
        low: e.low,
        mode: e.mode,
        high: e.high,
        group,
        slots,
        distribution: Distribution::new(shape, e.low, e.mode, e.high),
    }
}

/// Gives each correlated input the index of its (group, field) factor, numbered in order
/// of first appearance.
fn assign_factors(inputs: &[Input], c: Option<&Correlation>) -> (Vec<Option<usize>>, usize) {
    let Some(c) = c else {
        return (vec![None; inputs.len()], 0);
    };
    let mut keys: Vec<(String, Field)> = Vec::new();
    let factor = inputs
        .iter()
        .map(|input| {
            let group = input.group.as_ref()?;
            if !c.fields.contains(&input.field) {
                return None;
            }
            let key = (group.clone(), input.field);
            Some(keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                keys.push(key);
                keys.len() - 1
            }))
        })
        .collect();
    (factor, keys.len())
}
