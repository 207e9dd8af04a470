//! The alarm rules as a pure state machine: each placed device event goes into an
//! [`AlarmBook`], which answers with one [`Decision`].
//!
//! - **Triggers.** Door open or forced, motion, a detected person and intrusion raise an alarm
//!   in an armed zone; smoke, panic and tamper raise one whether the zone is armed or not.
//! - **One happening, one alarm.** An event whose identity (or, for a Frigate review, one of
//!   the events it covers) belongs to an alarm enriches that alarm instead of raising another:
//!   Frigate's `update` and `end`, and every repeated delivery.
//! - **Reactivation.** The same device triggering again within the zone's reactivation time of
//!   its open alarm adds to that alarm's count.
//! - **Double knock.** In a zone so configured, one sensor alone is only a *pre-alarm*; the
//!   alarm is raised when a *different* sensor of the zone triggers within the window.
//! - **Restoration.** A forced door and a tamper must be restored (door closed, cover shut)
//!   before the alarm can be acknowledged.
//! - **Entry delay.** A trigger announcing an entry delay (Alarmo) raises an alarm that a
//!   disarm of the same panel within the delay cancels.
//!
//! Windows are measured on `received_at` (the server clock): device clocks drift.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::envelope::{DeviceEvent, EventKind, Identity, Phase};
use super::lifecycle::{Alarm, AlarmId, AlarmState, Priority};
use super::mapping::Binding;
use crate::ZoneId;

/// How a zone treats alarms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZoneRules {
    /// The zone's sensitivity, 1 (low) to 5 (a vault), as in the registry.
    pub sensitivity: u8,
    /// Repeats of one device within this many seconds of its open alarm's last event fold
    /// into it.
    pub reactivation_secs: i64,
    /// If set, the double-knock window in seconds.
    pub double_knock_secs: Option<i64>,
    /// Camera events scoring below this (0..=1) are ignored.
    pub min_camera_score: Option<f64>,
}

impl Default for ZoneRules {
    fn default() -> Self {
        Self { sensitivity: 3, reactivation_secs: 120, double_knock_secs: None, min_camera_score: None }
    }
}

/// Whether `kind` can raise an alarm at all.
#[must_use]
pub fn is_trigger(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::DoorOpen
            | EventKind::DoorForced
            | EventKind::Motion
            | EventKind::PersonDetected
            | EventKind::Intrusion
            | EventKind::Smoke
            | EventKind::Panic
            | EventKind::Tamper
    )
}

/// Whether `kind` raises an alarm armed or not (life safety and sabotage).
#[must_use]
pub fn always_raises(kind: EventKind) -> bool {
    matches!(kind, EventKind::Smoke | EventKind::Panic | EventKind::Tamper)
}

/// Whether an alarm of `kind` must be restored before acknowledgement.
#[must_use]
pub fn needs_restore(kind: EventKind) -> bool {
    matches!(kind, EventKind::DoorForced | EventKind::Tamper)
}

/// The priority of an alarm of `kind` in a zone of `sensitivity`: by kind, one up in a zone of
/// sensitivity 4–5, one down in a zone of 1 — but panic and smoke are never lowered.
#[must_use]
pub fn priority(kind: EventKind, sensitivity: u8) -> Priority {
    let base = match kind {
        EventKind::Panic | EventKind::Smoke => Priority::Critical,
        EventKind::DoorForced | EventKind::Intrusion => Priority::High,
        EventKind::Tamper | EventKind::PersonDetected | EventKind::DoorOpen => Priority::Medium,
        _ => Priority::Low,
    };
    match sensitivity {
        4.. => base.raised(),
        0 | 1 if base != Priority::Critical => base.lowered(),
        _ => base,
    }
}

/// A single sensor's trigger in a double-knock zone, waiting for a second sensor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knock {
    pub zone_id: ZoneId,
    pub site_id: crate::SiteId,
    /// The device's address.
    pub device: String,
    pub kind: EventKind,
    pub at: Timestamp,
    pub expires_at: Timestamp,
    pub identity: Identity,
}

/// Why an event changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// The kind never raises an alarm (arming changes, faults, vehicles, other).
    NotATrigger,
    /// A trigger in a disarmed zone.
    Disarmed,
    /// A camera event below the zone's score threshold.
    BelowScore,
    /// The happening's alarm is closed already.
    AlarmClosed,
    /// An end or restore with no alarm to apply it to.
    NothingOpen,
}

