//! Which site, zone and registered device a sender's device is (R9: the system knows what is
//! installed where).
//!
//! A rule binds an *address* filter — `source_instance/device`, e.g.
//! `site-042/frigate/cam_gate` — to a place. Filters follow MQTT topic-filter semantics: `+`
//! matches exactly one level, `#` (last level only) matches any number of levels including
//! none. A rule may also name a sender's zone (a Frigate zone, an Alarmo area), so one camera
//! watching two zones binds each to its own. The most specific matching rule wins: a matching
//! zone first, then more literal levels, then `+` over `#`, then the longer filter; on a full
//! tie, the rule added first.
//!
//! An event no rule binds is returned as [`Unmapped`] and collected in [`UnknownDevices`], so
//! a new camera nobody registered shows up on a list instead of vanishing.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::envelope::{DeviceEvent, Source};
use crate::{DeviceId, SiteId, ZoneId};

/// Longest filter accepted.
const MAX_FILTER: usize = 512;

/// Why a rule cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("the filter is empty")]
    Empty,
    #[error("the filter is longer than {MAX_FILTER} characters")]
    TooLong,
    #[error("'#' may only be the last level, alone")]
    HashNotLast,
    #[error("'+' and '#' must fill a whole level (level {level})")]
    WildcardInLevel { level: usize },
    #[error("a rule for {filter:?} with the same zone already exists")]
    Duplicate { filter: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Level {
    Exact(String),
    Plus,
    Hash,
}

/// How specific a filter is: literal levels, no `#`, number of levels (compared in order).
type Specificity = (usize, bool, usize);

/// An MQTT-style filter over device addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressFilter {
    text: String,
    levels: Vec<Level>,
}

impl AddressFilter {
    /// Parses a filter.
    ///
    /// # Errors
    /// [`MappingError`] for an empty or overlong filter or a misplaced wildcard.
    pub fn parse(text: &str) -> Result<Self, MappingError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(MappingError::Empty);
        }
        if text.chars().count() > MAX_FILTER {
            return Err(MappingError::TooLong);
        }
        let raw: Vec<&str> = text.split('/').collect();
        let mut levels = Vec::with_capacity(raw.len());
        for (i, l) in raw.iter().enumerate() {
            levels.push(match *l {
                "#" if i + 1 == raw.len() => Level::Hash,
                "#" => return Err(MappingError::HashNotLast),
                "+" => Level::Plus,
                l if l.contains(['+', '#']) => return Err(MappingError::WildcardInLevel { level: i + 1 }),
                l => Level::Exact(l.to_owned()),
            });
        }
        Ok(Self { text: text.to_owned(), levels })
    }

    /// The filter as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the filter has no wildcard.
    #[must_use]
    pub fn is_exact(&self) -> bool {
        self.levels.iter().all(|l| matches!(l, Level::Exact(_)))
    }

    /// Whether `address` matches.
    #[must_use]
    pub fn matches(&self, address: &str) -> bool {
        let mut parts = address.split('/');
        for level in &self.levels {
            match level {
                Level::Hash => return true,
                Level::Plus => {
                    if parts.next().is_none() {
                        return false;
                    }
                }
                Level::Exact(want) => {
                    if parts.next() != Some(want.as_str()) {
                        return false;
                    }
                }
            }
        }
        parts.next().is_none()
    }

    /// Higher is more specific: literal levels, then no `#`, then more levels.
    fn specificity(&self) -> Specificity {
        let literal = self.levels.iter().filter(|l| matches!(l, Level::Exact(_))).count();
        (literal, !self.levels.contains(&Level::Hash), self.levels.len())
    }
}

/// Where a device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Binding {
    pub site_id: SiteId,
    pub zone_id: ZoneId,
    /// The registered device, when it is in the registry.
    pub device_id: Option<DeviceId>,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub filter: AddressFilter,
    /// Only events in this sender zone (compared exactly).
    pub zone_hint: Option<String>,
    pub binding: Binding,
}

/// An event's place, and which rule gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub binding: Binding,
    /// The position of the rule in the table.
    pub rule: usize,
    /// Whether the rule named the device exactly (no wildcard).
    pub exact: bool,
}

/// An event no rule binds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmapped {
    pub address: String,
    pub source: Source,
    pub zone_hint: Option<String>,
    pub received_at: Timestamp,
}

/// The binding table of one installation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappingTable {
    rules: Vec<Rule>,
}

impl MappingTable {
    /// An empty table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The rules in the order they were added.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Adds a rule.
    ///
    /// # Errors
    /// A bad filter, or the same filter and zone twice (the second would never apply).
    pub fn add(&mut self, filter: &str, zone_hint: Option<&str>, binding: Binding) -> Result<(), MappingError> {
        let filter = AddressFilter::parse(filter)?;
        let zone_hint = zone_hint.map(str::trim).filter(|z| !z.is_empty()).map(str::to_owned);
        if self.rules.iter().any(|r| r.filter == filter && r.zone_hint == zone_hint) {
            return Err(MappingError::Duplicate { filter: filter.text });
        }
        self.rules.push(Rule { filter, zone_hint, binding });
        Ok(())
    }

