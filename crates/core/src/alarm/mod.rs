//! Alarms from devices (R9–R10): the normalised event envelope, the device formats, arming and
//! the alarm rules.
//!
//! The flow, all pure: a message is parsed by [`formats::Router`] into [`DeviceEvent`]s; the
//! [`mapping::MappingTable`] places each at a site and zone (or reports the device unknown);
//! [`arming::is_armed`] says whether the zone is armed; [`rules::AlarmBook::handle`] raises,
//! folds or ignores; [`escalation::EscalationPolicy`] says who to call; a person acknowledges
//! with the zone's [`sop::Sop`]; real alarms at one place are folded and promoted into an
//! incident report ([`incident`], [`report`]).

pub mod arming;
pub mod envelope;
pub mod escalation;
pub mod formats;
pub mod incident;
pub mod lifecycle;
pub mod mapping;
pub mod report;
pub mod rules;
pub mod sop;

pub use envelope::{DeviceEvent, EventKind, Phase, Severity, Source};
pub use lifecycle::{Alarm, AlarmId, AlarmState, Disposition, Priority};
