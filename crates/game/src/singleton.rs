//! The singleton model (notes §1.1): n targets, m identical guards each assigned to one target,
//! a defender strategy is a coverage vector `c ∈ [0,1]^n` with `Σc ≤ m` (Theorem 1 lets idle
//! guards stay home). For ORIGAMI-class payoffs the strong Stackelberg equilibrium is found by
//! the O(n log n) "water-filling" form of ORIGAMI (notes §2.4): the attacker's equilibrium level
//! x* is the smallest level the guards can hold every target to, and the coverage and the
//! defender's value follow from x* in closed form.

use std::collections::HashSet;

use crate::payoffs::closed_form;
use crate::{GameError, Payoffs};

/// Largest number of targets accepted (coverage vectors stay comfortably in memory).
pub const MAX_TARGETS: usize = 50_000_000;

/// One target of the singleton model.
#[derive(Debug, Clone, PartialEq)]
pub struct SingletonTarget {
    pub id: String,
    pub payoffs: Payoffs,
}

/// A checked singleton game: non-empty unique target ids, ORIGAMI-class finite payoffs, at
/// least one guard.
#[derive(Debug, Clone, PartialEq)]
pub struct SingletonGame {
    ids: Vec<String>,
    payoffs: Vec<Payoffs>,
    guards: u64,
}

/// A strong Stackelberg equilibrium of a singleton game.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    /// The attacker's equilibrium utility x*.
    pub attacker_value: f64,
    /// The defender's equilibrium utility: `Ud` of the attacked target.
    pub defender_value: f64,
    /// Coverage per target, in input order; sums to at most the number of guards.
    pub coverage: Vec<f64>,
    /// The target the attacker hits (the defender-best one among those giving him x*).
    pub attacked: usize,
}

impl SingletonGame {
    /// Checks and builds a game of `guards` identical guards over `targets`.
    ///
    /// # Errors
    /// [`GameError::NoGuards`], [`GameError::NoTargets`], [`GameError::TooLarge`],
    /// [`GameError::EmptyId`], [`GameError::DuplicateTarget`], and the payoff errors of
    /// [`Payoffs::check`].
    pub fn new(targets: Vec<SingletonTarget>, guards: u64) -> Result<Self, GameError> {
        if guards == 0 {
            return Err(GameError::NoGuards);
        }
        if targets.is_empty() {
            return Err(GameError::NoTargets);
        }
        if targets.len() > MAX_TARGETS {
            return Err(GameError::TooLarge {
                what: "the number of targets",
                value: targets.len() as u64,
                limit: MAX_TARGETS as u64,
            });
        }
        let mut seen = HashSet::with_capacity(targets.len());
        let mut ids = Vec::with_capacity(targets.len());
        let mut payoffs = Vec::with_capacity(targets.len());
        for target in targets {
            if target.id.is_empty() {
                return Err(GameError::EmptyId { place: "target" });
            }
            target.payoffs.check(&target.id)?;
            if !seen.insert(target.id.clone()) {
                return Err(GameError::DuplicateTarget { target: target.id });
            }
            ids.push(target.id);
            payoffs.push(target.payoffs);
        }
        Ok(Self { ids, payoffs, guards })
    }

    #[must_use]
    pub fn guards(&self) -> u64 {
        self.guards
    }

    #[must_use]
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    #[must_use]
    pub fn payoffs(&self) -> &[Payoffs] {
        &self.payoffs
    }

    /// The strong Stackelberg equilibrium, in O(n log n).
    #[must_use]
    pub fn solve(&self) -> Equilibrium {
        let level = water_level(&self.payoffs, self.guards as f64);
        let (coverage, attacked, defender_value) = closed_form(&self.payoffs, level, &[]);
        Equilibrium { attacker_value: level, defender_value, coverage, attacked }
    }
}

