//! Time as people in Vietnam read it: Asia/Ho_Chi_Minh (UTC+7), dates as dd/mm/yyyy.
//! Storage is always UTC; this module only converts for display and for "today".

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// The time zone every date and time is shown in.
#[must_use]
pub fn vietnam() -> TimeZone {
    TimeZone::get("Asia/Ho_Chi_Minh").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(7)))
}

/// The instant as a Vietnamese wall-clock time.
#[must_use]
pub fn local(ts: Timestamp) -> Zoned {
    ts.to_zoned(vietnam())
}

/// The calendar date in Vietnam at `ts`.
#[must_use]
pub fn local_date(ts: Timestamp) -> Date {
    local(ts).date()
}

/// dd/mm/yyyy.
#[must_use]
pub fn format_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// dd/mm/yyyy HH:MM in Vietnam time.
#[must_use]
pub fn format_datetime(ts: Timestamp) -> String {
    let z = local(ts);
    format!("{} {:02}:{:02}", format_date(z.date()), z.hour(), z.minute())
}

/// Microseconds since the Unix epoch: the storage form of an instant.
#[must_use]
pub fn to_micros(ts: Timestamp) -> i64 {
    ts.as_microsecond()
}

/// The instant `us` microseconds after the Unix epoch (clamped to jiff's range).
#[must_use]
pub fn from_micros(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_evening_is_the_next_morning_in_vietnam() {
        let ts: Timestamp = "2026-02-16T18:30:00Z".parse().unwrap();
        assert_eq!(format_datetime(ts), "17/02/2026 01:30");
        assert_eq!(local_date(ts), jiff::civil::date(2026, 2, 17));
    }

    #[test]
    fn micros_round_trip() {
        let ts: Timestamp = "2026-11-21T08:00:00.123456Z".parse().unwrap();
        assert_eq!(from_micros(to_micros(ts)), ts);
    }
}
