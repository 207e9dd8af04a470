//! The [`GateStore`] trait: foreigners at the unit (R8). The register of foreign workers with
//! their documents, the temporary-residence declarations a lodging unit owes for a foreign
//! visitor staying overnight, and visits reported to the police.

use async_trait::async_trait;
use baove_core::visitor::foreigner::{TaskStatus, task_status};
use baove_core::visitor::visit::DocKind;
use baove_core::visitor::{CheckIn, ForeignWorker, ForeignWorkerId, Nationality, Visit, VisitId};
use baove_core::{AccountId, AuthorityId, UnitId};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::store::Actor;

/// A temporary-residence declaration owed for a foreign visitor's overnight stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StayTask {
    pub visit_id: VisitId,
    pub unit_id: UnitId,
    pub name: String,
    pub nationality: Nationality,
    /// The passport (or other document) number of the visit.
    pub doc_number: String,
    pub arrived_at: Timestamp,
    pub due_at: Timestamp,
    /// From the passport's MRZ, when it was scanned.
    pub birth_date: Option<jiff::civil::Date>,
    pub gender: Option<baove_core::visitor::Gender>,
    pub declared_at: Option<Timestamp>,
}

impl StayTask {
    /// Open, overdue or done at `now`.
    #[must_use]
    pub fn status(&self, now: Timestamp) -> TaskStatus {
        task_status(self.due_at, self.declared_at, now)
    }
}

/// A report of a visit to the police; the id is minted by the client, so a resent form
/// changes nothing.
#[derive(Debug, Clone)]
pub struct NewPoliceReport {
    pub id: Uuid,
    pub visit_id: VisitId,
    pub reason: String,
}

/// A visit reported to the police, with the visit attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoliceReport {
    pub id: Uuid,
    pub unit_id: UnitId,
    pub unit_name: String,
    /// The police body it was sent to: the unit's own authority.
    pub authority_id: AuthorityId,
    pub visit: Visit,
    pub reason: String,
    pub reported_at: Timestamp,
    pub reporter_name: String,
}

/// A recorded report; `replayed` when the same id was recorded before.
#[derive(Debug, Clone)]
pub struct Reported {
    pub report: PoliceReport,
    pub replayed: bool,
}

/// A host's invitation to record; the ids (its own and each guest's visit) are minted by the
/// client, so a resent form changes nothing.
#[derive(Debug, Clone)]
pub struct NewInvite {
    pub id: Uuid,
    pub unit_id: UnitId,
    /// The secret the invitation's QR carries.
    pub token: String,
    pub purpose: String,
    pub expected_at: Timestamp,
    pub guests: Vec<(VisitId, CheckIn)>,
}

/// One visitor of an invitation, and when they arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InviteGuest {
    pub visit_id: VisitId,
    pub name: String,
    pub doc_kind: DocKind,
    pub doc_number: String,
    pub nationality: Nationality,
    pub arrived_at: Option<Timestamp>,
}

/// A stored invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub id: Uuid,
    pub unit_id: UnitId,
    pub host_id: AccountId,
    pub host_name: String,
    pub token: String,
    pub purpose: String,
    pub expected_at: Timestamp,
    pub guests: Vec<InviteGuest>,
}

/// Foreigners at the unit and reports to the police. Document numbers are sealed like those
/// of the logbook; reads of the register and of reports are audited.
#[async_trait]
pub trait GateStore: Send + Sync {
    /// The unit's register of foreign workers, by name.
    async fn foreign_workers(&self, actor: &Actor, unit: UnitId) -> Result<Vec<ForeignWorker>>;
    /// Adds a foreign worker, or replaces the entry of the same id (idempotent).
    async fn save_foreign_worker(&self, actor: &Actor, worker: &ForeignWorker) -> Result<ForeignWorker>;
    async fn remove_foreign_worker(&self, actor: &Actor, id: ForeignWorkerId) -> Result<()>;
    /// The unit's declarations still owed, and those declared in the last day, by due time.
    async fn stay_tasks(&self, actor: &Actor, unit: UnitId) -> Result<Vec<StayTask>>;
    /// Marks a stay declared (the first declaration counts).
    async fn mark_declared(&self, actor: &Actor, visit: VisitId) -> Result<StayTask>;
    /// Reports a visit of the actor's unit to that unit's police (idempotent by its id).
    async fn report_to_police(&self, actor: &Actor, report: &NewPoliceReport) -> Result<Reported>;
    /// Reports in scope, newest first: a police body sees those of the units under it, a unit
    /// its own.
    async fn police_reports(&self, actor: &Actor, limit: u32) -> Result<Vec<PoliceReport>>;

    // ---- hosts' invitations ----
    /// Records an invitation of the actor (anyone of the unit) as host (idempotent by its id).
    async fn create_invite(&self, actor: &Actor, invite: &NewInvite) -> Result<Invitation>;
    /// An invitation, for its host or the unit's gate.
    async fn invite(&self, actor: &Actor, id: Uuid) -> Result<Invitation>;
    /// The invitation a scanned QR names, for the unit's gate.
    async fn invite_by_token(&self, actor: &Actor, token: &str) -> Result<Invitation>;
    /// The actor's own invitations expected from yesterday on, soonest first, with arrivals.
    async fn my_invites(&self, actor: &Actor) -> Result<Vec<Invitation>>;
}