    /// The most specific rule for an address whose sender zones are `zones`.
    #[must_use]
    pub fn resolve_address(&self, address: &str, zones: &[&str]) -> Option<Placement> {
        let mut best: Option<(usize, (bool, Specificity))> = None;
        for (i, rule) in self.rules.iter().enumerate() {
            let zone_match = match &rule.zone_hint {
                Some(z) if zones.contains(&z.as_str()) => true,
                Some(_) => continue,
                None => false,
            };
            if !rule.filter.matches(address) {
                continue;
            }
            let score = (zone_match, rule.filter.specificity());
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| Placement { binding: self.rules[i].binding, rule: i, exact: self.rules[i].filter.is_exact() })
    }

    /// Where `event` happened, from its address and its sender zones (the zone hint and, for a
    /// camera, the zones the object is in or entered).
    ///
    /// # Errors
    /// [`Unmapped`] when no rule matches: report it, do not drop it.
    pub fn resolve(&self, event: &DeviceEvent) -> Result<Placement, Unmapped> {
        let mut zones: Vec<&str> = event.zone_hint.iter().map(String::as_str).collect();
        if let Some(cam) = &event.camera {
            zones.extend(cam.current_zones.iter().chain(&cam.entered_zones).map(String::as_str));
        }
        let address = event.address();
        self.resolve_address(&address, &zones).ok_or_else(|| Unmapped {
            address,
            source: event.source,
            zone_hint: event.zone_hint.clone(),
            received_at: event.received_at,
        })
    }
}

/// A device heard from that no rule binds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownDevice {
    pub address: String,
    pub source: Source,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub count: u64,
    /// The sender zones seen with it, at most [`UnknownDevices::MAX_HINTS`].
    pub zone_hints: Vec<String>,
}

/// The unknown devices of an installation, by address: what an administrator has to bind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownDevices {
    by_address: BTreeMap<String, UnknownDevice>,
}

impl UnknownDevices {
    /// Most sender zones remembered per device.
    pub const MAX_HINTS: usize = 8;
    /// Most devices remembered; later ones are counted in [`Self::dropped`] only.
    pub const MAX_DEVICES: usize = 1000;

    /// Records one unmapped event.
    pub fn record(&mut self, u: &Unmapped) {
        if let Some(d) = self.by_address.get_mut(&u.address) {
            d.count += 1;
            d.first_seen = d.first_seen.min(u.received_at);
            d.last_seen = d.last_seen.max(u.received_at);
            if let Some(z) = &u.zone_hint
                && !d.zone_hints.contains(z)
                && d.zone_hints.len() < Self::MAX_HINTS
            {
                d.zone_hints.push(z.clone());
            }
            return;
        }
        if self.by_address.len() >= Self::MAX_DEVICES {
            self.by_address.entry(String::new()).or_insert_with(|| UnknownDevice {
                address: String::new(),
                source: u.source,
                first_seen: u.received_at,
                last_seen: u.received_at,
                count: 0,
                zone_hints: Vec::new(),
            });
            if let Some(overflow) = self.by_address.get_mut("") {
                overflow.count += 1;
                overflow.last_seen = overflow.last_seen.max(u.received_at);
            }
            return;
        }
        self.by_address.insert(
            u.address.clone(),
            UnknownDevice {
                address: u.address.clone(),
                source: u.source,
                first_seen: u.received_at,
                last_seen: u.received_at,
                count: 1,
                zone_hints: u.zone_hint.iter().cloned().collect(),
            },
        );
    }

