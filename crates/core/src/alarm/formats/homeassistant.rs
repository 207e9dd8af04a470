//! Home Assistant's MQTT conventions (vectors/mqtt-devices.md §5.2): `binary_sensor` state
//! topics carrying `ON`/`OFF`, and `alarm_control_panel` state topics carrying the panel's
//! state in lower case.
//!
//! A binary sensor's state says nothing of what it senses: `ON` is "open" for a door, "smoke"
//! for a smoke detector and "connected" for a connectivity sensor. The `device_class` lives in
//! the retained discovery config (`<prefix>/<component>/[<node_id>/]<object_id>/config`), so
//! [`HaConfig`] keeps a table from state topics to entities, filled from discovery
//! ([`parse_discovery`]) or by hand. A state topic missing from the table is still read when it
//! follows the discovery layout (`<prefix>/binary_sensor/…/state`), as a sensor of no class.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{self, ParseError};
use super::fields::{self, MAX_ID, Object};
use crate::alarm::envelope::{DeviceEvent, EventKind, PanelState, PayloadHash, Phase, RawJson, Source};
use crate::registry::code_enum;

/// The default discovery prefix.
pub const DEFAULT_PREFIX: &str = "homeassistant";

code_enum!(
    /// The `device_class` of a binary sensor (the ones that matter to protection; anything else
    /// is `none`).
    BinaryClass {
        Door = "door",
        Opening = "opening",
        Window = "window",
        GarageDoor = "garage_door",
        Lock = "lock",
        Motion = "motion",
        Occupancy = "occupancy",
        Presence = "presence",
        Moving = "moving",
        Smoke = "smoke",
        Gas = "gas",
        Heat = "heat",
        CarbonMonoxide = "carbon_monoxide",
        Safety = "safety",
        Tamper = "tamper",
        Vibration = "vibration",
        Connectivity = "connectivity",
        Problem = "problem",
        Battery = "battery",
        None = "none",
    }
);

impl BinaryClass {
    /// What `ON` (`true`) and `OFF` (`false`) mean for this class. Each class defines its own
    /// sense: LOCK on is *unlocked*, SAFETY on is *unsafe* (how panic buttons show up),
    /// CONNECTIVITY on is *connected*, so its OFF is the fault.
    #[must_use]
    pub fn meaning(self, on: bool) -> (EventKind, Phase) {
        let (kind, fault_when_on) = match self {
            Self::Door | Self::Opening | Self::Window | Self::GarageDoor | Self::Lock => {
                return if on { (EventKind::DoorOpen, Phase::New) } else { (EventKind::DoorClosed, Phase::End) };
            }
            Self::Motion | Self::Occupancy | Self::Presence | Self::Moving => (EventKind::Motion, true),
            Self::Smoke | Self::Gas | Self::Heat | Self::CarbonMonoxide => (EventKind::Smoke, true),
            Self::Safety => (EventKind::Panic, true),
            Self::Tamper => (EventKind::Tamper, true),
            // A vibration sensor guards a safe or a wall: shaking it is an attack.
            Self::Vibration => (EventKind::Intrusion, true),
            Self::Problem | Self::Battery => (EventKind::Fault, true),
            Self::Connectivity => (EventKind::Fault, false),
            Self::None => (EventKind::Other, true),
        };
        (kind, if on == fault_when_on { Phase::New } else { Phase::End })
    }
}

/// What an entity is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "component", rename_all = "snake_case")]
pub enum EntityKind {
    BinarySensor { class: BinaryClass, payload_on: String, payload_off: String },
    AlarmControlPanel,
}

/// One Home Assistant entity whose state topic we read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HaEntity {
    /// The device name events carry (the discovery `unique_id`, or the object id).
    pub device: String,
    pub kind: EntityKind,
    /// The discovery topic it came from, so that an empty config there removes it.
    pub discovery_topic: Option<String>,
}

impl HaEntity {
    /// A binary sensor with the default `ON`/`OFF` payloads.
    #[must_use]
    pub fn binary_sensor(device: &str, class: BinaryClass) -> Self {
        Self {
            device: device.to_owned(),
            kind: EntityKind::BinarySensor { class, payload_on: "ON".into(), payload_off: "OFF".into() },
            discovery_topic: None,
        }
    }

