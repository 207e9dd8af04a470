//! From alarms to incidents (R11): the police workflow of an incident (reported → received →
//! verifying → handled → closed), the promotion of real alarms into a report draft, and the
//! folding of several alarms at one place into one incident.
//!
//! Which roles may make which move is the server's decision; this module only knows which
//! moves exist and what each needs: a name always, a note of what was done to mark an
//! incident handled, an outcome to close it. Verification may also find nothing happened and
//! close the incident directly as unfounded.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::envelope::EventKind;
use super::lifecycle::{Alarm, AlarmId, Disposition};
use super::report::IncidentReportDraft;
use crate::incident::{IncidentKind, IncidentStatus};
use crate::{SiteId, ZoneId, text, time};

pub use crate::incident::Outcome;

/// One move of the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub to: IncidentStatus,
    pub at: Timestamp,
    pub by: String,
    pub note: String,
    pub outcome: Option<Outcome>,
}

/// A move as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from: IncidentStatus,
    pub to: IncidentStatus,
    pub at: Timestamp,
    pub by: String,
    pub note: String,
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("an incident cannot go from {from} to {to}")]
    IllegalMove { from: IncidentStatus, to: IncidentStatus },
    #[error("closing needs an outcome")]
    OutcomeRequired,
    #[error("only closing takes an outcome")]
    OutcomeNotAllowed,
    #[error("an incident closed straight from verification must be unfounded")]
    MustBeUnfounded,
    #[error("marking an incident {to} needs a note of what was done")]
    NoteRequired { to: IncidentStatus },
    #[error("who made the move must be named")]
    MissingName,
    #[error("{at} is before the previous step at {last}")]
    BeforePrevious { last: Timestamp, at: Timestamp },
}

/// Where an incident is in the police workflow, and how it got there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFlow {
    pub status: IncidentStatus,
    pub reported_at: Timestamp,
    pub history: Vec<StatusChange>,
    pub outcome: Option<Outcome>,
}

impl IncidentFlow {
    /// A freshly reported incident.
    #[must_use]
    pub fn new(reported_at: Timestamp) -> Self {
        Self { status: IncidentStatus::Reported, reported_at, history: Vec::new(), outcome: None }
    }

    /// The statuses reachable from `from`.
    #[must_use]
    pub fn legal_moves(from: IncidentStatus) -> &'static [IncidentStatus] {
        match from {
            IncidentStatus::Reported => &[IncidentStatus::Received],
            IncidentStatus::Received => &[IncidentStatus::Verifying],
            IncidentStatus::Verifying => &[IncidentStatus::Handled, IncidentStatus::Closed],
            IncidentStatus::Handled => &[IncidentStatus::Closed],
            IncidentStatus::Closed => &[],
        }
    }

    /// When the last step was taken.
    #[must_use]
    pub fn last_change_at(&self) -> Timestamp {
        self.history.last().map_or(self.reported_at, |c| c.at)
    }

    /// Makes a move.
    ///
    /// # Errors
    /// [`FlowError`] for a move that does not exist or lacks what it needs.
    pub fn apply(&mut self, mv: Move) -> Result<(), FlowError> {
        if !Self::legal_moves(self.status).contains(&mv.to) {
            return Err(FlowError::IllegalMove { from: self.status, to: mv.to });
        }
        let by = text::clean_line(&mv.by);
        if by.is_empty() {
            return Err(FlowError::MissingName);
        }
        let last = self.last_change_at();
        if mv.at < last {
            return Err(FlowError::BeforePrevious { last, at: mv.at });
        }
        let note = text::nfc(mv.note.trim());
        match (mv.to, mv.outcome) {
            (IncidentStatus::Closed, None) => return Err(FlowError::OutcomeRequired),
            (IncidentStatus::Closed, Some(o))
                if self.status == IncidentStatus::Verifying && o != Outcome::Unfounded =>
            {
                return Err(FlowError::MustBeUnfounded);
            }
            (IncidentStatus::Closed, Some(_)) => {}
            (_, Some(_)) => return Err(FlowError::OutcomeNotAllowed),
            (IncidentStatus::Handled, None) if note.is_empty() => {
                return Err(FlowError::NoteRequired { to: IncidentStatus::Handled });
            }
            (_, None) => {}
        }
        self.history.push(StatusChange { from: self.status, to: mv.to, at: mv.at, by, note });
        self.status = mv.to;
        if mv.to == IncidentStatus::Closed {
            self.outcome = mv.outcome;
        }
        Ok(())
    }
}

