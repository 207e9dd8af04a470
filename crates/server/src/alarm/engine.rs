//! The ingest pipeline shared by MQTT and the webhook: place each parsed event (the mapping
//! table from the store's bindings, or the webhook device's own zone), skip what is already
//! recorded, run the alarm rules of core ([`AlarmBook`]) with the zone's arming, and store the
//! events and the alarms they touched in one transaction. Only then are the alarms published
//! on the bus (and an MQTT message acknowledged by the caller).
//!
//! One engine per process holds the open alarms in memory; it is loaded from the store on
//! first use, so a restart continues where the database is.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use baove_core::access::Principal;
use baove_core::alarm::DeviceEvent;
use baove_core::alarm::arming::{ZoneArming, is_armed};
use baove_core::alarm::formats::ParseError;
use baove_core::alarm::lifecycle::AlarmId;
use baove_core::alarm::mapping::{Binding, MappingTable};
use baove_core::alarm::rules::{AlarmBook, Decision, ZoneRules};
use baove_core::{UnitId, ZoneId};
use baove_store::{AlarmWrite, EventRecord, StoreError, StoredAlarm, ZoneSetup};
use jiff::{SignedDuration, Timestamp};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::patrol::bus::Event;
use crate::state::AppState;

/// A parsed event and, when the sender is known (a webhook device), where it belongs.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub event: DeviceEvent,
    pub place: Option<(UnitId, Binding)>,
}

/// Refused messages of one batch: (source, reason) → (count, last detail).
#[derive(Debug, Default)]
pub struct Refused(HashMap<(String, String), (i64, String)>);

impl Refused {
    pub fn add(&mut self, source: &str, reason: &str, detail: &str) {
        let e = self.0.entry((source.to_owned(), reason.to_owned())).or_insert((0, String::new()));
        e.0 += 1;
        detail.clone_into(&mut e.1);
    }

    /// Counts a parser error; a deliberately ignored message is not counted.
    pub fn parse_error(&mut self, source: &str, topic: &str, e: &ParseError) {
        let reason = match e {
            ParseError::Ignored { .. } => return,
            ParseError::TooLarge { .. } => "oversized",
            ParseError::UnknownTopic => "unknown_topic",
            _ => "malformed",
        };
        tracing::warn!(source, topic, error = %e, "device message refused");
        self.add(source, reason, &format!("{topic}: {e}"));
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn rows(&self) -> Vec<(String, String, i64, String)> {
        self.0.iter().map(|((s, r), (n, d))| (s.clone(), r.clone(), *n, d.clone())).collect()
    }
}

#[derive(Default)]
struct Inner {
    loaded: bool,
    book: AlarmBook,
    units: HashMap<AlarmId, UnitId>,
    mapping: MappingTable,
    rule_units: Vec<UnitId>,
    zones: HashMap<ZoneId, ZoneSetup>,
}

/// The alarm engine of this process.
#[derive(Default)]
pub struct Engine {
    inner: Mutex<Inner>,
    stale: AtomicBool,
}

fn me() -> Principal {
    Principal::installation("baove")
}

impl Engine {
    /// Bindings or arming changed: reload them before the next batch.
    pub fn invalidate(&self) {
        self.stale.store(true, Ordering::SeqCst);
    }

    async fn refresh(&self, state: &AppState, inner: &mut Inner) -> Result<(), StoreError> {
        let me = me();
        if !inner.loaded {
            for a in state.store.unclosed_alarms(&me).await? {
                inner.units.insert(a.alarm.id, a.unit_id);
                inner.book.alarms.push(a.alarm);
            }
            inner.loaded = true;
            self.stale.store(true, Ordering::SeqCst);
        }
        if self.stale.swap(false, Ordering::SeqCst) {
            let mut mapping = MappingTable::new();
            let mut rule_units = Vec::new();
            for b in state.store.all_bindings(&me).await? {
                let hint = Some(b.zone_hint.as_str()).filter(|h| !h.is_empty());
                let binding = Binding { site_id: b.site_id, zone_id: b.zone_id, device_id: b.device_id };
                if mapping.add(&b.filter, hint, binding).is_ok() {
                    rule_units.push(b.unit_id);
                }
            }
            inner.mapping = mapping;
            inner.rule_units = rule_units;
            inner.zones = state.store.zone_setups(&me, None).await?.into_iter().map(|z| (z.zone_id, z)).collect();
        }
        Ok(())
    }

