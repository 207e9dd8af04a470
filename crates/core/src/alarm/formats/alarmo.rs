//! Alarmo, the Home Assistant alarm integration, over MQTT (vectors/mqtt-devices.md §5.3).
//!
//! - `<prefix>/state` and `<prefix>/<area>/state`: the panel state as a plain string, the same
//!   strings as Home Assistant's `alarm_control_panel`.
//! - `<prefix>/event` (and `<prefix>/<area>/event`): JSON `{"event": …}` with parameters.
//!   `TRIGGER` names the sensors that tripped and the entry delay; it becomes one intrusion per
//!   sensor, so that each sensor is mapped to its own zone and two sensors can make a double
//!   knock. The `triggered` *state* that follows is reported as an arming change only: the
//!   alarm was raised by the `TRIGGER` event already.
//! - `<prefix>/command` is what we (or a keypad) send, and is ignored.
//!
//! Alarmo gives no event ids, so ids are made from the device and the arrival time.

use jiff::Timestamp;
use serde_json::Value;

use super::error::{self, ParseError};
use super::fields::{self, MAX_ID, MAX_LABEL, MAX_NOTE, Object};
use crate::alarm::envelope::{DeviceEvent, EventKind, PanelState, PayloadHash, Phase, RawJson, Severity, Source};

/// The default topic prefix.
pub const DEFAULT_PREFIX: &str = "alarmo";

/// The device name of the whole installation when no area is named.
pub const MASTER: &str = "master";

/// Longest entry delay accepted, in seconds.
const MAX_DELAY_SECS: f64 = 86_400.0;

/// Parses a message under the default prefix `alarmo`.
///
/// # Errors
/// See [`ParseError`].
pub fn parse(topic: &str, payload: &[u8], received_at: Timestamp) -> Result<Vec<DeviceEvent>, ParseError> {
    parse_with_prefix(DEFAULT_PREFIX, topic, payload, received_at)
}

/// Parses a message from the Alarmo installation publishing under `prefix`.
///
/// # Errors
/// See [`ParseError`].
pub fn parse_with_prefix(
    prefix: &str,
    topic: &str,
    payload: &[u8],
    received_at: Timestamp,
) -> Result<Vec<DeviceEvent>, ParseError> {
    let rest = topic
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|_| !prefix.is_empty())
        .ok_or(ParseError::UnknownTopic)?;
    let (area, leaf) = match rest.split_once('/') {
        None => (None, rest),
        Some((area, leaf)) if !leaf.contains('/') => (Some(fields::ident(area, "area", MAX_ID)?), leaf),
        Some(_) => return Err(ParseError::UnknownTopic),
    };
    let base = Base { instance: prefix, payload, received_at };
    match leaf {
        "state" => parse_state(&base, area).map(|e| vec![e]),
        "event" => parse_event(&base, area),
        "command" => Err(ParseError::Ignored { reason: "alarmo command" }),
        _ => Err(ParseError::UnknownTopic),
    }
}

struct Base<'a> {
    instance: &'a str,
    payload: &'a [u8],
    received_at: Timestamp,
}

impl Base<'_> {
    fn event(&self, device: &str, index: usize, kind: EventKind, phase: Phase, raw: RawJson) -> DeviceEvent {
        DeviceEvent {
            source: Source::Alarmo,
            source_instance: self.instance.to_owned(),
            source_event_id: fields::synthetic_id(device, self.received_at, index),
            id_from_source: false,
            seq: 0,
            kind,
            phase,
            severity: kind.default_severity(),
            occurred_at: None,
            received_at: self.received_at,
            device: device.to_owned(),
            zone_hint: None,
            camera: None,
            panel_state: None,
            entry_delay_secs: None,
            snapshot: None,
            note: None,
            payload_hash: PayloadHash::of(self.payload),
            raw,
        }
    }
}

fn parse_state(base: &Base<'_>, area: Option<String>) -> Result<DeviceEvent, ParseError> {
    let state = error::text(base.payload)?.trim();
    let ps = PanelState::from_code(&state.to_ascii_lowercase()).ok_or(ParseError::BadValue { field: "state" })?;
    let device = area.clone().unwrap_or_else(|| MASTER.to_owned());
    let mut e = base.event(&device, 0, EventKind::ArmingChanged, Phase::State, RawJson::text(state));
    e.panel_state = Some(ps);
    e.zone_hint = area;
    Ok(e)
}

/// One sensor named in a `TRIGGER` or `FAILED_TO_ARM`.
struct Sensor {
    entity_id: String,
    name: Option<String>,
}

