//! The conformance suite every backend must pass, tenant isolation included. A backend's test
//! file calls [`conformance_tests!`] with an async function that opens a fresh, empty store.

use baove_core::access::{Denied, Org, Principal, Role};
use baove_core::account::AccountInput;
use baove_core::audit;
use baove_core::incident::{Cause, Incident, IncidentKind, IncidentStatus, Modus, Outcome};
use baove_core::registry::*;

use baove_core::validate::Problem;
use baove_core::{AccountId, AuthorityId, IncidentId, UnitId};
use jiff::Timestamp;

use crate::store::{Actor, NewAlert, ScanOutcome, Session, Store, UnitFilter};
use crate::{StoreError, Tamper};
use baove_core::patrol::alert::AlertKind;
use baove_core::patrol::escalation::Tier;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::patrol::scan::{Evidence, Scan};
use baove_core::{RoundId, ScanId, SiteId};

#[path = "conformance_alarms.rs"]
mod alarms;
pub use alarms::*;
#[path = "conformance_incidents.rs"]
mod incidents;
pub use incidents::*;
#[path = "conformance_gate.rs"]
mod gate;
pub use gate::*;

/// Generates one `#[tokio::test]` per conformance check, each on a fresh store from `$open`,
/// an async function returning `Option<store>` (`None`: this backend is not configured here).
#[macro_export]
macro_rules! conformance_tests {
    ($open:path) => {
        $crate::conformance_tests!(@each $open,
            authorities_follow_the_two_level_tree,
            units_are_found_without_accents,
            a_unit_sees_only_itself,
            police_see_their_jurisdiction_only,
            a_key_target_needs_a_clearance,
            writes_outside_scope_change_nothing,
            checkpoint_codes_are_unique_per_site,
            devices_stay_on_their_site,
            guards_keep_certificates_and_tools,
            accounts_sessions_and_tokens,
            role_assignment_is_bounded,
            incidents_are_scoped_and_tallied,
            incident_facts_are_scoped,
            every_change_is_in_a_valid_audit_chain,
            a_tampered_audit_row_is_detected,
            creates_are_idempotent_under_retry,
            sun_counters_only_rise_and_scans_are_idempotent,
            rounds_stay_on_their_site_and_key_target_rounds_need_a_clearance,
            alerts_are_raised_once_and_acknowledged_by_those_on_duty,
            a_qr_secret_resolves_only_within_scope,
            need_to_know_cannot_be_bypassed,
            the_duty_roster_is_shown_to_the_ward_police,
            escalation_times_walkways_and_templates_belong_to_their_unit,
            the_previous_scan_is_the_same_phones,
            // visitors at the gate
            visits_belong_to_their_unit,
            a_police_watchlist_holds_the_check_in,
            retention_purges_personal_fields_and_keeps_counts,
            id_numbers_are_sealed_at_rest,
            foreign_workers_are_registered_sealed_and_scoped,
            an_overnight_foreign_visitor_owes_a_declaration_within_twelve_hours,
            a_visit_reported_to_the_police_reaches_its_ward_only,
            an_invitation_is_its_hosts_and_the_gate_checks_its_guests_in,
            a_visitor_who_leaves_with_the_card_is_on_the_closing_list,
            device_events_are_recorded_once,
            alarms_are_seen_only_in_scope,
            alarms_are_acknowledged_by_those_on_duty_once_restored,
            arming_schedules_follow_the_units_own_days,
            a_key_targets_alarm_reaches_the_police_without_its_details,
            incidents_are_reported_once_and_worked_by_the_police,
        );
    };
    (@each $open:path, $($name:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            let Some(store) = $open().await else { return };
            $crate::conformance::$name(&store).await;
        }
    )*};
}

/// A fixed instant for the suite: 21/11/2026 09:00 in Vietnam.
pub fn now() -> Timestamp {
    "2026-11-21T02:00:00Z".parse().expect("fixed instant")
}

/// The installation itself, as the CLI acts when bootstrapping.
pub fn system() -> Actor {
    Actor { principal: Principal::installation("hệ thống"), at: now() }
}

pub(crate) fn as_actor(p: &Principal) -> Actor {
    Actor { principal: p.clone(), at: now() }
}

pub(crate) fn principal(role: Role, org: Org) -> Principal {
    Principal { account_id: AccountId::mint(), role, org, display_name: format!("{role}") }
}

/// A small province: one provincial police with a steering committee and two ward police; a
/// school and a bank (key target) in ward A, a hospital in ward B.
pub struct World {
    pub province: Authority,
    pub committee: Authority,
    pub ward_a: Authority,
    pub ward_b: Authority,
    pub school: Unit,
    pub bank: Unit,
    pub hospital: Unit,
    pub school_site: Site,
    pub bank_site: Site,
    pub vault: Zone,
}

async fn authority(
    s: &dyn Store,
    kind: AuthorityKind,
    name: &str,
    parent: Option<AuthorityId>,
    ward: &str,
) -> Authority {
    let input = AuthorityInput {
        id: None,
        parent_id: parent,
        kind,
        name: name.into(),
        province_code: "01".into(),
        ward_code: ward.into(),
        phone: String::new(),
        address: String::new(),
    };
    s.create_authority(&system(), &input).await.expect("authority")
}

async fn unit(s: &dyn Store, authority: AuthorityId, kind: UnitKind, name: &str, key_target: bool) -> Unit {
    let input = UnitInput {
        id: None,
        authority_id: authority,
        kind,
        name: name.into(),
        key_target,
        address: "Long Biên, Hà Nội".into(),
        phone: String::new(),
        head_name: String::new(),
    };
    s.create_unit(&system(), &input).await.expect("unit")
}

/// Who sets up a unit's premises: its head (a system admin is not cleared for a key target).
pub(crate) fn head_of(unit: UnitId) -> Actor {
    as_actor(&principal(Role::UnitHead, Org::Unit(unit)))
}

async fn site(s: &dyn Store, unit: UnitId, name: &str) -> Site {
    let input = SiteInput {
        id: None,
        unit_id: unit,
        name: name.into(),
        address: String::new(),
        guard_post: "Cổng chính".into(),
        notes: String::new(),
    };
    s.create_site(&head_of(unit), &input).await.expect("site")
}

async fn zone(s: &dyn Store, site: &Site, kind: ZoneKind, name: &str) -> Zone {
    let input = ZoneInput {
        id: None,
        site_id: site.id,
        kind,
        name: name.into(),
        sensitivity: 5,
        asset_value: 0,
        description: String::new(),
    };
    s.create_zone(&head_of(site.unit_id), &input).await.expect("zone")
}

impl World {
    pub async fn build(s: &dyn Store) -> Self {
        let province = authority(s, AuthorityKind::ProvincePolice, "Công an Thành phố Hà Nội", None, "").await;
        let committee = authority(s, AuthorityKind::SteeringCommittee, "Ban Chỉ đạo 138", Some(province.id), "").await;
        let ward_a =
            authority(s, AuthorityKind::CommunePolice, "Công an phường Bồ Đề", Some(province.id), "00130").await;
        let ward_b =
            authority(s, AuthorityKind::CommunePolice, "Công an phường Long Biên", Some(province.id), "00148").await;
        let school = unit(s, ward_a.id, UnitKind::School, "Trường THCS Ngọc Lâm", false).await;
        let bank = unit(s, ward_a.id, UnitKind::Bank, "Ngân hàng chi nhánh Bồ Đề", true).await;
        let hospital = unit(s, ward_b.id, UnitKind::Hospital, "Bệnh viện Đa khoa Đức Giang", false).await;
        let school_site = site(s, school.id, "Cơ sở chính").await;
        let bank_site = site(s, bank.id, "Trụ sở chi nhánh").await;
        let vault = zone(s, &bank_site, ZoneKind::Vault, "Kho tiền").await;
        Self { province, committee, ward_a, ward_b, school, bank, hospital, school_site, bank_site, vault }
    }
}

fn is_invalid(e: &StoreError, field: &str, problem: &Problem) -> bool {
    matches!(e, StoreError::Invalid(inv) if inv.for_field(field) == Some(problem))
}

