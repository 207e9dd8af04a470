//! The incident report a unit sends the police (R11): what happened, where, when, what was
//! lost, how the offenders worked (seed 001's modus descriptors: helmets, masks, gloves,
//! unplated or fake-plated vehicles, tools in backpacks) and who or what was seen. A raw
//! draft (as a form or the API sends it, or as an alarm's promotion pre-fills it) is parsed
//! into a validated [`IncidentReport`].

use jiff::Timestamp;
use jiff::civil::{DateTime, Time};
use serde::{Deserialize, Serialize};

use super::lifecycle::AlarmId;
use crate::incident::{IncidentKind, Modus};
use crate::registry::lenient;
use crate::validate::{Checker, Invalid, Problem, parse_date};
use crate::{IncidentId, SiteId, ZoneId, time};

/// How far in the future an occurrence time may lie (clock skew between phone and server).
pub const FUTURE_SLACK_MINS: i64 = 5;

/// An incident report as typed or pre-filled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentReportDraft {
    /// The client's own id for the report, so a resend (an offline phone, a double tap) is
    /// the same report; empty: the server mints one.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub site_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub zone_id: String,
    /// RFC 3339, or Vietnam wall-clock time as `yyyy-mm-ddTHH:MM` (a browser's
    /// `datetime-local`) or `dd/mm/yyyy HH:MM`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub occurred_at: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub summary: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub losses: String,
    /// Modus codes (`helmet`, `mask`, `unplated`…).
    #[serde(default)]
    pub modus: Vec<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub suspect_person: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub suspect_vehicle: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub plate: String,
    /// The alarms the incident grew from.
    #[serde(default)]
    pub alarm_ids: Vec<String>,
    /// Camera photos as base64 JPEG, PNG or WebP (or `data:` URLs); the server checks them
    /// (at most 4, each at most 1.5 MB), this type only carries them.
    #[serde(default)]
    pub photos: Vec<String>,
}

/// Where an incident happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub site_id: SiteId,
    pub zone_id: Option<ZoneId>,
}

/// A validated incident report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentReport {
    pub id: Option<IncidentId>,
    pub kind: IncidentKind,
    pub place: Place,
    pub occurred_at: Timestamp,
    pub summary: String,
    pub losses: String,
    /// In [`Modus::ALL`] order, each once.
    pub modus: Vec<Modus>,
    pub suspect_person: String,
    pub suspect_vehicle: String,
    /// Upper-case letters and digits only.
    pub plate: Option<String>,
    pub alarm_ids: Vec<AlarmId>,
}

/// A plate as upper-case letters and digits (`51F-123.45` → `51F12345`), separators (space,
/// `-`, `.`, `/`) dropped; `Đ` is kept for the `MĐ` series. `None` for anything else or a
/// length outside 5–12. Only a normalisation: whether the plate is a valid Vietnamese one is
/// another module's question.
#[must_use]
pub fn normalise_plate(raw: &str) -> Option<String> {
    let mut out = String::new();
    for c in raw.trim().chars() {
        match c {
            ' ' | '-' | '.' | '/' => {}
            'đ' | 'Đ' => out.push('Đ'),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_uppercase()),
            _ => return None,
        }
    }
    (5..=12).contains(&out.chars().count()).then_some(out)
}

/// Reads an occurrence time: RFC 3339, or Vietnam wall-clock time.
fn parse_when(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim();
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Some(ts);
    }
    let local = if let Ok(dt) = raw.parse::<DateTime>() {
        dt
    } else {
        let (date, clock) = raw.split_once(' ')?;
        let (h, m) = clock.trim().split_once(':')?;
        let t = Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()?;
        parse_date(date)?.to_datetime(t)
    };
    local.to_zoned(time::vietnam()).ok().map(|z| z.timestamp())
}

