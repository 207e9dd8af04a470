//! A small Dinic max-flow over f64 capacities: breadth-first level graphs and blocking flows
//! found by an iterative depth-first search with current-arc pointers (no recursion, so a
//! 48-slot night of 200 zones cannot overflow a thread's stack). The graph is built once and
//! its capacities are reset for every level the equilibrium search tries (route/sse.rs).

/// Residual capacity at or below this is treated as zero. Capacities here are at most K and at
/// least the coverage lower bounds, all far above it.
pub(crate) const FLOW_EPS: f64 = 1e-13;

const UNSEEN: u32 = u32::MAX;

/// A directed graph with paired arcs (2i forward, 2i+1 its residual reverse).
#[derive(Debug, Clone)]
pub(crate) struct FlowGraph {
    to: Vec<u32>,
    residual: Vec<f64>,
    capacity: Vec<f64>,
    /// Arcs leaving node v: `out[start[v]..start[v + 1]]`.
    start: Vec<u32>,
    out: Vec<u32>,
    level: Vec<u32>,
    cursor: Vec<u32>,
}

/// Collects arcs before the adjacency arrays are laid out.
#[derive(Debug, Clone, Default)]
pub(crate) struct FlowGraphBuilder {
    nodes: usize,
    ends: Vec<(u32, u32)>,
    capacity: Vec<f64>,
}

impl FlowGraphBuilder {
    pub fn new(nodes: usize) -> Self {
        Self { nodes, ends: Vec::new(), capacity: Vec::new() }
    }

    /// Adds arc `tail → head` and returns its id (the forward arc of the pair).
    pub fn arc(&mut self, tail: u32, head: u32, capacity: f64) -> usize {
        self.ends.push((tail, head));
        self.capacity.push(capacity);
        2 * (self.ends.len() - 1)
    }

    pub fn build(self) -> FlowGraph {
        let mut to = Vec::with_capacity(2 * self.ends.len());
        let mut degree = vec![0_u32; self.nodes + 1];
        for &(tail, head) in &self.ends {
            to.push(head);
            to.push(tail);
            degree[tail as usize] += 1;
            degree[head as usize] += 1;
        }
        let mut start = vec![0_u32; self.nodes + 1];
        for v in 0..self.nodes {
            start[v + 1] = start[v] + degree[v];
        }
        let mut fill = start.clone();
        let mut out = vec![0_u32; to.len()];
        for (i, &(tail, head)) in self.ends.iter().enumerate() {
            out[fill[tail as usize] as usize] = (2 * i) as u32;
            fill[tail as usize] += 1;
            out[fill[head as usize] as usize] = (2 * i + 1) as u32;
            fill[head as usize] += 1;
        }
        let mut capacity = Vec::with_capacity(to.len());
        for &c in &self.capacity {
            capacity.push(c);
            capacity.push(0.0);
        }
        FlowGraph {
            to,
            residual: capacity.clone(),
            capacity,
            start,
            out,
            level: vec![UNSEEN; self.nodes],
            cursor: vec![0; self.nodes],
        }
    }
}

impl FlowGraph {
    /// Sets the capacity of forward arc `arc` (as returned by the builder); takes effect at the
    /// next [`FlowGraph::reset`].
    pub fn set_capacity(&mut self, arc: usize, capacity: f64) {
        self.capacity[arc] = capacity.max(0.0);
    }

    /// Clears all flow.
    pub fn reset(&mut self) {
        self.residual.copy_from_slice(&self.capacity);
    }

    /// Flow on forward arc `arc`.
    pub fn flow(&self, arc: usize) -> f64 {
        self.residual[arc ^ 1]
    }

    /// Increases the flow from `source` to `sink` to a maximum and returns the amount added.
    pub fn max_flow(&mut self, source: u32, sink: u32) -> f64 {
        let mut total = 0.0;
        while self.levels(source, sink) {
            total += self.blocking_flow(source, sink);
        }
        total
    }

    /// The source side of a minimum cut after [`FlowGraph::max_flow`]: nodes reachable from
    /// `source` in the residual graph.
    pub fn source_side(&self, source: u32) -> Vec<bool> {
        let mut seen = vec![false; self.level.len()];
        seen[source as usize] = true;
        let mut stack = vec![source];
        while let Some(v) = stack.pop() {
            for &e in self.arcs_of(v) {
                let w = self.to[e as usize] as usize;
                if !seen[w] && self.residual[e as usize] > FLOW_EPS {
                    seen[w] = true;
                    stack.push(w as u32);
                }
            }
        }
        seen
    }

