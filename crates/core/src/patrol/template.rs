//! Weekly round templates: the same round on chosen weekdays at a set local time ("vòng 22:00
//! thứ Hai đến thứ Sáu"). Until a site has a drawn plan, and besides it, templates give the
//! guards their rounds every day without anyone creating them by hand.
//!
//! The round a template makes on a day has an id derived from the template and the date, so
//! the server can materialise templates as often as it likes and never makes a round twice.

use jiff::SignedDuration;
use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::round::{Round, RoundSource};
use crate::registry::truthy;
use crate::validate::{Checker, Invalid, Problem};
use crate::{CheckpointId, GuardId, RoundId, SiteId, TemplateId, UnitId};

/// Weekdays in Vietnamese order of the week, Monday first, as stored in the bit mask.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// The bit of a weekday in [`Template::weekdays`].
#[must_use]
pub fn weekday_bit(d: Weekday) -> u8 {
    1 << (d.to_monday_zero_offset().unsigned_abs())
}

/// A weekly round template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: TemplateId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub name: String,
    /// Checkpoints in walking order.
    pub checkpoints: Vec<CheckpointId>,
    pub ordered: bool,
    /// Bit i set: runs on [`WEEKDAYS`]`[i]`.
    pub weekdays: u8,
    /// Local (Vietnam) start time.
    pub start: Time,
    pub duration_minutes: i64,
    pub grace_minutes: i64,
    pub guard_id: Option<GuardId>,
    pub active: bool,
}

impl Template {
    /// Whether the template runs on `date` (its start falls on that local day).
    #[must_use]
    pub fn runs_on(&self, date: Date) -> bool {
        self.active && self.weekdays & weekday_bit(date.weekday()) != 0
    }

    /// The round the template makes on `date`, if it runs that day. A start after midnight
    /// belongs to the day it starts on.
    #[must_use]
    pub fn round_on(&self, date: Date) -> Option<Round> {
        if !self.runs_on(date) {
            return None;
        }
        let start = date.to_datetime(self.start).to_zoned(crate::time::vietnam()).ok()?.timestamp();
        Some(Round {
            id: round_id(self.id, date),
            unit_id: self.unit_id,
            site_id: self.site_id,
            name: self.name.clone(),
            checkpoints: self.checkpoints.clone(),
            ordered: self.ordered,
            window_start: start,
            window_end: start + SignedDuration::from_mins(self.duration_minutes),
            grace_minutes: self.grace_minutes,
            guard_id: self.guard_id,
            source: RoundSource::Template,
        })
    }

    /// The weekdays it runs on, Monday first.
    #[must_use]
    pub fn days(&self) -> Vec<Weekday> {
        WEEKDAYS.iter().copied().filter(|d| self.weekdays & weekday_bit(*d) != 0).collect()
    }
}

/// The id of the round `template` makes on `date`: a UUID (version 8, RFC 9562) from a hash of
/// both, the same every time it is computed.
#[must_use]
pub fn round_id(template: TemplateId, date: Date) -> RoundId {
    let mut h = Sha256::new();
    h.update(b"baove round template\0");
    h.update(template.0.as_bytes());
    h.update(date.to_string().as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    RoundId(uuid::Builder::from_custom_bytes(bytes).into_uuid())
}

/// A template as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TemplateDraft {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub site_id: String,
    #[serde(default)]
    pub name: String,
    /// `HH:MM`, local time.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub duration: String,
    #[serde(default)]
    pub grace_minutes: String,
    #[serde(default)]
    pub ordered: String,
    /// Weekday numbers 1 (Monday) … 7 (Sunday).
    #[serde(default)]
    pub weekdays: Vec<String>,
    #[serde(default)]
    pub checkpoints: Vec<String>,
    /// Checked: the template makes rounds.
    #[serde(default)]
    pub active: String,
}