    /// Runs a batch through the rules and stores it; returns the alarms raised or changed,
    /// already published. Nothing is kept in memory unless the store committed.
    ///
    /// # Errors
    /// A storage failure: nothing of the batch was stored, and it may be retried as a whole.
    pub async fn ingest(
        &self,
        state: &AppState,
        items: Vec<Incoming>,
        refused: &Refused,
    ) -> Result<Vec<StoredAlarm>, StoreError> {
        let now = Timestamp::now();
        if items.is_empty() {
            if !refused.is_empty() {
                state.store.count_ingest(now, &refused.rows()).await?;
            }
            return Ok(vec![]);
        }
        let mut inner = self.inner.lock().await;
        self.refresh(state, &mut inner).await?;
        let keys: Vec<String> = items.iter().map(|i| EventRecord::key(&i.event)).collect();
        let seen: HashSet<String> = state.store.seen_events(&keys).await?.into_iter().collect();
        let mut book = inner.book.clone();
        let mut units = inner.units.clone();
        let mut fresh = HashSet::new();
        let mut records = Vec::new();
        let mut changed: Vec<AlarmId> = Vec::new();
        let mut unknown = Refused(refused.0.clone());
        for (item, key) in items.into_iter().zip(keys) {
            if seen.contains(&key) || !fresh.insert(key) {
                continue;
            }
            let place = item.place.or_else(|| {
                inner.mapping.resolve(&item.event).ok().and_then(|p| Some((*inner.rule_units.get(p.rule)?, p.binding)))
            });
            let Some((unit, binding)) = place else {
                unknown.add(item.event.source.code(), "unknown_device", &item.event.address());
                records.push(EventRecord { event: item.event, place: None, alarm_id: None });
                continue;
            };
            let zone = inner.zones.get(&binding.zone_id);
            let rules = ZoneRules {
                sensitivity: zone.map_or(3, |z| u8::try_from(z.sensitivity.clamp(1, 5)).unwrap_or(3)),
                ..ZoneRules::default()
            };
            let default_schedule = ZoneArming::default();
            let armed = is_armed(
                zone.map_or(&default_schedule, |z| &z.schedule),
                zone.and_then(|z| z.manual.as_ref()),
                item.event.received_at,
            )
            .armed;
            let touched = match book.handle(&item.event, &binding, &rules, armed, AlarmId(Uuid::now_v7())) {
                Decision::Raised { alarm }
                | Decision::Repeated { alarm, .. }
                | Decision::Enriched { alarm }
                | Decision::Restored { alarm } => vec![alarm],
                Decision::Cancelled { alarms } => alarms,
                Decision::PreAlarm { .. } | Decision::Ignored { .. } => vec![],
            };
            for id in &touched {
                units.entry(*id).or_insert(unit);
                if !changed.contains(id) {
                    changed.push(*id);
                }
            }
            records.push(EventRecord {
                event: item.event,
                place: Some((unit, binding)),
                alarm_id: touched.first().copied(),
            });
        }
        let writes: Vec<AlarmWrite> = changed
            .iter()
            .filter_map(|id| Some(AlarmWrite { unit_id: *units.get(id)?, alarm: book.get(*id)?.clone() }))
            .collect();
        // Events, alarms and refusals in one transaction: a crash leaves all or none.
        let stored = state.store.record_ingest(now, &records, &writes, &unknown.rows()).await?.alarms;
        book.prune(now - SignedDuration::from_hours(24));
        inner.book = book;
        inner.units = units;
        drop(inner);
        for a in &stored {
            state.bus.publish(Event::Alarm(Box::new(a.clone())));
        }
        Ok(stored)
    }

    /// A person changed an alarm (acknowledged, closed): the rules see it from now on.
    pub async fn update(&self, a: &StoredAlarm) {
        let mut inner = self.inner.lock().await;
        if !inner.loaded {
            return;
        }
        inner.units.insert(a.alarm.id, a.unit_id);
        match inner.book.get_mut(a.alarm.id) {
            Some(x) => *x = a.alarm.clone(),
            None => inner.book.alarms.push(a.alarm.clone()),
        }
    }
}
