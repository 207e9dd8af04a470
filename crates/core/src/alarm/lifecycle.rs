//! An alarm and its life: raised open by the rules, acknowledged by a person with a
//! disposition (real, false alarm, test…), then closed. Some alarms must be *restored* first —
//! a forced door must be shut again before anyone may say it is dealt with — and an alarm
//! raised during an entry delay is cancelled if the panel is disarmed in time.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::envelope::{CameraDetail, EventKind, Identity};
use super::sop::SopCheck;
use crate::registry::code_enum;
use crate::{BadId, SiteId, ZoneId};

/// An alarm's id, minted by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AlarmId(pub Uuid);

impl AlarmId {
    /// Parses the hyphenated form.
    ///
    /// # Errors
    /// [`BadId`] when the text is not a UUID.
    pub fn parse(text: &str) -> Result<Self, BadId> {
        Uuid::try_parse(text.trim()).map(Self).map_err(|_| BadId(text.chars().take(64).collect()))
    }
}

impl fmt::Display for AlarmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// How urgently an alarm needs a person, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    /// The next level up (Critical stays).
    #[must_use]
    pub fn raised(self) -> Self {
        match self {
            Self::Low => Self::Medium,
            Self::Medium => Self::High,
            Self::High | Self::Critical => Self::Critical,
        }
    }

    /// The next level down (Low stays).
    #[must_use]
    pub fn lowered(self) -> Self {
        match self {
            Self::Critical => Self::High,
            Self::High => Self::Medium,
            Self::Medium | Self::Low => Self::Low,
        }
    }

    /// The Vietnamese label.
    #[must_use]
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Low => "Thấp",
            Self::Medium => "Trung bình",
            Self::High => "Cao",
            Self::Critical => "Khẩn cấp",
        }
    }
}

code_enum!(
    /// Where an alarm is in its life.
    AlarmState {
        Open = "open",
        Acknowledged = "acknowledged",
        Closed = "closed",
    }
);

code_enum!(
    /// What the person who acknowledged an alarm found (R12 counts causes).
    Disposition {
        Real = "real",
        FalseAlarm = "false_alarm",
        Test = "test",
        EquipmentFault = "equipment_fault",
        Weather = "weather",
        Other = "other",
    }
);

/// Who acknowledged, when, and what they found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub by: String,
    pub at: Timestamp,
    pub disposition: Disposition,
    pub note: String,
    /// The contingency plan as followed, when the zone has one.
    pub sop: Option<SopCheck>,
}

impl Acknowledgement {
    /// Whether a supervisor should look at how it was handled.
    #[must_use]
    pub fn flagged(&self) -> bool {
        self.sop.as_ref().is_some_and(SopCheck::flagged)
    }
}

/// An alarm cancelled without a person: the panel was disarmed within the entry delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub at: Timestamp,
    pub reason: String,
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlarmError {
    #[error("the alarm is {state}, not open")]
    NotOpen { state: AlarmState },
    #[error("the alarm must be restored (e.g. the door closed) before it is acknowledged")]
    AwaitingRestore,
    #[error("the alarm is not acknowledged yet")]
    NotAcknowledged,
    #[error("who did it must be named")]
    MissingName,
    #[error("{at} is before the alarm was raised at {first_at}")]
    BeforeRaised { first_at: Timestamp, at: Timestamp },
    #[error("the alarm has no entry delay running")]
    NotPending,
}

/// An alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub id: AlarmId,
    pub site_id: SiteId,
    pub zone_id: ZoneId,
    /// The kind of the event that raised it.
    pub kind: EventKind,
    pub priority: Priority,
    pub state: AlarmState,
    /// Addresses (`source_instance/device`) of the devices that triggered it.
    pub devices: Vec<String>,
    /// The happenings folded into it.
    pub identities: Vec<Identity>,
    /// Trigger events folded in (1 when raised, 2 for a double knock).
    pub triggers: u32,
    /// Updates that enriched it (Frigate `update`/`end`, reviews).
    pub updates: u32,
    /// Arrival of the first trigger.
    pub first_at: Timestamp,
    /// Arrival of the latest event.
    pub last_at: Timestamp,
    /// The device's time of the first trigger, if it gave one.
    pub occurred_at: Option<Timestamp>,
    /// Whether a restoring event is needed before acknowledgement.
    pub needs_restore: bool,
    pub restored_at: Option<Timestamp>,
    /// End of the entry delay, if the trigger announced one.
    pub pending_until: Option<Timestamp>,
    /// When the sender said the happening ended.
    pub ended_at: Option<Timestamp>,
    pub camera: Option<CameraDetail>,
    pub snapshot: Option<String>,
    pub acknowledgement: Option<Acknowledgement>,
    pub closed_at: Option<Timestamp>,
    pub cancellation: Option<Cancellation>,
}

