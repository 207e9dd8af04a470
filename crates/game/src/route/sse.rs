//! The minimax attacker level x* of the route model and a flow that realises it (the review note
//! that opens the notes, and §7.3 step 1), found without an LP.
//!
//! For a level k, target t needs coverage at least `l_t(k) = max(0, (Uau(t) − k)/(Uau(t) − Uac(t)))`
//! (notes §2.4, observation 3). Because inspecting is optional, the coverage polytope is
//! downward-closed, so k is attainable iff the split graph (route/network.rs) carries a flow of
//! value K from post to post whose inspect arcs carry at least `l_t(k)` — a max-flow with lower
//! bounds. It is decided the standard way: close the network with a return arc sink → source of
//! capacity K, give each lower-bounded arc capacity `1 − l_t` and move its `l_t` onto a super
//! source S* → out-node and in-node → super sink T*; k is feasible iff the max S*→T* flow
//! saturates them, i.e. the deficit `D(k) = Σ l_t(k) − maxflow(k)` is 0.
//!
//! **How x* is found exactly.** Feasibility is monotone in k (lower bounds fall as k rises),
//! and k can go no lower than the floor `max(max Uac over reachable targets, max Uau over
//! holes)` (coverage ≤ 1, and holes get none); at the top reward every lower bound is 0.
//!
//! The deficit is convex in k. By max-flow/min-cut, `D(k) = max over S*–T* cuts X of
//! (Σ_t l_t(k) − cap_X(k))`. In a cut, target t's lower bound appears in Σ l (+1), on S* → out
//! when out ∉ X (−1), on in → T* when in ∈ X (−1), and on the inspect arc (capacity `1 − l_t`)
//! when in ∈ X and out ∉ X (+1): its coefficient is 1 when out ∈ X and in ∉ X and 0 otherwise,
//! never negative. Each cut's term is then a non-negative sum of the convex `l_t` plus a
//! constant, and D, their maximum, is convex and piecewise linear, with kinks where the minimum
//! cut changes or a reward Uau(t) is passed.
//!
//! So discrete Newton (Dinkelbach-style) from any level at or below x* converges to x* exactly: at a level k
//! with D(k) > 0, the minimum cut of the max-flow and the targets with `Uau(t) > k` give an
//! affine function `g(k') = G0 + G1·k'` that equals D at k and, by the argument above (a target
//! inactive at k only adds `l_t ≥ 0` further left, an active one has `l_t(k') ≥ (Uau − k')·w`),
//! stays below D everywhere. Its root `−G0/G1` therefore never passes x*; move there and repeat.
//! Every step makes a new affine piece of D active, there are finitely many, and the last step
//! lands on the root of the piece through x*: x* is computed in closed form from one cut's
//! coefficients, not approached by bisection. In f64 the result is exact up to the rounding of
//! those sums; a deficit of at most [`FEAS_TOL`] counts as zero.
//!
//! Newton starts from a per-slot lower bound on x* ([`Search::slot_bound`]) rather than the
//! floor; a solve is typically 2–5 max-flows. Should Newton ever stall (it has not on any instance
//! tried), bisection to 1e-13 relative finishes the job.

use crate::Payoffs;
use crate::route::flow::{FlowGraph, FlowGraphBuilder};
use crate::route::network::{ArcKind, Network};
use crate::singleton::water_level;

/// A flow deficit at or below this counts as zero: the realising flow then violates flow
/// conservation by at most this much in total (HiGHS works to 1e-7).
pub(crate) const FEAS_TOL: f64 = 1e-11;

const MAX_NEWTON: usize = 200;

/// The attacker level and a flow on the split graph's arcs whose inspect arcs carry exactly the
/// closed-form coverage at that level, with total value K.
pub(crate) struct Minimax {
    pub level: f64,
    pub flow: Vec<f64>,
}

/// How a capacity of the auxiliary network depends on the level k.
#[derive(Debug, Clone, Copy)]
enum Capacity {
    Fixed(f64),
    /// `l_t(k)`: the arcs S* → out-node and in-node → T* of target t.
    Lower(usize),
    /// `1 − l_t(k)`: the inspect arc of target t.
    Rest(usize),
}

