//! The duty roster (R4): shifts with the guards on them and, on public holidays and in the Tết
//! period, a leader of the unit on duty besides the guards.
//!
//! Seed 000 §6: "trong các ngày nghỉ Tết … ngoài lực lượng bảo vệ chuyên trách, bố trí cán bộ
//! lãnh đạo trực tại đơn vị để kịp thời phối hợp giải quyết các vụ việc phát sinh". The
//! arrangement is shown to the unit's ward police, who must know whom to call.

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::calendar::Overrides;
use crate::calendar::risk::{self, DayType};
use crate::registry::lenient;
use crate::time;
use crate::validate::{Checker, Invalid, Problem};
use crate::{GuardId, ShiftId, SiteId, UnitId};

/// The longest shift, in hours: a whole Tết day and night with handovers to spare.
pub const MAX_SHIFT_HOURS: i64 = 72;

/// One duty shift of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub id: ShiftId,
    pub unit_id: UnitId,
    /// The site it covers, or `None` for the unit as a whole.
    pub site_id: Option<SiteId>,
    pub name: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// The leader on duty (empty when none is named).
    pub leader_name: String,
    pub leader_phone: String,
    pub notes: String,
    /// The guards on the shift. Empty also when the reader may not see who guards a key target.
    pub guards: Vec<GuardId>,
}

/// A shift as a form or API client sends it; times are Vietnam wall-clock `YYYY-MM-DDTHH:MM`
/// (a browser's datetime-local field).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ShiftDraft {
    /// Optional client-chosen id of a new shift, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub unit_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub site_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub starts_at: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub ends_at: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub leader_name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub leader_phone: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub notes: String,
    #[serde(default)]
    pub guards: Vec<String>,
}

/// A datetime-local value read as Vietnam wall-clock time.
fn local_instant(raw: &str) -> Option<Timestamp> {
    DateTime::strptime("%Y-%m-%dT%H:%M", raw.trim()).ok()?.to_zoned(time::vietnam()).ok().map(|z| z.timestamp())
}