/// The incident kind an alarm of `kind` suggests.
#[must_use]
pub fn incident_kind_for(kind: EventKind) -> IncidentKind {
    match kind {
        EventKind::Smoke => IncidentKind::Fire,
        EventKind::Intrusion
        | EventKind::DoorForced
        | EventKind::DoorOpen
        | EventKind::Motion
        | EventKind::PersonDetected
        | EventKind::Tamper => IncidentKind::BreakIn,
        _ => IncidentKind::Other,
    }
}

/// Whether an alarm may become (part of) an incident: not cancelled, and real if someone
/// already said what it was.
#[must_use]
pub fn promotable(alarm: &Alarm) -> bool {
    alarm.cancellation.is_none() && alarm.disposition().is_none_or(|d| d == Disposition::Real)
}

/// Default window for folding alarms at one place into one incident.
pub const DEFAULT_FOLD_WINDOW: SignedDuration = SignedDuration::from_mins(30);

/// Alarms at one place close together in time: one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmGroup {
    pub site_id: SiteId,
    pub zone_id: ZoneId,
    /// In order of their first trigger.
    pub alarms: Vec<AlarmId>,
    pub first_at: Timestamp,
    pub last_at: Timestamp,
}

impl AlarmGroup {
    /// Whether `alarm` is at the group's place and starts within `window` of its latest event.
    #[must_use]
    pub fn accepts(&self, alarm: &Alarm, window: SignedDuration) -> bool {
        alarm.site_id == self.site_id
            && alarm.zone_id == self.zone_id
            && alarm.first_at <= self.last_at.checked_add(window).unwrap_or(Timestamp::MAX)
            && alarm.first_at.checked_add(window).unwrap_or(Timestamp::MAX) >= self.first_at
    }

    fn push(&mut self, alarm: &Alarm) {
        self.alarms.push(alarm.id);
        self.first_at = self.first_at.min(alarm.first_at);
        self.last_at = self.last_at.max(alarm.last_at);
    }
}

/// Folds alarms into groups: same site and zone, each starting within `window` of the group's
/// latest event, so a break-in that sets off sensors for an hour stays one incident while two
/// nights at one door are two. Alarms that are not [`promotable`] are left out.
#[must_use]
pub fn fold_alarms<'a>(alarms: impl IntoIterator<Item = &'a Alarm>, window: SignedDuration) -> Vec<AlarmGroup> {
    let mut sorted: Vec<&Alarm> = alarms.into_iter().filter(|a| promotable(a)).collect();
    sorted.sort_by_key(|a| (a.first_at, a.id));
    let mut groups: Vec<AlarmGroup> = Vec::new();
    for a in sorted {
        match groups.iter_mut().rev().find(|g| g.accepts(a, window)) {
            Some(g) => g.push(a),
            None => groups.push(AlarmGroup {
                site_id: a.site_id,
                zone_id: a.zone_id,
                alarms: vec![a.id],
                first_at: a.first_at,
                last_at: a.last_at,
            }),
        }
    }
    groups
}

/// Why alarms cannot be promoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromoteError {
    #[error("no alarms given")]
    Empty,
    #[error("alarm {alarm} was cancelled or found not real")]
    NotReal { alarm: AlarmId },
    #[error("the alarms are not at one place")]
    MixedPlaces,
}