struct Search<'a> {
    payoffs: &'a [Payoffs],
    /// Slot of every target.
    places: Vec<u32>,
    guards: u32,
    reachable: Vec<bool>,
    graph: FlowGraph,
    /// By forward arc id / 2.
    capacity: Vec<Capacity>,
    /// Flow-graph arc of every network arc.
    arc_of: Vec<usize>,
    return_arc: usize,
    super_source: u32,
    super_sink: u32,
    /// The level the graph's current flow was computed at.
    evaluated_at: Option<f64>,
}

struct Evaluation {
    deficit: f64,
    /// `(G0, G1)` of the affine piece of D active at the evaluated level.
    piece: (f64, f64),
}

pub(crate) fn solve(net: &Network, payoffs: &[Payoffs]) -> Minimax {
    let mut search = Search::new(net, payoffs);
    let level = search.level();
    let flow = search.realise(net, level);
    Minimax { level, flow }
}

impl<'a> Search<'a> {
    fn new(net: &Network, payoffs: &'a [Payoffs]) -> Self {
        let super_source = net.node_count as u32;
        let super_sink = super_source + 1;
        let mut builder = FlowGraphBuilder::new(net.node_count + 2);
        let mut capacity = Vec::new();
        let mut arc_of = Vec::with_capacity(net.arcs.len());
        for arc in &net.arcs {
            arc_of.push(builder.arc(arc.tail, arc.head, arc.cap));
            capacity.push(match arc.kind {
                ArcKind::Inspect(t) => Capacity::Rest(t),
                ArcKind::Pass | ArcKind::Move => Capacity::Fixed(arc.cap),
            });
        }
        let k = f64::from(net.guards);
        let return_arc = builder.arc(net.sink, net.source, k);
        capacity.push(Capacity::Fixed(k));
        for (t, nodes) in net.target_nodes.iter().enumerate() {
            if let Some((node_in, node_out)) = *nodes {
                builder.arc(super_source, node_out, 0.0);
                capacity.push(Capacity::Lower(t));
                builder.arc(node_in, super_sink, 0.0);
                capacity.push(Capacity::Lower(t));
            }
        }
        let reachable = net.target_nodes.iter().map(Option::is_some).collect();
        Self {
            payoffs,
            places: net.target_slots.clone(),
            guards: net.guards,
            reachable,
            graph: builder.build(),
            capacity,
            arc_of,
            return_arc,
            super_source,
            super_sink,
            evaluated_at: None,
        }
    }

    fn lower(&self, t: usize, k: f64) -> f64 {
        self.payoffs[t].coverage_for_level(k)
    }

    /// Runs the max-flow at level k and reads the deficit and the active affine piece.
    fn evaluate(&mut self, k: f64) -> Evaluation {
        for i in 0..self.capacity.len() {
            let c = match self.capacity[i] {
                Capacity::Fixed(c) => c,
                Capacity::Lower(t) => self.lower(t, k),
                Capacity::Rest(t) => 1.0 - self.lower(t, k),
            };
            self.graph.set_capacity(2 * i, c);
        }
        self.graph.reset();
        let flow = self.graph.max_flow(self.super_source, self.super_sink);
        self.evaluated_at = Some(k);
        let mut demand = 0.0;
        // Σ l_t(k) as an affine function on the segment: active targets are those with Uau > k.
        let (mut g0, mut g1) = (0.0, 0.0);
        for (t, p) in self.payoffs.iter().enumerate() {
            if self.reachable[t] && p.attacker_reward > k {
                demand += self.lower(t, k);
                let w = 1.0 / (p.attacker_reward - p.attacker_penalty);
                g0 += p.attacker_reward * w;
                g1 -= w;
            }
        }
        let side = self.graph.source_side(self.super_source);
        for (i, cap) in self.capacity.iter().enumerate() {
            let (tail, head) = self.graph.ends(2 * i);
            if !side[tail as usize] || side[head as usize] {
                continue;
            }
            let (a, b) = match *cap {
                Capacity::Fixed(c) => (c, 0.0),
                Capacity::Lower(t) => affine_lower(&self.payoffs[t], k),
                Capacity::Rest(t) => {
                    let (a, b) = affine_lower(&self.payoffs[t], k);
                    (1.0 - a, -b)
                }
            };
            g0 -= a;
            g1 -= b;
        }
        Evaluation { deficit: demand - flow, piece: (g0, g1) }
    }

