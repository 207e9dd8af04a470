//! The risk calendar (R6): the Vietnamese lunar calendar computed from the astronomy, public
//! holidays as law and as each year's official schedule, and the multipliers that turn a
//! zone, a time slot, a day and the weather into the payoffs of the patrol game.
//!
//! Everything is pure: dates and times come in as values (Vietnam local time), nothing reads a
//! clock. The seeds behind the risk model: patrols concentrate on 00:00–05:00 (seed 000 §5),
//! above all 01:00–03:00 (seed 001), on holidays, Tết and weekends, and on rainy and cold
//! nights (seed 000 §5).

mod astro;
pub mod day;
pub mod history;
pub mod holidays;
pub mod lunar;
pub mod names;
pub mod payoffs;
pub mod risk;

pub use day::{DayInfo, describe_day};
pub use history::HistoryWeights;
pub use holidays::{Change, Holiday, HolidayKind, HolidaySource, Override, Overrides, holidays_on};
pub use lunar::{LunarDate, LunarMonth, from_lunar, leap_month, months_of_year, tet, to_lunar, to_solar};
pub use names::lunar_day_name_vi;
pub use payoffs::{DayFacts, Explanation, Payoffs, ZoneFacts, target_payoffs, target_payoffs_with_history};
pub use risk::{DayType, Weather};

use jiff::civil::Date;

/// Why a calendar question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{date} is outside the lunar calendar's range {first} … {last}")]
    DateOutOfRange { date: Date, first: Date, last: Date },
    #[error("lunar year {year} is outside 1900–2100")]
    YearOutOfRange { year: i32 },
    #[error("there is no lunar month {month}")]
    NoSuchMonth { month: u8 },
    #[error("lunar year {year} has no leap month {month}")]
    NoSuchLeapMonth { year: i32, month: u8 },
    #[error("lunar month {}{} of {} has {days_in_month} days, not {}", date.month, if date.leap { " (leap)" } else { "" }, date.year, date.day)]
    NoSuchDay { date: LunarDate, days_in_month: u8 },
}
