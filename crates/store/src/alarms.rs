//! The [`AlarmStore`] trait: device bindings and webhook tokens, device events (idempotent),
//! alarms with their acknowledgement, zone arming and ingest counters.

use async_trait::async_trait;
use baove_core::access::Principal;
use baove_core::alarm::DeviceEvent;
use baove_core::alarm::arming::{ManualArming, ZoneArming};
use baove_core::alarm::lifecycle::{Alarm, AlarmId, Disposition};
use baove_core::alarm::mapping::Binding;
use baove_core::patrol::escalation::Tier;
use baove_core::{DeviceId, IncidentId, SiteId, UnitId, ZoneId};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::store::Actor;

/// A new binding: device addresses matching `filter` (and, when set, reporting `zone_hint`)
/// belong to a zone.
#[derive(Debug, Clone)]
pub struct BindingInput {
    pub zone_id: ZoneId,
    pub device_id: Option<DeviceId>,
    pub filter: String,
    pub zone_hint: String,
}

/// A stored binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceBinding {
    pub id: Uuid,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub zone_id: ZoneId,
    pub device_id: Option<DeviceId>,
    pub filter: String,
    pub zone_hint: String,
}

/// The device behind a webhook token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDevice {
    pub device_id: DeviceId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub zone_id: Option<ZoneId>,
}

/// An alarm as stored: the domain alarm, its unit, its place in the alarm stream, the tier it
/// has climbed to and the incident it became.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAlarm {
    pub seq: i64,
    pub unit_id: UnitId,
    pub tier: Tier,
    pub incident_id: Option<IncidentId>,
    pub alarm: Alarm,
    /// The reader is not cleared for this key target's details: the alarm's devices and
    /// camera detail are withheld ([`Alarm::withhold_details`]).
    pub withheld: bool,
}

impl StoredAlarm {
    /// Withholds the details unless the reader sees the unit's details.
    #[must_use]
    pub fn for_reader(mut self, sees_details: bool) -> Self {
        if !sees_details && !self.withheld {
            self.alarm.withhold_details();
            self.withheld = true;
        }
        self
    }
}

/// A device event to record, with where it was placed (none when unmapped) and the alarm it
/// went to.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub event: DeviceEvent,
    pub place: Option<(UnitId, Binding)>,
    pub alarm_id: Option<AlarmId>,
}

impl EventRecord {
    /// The idempotency key as stored.
    #[must_use]
    pub fn key(event: &DeviceEvent) -> String {
        let k = event.idempotency_key();
        format!("{}\u{1f}{}\u{1f}{}\u{1f}{}", k.source_instance, k.source_event_id, k.phase, k.seq)
    }
}

/// An alarm the rules raised or changed.
#[derive(Debug, Clone)]
pub struct AlarmWrite {
    pub unit_id: UnitId,
    pub alarm: Alarm,
}

/// What one ingest batch stored.
#[derive(Debug, Clone, Default)]
pub struct IngestResult {
    /// Events inserted (duplicates are skipped).
    pub inserted: u64,
    pub alarms: Vec<StoredAlarm>,
}

/// An acknowledgement as a person gives it.
#[derive(Debug, Clone)]
pub struct AckInput {
    pub disposition: Disposition,
    pub note: String,
    /// Ids of the SOP steps done.
    pub sop_done: Vec<String>,
}

/// A zone with what the alarm rules need: its sensitivity, its schedule and the manual setting.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSetup {
    pub zone_id: ZoneId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub name: String,
    pub sensitivity: i64,
    /// The zone's own schedule, else the unit's default, else [`ZoneArming::default`]; the
    /// unit's own days off and worked days always.
    pub schedule: ZoneArming,
    /// Whether the zone has a schedule of its own.
    pub own_schedule: bool,
    pub manual: Option<ManualArming>,
}

/// Messages refused in one batch: (source, reason, count, last detail).
pub type RefusedCount = (String, String, i64, String);

