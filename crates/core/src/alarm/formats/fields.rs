//! Reading single fields of a device's JSON, each failure naming the field. Senders are not
//! trusted: every string is bounded and stripped of control characters before it is kept.

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::error::ParseError;
use crate::text;

pub(crate) type Object = Map<String, Value>;

/// Longest id or device name kept.
pub(crate) const MAX_ID: usize = 128;
/// Longest label, zone or sub label kept.
pub(crate) const MAX_LABEL: usize = 64;
/// Longest note kept.
pub(crate) const MAX_NOTE: usize = 500;
/// Most list items (zones, objects, sensors) kept; the rest are dropped.
pub(crate) const MAX_ITEMS: usize = 32;

/// A string field; absent and `null` are `None`.
pub(crate) fn opt_str<'a>(obj: &'a Object, key: &str, field: &'static str) -> Result<Option<&'a str>, ParseError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ParseError::BadValue { field }),
    }
}

/// A string field that must be there.
pub(crate) fn req_str<'a>(obj: &'a Object, key: &str, field: &'static str) -> Result<&'a str, ParseError> {
    opt_str(obj, key, field)?.ok_or(ParseError::MissingField(field))
}

/// An object field that must be there.
pub(crate) fn req_obj<'a>(obj: &'a Object, key: &str, field: &'static str) -> Result<&'a Object, ParseError> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(ParseError::MissingField(field)),
        Some(Value::Object(o)) => Ok(o),
        Some(_) => Err(ParseError::BadValue { field }),
    }
}

/// An identifier: trimmed, 1..=`max` characters, no whitespace inside, no control characters.
pub(crate) fn ident(raw: &str, field: &'static str, max: usize) -> Result<String, ParseError> {
    let v = raw.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(ParseError::BadValue { field });
    }
    Ok(v.to_owned())
}

/// A Frigate name (id, camera): ASCII letters, digits, `.`, `_` and `-`, not starting with a
/// dot. Stricter than [`ident`] because ids end up in paths of the sender's HTTP API
/// (`api/events/<id>/snapshot.jpg`), where `/` or `..` would point elsewhere.
pub(crate) fn token(raw: &str, field: &'static str, max: usize) -> Result<String, ParseError> {
    let v = raw.trim();
    let ok = !v.is_empty()
        && v.len() <= max
        && !v.starts_with('.')
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok { Ok(v.to_owned()) } else { Err(ParseError::BadValue { field }) }
}

/// A name or label for people to read: NFC, single line, 1..=`max` characters.
pub(crate) fn label(raw: &str, field: &'static str, max: usize) -> Result<String, ParseError> {
    if text::has_control(raw, false) {
        return Err(ParseError::BadValue { field });
    }
    let v = text::clean_line(raw);
    if v.is_empty() || v.chars().count() > max {
        return Err(ParseError::BadValue { field });
    }
    Ok(v)
}

/// A number field; absent and `null` are `None`.
pub(crate) fn opt_f64(obj: &Object, key: &str, field: &'static str) -> Result<Option<f64>, ParseError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().filter(|f| f.is_finite()).map(Some).ok_or(ParseError::BadValue { field }),
        Some(_) => Err(ParseError::BadValue { field }),
    }
}

/// A score in 0..=1; absent and `null` are `None`.
pub(crate) fn opt_score(obj: &Object, key: &str, field: &'static str) -> Result<Option<f64>, ParseError> {
    match opt_f64(obj, key, field)? {
        Some(s) if !(0.0..=1.0).contains(&s) => Err(ParseError::BadValue { field }),
        other => Ok(other),
    }
}

/// A boolean field; absent and `null` are `false`.
pub(crate) fn flag(obj: &Object, key: &str, field: &'static str) -> Result<bool, ParseError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ParseError::BadValue { field }),
    }
}

/// A list of labels; absent and `null` are empty, items beyond [`MAX_ITEMS`] are dropped.
pub(crate) fn labels(obj: &Object, key: &str, field: &'static str) -> Result<Vec<String>, ParseError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .take(MAX_ITEMS)
            .map(|v| match v {
                Value::String(s) => label(s, field, MAX_LABEL),
                _ => Err(ParseError::BadValue { field }),
            })
            .collect(),
        Some(_) => Err(ParseError::BadValue { field }),
    }
}

