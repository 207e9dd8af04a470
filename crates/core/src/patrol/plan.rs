//! A night's patrol plan of a site, as stored: which night, how it was drawn (seed, guards,
//! slots, weather), whether the security officer locked it, and the solver's answer as JSON
//! (coverage per zone and slot, holes, the drawn routes) for the plan page.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{PlanId, SiteId, UnitId};

/// A drawn plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    /// The evening the night starts on (Vietnam date).
    pub night: Date,
    pub seed: i64,
    pub locked: bool,
    pub rain: bool,
    pub cold: bool,
    pub guards: i64,
    pub slot_minutes: i64,
    /// When slot 0 begins.
    pub starts_at: Timestamp,
    /// The solver's JSON answer and the explanation of the top targets.
    pub solution: String,
}