fn sensors(msg: &Object) -> Result<Vec<Sensor>, ParseError> {
    let items = match msg.get("sensors") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ParseError::BadValue { field: "sensors" }),
    };
    items
        .iter()
        .take(fields::MAX_ITEMS)
        .map(|item| match item {
            Value::Object(s) => Ok(Sensor {
                entity_id: fields::ident(
                    fields::req_str(s, "entity_id", "sensors.entity_id")?,
                    "sensors.entity_id",
                    MAX_ID,
                )?,
                name: fields::opt_str(s, "name", "sensors.name")?
                    .map(|n| fields::label(n, "sensors.name", MAX_LABEL))
                    .transpose()?,
            }),
            // Some versions list bare entity ids.
            Value::String(id) => Ok(Sensor { entity_id: fields::ident(id, "sensors.entity_id", MAX_ID)?, name: None }),
            _ => Err(ParseError::BadValue { field: "sensors" }),
        })
        .collect()
}

fn delay(msg: &Object) -> Result<Option<u32>, ParseError> {
    match fields::opt_f64(msg, "delay", "delay")? {
        None => Ok(None),
        Some(d) if (0.0..=MAX_DELAY_SECS).contains(&d) => {
            // Bounded above, so the cast is exact after rounding.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let secs = d.round() as u32;
            Ok(Some(secs))
        }
        Some(_) => Err(ParseError::BadValue { field: "delay" }),
    }
}