/// The attacker level x* of water-filling (notes §2.4).
///
/// Level x is feasible iff `need(x) = Σ_{Uau(t) > x} (Uau(t) − x)/(Uau(t) − Uac(t)) ≤ m` and no
/// target would need coverage above 1, i.e. `x ≥ max_t Uac(t)` (a target with `Uac(t) > x` has
/// `Uau(t) > x` too, so the second condition is just this floor). Both conditions are monotone,
/// so x* = max(floor, the root of need(x) = m). With Uau sorted descending, need is linear on
/// each segment `[Uau(k+1), Uau(k)]`: `need(x) = S2_k − x·S1_k` with prefix sums of
/// `w = 1/(Uau − Uac)` and `Uau·w`; scanning segments downward finds the root. Sums are
/// compensated (Neumaier) so 10^6 targets lose no digits.
pub(crate) fn water_level(payoffs: &[Payoffs], guards: f64) -> f64 {
    let floor = payoffs.iter().map(|p| p.attacker_penalty).fold(f64::NEG_INFINITY, f64::max);
    let mut order: Vec<(f64, f64)> =
        payoffs.iter().map(|p| (p.attacker_reward, 1.0 / (p.attacker_reward - p.attacker_penalty))).collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut s1 = Compensated::default();
    let mut s2 = Compensated::default();
    for (k, &(top, w)) in order.iter().enumerate() {
        s1.add(w);
        s2.add(top * w);
        let (s1v, s2v) = (s1.value(), s2.value());
        let bottom = order.get(k + 1).map_or(f64::NEG_INFINITY, |n| n.0);
        let root = (s2v - guards) / s1v;
        if bottom <= floor {
            // The floor lies on this segment: the level is the floor unless need(floor) > m.
            return root.min(top).max(floor);
        }
        if s2v - bottom * s1v > guards {
            return root.min(top).max(bottom);
        }
    }
    // Unreachable: the last segment extends to −∞, below the floor.
    floor
}

/// Neumaier's compensated sum.
#[derive(Debug, Default, Clone, Copy)]
struct Compensated {
    sum: f64,
    carry: f64,
}

