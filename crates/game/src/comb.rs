//! Comb (systematic) sampling (notes §3.1): one concrete assignment of m identical guards whose
//! marginals are exactly a coverage vector. Targets are laid end to end on `[0, Σc)`, target t
//! owning `[E_{t−1}, E_t)`; the comb's teeth sit at `u, u+1, …, u+m−1`. Each interval is at
//! most 1 long and the teeth are exactly 1 apart, so no target gets two guards and
//! `P(t chosen) = c_t` for u uniform on [0, 1). Teeth past `Σc` are idle guards.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::GameError;

/// How far `Σc` may exceed the number of guards through rounding (relative to `max(1, m)`).
pub const SUM_SLACK: f64 = 1e-9;

/// The targets covered by the comb with offset `u`, in increasing index order.
///
/// # Errors
/// [`GameError::InvalidCoverage`] for a value outside [0, 1], [`GameError::CoverageExceedsGuards`]
/// when `Σc > guards`, [`GameError::InvalidUniform`] when `u ∉ [0, 1)`.
pub fn comb_sample(coverage: &[f64], guards: u64, u: f64) -> Result<Vec<usize>, GameError> {
    check(coverage, guards)?;
    if !(0.0..1.0).contains(&u) {
        return Err(GameError::InvalidUniform { u });
    }
    Ok(teeth(coverage.iter().copied().enumerate(), guards, u))
}

/// One random assignment with marginals exactly `coverage`: the targets are laid out in a fresh
/// random order (so neighbours on the line are not always the same negatively correlated pairs,
/// notes §3.1 "Randomize the order") and the comb's offset is drawn uniformly. Returns the
/// covered target indices, sorted.
///
/// # Errors
/// As [`comb_sample`], except the offset, which is drawn here.
pub fn draw_assignment<R: Rng + ?Sized>(coverage: &[f64], guards: u64, rng: &mut R) -> Result<Vec<usize>, GameError> {
    check(coverage, guards)?;
    let mut order: Vec<usize> = (0..coverage.len()).collect();
    order.shuffle(rng);
    let u: f64 = rng.random();
    let mut chosen = teeth(order.iter().map(|&t| (t, coverage[t])), guards, u);
    chosen.sort_unstable();
    Ok(chosen)
}

fn check(coverage: &[f64], guards: u64) -> Result<(), GameError> {
    let mut total = 0.0;
    for (index, &value) in coverage.iter().enumerate() {
        if !(0.0..=1.0).contains(&value) {
            return Err(GameError::InvalidCoverage { index, value });
        }
        total += value;
    }
    let m = guards as f64;
    if total > m + SUM_SLACK * m.max(1.0) {
        return Err(GameError::CoverageExceedsGuards { total, guards });
    }
    Ok(())
}

/// Walks the line once: a target is chosen when the next tooth falls before its interval's end.
/// The interval is half-open and at most 1 long, so one tooth at most lands in it; the inner loop
/// only guards against rounding putting a second tooth on a boundary.
fn teeth(line: impl Iterator<Item = (usize, f64)>, guards: u64, u: f64) -> Vec<usize> {
    let mut chosen = Vec::new();
    let mut end = 0.0;
    let mut tooth = 0_u64;
    for (t, c) in line {
        if tooth == guards {
            break;
        }
        end += c;
        if u + (tooth as f64) < end {
            chosen.push(t);
            while tooth < guards && u + (tooth as f64) < end {
                tooth += 1;
            }
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Exact marginals: the chosen set is constant in u between the fractional parts of the
    /// prefix sums, so averaging over those pieces weighted by length integrates over u exactly.
    fn exact_marginals(coverage: &[f64], guards: u64) -> Vec<f64> {
        let mut cuts = vec![0.0, 1.0];
        let mut end = 0.0;
        for c in coverage {
            end += c;
            cuts.push(end - f64::floor(end));
        }
        cuts.sort_by(f64::total_cmp);
        let mut marginal = vec![0.0; coverage.len()];
        for piece in cuts.windows(2) {
            let width = piece[1] - piece[0];
            if width <= 0.0 {
                continue;
            }
            for t in comb_sample(coverage, guards, (piece[0] + piece[1]) / 2.0).unwrap() {
                marginal[t] += width;
            }
        }
        marginal
    }

    #[test]
    fn comb_marginals_equal_the_coverage_exactly() {
        let coverage = [0.3, 0.9, 0.45, 0.05, 1.0, 0.2, 0.6, 0.5];
        let marginal = exact_marginals(&coverage, 4);
        for (m, c) in marginal.iter().zip(coverage) {
            assert!((m - c).abs() < 1e-12, "{m} vs {c}");
        }
    }

    #[test]
    fn comb_marginals_are_exact_with_idle_guards() {
        let coverage = [0.25, 0.5, 0.125];
        let marginal = exact_marginals(&coverage, 3);
        for (m, c) in marginal.iter().zip(coverage) {
            assert!((m - c).abs() < 1e-12);
        }
    }

    #[test]
    fn no_target_gets_two_guards_and_no_more_than_m_are_used() {
        let coverage = [1.0, 1.0, 0.5, 0.5, 1.0];
        for i in 0..1000 {
            let chosen = comb_sample(&coverage, 4, f64::from(i) / 1000.0).unwrap();
            assert!(chosen.len() <= 4);
            assert!(chosen.windows(2).all(|w| w[0] < w[1]));
            assert!(chosen.contains(&0) && chosen.contains(&1) && chosen.contains(&4));
        }
    }

    #[test]
    fn shuffled_draws_keep_the_marginals() {
        let coverage = [0.7, 0.1, 0.4, 0.8, 0.0, 1.0];
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 40_000;
        let mut hits = [0_u32; 6];
        for _ in 0..n {
            for t in draw_assignment(&coverage, 3, &mut rng).unwrap() {
                hits[t] += 1;
            }
        }
        for (h, c) in hits.iter().zip(coverage) {
            let p = f64::from(*h) / f64::from(n);
            let sigma = (c * (1.0 - c) / f64::from(n)).sqrt();
            assert!((p - c).abs() <= 3.0 * sigma + 1e-12, "{p} vs {c}");
        }
    }

    #[test]
    fn coverage_outside_zero_one_is_rejected_by_index() {
        assert_eq!(comb_sample(&[0.5, 1.5], 2, 0.0), Err(GameError::InvalidCoverage { index: 1, value: 1.5 }));
        assert!(matches!(comb_sample(&[f64::NAN], 2, 0.0), Err(GameError::InvalidCoverage { index: 0, .. })));
    }

    #[test]
    fn coverage_beyond_the_guards_is_rejected() {
        assert_eq!(comb_sample(&[0.75, 0.75], 1, 0.0), Err(GameError::CoverageExceedsGuards { total: 1.5, guards: 1 }));
    }

    #[test]
    fn an_offset_outside_the_unit_interval_is_rejected() {
        assert_eq!(comb_sample(&[0.5], 1, 1.0), Err(GameError::InvalidUniform { u: 1.0 }));
        assert!(comb_sample(&[0.5], 1, -0.1).is_err());
    }
}
