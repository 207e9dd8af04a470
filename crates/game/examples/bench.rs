//! Timing figures for the performance goals of the patrol-game issue, on seeded random
//! instances: `cargo run --release -p baove-game --example bench`. Prints the best of several
//! runs for each solve and the mean time of one plan draw.
//!
//! Instances follow the notes' generators: payoffs as in Kiekintveld et al. 2009 (notes §2.6:
//! Udc, Uau ~ U[0,100], Udu, Uac ~ U[−100,0], continuous here), sites as random k-nearest-
//! neighbour graphs in the unit square with the post at zone 0 and a target at every reachable
//! zone-slot (notes §4.3).

use std::time::Instant;

use baove_game::{Payoffs, RouteGame, RouteTarget, SingletonGame, SingletonTarget, Site};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn payoffs(rng: &mut ChaCha8Rng) -> Payoffs {
    Payoffs {
        attacker_reward: rng.random_range(0.0..100.0),
        attacker_penalty: rng.random_range(-100.0..0.0),
        defender_reward: rng.random_range(0.0..100.0),
        defender_penalty: rng.random_range(-100.0..0.0),
    }
}

/// A connected k-nearest-neighbour site of `zones` zones.
fn site(rng: &mut ChaCha8Rng, zones: usize, k: usize) -> Site {
    let points: Vec<(f64, f64)> = (0..zones).map(|_| (rng.random::<f64>(), rng.random::<f64>())).collect();
    let dist = |a: usize, b: usize| (points[a].0 - points[b].0).hypot(points[a].1 - points[b].1);
    let mut edges = std::collections::BTreeSet::new();
    for a in 0..zones {
        let mut others: Vec<usize> = (0..zones).filter(|&b| b != a).collect();
        others.sort_by(|&x, &y| dist(a, x).total_cmp(&dist(a, y)));
        for &b in others.iter().take(k) {
            edges.insert((a.min(b), a.max(b)));
        }
    }
    // Join components: link each zone not yet reached from zone 0 to its nearest reached zone.
    let mut reached = vec![false; zones];
    reached[0] = true;
    loop {
        let mut changed = true;
        while changed {
            changed = false;
            for &(a, b) in &edges {
                if reached[a] != reached[b] {
                    reached[a] = true;
                    reached[b] = true;
                    changed = true;
                }
            }
        }
        let Some(out) = (0..zones).find(|&z| !reached[z]) else { break };
        let near = (0..zones).filter(|&z| reached[z]).min_by(|&x, &y| dist(out, x).total_cmp(&dist(out, y)));
        if let Some(near) = near {
            edges.insert((near.min(out), near.max(out)));
        }
    }
    let name = |z: usize| format!("z{z}");
    let Ok(site) =
        Site::new((0..zones).map(name).collect(), edges.iter().map(|&(a, b)| (name(a), name(b))).collect(), "z0")
    else {
        unreachable!("the generator builds a connected site")
    };
    site
}

fn route_game(seed: u64, zones: usize, slots: u32, guards: u32) -> RouteGame {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let site = site(&mut rng, zones, 3);
    let mut targets = Vec::new();
    for slot in 0..=slots {
        for zone in 0..zones {
            if site.reachable(zone, slot, slots) {
                targets.push(RouteTarget { zone: site.zone_id(zone).to_owned(), slot, payoffs: payoffs(&mut rng) });
            }
        }
    }
    match RouteGame::new(site, slots, guards, targets) {
        Ok(game) => game,
        Err(e) => unreachable!("generated instance rejected: {e}"),
    }
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed().as_secs_f64());
        last = Some(out);
    }
    match last {
        Some(out) => (best, out),
        None => unreachable!("runs > 0"),
    }
}

fn main() {
    println!("singleton model (water-filling ORIGAMI), best of 5");
    for (n, m) in [(10_000, 1_000), (100_000, 10_000), (1_000_000, 10_000)] {
        let mut rng = ChaCha8Rng::seed_from_u64(n);
        let targets: Vec<SingletonTarget> =
            (0..n).map(|i| SingletonTarget { id: format!("t{i}"), payoffs: payoffs(&mut rng) }).collect();
        let Ok(game) = SingletonGame::new(targets, m) else { unreachable!("generated instance rejected") };
        let (secs, eq) = best_of(5, || game.solve());
        println!(
            "  n = {n:>9}, m = {m:>6}: {:>9.2} ms   x* = {:.6}, defender = {:.6}",
            secs * 1e3,
            eq.attacker_value,
            eq.defender_value
        );
    }

    println!("route model (parametric max-flow + closed form), best of 3");
    for (zones, slots, guards) in
        [(10, 12, 2), (40, 32, 3), (40, 32, 8), (40, 32, 20), (50, 32, 8), (100, 48, 10), (200, 48, 20)]
    {
        let game = route_game(1000 + zones as u64, zones, slots, guards);
        let (secs, sol) = best_of(3, || game.solve());
        println!(
            "  {zones:>3} zones × {slots} slots × {guards:>2} guards, {:>5} targets ({} holes): {:>9.2} ms   \
             x* = {:.6}, defender = {:.6}",
            game.places().len(),
            sol.holes.len(),
            secs * 1e3,
            sol.attacker_value,
            sol.defender_value
        );
    }

    println!("plan drawing (randomized cycle rounding + route split), mean of 200 draws");
    for (zones, slots, guards) in [(50, 32, 8), (50, 48, 12), (200, 48, 20)] {
        let game = route_game(2000 + zones as u64, zones, slots, guards);
        let sol = game.solve();
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let draws = 200;
        let start = Instant::now();
        let mut inspections = 0;
        for _ in 0..draws {
            inspections += sol.plan.draw(&mut rng).iter().map(|r| r.inspects.len()).sum::<usize>();
        }
        let mean = start.elapsed().as_secs_f64() / f64::from(draws);
        println!(
            "  {zones:>3} zones × {slots} slots × {guards:>2} guards: {:>7.3} ms per night ({:.1} inspections on average)",
            mean * 1e3,
            inspections as f64 / f64::from(draws)
        );
    }
}