impl TemplateDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<Template, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, TemplateId::parse).unwrap_or_else(TemplateId::mint);
        let unit_id = UnitId::parse(&self.unit_id).map_err(|_| c.fail("unit_id", Problem::BadId)).ok();
        let site_id = SiteId::parse(&self.site_id).map_err(|_| c.fail("site_id", Problem::BadId)).ok();
        let name = c.line("name", &self.name, 120);
        let start = Time::strptime("%H:%M", self.start.trim()).ok();
        if start.is_none() {
            c.fail("start", Problem::BadDate);
        }
        let duration = c.int("duration", &self.duration, 5, 12 * 60, true);
        let grace = c.int("grace_minutes", &self.grace_minutes, 0, 120, true);
        let mut weekdays = 0u8;
        for raw in &self.weekdays {
            match raw.trim().parse::<usize>() {
                Ok(n @ 1..=7) => weekdays |= weekday_bit(WEEKDAYS[n - 1]),
                _ => c.fail("weekdays", Problem::NotAnOption),
            }
        }
        if self.weekdays.is_empty() {
            c.fail("weekdays", Problem::Required);
        }
        let mut checkpoints = Vec::new();
        for raw in &self.checkpoints {
            match CheckpointId::parse(raw) {
                Ok(cp) => checkpoints.push(cp),
                Err(_) => c.fail("checkpoints", Problem::BadId),
            }
        }
        if checkpoints.is_empty() {
            c.fail("checkpoints", Problem::Required);
        }
        match (unit_id, site_id, start, duration, grace) {
            (Some(unit_id), Some(site_id), Some(start), Some(duration_minutes), Some(grace_minutes)) => {
                c.finish(Template {
                    id,
                    unit_id,
                    site_id,
                    name,
                    checkpoints,
                    ordered: truthy(&self.ordered),
                    weekdays,
                    start,
                    duration_minutes,
                    grace_minutes,
                    guard_id: None,
                    active: truthy(&self.active),
                })
            }
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

impl From<&Template> for TemplateDraft {
    fn from(t: &Template) -> Self {
        Self {
            id: t.id.to_string(),
            unit_id: t.unit_id.to_string(),
            site_id: t.site_id.to_string(),
            name: t.name.clone(),
            start: t.start.strftime("%H:%M").to_string(),
            duration: t.duration_minutes.to_string(),
            grace_minutes: t.grace_minutes.to_string(),
            ordered: if t.ordered { "on".into() } else { String::new() },
            weekdays: (1..=7)
                .filter(|n| t.weekdays & weekday_bit(WEEKDAYS[n - 1]) != 0)
                .map(|n: usize| n.to_string())
                .collect(),
            checkpoints: t.checkpoints.iter().map(ToString::to_string).collect(),
            active: if t.active { "on".into() } else { String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn draft() -> TemplateDraft {
        TemplateDraft {
            unit_id: UnitId::mint().to_string(),
            site_id: SiteId::mint().to_string(),
            name: "Vòng 22:00".into(),
            start: "22:00".into(),
            duration: "45".into(),
            grace_minutes: "10".into(),
            ordered: "on".into(),
            weekdays: vec!["1".into(), "3".into(), "5".into()],
            checkpoints: vec![CheckpointId::mint().to_string(), CheckpointId::mint().to_string()],
            active: "on".into(),
            ..TemplateDraft::default()
        }
    }

    #[test]
    fn a_template_runs_on_its_weekdays_only() {
        let t = draft().parse().unwrap();
        assert_eq!(t.days(), vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday]);
        // 23/11/2026 is a Monday.
        assert!(t.round_on(date(2026, 11, 23)).is_some());
        assert!(t.round_on(date(2026, 11, 24)).is_none());
        assert!(t.round_on(date(2026, 11, 27)).is_some());
        assert!(t.round_on(date(2026, 11, 29)).is_none());
    }

    #[test]
    fn the_round_starts_at_local_time_and_keeps_the_template_settings() {
        let t = draft().parse().unwrap();
        let r = t.round_on(date(2026, 11, 23)).unwrap();
        assert_eq!(r.window_start.to_string(), "2026-11-23T15:00:00Z");
        assert_eq!(r.window_end.duration_since(r.window_start), SignedDuration::from_mins(45));
        assert_eq!(r.grace_minutes, 10);
        assert_eq!(r.source, RoundSource::Template);
        assert_eq!(r.checkpoints, t.checkpoints);
    }

    #[test]
    fn the_same_day_gives_the_same_round_id_and_another_day_another() {
        let t = draft().parse().unwrap();
        let a = t.round_on(date(2026, 11, 23)).unwrap().id;
        assert_eq!(a, t.round_on(date(2026, 11, 23)).unwrap().id);
        assert_ne!(a, t.round_on(date(2026, 11, 25)).unwrap().id);
        let other = Template { id: TemplateId::mint(), ..t };
        assert_ne!(a, other.round_on(date(2026, 11, 23)).unwrap().id);
        assert_eq!(a.0.get_version_num(), 8);
    }

    #[test]
    fn a_template_round_trips_through_its_form() {
        let t = draft().parse().unwrap();
        let again = TemplateDraft::from(&t).parse().unwrap();
        assert_eq!(again, t);
    }

    #[test]
    fn an_inactive_template_makes_no_round() {
        let t = Template { active: false, ..draft().parse().unwrap() };
        assert!(t.round_on(date(2026, 11, 23)).is_none());
    }

    #[test]
    fn bad_fields_are_each_reported() {
        let d = TemplateDraft {
            start: "25:99".into(),
            weekdays: vec!["8".into()],
            checkpoints: vec!["x".into()],
            duration: "2".into(),
            ..draft()
        };
        let e = d.parse().unwrap_err();
        assert_eq!(e.for_field("start"), Some(&Problem::BadDate));
        assert_eq!(e.for_field("weekdays"), Some(&Problem::NotAnOption));
        assert_eq!(e.for_field("checkpoints"), Some(&Problem::BadId));
        assert!(matches!(e.for_field("duration"), Some(Problem::OutOfRange { .. })));
        let none = TemplateDraft { weekdays: vec![], ..draft() }.parse().unwrap_err();
        assert_eq!(none.for_field("weekdays"), Some(&Problem::Required));
    }
}