impl ShiftDraft {
    /// The shift, with id `fresh` when the draft names none.
    ///
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self, fresh: ShiftId) -> Result<Shift, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, ShiftId::parse).unwrap_or(fresh);
        let unit_id = UnitId::parse(&self.unit_id).map_err(|_| c.fail("unit_id", Problem::BadId)).ok();
        let site_id = c.client_id("site_id", &self.site_id, SiteId::parse);
        let name = c.line("name", &self.name, 120);
        let starts_at = local_instant(&self.starts_at);
        if starts_at.is_none() {
            c.fail("starts_at", Problem::BadDate);
        }
        let ends_at = local_instant(&self.ends_at);
        if ends_at.is_none() {
            c.fail("ends_at", Problem::BadDate);
        }
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                c.fail("ends_at", Problem::DateOrder);
            } else if e.duration_since(s) > SignedDuration::from_hours(MAX_SHIFT_HOURS) {
                c.fail("ends_at", Problem::OutOfRange { min: 1, max: MAX_SHIFT_HOURS });
            }
        }
        let leader_name = c.opt_line("leader_name", &self.leader_name, 120);
        let leader_phone = c.phone("leader_phone", &self.leader_phone);
        let notes = c.opt_text("notes", &self.notes, 2000);
        let mut guards = Vec::new();
        for raw in self.guards.iter().filter(|g| !g.trim().is_empty()) {
            match GuardId::parse(raw.trim()) {
                Ok(g) if !guards.contains(&g) => guards.push(g),
                Ok(_) => {}
                Err(_) => c.fail("guards", Problem::BadId),
            }
        }
        match (unit_id, starts_at, ends_at) {
            (Some(unit_id), Some(starts_at), Some(ends_at)) => c.finish(Shift {
                id,
                unit_id,
                site_id,
                name,
                starts_at,
                ends_at,
                leader_name,
                leader_phone,
                notes,
                guards,
            }),
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

/// The Vietnam calendar dates the shift `[starts_at, ends_at)` touches, first to last.
fn dates(starts_at: Timestamp, ends_at: Timestamp) -> (Date, Date) {
    let first = time::local_date(starts_at);
    // The end is exclusive: a shift ending at 00:00 does not touch the next day.
    let last = if ends_at > starts_at { time::local_date(ends_at - SignedDuration::from_micros(1)) } else { first };
    (first, last.max(first))
}

/// Whether a leader must be on duty: any part of the shift falls on a public holiday (with the
/// unit's own `overrides`) or in the Tết period.
///
/// Calendar days, not [`crate::calendar::DayFacts`]' duty days: the evening of Quốc khánh is
/// still the holiday, though its night takes the type of the working morning after it.
#[must_use]
pub fn needs_leader(starts_at: Timestamp, ends_at: Timestamp, overrides: &Overrides) -> bool {
    let (first, last) = dates(starts_at, ends_at);
    // Any span of a year or more holds a 1 January; the bound also keeps the walk short.
    let mut d = first;
    for _ in 0..=366 {
        if matches!(risk::day_type(d, overrides), DayType::Holiday | DayType::TetPeriod) {
            return true;
        }
        match d.tomorrow() {
            Ok(next) if next <= last => d = next,
            _ => return false,
        }
    }
    true
}

/// Whether the shift needs a leader and names none.
#[must_use]
pub fn missing_leader(shift: &Shift, overrides: &Overrides) -> bool {
    shift.leader_name.trim().is_empty() && needs_leader(shift.starts_at, shift.ends_at, overrides)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Change, Override};

    fn at(local: &str) -> Timestamp {
        local_instant(local).unwrap()
    }

    fn draft(start: &str, end: &str) -> ShiftDraft {
        ShiftDraft {
            unit_id: UnitId::mint().to_string(),
            name: "Ca đêm".into(),
            starts_at: start.into(),
            ends_at: end.into(),
            ..ShiftDraft::default()
        }
    }

    #[test]
    fn a_draft_is_read_in_vietnam_time() {
        let g = GuardId::mint();
        let d = ShiftDraft {
            leader_phone: "0912 345 678".into(),
            guards: vec![g.to_string(), g.to_string(), String::new()],
            ..draft("2026-09-01T18:00", "2026-09-02T06:00")
        };
        let s = d.parse(ShiftId::mint()).unwrap();
        assert_eq!(s.starts_at, "2026-09-01T11:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(s.leader_phone, "0912345678");
        assert_eq!(s.guards, vec![g], "a guard is on a shift once");
        assert_eq!(s.site_id, None);
    }

    #[test]
    fn a_shift_ends_after_it_starts_and_within_three_days() {
        let e = draft("2026-09-01T18:00", "2026-09-01T18:00").parse(ShiftId::mint()).unwrap_err();
        assert_eq!(e.for_field("ends_at"), Some(&Problem::DateOrder));
        let e = draft("2026-09-01T18:00", "2026-09-10T18:00").parse(ShiftId::mint()).unwrap_err();
        assert_eq!(e.for_field("ends_at"), Some(&Problem::OutOfRange { min: 1, max: MAX_SHIFT_HOURS }));
        let e = draft("hôm qua", "").parse(ShiftId::mint()).unwrap_err();
        assert_eq!(e.for_field("starts_at"), Some(&Problem::BadDate));
        assert_eq!(e.for_field("ends_at"), Some(&Problem::BadDate));
        let e = ShiftDraft { guards: vec!["x".into()], ..draft("2026-09-01T18:00", "2026-09-02T06:00") }
            .parse(ShiftId::mint())
            .unwrap_err();
        assert_eq!(e.for_field("guards"), Some(&Problem::BadId));
    }

    #[test]
    fn holidays_and_tet_need_a_leader_ordinary_days_do_not() {
        let none = Overrides::none();
        // Quốc khánh 2/9 and the day off beside it.
        assert!(needs_leader(at("2026-09-02T06:00"), at("2026-09-02T18:00"), &none));
        // The night into Quốc khánh touches it.
        assert!(needs_leader(at("2026-09-01T18:00"), at("2026-09-02T06:00"), &none));
        // Mùng 1 Tết Bính Ngọ is 17/02/2026; 23 tháng Chạp opens the period.
        assert!(needs_leader(at("2026-02-10T08:00"), at("2026-02-10T16:00"), &none));
        // An ordinary Tuesday.
        assert!(!needs_leader(at("2026-11-24T18:00"), at("2026-11-25T06:00"), &none));
        // Ending at midnight does not touch the next day (1/1/2027 is a holiday).
        assert!(!needs_leader(at("2026-12-31T08:00"), at("2027-01-01T00:00"), &none));
        assert!(needs_leader(at("2026-12-31T08:00"), at("2027-01-01T00:01"), &none));
    }

    #[test]
    fn a_units_own_holiday_needs_a_leader_too() {
        let day = jiff::civil::date(2026, 11, 24);
        let own = Overrides {
            entries: vec![Override {
                date: day,
                change: Change::Add { name_vi: "Ngày thành lập trường".into(), name_en: "Founding day".into() },
                reason: String::new(),
            }],
        };
        assert!(needs_leader(at("2026-11-24T08:00"), at("2026-11-24T16:00"), &own));
    }

    #[test]
    fn a_named_leader_fills_the_gap() {
        let mut s = draft("2026-09-02T06:00", "2026-09-02T18:00").parse(ShiftId::mint()).unwrap();
        assert!(missing_leader(&s, &Overrides::none()));
        s.leader_name = "Phó Hiệu trưởng Trần Thị Hoa".into();
        assert!(!missing_leader(&s, &Overrides::none()));
    }
}