impl Alarm {
    /// Hides what places the alarm inside a key target — its devices, their identities, the
    /// camera's detail and snapshot — from a reader not cleared for the unit's details. What
    /// happened, when, how urgent and how it is handled stay: the police must still respond.
    pub fn withhold_details(&mut self) {
        self.devices.clear();
        self.identities.clear();
        self.camera = None;
        self.snapshot = None;
    }

    /// Whether a person may acknowledge it now.
    #[must_use]
    pub fn can_acknowledge(&self) -> bool {
        self.state == AlarmState::Open && (!self.needs_restore || self.restored_at.is_some())
    }

    /// When people should start being called: after the entry delay, if any.
    #[must_use]
    pub fn notify_from(&self) -> Timestamp {
        self.pending_until.unwrap_or(self.first_at)
    }

    /// Acknowledges with what was found and the plan as followed.
    ///
    /// # Errors
    /// [`AlarmError`] when it is not open, awaits restoration, has no name or a time before
    /// it was raised.
    pub fn acknowledge(
        &mut self,
        by: &str,
        at: Timestamp,
        disposition: Disposition,
        note: &str,
        sop: Option<SopCheck>,
    ) -> Result<(), AlarmError> {
        if self.state != AlarmState::Open {
            return Err(AlarmError::NotOpen { state: self.state });
        }
        if !self.can_acknowledge() {
            return Err(AlarmError::AwaitingRestore);
        }
        let by = crate::text::clean_line(by);
        if by.is_empty() {
            return Err(AlarmError::MissingName);
        }
        if at < self.first_at {
            return Err(AlarmError::BeforeRaised { first_at: self.first_at, at });
        }
        self.acknowledgement = Some(Acknowledgement { by, at, disposition, note: crate::text::nfc(note.trim()), sop });
        self.state = AlarmState::Acknowledged;
        Ok(())
    }

    /// Closes an acknowledged alarm.
    ///
    /// # Errors
    /// [`AlarmError::NotAcknowledged`] from open, [`AlarmError::NotOpen`] when already closed,
    /// [`AlarmError::BeforeRaised`] for a time before the acknowledgement.
    pub fn close(&mut self, at: Timestamp) -> Result<(), AlarmError> {
        match (&self.state, &self.acknowledgement) {
            (AlarmState::Closed, _) => Err(AlarmError::NotOpen { state: self.state }),
            (AlarmState::Open, _) | (_, None) => Err(AlarmError::NotAcknowledged),
            (AlarmState::Acknowledged, Some(ack)) if at < ack.at => {
                Err(AlarmError::BeforeRaised { first_at: ack.at, at })
            }
            (AlarmState::Acknowledged, Some(_)) => {
                self.state = AlarmState::Closed;
                self.closed_at = Some(at);
                Ok(())
            }
        }
    }

    /// Cancels an open alarm whose entry delay is still running at `at`.
    ///
    /// # Errors
    /// [`AlarmError::NotOpen`], or [`AlarmError::NotPending`] when no delay runs at `at`.
    pub fn cancel(&mut self, at: Timestamp, reason: &str) -> Result<(), AlarmError> {
        if self.state != AlarmState::Open {
            return Err(AlarmError::NotOpen { state: self.state });
        }
        if self.pending_until.is_none_or(|p| at > p) {
            return Err(AlarmError::NotPending);
        }
        self.cancellation = Some(Cancellation { at, reason: reason.to_owned() });
        self.state = AlarmState::Closed;
        self.closed_at = Some(at);
        Ok(())
    }

    /// The disposition, once acknowledged.
    #[must_use]
    pub fn disposition(&self) -> Option<Disposition> {
        self.acknowledgement.as_ref().map(|a| a.disposition)
    }
}

