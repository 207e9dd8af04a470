//! A unit's own incident history as a correction to the seeds' priors: counts of past
//! incidents by hour of the day and by day type, turned into Laplace-smoothed ratios to the
//! mean, which scale the risk multiplier of a slot.
//!
//! With no incidents every ratio is exactly 1, so an empty history changes nothing; each
//! ratio is clamped to [`MIN_WEIGHT`, `MAX_WEIGHT`] so that a handful of incidents nudges the
//! directives' priors rather than overturning them.

use serde::{Deserialize, Serialize};

use super::risk::DayType;

/// The smallest and largest ratio one dimension (hour, day type) may apply.
pub const MIN_WEIGHT: f64 = 0.5;
pub const MAX_WEIGHT: f64 = 2.5;

/// Laplace's pseudo-count: one imagined incident added to every cell and to its expectation.
const PSEUDO_COUNT: f64 = 1.0;

/// Incident counts by hour (0–23, Vietnam time) and by day type ([`DayType::ALL`] order),
/// with how many days of each type the history covers (all zero: equal exposure).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryWeights {
    pub by_hour: [u32; 24],
    pub by_day_type: [u32; 4],
    pub days_by_type: [u32; 4],
}

fn type_index(t: DayType) -> usize {
    DayType::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

impl HistoryWeights {
    /// Counts one incident at `hour` on a day (or night) of type `day_type`.
    pub fn record(&mut self, hour: i8, day_type: DayType) {
        let h = usize::try_from(hour.clamp(0, 23)).unwrap_or(0);
        self.by_hour[h] += 1;
        self.by_day_type[type_index(day_type)] += 1;
    }

    /// Counts one observed day of type `day_type` (the exposure).
    pub fn observe_day(&mut self, day_type: DayType) {
        self.days_by_type[type_index(day_type)] += 1;
    }

    fn total(&self) -> f64 {
        f64::from(self.by_hour.iter().sum::<u32>())
    }

    /// The hour's ratio: (count + 1) / (mean count per hour + 1), clamped.
    #[must_use]
    pub fn hour_weight(&self, hour: i8) -> f64 {
        let h = usize::try_from(hour.clamp(0, 23)).unwrap_or(0);
        let mean = self.total() / 24.0;
        smoothed(f64::from(self.by_hour[h]), mean)
    }

    /// The day type's ratio: (count + 1) / (expected count + 1), clamped, where the expected
    /// count shares the incidents out by the days of each type observed (or equally).
    #[must_use]
    pub fn day_type_weight(&self, t: DayType) -> f64 {
        let i = type_index(t);
        let incidents = f64::from(self.by_day_type.iter().sum::<u32>());
        let days = f64::from(self.days_by_type.iter().sum::<u32>());
        let expected = if days > 0.0 { incidents * f64::from(self.days_by_type[i]) / days } else { incidents / 4.0 };
        smoothed(f64::from(self.by_day_type[i]), expected)
    }

    /// The product of the hour's and the day type's ratios.
    #[must_use]
    pub fn weight(&self, hour: i8, t: DayType) -> f64 {
        self.hour_weight(hour) * self.day_type_weight(t)
    }
}

fn smoothed(count: f64, expected: f64) -> f64 {
    ((count + PSEUDO_COUNT) / (expected + PSEUDO_COUNT)).clamp(MIN_WEIGHT, MAX_WEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_history_changes_nothing() {
        let h = HistoryWeights::default();
        for hour in 0..24 {
            for t in DayType::ALL {
                assert!((h.weight(hour, *t) - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn hours_with_more_incidents_than_the_mean_weigh_more() {
        let mut h = HistoryWeights::default();
        // 24 incidents: 12 at 02:00, 12 spread over 12 other hours.
        for _ in 0..12 {
            h.record(2, DayType::Ordinary);
        }
        for hour in 8..20 {
            h.record(hour, DayType::Ordinary);
        }
        // Mean 1 per hour: 02:00 → 13/2 = 6.5, clamped; 08:00 → 2/2 = 1; 23:00 → 1/2.
        assert!((h.hour_weight(2) - MAX_WEIGHT).abs() < 1e-12);
        assert!((h.hour_weight(8) - 1.0).abs() < 1e-12);
        assert!((h.hour_weight(23) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn day_types_are_weighed_against_how_many_such_days_were_observed() {
        let mut h = HistoryWeights::default();
        for _ in 0..250 {
            h.observe_day(DayType::Ordinary);
        }
        for _ in 0..100 {
            h.observe_day(DayType::Weekend);
        }
        for _ in 0..15 {
            h.observe_day(DayType::TetPeriod);
        }
        // 6 incidents on ordinary days, 3 at weekends, 3 at Tết; 12 over 365 days.
        for _ in 0..6 {
            h.record(1, DayType::Ordinary);
        }
        for _ in 0..3 {
            h.record(1, DayType::Weekend);
            h.record(1, DayType::TetPeriod);
        }
        let expected_tet = 12.0 * 15.0 / 365.0;
        assert!((h.day_type_weight(DayType::TetPeriod) - MAX_WEIGHT.min(4.0 / (expected_tet + 1.0))).abs() < 1e-12);
        let expected_ordinary = 12.0 * 250.0 / 365.0;
        assert!((h.day_type_weight(DayType::Ordinary) - 7.0 / (expected_ordinary + 1.0)).abs() < 1e-12);
        assert!(h.day_type_weight(DayType::Ordinary) < 1.0);
        assert!(h.day_type_weight(DayType::TetPeriod) > h.day_type_weight(DayType::Weekend));
        assert!((h.day_type_weight(DayType::Holiday) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn without_exposure_day_types_share_incidents_equally() {
        let mut h = HistoryWeights::default();
        for _ in 0..4 {
            h.record(2, DayType::Holiday);
        }
        // Expected 1 per type: holiday (4+1)/(1+1) = 2.5, the others 1/2.
        assert!((h.day_type_weight(DayType::Holiday) - 2.5).abs() < 1e-12);
        assert!((h.day_type_weight(DayType::Weekend) - 0.5).abs() < 1e-12);
    }
}
