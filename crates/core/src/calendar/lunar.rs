//! The Vietnamese lunar calendar (âm lịch), computed from the astronomy for UTC+7.
//!
//! The rules (vectors/lunar-calendar.md §4.1): a month starts on the civil day, at UTC+7, that
//! contains the new moon (điểm Sóc); month 11 contains the December solstice (Đông chí); when
//! two consecutive month-11 starts are 13 months apart, the first month after month 11 that
//! contains no major solar term (trung khí, a multiple of 30° of solar longitude) is the leap
//! month and takes the number of the month before it. New moons and solar longitudes come from
//! the `astro` module (Meeus); nothing here is taken from another implementation.
//!
//! The whole calendar for lunar years 1900–2100 is derived once into a table of month starts
//! (about 2,500 rows, ~20 ms in a debug build) and every conversion is a lookup.
//!
//! **Checked against independent ephemerides.** Every month start and leap month of
//! 1899–2101, at UTC+7 and at UTC+8, equals the calendar derived by the same rules from
//! PyEphem (VSOP87 and a full lunar theory), once the one new moon on which the Meeus series
//! and PyEphem disagree is pinned to JPL DE421 (1967, see `UTC7_NEW_MOON_PINS`). Still on a
//! knife edge, and so worth a second source if a published calendar disagrees: the new moons of
//! 20/06/1944, 08/05/2054, 15/11/2077 and 18/10/2085 lie within 30 s of midnight at UTC+7 (the
//! last three hang on ΔT forecasts), and the autumn equinox of 1938 falls 26 s before the
//! midnight that starts a month, which makes 1938's leap month 8 at UTC+7 (7 at UTC+8).
//!
//! **Historical caveat.** This is the calendar of the UTC+7 meridian throughout, which is what
//! Vietnam publishes today and what the vectors' dates use. North Vietnam only moved from UTC+8
//! to UTC+7 on 08/08/1967 and the South in 1975, so calendars actually printed there earlier
//! (for example the South's Tết 1968 on 30/01) may differ from these dates by a day, or by a
//! month around a leap month.

use std::sync::OnceLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::CalendarError;
use super::astro;

/// The first and last lunar years this module converts.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2100;

/// Vietnam's reference meridian, 105°E: UTC+7, in minutes.
const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

/// A day of the lunar calendar. `year` is the Gregorian year in which that lunar year's Tết
/// falls (so 1/1/2025 âm lịch is 29/01/2025, and 30/12/2024 âm lịch is 28/01/2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LunarDate {
    pub year: i32,
    /// 1–12; a leap month has the number of the month before it.
    pub month: u8,
    /// 1–29 or 1–30.
    pub day: u8,
    /// Whether `month` is the leap month (tháng nhuận) of the year.
    pub leap: bool,
}

/// One month of a lunar year: its number, whether it is the leap month, the civil day it
/// starts on, and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunarMonth {
    pub year: i32,
    pub month: u8,
    pub leap: bool,
    pub start: Date,
    /// 29 or 30.
    pub days: u8,
}

/// The solar date of a lunar date.
///
/// # Errors
/// The year is outside 1900–2100, the month is not 1–12, the year has no leap month of that
/// number, or the day is past the end of the month.
pub fn to_solar(l: LunarDate) -> Result<Date, CalendarError> {
    vietnam().to_solar(l)
}

/// The lunar date of a solar date.
///
/// # Errors
/// The date is before Tết 1900 (31/01/1900) or on or after Tết 2101.
pub fn to_lunar(d: Date) -> Result<LunarDate, CalendarError> {
    vietnam().to_lunar(d)
}

/// The solar date of a lunar date; the same as [`to_solar`].
///
/// # Errors
/// As [`to_solar`].
pub fn from_lunar(l: LunarDate) -> Result<Date, CalendarError> {
    to_solar(l)
}

/// The solar date of Tết Nguyên đán (1/1 âm lịch) of `year`.
///
/// # Errors
/// The year is outside 1900–2100.
pub fn tet(year: i32) -> Result<Date, CalendarError> {
    to_solar(LunarDate { year, month: 1, day: 1, leap: false })
}

