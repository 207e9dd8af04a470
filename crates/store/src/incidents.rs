//! The [`IncidentStore`] trait: incidents as they are reported (with photos, idempotent by the
//! client's id) and worked by the police (moves and notes), the change stream live consoles
//! replay, and the open incident alarms at one place fold into.

use async_trait::async_trait;
use baove_core::access::Principal;
use baove_core::alarm::incident::Move;
use baove_core::alarm::lifecycle::AlarmId;
use baove_core::incident::{Cause, Incident, IncidentStatus};
use baove_core::{IncidentId, SiteId, ZoneId};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::store::{Actor, UnitBrief};

/// A photo the reporter took, already checked by the server (an image, bounded in size).
#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub id: Uuid,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// One step of an incident's handling: a move of the workflow (`change`), or a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub at: Timestamp,
    pub by: String,
    pub change: Option<(IncidentStatus, IncidentStatus)>,
    pub note: String,
}

/// An incident with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentCase {
    pub incident: Incident,
    pub unit: UnitBrief,
    /// Its place in the change stream (rises with every change).
    pub seq: i64,
    /// Oldest first.
    pub steps: Vec<Step>,
    pub photos: Vec<Uuid>,
    pub alarms: Vec<AlarmId>,
}

/// An incident as the live feed sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentChange {
    pub seq: i64,
    pub incident: Incident,
    pub unit: UnitBrief,
}

#[async_trait]
pub trait IncidentStore: Send + Sync {
    /// Records a report and its photos. Idempotent by the incident's id: a resend returns the
    /// stored case and `false`; the same id at another unit is not found.
    async fn report_incident(
        &self,
        actor: &Actor,
        incident: &Incident,
        photos: &[NewPhoto],
    ) -> Result<(IncidentCase, bool)>;
    /// The case, for the police of its area, the unit's officers, and whoever reported it.
    async fn incident_case(&self, p: &Principal, id: IncidentId) -> Result<IncidentCase>;
    /// A photo's content type and bytes.
    async fn incident_photo(&self, p: &Principal, incident: IncidentId, photo: Uuid) -> Result<(String, Vec<u8>)>;
    /// A move of the police workflow; closing records the gaps in protection found.
    async fn move_incident(&self, actor: &Actor, id: IncidentId, mv: &Move, causes: &[Cause]) -> Result<IncidentCase>;
    /// A note, by the police or by the unit (more facts, what was found missing).
    async fn note_incident(&self, actor: &Actor, id: IncidentId, note: &str) -> Result<IncidentCase>;
    /// Incidents changed after `after_seq` in the reader's scope, oldest change first.
    async fn incidents_after(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<IncidentChange>>;
    /// The newest change number in the reader's scope (0: none), where a live feed starts.
    async fn latest_incident_seq(&self, p: &Principal) -> Result<i64>;
    /// The newest open incident at this place reported since `since`, which a new alarm there
    /// folds into.
    async fn open_incident_at(
        &self,
        p: &Principal,
        site: SiteId,
        zone: ZoneId,
        since: Timestamp,
    ) -> Result<Option<IncidentId>>;
}