impl IncidentReportDraft {
    /// Parses the draft; `now` bounds the occurrence time.
    ///
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self, now: Timestamp) -> Result<IncidentReport, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, IncidentId::parse);
        let kind = c.option("kind", &self.kind, IncidentKind::from_code);
        let site_id = match SiteId::parse(&self.site_id) {
            Ok(id) => Some(id),
            Err(_) if self.site_id.trim().is_empty() => {
                c.fail("site_id", Problem::Required);
                None
            }
            Err(_) => {
                c.fail("site_id", Problem::BadId);
                None
            }
        };
        let zone_id = c.client_id("zone_id", &self.zone_id, ZoneId::parse);
        let occurred_at = if self.occurred_at.trim().is_empty() {
            c.fail("occurred_at", Problem::Required);
            None
        } else {
            match parse_when(&self.occurred_at) {
                None => {
                    c.fail("occurred_at", Problem::BadDate);
                    None
                }
                Some(t)
                    if t > now
                        .checked_add(jiff::SignedDuration::from_mins(FUTURE_SLACK_MINS))
                        .unwrap_or(Timestamp::MAX) =>
                {
                    c.fail("occurred_at", Problem::InFuture);
                    None
                }
                Some(t) => Some(t),
            }
        };
        let summary = c.opt_text("summary", &self.summary, 4000);
        if summary.is_empty() && !crate::text::has_control(&self.summary, true) {
            c.fail("summary", Problem::Required);
        }
        let losses = c.opt_text("losses", &self.losses, 2000);
        let mut modus = Vec::new();
        for raw in &self.modus {
            match Modus::from_code(raw.trim()) {
                Some(m) => modus.push(m),
                None => {
                    c.fail("modus", Problem::NotAnOption);
                    break;
                }
            }
        }
        let modus: Vec<Modus> = Modus::ALL.iter().copied().filter(|m| modus.contains(m)).collect();
        let suspect_person = c.opt_text("suspect_person", &self.suspect_person, 1000);
        let suspect_vehicle = c.opt_text("suspect_vehicle", &self.suspect_vehicle, 1000);
        let plate = if self.plate.trim().is_empty() {
            None
        } else {
            let p = normalise_plate(&self.plate);
            if p.is_none() {
                c.fail("plate", Problem::BadCode);
            }
            p
        };
        let mut alarm_ids = Vec::new();
        for raw in &self.alarm_ids {
            match AlarmId::parse(raw) {
                Ok(id) if !alarm_ids.contains(&id) => alarm_ids.push(id),
                Ok(_) => {}
                Err(_) => {
                    c.fail("alarm_ids", Problem::BadId);
                    break;
                }
            }
        }
        match (kind, site_id, occurred_at) {
            (Some(kind), Some(site_id), Some(occurred_at)) => c.finish(IncidentReport {
                id,
                kind,
                place: Place { site_id, zone_id },
                occurred_at,
                summary,
                losses,
                modus,
                suspect_person,
                suspect_vehicle,
                plate,
                alarm_ids,
            }),
            _ => Err(c.finish(()).err().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn now() -> Timestamp {
        "2026-11-21T03:00:00Z".parse().unwrap()
    }

    fn draft() -> IncidentReportDraft {
        IncidentReportDraft {
            id: String::new(),
            kind: "break_in".into(),
            site_id: SiteId(Uuid::from_u128(1)).to_string(),
            zone_id: ZoneId(Uuid::from_u128(2)).to_string(),
            occurred_at: "21/11/2026 01:40".into(),
            summary: "Hai đối tượng phá khóa cửa kho, lấy 02 máy tính".into(),
            losses: "02 máy tính xách tay".into(),
            modus: vec!["tools_in_bag".into(), "helmet".into(), "mask".into(), "helmet".into()],
            suspect_person: "Nam, khoảng 25 tuổi, áo khoác đen".into(),
            suspect_vehicle: "Xe máy Exciter màu xanh".into(),
            plate: " 59-x1 123.45 ".into(),
            alarm_ids: vec![Uuid::from_u128(9).to_string()],
            ..IncidentReportDraft::default()
        }
    }

    #[test]
    fn a_complete_report_parses_in_vietnam_time() {
        let r = draft().parse(now()).unwrap();
        assert_eq!(r.id, None, "the server mints an id when the client sends none");
        assert_eq!(r.kind, IncidentKind::BreakIn);
        assert_eq!(r.occurred_at.to_string(), "2026-11-20T18:40:00Z");
        assert_eq!(r.modus, [Modus::Helmet, Modus::Mask, Modus::ToolsInBag]);
        assert_eq!(r.plate.as_deref(), Some("59X112345"));
        assert_eq!(r.place.zone_id, Some(ZoneId(Uuid::from_u128(2))));
        assert_eq!(r.alarm_ids, [AlarmId(Uuid::from_u128(9))]);
    }

    #[test]
    fn occurrence_times_are_read_in_three_forms() {
        for raw in ["2026-11-21T01:40", "21/11/2026 01:40", "2026-11-20T18:40:00Z", "2026-11-21T01:40:00+07:00"] {
            assert_eq!(parse_when(raw).map(|t| t.to_string()).as_deref(), Some("2026-11-20T18:40:00Z"), "{raw}");
        }
        assert_eq!(parse_when("hôm qua"), None);
        assert_eq!(parse_when("31/02/2026 01:00"), None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = IncidentReportDraft {
            kind: "robbery".into(),
            site_id: "x".into(),
            occurred_at: "2026-11-21T11:00".into(),
            modus: vec!["balaclava".into()],
            plate: "29A-123<45>".into(),
            alarm_ids: vec!["nope".into()],
            id: "not-a-uuid".into(),
            ..IncidentReportDraft::default()
        };
        let err = d.parse(now()).unwrap_err();
        assert_eq!(err.for_field("kind"), Some(&Problem::NotAnOption));
        assert_eq!(err.for_field("site_id"), Some(&Problem::BadId));
        assert_eq!(err.for_field("occurred_at"), Some(&Problem::InFuture));
        assert_eq!(err.for_field("summary"), Some(&Problem::Required));
        assert_eq!(err.for_field("modus"), Some(&Problem::NotAnOption));
        assert_eq!(err.for_field("plate"), Some(&Problem::BadCode));
        assert_eq!(err.for_field("alarm_ids"), Some(&Problem::BadId));
        assert_eq!(err.for_field("id"), Some(&Problem::BadId));
        let empty = IncidentReportDraft::default().parse(now()).unwrap_err();
        assert_eq!(empty.for_field("site_id"), Some(&Problem::Required));
        assert_eq!(empty.for_field("occurred_at"), Some(&Problem::Required));
    }

    #[test]
    fn plates_are_normalised_to_upper_case_letters_and_digits() {
        assert_eq!(normalise_plate("51F-123.45").as_deref(), Some("51F12345"));
        assert_eq!(normalise_plate("29-MĐ1 123.45").as_deref(), Some("29MĐ112345"));
        assert_eq!(normalise_plate("30e 123 45").as_deref(), Some("30E12345"));
        assert_eq!(normalise_plate("12"), None);
        assert_eq!(normalise_plate("29A_12345"), None);
        assert_eq!(normalise_plate("２９A12345"), None);
    }

    #[test]
    fn the_draft_reads_json_with_numbers_and_lists() {
        let d: IncidentReportDraft = serde_json::from_str(
            r#"{"kind":"theft","site_id":"00000000-0000-0000-0000-000000000001","occurred_at":"2026-11-21T01:40",
                "summary":"Mất cắp","modus":["gloves"],"plate":null,"losses":0}"#,
        )
        .unwrap();
        let r = d.parse(now()).unwrap();
        assert_eq!(
            (r.kind, r.modus.as_slice(), r.plate, r.losses.as_str()),
            (IncidentKind::Theft, &[Modus::Gloves][..], None, "0")
        );
    }
}
