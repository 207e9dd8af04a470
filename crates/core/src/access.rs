//! Who may do what: roles, the principal behind a request, and the one place where
//! authorisation is decided.
//!
//! The store loads the facts about a target (which authority chain a unit sits under, whether
//! it is a key target, whether the caller holds a clearance for it) and asks [`decide`]; list
//! queries apply the same rules as SQL filters, and the store conformance suite checks that
//! both agree.

use serde::{Deserialize, Serialize};

use crate::registry::code_enum;
use crate::{AccountId, AuthorityId, UnitId};

code_enum!(
    /// A person's role. Unit roles belong to a unit, authority roles to an authority.
    Role {
        Guard = "guard",
        Gate = "gate",
        SecurityOfficer = "security_officer",
        UnitHead = "unit_head",
        Staff = "staff",
        AreaOfficer = "area_officer",
        DutyDesk = "duty_desk",
        AuthorityAdmin = "authority_admin",
        SystemAdmin = "system_admin",
    }
);

/// Which kind of organisation a role belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKind {
    Unit,
    Authority,
    System,
}

impl Role {
    #[must_use]
    pub fn org_kind(self) -> OrgKind {
        match self {
            Self::Guard | Self::Gate | Self::SecurityOfficer | Self::UnitHead | Self::Staff => OrgKind::Unit,
            Self::AreaOfficer | Self::DutyDesk | Self::AuthorityAdmin => OrgKind::Authority,
            Self::SystemAdmin => OrgKind::System,
        }
    }

    /// Whether this role changes a unit's sites, zones, checkpoints, devices and guards (within
    /// its scope and clearance, which [`decide`] also checks). Pages use it to offer the forms.
    #[must_use]
    pub fn edits_details(self) -> bool {
        matches!(self, Self::SecurityOfficer | Self::UnitHead | Self::SystemAdmin)
    }

    /// Whether this role registers units, places them under an authority and flags key targets.
    #[must_use]
    pub fn places_units(self) -> bool {
        matches!(self, Self::AreaOfficer | Self::AuthorityAdmin | Self::SystemAdmin)
    }

    /// Whether this role changes a unit's profile (its own head, or the police who place it).
    #[must_use]
    pub fn edits_units(self) -> bool {
        self == Self::UnitHead || self.places_units()
    }

    /// Whether this role answers alerts: the unit's security officer and head, the police on
    /// duty or in charge of the area, and administrators.
    #[must_use]
    pub fn acks_alerts(self) -> bool {
        matches!(
            self,
            Self::SecurityOfficer
                | Self::UnitHead
                | Self::DutyDesk
                | Self::AreaOfficer
                | Self::AuthorityAdmin
                | Self::SystemAdmin
        )
    }

    /// Unit roles cleared for their own unit's plans, forces and means when it is a key target.
    fn cleared_in_own_unit(self) -> bool {
        matches!(self, Self::Guard | Self::SecurityOfficer | Self::UnitHead)
    }
}

/// The organisation a principal acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Org {
    Unit(UnitId),
    Authority(AuthorityId),
    System,
}

/// The authenticated caller of a request: the only source of a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub account_id: AccountId,
    pub role: Role,
    pub org: Org,
    pub display_name: String,
}

impl Principal {
    /// The installation itself (see [`Principal::is_installation`]), named for the audit log.
    #[must_use]
    pub fn installation(display_name: &str) -> Self {
        Self {
            account_id: AccountId(uuid::Uuid::nil()),
            role: Role::SystemAdmin,
            org: Org::System,
            display_name: display_name.to_owned(),
        }
    }

    /// The installation acting on its own (the command line, the demo seed, the server's
    /// timers): a system administrator with the nil account id. It is trusted with every
    /// detail, as whoever runs it has the database anyway; people never carry the nil id.
    #[must_use]
    pub fn is_installation(&self) -> bool {
        self.role == Role::SystemAdmin && self.org == Org::System && self.account_id.0.is_nil()
    }
}

