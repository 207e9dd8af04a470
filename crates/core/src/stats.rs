//! The police statistics of incidents (R12): by type of premises ("14 vụ: 09 trường học, 04
//! CQDN, 01 bệnh viện"), by hour of day × day of week, holiday against ordinary nights, by
//! modus operandi, cause, kind and status, and by unit for the drill-down.
//!
//! Everything here counts a list of small [`IncidentFact`]s the store read within the reader's
//! scope; nothing reads a clock or a database. Hours and days are Vietnam's (Asia/Ho_Chi_Minh).
//! A night belongs to the date it started: an incident before 12:00 counts for the night of the
//! previous date, so the night of 30/4 runs from 30/4 12:00 to 01/5 12:00.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

use crate::calendar::Overrides;
use crate::calendar::risk::{self, DayType};
use crate::incident::{Cause, IncidentKind, IncidentStatus, Modus};
use crate::registry::UnitKind;
use crate::time::{local, vietnam};
use crate::validate::{Checker, Invalid, Problem};
use crate::{IncidentId, UnitId};

/// What the statistics need to know of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentFact {
    pub id: IncidentId,
    pub occurred_at: Timestamp,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub kind: IncidentKind,
    pub status: IncidentStatus,
    pub modus: Vec<Modus>,
    /// The gaps in protection the police recorded when they closed it (empty before).
    pub causes: Vec<Cause>,
}

/// The longest period a statistic covers, in days (ten years).
pub const MAX_DAYS: i64 = 3660;

/// A period of whole Vietnamese days, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    /// 00:00 of `from` in Vietnam.
    pub start: Timestamp,
    /// 00:00 of the day after `to` in Vietnam (exclusive).
    pub end: Timestamp,
}

impl Period {
    /// The period from `from` to `to`; `None` when `to` is before `from` or the dates are at
    /// the edge of the calendar.
    #[must_use]
    pub fn new(from: Date, to: Date) -> Option<Self> {
        if to < from {
            return None;
        }
        let start = from.to_zoned(vietnam()).ok()?.timestamp();
        let end = to.tomorrow().ok()?.to_zoned(vietnam()).ok()?.timestamp();
        Some(Self { from, to, start, end })
    }

    /// The twelve months up to and including `today`.
    #[must_use]
    pub fn last_year(today: Date) -> Self {
        let from = today.checked_sub(1.year()).unwrap_or(today);
        Self::new(from, today).or_else(|| Self::new(today, today)).unwrap_or(Self {
            from: today,
            to: today,
            start: Timestamp::UNIX_EPOCH,
            end: Timestamp::UNIX_EPOCH,
        })
    }

    /// Reads `from` and `to` as typed (dd/mm/yyyy or yyyy-mm-dd; either may be empty: `to`
    /// defaults to `today`, `from` to twelve months before `to`).
    ///
    /// # Errors
    /// A date that does not parse, `to` before `from`, or more than [`MAX_DAYS`] days.
    pub fn parse(from: &str, to: &str, today: Date) -> Result<Self, Invalid> {
        let mut c = Checker::new();
        let from = c.date("from", from, false);
        let to = c.date("to", to, false);
        c.finish(())?;
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| Self::last_year(to).from);
        if to < from {
            return Err(Invalid::one("to", Problem::DateOrder));
        }
        let days = (to - from).get_days();
        if i64::from(days) >= MAX_DAYS {
            return Err(Invalid::one("to", Problem::OutOfRange { min: 1, max: MAX_DAYS }));
        }
        Self::new(from, to).ok_or_else(|| Invalid::one("to", Problem::BadDate))
    }

    /// The nights any instant of the period belongs to: from the night before `from` (its
    /// morning is the period's first morning) to the night of `to`.
    #[must_use]
    pub fn nights(&self) -> Vec<Date> {
        let mut out = Vec::new();
        let mut d = self.from.yesterday().unwrap_or(self.from);
        while d <= self.to {
            out.push(d);
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        out
    }
}

/// The night `ts` belongs to: the date it started (the previous date before 12:00).
#[must_use]
pub fn night_of(ts: Timestamp) -> Date {
    let z = local(ts);
    if z.hour() < 12 { z.date().yesterday().unwrap_or(z.date()) } else { z.date() }
}