pub async fn authorities_follow_the_two_level_tree(s: &dyn Store) {
    let w = World::build(s).await;
    let district = AuthorityInput {
        id: None,
        parent_id: Some(w.ward_a.id),
        kind: AuthorityKind::CommunePolice,
        name: "Công an quận".into(),
        province_code: "01".into(),
        ward_code: "00001".into(),
        phone: String::new(),
        address: String::new(),
    };
    let err = s.create_authority(&system(), &district).await.unwrap_err();
    assert!(is_invalid(&err, "parent_id", &Problem::WrongParent), "{err:?}");
    let under_committee = UnitInput {
        id: None,
        authority_id: w.committee.id,
        kind: UnitKind::School,
        name: "X".into(),
        key_target: false,
        address: String::new(),
        phone: String::new(),
        head_name: String::new(),
    };
    let err = s.create_unit(&system(), &under_committee).await.unwrap_err();
    assert!(
        is_invalid(&err, "authority_id", &Problem::WrongParent),
        "a steering committee holds no jurisdiction: {err:?}"
    );
    let mut cycle = AuthorityInput::from(&w.province);
    cycle.parent_id = Some(w.ward_a.id);
    let err = s.update_authority(&system(), w.province.id, &cycle).await.unwrap_err();
    assert!(is_invalid(&err, "parent_id", &Problem::WrongParent), "{err:?}");
    let admin = principal(Role::AuthorityAdmin, Org::Authority(w.ward_a.id));
    let all = s.list_authorities(&admin, "").await.unwrap();
    assert_eq!(
        all.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![w.ward_a.id],
        "a ward admin sees their own ward only"
    );
}

pub async fn units_are_found_without_accents(s: &dyn Store) {
    let w = World::build(s).await;
    let admin = system().principal;
    let found =
        s.list_units(&admin, &UnitFilter { text: "truong ngoc lam".into(), ..Default::default() }).await.unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), vec![w.school.id]);
    let found = s.list_units(&admin, &UnitFilter { text: "DUC GIANG".into(), ..Default::default() }).await.unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), vec![w.hospital.id]);
    let none = s.list_units(&admin, &UnitFilter { text: "100%_".into(), ..Default::default() }).await.unwrap();
    assert!(none.is_empty(), "LIKE wildcards in a query are literal");
    let banks = s.list_units(&admin, &UnitFilter { key_target: Some(true), ..Default::default() }).await.unwrap();
    assert_eq!(banks.len(), 1);
    let schools =
        s.list_units(&admin, &UnitFilter { kind: Some(UnitKind::School), ..Default::default() }).await.unwrap();
    assert_eq!(schools.len(), 1);
}