/// What an event did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    /// A new alarm, with the id the caller supplied.
    Raised {
        alarm: AlarmId,
    },
    /// A repeat folded into an open alarm; `count` is its trigger count now.
    Repeated {
        alarm: AlarmId,
        count: u32,
    },
    /// An update of the happening of an alarm.
    Enriched {
        alarm: AlarmId,
    },
    /// The restoring event of an alarm that needed one.
    Restored {
        alarm: AlarmId,
    },
    /// A disarm within the entry delay cancelled these alarms.
    Cancelled {
        alarms: Vec<AlarmId>,
    },
    /// One sensor of a double-knock zone: recorded, no alarm yet.
    PreAlarm {
        knock: Knock,
    },
    Ignored {
        why: Skip,
    },
}

/// The alarms of an installation and the pending knocks: the whole state of the rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlarmBook {
    pub alarms: Vec<Alarm>,
    pub knocks: Vec<Knock>,
}

impl AlarmBook {
    /// The alarm with `id`.
    #[must_use]
    pub fn get(&self, id: AlarmId) -> Option<&Alarm> {
        self.alarms.iter().find(|a| a.id == id)
    }

    /// The alarm with `id`, to acknowledge or close it.
    pub fn get_mut(&mut self, id: AlarmId) -> Option<&mut Alarm> {
        self.alarms.iter_mut().find(|a| a.id == id)
    }

    /// The alarms not yet closed.
    pub fn unclosed(&self) -> impl Iterator<Item = &Alarm> {
        self.alarms.iter().filter(|a| a.state != AlarmState::Closed)
    }

    /// Forgets alarms closed before `before` (they live on in the store).
    pub fn prune(&mut self, before: Timestamp) {
        self.alarms.retain(|a| a.closed_at.is_none_or(|c| c >= before));
        self.knocks.retain(|k| k.expires_at >= before);
    }

    /// Applies one event at its place. `armed` is the zone's arming at the event's arrival
    /// ([`super::arming::is_armed`]); `new_id` is used only when an alarm is raised.
    pub fn handle(
        &mut self,
        event: &DeviceEvent,
        place: &Binding,
        zone: &ZoneRules,
        armed: bool,
        new_id: AlarmId,
    ) -> Decision {
        let now = event.received_at;
        let address = event.address();
        self.knocks.retain(|k| k.expires_at >= now);

        // The same happening: enrich, whatever the phase.
        let ids = event.identities();
        if let Some(alarm) = self.alarms.iter_mut().find(|a| a.identities.iter().any(|i| ids.contains(i))) {
            if alarm.state == AlarmState::Closed {
                return Decision::Ignored { why: Skip::AlarmClosed };
            }
            return enrich(alarm, event, &address, &ids, zone);
        }

        let restoring = event.kind == EventKind::DoorClosed || event.phase == Phase::End;
        if restoring {
            let found = self.alarms.iter_mut().find(|a| {
                a.state != AlarmState::Closed
                    && a.needs_restore
                    && a.restored_at.is_none()
                    && a.zone_id == place.zone_id
                    && a.devices.contains(&address)
            });
            return match found {
                Some(a) => {
                    a.restored_at = Some(now);
                    a.last_at = a.last_at.max(now);
                    Decision::Restored { alarm: a.id }
                }
                None => Decision::Ignored { why: Skip::NothingOpen },
            };
        }

        if event.kind == EventKind::ArmingChanged {
            if event.panel_state.and_then(|p| p.armed()) != Some(false) {
                return Decision::Ignored { why: Skip::NotATrigger };
            }
            let mut cancelled = Vec::new();
            for a in &mut self.alarms {
                let same_panel = a.identities.iter().any(|i| i.source_instance == event.source_instance);
                if same_panel && a.site_id == place.site_id && a.cancel(now, "disarmed within the entry delay").is_ok()
                {
                    cancelled.push(a.id);
                }
            }
            return if cancelled.is_empty() {
                Decision::Ignored { why: Skip::NotATrigger }
            } else {
                Decision::Cancelled { alarms: cancelled }
            };
        }

        if !is_trigger(event.kind) {
            return Decision::Ignored { why: Skip::NotATrigger };
        }
        let always = always_raises(event.kind);
        if !always && !armed {
            return Decision::Ignored { why: Skip::Disarmed };
        }
        if let (Some(min), Some(score)) = (zone.min_camera_score, event.camera.as_ref().and_then(|c| c.best_score()))
            && score < min
        {
            return Decision::Ignored { why: Skip::BelowScore };
        }

        let reactivation = SignedDuration::from_secs(zone.reactivation_secs.max(0));
        let knocking = zone.double_knock_secs.filter(|_| !always);
        let prio = priority(event.kind, zone.sensitivity);
        // A repeat of a device of an open alarm; in a double-knock zone, any sensor of the
        // zone while it is in alarm.
        if let Some(a) = self.alarms.iter_mut().find(|a| {
            a.state == AlarmState::Open
                && a.zone_id == place.zone_id
                && (a.devices.contains(&address) || knocking.is_some())
                && now.duration_since(a.last_at) <= reactivation
        }) {
            a.triggers = a.triggers.saturating_add(1);
            a.last_at = a.last_at.max(now);
            a.priority = a.priority.max(prio);
            if !a.devices.contains(&address) {
                a.devices.push(address);
            }
            push_identities(a, &ids);
            return Decision::Repeated { alarm: a.id, count: a.triggers };
        }

        let mut alarm = raise(event, place, prio, new_id, &address);
        if let Some(window) = knocking {
            let first = self.knocks.iter().position(|k| k.zone_id == place.zone_id && k.device != address);
            let Some(i) = first else {
                self.knocks.retain(|k| !(k.zone_id == place.zone_id && k.device == address));
                let knock = Knock {
                    zone_id: place.zone_id,
                    site_id: place.site_id,
                    device: address,
                    kind: event.kind,
                    at: now,
                    expires_at: later(now, window),
                    identity: event.identity(),
                };
                self.knocks.push(knock.clone());
                return Decision::PreAlarm { knock };
            };
            let k = self.knocks.remove(i);
            self.knocks.retain(|x| x.zone_id != place.zone_id);
            alarm.first_at = k.at;
            alarm.triggers = 2;
            alarm.devices.insert(0, k.device);
            alarm.identities.insert(0, k.identity);
        }
        self.alarms.push(alarm);
        Decision::Raised { alarm: new_id }
    }
}

