//! The route model against two references that share nothing with the solver: brute force over
//! every K-multiset of closed routes with the SSE as multiple LPs over their coverage vectors
//! (notes §7.4), and the node-throughput LP of notes §4.2 (`x ≤ min(1, y)`, no split, no
//! pruning) solved by the test simplex for the minimax level (§7.3 step 1).

use std::collections::HashSet;

use baove_game::{Payoffs, RouteGame, RouteSolution, RouteTarget, Site};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::lp::{Cmp, Row, maximize};
use crate::singleton::random_payoffs;

/// A small random instance: zone 0 is the post.
#[derive(Debug, Clone)]
pub struct Tiny {
    pub zones: usize,
    pub edges: Vec<(usize, usize)>,
    pub slots: u32,
    pub guards: u32,
    pub targets: Vec<(usize, u32, Payoffs)>,
}

impl Tiny {
    pub fn random(rng: &mut ChaCha8Rng, zones: usize, slots: u32, guards: u32, density: f64) -> Self {
        let mut edges = Vec::new();
        for z in 1..zones {
            edges.push((rng.random_range(0..z), z));
        }
        for a in 0..zones {
            for b in a + 1..zones {
                if !edges.contains(&(a, b)) && rng.random_bool(0.25) {
                    edges.push((a, b));
                }
            }
        }
        let integer = rng.random_bool(0.5);
        let mut targets = Vec::new();
        for z in 0..zones {
            for s in 0..=slots {
                if rng.random_bool(density) {
                    targets.push((z, s, random_payoffs(rng, integer)));
                }
            }
        }
        if targets.is_empty() {
            targets.push((0, slots / 2, random_payoffs(rng, integer)));
        }
        Self { zones, edges, slots, guards, targets }
    }

    /// The same instance without the targets no closed route reaches (so holes do not set the
    /// attacker's floor and the guards have work to share).
    pub fn without_holes(mut self) -> Self {
        let mut distance = vec![u32::MAX; self.zones];
        distance[0] = 0;
        for _ in 0..self.zones {
            for &(a, b) in &self.edges {
                distance[b] = distance[b].min(distance[a].saturating_add(1));
                distance[a] = distance[a].min(distance[b].saturating_add(1));
            }
        }
        let slots = self.slots;
        self.targets.retain(|&(z, s, _)| distance[z] <= s.min(slots - s));
        self
    }

    pub fn neighbours(&self, z: usize) -> Vec<usize> {
        let mut n: Vec<usize> = self
            .edges
            .iter()
            .filter_map(|&(a, b)| {
                if a == z {
                    Some(b)
                } else if b == z {
                    Some(a)
                } else {
                    None
                }
            })
            .collect();
        n.push(z);
        n
    }

    pub fn game(&self) -> RouteGame {
        let site = Site::new(
            (0..self.zones).map(|z| format!("z{z}")).collect(),
            self.edges.iter().map(|&(a, b)| (format!("z{a}"), format!("z{b}"))).collect(),
            "z0",
        )
        .unwrap();
        let targets = self
            .targets
            .iter()
            .map(|&(z, slot, payoffs)| RouteTarget { zone: format!("z{z}"), slot, payoffs })
            .collect();
        RouteGame::new(site, self.slots, self.guards, targets).unwrap()
    }

    /// Every closed route as its zone sequence.
    fn closed_routes(&self) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        let mut walk = vec![0];
        self.extend(&mut walk, &mut out);
        out
    }

    fn extend(&self, walk: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if walk.len() == self.slots as usize + 1 {
            if walk.last() == Some(&0) {
                out.push(walk.clone());
            }
            return;
        }
        for w in self.neighbours(walk[walk.len() - 1]) {
            walk.push(w);
            self.extend(walk, out);
            walk.pop();
        }
    }

    /// Distinct coverage vectors (target bitmasks) of all K-multisets of closed routes, each
    /// inspecting every target it passes (subsets are implied by `c ≤ Σ λ v` in the LPs).
    fn joint_masks(&self) -> Vec<u32> {
        let masks: HashSet<u32> = self
            .closed_routes()
            .iter()
            .map(|r| {
                self.targets
                    .iter()
                    .enumerate()
                    .filter(|(_, (z, s, _))| r[*s as usize] == *z)
                    .fold(0, |m, (t, _)| m | 1 << t)
            })
            .collect();
        let masks: Vec<u32> = masks.into_iter().collect();
        let mut joint: HashSet<u32> = HashSet::from([0]);
        for _ in 0..self.guards {
            joint = joint.iter().flat_map(|&j| masks.iter().map(move |&m| j | m)).collect();
        }
        let mut joint: Vec<u32> = joint.into_iter().collect();
        joint.sort_unstable();
        joint
    }
}

