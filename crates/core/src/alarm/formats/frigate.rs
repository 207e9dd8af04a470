//! Frigate NVR over MQTT (vectors/mqtt-devices.md §5.1): tracked objects on `<prefix>/events`
//! and review items on `<prefix>/reviews`, each `{type: new|update|end, before, after}`. We
//! read `after`, the object as it is now.
//!
//! The prefix (`frigate` by default, unique per instance) becomes the event's
//! `source_instance`, so the ids of two Frigate servers never collide. Everything else Frigate
//! publishes — availability, stats, per-camera counts, JPEG snapshots, switch states — is
//! [`ParseError::Ignored`], and a snapshot is recognised by its topic before its bytes are
//! looked at (a JPEG may well exceed the size limit).

use jiff::Timestamp;
use serde_json::Value;

use super::error::{self, ParseError};
use super::fields::{self, MAX_ID, MAX_LABEL, Object};
use crate::alarm::envelope::{CameraDetail, DeviceEvent, EventKind, PayloadHash, Phase, RawJson, Severity, Source};

/// The default topic prefix.
pub const DEFAULT_PREFIX: &str = "frigate";

/// Labels Frigate gives vehicles.
const VEHICLE_LABELS: &[&str] = &["car", "motorcycle", "bicycle", "bus", "truck", "boat", "license_plate"];

/// Parses a message from a Frigate instance whose prefix is everything before the topic's
/// last level (`site-042/frigate/events` → `site-042/frigate`).
///
/// # Errors
/// See [`ParseError`]; a topic without a prefix is [`ParseError::UnknownTopic`].
pub fn parse(topic: &str, payload: &[u8], received_at: Timestamp) -> Result<Vec<DeviceEvent>, ParseError> {
    let Some((prefix, last)) = topic.rsplit_once('/') else { return Err(ParseError::UnknownTopic) };
    match last {
        "events" | "reviews" | "available" | "stats" | "tracked_object_update" | "restart" => {
            parse_with_prefix(prefix, topic, payload, received_at)
        }
        "snapshot" => Err(ParseError::Ignored { reason: "frigate snapshot" }),
        _ => Err(ParseError::Ignored { reason: "frigate topic not used" }),
    }
}

/// Parses a message on `topic` from the Frigate instance publishing under `prefix`.
///
/// # Errors
/// See [`ParseError`]; a topic outside `prefix` is [`ParseError::UnknownTopic`].
pub fn parse_with_prefix(
    prefix: &str,
    topic: &str,
    payload: &[u8],
    received_at: Timestamp,
) -> Result<Vec<DeviceEvent>, ParseError> {
    let rest = topic.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')).ok_or(ParseError::UnknownTopic)?;
    if prefix.is_empty() {
        return Err(ParseError::UnknownTopic);
    }
    match rest {
        "events" => parse_event(prefix, payload, received_at).map(|e| vec![e]),
        "reviews" => parse_review(prefix, payload, received_at).map(|e| vec![e]),
        "available" => Err(ParseError::Ignored { reason: "frigate availability" }),
        "stats" => Err(ParseError::Ignored { reason: "frigate stats" }),
        r if r == "snapshot" || r.ends_with("/snapshot") => Err(ParseError::Ignored { reason: "frigate snapshot" }),
        _ => Err(ParseError::Ignored { reason: "frigate topic not used" }),
    }
}

fn phase_of(obj: &Object) -> Result<Phase, ParseError> {
    match fields::req_str(obj, "type", "type")? {
        "new" => Ok(Phase::New),
        "update" => Ok(Phase::Update),
        "end" => Ok(Phase::End),
        _ => Err(ParseError::BadValue { field: "type" }),
    }
}

/// `sub_label` and `recognized_license_plate` are a string in some versions and
/// `[text, score]` in others.
fn text_or_pair(obj: &Object, key: &str, field: &'static str) -> Result<Option<String>, ParseError> {
    let raw = match obj.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Array(pair)) => match pair.first() {
            Some(Value::String(s)) => s.as_str(),
            None | Some(Value::Null) => return Ok(None),
            Some(_) => return Err(ParseError::BadValue { field }),
        },
        Some(_) => return Err(ParseError::BadValue { field }),
    };
    if raw.trim().is_empty() { Ok(None) } else { fields::label(raw, field, MAX_LABEL).map(Some) }
}

fn kind_of_label(label: &str) -> EventKind {
    if label == "person" || label.starts_with("person") {
        EventKind::PersonDetected
    } else if VEHICLE_LABELS.contains(&label) {
        EventKind::VehicleDetected
    } else {
        EventKind::Other
    }
}