fn parse_event(base: &Base<'_>, topic_area: Option<String>) -> Result<Vec<DeviceEvent>, ParseError> {
    let msg = error::json_object(base.payload)?;
    let name = fields::req_str(&msg, "event", "event")?;
    if name.is_empty() || name.len() > 64 || !name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return Err(ParseError::BadValue { field: "event" });
    }
    let area = match fields::opt_str(&msg, "area", "area")? {
        Some(a) => Some(fields::ident(a, "area", MAX_ID)?),
        None => topic_area,
    };
    let device = area.clone().unwrap_or_else(|| MASTER.to_owned());
    let raw = RawJson::bounded(&Value::Object(msg.clone()));
    let mut out = Vec::new();
    match name {
        "TRIGGER" => {
            let delay = delay(&msg)?;
            let tripped = sensors(&msg)?;
            let mut push = |dev: &str, note: Option<String>, i: usize| {
                let mut e = base.event(dev, i, EventKind::Intrusion, Phase::New, raw.clone());
                e.entry_delay_secs = delay;
                e.note = note;
                e.zone_hint.clone_from(&area);
                out.push(e);
            };
            if tripped.is_empty() {
                push(&device, None, 0);
            }
            for (i, s) in tripped.into_iter().enumerate() {
                push(&s.entity_id, s.name, i);
            }
        }
        "ARM_AWAY" | "ARM_HOME" | "ARM_NIGHT" | "ARM_VACATION" | "ARM_CUSTOM_BYPASS" => {
            let mut e = base.event(&device, 0, EventKind::ArmingChanged, Phase::State, raw);
            e.panel_state = Some(PanelState::Arming);
            e.note = Some(match delay(&msg)? {
                Some(d) => format!("{name} (delay {d} s)"),
                None => name.to_owned(),
            });
            e.zone_hint = area;
            out.push(e);
        }
        _ => {
            let (kind, severity, detail) = match name {
                "FAILED_TO_ARM" => {
                    let open: Vec<String> = sensors(&msg)?.into_iter().map(|s| s.name.unwrap_or(s.entity_id)).collect();
                    (EventKind::Fault, 2, open.join(", "))
                }
                "COMMAND_NOT_ALLOWED" => {
                    let command = fields::opt_str(&msg, "command", "command")?.unwrap_or_default();
                    let state = fields::opt_str(&msg, "state", "state")?.unwrap_or_default();
                    (EventKind::Other, 1, format!("{command} in {state}"))
                }
                // A wrong code at a keypad at night is worth a look, not an alarm.
                "INVALID_CODE_PROVIDED" | "NO_CODE_PROVIDED" => (EventKind::Other, 2, String::new()),
                _ => (EventKind::Other, 1, String::new()),
            };
            let mut e = base.event(&device, 0, kind, Phase::State, raw);
            e.severity = Severity::clamped(severity);
            let note = if detail.trim().is_empty() { name.to_owned() } else { format!("{name}: {detail}") };
            e.note = Some(fields::label(&note, "event", MAX_NOTE).unwrap_or_else(|_| name.to_owned()));
            e.zone_hint = area;
            out.push(e);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2026-11-21T18:30:05Z".parse().unwrap()
    }

    #[test]
    fn the_documented_trigger_becomes_one_intrusion_per_sensor() {
        let p = br#"{"event":"TRIGGER","sensors":[{"entity_id":"binary_sensor.frontdoor","name":"Front Door"}],"delay":60}"#;
        let events = parse("alarmo/event", p, at()).unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!((e.source, e.kind, e.phase), (Source::Alarmo, EventKind::Intrusion, Phase::New));
        assert_eq!(e.device, "binary_sensor.frontdoor");
        assert_eq!(e.note.as_deref(), Some("Front Door"));
        assert_eq!(e.entry_delay_secs, Some(60));
        assert_eq!(e.address(), "alarmo/binary_sensor.frontdoor");
        assert!(!e.id_from_source);
    }

    #[test]
    fn two_sensors_make_two_events_with_distinct_identities() {
        let p = br#"{"event":"TRIGGER","area":"kho","sensors":[{"entity_id":"binary_sensor.a","name":"A"},
            {"entity_id":"binary_sensor.b","name":"B"}],"delay":0}"#;
        let events = parse("alarmo/event", p, at()).unwrap();
        assert_eq!(events.len(), 2);
        assert_ne!(events[0].identity(), events[1].identity());
        assert_ne!(events[0].dedup_key(), events[1].dedup_key());
        assert!(events.iter().all(|e| e.zone_hint.as_deref() == Some("kho")));
    }

    #[test]
    fn a_trigger_without_sensors_names_the_area() {
        let events = parse("alarmo/kho/event", br#"{"event":"TRIGGER"}"#, at()).unwrap();
        assert_eq!(events[0].device, "kho");
        assert_eq!(events[0].entry_delay_secs, None);
    }

    #[test]
    fn state_topics_carry_plain_strings_per_area() {
        let master = parse("alarmo/state", b"armed_away", at()).unwrap().remove(0);
        assert_eq!((master.kind, master.panel_state), (EventKind::ArmingChanged, Some(PanelState::ArmedAway)));
        assert_eq!(master.device, MASTER);
        let area = parse("alarmo/kho_tien/state", b"disarmed", at()).unwrap().remove(0);
        assert_eq!((area.device.as_str(), area.zone_hint.as_deref()), ("kho_tien", Some("kho_tien")));
        let trig = parse("alarmo/state", b"triggered", at()).unwrap().remove(0);
        assert_eq!((trig.kind, trig.panel_state), (EventKind::ArmingChanged, Some(PanelState::Triggered)));
        assert_eq!(parse("alarmo/state", b"on fire", at()), Err(ParseError::BadValue { field: "state" }));
    }

    #[test]
    fn arming_and_refusals_are_reported_with_a_note() {
        let arm = parse("alarmo/event", br#"{"event":"ARM_AWAY","delay":30}"#, at()).unwrap().remove(0);
        assert_eq!(arm.note.as_deref(), Some("ARM_AWAY (delay 30 s)"));
        assert_eq!(arm.panel_state, Some(PanelState::Arming));
        let failed = parse(
            "alarmo/event",
            r#"{"event":"FAILED_TO_ARM","sensors":[{"entity_id":"binary_sensor.window","name":"Cửa sổ"}]}"#.as_bytes(),
            at(),
        )
        .unwrap()
        .remove(0);
        assert_eq!((failed.kind, failed.note.as_deref()), (EventKind::Fault, Some("FAILED_TO_ARM: Cửa sổ")));
        let refused =
            parse("alarmo/event", br#"{"event":"COMMAND_NOT_ALLOWED","state":"triggered","command":"ARM_AWAY"}"#, at())
                .unwrap()
                .remove(0);
        assert_eq!(refused.note.as_deref(), Some("COMMAND_NOT_ALLOWED: ARM_AWAY in triggered"));
        for name in ["NO_CODE_PROVIDED", "INVALID_CODE_PROVIDED"] {
            let e = parse("alarmo/event", format!("{{\"event\":\"{name}\"}}").as_bytes(), at()).unwrap().remove(0);
            assert_eq!((e.kind, e.severity.get(), e.note.as_deref()), (EventKind::Other, 2, Some(name)));
        }
    }

    #[test]
    fn malformed_events_are_refused() {
        assert_eq!(parse("alarmo/event", b"{}", at()), Err(ParseError::MissingField("event")));
        assert_eq!(parse("alarmo/event", br#"{"event":"<b>"}"#, at()), Err(ParseError::BadValue { field: "event" }));
        assert_eq!(
            parse("alarmo/event", br#"{"event":"TRIGGER","delay":-5}"#, at()),
            Err(ParseError::BadValue { field: "delay" })
        );
        assert_eq!(
            parse("alarmo/event", br#"{"event":"TRIGGER","sensors":[{"name":"x"}]}"#, at()),
            Err(ParseError::MissingField("sensors.entity_id"))
        );
        assert_eq!(
            parse("alarmo/event", br#"{"event":"TRIGGER","sensors":"all"}"#, at()),
            Err(ParseError::BadValue { field: "sensors" })
        );
    }

    #[test]
    fn commands_and_foreign_topics_are_not_events() {
        assert!(matches!(parse("alarmo/command", b"ARM_AWAY", at()), Err(ParseError::Ignored { .. })));
        assert_eq!(parse("alarmo/a/b/state", b"disarmed", at()), Err(ParseError::UnknownTopic));
        assert_eq!(parse("frigate/events", b"{}", at()), Err(ParseError::UnknownTopic));
        assert_eq!(parse("alarmo", b"{}", at()), Err(ParseError::UnknownTopic));
        let site = parse_with_prefix("site7/alarmo", "site7/alarmo/state", b"disarmed", at()).unwrap().remove(0);
        assert_eq!(site.source_instance, "site7/alarmo");
    }
}