/// Latest instant accepted from a device: 9999-12-31, jiff's range is wider but no device
/// has a reason to send more.
const MAX_EPOCH_SECONDS: f64 = 253_402_300_799.0;

/// Seconds since the Unix epoch as a float (Frigate's `start_time`), to the microsecond.
pub(crate) fn epoch_seconds(secs: f64, field: &'static str) -> Result<Timestamp, ParseError> {
    if !secs.is_finite() || !(0.0..=MAX_EPOCH_SECONDS).contains(&secs) {
        return Err(ParseError::BadValue { field });
    }
    // In range by the check above, so the cast neither saturates nor loses the integer part.
    #[allow(clippy::cast_possible_truncation)]
    let micros = (secs * 1_000_000.0).round() as i64;
    Timestamp::from_microsecond(micros).map_err(|_| ParseError::BadValue { field })
}

/// An optional epoch-seconds field.
pub(crate) fn opt_epoch(obj: &Object, key: &str, field: &'static str) -> Result<Option<Timestamp>, ParseError> {
    opt_f64(obj, key, field)?.map(|s| epoch_seconds(s, field)).transpose()
}

/// Microseconds since the epoch as a sequence number (0 before the epoch).
pub(crate) fn seq_of(ts: Timestamp) -> u64 {
    u64::try_from(ts.as_microsecond()).unwrap_or(0)
}

/// The id of a message whose sender gives none: the device and the arrival time, and the
/// position of the event within the message.
pub(crate) fn synthetic_id(device: &str, received_at: Timestamp, index: usize) -> String {
    format!("{device}@{}#{index}", received_at.as_microsecond())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_string_field_of_another_type_is_a_bad_value() {
        let o = obj(json!({ "id": 5, "name": null }));
        assert_eq!(opt_str(&o, "id", "id"), Err(ParseError::BadValue { field: "id" }));
        assert_eq!(opt_str(&o, "name", "name"), Ok(None));
        assert_eq!(req_str(&o, "name", "name"), Err(ParseError::MissingField("name")));
    }

    #[test]
    fn identifiers_must_be_short_printable_and_unspaced() {
        assert_eq!(ident("  cam_gate ", "camera", 10).as_deref(), Ok("cam_gate"));
        assert!(ident("", "camera", 10).is_err());
        assert!(ident("a b", "camera", 10).is_err());
        assert!(ident("a\u{0}b", "camera", 10).is_err());
        assert!(ident(&"x".repeat(11), "camera", 10).is_err());
    }

    #[test]
    fn tokens_cannot_climb_out_of_a_path() {
        assert_eq!(token("1607123955.475377-mxklsc", "id", 64).as_deref(), Ok("1607123955.475377-mxklsc"));
        assert!(token("../../config", "id", 64).is_err());
        assert!(token("a/b", "id", 64).is_err());
        assert!(token("..", "id", 64).is_err());
        assert!(token("cam?x=1", "id", 64).is_err());
    }

    #[test]
    fn labels_are_nfc_and_bounded() {
        // "Cửa kho" written with a combining hook above.
        let decomposed = "Cu\u{31b}\u{309}a kho";
        assert_eq!(label(decomposed, "name", 20).as_deref(), Ok("Cửa kho"));
        let o = obj(json!({ "zones": ["a", 1] }));
        assert_eq!(labels(&o, "zones", "zones"), Err(ParseError::BadValue { field: "zones" }));
        let many: Vec<String> = (0..100).map(|i| format!("z{i}")).collect();
        let o = obj(json!({ "zones": many }));
        assert_eq!(labels(&o, "zones", "zones").unwrap().len(), MAX_ITEMS);
    }

    #[test]
    fn epoch_seconds_keep_microseconds_and_refuse_nonsense() {
        let t = epoch_seconds(1_607_123_955.475_377, "start_time").unwrap();
        assert_eq!(t.to_string(), "2020-12-04T23:19:15.475377Z");
        assert!(epoch_seconds(-1.0, "start_time").is_err());
        assert!(epoch_seconds(1e300, "start_time").is_err());
        assert!(epoch_seconds(f64::NAN, "start_time").is_err());
    }

    #[test]
    fn scores_must_lie_between_zero_and_one() {
        let o = obj(json!({ "score": 1.5, "top": 0.9 }));
        assert!(opt_score(&o, "score", "score").is_err());
        assert_eq!(opt_score(&o, "top", "top"), Ok(Some(0.9)));
    }
}