    fn feasible(&mut self, k: f64) -> bool {
        self.evaluate(k).deficit <= FEAS_TOL
    }

    fn level(&mut self) -> f64 {
        let mut floor = f64::NEG_INFINITY;
        let mut top = f64::NEG_INFINITY;
        for (t, p) in self.payoffs.iter().enumerate() {
            floor = floor.max(if self.reachable[t] { p.attacker_penalty } else { p.attacker_reward });
            if self.reachable[t] {
                top = top.max(p.attacker_reward);
            }
        }
        if top <= floor {
            return floor;
        }
        self.newton(floor.max(self.slot_bound()), top)
    }

    /// A lower bound on x* from the slots: a guard stands in one zone per slot and inspects at
    /// most its target, so the coverage of one slot's targets sums to at most K, and the
    /// water-filling level of that slot's singleton game with K guards (notes §2.4) cannot be
    /// beaten. Starting Newton at the largest of them instead of the floor saves max-flows;
    /// any level at or below x* is a valid start, because the cut piece there still lies
    /// below the deficit everywhere.
    fn slot_bound(&self) -> f64 {
        let mut by_slot: Vec<(u32, Payoffs)> = self
            .payoffs
            .iter()
            .zip(&self.places)
            .zip(&self.reachable)
            .filter(|(_, r)| **r)
            .map(|((p, &slot), _)| (slot, *p))
            .collect();
        by_slot.sort_unstable_by_key(|&(slot, _)| slot);
        let guards = f64::from(self.guards);
        by_slot
            .chunk_by(|a, b| a.0 == b.0)
            .map(|group| water_level(&group.iter().map(|&(_, p)| p).collect::<Vec<_>>(), guards))
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Discrete Newton on the convex piecewise-linear deficit, from a level at or below x*
    /// towards the top reward (feasible).
    fn newton(&mut self, start: f64, top: f64) -> f64 {
        let mut k = start;
        let mut eval = self.evaluate(k);
        if eval.deficit <= FEAS_TOL {
            return k;
        }
        for _ in 0..MAX_NEWTON {
            let (g0, g1) = eval.piece;
            if g1 >= 0.0 || !g1.is_finite() {
                break;
            }
            let next = (-g0 / g1).min(top);
            if next <= k {
                // The piece's root is where we stand: the deficit left is rounding.
                if eval.deficit <= 1e3 * FEAS_TOL {
                    return k;
                }
                break;
            }
            k = next;
            eval = self.evaluate(k);
            if eval.deficit <= FEAS_TOL {
                return k;
            }
        }
        self.bisect(k, top)
    }

    fn bisect(&mut self, mut lo: f64, mut hi: f64) -> f64 {
        while hi - lo > 1e-13 * hi.abs().max(1.0) {
            let mid = lo + (hi - lo) / 2.0;
            if mid <= lo || mid >= hi {
                break;
            }
            if self.feasible(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }

    /// The flow at level k on the network's arcs: inspect arcs carry exactly `l_t(k)` (any flow
    /// the max-flow put above the lower bound moves to the parallel pass arc, so coverage is not
    /// raised past what keeps the attacker indifferent), and guards the level does not need stay
    /// at the post, so the value is exactly K.
    fn realise(&mut self, net: &Network, k: f64) -> Vec<f64> {
        if self.evaluated_at != Some(k) {
            self.evaluate(k);
        }
        let mut flow: Vec<f64> = self.arc_of.iter().map(|&a| self.graph.flow(a)).collect();
        for (t, arcs) in net.target_arcs.iter().enumerate() {
            if let Some((inspect, pass)) = *arcs {
                flow[pass] += flow[inspect];
                flow[inspect] = self.lower(t, k).min(1.0);
            }
        }
        let idle = f64::from(net.guards) - self.graph.flow(self.return_arc);
        if idle > 0.0 {
            for &a in &net.idle_route {
                flow[a] += idle;
            }
        }
        flow
    }
}

/// `l_t(k) = (Uau − k)·w` as (constant, slope) when target t is active at k, else zero.
fn affine_lower(p: &Payoffs, k: f64) -> (f64, f64) {
    if p.attacker_reward > k {
        let w = 1.0 / (p.attacker_reward - p.attacker_penalty);
        (p.attacker_reward * w, -w)
    } else {
        (0.0, 0.0)
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::route::site::Site;

    /// A random connected site with targets on a random half of the zone-slots.
    fn instance(seed: u64) -> (Network, Vec<Payoffs>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let zones = rng.random_range(3..=7);
        let slots = rng.random_range(3..=8);
        let mut edges = Vec::new();
        for z in 1..zones {
            edges.push((format!("z{}", rng.random_range(0..z)), format!("z{z}")));
        }
        let site = Site::new((0..zones).map(|z| format!("z{z}")).collect(), edges, "z0").unwrap();
        let mut places = Vec::new();
        let mut payoffs = Vec::new();
        for zone in 0..zones {
            for slot in 0..=slots {
                if rng.random_bool(0.5) {
                    places.push((zone, slot));
                    payoffs.push(Payoffs {
                        attacker_reward: rng.random_range(0.0..10.0),
                        attacker_penalty: rng.random_range(-10.0..0.0),
                        defender_reward: 1.0,
                        defender_penalty: 0.0,
                    });
                }
            }
        }
        (Network::build(&site, slots, rng.random_range(1..=3), &places), payoffs)
    }

    #[test]
    fn the_deficit_is_convex_and_every_cut_piece_lies_below_it() {
        for seed in 0..30 {
            let (net, payoffs) = instance(seed);
            if payoffs.is_empty() {
                continue;
            }
            let mut search = Search::new(&net, &payoffs);
            let reachable: Vec<&Payoffs> =
                payoffs.iter().zip(&search.reachable).filter(|(_, r)| **r).map(|(p, _)| p).collect();
            let Some(top) = reachable.iter().map(|p| p.attacker_reward).reduce(f64::max) else { continue };
            let floor = reachable.iter().map(|p| p.attacker_penalty).fold(f64::NEG_INFINITY, f64::max);
            let ks: Vec<f64> = (0..=80).map(|i| floor + (top - floor) * f64::from(i) / 80.0).collect();
            let evals: Vec<Evaluation> = ks.iter().map(|&k| search.evaluate(k)).collect();
            for i in 1..ks.len() - 1 {
                let chord = (evals[i - 1].deficit + evals[i + 1].deficit) / 2.0;
                assert!(evals[i].deficit <= chord + 1e-9, "seed {seed}: not convex at {}", ks[i]);
            }
            for (e, &k) in evals.iter().zip(&ks) {
                assert!((e.piece.0 + e.piece.1 * k - e.deficit).abs() < 1e-9, "seed {seed}: piece ≠ D at {k}");
                for (other, &k2) in evals.iter().zip(&ks) {
                    assert!(e.piece.0 + e.piece.1 * k2 <= other.deficit + 1e-9, "seed {seed}: piece above D");
                }
            }
        }
    }

    #[test]
    fn the_level_found_is_feasible_and_the_level_just_below_is_not() {
        for seed in 100..160 {
            let (net, payoffs) = instance(seed);
            if payoffs.is_empty() {
                continue;
            }
            let mut search = Search::new(&net, &payoffs);
            let level = search.level();
            assert!(search.evaluate(level).deficit <= FEAS_TOL, "seed {seed}");
            let floor = payoffs
                .iter()
                .zip(&search.reachable)
                .map(|(p, &r)| if r { p.attacker_penalty } else { p.attacker_reward })
                .fold(f64::NEG_INFINITY, f64::max);
            if level > floor {
                assert!(search.evaluate(level - 1e-9).deficit > 0.0, "seed {seed}: {level} is not minimal");
            }
        }
    }
}