pub async fn a_unit_sees_only_itself(s: &dyn Store) {
    let w = World::build(s).await;
    let guard = principal(Role::Guard, Org::Unit(w.school.id));
    let units = s.list_units(&guard, &UnitFilter::default()).await.unwrap();
    assert_eq!(units.iter().map(|u| u.id).collect::<Vec<_>>(), vec![w.school.id]);
    assert!(matches!(s.unit(&guard, w.hospital.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.site(&guard, w.bank_site.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.list_zones(&guard, w.bank.id, "").await, Err(StoreError::NotFound)));
    assert!(matches!(s.zone(&guard, w.vault.id).await, Err(StoreError::NotFound)));
    assert_eq!(s.list_sites(&guard, w.school.id, "").await.unwrap().len(), 1);
    assert!(s.list_authorities(&guard, "").await.unwrap().is_empty());
}

pub async fn police_see_their_jurisdiction_only(s: &dyn Store) {
    let w = World::build(s).await;
    let officer_a = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let officer_b = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    let desk = principal(Role::DutyDesk, Org::Authority(w.province.id));
    let ids = |v: Vec<Unit>| {
        let mut ids: Vec<UnitId> = v.into_iter().map(|u| u.id).collect();
        ids.sort();
        ids
    };
    let mut a = vec![w.school.id, w.bank.id];
    a.sort();
    assert_eq!(ids(s.list_units(&officer_a, &UnitFilter::default()).await.unwrap()), a);
    assert_eq!(ids(s.list_units(&officer_b, &UnitFilter::default()).await.unwrap()), vec![w.hospital.id]);
    assert_eq!(s.list_units(&desk, &UnitFilter::default()).await.unwrap().len(), 3);
    assert!(matches!(s.unit(&officer_b, w.school.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.site(&officer_b, w.school_site.id).await, Err(StoreError::NotFound)));
    assert_eq!(s.site(&officer_a, w.school_site.id).await.unwrap().id, w.school_site.id);
    let committee = principal(Role::AreaOfficer, Org::Authority(w.committee.id));
    assert!(s.list_units(&committee, &UnitFilter::default()).await.unwrap().is_empty());
}

pub async fn a_key_target_needs_a_clearance(s: &dyn Store) {
    let w = World::build(s).await;
    let officer_input = AccountInput {
        username: "canbo.bode".into(),
        display_name: "Cán bộ địa bàn".into(),
        role: Role::AreaOfficer,
        org: Org::Authority(w.ward_a.id),
        guard_id: None,
        password: String::new(),
    };
    let officer = s.create_account(&system(), &officer_input, "hash").await.unwrap().principal();
    assert_eq!(s.unit(&officer, w.bank.id).await.unwrap().name, w.bank.name, "the unit itself is visible");
    assert!(matches!(s.list_zones(&officer, w.bank.id, "").await, Err(StoreError::Denied(Denied::NotCleared))));
    assert!(matches!(s.zone(&officer, w.vault.id).await, Err(StoreError::Denied(Denied::NotCleared))));
    let staff = principal(Role::Staff, Org::Unit(w.bank.id));
    assert!(matches!(s.list_sites(&staff, w.bank.id, "").await, Err(StoreError::Denied(Denied::NotCleared))));
    let head = principal(Role::UnitHead, Org::Unit(w.bank.id));
    assert_eq!(s.list_zones(&head, w.bank.id, "").await.unwrap().len(), 1);

    let ward_admin = principal(Role::AuthorityAdmin, Org::Authority(w.ward_a.id));
    s.grant_clearance(&as_actor(&ward_admin), w.bank.id, officer.account_id).await.unwrap();
    assert_eq!(s.list_zones(&officer, w.bank.id, "").await.unwrap().len(), 1);
    assert_eq!(s.list_clearances(&ward_admin, w.bank.id).await.unwrap().len(), 1);
    s.revoke_clearance(&as_actor(&ward_admin), w.bank.id, officer.account_id).await.unwrap();
    assert!(matches!(s.list_zones(&officer, w.bank.id, "").await, Err(StoreError::Denied(Denied::NotCleared))));

    let stranger_input = AccountInput {
        username: "canbo.longbien".into(),
        display_name: "Cán bộ khác".into(),
        role: Role::AreaOfficer,
        org: Org::Authority(w.ward_b.id),
        guard_id: None,
        password: String::new(),
    };
    let stranger = s.create_account(&system(), &stranger_input, "hash").await.unwrap();
    let err = s.grant_clearance(&system(), w.bank.id, stranger.id).await.unwrap_err();
    assert!(
        is_invalid(&err, "account_id", &Problem::WrongParent),
        "a clearance for someone outside the jurisdiction is refused: {err:?}"
    );
}

pub async fn writes_outside_scope_change_nothing(s: &dyn Store) {
    let w = World::build(s).await;
    let officer = principal(Role::SecurityOfficer, Org::Unit(w.school.id));
    let raid = SiteInput {
        id: None,
        unit_id: w.hospital.id,
        name: "Cơ sở lạ".into(),
        address: String::new(),
        guard_post: String::new(),
        notes: String::new(),
    };
    assert!(s.create_site(&as_actor(&officer), &raid).await.is_err());
    let mut rename = SiteInput::from(&w.bank_site);
    rename.name = "Đã bị đổi".into();
    assert!(matches!(s.update_site(&as_actor(&officer), w.bank_site.id, &rename).await, Err(StoreError::NotFound)));
    let mut moved = SiteInput::from(&w.school_site);
    moved.unit_id = w.hospital.id;
    let err = s.update_site(&as_actor(&officer), w.school_site.id, &moved).await.unwrap_err();
    assert!(is_invalid(&err, "unit_id", &Problem::WrongParent), "{err:?}");
    let admin = system().principal;
    assert_eq!(s.site(&admin, w.school_site.id).await.unwrap(), w.school_site);
    assert_eq!(s.list_sites(&admin, w.hospital.id, "").await.unwrap().len(), 0);
    let head = principal(Role::UnitHead, Org::Unit(w.school.id));
    let mut flag = UnitInput::from(&w.school);
    flag.key_target = true;
    assert!(matches!(
        s.update_unit(&as_actor(&head), w.school.id, &flag).await,
        Err(StoreError::Denied(Denied::Forbidden))
    ));
    assert!(!s.unit(&admin, w.school.id).await.unwrap().key_target);
}

pub async fn checkpoint_codes_are_unique_per_site(s: &dyn Store) {
    let w = World::build(s).await;
    let gate = zone(s, &w.school_site, ZoneKind::Gate, "Cổng trường").await;
    let cp = CheckpointInput {
        id: None,
        zone_id: gate.id,
        code: "CP-01".into(),
        name: "Cổng chính".into(),
        location: String::new(),
        active: true,
    };
    let first = s.create_checkpoint(&system(), &cp).await.unwrap();
    let err = s.create_checkpoint(&system(), &cp).await.unwrap_err();
    assert!(is_invalid(&err, "code", &Problem::Taken), "{err:?}");
    let other_site_zone = zone(s, &w.bank_site, ZoneKind::Gate, "Cổng ngân hàng").await;
    let elsewhere = CheckpointInput { id: None, zone_id: other_site_zone.id, ..cp.clone() };
    s.create_checkpoint(&head_of(w.bank.id), &elsewhere).await.expect("the same code on another site is fine");
    let renamed = CheckpointInput { id: None, name: "Cổng chính (trong)".into(), ..cp };
    assert_eq!(s.update_checkpoint(&system(), first.id, &renamed).await.unwrap().name, "Cổng chính (trong)");
    let found = s.list_checkpoints(&system().principal, w.school.id, "cong trong").await.unwrap();
    assert_eq!(found.len(), 1);
}

pub async fn devices_stay_on_their_site(s: &dyn Store) {
    let w = World::build(s).await;
    let wrong = DeviceInput {
        id: None,
        site_id: w.school_site.id,
        zone_id: Some(w.vault.id),
        kind: DeviceKind::Camera,
        name: "Camera".into(),
        location: String::new(),
        serial: String::new(),
        external_ref: String::new(),
        active: true,
    };
    let err = s.create_device(&system(), &wrong).await.unwrap_err();
    assert!(is_invalid(&err, "zone_id", &Problem::WrongParent), "{err:?}");
    let right = DeviceInput {
        id: None,
        site_id: w.bank_site.id,
        zone_id: Some(w.vault.id),
        kind: DeviceKind::DoorContact,
        name: "Cảm biến cửa kho".into(),
        ..wrong
    };
    let head = head_of(w.bank.id);
    let admin = as_actor(&principal(Role::SystemAdmin, Org::System));
    assert!(
        matches!(s.create_device(&admin, &right).await, Err(StoreError::Denied(Denied::NotCleared))),
        "an admin is not cleared for a key target"
    );
    let d = s.create_device(&head, &right).await.unwrap();
    assert_eq!(d.unit_id, w.bank.id);
    assert_eq!(s.list_devices(&head.principal, w.bank.id, "").await.unwrap(), vec![d]);
}

pub async fn guards_keep_certificates_and_tools(s: &dyn Store) {
    let w = World::build(s).await;
    let input = GuardInput {
        id: None,
        unit_id: w.school.id,
        full_name: "Nguyễn Văn Bảo".into(),
        employment: Employment::Dedicated,
        phone: "0912345678".into(),
        birth_date: Some(jiff::civil::date(1980, 5, 1)),
        health: String::new(),
        active: true,
    };
    let g = s.create_guard(&system(), &input).await.unwrap();
    let cert = Certificate {
        number: "125/GCN-PA03".into(),
        issuer: "Công an TP Hà Nội".into(),
        issued_on: jiff::civil::date(2022, 3, 15),
        expires_on: jiff::civil::date(2027, 3, 15),
    };
    s.add_certificate(&system(), g.id, &cert).await.unwrap();
    let tool = IssuedTool {
        kind: ToolKind::RubberBaton,
        serial: "DC-07".into(),
        issued_on: jiff::civil::date(2026, 1, 2),
        returned_on: None,
    };
    let g = s.add_tool(&system(), g.id, &tool).await.unwrap();
    assert_eq!(g.certificates, vec![cert]);
    assert_eq!(g.tools, vec![tool]);
    let listed = s.list_guards(&system().principal, w.school.id, "nguyen bao").await.unwrap();
    assert_eq!(listed, vec![g.clone()]);
    let other = principal(Role::SecurityOfficer, Org::Unit(w.hospital.id));
    assert!(matches!(s.guard(&other, g.id).await, Err(StoreError::NotFound)));
    let moved = GuardInput { id: None, unit_id: w.hospital.id, full_name: "Đã đổi tên".into(), ..input };
    let err = s.update_guard(&system(), g.id, &moved).await.unwrap_err();
    assert!(is_invalid(&err, "unit_id", &Problem::WrongParent), "{err:?}");
    assert_eq!(
        s.guard(&system().principal, g.id).await.unwrap().full_name,
        "Nguyễn Văn Bảo",
        "a refused update changes nothing"
    );
}

pub async fn accounts_sessions_and_tokens(s: &dyn Store) {
    let w = World::build(s).await;
    assert_eq!(s.account_count().await.unwrap(), 0);
    let input = AccountInput {
        username: "baove.ngoclam".into(),
        display_name: "Bảo vệ Ngọc Lâm".into(),
        role: Role::Guard,
        org: Org::Unit(w.school.id),
        guard_id: None,
        password: String::new(),
    };
    let acc = s.create_account(&system(), &input, "argon2-hash").await.unwrap();
    let err = s.create_account(&system(), &input, "x").await.unwrap_err();
    assert!(is_invalid(&err, "username", &Problem::Taken), "{err:?}");
    let (found, hash) = s.login_lookup("baove.ngoclam").await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (acc.id, "argon2-hash"));

    let session = Session {
        token_hash: "t1".into(),
        account_id: acc.id,
        csrf: "c1".into(),
        created_at: now(),
        expires_at: now() + jiff::SignedDuration::from_hours(8),
    };
    s.create_session(&session).await.unwrap();
    let (got, who) = s.session("t1", now()).await.unwrap().unwrap();
    assert_eq!((got.csrf.as_str(), who.id), ("c1", acc.id));
    assert!(s.session("t1", now() + jiff::SignedDuration::from_hours(9)).await.unwrap().is_none(), "expired");
    s.set_account_active(&system(), acc.id, false).await.unwrap();
    assert!(s.session("t1", now()).await.unwrap().is_none(), "a disabled account loses its sessions");
    assert!(s.login_lookup("baove.ngoclam").await.unwrap().is_none());
    s.set_account_active(&system(), acc.id, true).await.unwrap();

    let me = Actor { principal: acc.principal(), at: now() };
    let t = s.create_token(&me, "máy chấm công", "tokhash").await.unwrap();
    assert_eq!(s.token_account("tokhash").await.unwrap().map(|a| a.id), Some(acc.id));
    s.revoke_token(&me, t.id).await.unwrap();
    assert!(s.token_account("tokhash").await.unwrap().is_none());
    assert_eq!(s.list_tokens(&acc.principal()).await.unwrap().len(), 1);
}

pub async fn role_assignment_is_bounded(s: &dyn Store) {
    let w = World::build(s).await;
    let head = principal(Role::UnitHead, Org::Unit(w.school.id));
    let desk = AccountInput {
        username: "trucban".into(),
        display_name: "Trực ban".into(),
        role: Role::DutyDesk,
        org: Org::Authority(w.ward_a.id),
        guard_id: None,
        password: String::new(),
    };
    assert!(s.create_account(&as_actor(&head), &desk, "h").await.is_err());
    let elsewhere = AccountInput {
        username: "baove.benhvien".into(),
        display_name: "Bảo vệ".into(),
        role: Role::Guard,
        org: Org::Unit(w.hospital.id),
        guard_id: None,
        password: String::new(),
    };
    assert!(matches!(s.create_account(&as_actor(&head), &elsewhere, "h").await, Err(StoreError::NotFound)));
    let own = AccountInput { username: "baove.truong".into(), org: Org::Unit(w.school.id), ..elsewhere };
    let created = s.create_account(&as_actor(&head), &own, "h").await.unwrap();
    assert_eq!(s.list_accounts(&head, Org::Unit(w.school.id)).await.unwrap(), vec![created]);
    assert!(s.list_accounts(&head, Org::Unit(w.hospital.id)).await.is_err());
}

/// A theft at `unit` at `at`, closed as resolved, with its modus operandi and cause.
pub fn closed_theft(unit: UnitId, at: Timestamp) -> Incident {
    Incident {
        id: IncidentId::mint(),
        unit_id: unit,
        site_id: None,
        kind: IncidentKind::Theft,
        status: IncidentStatus::Closed,
        occurred_at: at,
        reported_at: at,
        summary: "Mất máy tính".into(),
        losses: String::new(),
        modus: vec![Modus::Mask, Modus::Gloves],
        zone_id: None,
        suspect_person: String::new(),
        suspect_vehicle: String::new(),
        plate: None,
        reporter: String::new(),
        outcome: Some(Outcome::Resolved),
        causes: vec![Cause::ThinGuard],
    }
}

pub async fn incidents_are_scoped_and_tallied(s: &dyn Store) {
    let w = World::build(s).await;
    for (unit, hours) in [(w.school.id, 1), (w.school.id, 2), (w.hospital.id, 3)] {
        let i = closed_theft(unit, now() - jiff::SignedDuration::from_hours(24 * hours));
        s.create_incident(&system(), &i).await.unwrap();
    }
    let officer_a = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let seen = s.list_incidents(&officer_a, &Default::default()).await.unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|(i, u)| u.kind == UnitKind::School && i.modus == vec![Modus::Mask, Modus::Gloves]));
    let desk = principal(Role::DutyDesk, Org::Authority(w.province.id));
    let all = s.list_incidents(&desk, &Default::default()).await.unwrap();
    let tally = baove_core::incident::tally_by_unit_kind(all.iter().map(|(_, u)| u.kind));
    assert_eq!(tally.iter().find(|(k, _)| *k == UnitKind::School).map(|t| t.1), Some(2));
    assert_eq!(tally.iter().find(|(k, _)| *k == UnitKind::Hospital).map(|t| t.1), Some(1));
    let mut counted = s.incident_tally(&desk, now() - jiff::SignedDuration::from_hours(24 * 365)).await.unwrap();
    counted.sort_by_key(|(k, _)| k.code());
    assert_eq!(
        counted,
        vec![(UnitKind::Hospital, 1), (UnitKind::School, 2)],
        "counted in the database, not from a page of rows"
    );
    assert_eq!(
        s.incident_tally(&officer_a, now() - jiff::SignedDuration::from_hours(24 * 365)).await.unwrap(),
        vec![(UnitKind::School, 2)]
    );
    // A guard reads only the reports they made themselves (none here), and no tally.
    let guard = principal(Role::Guard, Org::Unit(w.school.id));
    assert!(s.list_incidents(&guard, &Default::default()).await.unwrap().is_empty());
    assert!(s.incident_tally(&guard, now() - jiff::SignedDuration::from_hours(24)).await.is_err());
}

