//! The four payoffs of one patrol-game target — a zone in a time slot — and the reasons for
//! them in Vietnamese ("kho quỹ, 01:30, mùng 2 Tết, mưa: ×5.2").
//!
//! A zone's base value is its asset value on a log scale times its sensitivity (1–5). The
//! attacker's reward if the target is unguarded, and the defender's loss, are the base times
//! the slot's multipliers ([`super::risk::multipliers`]); the attacker's penalty if caught and
//! the defender's gain are fixed shares of the base. So attacker reward > 0 > attacker penalty
//! and defender reward > 0 > defender penalty for every target: the ORIGAMI class the
//! security-games note needs (coverage helps the defender and hurts the attacker).
//!
//! The asset value counts on a log scale (1 + log₁₀(1 + value in millions of đồng)) because
//! units estimate it to an order of magnitude at best, and a linear scale would let one vault
//! draw every patrol away from the leader's office that seed 001 says thieves target.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::CalendarError;
use super::history::HistoryWeights;
use super::holidays::{self, Overrides};
use super::lunar;
use super::names;
use super::risk::{self, DayType, Weather, multipliers};
use crate::registry::Zone;

/// What the payoffs need to know about a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneFacts {
    /// The zone's name as the unit calls it ("kho quỹ").
    pub name: String,
    /// Estimated value of the assets kept there, in đồng (0 when unknown).
    pub asset_value: i64,
    /// 1 (low) to 5 (highest); values outside are clamped.
    pub sensitivity: i64,
}

impl From<&Zone> for ZoneFacts {
    fn from(z: &Zone) -> Self {
        Self { name: z.name.clone(), asset_value: z.asset_value, sensitivity: z.sensitivity }
    }
}

impl ZoneFacts {
    /// 1 + log₁₀(1 + value / 1,000,000 đồng): 1 when unknown, 2 at ~10 million, 4 at a
    /// billion.
    #[must_use]
    pub fn value_score(&self) -> f64 {
        // Values are capped at 10^13 đồng by the registry, far inside f64's exact range.
        #[allow(clippy::cast_precision_loss)]
        let millions = self.asset_value.max(0) as f64 / 1_000_000.0;
        1.0 + (1.0 + millions).log10()
    }

    /// The value score times the sensitivity.
    #[must_use]
    pub fn base(&self) -> f64 {
        // Clamped to 1–5 first, so the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let sensitivity = self.sensitivity.clamp(1, 5) as f64;
        self.value_score() * sensitivity
    }
}

/// What the calendar says about one duty day: the day `date` from 06:00 and the night that
/// starts on its evening and runs to 06:00 the next morning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayFacts {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub date: Date,
    /// The type of the daytime, 06:00–18:00.
    pub day_type: DayType,
    /// The type of the night, 18:00–06:00: that of the morning it runs into.
    pub night_type: DayType,
    /// How to name the day and the small hours after midnight ("Thứ Sáu", "Quốc khánh",
    /// "mùng 2 Tết").
    pub day_label_vi: String,
    pub morning_label_vi: String,
}

/// The duty day a slot belongs to: the previous date before 06:00.
#[must_use]
pub fn duty_day_of(slot_start: DateTime) -> Date {
    if slot_start.hour() < 6 { slot_start.date().yesterday().unwrap_or(slot_start.date()) } else { slot_start.date() }
}

impl DayFacts {
    /// The facts of duty day `date` for a unit with `overrides`.
    ///
    /// # Errors
    /// The date (or the next) is outside the lunar calendar's range.
    pub fn for_duty_day(date: Date, overrides: &Overrides) -> Result<Self, CalendarError> {
        let morning =
            date.checked_add(1.day()).map_err(|_| CalendarError::YearOutOfRange { year: date.year().into() })?;
        let day_type = risk::day_type(date, overrides);
        let night_type = risk::day_type(morning, overrides);
        Ok(Self {
            date,
            day_type,
            night_type,
            day_label_vi: label_vi(date, day_type, overrides)?,
            morning_label_vi: label_vi(morning, night_type, overrides)?,
        })
    }

    /// The facts of the duty day containing `slot_start`.
    ///
    /// # Errors
    /// As [`DayFacts::for_duty_day`].
    pub fn for_slot(slot_start: DateTime, overrides: &Overrides) -> Result<Self, CalendarError> {
        Self::for_duty_day(duty_day_of(slot_start), overrides)
    }
}

