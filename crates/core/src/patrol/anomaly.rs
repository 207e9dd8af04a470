//! Anomalies of scans (flag, don't reject): impossible travel between consecutive checkpoints,
//! a phone clock far from the server's, a SUN counter that jumped (taps harvested in advance),
//! the same checkpoint from two devices at once.

use std::collections::{BinaryHeap, HashMap};

use jiff::{SignedDuration, Timestamp};

use super::scan::Flag;
use crate::ZoneId;

/// Walking a link faster than this fraction of its usual time is not credible, even running.
pub const TRAVEL_FACTOR: f64 = 0.5;
/// A phone clock this far from the server's at sync time is flagged.
pub const MAX_SKEW: SignedDuration = SignedDuration::from_secs(120);
/// Two devices scanning the same checkpoint within this span is flagged.
pub const TWO_DEVICE_SPAN: SignedDuration = SignedDuration::from_mins(10);

/// Walking times between zones of a site (the layout), in seconds, symmetric.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    links: HashMap<ZoneId, Vec<(ZoneId, i64)>>,
}

impl Layout {
    /// Adds a walkway between two zones taking `seconds` to walk.
    pub fn link(&mut self, a: ZoneId, b: ZoneId, seconds: i64) {
        self.links.entry(a).or_default().push((b, seconds));
        self.links.entry(b).or_default().push((a, seconds));
    }

    /// The shortest walking time from `a` to `b` (Dijkstra), or `None` when not connected.
    #[must_use]
    pub fn walk_seconds(&self, a: ZoneId, b: ZoneId) -> Option<i64> {
        if a == b {
            return Some(0);
        }
        let mut best: HashMap<ZoneId, i64> = HashMap::from([(a, 0)]);
        let mut heap = BinaryHeap::from([(std::cmp::Reverse(0i64), a)]);
        while let Some((std::cmp::Reverse(d), z)) = heap.pop() {
            if z == b {
                return Some(d);
            }
            if best.get(&z).is_some_and(|&known| d > known) {
                continue;
            }
            for &(next, w) in self.links.get(&z).into_iter().flatten() {
                let nd = d + w;
                if best.get(&next).is_none_or(|&known| nd < known) {
                    best.insert(next, nd);
                    heap.push((std::cmp::Reverse(nd), next));
                }
            }
        }
        None
    }
}

/// Whether going from a scan in zone `from` at `t0` to one in zone `to` at `t1` is faster than
/// anyone can walk it. Unconnected zones are not judged.
#[must_use]
pub fn impossible_travel(layout: &Layout, from: (ZoneId, Timestamp), to: (ZoneId, Timestamp)) -> Option<Flag> {
    let walk = layout.walk_seconds(from.0, to.0)?;
    let elapsed = to.1.duration_since(from.1).abs().as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let fastest = walk as f64 * TRAVEL_FACTOR;
    (elapsed < fastest).then_some(Flag::ImpossibleTravel)
}

/// The phone's clock offset at sync: what it said the time was minus the server's time.
#[must_use]
pub fn clock_skew(device_now: Timestamp, server_now: Timestamp) -> Option<Flag> {
    (device_now.duration_since(server_now).abs() > MAX_SKEW).then_some(Flag::ClockSkew)
}

/// A SUN counter that rose by more than one since the tag's last accepted tap: taps were made
/// and not submitted (harvested in advance, or a supervisor's spot check).
#[must_use]
pub fn counter_jump(jump: u32) -> Option<Flag> {
    (jump > 1).then_some(Flag::CounterJump)
}

/// The same checkpoint scanned by another device within [`TWO_DEVICE_SPAN`].
#[must_use]
pub fn two_devices(device: &str, at: Timestamp, others: &[(String, Timestamp)]) -> Option<Flag> {
    others.iter().any(|(d, t)| d != device && t.duration_since(at).abs() <= TWO_DEVICE_SPAN).then_some(Flag::TwoDevices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(hms: &str) -> Timestamp {
        format!("2026-11-21T{hms}Z").parse().unwrap()
    }

    #[test]
    fn walking_times_follow_the_shortest_path() {
        let (gate, hall, vault, far) = (ZoneId::mint(), ZoneId::mint(), ZoneId::mint(), ZoneId::mint());
        let mut l = Layout::default();
        l.link(gate, hall, 60);
        l.link(hall, vault, 90);
        l.link(gate, vault, 400);
        assert_eq!(l.walk_seconds(gate, vault), Some(150));
        assert_eq!(l.walk_seconds(vault, gate), Some(150));
        assert_eq!(l.walk_seconds(gate, far), None);
    }

    #[test]
    fn crossing_the_site_in_seconds_is_impossible_travel() {
        let (gate, vault) = (ZoneId::mint(), ZoneId::mint());
        let mut l = Layout::default();
        l.link(gate, vault, 300);
        assert_eq!(impossible_travel(&l, (gate, t("01:00:00")), (vault, t("01:00:40"))), Some(Flag::ImpossibleTravel));
        assert_eq!(impossible_travel(&l, (gate, t("01:00:00")), (vault, t("01:04:00"))), None);
    }

    #[test]
    fn a_phone_clock_off_by_minutes_is_flagged() {
        assert_eq!(clock_skew(t("01:05:00"), t("01:00:00")), Some(Flag::ClockSkew));
        assert_eq!(clock_skew(t("01:00:30"), t("01:00:00")), None);
    }

    #[test]
    fn counter_jumps_and_second_devices_are_flagged() {
        assert_eq!(counter_jump(1), None);
        assert_eq!(counter_jump(5), Some(Flag::CounterJump));
        let others = vec![("phone-2".to_owned(), t("01:03:00"))];
        assert_eq!(two_devices("phone-1", t("01:00:00"), &others), Some(Flag::TwoDevices));
        assert_eq!(two_devices("phone-2", t("01:00:00"), &others), None);
        assert_eq!(two_devices("phone-1", t("01:30:00"), &others), None);
    }
}
