//! Drawn nights: every draw is K valid closed routes, each zone-slot is inspected with
//! frequency matching its coverage (Monte Carlo, 3σ), and a seed fixes the draw.

use std::collections::HashSet;

use baove_game::{Route, RouteGame, RouteSolution};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::routes::Tiny;

/// K routes from the post back to the post, one step at a time along edges, inspecting only
/// targets where the guard stands, no target inspected twice.
fn check_night(game: &RouteGame, routes: &[Route]) -> HashSet<usize> {
    let site = game.site();
    let s = game.slots() as usize;
    assert_eq!(routes.len(), game.guards() as usize);
    let mut inspected = HashSet::new();
    for r in routes {
        assert_eq!(r.zones.len(), s + 1);
        assert_eq!((r.zones[0], r.zones[s]), (site.post(), site.post()));
        for w in r.zones.windows(2) {
            assert!(w[0] == w[1] || site.neighbours(w[0]).contains(&w[1]), "{:?}", r.zones);
        }
        assert!(r.inspects.windows(2).all(|w| w[0] < w[1]));
        for &slot in &r.inspects {
            let zone = r.zones[slot as usize];
            let t = game.places().iter().position(|&p| p == (zone, slot)).expect("inspection at a target");
            assert!(inspected.insert(t), "target {t} inspected twice");
        }
    }
    inspected
}

fn frequencies(game: &RouteGame, sol: &RouteSolution, draws: u32, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hits = vec![0_u32; sol.coverage.len()];
    for _ in 0..draws {
        for t in check_night(game, &sol.plan.draw(&mut rng)) {
            hits[t] += 1;
        }
    }
    hits.iter().map(|&h| f64::from(h) / f64::from(draws)).collect()
}

#[test]
fn inspection_frequencies_match_coverage_within_three_sigma() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let tiny = Tiny::random(&mut rng, 5, 6, 3, 0.7).without_holes();
    let game = tiny.game();
    let sol = game.solve();
    let fractional = sol.coverage.iter().filter(|&&c| c > 0.0 && c < 1.0).count();
    assert!(fractional >= 5, "the instance should exercise the rounding: {:?}", sol.coverage);
    let n = 20_000;
    let freq = frequencies(&game, &sol, n, 99);
    for (t, (&f, &p)) in freq.iter().zip(&sol.coverage).enumerate() {
        let sigma = (p * (1.0 - p) / f64::from(n)).sqrt();
        assert!((f - p).abs() <= 3.0 * sigma + 1e-9, "target {t}: frequency {f} vs coverage {p} (σ {sigma})");
    }
}

#[test]
fn inspection_frequencies_match_on_a_site_with_many_guards_and_idle_ones() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let tiny = Tiny::random(&mut rng, 4, 5, 6, 0.3).without_holes();
    let game = tiny.game();
    let sol = game.solve();
    let n = 10_000;
    let freq = frequencies(&game, &sol, n, 3);
    for (&f, &p) in freq.iter().zip(&sol.coverage) {
        let sigma = (p * (1.0 - p) / f64::from(n)).sqrt();
        assert!((f - p).abs() <= 3.0 * sigma + 1e-9);
    }
}

#[test]
fn the_same_seed_draws_the_same_night_and_another_seed_another() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let tiny = Tiny::random(&mut rng, 6, 8, 3, 0.6).without_holes();
    let sol = tiny.game().solve();
    let a = sol.plan.draw(&mut ChaCha8Rng::seed_from_u64(2024));
    let b = sol.plan.draw(&mut ChaCha8Rng::seed_from_u64(2024));
    assert_eq!(a, b);
    let differs = (0..20).any(|s| sol.plan.draw(&mut ChaCha8Rng::seed_from_u64(s)) != a);
    assert!(differs);
}

#[test]
fn a_zone_slot_with_full_or_no_coverage_is_always_or_never_inspected() {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    for _ in 0..5 {
        let tiny = Tiny::random(&mut rng, 4, 6, 2, 0.5).without_holes();
        let game = tiny.game();
        let sol = game.solve();
        let freq = frequencies(&game, &sol, 300, 1);
        for (&f, &p) in freq.iter().zip(&sol.coverage) {
            if p == 0.0 || p == 1.0 {
                assert_eq!(f, p);
            }
        }
    }
}