/// The statistics' facts: a ward officer counts only the ward's units, within the period,
/// with the codes read back; the province counts both wards; the unit's guard gets none.
pub async fn incident_facts_are_scoped(s: &dyn Store) {
    let w = World::build(s).await;
    let hour = jiff::SignedDuration::from_hours(1);
    let mut bank = closed_theft(w.bank.id, now() - hour * 30);
    bank.modus = vec![Modus::Helmet, Modus::FakePlate];
    bank.causes = vec![Cause::LowFence, Cause::ThinGuard];
    let old = closed_theft(w.school.id, now() - hour * 24 * 400);
    for i in [closed_theft(w.school.id, now() - hour * 5), bank.clone(), closed_theft(w.hospital.id, now() - hour), old]
    {
        s.create_incident(&system(), &i).await.unwrap();
    }
    let from = now() - hour * 24 * 365;
    let officer_a = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let seen = s.incident_facts(&officer_a, from, now()).await.unwrap();
    assert_eq!(seen.iter().map(|f| f.unit_id).collect::<Vec<_>>(), vec![w.bank.id, w.school.id], "oldest first");
    let b = &seen[0];
    assert_eq!((b.id, b.unit_kind, b.unit_name.as_str()), (bank.id, UnitKind::Bank, w.bank.name.as_str()));
    assert_eq!(b.occurred_at, bank.occurred_at);
    assert_eq!((b.kind, b.status), (IncidentKind::Theft, IncidentStatus::Closed));
    assert_eq!(b.modus, vec![Modus::Helmet, Modus::FakePlate]);
    assert_eq!(b.causes, vec![Cause::ThinGuard, Cause::LowFence], "in the enum's order");
    let officer_b = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    let seen_b = s.incident_facts(&officer_b, from, now()).await.unwrap();
    assert_eq!(seen_b.iter().map(|f| f.unit_id).collect::<Vec<_>>(), vec![w.hospital.id]);
    let desk = principal(Role::DutyDesk, Org::Authority(w.province.id));
    assert_eq!(s.incident_facts(&desk, from, now()).await.unwrap().len(), 3);
    assert_eq!(s.incident_facts(&desk, from - hour * 24 * 100, now()).await.unwrap().len(), 4);
    assert_eq!(s.incident_facts(&desk, now() - hour * 6, now()).await.unwrap().len(), 2, "the end is exclusive");
    let head = principal(Role::UnitHead, Org::Unit(w.school.id));
    assert_eq!(s.incident_facts(&head, from, now()).await.unwrap().len(), 1);
    for role in [Role::Guard, Role::Gate, Role::Staff] {
        let p = principal(role, Org::Unit(w.school.id));
        assert!(matches!(s.incident_facts(&p, from, now()).await, Err(StoreError::Denied(Denied::Forbidden))));
    }
}

