//! Whether a zone is armed at a given instant, and why (R10: "outside working hours above
//! all").
//!
//! A zone's schedule is the reverse of its working hours: it is armed whenever the premises
//! are not open. Weekdays have their open hours (06:30–18:00 by default, so armed 18:00–06:30),
//! Saturdays and Sundays theirs (none by default: armed all day), and public holidays from the
//! calendar are armed all day. A Saturday the official schedule turns into a working day, or a
//! day the unit declares worked, takes the weekday hours.
//!
//! A manual arm or disarm (who, when) wins over the schedule until the schedule's own state
//! next changes — a guard who disarms at 20:00 to let a late meeting out is overridden at
//! 06:30, and from 18:00 the zone is armed again — or until it is cleared. All times are read
//! on the wall clock of Asia/Ho_Chi_Minh.

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::holidays::{self, Change, Overrides};
use crate::time;
use crate::validate::{Checker, Invalid, Problem};

/// How far ahead a schedule change is looked for; a manual setting on a zone whose schedule
/// does not change within it lasts until cleared.
pub const HORIZON_DAYS: i32 = 62;

/// Why open hours cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArmingError {
    #[error("open hours must end after they start")]
    EmptyWindow,
    #[error("open hours are written HH:MM-HH:MM")]
    BadFormat,
}

/// The hours a zone is open (disarmed by schedule), `from` inclusive to `to` exclusive, within
/// one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenHours {
    from: Time,
    to: Time,
}

impl OpenHours {
    /// Open from `from` to `to` on the same day.
    ///
    /// # Errors
    /// [`ArmingError::EmptyWindow`] unless `from < to`.
    pub fn new(from: Time, to: Time) -> Result<Self, ArmingError> {
        if from < to { Ok(Self { from, to }) } else { Err(ArmingError::EmptyWindow) }
    }

    /// Parses `06:30-18:00` (an en dash is accepted too).
    ///
    /// # Errors
    /// [`ArmingError`] for another layout or an empty window.
    pub fn parse(text: &str) -> Result<Self, ArmingError> {
        let (a, b) = text.split_once(['-', '–']).ok_or(ArmingError::BadFormat)?;
        let hm = |s: &str| -> Result<Time, ArmingError> {
            let (h, m) = s.trim().split_once(':').ok_or(ArmingError::BadFormat)?;
            let h: i8 = h.parse().map_err(|_| ArmingError::BadFormat)?;
            let m: i8 = m.parse().map_err(|_| ArmingError::BadFormat)?;
            Time::new(h, m, 0, 0).map_err(|_| ArmingError::BadFormat)
        };
        Self::new(hm(a)?, hm(b)?)
    }

    /// Opening time.
    #[must_use]
    pub fn from(&self) -> Time {
        self.from
    }

    /// Closing time.
    #[must_use]
    pub fn to(&self) -> Time {
        self.to
    }

    fn contains(&self, t: Time) -> bool {
        self.from <= t && t < self.to
    }

    /// "06:30–18:00".
    #[must_use]
    pub fn label(&self) -> String {
        format!("{:02}:{:02}–{:02}:{:02}", self.from.hour(), self.from.minute(), self.to.hour(), self.to.minute())
    }
}

/// How a zone's arming is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmingMode {
    /// By the weekly schedule and the holidays.
    Schedule,
    /// Always armed (a vault).
    AlwaysArmed,
    /// Never armed by schedule (a lobby with only panic buttons); manual arming still works.
    NeverArmed,
}

/// A zone's arming configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneArming {
    pub mode: ArmingMode,
    /// Monday to Friday, and weekend days that are worked; `None` is armed all day.
    pub weekdays: Option<OpenHours>,
    pub saturday: Option<OpenHours>,
    pub sunday: Option<OpenHours>,
    /// Whether public holidays (and the unit's days off) are armed all day.
    pub holidays_armed: bool,
    /// The unit's own days off and worked days.
    pub days_off: Overrides,
}

impl Default for ZoneArming {
    /// Armed 18:00–06:30 on weekdays, all day at weekends and on holidays.
    fn default() -> Self {
        Self {
            mode: ArmingMode::Schedule,
            weekdays: Some(OpenHours { from: Time::constant(6, 30, 0, 0), to: Time::constant(18, 0, 0, 0) }),
            saturday: None,
            sunday: None,
            holidays_armed: true,
            days_off: Overrides::none(),
        }
    }
}

