//! How long visitors' personal data is kept, and what a purged visit looks like.
//!
//! NĐ 13/2023/NĐ-CP sets no period for visitor logs, so each unit configures two: one for the
//! personal fields of visits (default 180 days, the observed median of visitor-management
//! products) and one for returning-visitor profiles (default 365 days), each 1–3650 days. A
//! nightly job asks [`visit_purge`] about each visit and replaces the personal fields of those
//! due with markers ([`anonymise`]), keeping the counts (when, how long, foreigner or not,
//! purpose) for statistics. A deletion request (NĐ 13 Điều 16) uses the same [`anonymise`].

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::Visit;
use crate::registry::lenient;
use crate::validate::{Checker, Invalid};

/// Default days a visit's personal fields are kept.
pub const DEFAULT_VISIT_DAYS: u16 = 180;
/// Default days a returning-visitor profile is kept after the last visit.
pub const DEFAULT_PROFILE_DAYS: u16 = 365;
/// The shortest period a unit may set.
pub const MIN_DAYS: u16 = 1;
/// The longest period a unit may set (ten years).
pub const MAX_DAYS: u16 = 3650;

/// What replaces a purged text field.
pub const PURGED: &str = "[đã xóa]";

/// A unit's retention periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawPolicy", into = "RawPolicy")]
pub struct RetentionPolicy {
    visit_days: u16,
    profile_days: u16,
}

#[derive(Serialize, Deserialize)]
struct RawPolicy {
    visit_days: u16,
    profile_days: u16,
}

impl TryFrom<RawPolicy> for RetentionPolicy {
    type Error = String;
    fn try_from(r: RawPolicy) -> Result<Self, String> {
        Self::new(r.visit_days, r.profile_days).ok_or_else(|| format!("retention days must be {MIN_DAYS}–{MAX_DAYS}"))
    }
}

impl From<RetentionPolicy> for RawPolicy {
    fn from(p: RetentionPolicy) -> Self {
        Self { visit_days: p.visit_days, profile_days: p.profile_days }
    }
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self { visit_days: DEFAULT_VISIT_DAYS, profile_days: DEFAULT_PROFILE_DAYS }
    }
}

impl RetentionPolicy {
    /// A policy, when both periods are within [`MIN_DAYS`]..=[`MAX_DAYS`].
    #[must_use]
    pub fn new(visit_days: u16, profile_days: u16) -> Option<Self> {
        let ok = |d: u16| (MIN_DAYS..=MAX_DAYS).contains(&d);
        (ok(visit_days) && ok(profile_days)).then_some(Self { visit_days, profile_days })
    }

    /// Days a visit's personal fields are kept after it ends.
    #[must_use]
    pub fn visit_days(self) -> u16 {
        self.visit_days
    }

    /// Days a returning-visitor profile is kept after the last visit.
    #[must_use]
    pub fn profile_days(self) -> u16 {
        self.profile_days
    }

    fn span(days: u16) -> SignedDuration {
        SignedDuration::from_hours(24 * i64::from(days))
    }
}

/// The retention settings form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RetentionDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub visit_days: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub profile_days: String,
}

impl RetentionDraft {
    /// Parses the form; an empty field takes its default.
    ///
    /// # Errors
    /// `not_a_number` or `out_of_range` per field.
    pub fn parse(&self) -> Result<RetentionPolicy, Invalid> {
        let mut c = Checker::new();
        let (min, max) = (i64::from(MIN_DAYS), i64::from(MAX_DAYS));
        let visit = c.int("visit_days", &self.visit_days, min, max, false);
        let profile = c.int("profile_days", &self.profile_days, min, max, false);
        let days = |v: Option<i64>, default: u16| v.and_then(|d| u16::try_from(d).ok()).unwrap_or(default);
        c.finish(RetentionPolicy {
            visit_days: days(visit, DEFAULT_VISIT_DAYS),
            profile_days: days(profile, DEFAULT_PROFILE_DAYS),
        })
    }
}

/// What to do with a visit's personal fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum PurgeDecision {
    /// Keep them until `until`.
    Keep { until: Timestamp },
    /// Replace them with markers now.
    Purge,
    /// Already done.
    AlreadyPurged,
}

/// Whether `visit`'s personal fields must be purged at `now`. The period runs from check-out,
/// or from check-in for a visit never checked out.
#[must_use]
pub fn visit_purge(policy: RetentionPolicy, visit: &Visit, now: Timestamp) -> PurgeDecision {
    if visit.purged_at.is_some() {
        return PurgeDecision::AlreadyPurged;
    }
    let ended = visit.checked_out_at.unwrap_or(visit.checked_in_at);
    let until = ended.checked_add(RetentionPolicy::span(policy.visit_days)).unwrap_or(Timestamp::MAX);
    if now >= until { PurgeDecision::Purge } else { PurgeDecision::Keep { until } }
}

/// Whether a returning-visitor profile last seen at `last_visit_at` must be deleted at `now`.
#[must_use]
pub fn profile_must_purge(policy: RetentionPolicy, last_visit_at: Timestamp, now: Timestamp) -> bool {
    last_visit_at.checked_add(RetentionPolicy::span(policy.profile_days)).is_ok_and(|until| now >= until)
}