#[cfg(test)]
pub(crate) fn sample_alarm(kind: EventKind, at: &str) -> Alarm {
    let first_at: Timestamp = at.parse().expect("test timestamp");
    Alarm {
        id: AlarmId(Uuid::from_u128(7)),
        site_id: SiteId(Uuid::from_u128(1)),
        zone_id: ZoneId(Uuid::from_u128(2)),
        kind,
        priority: Priority::High,
        state: AlarmState::Open,
        devices: vec!["baove/door-1".into()],
        identities: Vec::new(),
        triggers: 1,
        updates: 0,
        first_at,
        last_at: first_at,
        occurred_at: None,
        needs_restore: false,
        restored_at: None,
        pending_until: None,
        ended_at: None,
        camera: None,
        snapshot: None,
        acknowledgement: None,
        closed_at: None,
        cancellation: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn an_alarm_is_acknowledged_then_closed() {
        let mut a = sample_alarm(EventKind::Intrusion, "2026-11-21T18:30:00Z");
        assert_eq!(a.close(at("2026-11-21T18:31:00Z")), Err(AlarmError::NotAcknowledged));
        a.acknowledge(" Lê  Văn Cường ", at("2026-11-21T18:32:00Z"), Disposition::Real, "Cửa sổ bị cạy", None).unwrap();
        assert_eq!(a.state, AlarmState::Acknowledged);
        assert_eq!(a.acknowledgement.as_ref().unwrap().by, "Lê Văn Cường");
        assert_eq!(a.disposition(), Some(Disposition::Real));
        assert_eq!(
            a.acknowledge("x", at("2026-11-21T18:33:00Z"), Disposition::Test, "", None),
            Err(AlarmError::NotOpen { state: AlarmState::Acknowledged })
        );
        assert!(matches!(a.close(at("2026-11-21T18:31:00Z")), Err(AlarmError::BeforeRaised { .. })));
        a.close(at("2026-11-21T19:00:00Z")).unwrap();
        assert_eq!(a.state, AlarmState::Closed);
        assert_eq!(a.close(at("2026-11-21T19:01:00Z")), Err(AlarmError::NotOpen { state: AlarmState::Closed }));
    }

    #[test]
    fn an_alarm_awaiting_restoration_cannot_be_acknowledged() {
        let mut a = sample_alarm(EventKind::DoorForced, "2026-11-21T18:30:00Z");
        a.needs_restore = true;
        assert!(!a.can_acknowledge());
        assert_eq!(
            a.acknowledge("An", at("2026-11-21T18:31:00Z"), Disposition::Real, "", None),
            Err(AlarmError::AwaitingRestore)
        );
        a.restored_at = Some(at("2026-11-21T18:35:00Z"));
        assert!(a.can_acknowledge());
    }

    #[test]
    fn acknowledgement_needs_a_name_and_a_plausible_time() {
        let mut a = sample_alarm(EventKind::Intrusion, "2026-11-21T18:30:00Z");
        assert_eq!(
            a.acknowledge("  ", at("2026-11-21T18:31:00Z"), Disposition::Real, "", None),
            Err(AlarmError::MissingName)
        );
        assert!(matches!(
            a.acknowledge("An", at("2026-11-21T18:29:00Z"), Disposition::Real, "", None),
            Err(AlarmError::BeforeRaised { .. })
        ));
    }

    #[test]
    fn a_skipped_required_step_flags_the_acknowledgement() {
        let mut a = sample_alarm(EventKind::Intrusion, "2026-11-21T18:30:00Z");
        let sop = super::super::sop::Sop::default_for(EventKind::Intrusion);
        let check = sop.check(&["xem-camera"]);
        a.acknowledge("An", at("2026-11-21T18:31:00Z"), Disposition::FalseAlarm, "Mèo", Some(check)).unwrap();
        assert!(a.acknowledgement.unwrap().flagged());
    }

    #[test]
    fn only_a_running_entry_delay_can_be_cancelled() {
        let mut a = sample_alarm(EventKind::Intrusion, "2026-11-21T18:30:00Z");
        assert_eq!(a.cancel(at("2026-11-21T18:30:10Z"), "disarmed"), Err(AlarmError::NotPending));
        a.pending_until = Some(a.first_at + SignedDuration::from_secs(30));
        assert_eq!(a.notify_from(), at("2026-11-21T18:30:30Z"));
        assert_eq!(a.cancel(at("2026-11-21T18:31:00Z"), "disarmed"), Err(AlarmError::NotPending));
        a.cancel(at("2026-11-21T18:30:20Z"), "disarmed").unwrap();
        assert_eq!(a.state, AlarmState::Closed);
        assert!(a.cancellation.is_some());
    }

    #[test]
    fn priorities_are_ordered_and_bounded() {
        assert!(Priority::Critical > Priority::High && Priority::Medium > Priority::Low);
        assert_eq!(Priority::Critical.raised(), Priority::Critical);
        assert_eq!(Priority::Low.lowered(), Priority::Low);
        assert_eq!(AlarmId::parse(&AlarmId(Uuid::from_u128(5)).to_string()), Ok(AlarmId(Uuid::from_u128(5))));
        assert!(AlarmId::parse("nope").is_err());
    }
}