/// A schedule as typed in a form: the mode's code (`schedule`, `always`, `never`), open hours
/// as `HH:MM-HH:MM` (empty: armed all day) and whether holidays are armed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ArmingDraft {
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub weekday_hours: String,
    #[serde(default)]
    pub saturday_hours: String,
    #[serde(default)]
    pub sunday_hours: String,
    #[serde(default)]
    pub holidays_armed: bool,
}

impl ArmingMode {
    /// The code a form uses.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::AlwaysArmed => "always",
            Self::NeverArmed => "never",
        }
    }

    pub const ALL: [Self; 3] = [Self::Schedule, Self::AlwaysArmed, Self::NeverArmed];
}

impl ArmingDraft {
    /// The draft of an existing schedule, to show in a form.
    #[must_use]
    pub fn of(z: &ZoneArming) -> Self {
        let hours = |h: Option<&OpenHours>| {
            h.map(|h| format!("{:02}:{:02}-{:02}:{:02}", h.from.hour(), h.from.minute(), h.to.hour(), h.to.minute()))
                .unwrap_or_default()
        };
        Self {
            mode: z.mode.code().into(),
            weekday_hours: hours(z.weekdays.as_ref()),
            saturday_hours: hours(z.saturday.as_ref()),
            sunday_hours: hours(z.sunday.as_ref()),
            holidays_armed: z.holidays_armed,
        }
    }

    /// The schedule (with no days off: those are the unit's, added where it is used).
    ///
    /// # Errors
    /// Every field that is not usable.
    pub fn parse(&self) -> Result<ZoneArming, Invalid> {
        let mut c = Checker::new();
        let mode = ArmingMode::ALL.into_iter().find(|m| m.code() == self.mode.trim());
        if mode.is_none() {
            c.fail("mode", Problem::NotAnOption);
        }
        let mut read = |field: &'static str, raw: &str| match raw.trim() {
            "" => None,
            text => OpenHours::parse(text).map_err(|_| c.fail(field, Problem::BadHours)).ok(),
        };
        let weekdays = read("weekday_hours", &self.weekday_hours);
        let saturday = read("saturday_hours", &self.saturday_hours);
        let sunday = read("sunday_hours", &self.sunday_hours);
        c.finish(ZoneArming {
            mode: mode.unwrap_or(ArmingMode::Schedule),
            weekdays,
            saturday,
            sunday,
            holidays_armed: self.holidays_armed,
            days_off: Overrides::none(),
        })
    }
}

/// Someone armed or disarmed a zone by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualArming {
    pub armed: bool,
    /// Who, as shown to people.
    pub by: String,
    pub at: Timestamp,
}

/// Which schedule a day follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayRule {
    Weekday,
    Saturday,
    Sunday,
    /// A weekend day that is worked (official swap or the unit's choice): weekday hours.
    WorkedWeekend,
}

/// Why a zone is armed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ArmingReason {
    /// Set by hand; `until` is when the schedule takes over (`None`: until cleared).
    Manual {
        by: String,
        at: Timestamp,
        until: Option<Timestamp>,
    },
    Holiday {
        name_vi: String,
    },
    Schedule {
        day: DayRule,
        open: Option<OpenHours>,
    },
    AlwaysArmed,
    NeverArmed,
}

/// Whether a zone is armed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArmingStatus {
    pub armed: bool,
    pub reason: ArmingReason,
}

impl ArmingStatus {
    /// One Vietnamese sentence for the console.
    #[must_use]
    pub fn explain_vi(&self) -> String {
        let state = if self.armed { "Đang bật báo động" } else { "Đang tắt báo động" };
        match &self.reason {
            ArmingReason::Manual { by, at, until } => {
                let action = if self.armed { "bật" } else { "tắt" };
                let until = until.map(|u| format!(", đến {}", time::format_datetime(u))).unwrap_or_default();
                format!("{state}: {by} {action} thủ công lúc {}{until}", time::format_datetime(*at))
            }
            ArmingReason::Holiday { name_vi } => format!("{state}: ngày nghỉ lễ ({name_vi}), cả ngày"),
            ArmingReason::Schedule { day, open: Some(open) } => {
                let when = if self.armed { "ngoài giờ làm việc" } else { "trong giờ làm việc" };
                let day = match day {
                    DayRule::Weekday => "ngày thường",
                    DayRule::Saturday => "thứ Bảy",
                    DayRule::Sunday => "Chủ nhật",
                    DayRule::WorkedWeekend => "ngày làm bù",
                };
                format!("{state}: {when} {day} ({})", open.label())
            }
            ArmingReason::Schedule { day, open: None } => {
                let day = match day {
                    DayRule::Saturday => "thứ Bảy",
                    DayRule::Sunday => "Chủ nhật",
                    DayRule::Weekday | DayRule::WorkedWeekend => "ngày không làm việc",
                };
                format!("{state}: {day}, cả ngày")
            }
            ArmingReason::AlwaysArmed => format!("{state}: khu vực luôn bật báo động"),
            ArmingReason::NeverArmed => format!("{state}: khu vực không đặt lịch báo động"),
        }
    }
}

