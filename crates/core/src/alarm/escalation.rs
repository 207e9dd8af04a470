//! Escalation of unacknowledged alarms, on the patrol alerts' ladder
//! ([`crate::patrol::escalation::Ladder`]: security officer, then unit head, then the police
//! duty desk). What alarms add: each unit sets its own minutes, critical alarms (panic, smoke,
//! forced doors in sensitive rooms) climb on a shorter ladder, the clock starts after an entry
//! delay, and it stops when a person acknowledges.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::lifecycle::{Alarm, AlarmState, Priority};
use crate::patrol::escalation::{Ladder, Tier};
use crate::registry::lenient;
use crate::validate::{Checker, Invalid};

/// Most minutes one rung may take.
pub const MAX_MINUTES: i64 = 120;

/// A unit's escalation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationPolicy {
    /// For alarms below critical.
    pub normal: Ladder,
    /// For critical alarms.
    pub critical: Ladder,
}

impl Default for EscalationPolicy {
    /// The patrol ladder (5 + 5 minutes) for most alarms; 2 + 3 for critical ones, so a panic
    /// button at 01:30 reaches the ward duty desk by 01:35.
    fn default() -> Self {
        Self { normal: Ladder::default(), critical: Ladder { officer_minutes: 2, head_minutes: 3 } }
    }
}

impl EscalationPolicy {
    /// The ladder an alarm of `priority` climbs.
    #[must_use]
    pub fn ladder_for(&self, priority: Priority) -> Ladder {
        if priority == Priority::Critical { self.critical } else { self.normal }
    }

    /// Who should be called for `alarm` at `now`: `None` while its entry delay runs or once it
    /// is no longer open.
    #[must_use]
    pub fn due(&self, alarm: &Alarm, now: Timestamp) -> Option<Tier> {
        let from = alarm.notify_from();
        (alarm.state == AlarmState::Open && now >= from).then(|| self.ladder_for(alarm.priority).tier_at(from, now))
    }

    /// The highest tier the alarm reached: at its acknowledgement (or cancellation) if it has
    /// one, at `now` otherwise. `None` if it never got past its entry delay.
    #[must_use]
    pub fn reached(&self, alarm: &Alarm, now: Timestamp) -> Option<Tier> {
        let from = alarm.notify_from();
        let stop = alarm.acknowledgement.as_ref().map(|a| a.at).or(alarm.closed_at).map_or(now, |s| s.min(now));
        (stop >= from).then(|| self.ladder_for(alarm.priority).tier_at(from, stop))
    }

    /// When the caller should look again: the end of the entry delay, or the next rung;
    /// `None` when the alarm is not open or sits at the top.
    #[must_use]
    pub fn next_step(&self, alarm: &Alarm, now: Timestamp) -> Option<Timestamp> {
        if alarm.state != AlarmState::Open {
            return None;
        }
        let from = alarm.notify_from();
        if now < from {
            return Some(from);
        }
        self.ladder_for(alarm.priority).next_step(from, now)
    }
}

/// A unit's escalation settings as a form or the API sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EscalationDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub officer_minutes: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub head_minutes: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub critical_officer_minutes: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub critical_head_minutes: String,
}

impl EscalationDraft {
    /// Minutes 0..=[`MAX_MINUTES`] each; an empty field keeps the default.
    ///
    /// # Errors
    /// Every field out of range or not a number.
    pub fn parse(&self) -> Result<EscalationPolicy, Invalid> {
        let d = EscalationPolicy::default();
        let mut c = Checker::new();
        let mut m = |field, raw: &str, default| c.int(field, raw, 0, MAX_MINUTES, false).unwrap_or(default);
        let normal = Ladder {
            officer_minutes: m("officer_minutes", &self.officer_minutes, d.normal.officer_minutes),
            head_minutes: m("head_minutes", &self.head_minutes, d.normal.head_minutes),
        };
        let critical = Ladder {
            officer_minutes: m("critical_officer_minutes", &self.critical_officer_minutes, d.critical.officer_minutes),
            head_minutes: m("critical_head_minutes", &self.critical_head_minutes, d.critical.head_minutes),
        };
        c.finish(EscalationPolicy { normal, critical })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarm::envelope::EventKind;
    use crate::alarm::lifecycle::{Disposition, sample_alarm};
    use crate::validate::Problem;
    use jiff::SignedDuration;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_critical_alarm_climbs_faster() {
        let p = EscalationPolicy::default();
        let mut a = sample_alarm(EventKind::Panic, "2026-11-20T18:30:00Z");
        a.priority = Priority::Critical;
        let m = |n: i64| a.first_at + SignedDuration::from_mins(n);
        assert_eq!(p.due(&a, m(1)), Some(Tier::SecurityOfficer));
        assert_eq!(p.due(&a, m(2)), Some(Tier::UnitHead));
        assert_eq!(p.due(&a, m(5)), Some(Tier::DutyDesk));
        a.priority = Priority::High;
        assert_eq!(p.due(&a, m(5)), Some(Tier::UnitHead));
        assert_eq!(p.next_step(&a, m(5)), Some(m(10)));
    }

    #[test]
    fn nobody_is_called_during_the_entry_delay_and_the_clock_starts_after_it() {
        let p = EscalationPolicy::default();
        let mut a = sample_alarm(EventKind::Intrusion, "2026-11-20T18:30:00Z");
        a.pending_until = Some(at("2026-11-20T18:31:00Z"));
        assert_eq!(p.due(&a, at("2026-11-20T18:30:30Z")), None);
        assert_eq!(p.next_step(&a, at("2026-11-20T18:30:30Z")), Some(at("2026-11-20T18:31:00Z")));
        assert_eq!(p.due(&a, at("2026-11-20T18:35:30Z")), Some(Tier::SecurityOfficer));
        assert_eq!(p.due(&a, at("2026-11-20T18:36:00Z")), Some(Tier::UnitHead));
    }

    #[test]
    fn acknowledgement_stops_the_climb() {
        let p = EscalationPolicy::default();
        let mut a = sample_alarm(EventKind::Intrusion, "2026-11-20T18:30:00Z");
        a.acknowledge("An", at("2026-11-20T18:36:00Z"), Disposition::Real, "", None).unwrap();
        assert_eq!(p.due(&a, at("2026-11-20T19:00:00Z")), None);
        assert_eq!(p.next_step(&a, at("2026-11-20T19:00:00Z")), None);
        assert_eq!(p.reached(&a, at("2026-11-20T19:00:00Z")), Some(Tier::UnitHead));
    }

    #[test]
    fn a_units_minutes_are_parsed_and_bounded() {
        let d =
            EscalationDraft { officer_minutes: "3".into(), critical_head_minutes: "0".into(), ..Default::default() };
        let p = d.parse().unwrap();
        assert_eq!(p.normal, Ladder { officer_minutes: 3, head_minutes: 5 });
        assert_eq!(p.critical, Ladder { officer_minutes: 2, head_minutes: 0 });
        let bad = EscalationDraft { officer_minutes: "-1".into(), head_minutes: "abc".into(), ..Default::default() };
        let err = bad.parse().unwrap_err();
        assert_eq!(err.for_field("officer_minutes"), Some(&Problem::OutOfRange { min: 0, max: MAX_MINUTES }));
        assert_eq!(err.for_field("head_minutes"), Some(&Problem::NotANumber));
        let json: EscalationDraft = serde_json::from_str(r#"{"officer_minutes": 4}"#).unwrap();
        assert_eq!(json.parse().unwrap().normal.officer_minutes, 4);
    }
}
