//! How risky a time is: the type of a day (ordinary, weekend, holiday, Tết), the window of the
//! night, the weather, all as multipliers kept in one table, with the seed each comes from.
//!
//! The multipliers are priors read from the directives, not measured rates (the security-games
//! note says as much): they fix the *order* the patrol game sees — 01–03h above the rest of
//! 00–05h above the evening, Tết above holidays above weekends, rain and cold on top — and
//! [`super::history::HistoryWeights`] corrects them with a unit's own incidents once it has
//! some.
//!
//! **A night belongs to the evening it starts.** The duty day `D` runs from 06:00 on `D` to
//! 06:00 on `D + 1`; its night (18:00–06:00) takes the day type of the morning it runs into,
//! the date of its small hours — the window seed 000 §5 names, "từ 24h hôm trước đến 05h sáng
//! hôm sau". So the night of Friday→Saturday is a weekend night and the night of
//! Sunday→Monday is not: after it the staff are back and a break-in is found within hours,
//! while after a Friday night it can go unseen until Monday.
//!
//! **The Tết period** runs from 23 tháng Chạp (ông Công ông Táo) to mùng 7 tháng Giêng (khai
//! hạ, when the nêu pole comes down and offices are back at work), or to the last official day
//! off if that is later. Seed 000 warns of the time "trước, trong" Tết: from ông Táo on, cash,
//! bonuses and goods pile up while premises empty out for the longest closure of the year;
//! the official days off (2026: 27 Chạp to mùng 6) sit inside this span.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::CalendarError;
use super::holidays::{self, Change, Overrides};
use super::lunar;
use crate::registry::code_enum;

code_enum!(
    /// The kind of day for risk, strongest last.
    DayType {
        Ordinary = "ordinary",
        Weekend = "weekend",
        Holiday = "holiday",
        TetPeriod = "tet_period",
    }
);

/// A window of the clock, `from` inclusive to `to` exclusive (hours, Vietnam time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeWindow {
    pub from: u8,
    pub to: u8,
    pub multiplier: f64,
    pub label_vi: &'static str,
}

impl TimeWindow {
    /// "00-01", "06-18": the window's key in JSON.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{:02}-{:02}", self.from, self.to)
    }

    /// Whether the window is part of the night (18:00–06:00), when weather counts.
    #[must_use]
    pub fn is_night(&self) -> bool {
        self.from >= 18 || self.to <= 6
    }
}

/// The multiplier table. Every number the risk model uses is here.
pub mod multipliers {
    use super::{DayType, TimeWindow};

    /// The clock, covering 24 hours without gaps.
    pub const TIME_WINDOWS: [TimeWindow; 7] = [
        // Seed 000 §5: patrols concentrate "từ 24h hôm trước đến 05h sáng hôm sau".
        TimeWindow { from: 0, to: 1, multiplier: 1.6, label_vi: "khung 00–01 giờ" },
        // Seed 001: offenders pick "khung thời gian đêm tối (từ 01-03 giờ sáng)": the peak,
        // twice the working-hours baseline and clearly above the rest of 00–05 so the planner
        // leans into it without abandoning the shoulders.
        TimeWindow { from: 1, to: 3, multiplier: 2.0, label_vi: "khung 01–03 giờ" },
        // Seed 000 §5 again, the second half of the focus window.
        TimeWindow { from: 3, to: 5, multiplier: 1.6, label_vi: "khung 03–05 giờ" },
        // Still dark most of the year; the night shift is tired and handing over.
        TimeWindow { from: 5, to: 6, multiplier: 1.2, label_vi: "khung 05–06 giờ" },
        // Working hours: staff and visitors are about. The baseline.
        TimeWindow { from: 6, to: 18, multiplier: 1.0, label_vi: "giờ hành chính" },
        // After hours: offices empty, streets still busy.
        TimeWindow { from: 18, to: 22, multiplier: 1.1, label_vi: "buổi tối" },
        // Premises empty and quiet: the run-up to the 00–05 focus.
        TimeWindow { from: 22, to: 24, multiplier: 1.3, label_vi: "khung 22–24 giờ" },
    ];