/// What one local day looks like.
struct DayPlan {
    holiday: Option<String>,
    rule: DayRule,
    open: Option<OpenHours>,
}

fn plan_of(zone: &ZoneArming, d: Date) -> DayPlan {
    if zone.holidays_armed
        && let Some(h) = holidays::holidays_on(d, &zone.days_off).into_iter().next()
    {
        return DayPlan { holiday: Some(h.name_vi), rule: DayRule::Weekday, open: None };
    }
    let unit_works = zone.days_off.entries.iter().any(|o| o.date == d && o.change == Change::Remove);
    let rule = match d.weekday() {
        Weekday::Saturday | Weekday::Sunday if holidays::is_swapped_workday(d) || unit_works => DayRule::WorkedWeekend,
        Weekday::Saturday => DayRule::Saturday,
        Weekday::Sunday => DayRule::Sunday,
        _ => DayRule::Weekday,
    };
    let open = match rule {
        DayRule::Weekday | DayRule::WorkedWeekend => zone.weekdays,
        DayRule::Saturday => zone.saturday,
        DayRule::Sunday => zone.sunday,
    };
    DayPlan { holiday: None, rule, open }
}

fn armed_in(plan: &DayPlan, t: Time) -> bool {
    plan.open.is_none_or(|o| !o.contains(t))
}

/// The zone's state by schedule alone.
#[must_use]
pub fn scheduled(zone: &ZoneArming, at: Timestamp) -> ArmingStatus {
    match zone.mode {
        ArmingMode::AlwaysArmed => return ArmingStatus { armed: true, reason: ArmingReason::AlwaysArmed },
        ArmingMode::NeverArmed => return ArmingStatus { armed: false, reason: ArmingReason::NeverArmed },
        ArmingMode::Schedule => {}
    }
    let local = time::local(at);
    let plan = plan_of(zone, local.date());
    let armed = armed_in(&plan, local.time());
    let reason = match plan.holiday {
        Some(name_vi) => ArmingReason::Holiday { name_vi },
        None => ArmingReason::Schedule { day: plan.rule, open: plan.open },
    };
    ArmingStatus { armed, reason }
}

/// The first instant after `after` at which the schedule's state differs from its state at
/// `after`, within [`HORIZON_DAYS`].
#[must_use]
pub fn next_change(zone: &ZoneArming, after: Timestamp) -> Option<Timestamp> {
    if zone.mode != ArmingMode::Schedule {
        return None;
    }
    let tz = time::vietnam();
    let start = time::local(after);
    let initial = armed_in(&plan_of(zone, start.date()), start.time());
    let mut day = start.date();
    for k in 0..=HORIZON_DAYS {
        let plan = plan_of(zone, day);
        let mut candidates = Vec::with_capacity(3);
        if k > 0 {
            candidates.push(Time::midnight());
        }
        if let Some(o) = plan.open {
            candidates.extend([o.from, o.to]);
        }
        for t in candidates {
            let Ok(instant) = day.to_datetime(t).to_zoned(tz.clone()).map(|z| z.timestamp()) else { continue };
            if instant > after && armed_in(&plan, t) != initial {
                return Some(instant);
            }
        }
        day = day.tomorrow().ok()?;
    }
    None
}