/// Something a principal may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a unit's name, type and address.
    ViewUnit,
    /// Register a unit or change its profile.
    EditUnit,
    /// Set the key-target flag or move a unit to another authority.
    PlaceUnit,
    /// See sites, zones, checkpoints, devices and guards.
    ViewDetails,
    /// Change sites, zones, checkpoints, devices and guards.
    EditDetails,
    /// See incidents.
    ViewIncidents,
    /// See an authority.
    ViewAuthority,
    /// Create or change an authority under this one.
    EditAuthority,
    /// Create or change accounts of this organisation.
    ManageAccounts,
    /// Grant a clearance for a key target.
    GrantClearance,
    /// Read the whole audit chain.
    ViewAudit,
    /// Acknowledge an alert of this unit.
    AckAlert,
    /// Check visitors in and out at a unit's gate and read its visitor logbook (R7).
    VisitorGate,
    /// A unit's visitor settings, its own watchlist and deletion requests; on an authority, the
    /// police watchlist of its area.
    VisitorAdmin,
    /// Report an incident or a suspicious person or vehicle at a unit (R11): anyone of the
    /// unit, and the police of its area.
    ReportIncident,
    /// Work an incident as the police do: receive, verify, mark handled, close (R11).
    HandleIncident,
    /// The webhooks and e-mail addresses a unit or an authority sends its events to.
    ManageNotifications,
}

/// The facts about a target that decide access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A unit: its authority and that authority's ancestors (nearest first), whether it is a
    /// key target, and whether the principal holds an explicit clearance for it.
    Unit { id: UnitId, authority_chain: Vec<AuthorityId>, key_target: bool, cleared: bool },
    /// An authority and its ancestors (itself first).
    Authority { chain: Vec<AuthorityId> },
    /// The whole installation.
    System,
}

/// Why access was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Outside the principal's scope: behaves as "not found" so existence is not leaked.
    #[error("outside your scope")]
    OutOfScope,
    /// In scope, but the role may not do this.
    #[error("your role may not do this")]
    Forbidden,
    /// A key target's details, and the principal is not cleared for them.
    #[error("not cleared for this key target")]
    NotCleared,
}

fn in_scope(p: &Principal, target: &Target) -> bool {
    match (p.org, target) {
        (Org::System, _) => true,
        (Org::Unit(mine), Target::Unit { id, .. }) => mine == *id,
        (Org::Authority(mine), Target::Unit { authority_chain, .. } | Target::Authority { chain: authority_chain }) => {
            authority_chain.contains(&mine)
        }
        _ => false,
    }
}

/// Whether the principal is cleared for a key target's details.
fn cleared(p: &Principal, target: &Target) -> bool {
    if p.is_installation() {
        return true;
    }
    match target {
        Target::Unit { key_target: false, .. } => true,
        Target::Unit { cleared, .. } if *cleared => true,
        Target::Unit { id, .. } => matches!(p.org, Org::Unit(u) if u == *id) && p.role.cleared_in_own_unit(),
        _ => true,
    }
}

/// Whether `p` may see the details of `unit` (zones, devices, guards), given whether it is a
/// key target and whether `p` holds an explicit clearance for it; scope is checked elsewhere
/// (a list already filtered to the reader's scope uses this per row).
#[must_use]
pub fn sees_details(p: &Principal, unit: UnitId, key_target: bool, has_clearance: bool) -> bool {
    cleared(p, &Target::Unit { id: unit, authority_chain: vec![], key_target, cleared: has_clearance })
}