/// How a day is named in an explanation: its lunar name in the Tết period, its holiday's name
/// on a holiday, its weekday otherwise.
fn label_vi(d: Date, t: DayType, overrides: &Overrides) -> Result<String, CalendarError> {
    Ok(match t {
        DayType::TetPeriod => lunar::to_lunar(d)?.name_vi(),
        DayType::Holiday => holidays::holidays_on(d, overrides)
            .into_iter()
            .next()
            .map_or_else(|| names::weekday_vi(d.weekday()).to_owned(), |h| h.name_vi),
        DayType::Weekend | DayType::Ordinary => names::weekday_vi(d.weekday()).to_owned(),
    })
}

/// One reason in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Factor {
    /// Stable key: "time", "day_type", "rain", "cold", "history".
    pub code: String,
    pub label_vi: String,
    pub multiplier: f64,
}

/// Why a target has the payoffs it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation {
    pub zone: String,
    /// "01:30".
    pub time: String,
    /// "mùng 2 Tết".
    pub day_label_vi: String,
    /// "mưa", "rét".
    pub conditions_vi: Vec<String>,
    pub factors: Vec<Factor>,
    /// The product of the factors.
    pub total: f64,
    pub value_score: f64,
    pub sensitivity: i64,
}

/// "×4.2", or "×1.25" when one decimal would hide the value.
fn times(m: f64) -> String {
    if ((m * 10.0).round() - m * 10.0).abs() < 1e-9 { format!("×{m:.1}") } else { format!("×{m:.2}") }
}

/// "kho quỹ, 01:30, mùng 2 Tết, mưa: ×5.2".
impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}, {}", self.zone, self.time, self.day_label_vi)?;
        for c in &self.conditions_vi {
            write!(f, ", {c}")?;
        }
        write!(f, ": ×{:.1}", self.total)
    }
}

impl Explanation {
    /// The one-line summary followed by each factor: "kho quỹ, 01:30, mùng 2 Tết, mưa: ×5.2
    /// (khung 01–03 giờ ×2.0 · Tết ×2.0 · mưa ×1.3; giá trị 4.0 × độ nhạy 5)".
    #[must_use]
    pub fn explain_vi(&self) -> String {
        let factors: Vec<String> =
            self.factors.iter().map(|x| format!("{} {}", x.label_vi, times(x.multiplier))).collect();
        format!("{self} ({}; giá trị {:.1} × độ nhạy {})", factors.join(" · "), self.value_score, self.sensitivity)
    }
}

/// The four payoffs of a target and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payoffs {
    /// The attacker's gain if the target is not covered (Uau).
    pub attacker_reward: f64,
    /// The attacker's loss if it is covered (Uac): negative.
    pub attacker_penalty: f64,
    /// The defender's gain if it is covered (Udc): positive.
    pub defender_reward: f64,
    /// The defender's loss if it is not (Udu): negative.
    pub defender_penalty: f64,
    pub explanation: Explanation,
}

/// The payoffs of guarding `zone` in the slot starting at `slot_start` (Vietnam local time).
/// `day` should be the facts of the slot's duty day ([`DayFacts::for_slot`]); only the
/// slot's time of day is read from `slot_start`.
#[must_use]
pub fn target_payoffs(zone: &ZoneFacts, slot_start: DateTime, day: &DayFacts, weather: Weather) -> Payoffs {
    target_payoffs_with_history(zone, slot_start, day, weather, None)
}

/// [`target_payoffs`], scaled by the unit's own incident history when it has one.
#[must_use]
pub fn target_payoffs_with_history(
    zone: &ZoneFacts,
    slot_start: DateTime,
    day: &DayFacts,
    weather: Weather,
    history: Option<&HistoryWeights>,
) -> Payoffs {
    let hour = slot_start.hour();
    let window = risk::time_window(hour);
    let night = window.is_night();
    let day_type = if night { day.night_type } else { day.day_type };
    let day_label = if hour < 6 { &day.morning_label_vi } else { &day.day_label_vi };

    let mut factors = vec![
        Factor { code: "time".into(), label_vi: window.label_vi.into(), multiplier: window.multiplier },
        Factor {
            code: "day_type".into(),
            label_vi: day_type_label_vi(day_type).into(),
            multiplier: multipliers::day_type(day_type),
        },
    ];
    let mut conditions = Vec::new();
    // Weather counts at night only: the seed speaks of rainy and cold nights.
    if night && weather.rain {
        factors.push(Factor { code: "rain".into(), label_vi: "mưa".into(), multiplier: multipliers::RAIN });
        conditions.push("mưa".to_owned());
    }
    if night && weather.cold {
        factors.push(Factor { code: "cold".into(), label_vi: "rét".into(), multiplier: multipliers::COLD });
        conditions.push("rét".to_owned());
    }
    if let Some(h) = history {
        factors.push(Factor {
            code: "history".into(),
            label_vi: "lịch sử vụ việc".into(),
            multiplier: h.weight(hour, day_type),
        });
    }
    let total: f64 = factors.iter().map(|f| f.multiplier).product();
    let base = zone.base();
    Payoffs {
        attacker_reward: base * total,
        attacker_penalty: -multipliers::CAUGHT_SHARE * base,
        defender_reward: multipliers::ARREST_SHARE * base,
        defender_penalty: -base * total,
        explanation: Explanation {
            zone: zone.name.clone(),
            time: format!("{:02}:{:02}", hour, slot_start.minute()),
            day_label_vi: day_label.clone(),
            conditions_vi: conditions,
            factors,
            total,
            value_score: zone.value_score(),
            sensitivity: zone.sensitivity.clamp(1, 5),
        },
    }
}

