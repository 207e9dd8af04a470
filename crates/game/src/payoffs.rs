//! The four payoffs of one target and the expected utilities they give under a coverage
//! probability (notes §1.1), together with the ORIGAMI-class check (§1.2) that every exact
//! method in this crate relies on, and the tolerance used to decide attacker ties.

use serde::{Deserialize, Serialize};

use crate::GameError;

/// Relative tolerance for ties in the attacker's utility: a target whose uncovered reward is
/// within `TIE_EPS × scale` below the attacker level still counts as attacked-indifferent, where
/// `scale = max(1, largest |payoff|)`. It absorbs the rounding of the closed forms (a level that
/// equals an integer reward mathematically may come out 1e-14 off) and is three orders below
/// the 1e-6 agreement asked of independent LP solvers (notes §7.1).
pub const TIE_EPS: f64 = 1e-9;

/// The payoffs of one target (notes §1.1): the attacker's when the target is uncovered
/// (`attacker_reward`, Uau) or covered (`attacker_penalty`, Uac), and the defender's when it is
/// covered (`defender_reward`, Udc) or uncovered (`defender_penalty`, Udu).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Payoffs {
    pub attacker_reward: f64,
    pub attacker_penalty: f64,
    pub defender_reward: f64,
    pub defender_penalty: f64,
}

impl Payoffs {
    /// Accepts payoffs that are finite and ORIGAMI-class: coverage helps the defender
    /// (`defender_reward > defender_penalty`) and hurts the attacker
    /// (`attacker_reward > attacker_penalty`), strictly (notes §1.2).
    ///
    /// # Errors
    /// [`GameError::NonFinitePayoff`] or [`GameError::NotOrigamiClass`], naming `target`.
    pub fn check(&self, target: &str) -> Result<(), GameError> {
        for (field, value) in [
            ("attacker_reward", self.attacker_reward),
            ("attacker_penalty", self.attacker_penalty),
            ("defender_reward", self.defender_reward),
            ("defender_penalty", self.defender_penalty),
        ] {
            if !value.is_finite() {
                return Err(GameError::NonFinitePayoff { target: target.to_owned(), field, value });
            }
        }
        if self.defender_reward > self.defender_penalty && self.attacker_reward > self.attacker_penalty {
            Ok(())
        } else {
            Err(GameError::NotOrigamiClass {
                target: target.to_owned(),
                attacker_reward: self.attacker_reward,
                attacker_penalty: self.attacker_penalty,
                defender_reward: self.defender_reward,
                defender_penalty: self.defender_penalty,
            })
        }
    }

    /// `Ua(t, c) = c·Uac + (1 − c)·Uau`.
    #[must_use]
    pub fn attacker(&self, coverage: f64) -> f64 {
        self.attacker_reward - coverage * (self.attacker_reward - self.attacker_penalty)
    }

    /// `Ud(t, c) = c·Udc + (1 − c)·Udu`.
    #[must_use]
    pub fn defender(&self, coverage: f64) -> f64 {
        self.defender_penalty + coverage * (self.defender_reward - self.defender_penalty)
    }

    /// The least coverage that holds the attacker's utility here to `level`:
    /// `max(0, (Uau − level)/(Uau − Uac))` (notes §2.4, observation 3). Above 1 when the level is
    /// below the attacker penalty, which no coverage can reach.
    #[must_use]
    pub fn coverage_for_level(&self, level: f64) -> f64 {
        if self.attacker_reward <= level {
            0.0
        } else {
            (self.attacker_reward - level) / (self.attacker_reward - self.attacker_penalty)
        }
    }

    /// The largest |payoff|, for scaling tolerances.
    #[must_use]
    pub fn magnitude(&self) -> f64 {
        self.attacker_reward
            .abs()
            .max(self.attacker_penalty.abs())
            .max(self.defender_reward.abs())
            .max(self.defender_penalty.abs())
    }
}

/// The closed form shared by both models once the minimax level `x*` is known (notes §7.3 and
/// the review note that opens them): coverage `c_t = min(1, coverage_for_level(x*))`, the attack set is
/// `{t : Uau(t) ≥ x*}` (within [`TIE_EPS`]), and the attacker, breaking ties for the defender,
/// hits the target of the set with the best `Ud(t, c_t)`. Returns the coverage, the attacked
/// target and the defender's value. `forced_zero` marks targets no guard can reach.
pub(crate) fn closed_form(targets: &[Payoffs], level: f64, forced_zero: &[bool]) -> (Vec<f64>, usize, f64) {
    let scale = targets.iter().fold(1.0_f64, |s, p| s.max(p.magnitude()));
    let tie = TIE_EPS * scale;
    let coverage: Vec<f64> = targets
        .iter()
        .zip(forced_zero.iter().chain(std::iter::repeat(&false)))
        .map(|(p, &zero)| if zero { 0.0 } else { p.coverage_for_level(level).min(1.0) })
        .collect();
    let mut attacked = 0;
    let mut value = f64::NEG_INFINITY;
    for (t, (p, &c)) in targets.iter().zip(&coverage).enumerate() {
        if p.attacker_reward >= level - tie {
            let d = p.defender(c);
            if d > value {
                value = d;
                attacked = t;
            }
        }
    }
    (coverage, attacked, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payoffs(uau: f64, uac: f64, udc: f64, udu: f64) -> Payoffs {
        Payoffs { attacker_reward: uau, attacker_penalty: uac, defender_reward: udc, defender_penalty: udu }
    }

    #[test]
    fn the_papers_example_target_is_origami_class() {
        assert_eq!(payoffs(30.0, -10.0, 5.0, -20.0).check("t"), Ok(()));
    }

    #[test]
    fn coverage_that_helps_the_attacker_is_rejected_with_the_payoffs() {
        let err = payoffs(-10.0, 30.0, 5.0, -20.0).check("gate").unwrap_err();
        assert_eq!(
            err,
            GameError::NotOrigamiClass {
                target: "gate".into(),
                attacker_reward: -10.0,
                attacker_penalty: 30.0,
                defender_reward: 5.0,
                defender_penalty: -20.0
            }
        );
    }

    #[test]
    fn equal_defender_payoffs_are_not_origami_class() {
        assert!(matches!(payoffs(3.0, 1.0, 0.0, 0.0).check("t"), Err(GameError::NotOrigamiClass { .. })));
    }

    #[test]
    fn a_nan_payoff_is_rejected_by_field() {
        let err = payoffs(3.0, 1.0, f64::NAN, 0.0).check("t").unwrap_err();
        assert!(matches!(err, GameError::NonFinitePayoff { field: "defender_reward", .. }));
        let err = payoffs(f64::INFINITY, 1.0, 1.0, 0.0).check("t").unwrap_err();
        assert!(matches!(err, GameError::NonFinitePayoff { field: "attacker_reward", .. }));
    }

    #[test]
    fn utilities_interpolate_between_uncovered_and_covered() {
        let p = payoffs(30.0, -10.0, 5.0, -20.0);
        assert_eq!(p.attacker(0.0), 30.0);
        assert_eq!(p.attacker(1.0), -10.0);
        assert_eq!(p.attacker(0.25), 20.0);
        assert_eq!(p.defender(0.0), -20.0);
        assert_eq!(p.defender(1.0), 5.0);
        assert_eq!(p.coverage_for_level(20.0), 0.25);
        assert_eq!(p.coverage_for_level(40.0), 0.0);
    }
}