/// The one authorisation decision of baove.
///
/// # Errors
/// [`Denied`] with the reason.
pub fn decide(p: &Principal, action: Action, target: &Target) -> Result<(), Denied> {
    use Action::*;
    use Role::*;
    if action == ViewAudit {
        return if p.role == SystemAdmin { Ok(()) } else { Err(Denied::Forbidden) };
    }
    if !in_scope(p, target) {
        return Err(Denied::OutOfScope);
    }
    let role_may = match (action, target) {
        (ViewUnit | ViewAuthority, _) => true,
        (ViewDetails, Target::Unit { .. }) => true,
        (ViewIncidents, Target::Unit { .. }) => !matches!(p.role, Guard | Gate | Staff),
        (EditDetails, Target::Unit { .. }) => matches!(p.role, SecurityOfficer | UnitHead | SystemAdmin),
        (EditUnit, Target::Unit { .. }) => matches!(p.role, UnitHead | AreaOfficer | AuthorityAdmin | SystemAdmin),
        (EditUnit | PlaceUnit, Target::Authority { .. }) => {
            matches!(p.role, AreaOfficer | AuthorityAdmin | SystemAdmin)
        }
        (PlaceUnit, Target::Unit { .. }) => matches!(p.role, AreaOfficer | AuthorityAdmin | SystemAdmin),
        (EditAuthority, Target::Authority { .. } | Target::System) => matches!(p.role, AuthorityAdmin | SystemAdmin),
        (ManageAccounts, Target::Unit { .. }) => matches!(p.role, UnitHead | AuthorityAdmin | SystemAdmin),
        (ManageAccounts, Target::Authority { .. } | Target::System) => matches!(p.role, AuthorityAdmin | SystemAdmin),
        (GrantClearance, Target::Unit { .. }) => matches!(p.role, AuthorityAdmin | SystemAdmin),
        (AckAlert, Target::Unit { .. }) => p.role.acks_alerts(),
        (VisitorGate, Target::Unit { .. }) => {
            matches!(p.role, Guard | Gate | SecurityOfficer | UnitHead | SystemAdmin)
        }
        (VisitorAdmin, Target::Unit { .. }) => matches!(p.role, SecurityOfficer | UnitHead | SystemAdmin),
        (VisitorAdmin, Target::Authority { .. } | Target::System) => {
            matches!(p.role, AreaOfficer | DutyDesk | AuthorityAdmin | SystemAdmin)
        }
        (ReportIncident, Target::Unit { .. }) => p.role != AuthorityAdmin,
        (ManageNotifications, Target::Unit { .. }) => matches!(p.role, SecurityOfficer | UnitHead | SystemAdmin),
        (ManageNotifications, Target::Authority { .. }) => {
            matches!(p.role, AreaOfficer | DutyDesk | AuthorityAdmin | SystemAdmin)
        }
        (HandleIncident, Target::Unit { .. }) => {
            matches!(p.role, AreaOfficer | DutyDesk | AuthorityAdmin | SystemAdmin)
        }
        _ => false,
    };
    if !role_may {
        return Err(Denied::Forbidden);
    }
    if matches!(action, ViewDetails | EditDetails) && !cleared(p, target) {
        return Err(Denied::NotCleared);
    }
    Ok(())
}

