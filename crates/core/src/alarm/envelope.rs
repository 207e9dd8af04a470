//! The normalised device event: what every format parser produces and the rules consume
//! (vectors/mqtt-devices.md §5.4).
//!
//! Two keys matter. The *identity* `(source_instance, source_event_id)` names one happening:
//! Frigate's `new`, `update` and `end` of one tracked object share it, so they fold into one
//! alarm. The *idempotency key* adds the phase and a sequence number, and the *dedup key* adds
//! a hash of the exact payload: MQTT QoS 1 delivers at least once, so the same message may
//! arrive twice and must be recognised as the same delivery.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::registry::code_enum;

code_enum!(
    /// Which kind of sender produced the event.
    Source {
        Frigate = "frigate",
        HaBinarySensor = "ha_binary_sensor",
        HaAlarmPanel = "ha_alarm_panel",
        Alarmo = "alarmo",
        Generic = "generic",
    }
);

code_enum!(
    /// What the device says happened.
    EventKind {
        Intrusion = "intrusion",
        DoorOpen = "door_open",
        DoorForced = "door_forced",
        DoorClosed = "door_closed",
        Motion = "motion",
        PersonDetected = "person_detected",
        VehicleDetected = "vehicle_detected",
        Smoke = "smoke",
        Tamper = "tamper",
        Panic = "panic",
        ArmingChanged = "arming_changed",
        Fault = "fault",
        Other = "other",
    }
);

impl EventKind {
    /// The severity a kind has when the sender gives none: life first, then forced entry.
    #[must_use]
    pub fn default_severity(self) -> Severity {
        Severity::clamped(match self {
            Self::Panic | Self::Smoke => 5,
            Self::Intrusion | Self::DoorForced | Self::Tamper => 4,
            Self::PersonDetected | Self::DoorOpen => 3,
            Self::Motion | Self::VehicleDetected | Self::Fault => 2,
            Self::DoorClosed | Self::ArmingChanged | Self::Other => 1,
        })
    }
}

impl EventKind {
    /// The Vietnamese label.
    #[must_use]
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Intrusion => "Đột nhập",
            Self::DoorOpen => "Mở cửa",
            Self::DoorForced => "Phá cửa",
            Self::DoorClosed => "Đóng cửa",
            Self::Motion => "Chuyển động",
            Self::PersonDetected => "Phát hiện người",
            Self::VehicleDetected => "Phát hiện phương tiện",
            Self::Smoke => "Khói, cháy",
            Self::Tamper => "Phá hoại thiết bị",
            Self::Panic => "Nút khẩn cấp",
            Self::ArmingChanged => "Đổi trạng thái báo động",
            Self::Fault => "Lỗi thiết bị",
            Self::Other => "Khác",
        }
    }
}

code_enum!(
    /// Where in its life a happening is: Frigate's `new`/`update`/`end`, or a plain state report
    /// (a panel's armed state, a sensor's ON/OFF).
    Phase {
        New = "new",
        Update = "update",
        End = "end",
        State = "state",
    }
);

code_enum!(
    /// The states of a Home Assistant `alarm_control_panel` (and Alarmo, which publishes the same
    /// strings), as sent on its `state_topic`.
    PanelState {
        Disarmed = "disarmed",
        ArmedHome = "armed_home",
        ArmedAway = "armed_away",
        ArmedNight = "armed_night",
        ArmedVacation = "armed_vacation",
        ArmedCustomBypass = "armed_custom_bypass",
        Pending = "pending",
        Triggered = "triggered",
        Arming = "arming",
        Disarming = "disarming",
    }
);

impl PanelState {
    /// Whether the panel is armed (`Some(true)`), disarmed (`Some(false)`), or between the two
    /// (`None`: arming, disarming, pending entry delay, triggered).
    #[must_use]
    pub fn armed(self) -> Option<bool> {
        match self {
            Self::Disarmed => Some(false),
            Self::ArmedHome | Self::ArmedAway | Self::ArmedNight | Self::ArmedVacation | Self::ArmedCustomBypass => {
                Some(true)
            }
            Self::Pending | Self::Triggered | Self::Arming | Self::Disarming => None,
        }
    }
}

/// How serious the sender thinks the event is: 1 (information) to 5 (life at risk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Severity(u8);

impl Severity {
    /// The lowest severity.
    pub const MIN: Self = Self(1);
    /// The highest severity.
    pub const MAX: Self = Self(5);

    /// A severity in 1..=5, or `None`.
    #[must_use]
    pub fn new(value: u8) -> Option<Self> {
        (1..=5).contains(&value).then_some(Self(value))
    }