    /// An alarm control panel.
    #[must_use]
    pub fn alarm_panel(device: &str) -> Self {
        Self { device: device.to_owned(), kind: EntityKind::AlarmControlPanel, discovery_topic: None }
    }
}

/// The Home Assistant side of the configuration: the discovery prefix (also the events'
/// `source_instance`) and the entities by state topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HaConfig {
    pub prefix: String,
    pub entities: BTreeMap<String, HaEntity>,
}

impl Default for HaConfig {
    fn default() -> Self {
        Self { prefix: DEFAULT_PREFIX.to_owned(), entities: BTreeMap::new() }
    }
}

impl HaConfig {
    /// Reads `topic` as the state topic of `entity`.
    pub fn insert(&mut self, state_topic: &str, entity: HaEntity) {
        self.entities.insert(state_topic.to_owned(), entity);
    }

    /// Applies what a discovery message said.
    pub fn apply(&mut self, found: Discovered) {
        match found {
            Discovered::Entity { state_topic, entity } => {
                self.entities
                    .retain(|_, e| e.discovery_topic != entity.discovery_topic || entity.discovery_topic.is_none());
                self.entities.insert(state_topic, entity);
            }
            Discovered::Removed { discovery_topic } => {
                self.entities.retain(|_, e| e.discovery_topic.as_deref() != Some(discovery_topic.as_str()));
            }
        }
    }
}

/// What a retained discovery config says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    Entity {
        state_topic: String,
        entity: HaEntity,
    },
    /// An empty payload on a config topic deletes the entity.
    Removed {
        discovery_topic: String,
    },
}

/// Whether `topic` is a discovery config topic under `prefix`.
#[must_use]
pub fn is_discovery_topic(prefix: &str, topic: &str) -> bool {
    topic
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|r| r.ends_with("/config") && (3..=4).contains(&r.split('/').count()))
}

/// Reads a discovery config of a `binary_sensor` or `alarm_control_panel`, long or short
/// keys, with `~` expanded.
///
/// # Errors
/// [`ParseError::UnknownTopic`] outside the discovery layout, [`ParseError::Ignored`] for other
/// components, and the usual payload errors.
pub fn parse_discovery(prefix: &str, topic: &str, payload: &[u8]) -> Result<Discovered, ParseError> {
    if !is_discovery_topic(prefix, topic) {
        return Err(ParseError::UnknownTopic);
    }
    let rest = &topic[prefix.len() + 1..topic.len() - "/config".len()];
    let parts: Vec<&str> = rest.split('/').collect();
    let component = parts[0];
    if component != "binary_sensor" && component != "alarm_control_panel" {
        return Err(ParseError::Ignored { reason: "ha discovery of another component" });
    }
    if error::text(payload)?.trim().is_empty() {
        return Ok(Discovered::Removed { discovery_topic: topic.to_owned() });
    }
    let cfg = error::json_object(payload)?;
    let base = either(&cfg, "~", "~", "~")?;
    let raw_state =
        either(&cfg, "state_topic", "stat_t", "state_topic")?.ok_or(ParseError::MissingField("state_topic"))?;
    let state_topic = match base {
        Some(b) if raw_state.starts_with('~') => format!("{b}{}", &raw_state[1..]),
        Some(b) if raw_state.ends_with('~') => format!("{}{b}", &raw_state[..raw_state.len() - 1]),
        _ => raw_state.to_owned(),
    };
    let state_topic = fields::ident(&state_topic, "state_topic", 256)?;
    if state_topic.contains(['+', '#']) {
        return Err(ParseError::BadValue { field: "state_topic" });
    }
    let object_id = parts[1..].join("/");
    let device = match either(&cfg, "unique_id", "uniq_id", "unique_id")? {
        Some(u) => fields::ident(u, "unique_id", MAX_ID)?,
        None => fields::ident(&object_id, "object_id", MAX_ID)?,
    };
    let kind = if component == "binary_sensor" {
        let class = match either(&cfg, "device_class", "dev_cla", "device_class")? {
            None => BinaryClass::None,
            Some(c) => BinaryClass::from_code(c).unwrap_or(BinaryClass::None),
        };
        let payload_on = either(&cfg, "payload_on", "pl_on", "payload_on")?.unwrap_or("ON");
        let payload_off = either(&cfg, "payload_off", "pl_off", "payload_off")?.unwrap_or("OFF");
        EntityKind::BinarySensor {
            class,
            payload_on: fields::ident(payload_on, "payload_on", 64)?,
            payload_off: fields::ident(payload_off, "payload_off", 64)?,
        }
    } else {
        EntityKind::AlarmControlPanel
    };
    Ok(Discovered::Entity { state_topic, entity: HaEntity { device, kind, discovery_topic: Some(topic.to_owned()) } })
}