/// The leap month of a lunar year, if it has one (2025: `Some(6)`).
///
/// # Errors
/// The year is outside 1900–2100.
pub fn leap_month(year: i32) -> Result<Option<u8>, CalendarError> {
    Ok(months_of_year(year)?.iter().find(|m| m.leap).map(|m| m.month))
}

/// The 12 or 13 months of a lunar year, in order.
///
/// # Errors
/// The year is outside 1900–2100.
pub fn months_of_year(year: i32) -> Result<Vec<LunarMonth>, CalendarError> {
    vietnam().months_of_year(year)
}

/// The first and last solar dates [`to_lunar`] accepts: Tết 1900 and the day before Tết 2101.
#[must_use]
pub fn supported_range() -> (Date, Date) {
    vietnam().range()
}

/// The calendar at UTC+7, derived on first use.
fn vietnam() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::build(VIETNAM_OFFSET_MINUTES))
}

/// New moons so close to midnight at UTC+7 that the Meeus series (good to ~15 s) cannot place
/// them, with the day a precise ephemeris gives: (lunation number, Julian Day Number).
///
/// Found by comparing every new moon of 1899–2102 with PyEphem, then those within a minute of
/// midnight with JPL DE421; pinned are the ones where both disagree with the series:
/// - k = −402, month 6 of 1967: DE421 puts the new moon 2.7 s after midnight on 08/07/1967
///   (PyEphem: 3 s), the series 2 s before. (North Vietnam was still on UTC+8 then, which
///   gives 08/07 as well.)
const UTC7_NEW_MOON_PINS: [(i32, i64); 1] = [(-402, 2_439_680)];

/// A month start as the table keeps it.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// Julian Day Number of the first day.
    start: i64,
    year: i32,
    month: u8,
    leap: bool,
}

/// Every month start from month 11 of lunar year 1899 to the Tết of 2101, for one meridian.
#[derive(Debug)]
pub(crate) struct Table {
    rows: Vec<Row>,
    /// Index into `rows` of month 1 of each lunar year `FIRST_YEAR..=LAST_YEAR + 1`.
    first_month: Vec<usize>,
}

/// Whether a solar longitude lies in the quarter before the December solstice (180°–270°).
fn before_solstice(longitude: f64) -> bool {
    (180.0..270.0).contains(&longitude)
}

/// The major solar term (trung khí) sector, 0–11, of a solar longitude.
fn sector(longitude: f64) -> i32 {
    // 0 ≤ longitude < 360, so the quotient fits.
    #[allow(clippy::cast_possible_truncation)]
    let s = (longitude / 30.0).floor() as i32;
    s
}