/// Rows `c_t ≤ Σ λ_v v_t` and `Σ λ = 1` over variables (λ_0..λ_{V−1}, c_0..c_{n−1}, extra…).
fn hull_rows(masks: &[u32], n: usize, width: usize) -> Vec<Row> {
    let v = masks.len();
    let mut rows = vec![Row::new((0..width).map(|i| if i < v { 1.0 } else { 0.0 }).collect(), Cmp::Eq, 1.0)];
    for t in 0..n {
        let mut row = vec![0.0; width];
        for (i, &m) in masks.iter().enumerate() {
            if m >> t & 1 == 1 {
                row[i] = -1.0;
            }
        }
        row[v + t] = 1.0;
        rows.push(Row::new(row, Cmp::Le, 0.0));
    }
    rows
}

/// (minimax level, SSE defender value) over mixtures of route tuples.
fn brute_force(tiny: &Tiny) -> (f64, f64) {
    let masks = tiny.joint_masks();
    let p: Vec<Payoffs> = tiny.targets.iter().map(|t| t.2).collect();
    let (n, v) = (p.len(), masks.len());
    let shift = p.iter().map(|q| q.attacker_penalty).fold(f64::INFINITY, f64::min) - 1.0;
    let width = v + n + 1;
    let mut rows = hull_rows(&masks, n, width);
    for (t, q) in p.iter().enumerate() {
        let mut row = vec![0.0; width];
        row[v + t] = q.attacker_reward - q.attacker_penalty;
        row[v + n] = 1.0;
        rows.push(Row::new(row, Cmp::Ge, q.attacker_reward - shift));
    }
    let mut objective = vec![0.0; width];
    objective[v + n] = -1.0;
    let level = -maximize(&objective, &rows).value().unwrap() + shift;
    let mut best = f64::NEG_INFINITY;
    for star in 0..n {
        let ps = p[star];
        let mut rows = hull_rows(&masks, n, v + n);
        for (t, q) in p.iter().enumerate() {
            if t != star {
                let mut row = vec![0.0; v + n];
                row[v + t] = q.attacker_penalty - q.attacker_reward;
                row[v + star] -= ps.attacker_penalty - ps.attacker_reward;
                rows.push(Row::new(row, Cmp::Le, ps.attacker_reward - q.attacker_reward));
            }
        }
        let mut objective = vec![0.0; v + n];
        objective[v + star] = ps.defender_reward - ps.defender_penalty;
        if let Some(value) = maximize(&objective, &rows).value() {
            best = best.max(value + ps.defender_penalty);
        }
    }
    (level, best)
}