fn either<'a>(cfg: &'a Object, long: &str, short: &str, field: &'static str) -> Result<Option<&'a str>, ParseError> {
    match fields::opt_str(cfg, long, field)? {
        Some(v) => Ok(Some(v)),
        None => fields::opt_str(cfg, short, field),
    }
}

/// Parses a state message. Discovery configs are [`ParseError::Ignored`] here: feed them to
/// [`parse_discovery`] and [`HaConfig::apply`].
///
/// # Errors
/// See [`ParseError`].
pub fn parse(
    topic: &str,
    payload: &[u8],
    received_at: Timestamp,
    config: &HaConfig,
) -> Result<Vec<DeviceEvent>, ParseError> {
    if let Some(entity) = config.entities.get(topic) {
        return parse_state(&config.prefix, entity, payload, received_at).map(|e| vec![e]);
    }
    let rest = topic
        .strip_prefix(config.prefix.as_str())
        .and_then(|r| r.strip_prefix('/'))
        .filter(|_| !config.prefix.is_empty())
        .ok_or(ParseError::UnknownTopic)?;
    if is_discovery_topic(&config.prefix, topic) {
        return Err(ParseError::Ignored { reason: "ha discovery" });
    }
    if rest == "status" {
        return Err(ParseError::Ignored { reason: "ha status" });
    }
    let Some(object) = rest.strip_suffix("/state") else { return Err(ParseError::UnknownTopic) };
    let entity = if let Some(id) = object.strip_prefix("binary_sensor/") {
        HaEntity::binary_sensor(&fields::ident(id, "topic", MAX_ID)?, BinaryClass::None)
    } else if let Some(id) = object.strip_prefix("alarm_control_panel/") {
        HaEntity::alarm_panel(&fields::ident(id, "topic", MAX_ID)?)
    } else {
        return Err(ParseError::UnknownTopic);
    };
    parse_state(&config.prefix, &entity, payload, received_at).map(|e| vec![e])
}

fn parse_state(
    instance: &str,
    entity: &HaEntity,
    payload: &[u8],
    received_at: Timestamp,
) -> Result<DeviceEvent, ParseError> {
    let state = error::text(payload)?.trim();
    let (source, kind, phase, panel_state, note) = match &entity.kind {
        EntityKind::BinarySensor { class, payload_on, payload_off } => {
            let on = if state == payload_on || state.eq_ignore_ascii_case(payload_on) {
                true
            } else if state == payload_off || state.eq_ignore_ascii_case(payload_off) {
                false
            } else if state.eq_ignore_ascii_case("unavailable") {
                // A sensor that falls silent (expire_after) may have been cut.
                let e = (Source::HaBinarySensor, EventKind::Fault, Phase::New, None, Some("unavailable".to_owned()));
                return Ok(event(instance, entity, payload, received_at, e, state));
            } else if state.eq_ignore_ascii_case("unknown") {
                return Err(ParseError::Ignored { reason: "ha state unknown" });
            } else {
                return Err(ParseError::BadValue { field: "state" });
            };
            let (kind, phase) = class.meaning(on);
            (Source::HaBinarySensor, kind, phase, None, None)
        }
        EntityKind::AlarmControlPanel => {
            let ps =
                PanelState::from_code(&state.to_ascii_lowercase()).ok_or(ParseError::BadValue { field: "state" })?;
            if ps == PanelState::Triggered {
                (Source::HaAlarmPanel, EventKind::Intrusion, Phase::New, Some(ps), None)
            } else {
                (Source::HaAlarmPanel, EventKind::ArmingChanged, Phase::State, Some(ps), None)
            }
        }
    };
    Ok(event(instance, entity, payload, received_at, (source, kind, phase, panel_state, note), state))
}

