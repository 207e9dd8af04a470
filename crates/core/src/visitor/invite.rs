//! A host's invitation (R7): the visitors someone at the unit expects — one or a group — with
//! the time they are expected, checked in at the gate with one scan of the invitation's QR.
//!
//! The host types one visitor per line, `name; ID number` or `name; passport number;
//! nationality`; each line is validated as a check-in would be, so the gate only confirms.

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{CheckIn, CheckInDraft};
use crate::registry::lenient;
use crate::time::vietnam;
use crate::validate::{Checker, Invalid, Problem};

/// Most visitors one invitation may hold.
pub const MAX_GUESTS: usize = 30;

/// An invitation as the host's form sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct InviteDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub purpose: String,
    /// Local time (Asia/Ho_Chi_Minh), `yyyy-mm-ddThh:mm` as a `datetime-local` field sends it.
    #[serde(default, deserialize_with = "lenient::text")]
    pub expected_at: String,
    /// One visitor per line: `name; number` or `name; passport number; nationality`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub guests: String,
}

/// A validated invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub purpose: String,
    pub expected_at: Timestamp,
    pub guests: Vec<CheckIn>,
}

/// The check-in draft of one guest line, with the invitation's purpose and host.
#[must_use]
pub fn guest_draft(line: &str, purpose: &str, host: &str) -> CheckInDraft {
    let mut parts = line.split(';').map(str::trim);
    let name = parts.next().unwrap_or_default().to_owned();
    let number = parts.next().unwrap_or_default().to_owned();
    let nationality = parts.next().unwrap_or_default().to_owned();
    let cccd = number.len() == 12 && number.bytes().all(|b| b.is_ascii_digit());
    CheckInDraft {
        doc_kind: if cccd || number.is_empty() { "cccd" } else { "passport" }.into(),
        doc_number: number,
        name,
        purpose: purpose.to_owned(),
        host: host.to_owned(),
        nationality,
        ..CheckInDraft::default()
    }
}

impl InviteDraft {
    /// Parses the invitation of `host`; `now` bounds the expected time (not in the past by more
    /// than a day) and the birth years coded in CCCD numbers.
    ///
    /// # Errors
    /// Every failing field; a bad guest line fails `guests`.
    pub fn parse(&self, host: &str, now: Timestamp) -> Result<Invite, Invalid> {
        let mut c = Checker::new();
        let purpose = c.line("purpose", &self.purpose, super::visit::MAX_PURPOSE);
        let expected_at = match self.expected_at.trim() {
            "" => {
                c.fail("expected_at", Problem::Required);
                None
            }
            raw => raw
                .parse::<DateTime>()
                .ok()
                .and_then(|dt| dt.to_zoned(vietnam()).ok())
                .map(|z| z.timestamp())
                .filter(|t| t.as_second() + 24 * 3600 >= now.as_second())
                .or_else(|| {
                    c.fail("expected_at", Problem::BadDate);
                    None
                }),
        };
        let lines: Vec<&str> = self.guests.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let today = crate::time::local_date(now);
        let mut guests = Vec::new();
        if lines.is_empty() {
            c.fail("guests", Problem::Required);
        } else if lines.len() > MAX_GUESTS {
            c.fail("guests", Problem::OutOfRange { min: 1, max: MAX_GUESTS as i64 });
        } else {
            for line in &lines {
                // The purpose is checked once above; a placeholder keeps it out of each line.
                match guest_draft(line, if purpose.is_empty() { "-" } else { &purpose }, host).parse(today) {
                    Ok(g) => guests.push(g),
                    Err(_) => {
                        c.fail("guests", Problem::BadCode);
                        break;
                    }
                }
            }
        }
        let expected_at = expected_at.unwrap_or(now);
        c.finish(Invite { purpose, expected_at, guests })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-03-01T02:00:00Z".parse().unwrap()
    }

    fn draft(guests: &str) -> InviteDraft {
        InviteDraft { purpose: "Họp dự án".into(), expected_at: "2026-03-02T09:30".into(), guests: guests.into() }
    }

    #[test]
    fn a_group_invitation_holds_one_check_in_per_line_at_local_time() {
        let inv =
            draft("Nguyễn Văn An; 001090123456\n\n  Kim Min-jun; M1234567; KOR ").parse("Chị Lan", now()).unwrap();
        assert_eq!(inv.expected_at, "2026-03-02T02:30:00Z".parse::<Timestamp>().unwrap(), "09:30 in Hà Nội");
        assert_eq!(inv.guests.len(), 2);
        assert_eq!(inv.guests[0].document.number(), "001090123456");
        assert_eq!((inv.guests[0].purpose.as_str(), inv.guests[0].host.as_str()), ("Họp dự án", "Chị Lan"));
        assert!(inv.guests[1].is_foreigner());
        assert_eq!(inv.guests[1].name, "Kim Min-jun");
    }

    #[test]
    fn a_bad_line_a_past_time_or_no_guest_is_refused() {
        let e = draft("Nguyễn Văn An; 003090123456").parse("Chị Lan", now()).unwrap_err();
        assert_eq!(e.for_field("guests"), Some(&Problem::BadCode), "unknown province");
        let e = draft("Kim; M1234567").parse("Chị Lan", now()).unwrap_err();
        assert_eq!(e.for_field("guests"), Some(&Problem::BadCode), "a passport needs a nationality");
        let e = InviteDraft { expected_at: "2026-02-20T09:00".into(), ..draft("") }.parse("x", now()).unwrap_err();
        assert_eq!(e.for_field("expected_at"), Some(&Problem::BadDate));
        assert_eq!(e.for_field("guests"), Some(&Problem::Required));
        let many = "Nguyễn Văn An; 001090123456\n".repeat(MAX_GUESTS + 1);
        assert!(matches!(
            draft(&many).parse("x", now()).unwrap_err().for_field("guests"),
            Some(Problem::OutOfRange { .. })
        ));
    }
}