fn parse_event(prefix: &str, payload: &[u8], received_at: Timestamp) -> Result<DeviceEvent, ParseError> {
    let msg = error::json_object(payload)?;
    let phase = phase_of(&msg)?;
    let after = fields::req_obj(&msg, "after", "after")?;
    if fields::flag(after, "false_positive", "after.false_positive")? {
        return Err(ParseError::Ignored { reason: "frigate false positive" });
    }
    let id = fields::token(fields::req_str(after, "id", "after.id")?, "after.id", MAX_ID)?;
    let camera = fields::token(fields::req_str(after, "camera", "after.camera")?, "after.camera", MAX_ID)?;
    let label = fields::label(fields::req_str(after, "label", "after.label")?, "after.label", MAX_LABEL)?;
    let started_at = fields::opt_epoch(after, "start_time", "after.start_time")?;
    let ended_at = fields::opt_epoch(after, "end_time", "after.end_time")?;
    let frame_at = fields::opt_epoch(after, "frame_time", "after.frame_time")?;
    let has_snapshot = fields::flag(after, "has_snapshot", "after.has_snapshot")?;
    let detail = CameraDetail {
        camera: camera.clone(),
        label: label.clone(),
        sub_label: text_or_pair(after, "sub_label", "after.sub_label")?,
        score: fields::opt_score(after, "score", "after.score")?,
        top_score: fields::opt_score(after, "top_score", "after.top_score")?,
        current_zones: fields::labels(after, "current_zones", "after.current_zones")?,
        entered_zones: fields::labels(after, "entered_zones", "after.entered_zones")?,
        plate: text_or_pair(after, "recognized_license_plate", "after.recognized_license_plate")?,
        has_snapshot,
        has_clip: fields::flag(after, "has_clip", "after.has_clip")?,
        review_severity: None,
        related_ids: Vec::new(),
        started_at,
        ended_at,
    };
    let occurred_at = match phase {
        Phase::End => ended_at.or(frame_at).or(started_at),
        Phase::Update => frame_at.or(started_at),
        Phase::New | Phase::State => started_at.or(frame_at),
    };
    let kind = kind_of_label(&label);
    let zone_hint = detail.current_zones.first().or(detail.entered_zones.first()).cloned();
    Ok(DeviceEvent {
        source: Source::Frigate,
        source_instance: prefix.to_owned(),
        snapshot: has_snapshot.then(|| format!("api/events/{id}/snapshot.jpg")),
        source_event_id: id,
        id_from_source: true,
        seq: occurred_at.map_or(0, fields::seq_of),
        kind,
        phase,
        severity: kind.default_severity(),
        occurred_at,
        received_at,
        device: camera,
        zone_hint,
        camera: Some(detail),
        panel_state: None,
        entry_delay_secs: None,
        note: None,
        payload_hash: PayloadHash::of(payload),
        raw: RawJson::bounded(&Value::Object(msg)),
    })
}