/// The visit with its personal fields replaced by [`PURGED`] (or emptied when optional), and
/// `purged_at` set. Kept: ids, document kind, nationality, organisation, purpose, host, times,
/// card, consent version and flags. An already purged visit is returned unchanged.
#[must_use]
pub fn anonymise(visit: &Visit, now: Timestamp) -> Visit {
    if visit.purged_at.is_some() {
        return visit.clone();
    }
    let marker = |s: &str| if s.is_empty() { String::new() } else { PURGED.to_owned() };
    Visit {
        doc_number: PURGED.to_owned(),
        cmnd_alias: None,
        name: PURGED.to_owned(),
        phone: marker(&visit.phone),
        plate: visit.plate.as_ref().map(|_| PURGED.to_owned()),
        plate_key: None,
        items: marker(&visit.items),
        purged_at: Some(now),
        ..visit.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Problem;
    use crate::visitor::visit::tests::visit_at;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn defaults_and_bounds() {
        let p = RetentionPolicy::default();
        assert_eq!((p.visit_days(), p.profile_days()), (180, 365));
        assert!(RetentionPolicy::new(1, 3650).is_some());
        assert!(RetentionPolicy::new(0, 365).is_none());
        assert!(RetentionPolicy::new(180, 3651).is_none());
    }

    #[test]
    fn the_settings_form_reports_out_of_range_days() {
        let d = RetentionDraft { visit_days: "0".into(), profile_days: "abc".into() };
        let err = d.parse().unwrap_err();
        assert_eq!(err.for_field("visit_days"), Some(&Problem::OutOfRange { min: 1, max: 3650 }));
        assert_eq!(err.for_field("profile_days"), Some(&Problem::NotANumber));
        let p = RetentionDraft { visit_days: "90".into(), profile_days: String::new() }.parse().unwrap();
        assert_eq!((p.visit_days(), p.profile_days()), (90, 365));
    }

    #[test]
    fn a_stored_policy_out_of_bounds_is_refused() {
        assert!(serde_json::from_str::<RetentionPolicy>(r#"{"visit_days":30,"profile_days":60}"#).is_ok());
        assert!(serde_json::from_str::<RetentionPolicy>(r#"{"visit_days":0,"profile_days":60}"#).is_err());
    }

    #[test]
    fn a_visit_is_purged_the_configured_days_after_check_out() {
        let policy = RetentionPolicy::new(30, 365).unwrap();
        let visit = visit_at(1, "2026-01-01T01:00:00Z").check_out(ts("2026-01-01T05:00:00Z")).unwrap();
        assert_eq!(
            visit_purge(policy, &visit, ts("2026-01-31T04:59:59Z")),
            PurgeDecision::Keep { until: ts("2026-01-31T05:00:00Z") }
        );
        assert_eq!(visit_purge(policy, &visit, ts("2026-01-31T05:00:00Z")), PurgeDecision::Purge);
        let never_out = visit_at(2, "2026-01-01T01:00:00Z");
        assert_eq!(visit_purge(policy, &never_out, ts("2026-01-31T01:00:00Z")), PurgeDecision::Purge);
        let purged = anonymise(&visit, ts("2026-01-31T05:00:00Z"));
        assert_eq!(visit_purge(policy, &purged, ts("2027-01-01T00:00:00Z")), PurgeDecision::AlreadyPurged);
    }

    #[test]
    fn anonymising_replaces_personal_fields_and_keeps_the_counts() {
        let visit = visit_at(1, "2026-01-01T01:00:00Z").check_out(ts("2026-01-01T05:00:00Z")).unwrap();
        let now = ts("2026-07-01T00:00:00Z");
        let a = anonymise(&visit, now);
        assert_eq!(a.doc_number, PURGED);
        assert_eq!(a.name, PURGED);
        assert_eq!(a.phone, PURGED);
        assert_eq!(a.plate.as_deref(), Some(PURGED));
        assert_eq!(a.plate_key, None);
        assert_eq!(a.items, PURGED);
        assert_eq!(a.purged_at, Some(now));
        assert_eq!((a.id, a.checked_in_at, a.checked_out_at), (visit.id, visit.checked_in_at, visit.checked_out_at));
        assert_eq!(
            (a.purpose.as_str(), a.foreigner, a.nationality),
            (visit.purpose.as_str(), visit.foreigner, visit.nationality)
        );
        assert_eq!(anonymise(&a, ts("2027-01-01T00:00:00Z")), a, "idempotent");
        let no_phone = Visit { phone: String::new(), ..visit };
        assert_eq!(anonymise(&no_phone, now).phone, "");
    }

    #[test]
    fn a_profile_is_purged_after_its_own_period() {
        let policy = RetentionPolicy::default();
        let last = ts("2025-03-01T00:00:00Z");
        assert!(!profile_must_purge(policy, last, ts("2026-02-28T23:59:59Z")));
        assert!(profile_must_purge(policy, last, ts("2026-03-01T00:00:00Z")));
    }
}
