//! Alerts: what reaches the people on duty when a patrol goes wrong or a guard calls for help.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::escalation::Tier;
use crate::registry::code_enum;
use crate::{AlertId, RoundId, SiteId, UnitId};

code_enum!(
    /// Why an alert was raised.
    AlertKind {
        CheckpointLate = "checkpoint_late",
        CheckpointMissed = "checkpoint_missed",
        Panic = "panic",
        PoliceReport = "police_report",
        TagReplayed = "tag_replayed",
        WatchlistHit = "watchlist_hit",
    }
);

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: AlertId,
    /// Position in the alert stream (the SSE event id; a reconnecting console replays after it).
    pub seq: i64,
    /// What makes it unique: raising the same condition twice is a no-op.
    pub key: String,
    pub unit_id: UnitId,
    pub site_id: Option<SiteId>,
    pub round_id: Option<RoundId>,
    pub kind: AlertKind,
    pub message: String,
    pub raised_at: Timestamp,
    /// How far it has escalated.
    pub tier: Tier,
    pub acked_at: Option<Timestamp>,
    pub acked_name: String,
}
