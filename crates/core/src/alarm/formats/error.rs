//! Why a device message gave no event, and the checks every parser makes before it reads a
//! byte of JSON.

/// The largest payload any parser reads; checked before parsing.
pub const MAX_PAYLOAD: usize = 64 * 1024;

/// Why a message produced no events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("payload of {size} bytes is larger than {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("payload is not UTF-8")]
    NotUtf8,
    #[error("payload is not JSON (line {line}, column {column})")]
    BadJson { line: usize, column: usize },
    #[error("field {0} is missing")]
    MissingField(&'static str),
    #[error("field {field} has a value we cannot use")]
    BadValue { field: &'static str },
    #[error("no format is configured for this topic")]
    UnknownTopic,
    /// A message we understand and deliberately skip (availability, statistics, snapshots).
    #[error("ignored: {reason}")]
    Ignored { reason: &'static str },
}

impl ParseError {
    /// Whether the message counts as malformed input (for the device's error counters):
    /// everything but a deliberately ignored message or one on a topic nobody configured.
    #[must_use]
    pub fn is_malformed(&self) -> bool {
        !matches!(self, Self::Ignored { .. } | Self::UnknownTopic)
    }
}

/// Checks the size, then the encoding.
///
/// # Errors
/// [`ParseError::TooLarge`] or [`ParseError::NotUtf8`].
pub fn text(payload: &[u8]) -> Result<&str, ParseError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(ParseError::TooLarge { size: payload.len(), limit: MAX_PAYLOAD });
    }
    std::str::from_utf8(payload).map_err(|_| ParseError::NotUtf8)
}

/// Checks the size and encoding, then reads one JSON object.
///
/// # Errors
/// [`ParseError::TooLarge`], [`ParseError::NotUtf8`], [`ParseError::BadJson`], or
/// [`ParseError::BadValue`] for `payload` when the JSON is not an object.
pub fn json_object(payload: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, ParseError> {
    let text = text(payload)?;
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(ParseError::BadValue { field: "payload" }),
        Err(e) => Err(ParseError::BadJson { line: e.line(), column: e.column() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_payload_is_refused_before_it_is_read() {
        let mut big = vec![b'{'; MAX_PAYLOAD + 1];
        big[0] = 0xff;
        assert_eq!(json_object(&big), Err(ParseError::TooLarge { size: MAX_PAYLOAD + 1, limit: MAX_PAYLOAD }));
    }

    #[test]
    fn bad_json_reports_where() {
        assert_eq!(json_object(b"{\n  \"a\": }"), Err(ParseError::BadJson { line: 2, column: 8 }));
        assert_eq!(json_object(b"[1,2]"), Err(ParseError::BadValue { field: "payload" }));
        assert_eq!(json_object(b"\xc3\x28"), Err(ParseError::NotUtf8));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(50_000);
        assert!(matches!(json_object(deep.as_bytes()), Err(ParseError::BadJson { .. })));
    }

    #[test]
    fn ignored_messages_are_not_malformed() {
        assert!(!ParseError::Ignored { reason: "availability" }.is_malformed());
        assert!(!ParseError::UnknownTopic.is_malformed());
        assert!(ParseError::MissingField("id").is_malformed());
    }
}