    /// `value` forced into 1..=5.
    #[must_use]
    pub fn clamped(value: u8) -> Self {
        Self(value.clamp(1, 5))
    }

    /// The number, 1..=5.
    #[must_use]
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Severity {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value).ok_or_else(|| format!("severity {value} is outside 1..=5"))
    }
}

impl From<Severity> for u8 {
    fn from(s: Severity) -> u8 {
        s.0
    }
}

/// What a camera saw (Frigate `events` and `reviews`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CameraDetail {
    /// The camera's name in Frigate.
    pub camera: String,
    /// The object label (`person`, `car`…); for a review, its first object.
    pub label: String,
    /// A recognised face or other sub label.
    pub sub_label: Option<String>,
    /// The score of the current frame, 0..=1.
    pub score: Option<f64>,
    /// The best score so far, 0..=1.
    pub top_score: Option<f64>,
    /// Frigate zones the object is in now.
    pub current_zones: Vec<String>,
    /// Frigate zones the object has entered.
    pub entered_zones: Vec<String>,
    /// A recognised licence plate, as Frigate wrote it.
    pub plate: Option<String>,
    /// Whether Frigate saved a snapshot.
    pub has_snapshot: bool,
    /// Whether Frigate recorded a clip.
    pub has_clip: bool,
    /// For a review: `alert` or `detection`.
    pub review_severity: Option<String>,
    /// Ids of other events of the same sender this one covers (a review's `data.detections`):
    /// an alarm opened from one of them is the same happening.
    pub related_ids: Vec<String>,
    /// When the object appeared (device time).
    pub started_at: Option<Timestamp>,
    /// When the object left (device time), once Frigate says so.
    pub ended_at: Option<Timestamp>,
}

impl CameraDetail {
    /// The best score known, 0..=1.
    #[must_use]
    pub fn best_score(&self) -> Option<f64> {
        match (self.score, self.top_score) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// SHA-256 of the exact payload bytes, to recognise a repeated delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PayloadHash(pub [u8; 32]);

impl PayloadHash {
    /// The hash of `payload`.
    #[must_use]
    pub fn of(payload: &[u8]) -> Self {
        Self(Sha256::digest(payload).into())
    }

    /// Lowercase hex.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// The sender's payload kept with the event for the record, bounded: long strings (Frigate's
/// base64 thumbnails) are cut, and a payload still too large is replaced by a marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(String);

impl RawJson {
    /// At most this many bytes are kept.
    pub const MAX_BYTES: usize = 16 * 1024;
    /// A string longer than this many characters is cut.
    pub const MAX_STRING_CHARS: usize = 256;
    /// Deeper structure than this is replaced by a marker.
    const MAX_DEPTH: usize = 16;

    /// The bounded JSON text of `value`.
    #[must_use]
    pub fn bounded(value: &serde_json::Value) -> Self {
        let trimmed = trim_value(value, 0);
        let text = trimmed.to_string();
        if text.len() <= Self::MAX_BYTES {
            Self(text)
        } else {
            Self(serde_json::json!({ "truncated": true, "bytes": text.len() }).to_string())
        }
    }

    /// A plain-text payload (a state string) kept as a JSON string.
    #[must_use]
    pub fn text(payload: &str) -> Self {
        Self::bounded(&serde_json::Value::String(payload.to_owned()))
    }

    /// The JSON text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn trim_value(value: &serde_json::Value, depth: usize) -> serde_json::Value {
    use serde_json::Value;
    if depth >= RawJson::MAX_DEPTH {
        return Value::String("…(too deep)".into());
    }
    match value {
        Value::String(s) if s.chars().count() > RawJson::MAX_STRING_CHARS => {
            let head: String = s.chars().take(64).collect();
            Value::String(format!("{head}…({} bytes)", s.len()))
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| trim_value(v, depth + 1)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), trim_value(v, depth + 1))).collect()),
        other => other.clone(),
    }
}

/// One happening as one sender names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identity {
    pub source_instance: String,
    pub source_event_id: String,
}

/// One message about a happening: repeated deliveries of it share the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdempotencyKey {
    pub source_instance: String,
    pub source_event_id: String,
    pub phase: Phase,
    pub seq: u64,
}

/// One exact delivery: the message's identity, phase and the hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DedupKey {
    pub source_instance: String,
    /// The sender's event id, or the device for senders without ids (see
    /// [`DeviceEvent::id_from_source`]).
    pub subject: String,
    pub phase: Phase,
    pub payload: PayloadHash,
}