/// `secs` after `t`, saturating: windows come from configuration and must not overflow.
fn later(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs.max(0))).unwrap_or(Timestamp::MAX)
}

fn push_identities(alarm: &mut Alarm, ids: &[Identity]) {
    for id in ids {
        if !alarm.identities.contains(id) {
            alarm.identities.push(id.clone());
        }
    }
}

fn raise(event: &DeviceEvent, place: &Binding, priority: Priority, id: AlarmId, address: &str) -> Alarm {
    let now = event.received_at;
    Alarm {
        id,
        site_id: place.site_id,
        zone_id: place.zone_id,
        kind: event.kind,
        priority,
        state: AlarmState::Open,
        devices: vec![address.to_owned()],
        identities: event.identities(),
        triggers: 1,
        updates: 0,
        first_at: now,
        last_at: now,
        occurred_at: event.occurred_at,
        needs_restore: needs_restore(event.kind),
        restored_at: None,
        pending_until: event.entry_delay_secs.map(|d| later(now, i64::from(d))),
        ended_at: None,
        camera: event.camera.clone(),
        snapshot: event.snapshot.clone(),
        acknowledgement: None,
        closed_at: None,
        cancellation: None,
    }
}

/// Folds an update of the alarm's own happening into it.
fn enrich(alarm: &mut Alarm, event: &DeviceEvent, address: &str, ids: &[Identity], zone: &ZoneRules) -> Decision {
    let now = event.received_at;
    alarm.updates = alarm.updates.saturating_add(1);
    alarm.last_at = alarm.last_at.max(now);
    push_identities(alarm, ids);
    if is_trigger(event.kind) {
        alarm.priority = alarm.priority.max(priority(event.kind, zone.sensitivity));
    }
    if let Some(new) = &event.camera {
        alarm.camera = Some(match alarm.camera.take() {
            // A review says less about the object than the event does: keep what we knew.
            Some(old) if new.review_severity.is_some() && old.review_severity.is_none() => old,
            Some(old) => {
                let mut merged = new.clone();
                merged.top_score = match (old.best_score(), new.best_score()) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                merged.plate = new.plate.clone().or(old.plate);
                merged.sub_label = new.sub_label.clone().or(old.sub_label);
                merged
            }
            None => new.clone(),
        });
    }
    if event.snapshot.is_some() {
        alarm.snapshot.clone_from(&event.snapshot);
    }
    if event.phase == Phase::End {
        alarm.ended_at = Some(now);
    }
    let restores = event.kind == EventKind::DoorClosed || event.phase == Phase::End;
    if restores && alarm.needs_restore && alarm.restored_at.is_none() && alarm.devices.iter().any(|d| d == address) {
        alarm.restored_at = Some(now);
        return Decision::Restored { alarm: alarm.id };
    }
    Decision::Enriched { alarm: alarm.id }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarm::envelope::{CameraDetail, PanelState, sample};
    use crate::alarm::formats;
    use crate::alarm::lifecycle::Disposition;
    use crate::{SiteId, ZoneId};
    use uuid::Uuid;

    fn place() -> Binding {
        Binding { site_id: SiteId(Uuid::from_u128(1)), zone_id: ZoneId(Uuid::from_u128(2)), device_id: None }
    }

    fn id(n: u128) -> AlarmId {
        AlarmId(Uuid::from_u128(n))
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn ev(kind: EventKind, device: &str, time: &str) -> DeviceEvent {
        sample(kind, device, Phase::New, time)
    }

    #[test]
    fn a_forced_door_must_be_closed_before_it_is_acknowledged() {
        let mut book = AlarmBook::default();
        let z = ZoneRules::default();
        let d = book.handle(&ev(EventKind::DoorForced, "door-kho", "2026-11-21T18:30:00Z"), &place(), &z, true, id(1));
        assert_eq!(d, Decision::Raised { alarm: id(1) });
        let a = book.get_mut(id(1)).unwrap();
        assert_eq!(a.priority, Priority::High);
        assert!(!a.can_acknowledge());
        assert!(a.acknowledge("An", at("2026-11-21T18:31:00Z"), Disposition::Real, "", None).is_err());
        let closed = ev(EventKind::DoorClosed, "door-kho", "2026-11-21T18:34:00Z");
        assert_eq!(book.handle(&closed, &place(), &z, true, id(2)), Decision::Restored { alarm: id(1) });
        let a = book.get_mut(id(1)).unwrap();
        assert_eq!(a.restored_at, Some(at("2026-11-21T18:34:00Z")));
        a.acknowledge("An", at("2026-11-21T18:35:00Z"), Disposition::Real, "Khóa bị phá", None).unwrap();
        // A door closing with nothing to restore changes nothing.
        let again = ev(EventKind::DoorClosed, "door-kho", "2026-11-21T18:40:00Z");
        assert_eq!(book.handle(&again, &place(), &z, true, id(3)), Decision::Ignored { why: Skip::NothingOpen });
    }

    #[test]
    fn a_disarmed_zone_ignores_intrusion_but_not_smoke_panic_or_tamper() {
        let mut book = AlarmBook::default();
        let z = ZoneRules::default();
        for (i, kind) in [EventKind::DoorOpen, EventKind::Motion, EventKind::PersonDetected, EventKind::Intrusion]
            .into_iter()
            .enumerate()
        {
            let e = ev(kind, &format!("d{i}"), "2026-11-21T10:00:00Z");
            assert_eq!(book.handle(&e, &place(), &z, false, id(1)), Decision::Ignored { why: Skip::Disarmed });
        }
        for (i, kind) in [EventKind::Smoke, EventKind::Panic, EventKind::Tamper].into_iter().enumerate() {
            let n = 10 + i as u128;
            let e = ev(kind, &format!("s{i}"), "2026-11-21T10:00:00Z");
            assert_eq!(book.handle(&e, &place(), &z, false, id(n)), Decision::Raised { alarm: id(n) });
        }
        assert_eq!(book.get(id(10)).unwrap().priority, Priority::Critical);
        assert!(book.get(id(12)).unwrap().needs_restore);
        for kind in [EventKind::VehicleDetected, EventKind::Fault, EventKind::Other, EventKind::ArmingChanged] {
            let e = ev(kind, "x", "2026-11-21T10:00:00Z");
            assert_eq!(book.handle(&e, &place(), &z, true, id(99)), Decision::Ignored { why: Skip::NotATrigger });
        }
    }

    #[test]
    fn repeats_within_the_reactivation_time_count_on_the_open_alarm() {
        let mut book = AlarmBook::default();
        let z = ZoneRules { reactivation_secs: 120, ..ZoneRules::default() };
        let p = place();
        assert_eq!(
            book.handle(&ev(EventKind::Motion, "pir-1", "2026-11-21T18:30:00Z"), &p, &z, true, id(1)),
            Decision::Raised { alarm: id(1) }
        );
        assert_eq!(
            book.handle(&ev(EventKind::Motion, "pir-1", "2026-11-21T18:31:30Z"), &p, &z, true, id(2)),
            Decision::Repeated { alarm: id(1), count: 2 }
        );
        // The window slides with the latest repeat.
        assert_eq!(
            book.handle(&ev(EventKind::Motion, "pir-1", "2026-11-21T18:33:20Z"), &p, &z, true, id(3)),
            Decision::Repeated { alarm: id(1), count: 3 }
        );
        // Another device is another alarm; so is the same device after the window.
        assert_eq!(
            book.handle(&ev(EventKind::Motion, "pir-2", "2026-11-21T18:33:30Z"), &p, &z, true, id(4)),
            Decision::Raised { alarm: id(4) }
        );
        assert_eq!(
            book.handle(&ev(EventKind::Motion, "pir-1", "2026-11-21T18:36:00Z"), &p, &z, true, id(5)),
            Decision::Raised { alarm: id(5) }
        );
        let a = book.get(id(1)).unwrap();
        assert_eq!((a.triggers, a.first_at, a.last_at), (3, at("2026-11-21T18:30:00Z"), at("2026-11-21T18:33:20Z")));
    }

    #[test]
    fn double_knock_needs_two_different_sensors_within_the_window() {
        let mut book = AlarmBook::default();
        let z = ZoneRules { double_knock_secs: Some(60), ..ZoneRules::default() };
        let p = place();
        let first = book.handle(&ev(EventKind::Motion, "pir-a", "2026-11-21T18:30:00Z"), &p, &z, true, id(1));
        assert!(matches!(first, Decision::PreAlarm { ref knock } if knock.device == "baove/pir-a"));
        // The same sensor again is still one knock.
        assert!(matches!(
            book.handle(&ev(EventKind::Motion, "pir-a", "2026-11-21T18:30:20Z"), &p, &z, true, id(2)),
            Decision::PreAlarm { .. }
        ));
        assert_eq!(book.knocks.len(), 1);
        let second = book.handle(&ev(EventKind::DoorOpen, "door-b", "2026-11-21T18:30:50Z"), &p, &z, true, id(3));
        assert_eq!(second, Decision::Raised { alarm: id(3) });
        let a = book.get(id(3)).unwrap();
        assert_eq!(a.devices, ["baove/pir-a", "baove/door-b"]);
        assert_eq!((a.triggers, a.first_at), (2, at("2026-11-21T18:30:20Z")));
        assert!(book.knocks.is_empty());
        // While the zone is in alarm, a third sensor adds to it.
        assert_eq!(
            book.handle(&ev(EventKind::Motion, "pir-c", "2026-11-21T18:31:10Z"), &p, &z, true, id(4)),
            Decision::Repeated { alarm: id(3), count: 3 }
        );
    }

    #[test]
    fn absurd_configured_windows_saturate_instead_of_overflowing() {
        let mut book = AlarmBook::default();
        let z = ZoneRules { reactivation_secs: i64::MAX, double_knock_secs: Some(i64::MAX), ..ZoneRules::default() };
        let p = place();
        let d = book.handle(&ev(EventKind::Motion, "pir-a", "2026-11-21T18:30:00Z"), &p, &z, true, id(1));
        assert!(matches!(d, Decision::PreAlarm { ref knock } if knock.expires_at == Timestamp::MAX));
        let d = book.handle(&ev(EventKind::Motion, "pir-b", "2100-01-01T00:00:00Z"), &p, &z, true, id(2));
        assert_eq!(d, Decision::Raised { alarm: id(2) });
    }

    #[test]
    fn a_knock_expires_and_panic_skips_the_double_knock() {
        let mut book = AlarmBook::default();
        let z = ZoneRules { double_knock_secs: Some(60), ..ZoneRules::default() };
        let p = place();
        assert!(matches!(
            book.handle(&ev(EventKind::Motion, "pir-a", "2026-11-21T18:30:00Z"), &p, &z, true, id(1)),
            Decision::PreAlarm { .. }
        ));
        assert!(matches!(
            book.handle(&ev(EventKind::Motion, "pir-b", "2026-11-21T18:31:30Z"), &p, &z, true, id(2)),
            Decision::PreAlarm { .. }
        ));
        assert_eq!(book.knocks.len(), 1);
        assert_eq!(
            book.handle(&ev(EventKind::Panic, "pb-1", "2026-11-21T18:31:31Z"), &p, &z, false, id(3)),
            Decision::Raised { alarm: id(3) }
        );
    }

    const NEW: &str = r#"{"type":"new","after":{"id":"1763749800.1-abc","camera":"cam_kho","label":"person",
        "score":0.71,"top_score":0.71,"start_time":1763749800.1,"current_zones":["kho"],"has_snapshot":true}}"#;

    fn frigate(payload: &str, time: &str) -> DeviceEvent {
        let topic = if payload.contains("\"severity\"") { "frigate/reviews" } else { "frigate/events" };
        formats::frigate::parse(topic, payload.as_bytes(), at(time)).unwrap().remove(0)
    }

    #[test]
    fn frigate_updates_and_end_enrich_one_alarm_and_redeliveries_add_nothing() {
        let mut book = AlarmBook::default();
        let z = ZoneRules::default();
        let p = place();
        assert_eq!(
            book.handle(&frigate(NEW, "2026-11-21T18:30:01Z"), &p, &z, true, id(1)),
            Decision::Raised { alarm: id(1) }
        );
        assert_eq!(
            book.handle(&frigate(NEW, "2026-11-21T18:30:02Z"), &p, &z, true, id(2)),
            Decision::Enriched { alarm: id(1) }
        );
        let upd = NEW
            .replace("\"new\"", "\"update\"")
            .replace("\"score\":0.71,\"top_score\":0.71", "\"score\":0.93,\"top_score\":0.93")
            .replace("\"label\":\"person\",", "\"label\":\"person\",\"sub_label\":\"Bảo vệ An\",");
        assert_eq!(
            book.handle(&frigate(&upd, "2026-11-21T18:30:05Z"), &p, &z, true, id(3)),
            Decision::Enriched { alarm: id(1) }
        );
        let end = NEW
            .replace("\"new\"", "\"end\"")
            .replace("\"start_time\":1763749800.1", "\"start_time\":1763749800.1,\"end_time\":1763749830.0");
        assert_eq!(
            book.handle(&frigate(&end, "2026-11-21T18:30:31Z"), &p, &z, true, id(4)),
            Decision::Enriched { alarm: id(1) }
        );
        assert_eq!(book.alarms.len(), 1);
        let a = book.get(id(1)).unwrap();
        assert_eq!((a.triggers, a.updates), (1, 3));
        assert_eq!(a.ended_at, Some(at("2026-11-21T18:30:31Z")));
        let cam = a.camera.as_ref().unwrap();
        assert_eq!((cam.top_score, cam.sub_label.as_deref()), (Some(0.93), Some("Bảo vệ An")));
        assert!(a.snapshot.as_deref().unwrap().contains("1763749800.1-abc"));
    }

    #[test]
    fn a_review_covering_an_alarmed_event_enriches_it() {
        let mut book = AlarmBook::default();
        let (z, p) = (ZoneRules::default(), place());
        book.handle(&frigate(NEW, "2026-11-21T18:30:01Z"), &p, &z, true, id(1));
        let review = r#"{"type":"new","after":{"id":"rv-1","camera":"cam_kho","start_time":1763749800.0,
            "severity":"alert","data":{"detections":["1763749800.1-abc"],"objects":["person"],"zones":["kho"]}}}"#;
        assert_eq!(
            book.handle(&frigate(review, "2026-11-21T18:30:03Z"), &p, &z, true, id(2)),
            Decision::Enriched { alarm: id(1) }
        );
        // Its later update is recognised by the review's own id.
        let upd = review.replace("\"new\"", "\"update\"").replace("[\"1763749800.1-abc\"]", "[]");
        assert_eq!(
            book.handle(&frigate(&upd, "2026-11-21T18:30:09Z"), &p, &z, true, id(3)),
            Decision::Enriched { alarm: id(1) }
        );
        assert_eq!(book.get(id(1)).unwrap().camera.as_ref().unwrap().score, Some(0.71));
    }

    #[test]
    fn an_update_without_an_alarm_can_still_raise_one_and_a_closed_alarm_stays_closed() {
        let mut book = AlarmBook::default();
        let (z, p) = (ZoneRules::default(), place());
        let upd = NEW.replace("\"new\"", "\"update\"");
        assert_eq!(
            book.handle(&frigate(&upd, "2026-11-21T18:30:01Z"), &p, &z, true, id(1)),
            Decision::Raised { alarm: id(1) }
        );
        let a = book.get_mut(id(1)).unwrap();
        a.acknowledge("An", at("2026-11-21T18:31:00Z"), Disposition::FalseAlarm, "", None).unwrap();
        a.close(at("2026-11-21T18:32:00Z")).unwrap();
        assert_eq!(
            book.handle(&frigate(&upd, "2026-11-21T18:33:00Z"), &p, &z, true, id(2)),
            Decision::Ignored { why: Skip::AlarmClosed }
        );
        let end = NEW.replace("\"new\"", "\"end\"").replace("1763749800.1-abc", "other-id");
        assert_eq!(
            book.handle(&frigate(&end, "2026-11-21T18:33:00Z"), &p, &z, true, id(3)),
            Decision::Ignored { why: Skip::NothingOpen }
        );
        book.prune(at("2026-11-21T19:00:00Z"));
        assert!(book.alarms.is_empty());
    }

    #[test]
    fn a_low_score_camera_event_is_ignored_where_a_threshold_is_set() {
        let mut book = AlarmBook::default();
        let z = ZoneRules { min_camera_score: Some(0.8), ..ZoneRules::default() };
        assert_eq!(
            book.handle(&frigate(NEW, "2026-11-21T18:30:01Z"), &place(), &z, true, id(1)),
            Decision::Ignored { why: Skip::BelowScore }
        );
        let mut e = ev(EventKind::PersonDetected, "cam", "2026-11-21T18:30:01Z");
        e.camera = Some(CameraDetail { score: Some(0.85), ..CameraDetail::default() });
        assert_eq!(book.handle(&e, &place(), &z, true, id(2)), Decision::Raised { alarm: id(2) });
    }

    #[test]
    fn a_disarm_within_alarmos_entry_delay_cancels_the_alarm() {
        let trigger = br#"{"event":"TRIGGER","sensors":[{"entity_id":"binary_sensor.frontdoor","name":"Front Door"}],"delay":60}"#;
        let (z, p) = (ZoneRules::default(), place());
        let mut book = AlarmBook::default();
        let t = formats::alarmo::parse("alarmo/event", trigger, at("2026-11-21T23:00:00Z")).unwrap().remove(0);
        assert_eq!(book.handle(&t, &p, &z, true, id(1)), Decision::Raised { alarm: id(1) });
        assert_eq!(book.get(id(1)).unwrap().notify_from(), at("2026-11-21T23:01:00Z"));
        let disarm = formats::alarmo::parse("alarmo/state", b"disarmed", at("2026-11-21T23:00:40Z")).unwrap().remove(0);
        assert_eq!(disarm.panel_state, Some(PanelState::Disarmed));
        assert_eq!(book.handle(&disarm, &p, &z, true, id(2)), Decision::Cancelled { alarms: vec![id(1)] });
        assert_eq!(book.get(id(1)).unwrap().state, AlarmState::Closed);
        // Too late: the alarm stands.
        let t = formats::alarmo::parse("alarmo/event", trigger, at("2026-11-22T01:00:00Z")).unwrap().remove(0);
        book.handle(&t, &p, &z, true, id(3));
        let late = formats::alarmo::parse("alarmo/state", b"disarmed", at("2026-11-22T01:01:30Z")).unwrap().remove(0);
        assert_eq!(book.handle(&late, &p, &z, true, id(4)), Decision::Ignored { why: Skip::NotATrigger });
        assert_eq!(book.get(id(3)).unwrap().state, AlarmState::Open);
    }

    #[test]
    fn priority_follows_kind_and_zone_sensitivity() {
        assert_eq!(priority(EventKind::Motion, 3), Priority::Low);
        assert_eq!(priority(EventKind::Motion, 5), Priority::Medium);
        assert_eq!(priority(EventKind::DoorForced, 5), Priority::Critical);
        assert_eq!(priority(EventKind::DoorOpen, 1), Priority::Low);
        assert_eq!(priority(EventKind::Panic, 1), Priority::Critical);
        assert_eq!(priority(EventKind::Smoke, 1), Priority::Critical);
    }
}
