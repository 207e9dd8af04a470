//! The site graph of the route model (notes §4.2): zones, the undirected walking edges between
//! them (one slot to walk each), and the guard post where every route starts and ends. Built
//! once from outside input and checked there; afterwards zones are plain indices.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::GameError;

/// A checked site: unique non-empty zone ids, edges between known distinct zones given once,
/// every zone connected to the post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    zones: Vec<String>,
    index: HashMap<String, usize>,
    neighbours: Vec<Vec<usize>>,
    post: usize,
    /// Walking distance from the post, in slots (breadth-first search).
    distance: Vec<u32>,
}

impl Site {
    /// Checks and builds a site.
    ///
    /// # Errors
    /// [`GameError::EmptyId`], [`GameError::DuplicateZone`], [`GameError::UnknownZone`] (for the post or
    /// an edge), [`GameError::SelfLoop`], [`GameError::DuplicateEdge`],
    /// [`GameError::PostDisconnected`] naming the first zone no walk from the post reaches.
    pub fn new(zones: Vec<String>, edges: Vec<(String, String)>, post: &str) -> Result<Self, GameError> {
        let mut index = HashMap::with_capacity(zones.len());
        for (i, zone) in zones.iter().enumerate() {
            if zone.is_empty() {
                return Err(GameError::EmptyId { place: "zone" });
            }
            if index.insert(zone.clone(), i).is_some() {
                return Err(GameError::DuplicateZone { zone: zone.clone() });
            }
        }
        let post_index =
            *index.get(post).ok_or_else(|| GameError::UnknownZone { zone: post.to_owned(), place: "post" })?;
        let mut neighbours = vec![Vec::new(); zones.len()];
        let mut seen = HashSet::with_capacity(edges.len());
        for (a, b) in edges {
            let ia = *index.get(&a).ok_or_else(|| GameError::UnknownZone { zone: a.clone(), place: "edge" })?;
            let ib = *index.get(&b).ok_or_else(|| GameError::UnknownZone { zone: b.clone(), place: "edge" })?;
            if ia == ib {
                return Err(GameError::SelfLoop { zone: a });
            }
            if !seen.insert((ia.min(ib), ia.max(ib))) {
                return Err(GameError::DuplicateEdge { a, b });
            }
            neighbours[ia].push(ib);
            neighbours[ib].push(ia);
        }
        let distance = distances(&neighbours, post_index);
        if let Some(far) = distance.iter().position(|&d| d == u32::MAX) {
            return Err(GameError::PostDisconnected { post: post.to_owned(), zone: zones[far].clone() });
        }
        Ok(Self { zones, index, neighbours, post: post_index, distance })
    }

    #[must_use]
    pub fn zone_count(&self) -> usize {
        self.zones.len()
    }

    /// The id of zone `zone`. Panics on an index past [`Site::zone_count`].
    #[must_use]
    pub fn zone_id(&self, zone: usize) -> &str {
        &self.zones[zone]
    }

    #[must_use]
    pub fn zone_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The guard post's zone index.
    #[must_use]
    pub fn post(&self) -> usize {
        self.post
    }

    #[must_use]
    pub fn neighbours(&self, zone: usize) -> &[usize] {
        &self.neighbours[zone]
    }

    /// Slots needed to walk from the post to `zone`.
    #[must_use]
    pub fn distance_from_post(&self, zone: usize) -> u32 {
        self.distance[zone]
    }

    /// Whether a closed route over a night of `slots` slots can be at `zone` at `slot`: it must
    /// have walked there from the post and must still be able to walk back (notes §4.3
    /// "Reachability matters").
    #[must_use]
    pub fn reachable(&self, zone: usize, slot: u32, slots: u32) -> bool {
        slot <= slots && self.distance[zone] <= slot.min(slots - slot)
    }
}

fn distances(neighbours: &[Vec<usize>], from: usize) -> Vec<u32> {
    let mut distance = vec![u32::MAX; neighbours.len()];
    distance[from] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        for &w in &neighbours[v] {
            if distance[w] == u32::MAX {
                distance[w] = distance[v] + 1;
                queue.push_back(w);
            }
        }
    }
    distance
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn edge(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn distances_follow_the_shortest_walk_from_the_post() {
        let site =
            Site::new(ids(&["gate", "yard", "store"]), vec![edge("gate", "yard"), edge("yard", "store")], "gate")
                .unwrap();
        assert_eq!(site.distance_from_post(2), 2);
        assert!(!site.reachable(2, 1, 6));
        assert!(site.reachable(2, 2, 6) && site.reachable(2, 4, 6));
        assert!(!site.reachable(2, 5, 6));
    }

    #[test]
    fn a_zone_no_walk_reaches_is_rejected() {
        let err = Site::new(ids(&["gate", "yard", "island"]), vec![edge("gate", "yard")], "gate").unwrap_err();
        assert_eq!(err, GameError::PostDisconnected { post: "gate".into(), zone: "island".into() });
    }

    #[test]
    fn a_post_without_edges_is_disconnected_from_the_other_zones() {
        let err = Site::new(ids(&["gate", "yard"]), vec![], "gate").unwrap_err();
        assert!(matches!(err, GameError::PostDisconnected { .. }));
    }

    #[test]
    fn duplicate_zones_unknown_zones_loops_and_repeated_edges_are_rejected() {
        assert_eq!(
            Site::new(ids(&["a", "a"]), vec![], "a").unwrap_err(),
            GameError::DuplicateZone { zone: "a".into() }
        );
        assert_eq!(
            Site::new(ids(&["a"]), vec![], "b").unwrap_err(),
            GameError::UnknownZone { zone: "b".into(), place: "post" }
        );
        assert_eq!(
            Site::new(ids(&["a", "b"]), vec![edge("a", "c")], "a").unwrap_err(),
            GameError::UnknownZone { zone: "c".into(), place: "edge" }
        );
        assert_eq!(
            Site::new(ids(&["a", "b"]), vec![edge("a", "a")], "a").unwrap_err(),
            GameError::SelfLoop { zone: "a".into() }
        );
        assert_eq!(
            Site::new(ids(&["a", "b"]), vec![edge("a", "b"), edge("b", "a")], "a").unwrap_err(),
            GameError::DuplicateEdge { a: "b".into(), b: "a".into() }
        );
        assert_eq!(Site::new(ids(&["a", ""]), vec![], "a").unwrap_err(), GameError::EmptyId { place: "zone" });
    }
}