impl DedupKey {
    /// One line of text for a unique index.
    #[must_use]
    pub fn to_key_string(&self) -> String {
        format!("{}\u{1f}{}\u{1f}{}\u{1f}{}", self.source_instance, self.subject, self.phase, self.payload.to_hex())
    }
}

/// How long a store should remember the dedup key of a sender without event ids: a sensor
/// legitimately repeats `ON` later, so only a repeat within this window is a redelivery.
pub const CONTENT_DEDUP_WINDOW_SECS: i64 = 120;

/// A device event in baove's terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceEvent {
    pub source: Source,
    /// Which sender: an MQTT topic prefix (`site-042/frigate`) or a webhook device.
    pub source_instance: String,
    /// The sender's id of the happening, or one made from the device and the arrival time when
    /// the sender has none (Home Assistant states, Alarmo).
    pub source_event_id: String,
    /// Whether `source_event_id` came from the sender.
    pub id_from_source: bool,
    /// Orders messages of one phase (Frigate: the frame time in µs); 0 when unknown.
    pub seq: u64,
    pub kind: EventKind,
    pub phase: Phase,
    pub severity: Severity,
    /// The device's time of the happening, when it gave one. Device clocks drift; windows
    /// in the rules use `received_at`.
    pub occurred_at: Option<Timestamp>,
    /// When baove received it (server clock).
    pub received_at: Timestamp,
    /// The sender's name of the device (camera, entity id, sensor id).
    pub device: String,
    /// The sender's name of the area, if it gave one (a Frigate zone, an Alarmo area).
    pub zone_hint: Option<String>,
    pub camera: Option<CameraDetail>,
    /// For panel events: the state the panel reports.
    pub panel_state: Option<PanelState>,
    /// Entry delay in seconds announced with a trigger (Alarmo): the alarm may still be
    /// cancelled by a disarm within it.
    pub entry_delay_secs: Option<u32>,
    /// Where the snapshot is: for a Frigate event, a path of its HTTP API
    /// (`api/events/<id>/snapshot.jpg`); for a review, the thumbnail file on the Frigate host.
    pub snapshot: Option<String>,
    /// A short human note from the sender or the parser ("ARM_AWAY", the sensor's name).
    pub note: Option<String>,
    pub payload_hash: PayloadHash,
    pub raw: RawJson,
}

impl DeviceEvent {
    /// The happening this event belongs to.
    #[must_use]
    pub fn identity(&self) -> Identity {
        Identity { source_instance: self.source_instance.clone(), source_event_id: self.source_event_id.clone() }
    }

    /// `(source_instance, source_event_id, phase, seq)`: one message about the happening.
    #[must_use]
    pub fn idempotency_key(&self) -> IdempotencyKey {
        IdempotencyKey {
            source_instance: self.source_instance.clone(),
            source_event_id: self.source_event_id.clone(),
            phase: self.phase,
            seq: self.seq,
        }
    }

    /// The key of this exact delivery. For senders with ids it is stable for good; for the
    /// others it names the device and the content, and is meant to be remembered for
    /// [`CONTENT_DEDUP_WINDOW_SECS`] only.
    #[must_use]
    pub fn dedup_key(&self) -> DedupKey {
        let subject = if self.id_from_source { self.source_event_id.clone() } else { self.device.clone() };
        DedupKey {
            source_instance: self.source_instance.clone(),
            subject,
            phase: self.phase,
            payload: self.payload_hash,
        }
    }

    /// `source_instance/device`: what the mapping table binds to a site and zone.
    #[must_use]
    pub fn address(&self) -> String {
        format!("{}/{}", self.source_instance, self.device)
    }

    /// The identities of the happenings this event speaks for: its own and, for a Frigate
    /// review, those of the events it covers.
    #[must_use]
    pub fn identities(&self) -> Vec<Identity> {
        let mut out = vec![self.identity()];
        if let Some(cam) = &self.camera {
            out.extend(
                cam.related_ids
                    .iter()
                    .map(|id| Identity { source_instance: self.source_instance.clone(), source_event_id: id.clone() }),
            );
        }
        out
    }
}