fn parse_review(prefix: &str, payload: &[u8], received_at: Timestamp) -> Result<DeviceEvent, ParseError> {
    let msg = error::json_object(payload)?;
    let phase = phase_of(&msg)?;
    let after = fields::req_obj(&msg, "after", "after")?;
    let id = fields::token(fields::req_str(after, "id", "after.id")?, "after.id", MAX_ID)?;
    let camera = fields::token(fields::req_str(after, "camera", "after.camera")?, "after.camera", MAX_ID)?;
    let alert = match fields::req_str(after, "severity", "after.severity")? {
        "alert" => true,
        "detection" => false,
        _ => return Err(ParseError::BadValue { field: "after.severity" }),
    };
    let started_at = fields::opt_epoch(after, "start_time", "after.start_time")?;
    let ended_at = fields::opt_epoch(after, "end_time", "after.end_time")?;
    let empty = Object::new();
    let data = match after.get("data") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ParseError::BadValue { field: "after.data" }),
    };
    let objects = fields::labels(data, "objects", "after.data.objects")?;
    let related_ids = match data.get("detections") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(ids)) => ids
            .iter()
            .take(fields::MAX_ITEMS)
            .map(|v| match v {
                Value::String(s) => fields::token(s, "after.data.detections", MAX_ID),
                _ => Err(ParseError::BadValue { field: "after.data.detections" }),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(ParseError::BadValue { field: "after.data.detections" }),
    };
    let zones = fields::labels(data, "zones", "after.data.zones")?;
    let sub_labels = fields::labels(data, "sub_labels", "after.data.sub_labels")?;
    // A file path on the Frigate host: each level a token, so no `..`.
    let snapshot = match fields::opt_str(after, "thumb_path", "after.thumb_path")? {
        None => None,
        Some(p)
            if p.len() <= 256 && p.trim_start_matches('/').split('/').all(|l| fields::token(l, "", 128).is_ok()) =>
        {
            Some(p.to_owned())
        }
        Some(_) => return Err(ParseError::BadValue { field: "after.thumb_path" }),
    };
    // An alert is Frigate saying "a person should look at this"; a detection is not.
    let kind = if !alert {
        EventKind::Other
    } else if objects.iter().any(|o| kind_of_label(o) == EventKind::PersonDetected) {
        EventKind::PersonDetected
    } else if objects.iter().any(|o| kind_of_label(o) == EventKind::VehicleDetected) {
        EventKind::VehicleDetected
    } else {
        EventKind::Intrusion
    };
    let occurred_at = if phase == Phase::End { ended_at.or(started_at) } else { started_at };
    let detail = CameraDetail {
        camera: camera.clone(),
        label: objects.first().cloned().unwrap_or_default(),
        sub_label: sub_labels.first().cloned(),
        current_zones: zones,
        review_severity: Some(if alert { "alert" } else { "detection" }.to_owned()),
        related_ids,
        started_at,
        ended_at,
        has_snapshot: snapshot.is_some(),
        ..CameraDetail::default()
    };
    Ok(DeviceEvent {
        source: Source::Frigate,
        source_instance: prefix.to_owned(),
        source_event_id: id,
        id_from_source: true,
        seq: occurred_at.map_or(0, fields::seq_of),
        kind,
        phase,
        severity: Severity::clamped(if alert { 4 } else { 2 }),
        occurred_at,
        received_at,
        device: camera,
        zone_hint: detail.current_zones.first().cloned(),
        camera: Some(detail),
        panel_state: None,
        entry_delay_secs: None,
        snapshot,
        note: None,
        payload_hash: PayloadHash::of(payload),
        raw: RawJson::bounded(&Value::Object(msg)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2026-11-21T18:30:05Z".parse().unwrap()
    }

    /// The `update` example of Frigate's MQTT documentation, with the newer fields.
    const UPDATE: &str = r#"{
      "type": "update",
      "before": {
        "id": "1607123955.475377-mxklsc", "camera": "front_door", "frame_time": 1607123961.837752,
        "snapshot_time": 1607123961.837752, "label": "person", "sub_label": null,
        "top_score": 0.958984375, "false_positive": false, "start_time": 1607123955.475377,
        "end_time": null, "score": 0.7890625, "box": [424, 500, 536, 712], "area": 23744,
        "ratio": 2.113207, "region": [264, 450, 667, 853], "current_zones": ["driveway"],
        "entered_zones": ["yard", "driveway"], "thumbnail": null, "has_snapshot": false,
        "has_clip": false, "stationary": false, "motionless_count": 0, "position_changes": 2
      },
      "after": {
        "id": "1607123955.475377-mxklsc", "camera": "front_door", "frame_time": 1607123962.082975,
        "snapshot_time": 1607123961.837752, "label": "person", "sub_label": ["Bob", 0.92],
        "top_score": 0.958984375, "false_positive": false, "start_time": 1607123955.475377,
        "end_time": null, "score": 0.87890625, "box": [432, 496, 544, 854], "area": 40096,
        "ratio": 1.251397, "region": [218, 440, 693, 915], "current_zones": ["yard", "driveway"],
        "entered_zones": ["yard", "driveway"], "thumbnail": null, "has_snapshot": true,
        "has_clip": true, "stationary": false, "motionless_count": 0, "position_changes": 2,
        "attributes": {"face": 0.86}, "current_attributes": [],
        "recognized_license_plate": null
      }
    }"#;

    #[test]
    fn an_event_update_reads_the_after_object() {
        let events = parse("frigate/events", UPDATE.as_bytes(), at()).unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.source, Source::Frigate);
        assert_eq!(e.source_instance, "frigate");
        assert_eq!(e.source_event_id, "1607123955.475377-mxklsc");
        assert_eq!(e.phase, Phase::Update);
        assert_eq!(e.kind, EventKind::PersonDetected);
        assert_eq!(e.device, "front_door");
        assert_eq!(e.zone_hint.as_deref(), Some("yard"));
        let cam = e.camera.as_ref().unwrap();
        assert_eq!(cam.sub_label.as_deref(), Some("Bob"));
        assert_eq!(cam.score, Some(0.878_906_25));
        assert_eq!(cam.entered_zones, ["yard", "driveway"]);
        assert_eq!(e.snapshot.as_deref(), Some("api/events/1607123955.475377-mxklsc/snapshot.jpg"));
        assert_eq!(e.occurred_at.unwrap().to_string(), "2020-12-04T23:19:22.082975Z");
        assert_eq!(e.received_at, at());
        assert!(e.raw.as_str().contains("mxklsc"));
    }

    #[test]
    fn new_update_and_end_of_one_object_share_an_identity() {
        let new = UPDATE.replacen("\"type\": \"update\"", "\"type\": \"new\"", 1);
        let end = UPDATE
            .replacen("\"type\": \"update\"", "\"type\": \"end\"", 1)
            .replace("\"end_time\": null, \"score\": 0.87890625", "\"end_time\": 1607123990.5, \"score\": 0.87890625");
        let new = parse("frigate/events", new.as_bytes(), at()).unwrap().remove(0);
        let upd = parse("frigate/events", UPDATE.as_bytes(), at()).unwrap().remove(0);
        let end = parse("frigate/events", end.as_bytes(), at()).unwrap().remove(0);
        assert_eq!(new.identity(), upd.identity());
        assert_eq!(upd.identity(), end.identity());
        assert_eq!(end.phase, Phase::End);
        assert_eq!(end.occurred_at.unwrap().to_string(), "2020-12-04T23:19:50.5Z");
        assert_eq!(new.occurred_at.unwrap().to_string(), "2020-12-04T23:19:15.475377Z");
        assert_ne!(new.idempotency_key(), upd.idempotency_key());
    }

    #[test]
    fn a_second_instance_keeps_its_own_prefix() {
        let e = parse("site-042/frigate/events", UPDATE.as_bytes(), at()).unwrap().remove(0);
        assert_eq!(e.source_instance, "site-042/frigate");
        assert_eq!(e.address(), "site-042/frigate/front_door");
    }

    #[test]
    fn a_plate_and_a_vehicle_label_make_a_vehicle_event() {
        let v = UPDATE
            .replace("\"label\": \"person\", \"sub_label\": [\"Bob\", 0.92]", "\"label\": \"car\", \"sub_label\": null")
            .replace("\"recognized_license_plate\": null", "\"recognized_license_plate\": \"51F-123.45\"");
        let e = parse("frigate/events", v.as_bytes(), at()).unwrap().remove(0);
        assert_eq!(e.kind, EventKind::VehicleDetected);
        assert_eq!(e.camera.unwrap().plate.as_deref(), Some("51F-123.45"));
    }

    /// A review item as Frigate 0.14+ publishes it.
    const REVIEW: &str = r#"{"type":"new","before":{"id":"1718987129.308396-fqk5ka","camera":"front_cam",
      "start_time":1718987129.308396,"end_time":null,"severity":"alert",
      "thumb_path":"/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp",
      "data":{"detections":["1718987128.947436-g92ztx"],"objects":["person"],"sub_labels":[],
      "zones":["front_yard"],"audio":[]}},
      "after":{"id":"1718987129.308396-fqk5ka","camera":"front_cam","start_time":1718987129.308396,
      "end_time":null,"severity":"alert",
      "thumb_path":"/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp",
      "data":{"detections":["1718987128.947436-g92ztx","1718987130.111111-abcdef"],
      "objects":["person","car"],"sub_labels":[],"zones":["front_yard"],"audio":[]}}}"#;

    #[test]
    fn an_alert_review_names_the_events_it_covers() {
        let e = parse("frigate/reviews", REVIEW.as_bytes(), at()).unwrap().remove(0);
        assert_eq!(e.kind, EventKind::PersonDetected);
        assert_eq!(e.severity.get(), 4);
        assert_eq!(e.zone_hint.as_deref(), Some("front_yard"));
        let cam = e.camera.as_ref().unwrap();
        assert_eq!(cam.review_severity.as_deref(), Some("alert"));
        assert_eq!(cam.related_ids, ["1718987128.947436-g92ztx", "1718987130.111111-abcdef"]);
        assert_eq!(e.identities().len(), 3);
        assert!(e.snapshot.as_deref().unwrap().ends_with(".webp"));
    }

    #[test]
    fn a_detection_review_is_information_only() {
        let d = REVIEW.replace("\"severity\":\"alert\"", "\"severity\":\"detection\"");
        let e = parse("frigate/reviews", d.as_bytes(), at()).unwrap().remove(0);
        assert_eq!(e.kind, EventKind::Other);
        assert_eq!(e.severity.get(), 2);
        let bad = REVIEW.replace("\"severity\":\"alert\"", "\"severity\":\"panic\"");
        assert_eq!(
            parse("frigate/reviews", bad.as_bytes(), at()).unwrap_err(),
            ParseError::BadValue { field: "after.severity" }
        );
    }

    #[test]
    fn availability_stats_and_snapshots_are_ignored() {
        for topic in
            ["frigate/available", "frigate/stats", "frigate/front_door/person/snapshot", "frigate/front_door/person"]
        {
            let err = parse(topic, b"online", at()).unwrap_err();
            assert!(matches!(err, ParseError::Ignored { .. }), "{topic}: {err:?}");
            assert!(!err.is_malformed());
        }
        // A JPEG snapshot larger than the limit is still just ignored.
        let jpeg = vec![0xff_u8; 200_000];
        assert!(matches!(
            parse_with_prefix("frigate", "frigate/front_door/person/snapshot", &jpeg, at()),
            Err(ParseError::Ignored { .. })
        ));
        assert_eq!(parse("events", b"{}", at()), Err(ParseError::UnknownTopic));
        assert_eq!(parse_with_prefix("frigate", "other/events", b"{}", at()), Err(ParseError::UnknownTopic));
    }

    #[test]
    fn malformed_events_name_the_field() {
        let cases: [(&str, ParseError); 7] = [
            (r#"{"after":{}}"#, ParseError::MissingField("type")),
            (r#"{"type":"gone","after":{}}"#, ParseError::BadValue { field: "type" }),
            (r#"{"type":"new"}"#, ParseError::MissingField("after")),
            (r#"{"type":"new","after":{"camera":"c","label":"person"}}"#, ParseError::MissingField("after.id")),
            (
                r#"{"type":"new","after":{"id":"a b","camera":"c","label":"person"}}"#,
                ParseError::BadValue { field: "after.id" },
            ),
            (
                r#"{"type":"new","after":{"id":"a","camera":"c","label":"person","start_time":"soon"}}"#,
                ParseError::BadValue { field: "after.start_time" },
            ),
            (
                r#"{"type":"new","after":{"id":"a","camera":"c","label":"person","score":7}}"#,
                ParseError::BadValue { field: "after.score" },
            ),
        ];
        let climbing = r#"{"type":"new","after":{"id":"../../api/config","camera":"c","label":"person"}}"#;
        assert_eq!(parse("frigate/events", climbing.as_bytes(), at()), Err(ParseError::BadValue { field: "after.id" }));
        let thumb = REVIEW.replace("/media/frigate/clips/review/thumb", "/media/../../etc/thumb");
        assert_eq!(
            parse("frigate/reviews", thumb.as_bytes(), at()),
            Err(ParseError::BadValue { field: "after.thumb_path" })
        );
        for (payload, want) in cases {
            assert_eq!(parse("frigate/events", payload.as_bytes(), at()), Err(want), "{payload}");
        }
        assert!(matches!(parse("frigate/events", b"{\"type\":", at()), Err(ParseError::BadJson { line: 1, .. })));
    }

    #[test]
    fn a_false_positive_is_ignored() {
        let fp = UPDATE.replace(
            "\"top_score\": 0.958984375, \"false_positive\": false, \"start_time\": 1607123955.475377,\n        \"end_time\": null, \"score\": 0.87890625",
            "\"top_score\": 0.958984375, \"false_positive\": true, \"start_time\": 1607123955.475377,\n        \"end_time\": null, \"score\": 0.87890625",
        );
        assert_ne!(fp, UPDATE);
        assert_eq!(
            parse("frigate/events", fp.as_bytes(), at()),
            Err(ParseError::Ignored { reason: "frigate false positive" })
        );
    }

    #[test]
    fn a_large_thumbnail_is_cut_from_the_kept_payload() {
        let thumb = "QUJD".repeat(8_000);
        let p = UPDATE.replacen(
            "\"thumbnail\": null, \"has_snapshot\": true",
            &format!("\"thumbnail\": \"{thumb}\", \"has_snapshot\": true"),
            1,
        );
        let e = parse("frigate/events", p.as_bytes(), at()).unwrap().remove(0);
        assert!(e.raw.as_str().len() < 6_000);
        assert_eq!(e.payload_hash, PayloadHash::of(p.as_bytes()));
    }
}