/// The node-throughput LP of §4.2 over every zone-slot: moves m ≥ 0 (none leave a zone other
/// than the post at slot 0, none arrive anywhere but the post at slot S), K guards leave the post
/// at slot 0, conservation in between, `x_t ≤ y(zone, slot)`, `x_t ≤ 1`. Returns its variables'
/// rows and layout; `extra` columns follow the x block.
fn throughput_rows(tiny: &Tiny, extra: usize) -> (Vec<Row>, usize) {
    let mut moves = Vec::new();
    for s in 0..tiny.slots {
        for v in 0..tiny.zones {
            for w in tiny.neighbours(v) {
                if (s > 0 || v == 0) && (s + 1 < tiny.slots || w == 0) {
                    moves.push((s, v, w));
                }
            }
        }
    }
    let (nm, n) = (moves.len(), tiny.targets.len());
    let width = nm + n + extra;
    let mut rows = Vec::new();
    let row_of = |pick: &dyn Fn(&(u32, usize, usize)) -> f64| {
        let mut row = vec![0.0; width];
        for (i, m) in moves.iter().enumerate() {
            row[i] = pick(m);
        }
        row
    };
    rows.push(Row::new(
        row_of(&|&(s, v, _)| if s == 0 && v == 0 { 1.0 } else { 0.0 }),
        Cmp::Eq,
        f64::from(tiny.guards),
    ));
    for s in 1..tiny.slots {
        for z in 0..tiny.zones {
            let row = row_of(&|&(ms, v, w)| {
                f64::from(u8::from(ms + 1 == s && w == z)) - f64::from(u8::from(ms == s && v == z))
            });
            rows.push(Row::new(row, Cmp::Eq, 0.0));
        }
    }
    for (t, &(z, s, _)) in tiny.targets.iter().enumerate() {
        let mut row = if s == 0 {
            vec![0.0; width]
        } else {
            row_of(&|&(ms, _, w)| if ms + 1 == s && w == z { -1.0 } else { 0.0 })
        };
        row[nm + t] = 1.0;
        let rhs = if s == 0 && z == 0 { f64::from(tiny.guards) } else { 0.0 };
        rows.push(Row::new(row, Cmp::Le, rhs));
        let mut cap = vec![0.0; width];
        cap[nm + t] = 1.0;
        rows.push(Row::new(cap, Cmp::Le, 1.0));
    }
    (rows, nm)
}

fn lp_minimax(tiny: &Tiny) -> f64 {
    let (mut rows, nm) = throughput_rows(tiny, 1);
    let n = tiny.targets.len();
    let width = nm + n + 1;
    let shift = tiny.targets.iter().map(|t| t.2.attacker_penalty).fold(f64::INFINITY, f64::min) - 1.0;
    for (t, &(_, _, p)) in tiny.targets.iter().enumerate() {
        let mut row = vec![0.0; width];
        row[nm + t] = p.attacker_reward - p.attacker_penalty;
        row[nm + n] = 1.0;
        rows.push(Row::new(row, Cmp::Ge, p.attacker_reward - shift));
    }
    let mut objective = vec![0.0; width];
    objective[nm + n] = -1.0;
    -maximize(&objective, &rows).value().unwrap() + shift
}

/// Whether the throughput LP admits coverage of at least `lower[t]` on every target.
fn lp_feasible(tiny: &Tiny, lower: &[f64]) -> bool {
    let (mut rows, nm) = throughput_rows(tiny, 0);
    let width = nm + tiny.targets.len();
    for (t, &l) in lower.iter().enumerate() {
        let mut row = vec![0.0; width];
        row[nm + t] = 1.0;
        rows.push(Row::new(row, Cmp::Ge, l));
    }
    maximize(&vec![0.0; width], &rows).value().is_some()
}

fn lower_bounds(tiny: &Tiny, level: f64) -> Vec<f64> {
    tiny.targets.iter().map(|t| t.2.coverage_for_level(level)).collect()
}

/// The plan's expected moves conserve flow, carry K guards, and cover no zone-slot beyond the
/// guards present there (`x ≤ min(1, y)`, which §4.2 shows is exactly decomposable into routes).
pub fn check_plan(game: &RouteGame, sol: &RouteSolution) {
    let (zones, slots) = (game.site().zone_count(), game.slots() as usize);
    let mut inflow = vec![vec![0.0; slots + 1]; zones];
    let mut outflow = vec![vec![0.0; slots + 1]; zones];
    for m in sol.plan.moves() {
        assert!(m.guards > 0.0 && (m.from == m.to || game.site().neighbours(m.from).contains(&m.to)));
        outflow[m.from][m.slot as usize] += m.guards;
        inflow[m.to][m.slot as usize + 1] += m.guards;
    }
    let k = f64::from(game.guards());
    let post = game.site().post();
    inflow[post][0] = k;
    outflow[post][slots] = k;
    for z in 0..zones {
        for s in 0..=slots {
            assert!((inflow[z][s] - outflow[z][s]).abs() < 1e-9, "conservation at {z}@{s}");
        }
    }
    for (z, s, guards) in sol.plan.presence() {
        assert!((guards - inflow[z][s as usize]).abs() < 1e-9, "presence at {z}@{s}");
    }
    for (t, &(z, s)) in game.places().iter().enumerate() {
        let c = sol.coverage[t];
        assert!((0.0..=1.0).contains(&c) && c <= inflow[z][s as usize] + 1e-9, "coverage {c} at {z}@{s}");
    }
}

