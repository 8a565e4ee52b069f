//! Small numeric helpers shared by models and analysis.

/// Weighted mean `Σ wᵢxᵢ / Σ wᵢ`; `None` when the weights sum to zero.
pub fn weighted_mean(x: &[f64], w: &[f64]) -> Option<f64> {
    let total: f64 = w.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    Some(x.iter().zip(w).map(|(x, w)| x * w).sum::<f64>() / total)
}

/// Weighted median: actors sorted by position, the first position at which the cumulative
/// weight reaches half of the total.
///
/// Tie rule: when the cumulative weight equals exactly half of the total at some position
/// (up to 1e-12 of the total), the median is the midpoint between that position and the
/// next larger one, as the ordinary median of an even count is. Zero-weight actors are
/// ignored. `None` when the weights sum to zero.
pub fn weighted_median(x: &[f64], w: &[f64]) -> Option<f64> {
    let mut pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(w)
        .filter(|(_, w)| **w > 0.0)
        .map(|(x, w)| (*x, *w))
        .collect();
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.is_empty() || total <= 0.0 || !total.is_finite() {
        return None;
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = total / 2.0;
    let eps = 1e-12 * total;
    let mut cum = 0.0;
    for (k, (x, w)) in pairs.iter().enumerate() {
        cum += w;
        if (cum - half).abs() <= eps {
            let next = pairs[k + 1..].first().map(|p| p.0).unwrap_or(*x);
            return Some((x + next) / 2.0);
        }
        if cum > half {
            return Some(*x);
        }
    }
    pairs.last().map(|p| p.0)
}

/// Plain (unweighted) median; `None` for an empty slice.
pub fn median(x: &[f64]) -> Option<f64> {
    let ones = vec![1.0; x.len()];
    weighted_median(x, &ones)
}

/// Plain mean; `None` for an empty slice.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        None
    } else {
        Some(x.iter().sum::<f64>() / x.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_median_picks_the_half_weight_position() {
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[1.0, 1.0, 3.0]),
            Some(3.0)
        );
        assert_eq!(
            weighted_median(&[3.0, 1.0, 2.0], &[1.0, 3.0, 1.0]),
            Some(1.0)
        );
    }

    #[test]
    fn weighted_median_exact_half_takes_midpoint() {
        assert_eq!(weighted_median(&[1.0, 5.0], &[2.0, 2.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn zero_weights_give_none_not_nan() {
        assert_eq!(weighted_median(&[1.0, 2.0], &[0.0, 0.0]), None);
        assert_eq!(weighted_mean(&[1.0, 2.0], &[0.0, 0.0]), None);
    }

    #[test]
    fn weighted_mean_is_inside_hull() {
        let m = weighted_mean(&[2.0, 8.0], &[1.0, 3.0]).unwrap();
        assert!((m - 6.5).abs() < 1e-12);
    }
}
