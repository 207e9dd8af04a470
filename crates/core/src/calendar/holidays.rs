//! Public holidays: the law's rules, each year's official schedule, and a unit's own changes.
//!
//! Three layers (vectors/lunar-calendar.md §4.6), each overriding the one before:
//! 1. **Rules** — Bộ luật Lao động 2019 Điều 112 khoản 1: Tết Dương lịch 01/01; Tết Âm lịch
//!    5 days; Ngày Chiến thắng 30/4; Quốc tế Lao động 01/5; Quốc khánh 02/9 and one adjacent
//!    day; Giỗ Tổ Hùng Vương 10/3 âm lịch. A holiday on a weekly rest day is made up on the
//!    next working day (Điều 111 khoản 3), with Saturday and Sunday as the rest days of the
//!    civil service's 40-hour week.
//! 2. **The official schedule** — each year the Prime Minister fixes the Tết and Quốc khánh
//!    days (Điều 112 khoản 3) and the Ministry announces day swaps for civil servants. Where the
//!    table below has an entry for a year and holiday, it replaces the rule for that pair.
//! 3. **Overrides** — a unit's own added or removed days off, each with a reason.
//!
//! The rules' choices where the law leaves one: Tết is the last day of the old year plus mùng
//! 1–4 (the usual decision, e.g. 2020: 29 tháng Chạp to mùng 5 with the weekend); the Quốc
//! khánh day is 03/9 when 02/9 is a Monday, Thursday or Sunday (to join a weekend, as in 2021
//! and 2024) and 01/9 otherwise (2022, 2023, 2025).
//!
//! Not yet law (as of the vectors' sources, 02/2026): 24/11 "Ngày Văn hóa Việt Nam" as a paid
//! holiday. When Điều 112 is amended it becomes one more rule here.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};
use serde::{Deserialize, Serialize};

use super::lunar::{self, LunarDate};
use crate::registry::code_enum;

code_enum!(
    /// Which holiday.
    HolidayKind {
        NewYear = "new_year",
        LunarNewYear = "lunar_new_year",
        HungKings = "hung_kings",
        Reunification = "reunification",
        LabourDay = "labour_day",
        NationalDay = "national_day",
        UnitDayOff = "unit_day_off",
    }
);

impl HolidayKind {
    /// The Vietnamese name.
    #[must_use]
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::NewYear => "Tết Dương lịch",
            Self::LunarNewYear => "Tết Nguyên đán",
            Self::HungKings => "Giỗ Tổ Hùng Vương",
            Self::Reunification => "Ngày Chiến thắng",
            Self::LabourDay => "Ngày Quốc tế Lao động",
            Self::NationalDay => "Quốc khánh",
            Self::UnitDayOff => "Ngày nghỉ của đơn vị",
        }
    }

    /// The English name.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::LunarNewYear => "Lunar New Year (Tết)",
            Self::HungKings => "Hùng Kings' Commemoration",
            Self::Reunification => "Reunification Day",
            Self::LabourDay => "International Workers' Day",
            Self::NationalDay => "National Day",
            Self::UnitDayOff => "Unit day off",
        }
    }
}

code_enum!(
    /// Where a holiday comes from: a day Điều 112 khoản 1 names (or the rules' choice where the
    /// law leaves one), a make-up day for a holiday on a weekly rest day (Điều 111 khoản 3),
    /// the year's official schedule, or the unit's own override.
    HolidaySource {
        Law = "law",
        Compensatory = "compensatory",
        Official = "official",
        Unit = "unit",
    }
);

/// A day off on a given date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holiday {
    pub kind: HolidayKind,
    pub name_vi: String,
    pub name_en: String,
    pub source: HolidaySource,
    /// The legal basis of an official day, the reason of a unit's; empty for the law's rules.
    pub note: String,
}

impl Holiday {
    fn new(kind: HolidayKind, source: HolidaySource, note: &str) -> Self {
        let (name_vi, name_en) = match source {
            HolidaySource::Compensatory => {
                (format!("Nghỉ bù {}", kind.name_vi()), format!("{} (day in lieu)", kind.name_en()))
            }
            _ => (kind.name_vi().to_owned(), kind.name_en().to_owned()),
        };
        Self { kind, name_vi, name_en, source, note: note.to_owned() }
    }
}