/// Refused messages, per source and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IngestCounter {
    pub source: String,
    pub reason: String,
    pub count: i64,
    pub last_at: Timestamp,
    pub last_detail: String,
}

/// Device alarms.
#[async_trait]
pub trait AlarmStore: Send + Sync {
    /// Binds an address filter to a zone of the caller's unit (the filter is unique).
    async fn add_binding(&self, actor: &Actor, input: &BindingInput) -> Result<DeviceBinding>;
    async fn list_bindings(&self, p: &Principal, unit: UnitId) -> Result<Vec<DeviceBinding>>;
    /// Removes a binding of the caller's unit.
    async fn remove_binding(&self, actor: &Actor, id: Uuid) -> Result<()>;
    /// Every binding (the ingest's mapping table; system only).
    async fn all_bindings(&self, p: &Principal) -> Result<Vec<DeviceBinding>>;
    /// Sets (replaces) a device's webhook token; only the hash is stored.
    async fn set_device_token(&self, actor: &Actor, device: DeviceId, token_hash: &str) -> Result<()>;
    /// The device whose token hash this is (the token proves itself: no principal).
    async fn webhook_device(&self, device: DeviceId, token_hash: &str) -> Result<Option<WebhookDevice>>;
    /// Which of these idempotency keys are already recorded.
    async fn seen_events(&self, keys: &[String]) -> Result<Vec<String>>;
    /// Records a batch of events (duplicates skipped), the alarms they raised or changed and
    /// the messages refused, in one transaction.
    async fn record_ingest(
        &self,
        at: Timestamp,
        events: &[EventRecord],
        alarms: &[AlarmWrite],
        refused: &[RefusedCount],
    ) -> Result<IngestResult>;
    /// Alarms in scope changed after `after_seq`, oldest change first (an SSE console's replay).
    async fn alarms_after(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<StoredAlarm>>;
    async fn alarm(&self, p: &Principal, id: AlarmId) -> Result<StoredAlarm>;
    /// Alarms not closed, of every unit (the ingest's memory and the escalation timer; system only).
    async fn unclosed_alarms(&self, p: &Principal) -> Result<Vec<StoredAlarm>>;
    /// Acknowledges an open alarm with what was found and the SOP steps done.
    async fn acknowledge_alarm(&self, actor: &Actor, id: AlarmId, ack: &AckInput) -> Result<StoredAlarm>;
    /// Closes an acknowledged alarm.
    async fn close_alarm(&self, actor: &Actor, id: AlarmId) -> Result<StoredAlarm>;
    /// Raises the tier of an open alarm (system only); `None` if it is no longer open.
    async fn escalate_alarm(&self, p: &Principal, id: AlarmId, tier: Tier) -> Result<Option<StoredAlarm>>;
    /// Records the incident an alarm became.
    async fn link_alarm_incident(&self, actor: &Actor, id: AlarmId, incident: IncidentId) -> Result<StoredAlarm>;
    /// Zones with their arming: of one unit, or of every unit for `None` (system only).
    async fn zone_setups(&self, p: &Principal, unit: Option<UnitId>) -> Result<Vec<ZoneSetup>>;
    /// Arms or disarms a zone by hand.
    async fn set_manual_arming(&self, actor: &Actor, zone: ZoneId, armed: bool) -> Result<()>;
    /// Sets a zone's own schedule, or with `zone = None` the unit's default; `None` removes it.
    async fn set_arming_schedule(
        &self,
        actor: &Actor,
        unit: UnitId,
        zone: Option<ZoneId>,
        schedule: Option<&ZoneArming>,
    ) -> Result<()>;
    /// The unit's default schedule, if it set one.
    async fn unit_arming(&self, p: &Principal, unit: UnitId) -> Result<Option<ZoneArming>>;
    /// Adds to the refused-message counters: (source, reason, count, last detail).
    async fn count_ingest(&self, at: Timestamp, counts: &[RefusedCount]) -> Result<()>;
    /// The counters (system admins only).
    async fn ingest_counters(&self, p: &Principal) -> Result<Vec<IngestCounter>>;
}