    /// Tail and head of forward arc `arc`.
    pub fn ends(&self, arc: usize) -> (u32, u32) {
        (self.to[arc ^ 1], self.to[arc])
    }

    fn arcs_of(&self, v: u32) -> &[u32] {
        &self.out[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }

    fn levels(&mut self, source: u32, sink: u32) -> bool {
        self.level.fill(UNSEEN);
        self.level[source as usize] = 0;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(v) = queue.pop_front() {
            // Nodes at or past the sink's layer lead nowhere in this phase's level graph.
            if self.level[sink as usize] != UNSEEN && self.level[v as usize] >= self.level[sink as usize] {
                break;
            }
            let next = self.level[v as usize] + 1;
            for i in self.start[v as usize]..self.start[v as usize + 1] {
                let e = self.out[i as usize] as usize;
                let w = self.to[e] as usize;
                if self.level[w] == UNSEEN && self.residual[e] > FLOW_EPS {
                    self.level[w] = next;
                    queue.push_back(w as u32);
                }
            }
        }
        self.level[sink as usize] != UNSEEN
    }

    /// One blocking flow in the level graph: advance along current arcs, augment at the sink
    /// and retreat to the first saturated arc, or retreat from a dead end and block its node.
    fn blocking_flow(&mut self, source: u32, sink: u32) -> f64 {
        self.cursor.copy_from_slice(&self.start[..self.level.len()]);
        let mut path: Vec<u32> = Vec::new();
        let mut total = 0.0;
        let mut v = source;
        loop {
            if v == sink {
                let push = path.iter().map(|&e| self.residual[e as usize]).fold(f64::INFINITY, f64::min);
                let mut first_full = path.len();
                for (i, &e) in path.iter().enumerate() {
                    self.residual[e as usize] -= push;
                    self.residual[e as usize ^ 1] += push;
                    if first_full == path.len() && self.residual[e as usize] <= FLOW_EPS {
                        first_full = i;
                    }
                }
                total += push;
                path.truncate(first_full);
                v = path.last().map_or(source, |&e| self.to[e as usize]);
                continue;
            }
            let end = self.start[v as usize + 1];
            let mut advanced = false;
            while self.cursor[v as usize] < end {
                let e = self.out[self.cursor[v as usize] as usize];
                let w = self.to[e as usize];
                if self.residual[e as usize] > FLOW_EPS
                    && self.level[w as usize] != UNSEEN
                    && self.level[w as usize] == self.level[v as usize] + 1
                {
                    path.push(e);
                    v = w;
                    advanced = true;
                    break;
                }
                self.cursor[v as usize] += 1;
            }
            if advanced {
                continue;
            }
            // Dead end: nothing more passes through v in this phase.
            self.level[v as usize] = UNSEEN;
            let Some(e) = path.pop() else { break };
            v = self.to[e as usize ^ 1];
            self.cursor[v as usize] += 1;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_flow_equals_the_min_cut_of_a_small_network() {
        // s=0, t=3: 0→1 (3), 0→2 (2), 1→2 (1), 1→3 (2), 2→3 (3): max flow 5.
        let mut b = FlowGraphBuilder::new(4);
        b.arc(0, 1, 3.0);
        b.arc(0, 2, 2.0);
        b.arc(1, 2, 1.0);
        b.arc(1, 3, 2.0);
        b.arc(2, 3, 3.0);
        let mut g = b.build();
        assert!((g.max_flow(0, 3) - 5.0).abs() < 1e-12);
        let side = g.source_side(0);
        assert!(side[0] && !side[3]);
    }

    #[test]
    fn flow_needing_a_reverse_arc_is_found() {
        // The classic case where a greedy path 0→1→2→3 must be partly undone.
        let mut b = FlowGraphBuilder::new(4);
        b.arc(0, 1, 1.0);
        b.arc(0, 2, 1.0);
        let mid = b.arc(1, 2, 1.0);
        b.arc(1, 3, 1.0);
        b.arc(2, 3, 1.0);
        let mut g = b.build();
        assert!((g.max_flow(0, 3) - 2.0).abs() < 1e-12);
        assert!(g.flow(mid) >= 0.0);
    }

    #[test]
    fn capacities_can_be_reset_between_runs() {
        let mut b = FlowGraphBuilder::new(2);
        let a = b.arc(0, 1, 1.0);
        let mut g = b.build();
        assert!((g.max_flow(0, 1) - 1.0).abs() < 1e-12);
        g.set_capacity(a, 0.25);
        g.reset();
        assert!((g.max_flow(0, 1) - 0.25).abs() < 1e-12);
        assert!((g.flow(a) - 0.25).abs() < 1e-12);
    }
}
