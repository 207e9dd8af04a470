//! Escalation of unacknowledged alerts: the security officer first, then the unit head, then
//! the police duty desk, each after a configurable wait.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::registry::code_enum;

code_enum!(
    /// Who an alert has reached.
    Tier {
        SecurityOfficer = "security_officer",
        UnitHead = "unit_head",
        DutyDesk = "duty_desk",
    }
);

/// How long each tier has to acknowledge before the next is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    /// Minutes the security officer has.
    pub officer_minutes: i64,
    /// Further minutes the unit head has.
    pub head_minutes: i64,
}

impl Default for Ladder {
    /// Five minutes each: a missed round at 01:30 reaches the ward duty desk by 01:40.
    fn default() -> Self {
        Self { officer_minutes: 5, head_minutes: 5 }
    }
}

impl Ladder {
    /// The longest wait a tier may be given, in minutes.
    pub const MAX_MINUTES: i64 = 120;

    /// A unit's ladder from its settings form: each wait 1 to [`Self::MAX_MINUTES`] minutes.
    ///
    /// # Errors
    /// Each wait that is not a number in range.
    pub fn parse(officer: &str, head: &str) -> Result<Self, crate::validate::Invalid> {
        let mut c = crate::validate::Checker::new();
        let officer = c.int("officer_minutes", officer, 1, Self::MAX_MINUTES, true);
        let head = c.int("head_minutes", head, 1, Self::MAX_MINUTES, true);
        match (officer, head) {
            (Some(officer_minutes), Some(head_minutes)) => c.finish(Self { officer_minutes, head_minutes }),
            _ => Err(c.finish(()).unwrap_err()),
        }
    }

    /// The tier an alert raised at `raised` has reached at `now` if nobody acknowledged it.
    #[must_use]
    pub fn tier_at(&self, raised: Timestamp, now: Timestamp) -> Tier {
        let waited = now.duration_since(raised);
        if waited >= SignedDuration::from_mins(self.officer_minutes + self.head_minutes) {
            Tier::DutyDesk
        } else if waited >= SignedDuration::from_mins(self.officer_minutes) {
            Tier::UnitHead
        } else {
            Tier::SecurityOfficer
        }
    }

    /// When the alert moves to the next tier, if it has one.
    #[must_use]
    pub fn next_step(&self, raised: Timestamp, now: Timestamp) -> Option<Timestamp> {
        match self.tier_at(raised, now) {
            Tier::SecurityOfficer => Some(raised + SignedDuration::from_mins(self.officer_minutes)),
            Tier::UnitHead => Some(raised + SignedDuration::from_mins(self.officer_minutes + self.head_minutes)),
            Tier::DutyDesk => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_unit_ladder_is_parsed_within_bounds() {
        let l = super::Ladder::parse("3", "7").unwrap();
        assert_eq!((l.officer_minutes, l.head_minutes), (3, 7));
        let e = super::Ladder::parse("0", "abc").unwrap_err();
        assert!(e.for_field("officer_minutes").is_some());
        assert!(e.for_field("head_minutes").is_some());
        assert!(super::Ladder::parse("5", "121").is_err());
    }

    use super::*;

    #[test]
    fn an_unacknowledged_alert_climbs_to_the_duty_desk() {
        let l = Ladder { officer_minutes: 5, head_minutes: 10 };
        let raised: Timestamp = "2026-11-21T18:30:00Z".parse().unwrap();
        let at = |m: i64| raised + SignedDuration::from_mins(m);
        assert_eq!(l.tier_at(raised, at(0)), Tier::SecurityOfficer);
        assert_eq!(l.tier_at(raised, at(5)), Tier::UnitHead);
        assert_eq!(l.tier_at(raised, at(14)), Tier::UnitHead);
        assert_eq!(l.tier_at(raised, at(15)), Tier::DutyDesk);
        assert_eq!(l.next_step(raised, at(1)), Some(at(5)));
        assert_eq!(l.next_step(raised, at(6)), Some(at(15)));
        assert_eq!(l.next_step(raised, at(16)), None);
    }
}