impl Table {
    /// Derives the calendar for the meridian `offset_minutes` east of Greenwich (420 for
    /// Vietnam; tests also use 480, China, to show where the two differ).
    pub(crate) fn build(offset_minutes: i32) -> Self {
        let start = |k: i32| match UTC7_NEW_MOON_PINS.iter().find(|(pin, _)| *pin == k) {
            Some((_, day)) if offset_minutes == VIETNAM_OFFSET_MINUTES => *day,
            _ => astro::local_day(astro::new_moon_ut(k), offset_minutes),
        };
        let longitude = |k: i32| astro::solar_longitude_at_day_start(start(k), offset_minutes);

        // Lunation number of month 11 of each civil year: the last month that starts before
        // the solstice (the Sun still short of 270° when its first day begins).
        let month_11 = |year: i32| -> i32 {
            #[allow(clippy::cast_precision_loss)]
            let mut k = astro::lunation_near(astro::jdn_ymd(i64::from(year), 12, 31) as f64);
            // The new moon nearest 31/12 starts month 11 or 12; at most two steps settle it.
            for _ in 0..4 {
                if !before_solstice(longitude(k)) {
                    k -= 1;
                } else if before_solstice(longitude(k + 1)) {
                    k += 1;
                } else {
                    break;
                }
            }
            k
        };

        let mut rows = Vec::with_capacity(2_600);
        let mut first_month = Vec::with_capacity(202);
        let mut k11 = month_11(FIRST_YEAR - 1);
        for year in FIRST_YEAR - 1..=LAST_YEAR {
            // The months from month 11 of `year` up to (not including) month 11 of `year + 1`.
            let next_k11 = month_11(year + 1);
            let count = next_k11 - k11;
            // With 13 months the leap month is the first after month 11 without a major term:
            // its start and the next month's start lie in the same 30° sector.
            let leap_offset = if count > 12 {
                (1..count).find(|&i| sector(longitude(k11 + i)) == sector(longitude(k11 + i + 1)))
            } else {
                None
            };
            let mut number = 10_u8;
            let mut lunar_year = year;
            for i in 0..count {
                let leap = leap_offset == Some(i);
                if !leap {
                    number = number % 12 + 1;
                    // Months 11 and 12 belong to the year before Tết; month 1 opens the next.
                    if number == 1 {
                        lunar_year = year + 1;
                        first_month.push(rows.len());
                    }
                }
                rows.push(Row { start: start(k11 + i), year: lunar_year, month: number, leap });
            }
            k11 = next_k11;
        }
        // The end of the last month: month 11 of LAST_YEAR + 1.
        rows.push(Row { start: start(k11), year: LAST_YEAR + 1, month: 11, leap: false });
        Self { rows, first_month }
    }

    fn range(&self) -> (Date, Date) {
        let start = |i: Option<&usize>| i.and_then(|&i| self.rows.get(i)).map_or(0, |r| r.start);
        let (first, end) = (start(self.first_month.first()), start(self.first_month.last()));
        (astro::date_from_jdn(first).unwrap_or(Date::MIN), astro::date_from_jdn(end - 1).unwrap_or(Date::MAX))
    }

    pub(crate) fn to_lunar(&self, d: Date) -> Result<LunarDate, CalendarError> {
        let (first, last) = self.range();
        if d < first || d > last {
            return Err(CalendarError::DateOutOfRange { date: d, first, last });
        }
        let out_of_range = CalendarError::DateOutOfRange { date: d, first, last };
        let day = astro::jdn(d);
        // The last month that starts on or before `day`.
        let i = self.rows.partition_point(|r| r.start <= day).checked_sub(1);
        let r = *i.and_then(|i| self.rows.get(i)).ok_or_else(|| out_of_range.clone())?;
        let offset = u8::try_from(day - r.start + 1).map_err(|_| out_of_range)?;
        Ok(LunarDate { year: r.year, month: r.month, day: offset, leap: r.leap })
    }

    /// The rows of lunar year `year`, with the index of the first.
    fn year_rows(&self, year: i32) -> Result<(usize, usize), CalendarError> {
        let y = usize::try_from(year - FIRST_YEAR).map_err(|_| CalendarError::YearOutOfRange { year })?;
        match (self.first_month.get(y), self.first_month.get(y + 1)) {
            (Some(&from), Some(&to)) if year <= LAST_YEAR => Ok((from, to)),
            _ => Err(CalendarError::YearOutOfRange { year }),
        }
    }

    pub(crate) fn months_of_year(&self, year: i32) -> Result<Vec<LunarMonth>, CalendarError> {
        let (from, to) = self.year_rows(year)?;
        Ok((from..to).filter_map(|i| self.month_at(i)).collect())
    }

    fn month_at(&self, i: usize) -> Option<LunarMonth> {
        let r = self.rows.get(i)?;
        let next = self.rows.get(i + 1)?;
        Some(LunarMonth {
            year: r.year,
            month: r.month,
            leap: r.leap,
            start: astro::date_from_jdn(r.start)?,
            days: u8::try_from(next.start - r.start).ok()?,
        })
    }

