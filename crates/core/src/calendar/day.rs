//! One date as the calendar sees it — lunar date, holidays, day type and the risk multipliers
//! of each window of its clock — in the JSON shape `baove calendar YYYY-MM-DD` prints.
//!
//! The windows before 18:00 take the date's own day type; those from 18:00 belong to the
//! night that starts that evening and take the next day's (see [`super::risk`]). Weather and a
//! unit's history are not known for a bare date and are left out.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::CalendarError;
use super::holidays::{Holiday, Overrides, holidays_on};
use super::lunar::{LunarDate, to_lunar};
use super::risk::{DayType, day_type, multipliers};

/// Everything the calendar says about a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayInfo {
    pub lunar: LunarDate,
    pub holidays: Vec<Holiday>,
    pub day_type: DayType,
    pub multipliers: DayMultipliers,
}

/// The multipliers of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayMultipliers {
    /// The date's own day type's multiplier.
    pub day_type: f64,
    /// The type and multiplier of the night that starts this evening.
    pub night_type: DayType,
    pub night_day_type: f64,
    /// Each window of the clock, in order.
    pub windows: Vec<WindowMultiplier>,
}

/// One window of the clock on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WindowMultiplier {
    /// "00:00".
    pub from: String,
    /// "01:00"; the last window ends at "24:00".
    pub to: String,
    pub label_vi: String,
    /// The time-of-day multiplier.
    pub time: f64,
    /// The day-type multiplier that applies in the window.
    pub day: f64,
    /// `time × day`.
    pub total: f64,
}

/// What the calendar says about `date` for a unit with `overrides`.
///
/// # Errors
/// The date is outside the lunar calendar's range (Tết 1900 to the eve of Tết 2101).
pub fn describe_day(date: Date, overrides: &Overrides) -> Result<DayInfo, CalendarError> {
    let lunar = to_lunar(date)?;
    let own = day_type(date, overrides);
    let night = date.checked_add(1.day()).map_or(own, |next| day_type(next, overrides));
    let windows = multipliers::TIME_WINDOWS
        .iter()
        .map(|w| {
            let day = multipliers::day_type(if w.from >= 18 { night } else { own });
            WindowMultiplier {
                from: format!("{:02}:00", w.from),
                to: format!("{:02}:00", w.to),
                label_vi: w.label_vi.to_owned(),
                time: w.multiplier,
                day,
                total: w.multiplier * day,
            }
        })
        .collect();
    Ok(DayInfo {
        lunar,
        holidays: holidays_on(date, overrides),
        day_type: own,
        multipliers: DayMultipliers {
            day_type: multipliers::day_type(own),
            night_type: night,
            night_day_type: multipliers::day_type(night),
            windows,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use serde_json::{Value, json};

    #[test]
    fn national_day_2025_prints_its_lunar_date_holiday_and_multipliers() {
        let info = describe_day(date(2025, 9, 2), &Overrides::none()).unwrap();
        let v = serde_json::to_value(&info).unwrap();
        assert_eq!(v["lunar"], json!({"year": 2025, "month": 7, "day": 11, "leap": false}));
        assert_eq!(v["day_type"], "holiday");
        assert_eq!(v["holidays"][0]["kind"], "national_day");
        assert_eq!(v["holidays"][0]["name_vi"], "Quốc khánh");
        assert_eq!(v["holidays"][0]["source"], "official");
        assert_eq!(v["multipliers"]["day_type"], 1.6);
        // 03/09/2025 is a Wednesday: the night after the holiday is an ordinary one.
        assert_eq!(v["multipliers"]["night_type"], "ordinary");
        let windows = v["multipliers"]["windows"].as_array().unwrap();
        assert_eq!(windows.len(), 7);
        assert_eq!(windows[1]["from"], "01:00");
        assert_eq!(windows[1]["to"], "03:00");
        assert!((windows[1]["total"].as_f64().unwrap() - 3.2).abs() < 1e-12);
        assert_eq!(windows[6]["to"], "24:00");
        assert!((windows[6]["total"].as_f64().unwrap() - 1.3).abs() < 1e-12);
    }

    #[test]
    fn the_json_has_exactly_the_four_top_level_keys_the_cli_prints() {
        let v = serde_json::to_value(describe_day(date(2026, 2, 18), &Overrides::none()).unwrap()).unwrap();
        let Value::Object(map) = v else { panic!("not an object") };
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(keys, ["day_type", "holidays", "lunar", "multipliers"]);
        assert_eq!(map["day_type"], "tet_period");
        assert_eq!(map["lunar"]["day"], 2);
        let pretty = serde_json::to_string_pretty(&map).unwrap();
        assert!(pretty.contains(r#""name_vi": "Tết Nguyên đán""#));
    }

    #[test]
    fn an_ordinary_wednesday_has_no_holiday() {
        let info = describe_day(date(2025, 10, 15), &Overrides::none()).unwrap();
        assert!(info.holidays.is_empty());
        assert_eq!(info.day_type, DayType::Ordinary);
        assert_eq!(info.lunar, LunarDate { year: 2025, month: 8, day: 24, leap: false });
    }

    #[test]
    fn dates_outside_the_calendar_are_errors() {
        assert!(describe_day(date(1899, 6, 1), &Overrides::none()).is_err());
    }
}
