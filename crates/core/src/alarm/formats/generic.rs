//! baove's own device event format, for panels, gateways and scripts that can publish JSON
//! but speak none of the formats above. **This is a published interface**: change it only by
//! adding optional fields.
//!
//! # Transport
//!
//! - MQTT: topic `<prefix>/<device>/event`, prefix `baove` unless configured otherwise,
//!   `<device>` one topic level. Publish with QoS 1; repeats are recognised.
//! - HTTP webhook: the same body, the device named by the hook ([`parse_body`]).
//!
//! # Body
//!
//! One JSON object in UTF-8, at most 64 KiB:
//!
//! | field      | type                | required | meaning |
//! |------------|---------------------|----------|---------|
//! | `id`       | string, 1–128 chars, no spaces | yes | your id of the happening; send `new`, `update` and `end` of one happening with the same id |
//! | `device`   | string, 1–128 chars, no spaces | yes | your id of the device; must equal the topic's `<device>` level |
//! | `kind`     | string              | yes      | one of `intrusion`, `door_open`, `door_forced`, `door_closed`, `motion`, `person_detected`, `vehicle_detected`, `smoke`, `tamper`, `panic`, `arming_changed`, `fault`, `other` |
//! | `zone`     | string, 1–64 chars  | no       | your name of the area; a hint, the site's device table decides |
//! | `at`       | string, RFC 3339 with offset (`2026-11-21T01:42:10+07:00`) | no | when it happened by the device's clock |
//! | `severity` | integer 1–5         | no       | 5 = life at risk; default by kind (panic and smoke 5, intrusion, door_forced and tamper 4, …) |
//! | `phase`    | string              | no       | `new` (default), `update`, `end` or `state` |
//! | `seq`      | integer ≥ 0         | no       | orders several `update`s of one id; default 0 |
//! | `note`     | string, ≤ 500 chars | no       | a short text for the people on duty |
//!
//! Other fields are ignored. A message with the same `id`, `phase` and `seq` as one already
//! received is a repeat; an identical body is a repeat whatever its `seq`.
//!
//! ```json
//! {"id":"kho-0193","device":"door-kho-1","kind":"door_forced","zone":"kho",
//!  "at":"2026-11-21T01:42:10+07:00","severity":4,"note":"Cửa kho bị cạy"}
//! ```

use jiff::Timestamp;
use serde_json::Value;

use super::error::{self, ParseError};
use super::fields::{self, MAX_ID, MAX_LABEL, MAX_NOTE};
use crate::alarm::envelope::{DeviceEvent, EventKind, PayloadHash, Phase, RawJson, Severity, Source};

/// The default topic prefix.
pub const DEFAULT_PREFIX: &str = "baove";

/// Parses a message under the default prefix `baove`.
///
/// # Errors
/// See [`ParseError`].
pub fn parse(topic: &str, payload: &[u8], received_at: Timestamp) -> Result<Vec<DeviceEvent>, ParseError> {
    parse_with_prefix(DEFAULT_PREFIX, topic, payload, received_at)
}

/// Parses a message on `<prefix>/<device>/event`.
///
/// # Errors
/// See [`ParseError`].
pub fn parse_with_prefix(
    prefix: &str,
    topic: &str,
    payload: &[u8],
    received_at: Timestamp,
) -> Result<Vec<DeviceEvent>, ParseError> {
    let device = topic
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('/'))
        .and_then(|r| r.strip_suffix("/event"))
        .filter(|d| !prefix.is_empty() && !d.is_empty() && !d.contains('/'))
        .ok_or(ParseError::UnknownTopic)?;
    parse_body(prefix, Some(device), payload, received_at).map(|e| vec![e])
}