#[test]
fn route_sse_matches_brute_force_over_all_route_tuples() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    for case in 0..48 {
        let guards = 1 + case % 3;
        let zones = rng.random_range(2..=4);
        let slots = rng.random_range(2..=5);
        let tiny = Tiny::random(&mut rng, zones, slots, guards, 0.45);
        let game = tiny.game();
        let sol = game.solve();
        check_plan(&game, &sol);
        let (level, value) = brute_force(&tiny);
        assert!(
            (sol.attacker_value - level).abs() < 1e-7,
            "case {case}: x* {} vs {level}\n{tiny:?}",
            sol.attacker_value
        );
        assert!(
            (sol.defender_value - value).abs() < 1e-7,
            "case {case}: defender {} vs {value}\n{tiny:?}",
            sol.defender_value
        );
    }
}

#[test]
fn the_attacker_level_is_the_throughput_lps_minimax_and_no_lower_level_is_feasible() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..30 {
        let (zones, slots, guards) = (rng.random_range(3..=6), rng.random_range(3..=7), rng.random_range(1..=4));
        let tiny = Tiny::random(&mut rng, zones, slots, guards, 0.5);
        let game = tiny.game();
        let sol = game.solve();
        check_plan(&game, &sol);
        let level = lp_minimax(&tiny);
        let x = sol.attacker_value;
        assert!((x - level).abs() < 1e-8, "case {case}: x* {x} vs LP {level}\n{tiny:?}");
        // x* equals the attacker's best response to the returned coverage …
        let best =
            game.payoffs().iter().zip(&sol.coverage).map(|(p, &c)| p.attacker(c)).fold(f64::NEG_INFINITY, f64::max);
        assert!((best - x).abs() < 1e-9);
        // … that coverage is feasible, and nothing lower is.
        assert!(lp_feasible(&tiny, &sol.coverage), "case {case}: coverage infeasible");
        assert!(!lp_feasible(&tiny, &lower_bounds(&tiny, x - 1e-7)), "case {case}: x* − 1e-7 feasible");
    }
}

#[test]
fn targets_no_route_can_reach_are_holes_with_zero_coverage() {
    // A path post – a – b – far: with 4 slots "far" (3 walks away) is never reachable and "b"
    // only at slot 2.
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut tiny = Tiny { zones: 4, edges: vec![(0, 1), (1, 2), (2, 3)], slots: 4, guards: 2, targets: Vec::new() };
    for (z, s) in [(3, 2), (2, 1), (2, 2), (1, 1), (0, 0), (3, 4)] {
        tiny.targets.push((z, s, random_payoffs(&mut rng, false)));
    }
    let game = tiny.game();
    let sol = game.solve();
    assert_eq!(sol.holes, vec![0, 1, 5]);
    for &t in &sol.holes {
        assert_eq!(sol.coverage[t], 0.0);
        assert!(sol.attacker_value >= tiny.targets[t].2.attacker_reward - 1e-12);
    }
    assert!((sol.attacker_value - brute_force(&tiny).0).abs() < 1e-7);
    check_plan(&game, &sol);
}

#[test]
fn a_game_of_only_holes_has_the_highest_hole_reward_as_its_level() {
    let p = Payoffs { attacker_reward: 9.0, attacker_penalty: 1.0, defender_reward: 1.0, defender_penalty: -3.0 };
    let q = Payoffs { attacker_reward: 4.0, ..p };
    let tiny = Tiny { zones: 2, edges: vec![(0, 1)], slots: 1, guards: 1, targets: vec![(1, 0, p), (1, 1, q)] };
    let sol = tiny.game().solve();
    assert_eq!(sol.holes, vec![0, 1]);
    assert_eq!(sol.attacker_value, 9.0);
    assert_eq!(sol.defender_value, -3.0);
    assert_eq!(sol.attacked, 0);
}