    /// By day type (seed 000 §5: "đặc biệt vào những ngày nghỉ lễ, tết, cuối tuần"; seed
    /// 001: "các ngày nghỉ lễ, nghỉ Tết"; seed 000's opening: criminals "lợi dụng những ngày
    /// nghỉ Tết"). Tết is highest (longest closure, cash on hand), then holidays, then weekends.
    #[must_use]
    pub fn day_type(t: DayType) -> f64 {
        match t {
            DayType::Ordinary => 1.0,
            DayType::Weekend => 1.3,
            DayType::Holiday => 1.6,
            DayType::TetPeriod => 2.0,
        }
    }

    /// Seed 000 §5: "nhất là những đêm mưa, thời tiết gió lạnh". Rain masks noise, keeps
    /// witnesses and guards under cover and blurs cameras; it comes first in the seed.
    pub const RAIN: f64 = 1.3;
    /// Cold, windy nights empty the streets and keep guards in the guard house.
    pub const COLD: f64 = 1.2;

    /// What catching the thief costs him, as a share of the target's base value: arrest and
    /// prosecution, graded by what he went for (BLHS Điều 173 grades theft by value) but not
    /// by the hour.
    pub const CAUGHT_SHARE: f64 = 0.5;
    /// What catching him is worth to the defender, as a share of the base value: deterrence
    /// and a solved case (seeds 002–003 count arrests), kept small so preventing loss stays
    /// the defender's aim.
    pub const ARREST_SHARE: f64 = 0.1;
}

/// The window containing `hour` (0–23).
#[must_use]
pub fn time_window(hour: i8) -> &'static TimeWindow {
    let h = u8::try_from(hour.clamp(0, 23)).unwrap_or(0);
    multipliers::TIME_WINDOWS.iter().find(|w| (w.from..w.to).contains(&h)).unwrap_or(&multipliers::TIME_WINDOWS[4])
}

/// Weather the duty officer reports for the night.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weather {
    pub rain: bool,
    pub cold: bool,
}

impl Weather {
    pub const CLEAR: Self = Self { rain: false, cold: false };
}

/// The Tết period of lunar year `year`: 23 tháng Chạp of the year before to mùng 7 tháng
/// Giêng, extended to the last official day off if that is later.
///
/// # Errors
/// The year (or the year before it) is outside the lunar calendar's range.
pub fn tet_period(year: i32) -> Result<(Date, Date), CalendarError> {
    let tet = lunar::tet(year)?;
    // The last month before Tết: tháng Chạp, or a leap month after it.
    let last_month = lunar::months_of_year(year - 1)?.pop().ok_or(CalendarError::YearOutOfRange { year })?;
    let ong_tao =
        last_month.start.checked_add(jiff::Span::new().days(22)).map_err(|_| CalendarError::YearOutOfRange { year })?;
    let khai_ha = tet.checked_add(jiff::Span::new().days(6)).map_err(|_| CalendarError::YearOutOfRange { year })?;
    let end = holidays::official_tet_last_day(year).map_or(khai_ha, |last| last.max(khai_ha));
    Ok((ong_tao, end))
}

/// Whether `d` falls in a Tết period (unknown, and so false, outside 1901–2100).
#[must_use]
pub fn in_tet_period(d: Date) -> bool {
    // Tết periods lie between mid-January and early March, so the civil year names the lunar one.
    tet_period(i32::from(d.year())).is_ok_and(|(first, last)| first <= d && d <= last)
}