/// The heat-map cell of `ts`: (day of week, Monday = 0, hour 0–23), in Vietnam time.
#[must_use]
pub fn cell_of(ts: Timestamp) -> (usize, usize) {
    let z = local(ts);
    let day = usize::try_from(z.weekday().to_monday_zero_offset()).unwrap_or(0);
    (day.min(6), usize::try_from(z.hour()).unwrap_or(0).min(23))
}

/// Whether the night of `d` is a holiday night: a public holiday (by law or the official
/// schedule, days in lieu included) or the Tết period.
#[must_use]
pub fn is_holiday_night(d: Date) -> bool {
    matches!(risk::day_type(d, &Overrides::none()), DayType::Holiday | DayType::TetPeriod)
}

/// Incidents of one kind of night.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Nights {
    pub nights: u32,
    pub incidents: u32,
}

impl Nights {
    /// Incidents per night (0 when there were no such nights).
    #[must_use]
    pub fn rate(&self) -> f64 {
        if self.nights == 0 { 0.0 } else { f64::from(self.incidents) / f64::from(self.nights) }
    }
}

/// One unit's count, for the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitCount {
    pub unit_id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub incidents: u32,
}

/// Every table of the statistics page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub total: u32,
    /// In [`UnitKind::ALL`] order, zeros included.
    pub by_unit_kind: Vec<(UnitKind, u32)>,
    /// `heat[day][hour]`, Monday = 0.
    pub heat: [[u32; 24]; 7],
    /// Incidents between 00:00 and 05:00 (seed 001: "12 of 14").
    pub small_hours: u32,
    pub holiday_nights: Nights,
    pub ordinary_nights: Nights,
    /// In the enum's order, zeros included; an incident with several descriptors counts once
    /// under each.
    pub by_modus: Vec<(Modus, u32)>,
    pub by_cause: Vec<(Cause, u32)>,
    pub by_kind: Vec<(IncidentKind, u32)>,
    pub by_status: Vec<(IncidentStatus, u32)>,
    /// Most incidents first, then by name.
    pub by_unit: Vec<UnitCount>,
}

fn count_by<T: Copy + PartialEq>(all: &[T], items: impl Iterator<Item = T>) -> Vec<(T, u32)> {
    let mut out: Vec<(T, u32)> = all.iter().map(|x| (*x, 0)).collect();
    for item in items {
        if let Some(slot) = out.iter_mut().find(|(x, _)| *x == item) {
            slot.1 += 1;
        }
    }
    out
}

/// Computes every table over `facts` for `period`, with `holiday` telling holiday nights
/// (normally [`is_holiday_night`]).
#[must_use]
pub fn compute(facts: &[IncidentFact], period: &Period, holiday: impl Fn(Date) -> bool) -> Stats {
    let nights: HashMap<Date, bool> = period.nights().into_iter().map(|d| (d, holiday(d))).collect();
    let mut holiday_nights =
        Nights { nights: u32::try_from(nights.values().filter(|h| **h).count()).unwrap_or(u32::MAX), incidents: 0 };
    let mut ordinary_nights =
        Nights { nights: u32::try_from(nights.values().filter(|h| !**h).count()).unwrap_or(u32::MAX), incidents: 0 };
    let mut heat = [[0u32; 24]; 7];
    let mut small_hours = 0;
    let mut units: Vec<UnitCount> = Vec::new();
    for f in facts {
        let (day, hour) = cell_of(f.occurred_at);
        heat[day][hour] += 1;
        if hour < 5 {
            small_hours += 1;
        }
        let night = night_of(f.occurred_at);
        if nights.get(&night).copied().unwrap_or_else(|| holiday(night)) {
            holiday_nights.incidents += 1;
        } else {
            ordinary_nights.incidents += 1;
        }
        match units.iter_mut().find(|u| u.unit_id == f.unit_id) {
            Some(u) => u.incidents += 1,
            None => {
                units.push(UnitCount { unit_id: f.unit_id, name: f.unit_name.clone(), kind: f.unit_kind, incidents: 1 })
            }
        }
    }
    units.sort_by(|a, b| b.incidents.cmp(&a.incidents).then_with(|| a.name.cmp(&b.name)));
    Stats {
        total: u32::try_from(facts.len()).unwrap_or(u32::MAX),
        by_unit_kind: count_by(UnitKind::ALL, facts.iter().map(|f| f.unit_kind)),
        heat,
        small_hours,
        holiday_nights,
        ordinary_nights,
        by_modus: count_by(Modus::ALL, facts.iter().flat_map(|f| f.modus.iter().copied())),
        by_cause: count_by(Cause::ALL, facts.iter().flat_map(|f| f.causes.iter().copied())),
        by_kind: count_by(IncidentKind::ALL, facts.iter().map(|f| f.kind)),
        by_status: count_by(IncidentStatus::ALL, facts.iter().map(|f| f.status)),
        by_unit: units,
    }
}