    /// The unknown devices, most recently heard first (the overflow entry excluded).
    #[must_use]
    pub fn list(&self) -> Vec<&UnknownDevice> {
        let mut v: Vec<&UnknownDevice> = self.by_address.values().filter(|d| !d.address.is_empty()).collect();
        v.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then_with(|| a.address.cmp(&b.address)));
        v
    }

    /// Events from devices beyond [`Self::MAX_DEVICES`].
    #[must_use]
    pub fn dropped(&self) -> u64 {
        self.by_address.get("").map_or(0, |d| d.count)
    }

    /// Forgets a device once it has been bound.
    pub fn forget(&mut self, address: &str) {
        self.by_address.remove(address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarm::envelope::{CameraDetail, EventKind, Phase, sample};
    use uuid::Uuid;

    fn place(n: u128) -> Binding {
        Binding { site_id: SiteId(Uuid::from_u128(1)), zone_id: ZoneId(Uuid::from_u128(n)), device_id: None }
    }

    #[test]
    fn mqtt_wildcards_match_as_in_mqtt() {
        let f = |s: &str| AddressFilter::parse(s).unwrap();
        assert!(f("site/+/cam1").matches("site/frigate/cam1"));
        assert!(!f("site/+/cam1").matches("site/cam1"));
        assert!(f("site/#").matches("site/frigate/cam1"));
        assert!(f("site/#").matches("site"));
        assert!(!f("site/#").matches("other/x"));
        assert!(f("+/+").matches("a/"));
        assert!(!f("a/b").matches("a/b/c"));
        assert!(f("#").matches("anything/at/all"));
    }

    #[test]
    fn misplaced_wildcards_are_refused() {
        assert_eq!(AddressFilter::parse("a/#/b"), Err(MappingError::HashNotLast));
        assert_eq!(AddressFilter::parse("a/cam+"), Err(MappingError::WildcardInLevel { level: 2 }));
        assert_eq!(AddressFilter::parse("a/b#"), Err(MappingError::WildcardInLevel { level: 2 }));
        assert_eq!(AddressFilter::parse("  "), Err(MappingError::Empty));
        assert_eq!(AddressFilter::parse(&"a".repeat(600)), Err(MappingError::TooLong));
    }

    #[test]
    fn the_most_specific_rule_wins_whatever_the_order() {
        let mut t = MappingTable::new();
        t.add("site-042/#", None, place(1)).unwrap();
        t.add("site-042/frigate/+", None, place(2)).unwrap();
        t.add("site-042/frigate/cam_kho", None, place(3)).unwrap();
        t.add("+/frigate/cam_kho", None, place(4)).unwrap();
        let z = |a: &str| t.resolve_address(a, &[]).map(|p| p.binding.zone_id.0.as_u128());
        assert_eq!(z("site-042/frigate/cam_kho"), Some(3));
        assert_eq!(z("site-042/frigate/cam_gate"), Some(2));
        assert_eq!(z("site-042/alarmo/binary_sensor.x"), Some(1));
        assert_eq!(z("site-043/frigate/cam_kho"), Some(4));
        assert_eq!(z("site-043/frigate/cam_gate"), None);
        assert!(t.resolve_address("site-042/frigate/cam_kho", &[]).unwrap().exact);
    }

    #[test]
    fn plus_beats_hash_at_equal_literals_and_the_first_rule_breaks_ties() {
        let mut t = MappingTable::new();
        t.add("s/frigate/#", None, place(1)).unwrap();
        t.add("s/+/cam1", None, place(2)).unwrap();
        t.add("s/+/cam2", None, place(5)).unwrap();
        t.add("+/frigate/cam2", None, place(6)).unwrap();
        assert_eq!(t.resolve_address("s/frigate/cam1", &[]).unwrap().binding.zone_id.0.as_u128(), 2);
        assert_eq!(t.resolve_address("s/frigate/cam2", &[]).unwrap().rule, 2);
    }

    #[test]
    fn a_camera_watching_two_zones_binds_each_zone() {
        let mut t = MappingTable::new();
        t.add("frigate/cam_yard", None, place(1)).unwrap();
        t.add("frigate/cam_yard", Some("kho_door"), place(2)).unwrap();
        assert!(matches!(t.add("frigate/cam_yard", Some("kho_door"), place(9)), Err(MappingError::Duplicate { .. })));
        let mut e = sample(EventKind::PersonDetected, "cam_yard", Phase::New, "2026-11-21T18:30:00Z");
        e.source_instance = "frigate".into();
        assert_eq!(t.resolve(&e).unwrap().binding.zone_id.0.as_u128(), 1);
        e.camera = Some(CameraDetail { entered_zones: vec!["kho_door".into()], ..CameraDetail::default() });
        assert_eq!(t.resolve(&e).unwrap().binding.zone_id.0.as_u128(), 2);
    }

    #[test]
    fn unknown_devices_are_reported_and_counted() {
        let t = MappingTable::new();
        let mut unknown = UnknownDevices::default();
        for (dev, at) in
            [("cam_new", "2026-11-21T18:30:00Z"), ("cam_new", "2026-11-21T18:35:00Z"), ("pir", "2026-11-21T18:31:00Z")]
        {
            let mut e = sample(EventKind::Motion, dev, Phase::New, at);
            e.zone_hint = Some("san".into());
            let u = t.resolve(&e).unwrap_err();
            assert_eq!(u.address, format!("baove/{dev}"));
            unknown.record(&u);
        }
        let list = unknown.list();
        assert_eq!(list.len(), 2);
        assert_eq!((list[0].address.as_str(), list[0].count), ("baove/cam_new", 2));
        assert_eq!(list[0].first_seen.to_string(), "2026-11-21T18:30:00Z");
        assert_eq!(list[0].zone_hints, ["san"]);
        unknown.forget("baove/cam_new");
        assert_eq!(unknown.list().len(), 1);
    }

    #[test]
    fn a_flood_of_unknown_devices_is_bounded() {
        let mut unknown = UnknownDevices::default();
        let at: Timestamp = "2026-11-21T18:30:00Z".parse().unwrap();
        for i in 0..(UnknownDevices::MAX_DEVICES + 50) {
            unknown.record(&Unmapped {
                address: format!("x/{i}"),
                source: Source::Generic,
                zone_hint: None,
                received_at: at,
            });
        }
        assert_eq!(unknown.list().len(), UnknownDevices::MAX_DEVICES);
        assert_eq!(unknown.dropped(), 50);
    }
}
