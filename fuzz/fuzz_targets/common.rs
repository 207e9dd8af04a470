//! Shared by the targets: splitting the input into a topic and a payload, and the invariants
//! every parsed event must hold.

use baove_core::alarm::envelope::{DeviceEvent, RawJson};
use baove_core::alarm::formats::ParseError;

/// A fixed arrival time: the parsers never read a clock.
pub fn received_at() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_763_749_800).expect("constant")
}

/// The first byte picks one of `topics` (so the fuzzer spends its time on payloads), or, past
/// the list, the input up to the first newline is the topic.
pub fn split<'a>(data: &'a [u8], topics: &[&'a str]) -> Option<(std::borrow::Cow<'a, str>, &'a [u8])> {
    let (&pick, rest) = data.split_first()?;
    if let Some(t) = topics.get(usize::from(pick)) {
        return Some((std::borrow::Cow::Borrowed(t), rest));
    }
    let nl = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let topic = String::from_utf8_lossy(&rest[..nl]);
    Some((topic, rest.get(nl + 1..).unwrap_or_default()))
}

/// What every parse must satisfy.
pub fn check(payload: &[u8], result: &Result<Vec<DeviceEvent>, ParseError>) {
    match result {
        Ok(events) => {
            assert!(!events.is_empty(), "Ok with no events");
            assert!(payload.len() <= baove_core::alarm::formats::MAX_PAYLOAD, "oversized payload accepted");
            for e in events {
                assert!(!e.device.is_empty() && e.device.chars().count() <= 256, "device {:?}", e.device);
                assert!(!e.source_event_id.is_empty(), "empty event id");
                assert!(!e.source_instance.is_empty(), "empty instance");
                assert!((1..=5).contains(&e.severity.get()));
                assert!(e.raw.as_str().len() <= RawJson::MAX_BYTES, "raw too large");
                assert!(serde_json::from_str::<serde_json::Value>(e.raw.as_str()).is_ok(), "raw is not JSON");
                assert!(!e.device.chars().any(char::is_control), "control character in device");
                // The keys must be computable and stable.
                assert_eq!(e.dedup_key(), e.clone().dedup_key());
                let _ = e.idempotency_key();
            }
        }
        Err(ParseError::TooLarge { size, limit }) => assert!(size > limit),
        Err(_) => {}
    }
}