/// Whether `p` may give an account the role `role`. A unit head hands out unit roles only; an
/// authority admin hands out authority and unit roles; only a system admin makes system admins.
#[must_use]
pub fn may_assign(p: &Principal, role: Role) -> bool {
    match p.role {
        Role::SystemAdmin => true,
        Role::AuthorityAdmin => role != Role::SystemAdmin,
        Role::UnitHead => role.org_kind() == OrgKind::Unit,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, org: Org) -> Principal {
        Principal { account_id: AccountId::mint(), role, org, display_name: String::new() }
    }

    fn unit(id: UnitId, chain: &[AuthorityId], key_target: bool, cleared: bool) -> Target {
        Target::Unit { id, authority_chain: chain.to_vec(), key_target, cleared }
    }

    #[test]
    fn a_guard_sees_only_their_own_unit() {
        let (mine, other, ward) = (UnitId::mint(), UnitId::mint(), AuthorityId::mint());
        let guard = principal(Role::Guard, Org::Unit(mine));
        assert_eq!(decide(&guard, Action::ViewDetails, &unit(mine, &[ward], false, false)), Ok(()));
        assert_eq!(decide(&guard, Action::ViewUnit, &unit(other, &[ward], false, false)), Err(Denied::OutOfScope));
        assert_eq!(decide(&guard, Action::EditDetails, &unit(mine, &[ward], false, false)), Err(Denied::Forbidden));
    }

    #[test]
    fn ward_police_see_units_under_them_and_province_police_see_the_whole_province() {
        let (province, ward, other_ward) = (AuthorityId::mint(), AuthorityId::mint(), AuthorityId::mint());
        let school = unit(UnitId::mint(), &[ward, province], false, false);
        let officer = principal(Role::AreaOfficer, Org::Authority(ward));
        let stranger = principal(Role::AreaOfficer, Org::Authority(other_ward));
        let desk = principal(Role::DutyDesk, Org::Authority(province));
        assert_eq!(decide(&officer, Action::ViewDetails, &school), Ok(()));
        assert_eq!(decide(&desk, Action::ViewIncidents, &school), Ok(()));
        assert_eq!(decide(&stranger, Action::ViewUnit, &school), Err(Denied::OutOfScope));
        assert_eq!(decide(&officer, Action::EditDetails, &school), Err(Denied::Forbidden));
    }

    #[test]
    fn a_key_targets_details_need_a_clearance() {
        let (ward, bank) = (AuthorityId::mint(), UnitId::mint());
        let officer = principal(Role::AreaOfficer, Org::Authority(ward));
        assert_eq!(decide(&officer, Action::ViewUnit, &unit(bank, &[ward], true, false)), Ok(()));
        assert_eq!(decide(&officer, Action::ViewDetails, &unit(bank, &[ward], true, false)), Err(Denied::NotCleared));
        assert_eq!(decide(&officer, Action::ViewDetails, &unit(bank, &[ward], true, true)), Ok(()));
        let staff = principal(Role::Staff, Org::Unit(bank));
        assert_eq!(decide(&staff, Action::ViewDetails, &unit(bank, &[ward], true, false)), Err(Denied::NotCleared));
        let head = principal(Role::UnitHead, Org::Unit(bank));
        assert_eq!(decide(&head, Action::EditDetails, &unit(bank, &[ward], true, false)), Ok(()));
        let admin = principal(Role::SystemAdmin, Org::System);
        assert_eq!(decide(&admin, Action::ViewDetails, &unit(bank, &[ward], true, false)), Err(Denied::NotCleared));
    }

    #[test]
    fn the_unit_reports_incidents_and_only_the_police_work_them() {
        let (ward, school, other) = (AuthorityId::mint(), UnitId::mint(), UnitId::mint());
        let target = unit(school, &[ward], false, false);
        for role in [Role::Guard, Role::Gate, Role::Staff, Role::SecurityOfficer, Role::UnitHead] {
            let p = principal(role, Org::Unit(school));
            assert_eq!(decide(&p, Action::ReportIncident, &target), Ok(()), "{role:?}");
            assert_eq!(decide(&p, Action::HandleIncident, &target), Err(Denied::Forbidden), "{role:?}");
            let elsewhere = unit(other, &[ward], false, false);
            assert_eq!(decide(&p, Action::ReportIncident, &elsewhere), Err(Denied::OutOfScope));
        }
        for role in [Role::AreaOfficer, Role::DutyDesk] {
            let p = principal(role, Org::Authority(ward));
            assert_eq!(decide(&p, Action::HandleIncident, &target), Ok(()), "{role:?}");
            assert_eq!(decide(&p, Action::ReportIncident, &target), Ok(()), "{role:?}");
        }
        let stranger = principal(Role::DutyDesk, Org::Authority(AuthorityId::mint()));
        assert_eq!(decide(&stranger, Action::HandleIncident, &target), Err(Denied::OutOfScope));
    }

    #[test]
    fn only_the_police_place_a_unit_or_flag_it_as_a_key_target() {
        let (ward, school) = (AuthorityId::mint(), UnitId::mint());
        let head = principal(Role::UnitHead, Org::Unit(school));
        assert_eq!(decide(&head, Action::EditUnit, &unit(school, &[ward], false, false)), Ok(()));
        assert_eq!(decide(&head, Action::PlaceUnit, &unit(school, &[ward], false, false)), Err(Denied::Forbidden));
        let officer = principal(Role::AreaOfficer, Org::Authority(ward));
        assert_eq!(decide(&officer, Action::PlaceUnit, &unit(school, &[ward], false, false)), Ok(()));
    }

    #[test]
    fn a_unit_head_cannot_create_police_or_admin_accounts() {
        let head = principal(Role::UnitHead, Org::Unit(UnitId::mint()));
        assert!(may_assign(&head, Role::Guard));
        assert!(!may_assign(&head, Role::DutyDesk));
        assert!(!may_assign(&principal(Role::AuthorityAdmin, Org::Authority(AuthorityId::mint())), Role::SystemAdmin));
    }

    #[test]
    fn only_a_system_admin_reads_the_audit_chain() {
        let desk = principal(Role::DutyDesk, Org::Authority(AuthorityId::mint()));
        assert_eq!(decide(&desk, Action::ViewAudit, &Target::System), Err(Denied::Forbidden));
        assert_eq!(decide(&principal(Role::SystemAdmin, Org::System), Action::ViewAudit, &Target::System), Ok(()));
    }
}
