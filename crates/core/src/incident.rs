//! Incidents at units (R11–R12): what happened, where, when, and how the offenders worked
//! (the modus-operandi descriptors of seed 001). Reporting and the police workflow build on
//! these types; the registry's demo data and the police statistics already use them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::registry::{UnitKind, code_enum};
use crate::{IncidentId, SiteId, UnitId, ZoneId};

code_enum!(
    /// What kind of incident.
    IncidentKind {
        Theft = "theft",
        BreakIn = "break_in",
        Fire = "fire",
        Disorder = "disorder",
        Leaflets = "leaflets",
        MassGathering = "mass_gathering",
        Suspicious = "suspicious",
        Other = "other",
    }
);

code_enum!(
    /// How offenders hid themselves and their tools (seed 001).
    Modus {
        Helmet = "helmet",
        Mask = "mask",
        Gloves = "gloves",
        Unplated = "unplated",
        CoveredPlate = "covered_plate",
        FakePlate = "fake_plate",
        ToolsInBag = "tools_in_bag",
    }
);

code_enum!(
    /// The gap in protection that let an incident happen ("sơ hở" of seeds 000 and 001), as
    /// the police record it when they close the incident and synthesise them (R12).
    Cause {
        ThinGuard = "thin_guard",
        PatrolNotClosed = "patrol_not_closed",
        NoAlarmOrCamera = "no_alarm_or_camera",
        LowFence = "low_fence",
        WeakDoorsOrLocks = "weak_doors_or_locks",
        ValuablesOvernight = "valuables_overnight",
        VisitorsUnchecked = "visitors_unchecked",
        Other = "other",
    }
);

code_enum!(
    /// How an incident ended.
    Outcome {
        Resolved = "resolved",
        Unfounded = "unfounded",
        Transferred = "transferred",
        Other = "other",
    }
);

code_enum!(
    /// Where the police are with an incident.
    IncidentStatus {
        Reported = "reported",
        Received = "received",
        Verifying = "verifying",
        Handled = "handled",
        Closed = "closed",
    }
);

/// An incident at a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: IncidentId,
    pub unit_id: UnitId,
    pub site_id: Option<SiteId>,
    pub kind: IncidentKind,
    pub status: IncidentStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub occurred_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reported_at: Timestamp,
    pub summary: String,
    pub losses: String,
    pub modus: Vec<Modus>,
    /// The zone of the site, when known.
    pub zone_id: Option<ZoneId>,
    /// The suspicious person and vehicle as the reporter saw them.
    pub suspect_person: String,
    pub suspect_vehicle: String,
    /// Upper-case letters and digits (see `alarm::report::normalise_plate`).
    pub plate: Option<String>,
    /// Who reported it (their name and role when they did).
    pub reporter: String,
    /// How it ended, once closed.
    pub outcome: Option<Outcome>,
    /// The gaps in protection the police found (R12), in [`Cause::ALL`] order.
    pub causes: Vec<Cause>,
}

impl Incident {
    /// A freshly reported incident of `unit` from a validated report.
    #[must_use]
    pub fn reported(
        id: IncidentId,
        unit_id: UnitId,
        r: &crate::alarm::report::IncidentReport,
        reporter: &str,
        now: Timestamp,
    ) -> Self {
        Self {
            id,
            unit_id,
            site_id: Some(r.place.site_id),
            kind: r.kind,
            status: IncidentStatus::Reported,
            occurred_at: r.occurred_at,
            reported_at: now,
            summary: r.summary.clone(),
            losses: r.losses.clone(),
            modus: r.modus.clone(),
            zone_id: r.place.zone_id,
            suspect_person: r.suspect_person.clone(),
            suspect_vehicle: r.suspect_vehicle.clone(),
            plate: r.plate.clone(),
            reporter: reporter.to_owned(),
            outcome: None,
            causes: Vec::new(),
        }
    }

    /// Whether the police are still working on it.
    #[must_use]
    pub fn is_open(&self) -> bool {
        !matches!(self.status, IncidentStatus::Handled | IncidentStatus::Closed)
    }
}

/// Counts of incidents by the type of premises, in [`UnitKind::ALL`] order, as the police
/// report them ("14 vụ: 09 trường học, 04 CQDN, 01 bệnh viện").
#[must_use]
pub fn tally_by_unit_kind(kinds: impl IntoIterator<Item = UnitKind>) -> Vec<(UnitKind, u32)> {
    let mut counts: Vec<(UnitKind, u32)> = UnitKind::ALL.iter().map(|k| (*k, 0)).collect();
    for kind in kinds {
        if let Some(slot) = counts.iter_mut().find(|(k, _)| *k == kind) {
            slot.1 += 1;
        }
    }
    counts
}

/// Counts by type of premises in [`UnitKind::ALL`] order, from counts the database made.
#[must_use]
pub fn tally_from_counts(counts: &[(UnitKind, i64)]) -> Vec<(UnitKind, u32)> {
    UnitKind::ALL
        .iter()
        .map(|k| (*k, counts.iter().filter(|(c, _)| c == k).map(|(_, n)| u32::try_from(*n).unwrap_or(u32::MAX)).sum()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_are_tallied_by_type_of_premises() {
        let kinds = [UnitKind::School, UnitKind::School, UnitKind::Hospital, UnitKind::Agency];
        let t = tally_by_unit_kind(kinds);
        assert_eq!(t.iter().find(|(k, _)| *k == UnitKind::School).unwrap().1, 2);
        assert_eq!(t.iter().find(|(k, _)| *k == UnitKind::Bank).unwrap().1, 0);
        assert_eq!(t.iter().map(|(_, n)| n).sum::<u32>(), 4);
    }
}
