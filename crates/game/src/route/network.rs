//! The time-expanded split graph of notes §4.2. One node per reachable (zone, slot); a node that
//! carries a target is split into an in-node and an out-node joined by a capacity-1 inspect arc
//! (its flow is the target's coverage) and a capacity-K pass arc (walking through without
//! inspecting, so inspecting is optional and two guards may share a corridor). Move arcs join
//! (v, s) to (w, s+1) for w = v or a neighbour of v. The source is the post at slot 0 and the
//! sink the post at slot S, so every unit of flow is a closed route.
//!
//! The graph is a DAG in slot order and its capacities are integral, so its flow polytope has
//! integral vertices: the coverage polytope is exactly the projection on the inspect arcs.

use crate::route::site::Site;

/// What an arc of the split graph stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArcKind {
    /// Inspect the target with this index.
    Inspect(usize),
    /// Walk through a target's zone-slot without inspecting.
    Pass,
    /// Stay or walk one edge between slot `s` and `s + 1`.
    Move,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Arc {
    pub tail: u32,
    pub head: u32,
    /// Integral capacity: 1 for inspect arcs, K for the others.
    pub cap: f64,
    pub kind: ArcKind,
}

/// The split graph of one game.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Network {
    pub node_count: usize,
    pub arcs: Vec<Arc>,
    /// (zone, slot) of every node; an in-node and its out-node share theirs.
    pub place: Vec<(u32, u32)>,
    pub source: u32,
    pub sink: u32,
    /// Per target: its inspect and pass arc, or `None` for a hole.
    pub target_arcs: Vec<Option<(usize, usize)>>,
    /// Per target: its in-node and out-node, when reachable.
    pub target_nodes: Vec<Option<(u32, u32)>>,
    /// Per target: its slot.
    pub target_slots: Vec<u32>,
    /// The arcs of the route that stays at the post all night (pass arcs where the post carries
    /// a target), along which guards the equilibrium does not need are parked.
    pub idle_route: Vec<usize>,
    pub guards: u32,
}

const NONE: u32 = u32::MAX;

impl Network {
    /// Builds the split graph. `targets[i]` is the (zone, slot) of target i; targets at
    /// unreachable zone-slots get no arcs (they are holes).
    pub fn build(site: &Site, slots: u32, guards: u32, targets: &[(usize, u32)]) -> Self {
        let zones = site.zone_count();
        let width = slots as usize + 1;
        let mut target_at = vec![NONE; zones * width];
        for (t, &(zone, slot)) in targets.iter().enumerate() {
            if site.reachable(zone, slot, slots) {
                target_at[zone * width + slot as usize] = t as u32;
            }
        }
        // Node ids in slot-major order, so arcs run from lower to higher ids.
        let mut node_in = vec![NONE; zones * width];
        let mut node_out = vec![NONE; zones * width];
        let mut place = Vec::new();
        for slot in 0..=slots {
            for zone in 0..zones {
                if !site.reachable(zone, slot, slots) {
                    continue;
                }
                let cell = zone * width + slot as usize;
                node_in[cell] = place.len() as u32;
                place.push((zone as u32, slot));
                if target_at[cell] != NONE {
                    place.push((zone as u32, slot));
                }
                node_out[cell] = place.len() as u32 - 1;
            }
        }
        let k = f64::from(guards);
        let mut arcs = Vec::new();
        let mut target_arcs = vec![None; targets.len()];
        let mut target_nodes = vec![None; targets.len()];
        let post = site.post();
        let mut idle_route = Vec::with_capacity(2 * width);
        for slot in 0..=slots {
            for zone in 0..zones {
                let cell = zone * width + slot as usize;
                if node_in[cell] == NONE {
                    continue;
                }
                let (tail, head) = (node_in[cell], node_out[cell]);
                if target_at[cell] != NONE {
                    let t = target_at[cell] as usize;
                    target_arcs[t] = Some((arcs.len(), arcs.len() + 1));
                    target_nodes[t] = Some((tail, head));
                    arcs.push(Arc { tail, head, cap: 1.0, kind: ArcKind::Inspect(t) });
                    arcs.push(Arc { tail, head, cap: k, kind: ArcKind::Pass });
                    if zone == post {
                        idle_route.push(arcs.len() - 1);
                    }
                }
                if slot == slots {
                    continue;
                }
                let next = slot as usize + 1;
                for w in std::iter::once(zone).chain(site.neighbours(zone).iter().copied()) {
                    let to = node_in[w * width + next];
                    if to != NONE {
                        if zone == post && w == post {
                            idle_route.push(arcs.len());
                        }
                        arcs.push(Arc { tail: head, head: to, cap: k, kind: ArcKind::Move });
                    }
                }
            }
        }
        let source = node_in[post * width];
        let sink = node_out[post * width + slots as usize];
        let target_slots = targets.iter().map(|&(_, slot)| slot).collect();
        Self {
            node_count: place.len(),
            arcs,
            place,
            source,
            sink,
            target_arcs,
            target_nodes,
            target_slots,
            idle_route,
            guards,
        }
    }
}
