//! Randomized cycle rounding (notes §3.3): turns the fractional equilibrium flow into K concrete
//! closed routes whose inspections hit every target with probability exactly its coverage.
//!
//! Every node of the split graph conserves flow and the source and sink carry the integer K, so
//! a node touching a fractional arc touches at least two: the fractional arcs always contain an
//! undirected cycle. Around a cycle, push +up (to make some arc integral in the forward sense)
//! with probability dn/(up+dn), else −dn; the expected change of every arc is
//! `up·dn/(up+dn) − dn·up/(up+dn) = 0`, so each arc's final integral flow has expectation equal
//! to its fractional flow (a martingale), and at least one arc turns integral per push. Integral
//! capacities keep the pushes within [0, cap]. The integral flow then splits into K walks from
//! the post back to the post; an inspect arc carrying 1 is the one guard who inspects there.
//!
//! Cycles are found by one walk kept on a stack: a step onto a node already on the stack closes
//! a cycle, the cycle is pushed and the stack is cut back to that node, whose arrival arc is
//! still fractional, so the walk goes on from there. Incidence lists are shuffled first, so the
//! cycles themselves vary from night to night as well as the push directions (notes §3.4).

use rand::Rng;
use rand::seq::SliceRandom;

use crate::route::network::{ArcKind, Network};

/// Arc flows within this of an integer are that integer: the equilibrium flow conserves flow
/// only up to the max-flow's rounding (route/sse.rs `FEAS_TOL`).
pub(crate) const SNAP: f64 = 1e-9;

/// One guard's night.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Zone index at slots 0..=S (starts and ends at the post).
    pub zones: Vec<usize>,
    /// Slots at which this guard inspects the target of the zone it is in, ascending.
    pub inspects: Vec<u32>,
}

fn snap(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() <= SNAP { r } else { x }
}

fn fractional(x: f64) -> bool {
    x != x.round()
}

/// Rounds `flow` to an integral flow with the same expectation, arc by arc.
pub(crate) fn round<R: Rng + ?Sized>(net: &Network, flow: &[f64], rng: &mut R) -> Vec<f64> {
    let mut f: Vec<f64> = flow.iter().map(|&x| snap(x)).collect();
    let n = net.node_count;
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (a, arc) in net.arcs.iter().enumerate() {
        if fractional(f[a]) {
            incident[arc.tail as usize].push(a as u32);
            incident[arc.head as usize].push(a as u32);
        }
    }
    for list in &mut incident {
        list.shuffle(rng);
    }
    let mut cursor = vec![0_usize; n];
    const OFF: usize = usize::MAX;
    let mut position = vec![OFF; n];
    let mut nodes: Vec<u32> = Vec::new();
    let mut path: Vec<u32> = Vec::new();
    let other = |a: u32, v: u32| {
        let arc = &net.arcs[a as usize];
        if arc.tail == v { arc.head } else { arc.tail }
    };
    for start in 0..n as u32 {
        nodes.clear();
        path.clear();
        nodes.push(start);
        position[start as usize] = 0;
        while let Some(&v) = nodes.last() {
            let arrival = path.last().copied();
            // Skip arcs that have become integral for good; look past the arrival arc.
            let list = &incident[v as usize];
            while cursor[v as usize] < list.len() && !fractional(f[list[cursor[v as usize]] as usize]) {
                cursor[v as usize] += 1;
            }
            let next =
                list[cursor[v as usize]..].iter().copied().find(|&a| Some(a) != arrival && fractional(f[a as usize]));
            let Some(a) = next else {
                // Only the arrival arc is fractional here: that happens only through rounding
                // noise in conservation, so the arc is as good as integral.
                if let Some(a) = arrival {
                    f[a as usize] = f[a as usize].round();
                    path.pop();
                }
                position[v as usize] = OFF;
                nodes.pop();
                continue;
            };
            let w = other(a, v);
            let at = position[w as usize];
            if at == OFF {
                position[w as usize] = nodes.len();
                nodes.push(w);
                path.push(a);
                continue;
            }
            // A cycle: nodes[at..] then back to w through a.
            path.push(a);
            push_cycle(net, &mut f, &nodes[at..], &path[at..], rng);
            path.truncate(at);
            for &u in &nodes[at + 1..] {
                position[u as usize] = OFF;
            }
            nodes.truncate(at + 1);
        }
    }
    f
}

/// Pushes around the cycle that leaves `nodes[i]` by `arcs[i]`.
fn push_cycle<R: Rng + ?Sized>(net: &Network, f: &mut [f64], nodes: &[u32], arcs: &[u32], rng: &mut R) {
    let (mut up, mut down) = (f64::INFINITY, f64::INFINITY);
    for (&v, &a) in nodes.iter().zip(arcs) {
        let x = f[a as usize];
        let (to_ceil, to_floor) = (x.ceil() - x, x - x.floor());
        if net.arcs[a as usize].tail == v {
            up = up.min(to_ceil);
            down = down.min(to_floor);
        } else {
            up = up.min(to_floor);
            down = down.min(to_ceil);
        }
    }
    let delta = if rng.random::<f64>() * (up + down) < down { up } else { -down };
    for (&v, &a) in nodes.iter().zip(arcs) {
        let x = &mut f[a as usize];
        *x = snap(if net.arcs[a as usize].tail == v { *x + delta } else { *x - delta });
    }
}

/// Splits an integral flow into K post-to-post routes. Where several arcs leave a node with
/// guards on them, the guard's way is drawn in proportion to their counts.
pub(crate) fn routes<R: Rng + ?Sized>(net: &Network, flow: &[f64], rng: &mut R) -> Vec<Route> {
    let n = net.node_count;
    let mut left: Vec<u32> = flow.iter().map(|&x| x.round().max(0.0) as u32).collect();
    let mut start = vec![0_usize; n + 1];
    for arc in &net.arcs {
        start[arc.tail as usize + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    // Arcs are created tail by tail in node order (route/network.rs), but do not rely on it.
    let mut out = vec![0_usize; net.arcs.len()];
    let mut fill = start.clone();
    for (a, arc) in net.arcs.iter().enumerate() {
        out[fill[arc.tail as usize]] = a;
        fill[arc.tail as usize] += 1;
    }
    let mut routes = Vec::with_capacity(net.guards as usize);
    for _ in 0..net.guards {
        let mut v = net.source;
        let mut route = Route { zones: vec![net.place[v as usize].0 as usize], inspects: Vec::new() };
        while v != net.sink {
            let arcs = &out[start[v as usize]..start[v as usize + 1]];
            let total: u32 = arcs.iter().map(|&a| left[a]).sum();
            if total == 0 {
                break;
            }
            let mut pick = rng.random_range(0..total);
            let mut chosen = arcs[0];
            for &a in arcs {
                if pick < left[a] {
                    chosen = a;
                    break;
                }
                pick -= left[a];
            }
            left[chosen] -= 1;
            let arc = &net.arcs[chosen];
            match arc.kind {
                ArcKind::Inspect(_) => route.inspects.push(net.place[v as usize].1),
                ArcKind::Move => route.zones.push(net.place[arc.head as usize].0 as usize),
                ArcKind::Pass => {}
            }
            v = arc.head;
        }
        routes.push(route);
    }
    routes
}
