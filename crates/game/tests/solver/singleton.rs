//! Water-filling ORIGAMI against the multiple-LPs SSE of notes §7.1 and the minimax LP of §7.3,
//! both solved by the test simplex, on random small games with integer (tie-prone) and
//! continuous payoffs; and the SSE conditions checked directly.

use baove_game::{Payoffs, SingletonGame, SingletonTarget};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::lp::{Cmp, Row, maximize};

pub fn random_payoffs(rng: &mut ChaCha8Rng, integer: bool) -> Payoffs {
    // The paper's generator (notes §2.6): Udc, Uau ~ U[0,100], Udu, Uac ~ U[−100,0]; integers
    // are kept off zero so coverage strictly matters, and small so ties are common.
    let mut draw = |lo: f64, hi: f64| {
        if integer { f64::from(rng.random_range(lo as i32..=hi as i32)) } else { rng.random_range(lo..hi) }
    };
    let (uau, uac, udc, udu) = if integer {
        (draw(1.0, 6.0), draw(-6.0, 0.0), draw(1.0, 6.0), draw(-6.0, 0.0))
    } else {
        (draw(0.0, 100.0), draw(-100.0, 0.0), draw(0.0, 100.0), draw(-100.0, 0.0))
    };
    Payoffs { attacker_reward: uau, attacker_penalty: uac, defender_reward: udc, defender_penalty: udu }
}

fn game(payoffs: &[Payoffs], guards: u64) -> SingletonGame {
    let targets =
        payoffs.iter().enumerate().map(|(i, &p)| SingletonTarget { id: format!("t{i}"), payoffs: p }).collect();
    SingletonGame::new(targets, guards).unwrap()
}

/// The SSE defender value by §7.1: for each t*, maximise Ud(t*, c) subject to t* being a best
/// response, Σc ≤ m, 0 ≤ c ≤ 1; the best feasible LP wins.
fn multiple_lps(payoffs: &[Payoffs], guards: u64) -> f64 {
    let n = payoffs.len();
    let mut best = f64::NEG_INFINITY;
    for star in 0..n {
        let ps = payoffs[star];
        let mut objective = vec![0.0; n];
        objective[star] = ps.defender_reward - ps.defender_penalty;
        let mut rows = vec![Row::new(vec![1.0; n], Cmp::Le, guards as f64)];
        for t in 0..n {
            let mut unit = vec![0.0; n];
            unit[t] = 1.0;
            rows.push(Row::new(unit, Cmp::Le, 1.0));
            if t != star {
                let p = payoffs[t];
                let mut row = vec![0.0; n];
                row[t] = p.attacker_penalty - p.attacker_reward;
                row[star] -= ps.attacker_penalty - ps.attacker_reward;
                rows.push(Row::new(row, Cmp::Le, ps.attacker_reward - p.attacker_reward));
            }
        }
        if let Some(v) = maximize(&objective, &rows).value() {
            best = best.max(v + ps.defender_penalty);
        }
    }
    best
}

/// The minimax level by §7.3 step 1: min k s.t. k ≥ Ua(t, c), Σc ≤ m, 0 ≤ c ≤ 1, with k shifted
/// to stay non-negative.
fn minimax(payoffs: &[Payoffs], guards: u64) -> f64 {
    let n = payoffs.len();
    let shift = payoffs.iter().map(|p| p.attacker_penalty).fold(f64::INFINITY, f64::min) - 1.0;
    // Variables c_0..c_{n−1}, k'.
    let mut objective = vec![0.0; n + 1];
    objective[n] = -1.0;
    let mut budget = vec![1.0; n + 1];
    budget[n] = 0.0;
    let mut rows = vec![Row::new(budget, Cmp::Le, guards as f64)];
    for (t, p) in payoffs.iter().enumerate() {
        let mut unit = vec![0.0; n + 1];
        unit[t] = 1.0;
        rows.push(Row::new(unit, Cmp::Le, 1.0));
        let mut row = vec![0.0; n + 1];
        row[t] = p.attacker_reward - p.attacker_penalty;
        row[n] = 1.0;
        rows.push(Row::new(row, Cmp::Ge, p.attacker_reward - shift));
    }
    -maximize(&objective, &rows).value().unwrap() + shift
}