pub async fn a_tampered_audit_row_is_detected<S: Store + Tamper>(s: &S) {
    World::build(s).await;
    let admin = system().principal;
    assert_eq!(audit::verify(&s.audit_entries(&admin, 0, 1000).await.unwrap()), Ok(10));
    s.tamper_audit_row(3, r#"{"name":"giả mạo"}"#).await.unwrap();
    let chain = s.audit_entries(&admin, 0, 1000).await.unwrap();
    assert_eq!(audit::verify(&chain), Err(audit::ChainBroken::Edited { seq: 3 }));
}

pub async fn creates_are_idempotent_under_retry(s: &dyn Store) {
    let w = World::build(s).await;
    let admin = system().principal;
    let before = s.audit_entries(&admin, 0, 10_000).await.unwrap().len();
    let id = baove_core::SiteId::mint();
    let input = SiteInput {
        id: Some(id),
        unit_id: w.school.id,
        name: "Cơ sở 2".into(),
        address: String::new(),
        guard_post: String::new(),
        notes: String::new(),
    };
    let first = s.create_site(&system(), &input).await.unwrap();
    let again =
        s.create_site(&system(), &SiteInput { name: "Cơ sở 2 (gửi lại)".into(), ..input.clone() }).await.unwrap();
    assert_eq!((first.id, again), (id, first.clone()), "a retried create returns what the first one made");
    assert_eq!(s.list_sites(&admin, w.school.id, "").await.unwrap().len(), 2);
    let elsewhere = SiteInput { unit_id: w.hospital.id, ..input };
    let err = s.create_site(&system(), &elsewhere).await.unwrap_err();
    assert!(is_invalid(&err, "id", &Problem::Taken), "an id cannot be reused for another unit: {err:?}");

    let gate = zone(s, &first, ZoneKind::Gate, "Cổng 2").await;
    let cp = CheckpointInput {
        id: Some(baove_core::CheckpointId::mint()),
        zone_id: gate.id,
        code: "CP-09".into(),
        name: "Cổng 2".into(),
        location: String::new(),
        active: true,
    };
    let c1 = s.create_checkpoint(&system(), &cp).await.unwrap();
    assert_eq!(
        s.create_checkpoint(&system(), &cp).await.unwrap(),
        c1,
        "a retry is not refused for the code it took itself"
    );

    let guard = s
        .create_guard(
            &system(),
            &GuardInput {
                id: None,
                unit_id: w.school.id,
                full_name: "Vũ Văn Tuần".into(),
                employment: Employment::PartTime,
                phone: String::new(),
                birth_date: None,
                health: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let cert = Certificate {
        number: "12/GCN".into(),
        issuer: String::new(),
        issued_on: jiff::civil::date(2024, 1, 1),
        expires_on: jiff::civil::date(2029, 1, 1),
    };
    s.add_certificate(&system(), guard.id, &cert).await.unwrap();
    let g = s.add_certificate(&system(), guard.id, &cert).await.unwrap();
    assert_eq!(g.certificates.len(), 1);
    let after = s.audit_entries(&admin, 0, 10_000).await.unwrap().len();
    assert_eq!(after - before, 5, "site, zone, checkpoint, guard, certificate: retries add nothing to the chain");
}

pub async fn every_change_is_in_a_valid_audit_chain(s: &dyn Store) {
    let w = World::build(s).await;
    let mut renamed = ZoneInput::from(&w.vault);
    renamed.name = "Kho tiền trung tâm".into();
    s.update_zone(&head_of(w.bank.id), w.vault.id, &renamed).await.unwrap();
    let admin = system().principal;
    let chain = s.audit_entries(&admin, 0, 10_000).await.unwrap();
    assert_eq!(chain.len(), 11, "4 authorities, 3 units, 2 sites, 1 zone created and 1 zone renamed");
    assert_eq!(audit::verify(&chain), Ok(11));
    let last = chain.last().unwrap();
    assert_eq!(last.action, "zone.update");
    assert!(last.before.contains("Kho tiền") && last.after.contains("Kho tiền trung tâm"));
    let history = s.unit_history(&principal(Role::UnitHead, Org::Unit(w.bank.id)), w.bank.id, 10).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["zone.update", "zone.create", "site.create", "unit.create"]
    );
    let desk = principal(Role::DutyDesk, Org::Authority(w.province.id));
    assert!(s.audit_entries(&desk, 0, 10).await.is_err());
}

async fn school_checkpoints(s: &dyn Store, w: &World, n: usize) -> Vec<Checkpoint> {
    let gate = zone(s, &w.school_site, ZoneKind::Gate, "Cổng trường").await;
    let mut out = Vec::new();
    for i in 0..n {
        let input = CheckpointInput {
            id: None,
            zone_id: gate.id,
            code: format!("CP-{i:02}"),
            name: format!("Điểm {i}"),
            location: String::new(),
            active: true,
        };
        out.push(s.create_checkpoint(&head_of(w.school.id), &input).await.expect("checkpoint"));
    }
    out
}

fn scan_at(cp: &Checkpoint, who: &Principal, counter: Option<u32>) -> Scan {
    Scan {
        id: ScanId::mint(),
        checkpoint_id: cp.id,
        round_id: None,
        account_id: who.account_id,
        device_id: "phone-1".into(),
        evidence: if counter.is_some() { Evidence::NfcSun } else { Evidence::QrLive },
        scanned_at: now(),
        received_at: now(),
        counter,
        reason: String::new(),
        flags: vec![],
    }
}

/// A real account (scans refer to their author).
async fn person(s: &dyn Store, username: &str, role: Role, org: Org) -> Actor {
    let input = AccountInput {
        username: username.into(),
        display_name: username.into(),
        role,
        org,
        guard_id: None,
        password: String::new(),
    };
    as_actor(&s.create_account(&system(), &input, "hash").await.expect("account").principal())
}

pub async fn sun_counters_only_rise_and_scans_are_idempotent(s: &dyn Store) {
    let w = World::build(s).await;
    let cps = school_checkpoints(s, &w, 1).await;
    let head = head_of(w.school.id);
    let key = s.unit_master_key(&head, w.school.id, [7; 32]).await.unwrap();
    assert_eq!(s.unit_master_key(&head, w.school.id, [9; 32]).await.unwrap(), key, "the key is made once");
    s.bind_tag(&head, cps[0].id, "04DE5F1EACC040").await.unwrap();
    let binding = s.tag("04DE5F1EACC040").await.unwrap().unwrap();
    assert_eq!((binding.checkpoint_id, binding.last_counter, binding.master_key), (cps[0].id, None, [7; 32]));
    let guard = person(s, "baove.tuantra", Role::Guard, Org::Unit(w.school.id)).await;
    let first = scan_at(&cps[0], &guard.principal, Some(61));
    assert!(matches!(s.record_scan(&guard, &first, Some("04DE5F1EACC040")).await.unwrap(), ScanOutcome::Recorded(_)));
    assert!(
        matches!(s.record_scan(&guard, &first, Some("04DE5F1EACC040")).await.unwrap(), ScanOutcome::Duplicate(_)),
        "a resent batch changes nothing"
    );
    let replay = scan_at(&cps[0], &guard.principal, Some(61));
    assert_eq!(
        s.record_scan(&guard, &replay, Some("04DE5F1EACC040")).await.unwrap(),
        ScanOutcome::Replayed { last: 61, got: 61 }
    );
    let next = scan_at(&cps[0], &guard.principal, Some(62));
    assert!(matches!(s.record_scan(&guard, &next, Some("04DE5F1EACC040")).await.unwrap(), ScanOutcome::Recorded(_)));
    assert_eq!(s.tag("04DE5F1EACC040").await.unwrap().unwrap().last_counter, Some(62));
    let day = jiff::SignedDuration::from_hours(24);
    assert_eq!(s.list_scans(&guard.principal, w.school.id, now() - day, now() + day).await.unwrap().len(), 2);
    let stranger = person(s, "baove.benhvien", Role::Guard, Org::Unit(w.hospital.id)).await;
    assert!(matches!(
        s.record_scan(&stranger, &scan_at(&cps[0], &stranger.principal, None), None).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn rounds_stay_on_their_site_and_key_target_rounds_need_a_clearance(s: &dyn Store) {
    let w = World::build(s).await;
    let cps = school_checkpoints(s, &w, 3).await;
    let head = head_of(w.school.id);
    let round = Round {
        id: RoundId::mint(),
        unit_id: w.school.id,
        site_id: w.school_site.id,
        name: "Vòng 01:00".into(),
        checkpoints: cps.iter().map(|c| c.id).collect(),
        ordered: true,
        window_start: now(),
        window_end: now() + jiff::SignedDuration::from_mins(45),
        grace_minutes: 10,
        guard_id: None,
        source: RoundSource::Manual,
    };
    assert_eq!(s.create_round(&head, &round).await.unwrap(), round);
    assert_eq!(s.create_round(&head, &round).await.unwrap(), round, "idempotent by id");
    let stray =
        Round { id: RoundId::mint(), checkpoints: vec![cps[0].id, baove_core::CheckpointId::mint()], ..round.clone() };
    assert!(s.create_round(&head, &stray).await.is_err(), "a checkpoint that is not on the site is refused");
    let bank_head = head_of(w.bank.id);
    let vault_cp = s
        .create_checkpoint(
            &bank_head,
            &CheckpointInput {
                id: None,
                zone_id: w.vault.id,
                code: "KT-01".into(),
                name: "Cửa kho tiền".into(),
                location: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let bank_round = Round {
        id: RoundId::mint(),
        unit_id: w.bank.id,
        site_id: w.bank_site.id,
        checkpoints: vec![vault_cp.id],
        ..round.clone()
    };
    s.create_round(&bank_head, &bank_round).await.unwrap();
    let day = jiff::SignedDuration::from_hours(24);
    let officer = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let seen: Vec<RoundId> =
        s.rounds_in_scope(&officer, now() - day, now() + day).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(seen, vec![round.id], "the bank's rounds are plans of a key target");
    let other_ward = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    assert!(s.rounds_in_scope(&other_ward, now() - day, now() + day).await.unwrap().is_empty());
    assert_eq!(
        s.rounds_in_scope(&system().principal, now() - day, now() + day).await.unwrap().len(),
        2,
        "the server's own timers see every round"
    );
    let listed = s
        .list_rounds(&principal(Role::Guard, Org::Unit(w.school.id)), w.school.id, now() - day, now() + day)
        .await
        .unwrap();
    assert_eq!(listed[0].checkpoints, round.checkpoints, "checkpoints keep their order");
}

pub async fn alerts_are_raised_once_and_acknowledged_by_those_on_duty(s: &dyn Store) {
    let w = World::build(s).await;
    let alert = NewAlert {
        key: "round-x:2:missed".into(),
        unit_id: w.school.id,
        site_id: Some(w.school_site.id),
        round_id: None,
        kind: AlertKind::CheckpointMissed,
        message: "Bỏ sót điểm CP-02".into(),
        raised_at: now(),
    };
    let raised = s.raise_alert(&alert).await.unwrap().expect("new");
    assert!(s.raise_alert(&alert).await.unwrap().is_none(), "the same condition is raised once");
    assert_eq!(raised.tier, Tier::SecurityOfficer);
    let officer_a = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let officer_b = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    assert_eq!(s.alerts_after(&officer_a, 0, 100).await.unwrap().len(), 1);
    assert!(s.alerts_after(&officer_b, 0, 100).await.unwrap().is_empty());
    assert!(
        s.alerts_after(&officer_a, raised.seq, 100).await.unwrap().is_empty(),
        "a console resumes after the last seen"
    );
    s.escalate_alert(raised.id, Tier::UnitHead).await.unwrap();
    let guard = as_actor(&principal(Role::Guard, Org::Unit(w.school.id)));
    assert!(matches!(s.ack_alert(&guard, raised.id).await, Err(StoreError::Denied(Denied::Forbidden))));
    assert_eq!(s.open_alerts(&system().principal).await.unwrap().len(), 1);
    assert!(s.open_alerts(&officer_a).await.is_err());
    let acked = s.ack_alert(&as_actor(&officer_a), raised.id).await.unwrap();
    assert!(acked.acked_at.is_some() && acked.tier == Tier::UnitHead);
    assert!(s.open_alerts(&system().principal).await.unwrap().is_empty());
}

pub async fn a_qr_secret_resolves_only_within_scope(s: &dyn Store) {
    let w = World::build(s).await;
    let cps = school_checkpoints(s, &w, 1).await;
    let head = head_of(w.school.id);
    let secret = s.checkpoint_code(&head, cps[0].id, "bí-mật-ngẫu-nhiên-1").await.unwrap();
    assert_eq!(s.checkpoint_code(&head, cps[0].id, "khác").await.unwrap(), secret, "a printed code stays valid");
    let guard = principal(Role::Guard, Org::Unit(w.school.id));
    assert_eq!(s.checkpoint_by_code(&guard, &secret).await.unwrap().id, cps[0].id);
    let other = principal(Role::Guard, Org::Unit(w.hospital.id));
    assert!(matches!(s.checkpoint_by_code(&other, &secret).await, Err(StoreError::NotFound)));
    assert!(
        matches!(s.checkpoint_by_code(&guard, &cps[0].id.to_string()).await, Err(StoreError::NotFound)),
        "the id is not the code"
    );
}

pub async fn need_to_know_cannot_be_bypassed(s: &dyn Store) {
    let w = World::build(s).await;
    let officer = person(s, "canbo.a", Role::AreaOfficer, Org::Authority(w.ward_a.id)).await;
    // Lifting the flag to peek, then setting it again.
    let mut lifted = UnitInput::from(&w.bank);
    lifted.key_target = false;
    assert!(matches!(s.update_unit(&officer, w.bank.id, &lifted).await, Err(StoreError::Denied(Denied::NotCleared))));
    assert!(s.unit(&system().principal, w.bank.id).await.unwrap().key_target);
    // Clearing oneself.
    let admin = person(s, "quantri.a", Role::AuthorityAdmin, Org::Authority(w.ward_a.id)).await;
    let err = s.grant_clearance(&admin, w.bank.id, admin.principal.account_id).await.unwrap_err();
    assert!(is_invalid(&err, "account_id", &Problem::WrongParent), "{err:?}");
    // Making a cleared account of the key target to sign in as.
    let puppet = AccountInput {
        username: "bu.nhin".into(),
        display_name: "Bù nhìn".into(),
        role: Role::SecurityOfficer,
        org: Org::Unit(w.bank.id),
        guard_id: None,
        password: String::new(),
    };
    assert!(matches!(s.create_account(&admin, &puppet, "h").await, Err(StoreError::Denied(Denied::NotCleared))));
    let staff = AccountInput { username: "nhanvien.nh".into(), role: Role::Staff, ..puppet };
    s.create_account(&admin, &staff, "h").await.expect("staff see no details, so the police may make them");
    // Nobody locks themselves out.
    assert!(matches!(
        s.set_account_active(&officer, officer.principal.account_id, false).await,
        Err(StoreError::Denied(_)) | Err(StoreError::NotFound)
    ));
}

async fn guard_of(s: &dyn Store, unit: UnitId, name: &str) -> Guard {
    let input = GuardInput {
        id: None,
        unit_id: unit,
        full_name: name.into(),
        employment: Employment::Dedicated,
        phone: String::new(),
        birth_date: None,
        health: String::new(),
        active: true,
    };
    s.create_guard(&head_of(unit), &input).await.expect("guard")
}

pub async fn the_duty_roster_is_shown_to_the_ward_police(s: &dyn Store) {
    use baove_core::ShiftId;
    use baove_core::calendar::Overrides;
    use baove_core::patrol::roster::{Shift, missing_leader};
    let w = World::build(s).await;
    let (bao, hung) = (guard_of(s, w.school.id, "Nguyễn Văn Bảo").await, guard_of(s, w.school.id, "Lê Văn Hùng").await);
    let head = head_of(w.school.id);
    // Quốc khánh, 2/9/2026, 06:00–18:00 in Vietnam.
    let (start, end) = ("2026-09-01T23:00:00Z".parse().unwrap(), "2026-09-02T11:00:00Z".parse().unwrap());
    let mut guards = vec![bao.id, hung.id];
    guards.sort();
    let shift = Shift {
        id: ShiftId::mint(),
        unit_id: w.school.id,
        site_id: Some(w.school_site.id),
        name: "Ca ngày Quốc khánh".into(),
        starts_at: start,
        ends_at: end,
        leader_name: String::new(),
        leader_phone: String::new(),
        notes: String::new(),
        guards,
    };
    assert_eq!(s.create_shift(&head, &shift).await.unwrap(), shift);
    assert_eq!(s.create_shift(&head, &shift).await.unwrap(), shift, "idempotent by id");
    assert!(missing_leader(&shift, &Overrides::none()), "a holiday shift without a leader is reported");
    let (from, to) = (start - jiff::SignedDuration::from_hours(1), end);
    assert_eq!(s.list_shifts(&head.principal, w.school.id, from, to).await.unwrap(), vec![shift.clone()]);
    let police = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    assert_eq!(s.list_shifts(&police, w.school.id, from, to).await.unwrap(), vec![shift.clone()]);
    let other_ward = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    assert!(matches!(s.list_shifts(&other_ward, w.school.id, from, to).await, Err(StoreError::NotFound)));
    let nurse_guard = guard_of(s, w.hospital.id, "Phạm Văn Tâm").await;
    let stray = Shift { id: ShiftId::mint(), guards: vec![bao.id, nurse_guard.id], ..shift.clone() };
    let err = s.create_shift(&head, &stray).await.unwrap_err();
    assert!(is_invalid(&err, "guards", &Problem::WrongParent), "{err:?}");
    assert!(s.list_shifts(&head.principal, w.school.id, from, to).await.unwrap().len() == 1, "nothing was saved");
    let guard = as_actor(&principal(Role::Guard, Org::Unit(w.school.id)));
    assert!(matches!(
        s.create_shift(&guard, &Shift { id: ShiftId::mint(), ..shift.clone() }).await,
        Err(StoreError::Denied(Denied::Forbidden))
    ));
    // A key target: the police see who leads, not who guards.
    let teller = guard_of(s, w.bank.id, "Đỗ Văn Két").await;
    let bank_shift = Shift {
        id: ShiftId::mint(),
        unit_id: w.bank.id,
        site_id: None,
        leader_name: "Giám đốc chi nhánh".into(),
        guards: vec![teller.id],
        ..shift.clone()
    };
    s.create_shift(&head_of(w.bank.id), &bank_shift).await.unwrap();
    let seen = s.list_shifts(&police, w.bank.id, from, to).await.unwrap();
    assert_eq!(seen, vec![Shift { guards: vec![], ..bank_shift.clone() }]);
    assert_eq!(s.list_shifts(&head_of(w.bank.id).principal, w.bank.id, from, to).await.unwrap(), vec![bank_shift]);
}

pub async fn escalation_times_walkways_and_templates_belong_to_their_unit(s: &dyn Store) {
    use baove_core::patrol::escalation::Ladder;
    use baove_core::patrol::template::Template;
    let w = World::build(s).await;
    let head = head_of(w.school.id);
    let guard = principal(Role::Guard, Org::Unit(w.school.id));
    assert_eq!(s.ladder(&guard, w.school.id).await.unwrap(), Ladder::default(), "five and five until set");
    s.set_ladder(&head, w.school.id, Ladder { officer_minutes: 2, head_minutes: 8 }).await.unwrap();
    assert_eq!(s.ladder(&guard, w.school.id).await.unwrap(), Ladder { officer_minutes: 2, head_minutes: 8 });
    assert!(s.set_ladder(&as_actor(&guard), w.school.id, Ladder::default()).await.is_err(), "a guard cannot");
    assert!(s.set_ladder(&head_of(w.hospital.id), w.school.id, Ladder::default()).await.is_err());
    assert!(s.set_ladder(&head, w.school.id, Ladder { officer_minutes: 0, head_minutes: 5 }).await.is_err());
    assert_eq!(
        s.ladders(&system().principal).await.unwrap(),
        vec![(w.school.id, Ladder { officer_minutes: 2, head_minutes: 8 })]
    );
    assert!(s.ladders(&guard).await.is_err(), "only the server's timer reads every unit's ladder");

    let gate = zone(s, &w.school_site, ZoneKind::Gate, "Cổng").await;
    let lab = zone(s, &w.school_site, ZoneKind::Storeroom, "Kho thiết bị").await;
    s.set_walkway(&head, w.school_site.id, lab.id, gate.id, Some(90)).await.unwrap();
    s.set_walkway(&head, w.school_site.id, gate.id, lab.id, Some(120)).await.unwrap();
    let ways = s.walkways(&guard, w.school_site.id).await.unwrap();
    assert_eq!(ways.len(), 1, "one walkway per pair, whichever way it was entered");
    assert_eq!(ways[0].seconds, 120);
    assert!(
        s.set_walkway(&head, w.school_site.id, gate.id, w.vault.id, Some(60)).await.is_err(),
        "a zone of another site is refused"
    );
    assert!(s.set_walkway(&head, w.school_site.id, gate.id, gate.id, Some(60)).await.is_err());
    assert!(s.walkways(&principal(Role::Guard, Org::Unit(w.hospital.id)), w.school_site.id).await.is_err());
    s.set_walkway(&head, w.school_site.id, gate.id, lab.id, None).await.unwrap();
    assert!(s.walkways(&guard, w.school_site.id).await.unwrap().is_empty());

    let cps = school_checkpoints(s, &w, 2).await;
    let t = Template {
        id: baove_core::TemplateId::mint(),
        unit_id: w.school.id,
        site_id: w.school_site.id,
        name: "Vòng 22:00".into(),
        checkpoints: vec![cps[1].id, cps[0].id],
        ordered: true,
        weekdays: 0b001_0101,
        start: jiff::civil::time(22, 0, 0, 0),
        duration_minutes: 45,
        grace_minutes: 10,
        guard_id: None,
        active: true,
    };
    assert_eq!(s.save_template(&head, &t).await.unwrap(), t);
    let off = Template { active: false, name: "Vòng 22:30".into(), ..t.clone() };
    assert_eq!(s.save_template(&head, &off).await.unwrap(), off, "saving again replaces");
    assert_eq!(s.list_templates(&guard, w.school.id).await.unwrap(), vec![off.clone()]);
    assert!(s.active_templates(&system().principal).await.unwrap().is_empty());
    s.save_template(&head, &t).await.unwrap();
    assert_eq!(s.active_templates(&system().principal).await.unwrap(), vec![t.clone()]);
    assert!(s.active_templates(&guard).await.is_err());
    let stolen = Template { unit_id: w.hospital.id, ..t.clone() };
    assert!(s.save_template(&head_of(w.hospital.id), &stolen).await.is_err(), "another unit's id is taken");
    let bank_cp = Template {
        checkpoints: vec![baove_core::CheckpointId::mint()],
        id: baove_core::TemplateId::mint(),
        ..t.clone()
    };
    assert!(s.save_template(&head, &bank_cp).await.is_err(), "checkpoints must be on the site");
    assert!(matches!(
        s.template(&principal(Role::Guard, Org::Unit(w.hospital.id)), t.id).await,
        Err(StoreError::NotFound)
    ));
    let round = t.round_on(jiff::civil::date(2026, 11, 23)).unwrap();
    assert_eq!(s.create_round(&system(), &round).await.unwrap().id, round.id);
    assert_eq!(s.create_round(&system(), &round).await.unwrap(), round, "materialising twice makes one round");
}

pub async fn the_previous_scan_is_the_same_phones(s: &dyn Store) {
    let w = World::build(s).await;
    let cps = school_checkpoints(s, &w, 2).await;
    let guard = person(s, "baove.lienthong", Role::Guard, Org::Unit(w.school.id)).await;
    let minute = jiff::SignedDuration::from_mins(1);
    let first = Scan { scanned_at: now() - 5 * minute, ..scan_at(&cps[0], &guard.principal, None) };
    let other_phone =
        Scan { scanned_at: now() - minute, device_id: "phone-2".into(), ..scan_at(&cps[1], &guard.principal, None) };
    s.record_scan(&guard, &first, None).await.unwrap();
    s.record_scan(&guard, &other_phone, None).await.unwrap();
    let prev = s.previous_scan(&guard.principal, w.school.id, "phone-1", now()).await.unwrap();
    assert_eq!(prev.map(|p| p.id), Some(first.id));
    assert!(s.previous_scan(&guard.principal, w.school.id, "phone-1", now() - 6 * minute).await.unwrap().is_none());
    let stranger = principal(Role::Guard, Org::Unit(w.hospital.id));
    assert!(s.previous_scan(&stranger, w.school.id, "phone-1", now()).await.is_err());
}

// ---- visitors at the gate (R7–R8) ----

pub(crate) fn gate_check_in(unit: UnitId, site: SiteId, number: &str, name: &str) -> crate::store::CheckInRequest {
    let draft = baove_core::visitor::CheckInDraft {
        doc_kind: "cccd".into(),
        doc_number: number.into(),
        name: name.into(),
        organisation: "Công ty Điện lực".into(),
        purpose: "Sửa điện".into(),
        plate: "30A-123.45".into(),
        ..Default::default()
    };
    let check_in = draft.parse(jiff::civil::date(2026, 11, 21)).expect("a valid check-in");
    crate::store::CheckInRequest {
        id: baove_core::visitor::VisitId(uuid::Uuid::now_v7()),
        unit_id: unit,
        site_id: site,
        check_in,
        card: Some(baove_core::visitor::CardNumber(7)),
        consent_version: baove_core::visitor::consent::CURRENT_VERSION.into(),
        overnight: false,
        traveller: None,
    }
}

pub(crate) fn gate_guard(unit: UnitId) -> Actor {
    as_actor(&principal(Role::Guard, Org::Unit(unit)))
}

pub async fn visits_belong_to_their_unit(s: &dyn Store) {
    let w = World::build(s).await;
    let guard = gate_guard(w.school.id);
    let req = gate_check_in(w.school.id, w.school_site.id, "001090123456", "Nguyễn Văn An");
    let first = s.check_in(&guard, &req).await.expect("check-in");
    assert!(first.hits.is_empty() && !first.replayed && !first.visit.watchlist_hold);
    let again = s.check_in(&guard, &req).await.expect("a resent check-in");
    assert!(again.replayed);
    assert_eq!(again.visit.id, first.visit.id);
    assert_eq!(again.visit.doc_number, "001090123456");
    // Another unit neither sees nor checks out the visit, nor records one on the school's site.
    let other = head_of(w.hospital.id);
    assert!(matches!(s.check_out(&other, req.id, true).await, Err(StoreError::NotFound)));
    assert!(matches!(s.visit(&other, req.id).await, Err(StoreError::NotFound)));
    assert!(s.list_visits(&other, w.hospital.id, &Default::default()).await.unwrap().is_empty());
    assert!(matches!(s.list_visits(&other, w.school.id, &Default::default()).await, Err(StoreError::NotFound)));
    let mut foreign = gate_check_in(w.hospital.id, w.school_site.id, "001090123456", "Nguyễn Văn An");
    foreign.card = None;
    assert!(matches!(s.check_in(&other, &foreign).await, Err(StoreError::Invalid(_))));
    // The ward police do not read a unit's visitor logbook.
    let police = as_actor(&principal(Role::AreaOfficer, Org::Authority(w.ward_a.id)));
    assert!(matches!(s.list_visits(&police, w.school.id, &Default::default()).await, Err(StoreError::Denied(_))));
    // The school finds the visitor by number, by name without accents, and inside now.
    let by_number = crate::store::VisitFilter { id_number: "001090123456".into(), ..Default::default() };
    assert_eq!(s.list_visits(&guard, w.school.id, &by_number).await.unwrap().len(), 1);
    let by_name = crate::store::VisitFilter { text: "nguyen van an".into(), ..Default::default() };
    assert_eq!(s.list_visits(&guard, w.school.id, &by_name).await.unwrap().len(), 1);
    let cards = s.visitor_cards(&guard.principal, w.school.id).await.unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].state, baove_core::visitor::CardState::Issued);
    let out = s.check_out(&guard, req.id, true).await.expect("check-out");
    assert!(out.checked_out_at.is_some());
    assert!(matches!(s.check_out(&guard, req.id, true).await, Err(StoreError::Invalid(_))));
    let inside = crate::store::VisitFilter { inside_only: true, ..Default::default() };
    assert!(s.list_visits(&guard, w.school.id, &inside).await.unwrap().is_empty());
    let cards = s.visitor_cards(&guard.principal, w.school.id).await.unwrap();
    assert_eq!(cards[0].state, baove_core::visitor::CardState::Returned);
    // Every read of the logbook is in the audit chain.
    let reads = s
        .audit_entries(&system().principal, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "visit.read")
        .count();
    assert!(reads >= 4, "{reads} audited reads");
}

pub async fn a_police_watchlist_holds_the_check_in(s: &dyn Store) {
    use baove_core::visitor::watchlist::{ListSource, MatchField, WatchOwner};
    let w = World::build(s).await;
    let officer = as_actor(&principal(Role::AreaOfficer, Org::Authority(w.ward_a.id)));
    let entry = crate::store::NewWatchEntry {
        id: baove_core::visitor::WatchEntryId(uuid::Uuid::now_v7()),
        owner: WatchOwner::Police(w.ward_a.id),
        field: MatchField::IdNumber,
        value: "001090999999".into(),
        reason: "Đối tượng truy nã".into(),
        expires_at: None,
    };
    let row = s.add_watch(&officer, &entry).await.expect("police entry");
    assert_eq!(row.label, "•••9999");
    // A unit cannot write to the police list, nor another ward's officer.
    let other_ward = as_actor(&principal(Role::AreaOfficer, Org::Authority(w.ward_b.id)));
    let again =
        crate::store::NewWatchEntry { id: baove_core::visitor::WatchEntryId(uuid::Uuid::now_v7()), ..entry.clone() };
    assert!(s.add_watch(&head_of(w.school.id), &again).await.is_err());
    assert!(s.add_watch(&other_ward, &again).await.is_err());
    let guard = gate_guard(w.school.id);
    let held = s
        .check_in(&guard, &gate_check_in(w.school.id, w.school_site.id, "001090999999", "Trần Văn Bình"))
        .await
        .expect("a held check-in is recorded");
    assert!(held.visit.watchlist_hold);
    assert!(held.visit.card.is_none(), "a held visitor gets no card");
    assert_eq!(held.hits.len(), 1);
    assert_eq!(held.hits[0].source, ListSource::Police);
    // The list of ward B does not apply to the school (ward A).
    let b_entry = crate::store::NewWatchEntry {
        id: baove_core::visitor::WatchEntryId(uuid::Uuid::now_v7()),
        owner: WatchOwner::Police(w.ward_b.id),
        field: MatchField::Plate,
        value: "30A-123.45".into(),
        reason: "Xe nghi biển giả".into(),
        expires_at: None,
    };
    s.add_watch(&other_ward, &b_entry).await.expect("ward B entry");
    let clear =
        s.check_in(&guard, &gate_check_in(w.school.id, w.school_site.id, "001090123456", "Lê Thị Cúc")).await.unwrap();
    assert!(clear.hits.is_empty());
    // The unit's own list by name, accent-insensitive.
    let own = crate::store::NewWatchEntry {
        id: baove_core::visitor::WatchEntryId(uuid::Uuid::now_v7()),
        owner: WatchOwner::Unit(w.school.id),
        field: MatchField::Name,
        value: "LE THI CUC".into(),
        reason: "Đã gây rối".into(),
        expires_at: None,
    };
    assert!(s.add_watch(&guard, &own).await.is_err(), "a guard does not edit the list");
    s.add_watch(&head_of(w.school.id), &own).await.expect("unit entry");
    let hit =
        s.check_in(&guard, &gate_check_in(w.school.id, w.school_site.id, "001090123457", "Lê Thị Cúc")).await.unwrap();
    assert_eq!(hit.hits.len(), 1);
    assert_eq!(hit.hits[0].source, ListSource::Unit);
    assert_eq!(s.watchlist(&officer.principal, WatchOwner::Police(w.ward_a.id)).await.unwrap().len(), 1);
    assert!(s.watchlist(&guard.principal, WatchOwner::Police(w.ward_a.id)).await.is_err());
    s.remove_watch(&head_of(w.school.id), own.id).await.unwrap();
    assert!(s.watchlist(&guard.principal, WatchOwner::Unit(w.school.id)).await.unwrap().is_empty());
}

pub async fn retention_purges_personal_fields_and_keeps_counts(s: &dyn Store) {
    let w = World::build(s).await;
    let guard = gate_guard(w.school.id);
    let head = head_of(w.school.id);
    let policy = baove_core::visitor::RetentionPolicy::new(30, 365).unwrap();
    let settings = crate::store::VisitorSettings { retention: policy, ..Default::default() };
    assert!(s.set_visitor_settings(&guard, w.school.id, settings).await.is_err());
    s.set_visitor_settings(&head, w.school.id, settings).await.unwrap();
    assert_eq!(s.visitor_settings(&guard.principal, w.school.id).await.unwrap().retention.visit_days(), 30);
    for (n, name) in [("001090123456", "Nguyễn Văn An"), ("001090123457", "Phạm Thị Dung")] {
        let v = s.check_in(&guard, &gate_check_in(w.school.id, w.school_site.id, n, name)).await.unwrap();
        s.check_out(&guard, v.visit.id, true).await.unwrap();
    }
    let later = |days: i64| Actor {
        principal: system().principal,
        at: now().checked_add(jiff::SignedDuration::from_hours(24 * days)).unwrap(),
    };
    assert_eq!(s.purge_expired(&later(10), None).await.unwrap(), 0);
    assert_eq!(s.purge_expired(&later(31), None).await.unwrap(), 2);
    assert_eq!(s.purge_expired(&later(32), None).await.unwrap(), 0);
    let all = s.list_visits(&guard, w.school.id, &Default::default()).await.unwrap();
    assert_eq!(all.len(), 2, "counts are kept");
    for v in &all {
        assert_eq!(v.name, baove_core::visitor::retention::PURGED);
        assert_eq!(v.doc_number, baove_core::visitor::retention::PURGED);
        assert_eq!(v.purpose, "Sửa điện");
        assert!(v.purged_at.is_some());
    }
    let by_number = crate::store::VisitFilter { id_number: "001090123456".into(), ..Default::default() };
    assert!(s.list_visits(&guard, w.school.id, &by_number).await.unwrap().is_empty());
    // A deletion request anonymises one person's visits at once.
    s.check_in(&guard, &gate_check_in(w.school.id, w.school_site.id, "001090123458", "Hoàng Văn Em")).await.unwrap();
    assert!(s.delete_person(&guard, w.school.id, "001090123458").await.is_err());
    assert_eq!(s.delete_person(&head, w.school.id, "001090123458").await.unwrap(), 1);
}

pub async fn id_numbers_are_sealed_at_rest<S: Store + Tamper>(s: &S) {
    let w = World::build(s).await;
    let guard = gate_guard(w.school.id);
    let req = gate_check_in(w.school.id, w.school_site.id, "001090123456", "Nguyễn Văn An");
    let v = s.check_in(&guard, &req).await.unwrap().visit;
    assert_eq!(v.doc_number, "001090123456");
    let raw = s.raw_visit_document(req.id).await.expect("the stored bytes");
    assert!(raw.len() > 12 + 16);
    assert!(!raw.windows(12).any(|w| w == b"001090123456"), "the number is not stored in clear");
    assert_eq!(s.visit(&guard, req.id).await.unwrap().doc_number, "001090123456");
}