/// Parses a body received from `instance` (a topic prefix or a webhook's name); `device`, when
/// the transport names one, must match the body's.
///
/// # Errors
/// See [`ParseError`].
pub fn parse_body(
    instance: &str,
    device: Option<&str>,
    payload: &[u8],
    received_at: Timestamp,
) -> Result<DeviceEvent, ParseError> {
    let msg = error::json_object(payload)?;
    let id = fields::ident(fields::req_str(&msg, "id", "id")?, "id", MAX_ID)?;
    let body_device = fields::ident(fields::req_str(&msg, "device", "device")?, "device", MAX_ID)?;
    if device.is_some_and(|d| d != body_device) {
        return Err(ParseError::BadValue { field: "device" });
    }
    let kind =
        EventKind::from_code(fields::req_str(&msg, "kind", "kind")?).ok_or(ParseError::BadValue { field: "kind" })?;
    let zone_hint = fields::opt_str(&msg, "zone", "zone")?.map(|z| fields::label(z, "zone", MAX_LABEL)).transpose()?;
    let occurred_at = match fields::opt_str(&msg, "at", "at")? {
        None => None,
        Some(s) if s.len() <= 64 => {
            Some(s.trim().parse::<Timestamp>().map_err(|_| ParseError::BadValue { field: "at" })?)
        }
        Some(_) => return Err(ParseError::BadValue { field: "at" }),
    };
    let severity = match msg.get("severity") {
        None | Some(Value::Null) => kind.default_severity(),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|v| u8::try_from(v).ok())
            .and_then(Severity::new)
            .ok_or(ParseError::BadValue { field: "severity" })?,
        Some(_) => return Err(ParseError::BadValue { field: "severity" }),
    };
    let phase = match fields::opt_str(&msg, "phase", "phase")? {
        None => Phase::New,
        Some(p) => Phase::from_code(p).ok_or(ParseError::BadValue { field: "phase" })?,
    };
    let seq = match msg.get("seq") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n.as_u64().ok_or(ParseError::BadValue { field: "seq" })?,
        Some(_) => return Err(ParseError::BadValue { field: "seq" }),
    };
    let note = match fields::opt_str(&msg, "note", "note")? {
        Some(n) if !n.trim().is_empty() => Some(fields::label(n, "note", MAX_NOTE)?),
        _ => None,
    };
    Ok(DeviceEvent {
        source: Source::Generic,
        source_instance: instance.to_owned(),
        source_event_id: id,
        id_from_source: true,
        seq,
        kind,
        phase,
        severity,
        occurred_at,
        received_at,
        device: body_device,
        zone_hint,
        camera: None,
        panel_state: None,
        entry_delay_secs: None,
        snapshot: None,
        note,
        payload_hash: PayloadHash::of(payload),
        raw: RawJson::bounded(&Value::Object(msg)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2026-11-20T18:42:11Z".parse().unwrap()
    }

    const EXAMPLE: &str = r#"{"id":"kho-0193","device":"door-kho-1","kind":"door_forced","zone":"kho",
        "at":"2026-11-21T01:42:10+07:00","severity":4,"note":"Cửa kho bị cạy"}"#;

    #[test]
    fn the_documented_example_parses() {
        let e = parse("baove/door-kho-1/event", EXAMPLE.as_bytes(), at()).unwrap().remove(0);
        assert_eq!((e.source, e.kind, e.phase), (Source::Generic, EventKind::DoorForced, Phase::New));
        assert_eq!(e.source_instance, "baove");
        assert_eq!(e.source_event_id, "kho-0193");
        assert_eq!(e.occurred_at.unwrap().to_string(), "2026-11-20T18:42:10Z");
        assert_eq!(e.zone_hint.as_deref(), Some("kho"));
        assert_eq!(e.note.as_deref(), Some("Cửa kho bị cạy"));
        assert_eq!(e.severity.get(), 4);
        assert!(e.id_from_source);
    }

    #[test]
    fn only_id_device_and_kind_are_required() {
        let e = parse("baove/pb-1/event", br#"{"id":"1","device":"pb-1","kind":"panic"}"#, at()).unwrap().remove(0);
        assert_eq!((e.phase, e.severity.get(), e.seq, e.occurred_at), (Phase::New, 5, 0, None));
        for (body, field) in [
            (r#"{"device":"pb-1","kind":"panic"}"#, "id"),
            (r#"{"id":"1","kind":"panic"}"#, "device"),
            (r#"{"id":"1","device":"pb-1"}"#, "kind"),
        ] {
            assert_eq!(parse("baove/pb-1/event", body.as_bytes(), at()), Err(ParseError::MissingField(field)));
        }
    }

    #[test]
    fn each_bad_value_names_its_field() {
        let base = r#""id":"1","device":"d""#;
        for (extra, field) in [
            (r#""kind":"earthquake""#, "kind"),
            (r#""kind":"panic","severity":9"#, "severity"),
            (r#""kind":"panic","severity":"high""#, "severity"),
            (r#""kind":"panic","phase":"begin""#, "phase"),
            (r#""kind":"panic","at":"21/11/2026 01:42""#, "at"),
            (r#""kind":"panic","at":"2026-11-21T01:42:10""#, "at"),
            (r#""kind":"panic","seq":-1"#, "seq"),
            (r#""kind":"panic","zone":"""#, "zone"),
        ] {
            let body = format!("{{{base},{extra}}}");
            assert_eq!(parse("baove/d/event", body.as_bytes(), at()), Err(ParseError::BadValue { field }), "{body}");
        }
    }

    #[test]
    fn the_body_must_name_the_topics_device() {
        assert_eq!(
            parse("baove/door-kho-2/event", EXAMPLE.as_bytes(), at()),
            Err(ParseError::BadValue { field: "device" })
        );
        let hook = parse_body("webhook/gw-7", None, EXAMPLE.as_bytes(), at()).unwrap();
        assert_eq!(hook.address(), "webhook/gw-7/door-kho-1");
    }

    #[test]
    fn topics_outside_the_layout_are_unknown() {
        for topic in ["baove/event", "baove/a/b/event", "baove/d/events", "other/d/event", "baove//event"] {
            assert_eq!(parse(topic, EXAMPLE.as_bytes(), at()), Err(ParseError::UnknownTopic), "{topic}");
        }
        let site = parse_with_prefix("site9/baove", "site9/baove/door-kho-1/event", EXAMPLE.as_bytes(), at());
        assert_eq!(site.unwrap()[0].source_instance, "site9/baove");
    }

    #[test]
    fn a_repeated_delivery_has_the_same_keys_and_a_new_update_does_not() {
        let a = parse("baove/door-kho-1/event", EXAMPLE.as_bytes(), at()).unwrap().remove(0);
        let later: Timestamp = "2026-11-20T18:42:15Z".parse().unwrap();
        let again = parse("baove/door-kho-1/event", EXAMPLE.as_bytes(), later).unwrap().remove(0);
        assert_eq!(a.idempotency_key(), again.idempotency_key());
        assert_eq!(a.dedup_key(), again.dedup_key());
        let upd = EXAMPLE.replace("\"severity\":4", "\"severity\":5,\"phase\":\"update\",\"seq\":1");
        let upd = parse("baove/door-kho-1/event", upd.as_bytes(), later).unwrap().remove(0);
        assert_eq!(a.identity(), upd.identity());
        assert_ne!(a.idempotency_key(), upd.idempotency_key());
    }

    #[test]
    fn a_long_note_or_control_characters_are_refused() {
        let long = format!(r#"{{"id":"1","device":"d","kind":"other","note":"{}"}}"#, "x".repeat(501));
        assert_eq!(parse("baove/d/event", long.as_bytes(), at()), Err(ParseError::BadValue { field: "note" }));
        let ctl = r#"{"id":"1","device":"d","kind":"other","note":"a\u0007b"}"#;
        assert_eq!(parse("baove/d/event", ctl.as_bytes(), at()), Err(ParseError::BadValue { field: "note" }));
    }
}