/// The facts of one type of premises, or of one unit (the drill-down).
#[must_use]
pub fn narrow(facts: Vec<IncidentFact>, kind: Option<UnitKind>, unit: Option<UnitId>) -> Vec<IncidentFact> {
    facts.into_iter().filter(|f| kind.is_none_or(|k| f.unit_kind == k) && unit.is_none_or(|u| f.unit_id == u)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// An instant given as Vietnamese wall-clock time.
    fn vn(d: Date, hour: i8, minute: i8) -> Timestamp {
        d.at(hour, minute, 0, 0).to_zoned(vietnam()).unwrap().timestamp()
    }

    fn fact(unit: u128, kind: UnitKind, at: Timestamp) -> IncidentFact {
        IncidentFact {
            id: IncidentId(uuid::Uuid::from_u128(at.as_second().unsigned_abs().into())),
            occurred_at: at,
            unit_id: UnitId(uuid::Uuid::from_u128(unit)),
            unit_name: format!("Đơn vị {unit}"),
            unit_kind: kind,
            kind: IncidentKind::Theft,
            status: IncidentStatus::Closed,
            modus: vec![Modus::Helmet, Modus::Gloves],
            causes: vec![Cause::ThinGuard],
        }
    }

    fn count<T: PartialEq>(table: &[(T, u32)], which: T) -> u32 {
        table.iter().find(|(x, _)| *x == which).map_or(u32::MAX, |(_, n)| *n)
    }

    fn period() -> Period {
        Period::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap()
    }

    /// Seed 001: "14 vụ: 09 trường học, 04 CQDN, 01 bệnh viện", 12 of them between 00:00 and
    /// 05:00.
    #[test]
    fn the_seeds_fourteen_cases_are_tallied_by_premises_and_hour() {
        let mut facts = Vec::new();
        let day = date(2026, 3, 2);
        let kinds = [UnitKind::School; 9].into_iter().chain([UnitKind::Agency; 2]).chain([UnitKind::Enterprise; 2]);
        for (n, kind) in kinds.chain([UnitKind::Hospital]).enumerate() {
            let d = day.checked_add(i64::try_from(n).unwrap().days()).unwrap();
            // Twelve in the small hours, two in the evening.
            let hour = if n < 12 { i8::try_from(n % 5).unwrap() } else { 21 };
            facts.push(fact(u128::try_from(n).unwrap(), kind, vn(d, hour, 30)));
        }
        let s = compute(&facts, &period(), |_| false);
        assert_eq!(s.total, 14);
        assert_eq!(count(&s.by_unit_kind, UnitKind::School), 9);
        assert_eq!(count(&s.by_unit_kind, UnitKind::Agency) + count(&s.by_unit_kind, UnitKind::Enterprise), 4);
        assert_eq!(count(&s.by_unit_kind, UnitKind::Hospital), 1);
        assert_eq!(count(&s.by_unit_kind, UnitKind::Bank), 0);
        assert_eq!(s.small_hours, 12);
        assert_eq!(count(&s.by_modus, Modus::Helmet), 14);
        assert_eq!(count(&s.by_modus, Modus::Mask), 0);
        assert_eq!(count(&s.by_cause, Cause::ThinGuard), 14);
        assert_eq!(count(&s.by_kind, IncidentKind::Theft), 14);
        assert_eq!(count(&s.by_status, IncidentStatus::Closed), 14);
        assert_eq!(s.by_unit.len(), 14);
        assert_eq!(s.heat.iter().flatten().sum::<u32>(), 14);
    }

    #[test]
    fn a_night_belongs_to_the_date_it_started() {
        let d = date(2026, 4, 29);
        assert_eq!(night_of(vn(d, 23, 59)), d);
        assert_eq!(night_of(vn(d.tomorrow().unwrap(), 0, 1)), d);
        assert_eq!(night_of(vn(d.tomorrow().unwrap(), 11, 59)), d);
        assert_eq!(night_of(vn(d.tomorrow().unwrap(), 12, 0)), d.tomorrow().unwrap());
    }

    #[test]
    fn heat_map_cells_are_in_vietnam_time() {
        // 18:30 UTC on Monday 16/02/2026 is 01:30 on Tuesday in Vietnam.
        let ts: Timestamp = "2026-02-16T18:30:00Z".parse().unwrap();
        assert_eq!(cell_of(ts), (1, 1));
        // Sunday 22/11/2026 23:59 in Vietnam.
        assert_eq!(cell_of(vn(date(2026, 11, 22), 23, 59)), (6, 23));
        let s = compute(&[fact(1, UnitKind::School, ts)], &period(), |_| false);
        assert_eq!(s.heat[1][1], 1);
        assert_eq!(s.heat[0][18], 0);
    }

    #[test]
    fn holiday_nights_are_rated_per_night() {
        // 30/4 and 01/5/2026 are holidays; 10 days 25/4–04/5 give 11 nights (24/4 … 04/5).
        let p = Period::new(date(2026, 4, 25), date(2026, 5, 4)).unwrap();
        assert_eq!(p.nights().len(), 11);
        assert!(is_holiday_night(date(2026, 4, 30)));
        assert!(is_holiday_night(date(2026, 5, 1)));
        assert!(!is_holiday_night(date(2026, 4, 28)));
        let facts = [
            // The night of 30/4 (its evening and its small hours): two on a holiday night.
            fact(1, UnitKind::School, vn(date(2026, 4, 30), 22, 0)),
            fact(1, UnitKind::School, vn(date(2026, 5, 1), 2, 0)),
            // 11:59 on 30/4 is still the night of 29/4, an ordinary night.
            fact(2, UnitKind::Bank, vn(date(2026, 4, 30), 11, 59)),
            // The night of 01/5 (a holiday) at 12:00 on 01/5.
            fact(2, UnitKind::Bank, vn(date(2026, 5, 1), 12, 0)),
        ];
        let s = compute(&facts, &p, is_holiday_night);
        let holidays = p.nights().into_iter().filter(|d| is_holiday_night(*d)).count();
        assert_eq!(s.holiday_nights.nights, u32::try_from(holidays).unwrap());
        assert_eq!(s.holiday_nights.nights + s.ordinary_nights.nights, 11);
        assert_eq!(s.holiday_nights.incidents, 3);
        assert_eq!(s.ordinary_nights.incidents, 1);
        let rate = 3.0 / f64::from(s.holiday_nights.nights);
        assert!((s.holiday_nights.rate() - rate).abs() < 1e-9);
        assert!(s.holiday_nights.rate() > s.ordinary_nights.rate());
        assert_eq!(Nights::default().rate(), 0.0);
        // Tết 2026 nights count as holiday nights too.
        assert!(is_holiday_night(date(2026, 2, 17)));
    }

    #[test]
    fn units_are_ranked_for_the_drill_down() {
        let at = vn(date(2026, 6, 1), 1, 0);
        let facts =
            vec![fact(1, UnitKind::School, at), fact(2, UnitKind::Bank, at), fact(2, UnitKind::Bank, at + 1.hour())];
        let s = compute(&facts, &period(), |_| false);
        assert_eq!(s.by_unit[0].name, "Đơn vị 2");
        assert_eq!(s.by_unit[0].incidents, 2);
        assert_eq!(narrow(facts.clone(), Some(UnitKind::School), None).len(), 1);
        assert_eq!(narrow(facts, None, Some(UnitId(uuid::Uuid::from_u128(2)))).len(), 2);
    }

    #[test]
    fn periods_are_read_in_both_orders_and_checked() {
        let today = date(2026, 12, 7);
        let p = Period::parse("", "", today).unwrap();
        assert_eq!((p.from, p.to), (date(2025, 12, 7), today));
        let p = Period::parse("01/03/2026", "2026-03-31", today).unwrap();
        assert_eq!((p.from, p.to), (date(2026, 3, 1), date(2026, 3, 31)));
        assert_eq!(p.start, vn(date(2026, 3, 1), 0, 0));
        assert_eq!(p.end, vn(date(2026, 4, 1), 0, 0));
        let bad = Period::parse("31/02/2026", "", today).unwrap_err();
        assert_eq!(bad.0[0].field, "from");
        assert_eq!(bad.0[0].problem, Problem::BadDate);
        let order = Period::parse("02/03/2026", "01/03/2026", today).unwrap_err();
        assert_eq!(order.0[0].problem, Problem::DateOrder);
        assert!(Period::parse("01/01/1990", "01/01/2026", today).is_err());
    }
}