/// A report draft from alarms at one place (one alarm, or a folded group): the kind from the
/// most serious alarm, the place, the first trigger's time, a summary, and a plate a camera
/// read. People complete and correct it before it is parsed and sent.
///
/// # Errors
/// [`PromoteError`] for no alarms, an alarm not [`promotable`], or alarms at several places.
pub fn promote(alarms: &[&Alarm]) -> Result<IncidentReportDraft, PromoteError> {
    let first = alarms.first().ok_or(PromoteError::Empty)?;
    if let Some(a) = alarms.iter().find(|a| !promotable(a)) {
        return Err(PromoteError::NotReal { alarm: a.id });
    }
    if alarms.iter().any(|a| a.site_id != first.site_id || a.zone_id != first.zone_id) {
        return Err(PromoteError::MixedPlaces);
    }
    let kinds: Vec<IncidentKind> = alarms.iter().map(|a| incident_kind_for(a.kind)).collect();
    let kind = [IncidentKind::Fire, IncidentKind::BreakIn]
        .into_iter()
        .find(|k| kinds.contains(k))
        .unwrap_or(IncidentKind::Other);
    let start = alarms.iter().map(|a| a.occurred_at.unwrap_or(a.first_at)).min().unwrap_or(first.first_at);
    let end = alarms.iter().map(|a| a.last_at).max().unwrap_or(first.last_at);
    let triggers: u32 = alarms.iter().map(|a| a.triggers).sum();
    let mut labels: Vec<&str> = Vec::new();
    for a in alarms {
        if !labels.contains(&a.kind.label_vi()) {
            labels.push(a.kind.label_vi());
        }
    }
    let cameras = alarms.iter().filter_map(|a| a.camera.as_ref());
    let plate = cameras.clone().find_map(|c| c.plate.clone()).unwrap_or_default();
    let suspect_person = cameras.clone().find_map(|c| c.sub_label.clone()).unwrap_or_default();
    let mut summary = format!(
        "Báo động: {} ({} lần kích hoạt), từ {} đến {}.",
        labels.join(", "),
        triggers,
        time::format_datetime(start),
        time::format_datetime(end)
    );
    if cameras.clone().any(|c| c.label == "person") {
        summary.push_str(" Camera phát hiện người.");
    }
    Ok(IncidentReportDraft {
        kind: kind.code().to_owned(),
        site_id: first.site_id.to_string(),
        zone_id: first.zone_id.to_string(),
        occurred_at: start.to_string(),
        summary,
        plate,
        suspect_person,
        alarm_ids: alarms.iter().map(|a| a.id.to_string()).collect(),
        ..IncidentReportDraft::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarm::envelope::CameraDetail;
    use crate::alarm::lifecycle::sample_alarm;
    use uuid::Uuid;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn mv(to: IncidentStatus, time: &str, note: &str, outcome: Option<Outcome>) -> Move {
        Move { to, at: at(time), by: "Đại úy Phạm Văn Dũng".into(), note: note.into(), outcome }
    }

    #[test]
    fn an_incident_walks_the_workflow_to_closed() {
        let mut f = IncidentFlow::new(at("2026-11-20T18:45:00Z"));
        f.apply(mv(IncidentStatus::Received, "2026-11-20T18:47:00Z", "", None)).unwrap();
        f.apply(mv(IncidentStatus::Verifying, "2026-11-20T18:50:00Z", "Tổ công tác đến hiện trường", None)).unwrap();
        assert_eq!(
            f.apply(mv(IncidentStatus::Handled, "2026-11-20T19:30:00Z", " ", None)),
            Err(FlowError::NoteRequired { to: IncidentStatus::Handled })
        );
        f.apply(mv(IncidentStatus::Handled, "2026-11-20T19:30:00Z", "Lập biên bản, thu giữ tang vật", None)).unwrap();
        assert_eq!(
            f.apply(mv(IncidentStatus::Closed, "2026-11-21T02:00:00Z", "", None)),
            Err(FlowError::OutcomeRequired)
        );
        f.apply(mv(IncidentStatus::Closed, "2026-11-21T02:00:00Z", "", Some(Outcome::Transferred))).unwrap();
        assert_eq!((f.status, f.outcome), (IncidentStatus::Closed, Some(Outcome::Transferred)));
        assert_eq!(f.history.len(), 4);
        assert_eq!(f.history[0].from, IncidentStatus::Reported);
        assert!(IncidentFlow::legal_moves(IncidentStatus::Closed).is_empty());
    }

    #[test]
    fn steps_cannot_be_skipped_reversed_or_backdated() {
        let mut f = IncidentFlow::new(at("2026-11-20T18:45:00Z"));
        assert_eq!(
            f.apply(mv(IncidentStatus::Handled, "2026-11-20T18:50:00Z", "x", None)),
            Err(FlowError::IllegalMove { from: IncidentStatus::Reported, to: IncidentStatus::Handled })
        );
        assert!(matches!(
            f.apply(mv(IncidentStatus::Received, "2026-11-20T18:40:00Z", "", None)),
            Err(FlowError::BeforePrevious { .. })
        ));
        assert_eq!(
            f.apply(mv(IncidentStatus::Received, "2026-11-20T18:50:00Z", "", Some(Outcome::Resolved))),
            Err(FlowError::OutcomeNotAllowed)
        );
        let mut nameless = mv(IncidentStatus::Received, "2026-11-20T18:50:00Z", "", None);
        nameless.by = "  ".into();
        assert_eq!(f.apply(nameless), Err(FlowError::MissingName));
        assert_eq!(f.status, IncidentStatus::Reported);
    }

    #[test]
    fn verification_may_close_an_unfounded_report_directly() {
        let mut f = IncidentFlow::new(at("2026-11-20T18:45:00Z"));
        f.apply(mv(IncidentStatus::Received, "2026-11-20T18:46:00Z", "", None)).unwrap();
        f.apply(mv(IncidentStatus::Verifying, "2026-11-20T18:47:00Z", "", None)).unwrap();
        assert_eq!(
            f.apply(mv(IncidentStatus::Closed, "2026-11-20T19:00:00Z", "", Some(Outcome::Resolved))),
            Err(FlowError::MustBeUnfounded)
        );
        f.apply(mv(IncidentStatus::Closed, "2026-11-20T19:00:00Z", "Báo nhầm", Some(Outcome::Unfounded))).unwrap();
        assert_eq!(f.outcome, Some(Outcome::Unfounded));
    }

    fn alarm(n: u128, kind: EventKind, first: &str, zone: u128) -> Alarm {
        let mut a = sample_alarm(kind, first);
        a.id = AlarmId(Uuid::from_u128(n));
        a.zone_id = ZoneId(Uuid::from_u128(zone));
        a
    }

    #[test]
    fn alarms_at_one_place_within_the_window_fold_into_one_incident() {
        let alarms = [
            alarm(1, EventKind::DoorForced, "2026-11-20T18:40:00Z", 2),
            alarm(2, EventKind::Motion, "2026-11-20T18:55:00Z", 2),
            alarm(3, EventKind::PersonDetected, "2026-11-20T19:20:00Z", 2),
            alarm(4, EventKind::Motion, "2026-11-20T18:45:00Z", 3),
            alarm(5, EventKind::Motion, "2026-11-21T18:40:00Z", 2),
        ];
        let groups = fold_alarms(&alarms, DEFAULT_FOLD_WINDOW);
        let ids: Vec<Vec<u128>> = groups.iter().map(|g| g.alarms.iter().map(|a| a.0.as_u128()).collect()).collect();
        assert_eq!(ids, [vec![1, 2, 3], vec![4], vec![5]]);
        assert_eq!((groups[0].first_at, groups[0].last_at), (at("2026-11-20T18:40:00Z"), at("2026-11-20T19:20:00Z")));
        // An absurd window folds everything at one place and does not overflow.
        assert_eq!(fold_alarms(&alarms, SignedDuration::MAX).len(), 2);
    }

    #[test]
    fn false_alarms_and_cancelled_ones_are_not_folded_or_promoted() {
        let mut fa = alarm(1, EventKind::Motion, "2026-11-20T18:40:00Z", 2);
        fa.acknowledge("An", at("2026-11-20T18:41:00Z"), Disposition::FalseAlarm, "Mèo", None).unwrap();
        let real = alarm(2, EventKind::Motion, "2026-11-20T18:42:00Z", 2);
        let groups = fold_alarms([&fa, &real], DEFAULT_FOLD_WINDOW);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].alarms, [real.id]);
        assert_eq!(promote(&[&fa]), Err(PromoteError::NotReal { alarm: fa.id }));
        assert_eq!(promote(&[]), Err(PromoteError::Empty));
        let elsewhere = alarm(3, EventKind::Motion, "2026-11-20T18:42:00Z", 9);
        assert_eq!(promote(&[&real, &elsewhere]), Err(PromoteError::MixedPlaces));
    }

    #[test]
    fn a_promoted_group_prefills_a_report_that_parses_once_completed() {
        let mut forced = alarm(1, EventKind::DoorForced, "2026-11-20T18:40:00Z", 2);
        forced.triggers = 2;
        let mut cam = alarm(2, EventKind::PersonDetected, "2026-11-20T18:41:00Z", 2);
        cam.last_at = at("2026-11-20T18:44:00Z");
        cam.camera =
            Some(CameraDetail { label: "person".into(), plate: Some("59X1-123.45".into()), ..CameraDetail::default() });
        let smoke = alarm(3, EventKind::Smoke, "2026-11-20T18:43:00Z", 2);
        let d = promote(&[&forced, &cam]).unwrap();
        assert_eq!(d.kind, "break_in");
        assert_eq!(d.occurred_at, "2026-11-20T18:40:00Z");
        assert_eq!(
            d.summary,
            "Báo động: Phá cửa, Phát hiện người (3 lần kích hoạt), từ 21/11/2026 01:40 đến 21/11/2026 01:44. Camera phát hiện người."
        );
        assert_eq!(d.alarm_ids.len(), 2);
        let report = d.parse(at("2026-11-20T19:00:00Z")).unwrap();
        assert_eq!(report.plate.as_deref(), Some("59X112345"));
        assert_eq!(promote(&[&forced, &smoke]).unwrap().kind, "fire");
        assert_eq!(incident_kind_for(EventKind::Panic), IncidentKind::Other);
    }
}