/// The type of day `d` for a unit with `overrides`. A day the unit removes as a holiday is a
/// working day for it, even on a weekend; the Tết period stays Tết whatever the unit does,
/// since the risk around it is the city's, not only the unit's.
#[must_use]
pub fn day_type(d: Date, overrides: &Overrides) -> DayType {
    if in_tet_period(d) {
        return DayType::TetPeriod;
    }
    if !holidays::holidays_on(d, overrides).is_empty() {
        return DayType::Holiday;
    }
    let worked = overrides.entries.iter().any(|o| o.date == d && o.change == Change::Remove);
    if holidays::is_weekend(d) && !holidays::is_swapped_workday(d) && !worked {
        DayType::Weekend
    } else {
        DayType::Ordinary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::holidays::Override;
    use jiff::civil::date;

    #[test]
    fn the_clock_is_covered_once_with_01_to_03_strongest() {
        for h in 0..24_i8 {
            let n =
                multipliers::TIME_WINDOWS.iter().filter(|w| (w.from..w.to).contains(&u8::try_from(h).unwrap())).count();
            assert_eq!(n, 1, "hour {h}");
        }
        let peak = time_window(2).multiplier;
        assert!(multipliers::TIME_WINDOWS.iter().all(|w| w.multiplier <= peak));
        assert!(time_window(0).multiplier > time_window(23).multiplier);
        assert!(time_window(4).multiplier > time_window(12).multiplier);
        assert_eq!(time_window(1).label_vi, "khung 01–03 giờ");
        assert_eq!(time_window(3).label_vi, "khung 03–05 giờ");
    }

    #[test]
    fn tet_outranks_holidays_which_outrank_weekends() {
        let m = multipliers::day_type;
        assert!(m(DayType::TetPeriod) > m(DayType::Holiday));
        assert!(m(DayType::Holiday) > m(DayType::Weekend));
        assert!(m(DayType::Weekend) > m(DayType::Ordinary));
    }

    #[test]
    fn the_tet_period_runs_from_ong_tao_to_khai_ha() {
        // Tết Ất Tỵ: 29/01/2025; tháng Chạp Giáp Thìn began 31/12/2024, so 23 Chạp is 22/01.
        assert_eq!(tet_period(2025).unwrap(), (date(2025, 1, 22), date(2025, 2, 4)));
        assert_eq!(lunar::to_lunar(date(2025, 1, 22)).unwrap().name_vi(), "23 tháng Chạp");
        assert_eq!(lunar::to_lunar(date(2025, 2, 4)).unwrap().name_vi(), "mùng 7 Tết");
        assert!(in_tet_period(date(2025, 1, 22)));
        assert!(!in_tet_period(date(2025, 1, 21)));
        assert!(!in_tet_period(date(2025, 2, 5)));
    }

    #[test]
    fn the_days_of_a_week_take_their_types() {
        let none = Overrides::none();
        assert_eq!(day_type(date(2025, 10, 14), &none), DayType::Ordinary);
        assert_eq!(day_type(date(2025, 10, 18), &none), DayType::Weekend);
        assert_eq!(day_type(date(2025, 9, 1), &none), DayType::Holiday);
        assert_eq!(day_type(date(2026, 2, 17), &none), DayType::TetPeriod);
    }

    #[test]
    fn a_saturday_worked_in_exchange_is_an_ordinary_day() {
        assert_eq!(day_type(date(2025, 4, 26), &Overrides::none()), DayType::Ordinary);
        assert_eq!(day_type(date(2025, 4, 19), &Overrides::none()), DayType::Weekend);
    }

    #[test]
    fn a_unit_that_works_a_holiday_has_an_ordinary_day_but_tet_stays_tet() {
        let works = |d: Date| Overrides {
            entries: vec![Override { date: d, change: Change::Remove, reason: "trực".into() }],
        };
        assert_eq!(day_type(date(2025, 9, 2), &works(date(2025, 9, 2))), DayType::Ordinary);
        assert_eq!(day_type(date(2025, 10, 18), &works(date(2025, 10, 18))), DayType::Ordinary);
        assert_eq!(day_type(date(2025, 1, 30), &works(date(2025, 1, 30))), DayType::TetPeriod);
    }
}