type Meaning = (Source, EventKind, Phase, Option<PanelState>, Option<String>);

fn event(
    instance: &str,
    entity: &HaEntity,
    payload: &[u8],
    received_at: Timestamp,
    (source, kind, phase, panel_state, note): Meaning,
    state: &str,
) -> DeviceEvent {
    DeviceEvent {
        source,
        source_instance: instance.to_owned(),
        source_event_id: fields::synthetic_id(&entity.device, received_at, 0),
        id_from_source: false,
        seq: 0,
        kind,
        phase,
        severity: kind.default_severity(),
        occurred_at: None,
        received_at,
        device: entity.device.clone(),
        zone_hint: None,
        camera: None,
        panel_state,
        entry_delay_secs: None,
        snapshot: None,
        note,
        payload_hash: PayloadHash::of(payload),
        raw: RawJson::bounded(&Value::String(state.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2026-11-21T18:30:05Z".parse().unwrap()
    }

    fn config() -> HaConfig {
        let mut c = HaConfig::default();
        c.insert("site1/kho/door/state", HaEntity::binary_sensor("kho_door", BinaryClass::Door));
        c.insert("site1/kho/pir/state", HaEntity::binary_sensor("kho_pir", BinaryClass::Motion));
        c.insert("site1/net/state", HaEntity::binary_sensor("cam_link", BinaryClass::Connectivity));
        c.insert("site1/panel/state", HaEntity::alarm_panel("panel"));
        c
    }

    fn one(topic: &str, payload: &str) -> DeviceEvent {
        parse(topic, payload.as_bytes(), at(), &config()).unwrap().remove(0)
    }

    #[test]
    fn a_door_sensor_opens_on_on_and_closes_on_off() {
        let open = one("site1/kho/door/state", "ON");
        assert_eq!((open.source, open.kind, open.phase), (Source::HaBinarySensor, EventKind::DoorOpen, Phase::New));
        assert_eq!(open.device, "kho_door");
        assert_eq!(open.source_instance, "homeassistant");
        assert!(!open.id_from_source);
        let closed = one("site1/kho/door/state", "OFF\n");
        assert_eq!((closed.kind, closed.phase), (EventKind::DoorClosed, Phase::End));
    }

    #[test]
    fn the_class_decides_what_on_means() {
        assert_eq!(one("site1/kho/pir/state", "ON").kind, EventKind::Motion);
        let lost = one("site1/net/state", "OFF");
        assert_eq!((lost.kind, lost.phase), (EventKind::Fault, Phase::New));
        let back = one("site1/net/state", "ON");
        assert_eq!((back.kind, back.phase), (EventKind::Fault, Phase::End));
        assert_eq!(BinaryClass::Safety.meaning(true), (EventKind::Panic, Phase::New));
        assert_eq!(BinaryClass::Lock.meaning(true), (EventKind::DoorOpen, Phase::New));
        assert_eq!(BinaryClass::Smoke.meaning(false), (EventKind::Smoke, Phase::End));
    }

    #[test]
    fn statestream_lower_case_and_unavailable_are_understood() {
        assert_eq!(one("site1/kho/door/state", "on").kind, EventKind::DoorOpen);
        let gone = one("site1/kho/door/state", "unavailable");
        assert_eq!((gone.kind, gone.note.as_deref()), (EventKind::Fault, Some("unavailable")));
        assert!(matches!(parse("site1/kho/door/state", b"unknown", at(), &config()), Err(ParseError::Ignored { .. })));
        assert_eq!(
            parse("site1/kho/door/state", b"OPEN", at(), &config()),
            Err(ParseError::BadValue { field: "state" })
        );
    }

    #[test]
    fn panel_states_are_arming_changes_and_triggered_is_an_intrusion() {
        let armed = one("site1/panel/state", "armed_away");
        assert_eq!(
            (armed.kind, armed.phase, armed.panel_state),
            (EventKind::ArmingChanged, Phase::State, Some(PanelState::ArmedAway))
        );
        assert_eq!(armed.source, Source::HaAlarmPanel);
        let trig = one("site1/panel/state", "triggered");
        assert_eq!((trig.kind, trig.phase), (EventKind::Intrusion, Phase::New));
        for s in [
            "disarmed",
            "armed_home",
            "armed_night",
            "armed_vacation",
            "armed_custom_bypass",
            "pending",
            "arming",
            "disarming",
        ] {
            assert_eq!(one("site1/panel/state", s).panel_state.map(PanelState::code), Some(s));
        }
        assert_eq!(
            parse("site1/panel/state", b"armed_sideways", at(), &config()),
            Err(ParseError::BadValue { field: "state" })
        );
    }

    #[test]
    fn unlisted_topics_in_the_discovery_layout_are_read_without_a_class() {
        let e = one("homeassistant/binary_sensor/kho_vib/state", "ON");
        assert_eq!((e.kind, e.device.as_str()), (EventKind::Other, "kho_vib"));
        let p = one("homeassistant/alarm_control_panel/main/state", "disarmed");
        assert_eq!(p.panel_state, Some(PanelState::Disarmed));
        assert_eq!(parse("homeassistant/sensor/temp/state", b"21", at(), &config()), Err(ParseError::UnknownTopic));
        assert_eq!(parse("elsewhere/x/state", b"ON", at(), &config()), Err(ParseError::UnknownTopic));
        assert!(matches!(parse("homeassistant/status", b"online", at(), &config()), Err(ParseError::Ignored { .. })));
        assert!(matches!(
            parse("homeassistant/binary_sensor/kho/config", b"{}", at(), &config()),
            Err(ParseError::Ignored { reason: "ha discovery" })
        ));
    }

    #[test]
    fn discovery_fills_the_table_with_short_keys_and_tilde() {
        let topic = "homeassistant/binary_sensor/node1/kho_door/config";
        let payload = r#"{"~":"site1/kho/door","name":"Cửa kho","uniq_id":"kho-door-01","stat_t":"~/state",
            "dev_cla":"door","pl_on":"OPEN","pl_off":"CLOSED","device":{"identifiers":["x"]}}"#;
        let found = parse_discovery("homeassistant", topic, payload.as_bytes()).unwrap();
        let mut c = HaConfig::default();
        c.apply(found);
        let e = parse("site1/kho/door/state", b"OPEN", at(), &c).unwrap().remove(0);
        assert_eq!((e.kind, e.device.as_str()), (EventKind::DoorOpen, "kho-door-01"));
        // Re-announced under a new state topic: the old one is forgotten.
        let moved = payload.replace("~/state", "~/contact");
        c.apply(parse_discovery("homeassistant", topic, moved.as_bytes()).unwrap());
        assert_eq!(c.entities.len(), 1);
        assert!(c.entities.contains_key("site1/kho/door/contact"));
        // An empty config deletes it.
        c.apply(parse_discovery("homeassistant", topic, b"").unwrap());
        assert!(c.entities.is_empty());
    }

    #[test]
    fn discovery_refuses_bad_configs() {
        let t = "homeassistant/binary_sensor/kho/config";
        assert_eq!(
            parse_discovery("homeassistant", t, b"{\"name\":\"x\"}"),
            Err(ParseError::MissingField("state_topic"))
        );
        assert_eq!(
            parse_discovery("homeassistant", t, br#"{"state_topic":"a/+/b"}"#),
            Err(ParseError::BadValue { field: "state_topic" })
        );
        assert!(matches!(
            parse_discovery("homeassistant", "homeassistant/light/x/config", b"{}"),
            Err(ParseError::Ignored { .. })
        ));
        assert_eq!(parse_discovery("homeassistant", "homeassistant/config", b"{}"), Err(ParseError::UnknownTopic));
        let panel = parse_discovery(
            "homeassistant",
            "homeassistant/alarm_control_panel/p/config",
            br#"{"state_topic":"p/state"}"#,
        );
        assert!(matches!(
            panel,
            Ok(Discovered::Entity { entity: HaEntity { kind: EntityKind::AlarmControlPanel, .. }, .. })
        ));
    }
}