#[test]
fn water_filling_matches_the_multiple_lps_sse_on_random_small_games() {
    let mut rng = ChaCha8Rng::seed_from_u64(2009);
    for case in 0..300 {
        let n = rng.random_range(1..=6);
        let guards = rng.random_range(1..=n as u64);
        let integer = case % 2 == 0;
        let payoffs: Vec<Payoffs> = (0..n).map(|_| random_payoffs(&mut rng, integer)).collect();
        let eq = game(&payoffs, guards).solve();
        let expected = multiple_lps(&payoffs, guards);
        assert!(
            (eq.defender_value - expected).abs() < 1e-7,
            "case {case}: defender {} vs LPs {expected} ({payoffs:?}, m = {guards})",
            eq.defender_value
        );
        let level = minimax(&payoffs, guards);
        assert!((eq.attacker_value - level).abs() < 1e-7, "case {case}: level {} vs LP {level}", eq.attacker_value);
    }
}

#[test]
fn the_returned_coverage_satisfies_the_sse_conditions() {
    let mut rng = ChaCha8Rng::seed_from_u64(44);
    for case in 0..500 {
        let n = rng.random_range(1..=40);
        let guards = rng.random_range(1..=n as u64 + 2);
        let payoffs: Vec<Payoffs> = (0..n).map(|_| random_payoffs(&mut rng, case % 3 == 0)).collect();
        let eq = game(&payoffs, guards).solve();
        let x = eq.attacker_value;
        let total: f64 = eq.coverage.iter().sum();
        assert!(total <= guards as f64 + 1e-9, "case {case}: coverage sums to {total} > {guards}");
        for (p, &c) in payoffs.iter().zip(&eq.coverage) {
            assert!((0.0..=1.0).contains(&c));
            let ua = p.attacker(c);
            if p.attacker_reward >= x {
                // The attack set: everyone in it gives the attacker exactly x*.
                assert!((ua - x).abs() < 1e-9, "case {case}: Ua {ua} vs x* {x}");
            } else {
                // Outside it: uncovered and strictly worse for the attacker.
                assert_eq!(c, 0.0);
                assert!(ua < x);
            }
        }
        let attacked = payoffs[eq.attacked];
        assert!(attacked.attacker_reward >= x - 1e-9);
        assert!((attacked.defender(eq.coverage[eq.attacked]) - eq.defender_value).abs() < 1e-12);
        // No lower level is reachable: either the guards are used up or a target is fully covered
        // at its penalty.
        let saturated =
            payoffs.iter().zip(&eq.coverage).any(|(p, &c)| c >= 1.0 - 1e-12 && p.attacker_penalty >= x - 1e-9);
        assert!(total >= guards as f64 - 1e-9 || saturated, "case {case}: x* is not minimal");
    }
}

#[test]
fn the_defender_value_beats_every_coverage_on_a_fine_grid() {
    // n = 3, m = 1: every grid coverage with Σc ≤ 1, its attack set and the attacker's
    // defender-favouring tie-break; the SSE value is at least the grid's best.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for _ in 0..20 {
        let payoffs: Vec<Payoffs> = (0..3).map(|_| random_payoffs(&mut rng, false)).collect();
        let eq = game(&payoffs, 1).solve();
        let steps = 100;
        let mut best = f64::NEG_INFINITY;
        for a in 0..=steps {
            for b in 0..=steps - a {
                for c in 0..=steps - a - b {
                    let cov = [a, b, c].map(|v| f64::from(v) / f64::from(steps));
                    let top = (0..3).map(|t| payoffs[t].attacker(cov[t])).fold(f64::NEG_INFINITY, f64::max);
                    let value = (0..3)
                        .filter(|&t| payoffs[t].attacker(cov[t]) >= top - 1e-12)
                        .map(|t| payoffs[t].defender(cov[t]))
                        .fold(f64::NEG_INFINITY, f64::max);
                    best = best.max(value);
                }
            }
        }
        assert!(eq.defender_value >= best - 1e-9, "{} < grid {best}", eq.defender_value);
    }
}

#[test]
fn one_hundred_thousand_targets_solve_with_coverage_summing_to_the_guards() {
    let mut rng = ChaCha8Rng::seed_from_u64(100_000);
    let payoffs: Vec<Payoffs> = (0..100_000).map(|_| random_payoffs(&mut rng, false)).collect();
    let eq = game(&payoffs, 10_000).solve();
    let total: f64 = eq.coverage.iter().sum();
    assert!((total - 10_000.0).abs() < 1e-6, "{total}");
}