/// One holiday of one year as officially scheduled: every day from `first` to `last`
/// (weekends included) is off, and `worked` Saturday, if any, is a working day in exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialSchedule {
    pub year: i16,
    pub kind: HolidayKind,
    pub first: Date,
    pub last: Date,
    pub worked: Option<Date>,
    pub basis: &'static str,
}

/// The official schedules known to baove, for civil servants (công chức, viên chức), which
/// most units follow. Add each year's as it is announced.
pub const OFFICIAL_SCHEDULES: &[OfficialSchedule] = &[
    OfficialSchedule {
        year: 2020,
        kind: HolidayKind::LunarNewYear,
        first: date(2020, 1, 23),
        last: date(2020, 1, 29),
        worked: None,
        basis: "Tết Canh Tý: 23/01–29/01/2020, 29 tháng Chạp Kỷ Hợi đến mùng 5",
    },
    OfficialSchedule {
        year: 2025,
        kind: HolidayKind::LunarNewYear,
        first: date(2025, 1, 25),
        last: date(2025, 2, 2),
        worked: Some(date(2025, 2, 8)),
        basis: "Thông báo 6150/TB-LĐTBXH (2024): 25/01–02/02/2025, đổi thứ Hai 27/01 lấy thứ Bảy 08/02",
    },
    OfficialSchedule {
        year: 2025,
        kind: HolidayKind::Reunification,
        first: date(2025, 4, 30),
        last: date(2025, 5, 4),
        worked: Some(date(2025, 4, 26)),
        basis: "Hoán đổi thứ Sáu 02/5/2025 lấy thứ Bảy 26/4/2025: nghỉ 30/4–04/5/2025",
    },
    OfficialSchedule {
        year: 2025,
        kind: HolidayKind::NationalDay,
        first: date(2025, 8, 30),
        last: date(2025, 9, 2),
        worked: None,
        basis: "Quốc khánh 2025: 02/9 và thứ Hai 01/9, nghỉ 30/8–02/9/2025",
    },
    OfficialSchedule {
        year: 2026,
        kind: HolidayKind::NewYear,
        first: date(2026, 1, 1),
        last: date(2026, 1, 4),
        worked: Some(date(2026, 1, 10)),
        basis: "Văn bản 12729/VPCP-KGVX (25/12/2025): đổi thứ Sáu 02/01 lấy thứ Bảy 10/01/2026",
    },
    OfficialSchedule {
        year: 2026,
        kind: HolidayKind::LunarNewYear,
        first: date(2026, 2, 14),
        last: date(2026, 2, 22),
        worked: None,
        basis: "Thủ tướng đồng ý (10/2025): 14/02–22/02/2026, 27 tháng Chạp Ất Tỵ đến mùng 6 Bính Ngọ",
    },
    OfficialSchedule {
        year: 2026,
        kind: HolidayKind::NationalDay,
        first: date(2026, 8, 29),
        last: date(2026, 9, 2),
        worked: Some(date(2026, 8, 22)),
        basis: "Thủ tướng đồng ý (10/2025): 01/9 và 02/9, đổi thứ Hai 31/8 lấy thứ Bảy 22/8/2026",
    },
];

/// A unit's change to the calendar on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Override {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub date: Date,
    pub change: Change,
    /// Why, in the unit's words ("trường nghỉ hè", "bệnh viện trực Tết đủ quân số").
    pub reason: String,
}

/// What an override does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// The unit is closed that day.
    Add { name_vi: String, name_en: String },
    /// The unit works that day: the holidays the law or the schedule put there do not apply.
    Remove,
}

/// A unit's overrides, applied on top of the law and the official schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overrides {
    pub entries: Vec<Override>,
}

impl Overrides {
    /// No overrides.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }
}