/// The day type as a factor's label.
#[must_use]
pub fn day_type_label_vi(t: DayType) -> &'static str {
    match t {
        DayType::Ordinary => "ngày thường",
        DayType::Weekend => "cuối tuần",
        DayType::Holiday => "ngày lễ",
        DayType::TetPeriod => "Tết",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn vault() -> ZoneFacts {
        ZoneFacts { name: "kho quỹ".into(), asset_value: 1_000_000_000, sensitivity: 5 }
    }

    fn payoffs_at(slot: DateTime, weather: Weather) -> Payoffs {
        let day = DayFacts::for_slot(slot, &Overrides::none()).unwrap();
        target_payoffs(&vault(), slot, &day, weather)
    }

    fn factor(p: &Payoffs, code: &str) -> Option<f64> {
        p.explanation.factors.iter().find(|f| f.code == code).map(|f| f.multiplier)
    }

    #[test]
    fn a_vault_at_0130_on_mung_2_tet_in_the_rain_explains_itself() {
        // Mùng 2 Tết Ất Tỵ is 30/01/2025; 01:30 belongs to the night of mùng 1.
        let p = payoffs_at(date(2025, 1, 30).at(1, 30, 0, 0), Weather { rain: true, cold: false });
        assert_eq!(p.explanation.to_string(), "kho quỹ, 01:30, mùng 2 Tết, mưa: ×5.2");
        assert_eq!(
            p.explanation.explain_vi(),
            "kho quỹ, 01:30, mùng 2 Tết, mưa: ×5.2 (khung 01–03 giờ ×2.0 · Tết ×2.0 · mưa ×1.3; giá trị 4.0 × độ nhạy 5)"
        );
        assert!((p.explanation.total - 2.0 * 2.0 * 1.3).abs() < 1e-12);
        assert!((p.attacker_reward - vault().base() * 5.2).abs() < 1e-9);
    }

    #[test]
    fn every_target_of_a_year_is_in_the_origami_class() {
        let zones = [
            vault(),
            ZoneFacts { name: "cổng".into(), asset_value: 0, sensitivity: 1 },
            ZoneFacts { name: "phòng lãnh đạo".into(), asset_value: 50_000_000, sensitivity: 4 },
        ];
        let mut d = date(2025, 1, 1);
        while d <= date(2025, 12, 31) {
            let day = DayFacts::for_duty_day(d, &Overrides::none()).unwrap();
            for half_hour in 0..48_i8 {
                let slot = d.at(half_hour / 2, (half_hour % 2) * 30, 0, 0);
                for z in &zones {
                    for weather in [Weather::CLEAR, Weather { rain: true, cold: true }] {
                        let p = target_payoffs(z, slot, &day, weather);
                        assert!(p.attacker_reward > 0.0 && p.attacker_penalty < 0.0, "{p:?}");
                        assert!(p.defender_reward > 0.0 && p.defender_penalty < 0.0, "{p:?}");
                    }
                }
            }
            d = d.tomorrow().unwrap();
        }
    }

    #[test]
    fn the_night_of_friday_to_saturday_is_a_weekend_night_and_sunday_to_monday_is_not() {
        let t = |slot: DateTime| factor(&payoffs_at(slot, Weather::CLEAR), "day_type").unwrap();
        let weekend = multipliers::day_type(DayType::Weekend);
        let ordinary = multipliers::day_type(DayType::Ordinary);
        // Friday 17/10/2025.
        assert_eq!(t(date(2025, 10, 17).at(12, 0, 0, 0)), ordinary);
        assert_eq!(t(date(2025, 10, 17).at(23, 0, 0, 0)), weekend);
        assert_eq!(t(date(2025, 10, 18).at(2, 0, 0, 0)), weekend);
        assert_eq!(t(date(2025, 10, 19).at(2, 0, 0, 0)), weekend);
        assert_eq!(t(date(2025, 10, 19).at(23, 0, 0, 0)), ordinary);
        assert_eq!(t(date(2025, 10, 20).at(2, 0, 0, 0)), ordinary);
        assert_eq!(duty_day_of(date(2025, 10, 18).at(2, 0, 0, 0)), date(2025, 10, 17));
        assert_eq!(duty_day_of(date(2025, 10, 18).at(6, 0, 0, 0)), date(2025, 10, 18));
    }

    #[test]
    fn one_to_three_oclock_outweighs_the_rest_of_the_night_and_the_day() {
        let reward = |h: i8| payoffs_at(date(2025, 10, 15).at(h, 0, 0, 0), Weather::CLEAR).attacker_reward;
        assert!(reward(1) > reward(0));
        assert!(reward(2) > reward(4));
        assert!(reward(0) > reward(23));
        assert!(reward(4) > reward(5));
        assert!(reward(23) > reward(20));
        assert!(reward(20) > reward(12));
    }

    #[test]
    fn rain_and_cold_count_at_night_only() {
        let wet = Weather { rain: true, cold: true };
        let noon = date(2025, 12, 3).at(12, 0, 0, 0);
        assert_eq!(payoffs_at(noon, wet).attacker_reward, payoffs_at(noon, Weather::CLEAR).attacker_reward);
        let night = date(2025, 12, 3).at(2, 0, 0, 0);
        let ratio = payoffs_at(night, wet).attacker_reward / payoffs_at(night, Weather::CLEAR).attacker_reward;
        assert!((ratio - multipliers::RAIN * multipliers::COLD).abs() < 1e-12);
        assert_eq!(payoffs_at(night, wet).explanation.conditions_vi, ["mưa", "rét"]);
    }

    #[test]
    fn the_penalties_do_not_depend_on_the_hour() {
        let a = payoffs_at(date(2025, 10, 15).at(2, 0, 0, 0), Weather::CLEAR);
        let b = payoffs_at(date(2025, 10, 15).at(12, 0, 0, 0), Weather::CLEAR);
        assert_eq!(a.attacker_penalty, b.attacker_penalty);
        assert_eq!(a.defender_reward, b.defender_reward);
    }

    #[test]
    fn a_units_history_scales_the_multiplier() {
        let mut h = HistoryWeights::default();
        for _ in 0..6 {
            h.record(2, DayType::Ordinary);
        }
        let slot = date(2025, 10, 15).at(2, 0, 0, 0);
        let day = DayFacts::for_slot(slot, &Overrides::none()).unwrap();
        let with = target_payoffs_with_history(&vault(), slot, &day, Weather::CLEAR, Some(&h));
        let without = target_payoffs(&vault(), slot, &day, Weather::CLEAR);
        let w = h.weight(2, DayType::Ordinary);
        assert!(w > 1.0);
        assert!((with.attacker_reward / without.attacker_reward - w).abs() < 1e-12);
        assert_eq!(factor(&with, "history"), Some(w));
        assert!(with.explanation.explain_vi().contains("lịch sử vụ việc ×"));
    }

    #[test]
    fn the_evening_before_tet_is_named_by_its_own_day_and_weighed_as_tet() {
        // 28/01/2025 is 29 tháng Chạp, the last day of Giáp Thìn.
        let p = payoffs_at(date(2025, 1, 28).at(22, 0, 0, 0), Weather::CLEAR);
        assert_eq!(p.explanation.to_string(), "kho quỹ, 22:00, 29 tháng Chạp: ×2.6");
    }

    #[test]
    fn holidays_and_weekdays_are_named_in_the_explanation() {
        let p = payoffs_at(date(2025, 9, 2).at(2, 0, 0, 0), Weather::CLEAR);
        assert_eq!(p.explanation.to_string(), "kho quỹ, 02:00, Quốc khánh: ×3.2");
        let p = payoffs_at(date(2025, 10, 15).at(2, 0, 0, 0), Weather { rain: false, cold: true });
        assert_eq!(p.explanation.to_string(), "kho quỹ, 02:00, Thứ Tư, rét: ×2.4");
    }

    #[test]
    fn asset_values_count_on_a_log_scale_and_sensitivity_is_clamped() {
        let z = |asset_value, sensitivity| ZoneFacts { name: String::new(), asset_value, sensitivity };
        assert!((z(0, 1).value_score() - 1.0).abs() < 1e-12);
        assert!((z(999_000_000, 1).value_score() - 4.0).abs() < 1e-12);
        assert!((z(0, 9).base() - 5.0).abs() < 1e-12);
        assert!((z(-5, 0).base() - 1.0).abs() < 1e-12);
    }
}