    pub(crate) fn to_solar(&self, l: LunarDate) -> Result<Date, CalendarError> {
        if !(1..=12).contains(&l.month) {
            return Err(CalendarError::NoSuchMonth { month: l.month });
        }
        let (from, to) = self.year_rows(l.year)?;
        let month = (from..to)
            .filter_map(|i| self.month_at(i))
            .find(|m| m.month == l.month && m.leap == l.leap)
            .ok_or(CalendarError::NoSuchLeapMonth { year: l.year, month: l.month })?;
        if l.day == 0 || l.day > month.days {
            return Err(CalendarError::NoSuchDay { date: l, days_in_month: month.days });
        }
        let day = astro::jdn(month.start) + i64::from(l.day) - 1;
        astro::date_from_jdn(day).ok_or(CalendarError::YearOutOfRange { year: l.year })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use jiff::{ToSpan, civil::Weekday};

    /// The golden table of vectors/lunar-calendar.md: year, Tết, Giỗ Tổ (10/3), leap month and
    /// the day it starts.
    #[allow(clippy::type_complexity)]
    const PUBLISHED: [(i32, (i16, i8, i8), (i8, i8), Option<(u8, (i8, i8))>); 27] = [
        (2000, (2000, 2, 5), (4, 14), None),
        (2001, (2001, 1, 24), (4, 3), Some((4, (5, 23)))),
        (2002, (2002, 2, 12), (4, 22), None),
        (2003, (2003, 2, 1), (4, 11), None),
        (2004, (2004, 1, 22), (4, 28), Some((2, (3, 21)))),
        (2005, (2005, 2, 9), (4, 18), None),
        (2006, (2006, 1, 29), (4, 7), Some((7, (8, 24)))),
        (2007, (2007, 2, 17), (4, 26), None),
        (2008, (2008, 2, 7), (4, 15), None),
        (2009, (2009, 1, 26), (4, 4), Some((5, (6, 23)))),
        (2010, (2010, 2, 14), (4, 23), None),
        (2011, (2011, 2, 3), (4, 12), None),
        (2012, (2012, 1, 23), (3, 31), Some((4, (5, 21)))),
        (2013, (2013, 2, 10), (4, 19), None),
        (2014, (2014, 1, 31), (4, 9), Some((9, (10, 24)))),
        (2015, (2015, 2, 19), (4, 28), None),
        (2016, (2016, 2, 8), (4, 16), None),
        (2017, (2017, 1, 28), (4, 6), Some((6, (7, 23)))),
        (2018, (2018, 2, 16), (4, 25), None),
        (2019, (2019, 2, 5), (4, 14), None),
        (2020, (2020, 1, 25), (4, 2), Some((4, (5, 23)))),
        (2021, (2021, 2, 12), (4, 21), None),
        (2022, (2022, 2, 1), (4, 10), None),
        (2023, (2023, 1, 22), (4, 29), Some((2, (3, 22)))),
        (2024, (2024, 2, 10), (4, 18), None),
        (2025, (2025, 1, 29), (4, 7), Some((6, (7, 25)))),
        (2026, (2026, 2, 17), (4, 26), None),
    ];

    fn lunar(year: i32, month: u8, day: u8, leap: bool) -> LunarDate {
        LunarDate { year, month, day, leap }
    }

    fn china() -> Table {
        Table::build(8 * 60)
    }

    #[test]
    fn tet_falls_on_every_published_date_from_2000_to_2026() {
        for (year, (y, m, d), _, _) in PUBLISHED {
            assert_eq!(tet(year).unwrap(), date(y, m, d), "Tết {year}");
            assert_eq!(to_lunar(date(y, m, d)).unwrap(), lunar(year, 1, 1, false));
        }
    }

    #[test]
    fn gio_to_hung_vuong_falls_on_every_published_date() {
        for (year, _, (m, d), _) in PUBLISHED {
            let y = i16::try_from(year).unwrap();
            assert_eq!(to_solar(lunar(year, 3, 10, false)).unwrap(), date(y, m, d), "Giỗ Tổ {year}");
        }
    }

    #[test]
    fn leap_months_are_the_published_ones_and_start_on_the_published_days() {
        for (year, _, _, leap) in PUBLISHED {
            assert_eq!(leap_month(year).unwrap(), leap.map(|(month, _)| month), "leap month of {year}");
            if let Some((month, (m, d))) = leap {
                let y = i16::try_from(year).unwrap();
                assert_eq!(to_solar(lunar(year, month, 1, true)).unwrap(), date(y, m, d), "nhuận {month}/{year}");
            }
        }
    }

    #[test]
    fn tet_1968_is_a_day_earlier_in_vietnam_than_in_china() {
        // The new moon of 16:29 UT on 29/01/1968 is 23:29 at UTC+7 but 00:29 at UTC+8.
        assert_eq!(tet(1968).unwrap(), date(1968, 1, 29));
        assert_eq!(china().to_solar(lunar(1968, 1, 1, false)).unwrap(), date(1968, 1, 30));
    }

    #[test]
    fn tet_1985_is_a_whole_month_earlier_in_vietnam_than_in_china() {
        assert_eq!(tet(1985).unwrap(), date(1985, 1, 21));
        assert_eq!(china().to_solar(lunar(1985, 1, 1, false)).unwrap(), date(1985, 2, 20));
    }

    #[test]
    fn tet_2007_and_2030_are_a_day_earlier_in_vietnam_than_in_china() {
        assert_eq!(tet(2007).unwrap(), date(2007, 2, 17));
        assert_eq!(china().to_solar(lunar(2007, 1, 1, false)).unwrap(), date(2007, 2, 18));
        assert_eq!(tet(2030).unwrap(), date(2030, 2, 2));
        assert_eq!(china().to_solar(lunar(2030, 1, 1, false)).unwrap(), date(2030, 2, 3));
    }

    #[test]
    fn leap_month_3_of_2031_starts_a_day_earlier_in_vietnam_than_in_china() {
        assert_eq!(leap_month(2031).unwrap(), Some(3));
        assert_eq!(to_solar(lunar(2031, 3, 1, true)).unwrap(), date(2031, 4, 21));
        assert_eq!(china().to_solar(lunar(2031, 3, 1, true)).unwrap(), date(2031, 4, 22));
        assert_eq!(tet(2031).unwrap(), china().to_solar(lunar(2031, 1, 1, false)).unwrap());
    }

    #[test]
    fn the_hard_year_2033_has_leap_month_11() {
        // The 2033 problem: the autumn equinox falls 8 minutes before midnight (UTC+7) that
        // starts month 9, so month 9 has no major term, but its year (from month 11 of 2032)
        // has only 12 months; the leap month is the first month after month 11 of 2033 without
        // one: 11 nhuận, from 22/12/2033 to 19/01/2034.
        assert_eq!(leap_month(2033).unwrap(), Some(11));
        assert_eq!(to_solar(lunar(2033, 9, 1, false)).unwrap(), date(2033, 9, 23));
        let equinox_day_start = astro::solar_longitude_at_day_start(astro::jdn(date(2033, 9, 23)), 420);
        assert!(equinox_day_start > 180.0 && equinox_day_start < 180.01);
        assert_eq!(to_solar(lunar(2033, 11, 1, true)).unwrap(), date(2033, 12, 22));
        assert_eq!(tet(2034).unwrap(), date(2034, 2, 19));
        assert_eq!(months_of_year(2033).unwrap().len(), 13);
    }

    #[test]
    fn every_day_from_tet_1900_to_the_eve_of_tet_2101_round_trips() {
        let (first, last) = supported_range();
        assert_eq!(first, date(1900, 1, 31));
        assert_eq!(to_lunar(last).unwrap().year, 2100);
        assert!(to_lunar(last + 1.day()).is_err());
        let mut d = first;
        let mut previous: Option<LunarDate> = None;
        let mut days = 0_u32;
        while d <= last {
            let l = to_lunar(d).unwrap();
            assert_eq!(to_solar(l).unwrap(), d, "{l:?}");
            if let Some(p) = previous {
                let next_in_month = l == LunarDate { day: p.day + 1, ..p };
                let month_rolled = l.day == 1 && (p.day == 29 || p.day == 30);
                assert!(next_in_month || month_rolled, "{p:?} → {l:?} on {d}");
                if month_rolled {
                    let same_year_next = l.year == p.year
                        && ((l.month == p.month && l.leap && !p.leap) || (l.month == p.month + 1 && !l.leap));
                    let new_year = l.year == p.year + 1 && l.month == 1 && !l.leap && p.month == 12;
                    assert!(same_year_next || new_year, "{p:?} → {l:?} on {d}");
                }
            }
            previous = Some(l);
            days += 1;
            d = d.tomorrow().unwrap();
        }
        assert!(days > 73_000);
    }

    #[test]
    fn every_year_has_12_or_13_months_of_29_or_30_days_and_at_most_one_leap_month() {
        for year in FIRST_YEAR..=LAST_YEAR {
            let months = months_of_year(year).unwrap();
            let leaps = months.iter().filter(|m| m.leap).count();
            assert!(months.iter().all(|m| m.days == 29 || m.days == 30), "{year}");
            assert_eq!(months.len(), 12 + leaps, "{year}");
            assert!(leaps <= 1, "{year}");
            assert_eq!(months[0].start, tet(year).unwrap());
            // Tết falls between 21/01 and 20/02.
            let t = tet(year).unwrap();
            assert!(t >= date(t.year(), 1, 21) && t <= date(t.year(), 2, 20), "Tết {year} on {t}");
        }
    }

    #[test]
    fn a_leap_flag_on_a_month_that_is_not_leap_is_rejected() {
        assert_eq!(to_solar(lunar(2024, 6, 1, true)), Err(CalendarError::NoSuchLeapMonth { year: 2024, month: 6 }));
        assert_eq!(to_solar(lunar(2025, 5, 1, true)), Err(CalendarError::NoSuchLeapMonth { year: 2025, month: 5 }));
    }

    #[test]
    fn day_30_of_a_29_day_month_is_rejected() {
        // Tháng Chạp of Giáp Thìn (2024) has 29 days: Tết Ất Tỵ is 29/01/2025.
        let chap = months_of_year(2024).unwrap().into_iter().find(|m| m.month == 12).unwrap();
        assert_eq!(chap.days, 29);
        let l = lunar(2024, 12, 30, false);
        assert_eq!(to_solar(l), Err(CalendarError::NoSuchDay { date: l, days_in_month: 29 }));
        assert_eq!(to_solar(lunar(2024, 12, 29, false)).unwrap(), date(2025, 1, 28));
        assert!(matches!(to_solar(lunar(2024, 12, 0, false)), Err(CalendarError::NoSuchDay { .. })));
    }

    #[test]
    fn years_and_dates_outside_1900_to_2100_are_rejected() {
        assert_eq!(tet(1899), Err(CalendarError::YearOutOfRange { year: 1899 }));
        assert_eq!(tet(2101), Err(CalendarError::YearOutOfRange { year: 2101 }));
        assert!(matches!(to_lunar(date(1900, 1, 30)), Err(CalendarError::DateOutOfRange { .. })));
        assert!(matches!(to_lunar(date(2101, 6, 1)), Err(CalendarError::DateOutOfRange { .. })));
        assert_eq!(to_solar(lunar(2025, 13, 1, false)), Err(CalendarError::NoSuchMonth { month: 13 }));
        assert!(to_lunar(date(2100, 12, 31)).is_ok());
    }

    #[test]
    fn the_lunar_year_runs_from_tet_to_the_eve_of_the_next_tet() {
        assert_eq!(to_lunar(date(2025, 1, 28)).unwrap(), lunar(2024, 12, 29, false));
        assert_eq!(to_lunar(date(2025, 1, 29)).unwrap(), lunar(2025, 1, 1, false));
        assert_eq!(to_lunar(date(2025, 7, 25)).unwrap(), lunar(2025, 6, 1, true));
        assert_eq!(date(2025, 1, 29).weekday(), Weekday::Wednesday);
    }

    #[test]
    fn the_1967_new_moon_two_seconds_from_midnight_follows_the_jpl_ephemeris() {
        assert_eq!(to_solar(lunar(1967, 6, 1, false)).unwrap(), date(1967, 7, 8));
    }
}