impl Compensated {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.carry += (self.sum - t) + x;
        } else {
            self.carry += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn value(self) -> f64 {
        self.sum + self.carry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str, uau: f64, uac: f64, udc: f64, udu: f64) -> SingletonTarget {
        SingletonTarget {
            id: id.into(),
            payoffs: Payoffs {
                attacker_reward: uau,
                attacker_penalty: uac,
                defender_reward: udc,
                defender_penalty: udu,
            },
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn two_targets_one_guard_share_the_guard_to_equalise_the_attacker() {
        // need(x) = (10 − x)/10 + (5 − x)/5 = 1 at x = 10/3; c = (2/3, 1/3).
        let game =
            SingletonGame::new(vec![target("a", 10.0, 0.0, 1.0, -10.0), target("b", 5.0, 0.0, 1.0, -5.0)], 1).unwrap();
        let eq = game.solve();
        assert!(close(eq.attacker_value, 10.0 / 3.0));
        assert!(close(eq.coverage[0], 2.0 / 3.0) && close(eq.coverage[1], 1.0 / 3.0));
        // Ud(a) = −10 + 11·2/3 = −8/3 beats Ud(b) = −5 + 6/3 = −3.
        assert!(close(eq.defender_value, -8.0 / 3.0));
        assert_eq!(eq.attacked, 0);
    }

    #[test]
    fn a_fully_covered_target_sets_the_floor_at_its_penalty() {
        // need(8) = 1 + 1/9 ≤ 2, and no level below Uac(a) = 8 is reachable.
        let game =
            SingletonGame::new(vec![target("a", 10.0, 8.0, 1.0, 0.0), target("b", 9.0, 0.0, 2.0, -1.0)], 2).unwrap();
        let eq = game.solve();
        assert!(close(eq.attacker_value, 8.0));
        assert!(close(eq.coverage[0], 1.0) && close(eq.coverage[1], 1.0 / 9.0));
        assert!(close(eq.defender_value, 1.0));
        assert_eq!(eq.attacked, 0);
    }

    #[test]
    fn the_attacker_breaks_a_tie_in_the_defenders_favour() {
        // One guard covers 1/2 of each of two identical-attacker targets: both give x* = 5.
        let game = SingletonGame::new(
            vec![
                target("bad", 10.0, 0.0, 1.0, -100.0),
                target("good", 10.0, 0.0, 50.0, 0.0),
                target("low", 2.0, 0.0, 1.0, 0.0),
            ],
            1,
        )
        .unwrap();
        let eq = game.solve();
        assert!(close(eq.attacker_value, 5.0));
        assert_eq!(eq.attacked, 1);
        assert!(close(eq.defender_value, 25.0));
        assert_eq!(eq.coverage[2], 0.0);
    }

    #[test]
    fn a_target_whose_reward_equals_the_level_is_in_the_attack_set() {
        // need(x) = 2·(10 − x)/30 = 1 at x = −5, which is exactly c's reward (thirds round in f64).
        // c is uncovered there and gives the defender 5, better than 0 at a or b.
        let game = SingletonGame::new(
            vec![
                target("a", 10.0, -20.0, 1.0, -1.0),
                target("b", 10.0, -20.0, 1.0, -1.0),
                target("c", -5.0, -6.0, 9.0, 5.0),
            ],
            1,
        )
        .unwrap();
        let eq = game.solve();
        assert!((eq.attacker_value + 5.0).abs() < 1e-12);
        assert_eq!(eq.attacked, 2);
        assert!(close(eq.defender_value, 5.0));
        assert!(close(eq.coverage[0], 0.5) && close(eq.coverage[1], 0.5));
    }

    #[test]
    fn more_guards_than_targets_hold_the_attacker_to_the_highest_penalty() {
        let game =
            SingletonGame::new(vec![target("a", 10.0, -5.0, 1.0, 0.0), target("b", 9.0, 3.0, 2.0, -1.0)], 5).unwrap();
        let eq = game.solve();
        assert!(close(eq.attacker_value, 3.0));
        assert!(close(eq.coverage[1], 1.0));
        assert!(close(eq.coverage[0], 7.0 / 15.0));
    }

    #[test]
    fn a_single_target_with_one_guard_is_fully_covered() {
        let eq = SingletonGame::new(vec![target("a", 10.0, -5.0, 1.0, 0.0)], 1).unwrap().solve();
        assert!(close(eq.attacker_value, -5.0));
        assert!(close(eq.coverage[0], 1.0));
        assert!(close(eq.defender_value, 1.0));
    }

    #[test]
    fn no_guards_no_targets_and_duplicate_ids_are_rejected() {
        assert_eq!(SingletonGame::new(vec![target("a", 1.0, 0.0, 1.0, 0.0)], 0), Err(GameError::NoGuards));
        assert_eq!(SingletonGame::new(vec![], 1), Err(GameError::NoTargets));
        assert_eq!(
            SingletonGame::new(vec![target("a", 1.0, 0.0, 1.0, 0.0), target("a", 2.0, 0.0, 1.0, 0.0)], 1),
            Err(GameError::DuplicateTarget { target: "a".into() })
        );
        assert_eq!(
            SingletonGame::new(vec![target("", 1.0, 0.0, 1.0, 0.0)], 1),
            Err(GameError::EmptyId { place: "target" })
        );
    }

    #[test]
    fn a_target_that_is_not_origami_class_is_named() {
        let err = SingletonGame::new(vec![target("a", 1.0, 0.0, 1.0, 0.0), target("vault", 1.0, 2.0, 1.0, 0.0)], 1)
            .unwrap_err();
        assert!(matches!(err, GameError::NotOrigamiClass { ref target, .. } if target == "vault"));
    }
}