/// A bare event for tests of this module and the ones that use it.
#[cfg(test)]
pub(crate) fn sample(kind: EventKind, device: &str, phase: Phase, at: &str) -> DeviceEvent {
    let received_at: Timestamp = at.parse().expect("test timestamp");
    DeviceEvent {
        source: Source::Generic,
        source_instance: "baove".into(),
        source_event_id: format!("{device}-{at}"),
        id_from_source: true,
        seq: 0,
        kind,
        phase,
        severity: kind.default_severity(),
        occurred_at: None,
        received_at,
        device: device.into(),
        zone_hint: None,
        camera: None,
        panel_state: None,
        entry_delay_secs: None,
        snapshot: None,
        note: None,
        payload_hash: PayloadHash::of(device.as_bytes()),
        raw: RawJson::text(device),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_and_end_of_one_object_share_the_identity_but_not_the_idempotency_key() {
        let mut new = sample(EventKind::PersonDetected, "cam_gate", Phase::New, "2026-11-21T18:30:00Z");
        new.source_event_id = "1718987129.308396-fqk5ka".into();
        let mut end = new.clone();
        end.phase = Phase::End;
        end.seq = 42;
        assert_eq!(new.identity(), end.identity());
        assert_ne!(new.idempotency_key(), end.idempotency_key());
        assert_ne!(new.dedup_key(), end.dedup_key());
    }

    #[test]
    fn a_redelivered_message_has_the_same_dedup_key_and_a_changed_one_does_not() {
        let a = sample(EventKind::DoorOpen, "door-1", Phase::New, "2026-11-21T18:30:00Z");
        let again = a.clone();
        assert_eq!(a.dedup_key(), again.dedup_key());
        assert_eq!(a.dedup_key().to_key_string(), again.dedup_key().to_key_string());
        let mut changed = a.clone();
        changed.payload_hash = PayloadHash::of(b"other bytes");
        assert_ne!(a.dedup_key(), changed.dedup_key());
    }

    #[test]
    fn senders_without_ids_are_deduplicated_by_device_and_content() {
        let mut a = sample(EventKind::DoorOpen, "binary_sensor.kho", Phase::New, "2026-11-21T18:30:00Z");
        a.id_from_source = false;
        a.source_event_id = "binary_sensor.kho@1".into();
        let mut b = a.clone();
        b.source_event_id = "binary_sensor.kho@2".into();
        assert_ne!(a.identity(), b.identity());
        assert_eq!(a.dedup_key(), b.dedup_key());
    }

    #[test]
    fn a_review_speaks_for_the_events_it_covers() {
        let mut e = sample(EventKind::PersonDetected, "cam", Phase::New, "2026-11-21T18:30:00Z");
        e.camera = Some(CameraDetail { related_ids: vec!["ev-1".into()], ..CameraDetail::default() });
        let ids = e.identities();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[1].source_event_id, "ev-1");
        assert_eq!(e.address(), "baove/cam");
    }

    #[test]
    fn severity_is_kept_within_one_to_five() {
        assert_eq!(Severity::new(0), None);
        assert_eq!(Severity::new(6), None);
        assert_eq!(Severity::clamped(9), Severity::MAX);
        assert_eq!(serde_json::from_str::<Severity>("3").unwrap().get(), 3);
        assert!(serde_json::from_str::<Severity>("7").is_err());
        assert!(EventKind::Panic.default_severity() > EventKind::Motion.default_severity());
    }

    #[test]
    fn raw_json_cuts_long_strings_and_marks_oversized_payloads() {
        let thumb = "A".repeat(20_000);
        let v = serde_json::json!({ "after": { "id": "x", "thumbnail": thumb } });
        let raw = RawJson::bounded(&v);
        assert!(raw.as_str().len() < 400, "{}", raw.as_str().len());
        assert!(raw.as_str().contains("20000 bytes"));
        let many: Vec<String> = (0..2000).map(|i| format!("zone-{i}")).collect();
        let big = RawJson::bounded(&serde_json::json!({ "zones": many }));
        assert!(big.as_str().contains("\"truncated\":true"));
        assert!(big.as_str().len() <= RawJson::MAX_BYTES);
    }

    #[test]
    fn panel_states_say_whether_they_are_armed() {
        assert_eq!(PanelState::ArmedAway.armed(), Some(true));
        assert_eq!(PanelState::Disarmed.armed(), Some(false));
        assert_eq!(PanelState::Pending.armed(), None);
        assert_eq!(PanelState::from_code("armed_custom_bypass"), Some(PanelState::ArmedCustomBypass));
    }

    #[test]
    fn best_score_takes_the_higher_of_score_and_top_score() {
        let c = CameraDetail { score: Some(0.6), top_score: Some(0.82), ..CameraDetail::default() };
        assert_eq!(c.best_score(), Some(0.82));
        assert_eq!(CameraDetail::default().best_score(), None);
    }
}