/// Whether the zone is armed at `at`: a manual setting made at or before `at` wins until the
/// schedule next changes after it; otherwise the schedule decides.
#[must_use]
pub fn is_armed(zone: &ZoneArming, manual: Option<&ManualArming>, at: Timestamp) -> ArmingStatus {
    if let Some(m) = manual.filter(|m| m.at <= at) {
        let until = next_change(zone, m.at);
        if until.is_none_or(|u| at < u) {
            return ArmingStatus { armed: m.armed, reason: ArmingReason::Manual { by: m.by.clone(), at: m.at, until } };
        }
    }
    scheduled(zone, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::holidays::Override;
    use jiff::civil::date;

    /// A Vietnamese wall-clock time as an instant.
    fn vn(s: &str) -> Timestamp {
        format!("{s}+07:00").parse().unwrap()
    }

    fn armed(zone: &ZoneArming, s: &str) -> bool {
        is_armed(zone, None, vn(s)).armed
    }

    #[test]
    fn a_typed_schedule_round_trips_and_bad_hours_are_named() {
        let d = ArmingDraft {
            mode: "schedule".into(),
            weekday_hours: "07:00-17:30".into(),
            saturday_hours: "07:00–11:00".into(),
            sunday_hours: String::new(),
            holidays_armed: true,
        };
        let z = d.parse().unwrap();
        assert_eq!(z.weekdays, Some(OpenHours::parse("07:00-17:30").unwrap()));
        assert_eq!(z.sunday, None, "empty: armed all day");
        assert_eq!(ArmingDraft::of(&z).parse().unwrap(), z);
        let bad = ArmingDraft { mode: "sometimes".into(), weekday_hours: "18:00-06:30".into(), ..d.clone() };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.for_field("mode"), Some(&Problem::NotAnOption));
        assert_eq!(e.for_field("weekday_hours"), Some(&Problem::BadHours), "closing before opening");
        let e = ArmingDraft { saturday_hours: "7h-11h".into(), ..d }.parse().unwrap_err();
        assert_eq!(e.for_field("saturday_hours"), Some(&Problem::BadHours));
    }

    #[test]
    fn weekdays_are_armed_after_hours_only() {
        let z = ZoneArming::default();
        // Monday 23/11/2026.
        assert!(armed(&z, "2026-11-23T05:00:00"));
        assert!(!armed(&z, "2026-11-23T06:30:00"));
        assert!(!armed(&z, "2026-11-23T17:59:59"));
        assert!(armed(&z, "2026-11-23T18:00:00"));
        assert!(armed(&z, "2026-11-23T23:30:00"));
        let s = is_armed(&z, None, vn("2026-11-23T19:00:00"));
        assert_eq!(s.explain_vi(), "Đang bật báo động: ngoài giờ làm việc ngày thường (06:30–18:00)");
    }

    #[test]
    fn weekends_are_armed_all_day() {
        let z = ZoneArming::default();
        // Saturday 21/11/2026.
        let s = is_armed(&z, None, vn("2026-11-21T10:00:00"));
        assert!(s.armed);
        assert_eq!(s.reason, ArmingReason::Schedule { day: DayRule::Saturday, open: None });
        assert_eq!(s.explain_vi(), "Đang bật báo động: thứ Bảy, cả ngày");
    }

    #[test]
    fn holidays_from_the_calendar_are_armed_all_day() {
        let z = ZoneArming::default();
        // Quốc khánh, Wednesday 02/9/2026.
        let s = is_armed(&z, None, vn("2026-09-02T10:00:00"));
        assert!(s.armed);
        assert_eq!(s.reason, ArmingReason::Holiday { name_vi: "Quốc khánh".into() });
        assert!(s.explain_vi().contains("ngày nghỉ lễ (Quốc khánh)"));
        // Giải phóng miền Nam, Thursday 30/4/2026.
        assert!(armed(&z, "2026-04-30T10:00:00"));
        let off = ZoneArming { holidays_armed: false, ..ZoneArming::default() };
        assert!(!armed(&off, "2026-09-02T10:00:00"));
    }

    #[test]
    fn a_swapped_saturday_is_worked_and_so_disarmed_in_office_hours() {
        let z = ZoneArming::default();
        // Saturday 22/8/2026 is worked in exchange for Monday 31/8.
        let s = is_armed(&z, None, vn("2026-08-22T10:00:00"));
        assert!(!s.armed);
        assert_eq!(s.reason, ArmingReason::Schedule { day: DayRule::WorkedWeekend, open: z.weekdays });
        assert!(armed(&z, "2026-08-22T19:00:00"));
    }

    #[test]
    fn the_units_own_days_off_and_worked_days_count() {
        let mut z = ZoneArming::default();
        z.days_off.entries.push(Override {
            date: date(2026, 11, 20),
            change: Change::Add { name_vi: "Ngày Nhà giáo".into(), name_en: "Teachers' Day".into() },
            reason: "trường nghỉ".into(),
        });
        z.days_off.entries.push(Override { date: date(2026, 9, 2), change: Change::Remove, reason: "trực".into() });
        assert!(armed(&z, "2026-11-20T10:00:00"));
        assert!(!armed(&z, "2026-09-02T10:00:00"));
    }

    #[test]
    fn a_manual_disarm_lasts_until_the_schedule_next_changes() {
        let z = ZoneArming::default();
        let m = ManualArming { armed: false, by: "Nguyễn Văn An".into(), at: vn("2026-11-23T20:00:00") };
        let s = is_armed(&z, Some(&m), vn("2026-11-23T23:00:00"));
        assert!(!s.armed);
        assert_eq!(
            s.reason,
            ArmingReason::Manual { by: "Nguyễn Văn An".into(), at: m.at, until: Some(vn("2026-11-24T06:30:00")) }
        );
        assert_eq!(
            s.explain_vi(),
            "Đang tắt báo động: Nguyễn Văn An tắt thủ công lúc 23/11/2026 20:00, đến 24/11/2026 06:30"
        );
        assert!(!is_armed(&z, Some(&m), vn("2026-11-24T06:29:59")).armed);
        let after = is_armed(&z, Some(&m), vn("2026-11-24T06:30:00"));
        assert!(matches!(after.reason, ArmingReason::Schedule { .. }));
        assert!(is_armed(&z, Some(&m), vn("2026-11-24T18:00:00")).armed);
    }

    #[test]
    fn a_manual_arm_in_office_hours_holds_until_the_evening() {
        let z = ZoneArming::default();
        let m = ManualArming { armed: true, by: "Trần Thị Bình".into(), at: vn("2026-11-23T10:00:00") };
        let s = is_armed(&z, Some(&m), vn("2026-11-23T17:59:00"));
        assert!(s.armed);
        assert!(matches!(s.reason, ArmingReason::Manual { .. }));
        let s = is_armed(&z, Some(&m), vn("2026-11-23T18:01:00"));
        assert!(matches!(s.reason, ArmingReason::Schedule { .. }) && s.armed);
        // Not yet made at the instant asked about: the schedule decides.
        assert!(!is_armed(&z, Some(&m), vn("2026-11-23T09:00:00")).armed);
    }

    #[test]
    fn the_next_change_skips_the_weekend() {
        let z = ZoneArming::default();
        // Friday 20/11/2026 18:00 → armed until Monday 06:30.
        assert_eq!(next_change(&z, vn("2026-11-20T18:00:00")), Some(vn("2026-11-23T06:30:00")));
        assert_eq!(next_change(&z, vn("2026-11-23T07:00:00")), Some(vn("2026-11-23T18:00:00")));
        // Tết 2026 (14/02–22/02) is armed throughout.
        assert_eq!(next_change(&z, vn("2026-02-13T18:00:00")), Some(vn("2026-02-23T06:30:00")));
    }

    #[test]
    fn a_manual_setting_on_a_zone_without_a_schedule_lasts_until_cleared() {
        let z = ZoneArming { mode: ArmingMode::AlwaysArmed, ..ZoneArming::default() };
        assert!(armed(&z, "2026-11-23T10:00:00"));
        let m = ManualArming { armed: false, by: "Kho quỹ".into(), at: vn("2026-11-23T10:00:00") };
        let s = is_armed(&z, Some(&m), vn("2027-01-01T10:00:00"));
        assert!(!s.armed);
        assert!(matches!(s.reason, ArmingReason::Manual { until: None, .. }));
        let never = ZoneArming { mode: ArmingMode::NeverArmed, ..ZoneArming::default() };
        assert_eq!(is_armed(&never, None, vn("2026-11-21T02:00:00")).reason, ArmingReason::NeverArmed);
    }

    #[test]
    fn open_hours_are_parsed_and_checked() {
        let o = OpenHours::parse("07:00–17:30").unwrap();
        assert_eq!(o.label(), "07:00–17:30");
        assert_eq!(OpenHours::parse("18:00-06:30"), Err(ArmingError::EmptyWindow));
        assert_eq!(OpenHours::parse("7h-17h"), Err(ArmingError::BadFormat));
        assert_eq!(OpenHours::parse("25:00-26:00"), Err(ArmingError::BadFormat));
    }
}