/// The holidays on `date`: the official schedule where it has one, the law's rules otherwise,
/// then the unit's overrides. Lunar holidays outside 1900–2100 are not known and left out.
#[must_use]
pub fn holidays_on(d: Date, overrides: &Overrides) -> Vec<Holiday> {
    let mut out: Vec<Holiday> =
        national_days_off(i32::from(d.year())).into_iter().filter(|(day, _)| *day == d).map(|(_, h)| h).collect();
    for o in overrides.entries.iter().filter(|o| o.date == d) {
        match &o.change {
            Change::Remove => out.clear(),
            Change::Add { name_vi, name_en } => out.push(Holiday {
                kind: HolidayKind::UnitDayOff,
                name_vi: name_vi.clone(),
                name_en: name_en.clone(),
                source: HolidaySource::Unit,
                note: o.reason.clone(),
            }),
        }
    }
    out
}

/// Whether `d` is a weekend day the official schedule turns into a working day (làm bù).
#[must_use]
pub fn is_swapped_workday(d: Date) -> bool {
    OFFICIAL_SCHEDULES.iter().any(|s| s.worked == Some(d))
}

/// Whether `d` is a weekly rest day of the civil service (Saturday or Sunday).
#[must_use]
pub fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Every national day off of civil year `year`, sorted by date.
#[must_use]
pub fn national_days_off(year: i32) -> Vec<(Date, Holiday)> {
    let Ok(y) = i16::try_from(year) else { return Vec::new() };
    let mut days: Vec<(Date, Holiday)> = Vec::new();
    // The law's days for each holiday the schedule does not cover.
    let mut statutory: Vec<(Date, HolidayKind)> = Vec::new();
    for kind in HolidayKind::ALL.iter().copied().filter(|k| *k != HolidayKind::UnitDayOff) {
        let official: Vec<&OfficialSchedule> =
            OFFICIAL_SCHEDULES.iter().filter(|s| s.year == y && s.kind == kind).collect();
        if official.is_empty() {
            statutory.extend(law_days(y, kind).into_iter().map(|d| (d, kind)));
        }
        for s in official {
            let mut d = s.first;
            while d <= s.last {
                days.push((d, Holiday::new(kind, HolidaySource::Official, s.basis)));
                d = d.tomorrow().unwrap_or(Date::MAX);
            }
        }
    }
    statutory.sort_by_key(|(d, _)| *d);
    // Điều 111 khoản 3: a statutory day on a weekly rest day is made up on the next day that
    // is neither a rest day, nor a holiday, nor already a make-up day.
    let taken = |d: Date, days: &[(Date, Holiday)]| {
        is_weekend(d) || statutory.iter().any(|(s, _)| *s == d) || days.iter().any(|(s, _)| *s == d)
    };
    for (d, kind) in &statutory {
        days.push((*d, Holiday::new(*kind, HolidaySource::Law, "")));
    }
    for (d, kind) in &statutory {
        if is_weekend(*d) {
            let mut next = d.tomorrow().unwrap_or(Date::MAX);
            while taken(next, &days) && next < Date::MAX {
                next = next.tomorrow().unwrap_or(Date::MAX);
            }
            days.push((next, Holiday::new(*kind, HolidaySource::Compensatory, "")));
        }
    }
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The days Điều 112 khoản 1 gives one holiday in civil year `y` (with the rules' choices).
fn law_days(y: i16, kind: HolidayKind) -> Vec<Date> {
    let year = i32::from(y);
    match kind {
        HolidayKind::NewYear => vec![date(y, 1, 1)],
        HolidayKind::Reunification => vec![date(y, 4, 30)],
        HolidayKind::LabourDay => vec![date(y, 5, 1)],
        HolidayKind::NationalDay => {
            let second = date(y, 9, 2);
            let adjacent = match second.weekday() {
                Weekday::Monday | Weekday::Thursday | Weekday::Sunday => date(y, 9, 3),
                _ => date(y, 9, 1),
            };
            let mut v = vec![second, adjacent];
            v.sort();
            v
        }
        HolidayKind::LunarNewYear => lunar::tet(year)
            .map(|tet| (-1_i64..=3).filter_map(|i| tet.checked_add(i.days()).ok()).collect())
            .unwrap_or_default(),
        HolidayKind::HungKings => {
            lunar::to_solar(LunarDate { year, month: 3, day: 10, leap: false }).map(|d| vec![d]).unwrap_or_default()
        }
        HolidayKind::UnitDayOff => Vec::new(),
    }
}

/// The last day off of the official Tết holiday of lunar year `year`, if the schedule has it.
#[must_use]
pub fn official_tet_last_day(year: i32) -> Option<Date> {
    OFFICIAL_SCHEDULES.iter().find(|s| i32::from(s.year) == year && s.kind == HolidayKind::LunarNewYear).map(|s| s.last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(d: Date) -> Vec<(HolidayKind, HolidaySource)> {
        holidays_on(d, &Overrides::none()).into_iter().map(|h| (h.kind, h.source)).collect()
    }

    fn off(d: Date) -> bool {
        !holidays_on(d, &Overrides::none()).is_empty()
    }

    #[test]
    fn new_years_day_is_a_holiday_by_law() {
        assert_eq!(kinds(date(2027, 1, 1)), [(HolidayKind::NewYear, HolidaySource::Law)]);
        let h = &holidays_on(date(2027, 1, 1), &Overrides::none())[0];
        assert_eq!((h.name_vi.as_str(), h.name_en.as_str()), ("Tết Dương lịch", "New Year's Day"));
        assert!(!off(date(2027, 1, 2)));
    }

    #[test]
    fn gio_to_on_a_sunday_is_made_up_on_monday() {
        // 10/3 Bính Ngọ is Sunday 26/04/2026.
        assert_eq!(kinds(date(2026, 4, 26)), [(HolidayKind::HungKings, HolidaySource::Law)]);
        assert_eq!(kinds(date(2026, 4, 27)), [(HolidayKind::HungKings, HolidaySource::Compensatory)]);
        assert_eq!(holidays_on(date(2026, 4, 27), &Overrides::none())[0].name_vi, "Nghỉ bù Giỗ Tổ Hùng Vương");
    }

    #[test]
    fn the_2023_april_holidays_chain_into_five_days_as_announced() {
        // Giỗ Tổ on Saturday 29/4, 30/4 on Sunday, 1/5 on Monday: off 29/4–3/5/2023.
        assert_eq!(kinds(date(2023, 4, 29)), [(HolidayKind::HungKings, HolidaySource::Law)]);
        assert_eq!(kinds(date(2023, 5, 2)), [(HolidayKind::HungKings, HolidaySource::Compensatory)]);
        assert_eq!(kinds(date(2023, 5, 3)), [(HolidayKind::Reunification, HolidaySource::Compensatory)]);
        assert!(!off(date(2023, 5, 4)));
    }

    #[test]
    fn the_national_day_rule_matches_the_days_announced_2021_to_2024() {
        // 2021 (2/9 Thursday): 2–3/9. 2022 (Friday): 1–2/9. 2023 (Saturday): 1–2/9, bù 4/9.
        // 2024 (Monday): 2–3/9.
        let national = |y, m, d| kinds(date(y, m, d)).iter().any(|(k, _)| *k == HolidayKind::NationalDay);
        assert!(national(2021, 9, 2) && national(2021, 9, 3) && !national(2021, 9, 1));
        assert!(national(2022, 9, 1) && national(2022, 9, 2) && !national(2022, 9, 3));
        assert!(national(2023, 9, 1) && national(2023, 9, 2) && national(2023, 9, 4) && !national(2023, 9, 3));
        assert!(national(2024, 9, 2) && national(2024, 9, 3) && !national(2024, 9, 1));
    }

    #[test]
    fn the_official_schedule_replaces_the_rule_for_its_year_and_holiday() {
        // Tết Ất Tỵ 2025: officially 25/01–02/02. The rule alone would give 28/01–01/02 and a
        // make-up Monday 03/02, which was in fact a working day.
        for d in [date(2025, 1, 25), date(2025, 1, 27), date(2025, 2, 2)] {
            assert_eq!(kinds(d), [(HolidayKind::LunarNewYear, HolidaySource::Official)], "{d}");
        }
        assert!(!off(date(2025, 1, 24)));
        assert!(!off(date(2025, 2, 3)));
        assert!(is_swapped_workday(date(2025, 2, 8)));
        // Tết Bính Ngọ 2026: 14/02–22/02.
        assert!(off(date(2026, 2, 14)) && off(date(2026, 2, 22)));
        assert!(!off(date(2026, 2, 13)) && !off(date(2026, 2, 23)));
        // Other holidays of 2026 still follow the rules: 30/4 and 1/5 fall on Thursday and Friday.
        assert_eq!(kinds(date(2026, 4, 30)), [(HolidayKind::Reunification, HolidaySource::Law)]);
        assert_eq!(kinds(date(2026, 5, 1)), [(HolidayKind::LabourDay, HolidaySource::Law)]);
    }

    #[test]
    fn the_2026_new_year_and_national_day_follow_the_announced_swaps() {
        assert!((1..=4).all(|d| off(date(2026, 1, d))));
        assert!(is_swapped_workday(date(2026, 1, 10)));
        assert!((29..=31).all(|d| off(date(2026, 8, d))) && off(date(2026, 9, 1)) && off(date(2026, 9, 2)));
        assert!(!off(date(2026, 9, 3)));
        assert!(is_swapped_workday(date(2026, 8, 22)));
    }

    #[test]
    fn every_year_by_rule_has_the_eleven_days_of_the_law() {
        for year in 2027..=2100 {
            let days = national_days_off(year);
            let law = days.iter().filter(|(_, h)| h.source == HolidaySource::Law).count();
            assert_eq!(law, 11, "{year}");
            let mut dates: Vec<Date> = days.iter().map(|(d, _)| *d).collect();
            dates.dedup();
            assert_eq!(dates.len(), days.len(), "two holidays on one day in {year}");
            for (d, h) in &days {
                if h.source == HolidaySource::Compensatory {
                    assert!(!is_weekend(*d), "{year}: make-up day {d} on a weekend");
                }
            }
        }
    }

    #[test]
    fn the_rule_gives_tet_the_last_day_of_the_old_year_and_mung_1_to_4() {
        // Tết Đinh Mùi: Saturday 06/02/2027. 05/02 to 09/02 by law, weekend days made up on
        // Wednesday 10/02 and Thursday 11/02.
        assert!(!off(date(2027, 2, 4)));
        for d in 5..=9 {
            assert_eq!(kinds(date(2027, 2, d)), [(HolidayKind::LunarNewYear, HolidaySource::Law)]);
        }
        assert_eq!(kinds(date(2027, 2, 10)), [(HolidayKind::LunarNewYear, HolidaySource::Compensatory)]);
        assert_eq!(kinds(date(2027, 2, 11)), [(HolidayKind::LunarNewYear, HolidaySource::Compensatory)]);
        assert!(!off(date(2027, 2, 12)));
    }

    #[test]
    fn a_unit_can_add_and_remove_days_off_with_a_reason() {
        let overrides = Overrides {
            entries: vec![
                Override { date: date(2025, 9, 1), change: Change::Remove, reason: "bệnh viện trực lễ".into() },
                Override {
                    date: date(2025, 11, 20),
                    change: Change::Add {
                        name_vi: "Ngày Nhà giáo Việt Nam".into(), name_en: "Teachers' Day".into()
                    },
                    reason: "trường nghỉ".into(),
                },
            ],
        };
        assert!(holidays_on(date(2025, 9, 1), &overrides).is_empty());
        assert!(!holidays_on(date(2025, 9, 2), &overrides).is_empty());
        let added = holidays_on(date(2025, 11, 20), &overrides);
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].kind, HolidayKind::UnitDayOff);
        assert_eq!(added[0].source, HolidaySource::Unit);
        assert_eq!(added[0].note, "trường nghỉ");
        assert_eq!(added[0].name_en, "Teachers' Day");
    }

    #[test]
    fn overrides_round_trip_through_json() {
        let o = Overrides {
            entries: vec![Override { date: date(2025, 9, 1), change: Change::Remove, reason: "trực".into() }],
        };
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(json, r#"{"entries":[{"date":"2025-09-01","change":{"type":"remove"},"reason":"trực"}]}"#);
        assert_eq!(serde_json::from_str::<Overrides>(&json).unwrap(), o);
    }
}
