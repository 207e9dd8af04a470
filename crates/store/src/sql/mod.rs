//! The one SQL implementation of [`Store`], over any [`Driver`]. Statements are written once
//! in the dialect both SQLite and PostgreSQL accept (`$n` placeholders, `with recursive`,
//! `returning`); the few differences ask [`Driver::dialect`].

mod accounts;
mod alarms;
mod alerts;
mod audit;
mod authorities;
mod common;
mod foreigners;
mod guards;
mod incident_stats;
mod incidents;
mod invites;
mod notify;
mod patrols;
mod plans;
mod premises;
mod roster;
mod scope;
mod settings;
mod templates;
mod units;
mod visitors;

use async_trait::async_trait;
use baove_core::access::{Org, Principal};
use baove_core::account::{Account, AccountInput};
use baove_core::audit::AuditEntry;
use baove_core::incident::Incident;
use baove_core::registry::{
    Authority, AuthorityInput, Certificate, Checkpoint, CheckpointInput, Device, DeviceInput, Guard, GuardInput,
    IssuedTool, Site, SiteInput, Unit, UnitInput, Zone, ZoneInput,
};
use baove_core::{AccountId, AuthorityId, CheckpointId, DeviceId, GuardId, SiteId, TokenId, UnitId, ZoneId};
use jiff::Timestamp;

use crate::driver::Driver;
use crate::error::Result;
use crate::store::{
    Actor, ApiToken, IncidentFilter, NewAlert, PatrolStore, PlanStore, ScanOutcome, Session, Store, TagBinding,
    UnitBrief, UnitFilter, Walkway,
};
use baove_core::patrol::alert::Alert;
use baove_core::patrol::escalation::{Ladder, Tier};
use baove_core::patrol::round::Round;
use baove_core::patrol::scan::Scan;
use baove_core::patrol::template::Template;
use baove_core::{AlertId, RoundId, TemplateId};

/// The store, over a database driver.
pub struct SqlStore<D> {
    driver: D,
}

impl<D: Driver> SqlStore<D> {
    pub fn new(driver: D) -> Self {
        Self { driver }
    }

    pub fn driver(&self) -> &D {
        &self.driver
    }
}

#[async_trait]
impl<D: Driver> Store for SqlStore<D> {
    async fn account_count(&self) -> Result<i64> {
        accounts::count(&self.driver).await
    }
    async fn create_account(&self, actor: &Actor, input: &AccountInput, password_hash: &str) -> Result<Account> {
        accounts::create(&self.driver, actor, input, password_hash).await
    }
    async fn login_lookup(&self, username: &str) -> Result<Option<(Account, String)>> {
        accounts::login_lookup(&self.driver, username).await
    }
    async fn account(&self, p: &Principal, id: AccountId) -> Result<Account> {
        accounts::get(&self.driver, p, id).await
    }
    async fn list_accounts(&self, p: &Principal, org: Org) -> Result<Vec<Account>> {
        accounts::list(&self.driver, p, org).await
    }
    async fn set_password(&self, actor: &Actor, id: AccountId, password_hash: &str) -> Result<()> {
        accounts::set_password(&self.driver, actor, id, password_hash).await
    }
    async fn set_account_active(&self, actor: &Actor, id: AccountId, active: bool) -> Result<()> {
        accounts::set_active(&self.driver, actor, id, active).await
    }
    async fn create_session(&self, session: &Session) -> Result<()> {
        accounts::create_session(&self.driver, session).await
    }
    async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<(Session, Account)>> {
        accounts::session(&self.driver, token_hash, now).await
    }
    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        accounts::delete_session(&self.driver, token_hash).await
    }
    async fn create_token(&self, actor: &Actor, name: &str, token_hash: &str) -> Result<ApiToken> {
        accounts::create_token(&self.driver, actor, name, token_hash).await
    }
    async fn token_account(&self, token_hash: &str) -> Result<Option<Account>> {
        accounts::token_account(&self.driver, token_hash).await
    }
    async fn list_tokens(&self, p: &Principal) -> Result<Vec<ApiToken>> {
        accounts::list_tokens(&self.driver, p).await
    }
    async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<()> {
        accounts::revoke_token(&self.driver, actor, id).await
    }

    async fn create_authority(&self, actor: &Actor, input: &AuthorityInput) -> Result<Authority> {
        authorities::create(&self.driver, actor, input).await
    }
    async fn update_authority(&self, actor: &Actor, id: AuthorityId, input: &AuthorityInput) -> Result<Authority> {
        authorities::update(&self.driver, actor, id, input).await
    }
    async fn authority(&self, p: &Principal, id: AuthorityId) -> Result<Authority> {
        authorities::get(&self.driver, p, id).await
    }
    async fn list_authorities(&self, p: &Principal, text: &str) -> Result<Vec<Authority>> {
        authorities::list(&self.driver, p, text).await
    }

    async fn create_unit(&self, actor: &Actor, input: &UnitInput) -> Result<Unit> {
        units::create(&self.driver, actor, input).await
    }
    async fn update_unit(&self, actor: &Actor, id: UnitId, input: &UnitInput) -> Result<Unit> {
        units::update(&self.driver, actor, id, input).await
    }
    async fn unit(&self, p: &Principal, id: UnitId) -> Result<Unit> {
        units::get(&self.driver, p, id).await
    }
    async fn list_units(&self, p: &Principal, filter: &UnitFilter) -> Result<Vec<Unit>> {
        units::list(&self.driver, p, filter).await
    }
    async fn grant_clearance(&self, actor: &Actor, unit: UnitId, account: AccountId) -> Result<()> {
        units::grant_clearance(&self.driver, actor, unit, account).await
    }
    async fn revoke_clearance(&self, actor: &Actor, unit: UnitId, account: AccountId) -> Result<()> {
        units::revoke_clearance(&self.driver, actor, unit, account).await
    }
    async fn list_clearances(&self, p: &Principal, unit: UnitId) -> Result<Vec<Account>> {
        units::list_clearances(&self.driver, p, unit).await
    }

    async fn create_site(&self, actor: &Actor, input: &SiteInput) -> Result<Site> {
        premises::create_site(&self.driver, actor, input).await
    }
    async fn update_site(&self, actor: &Actor, id: SiteId, input: &SiteInput) -> Result<Site> {
        premises::update_site(&self.driver, actor, id, input).await
    }
    async fn site(&self, p: &Principal, id: SiteId) -> Result<Site> {
        premises::site(&self.driver, p, id).await
    }
    async fn list_sites(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Site>> {
        premises::list_sites(&self.driver, p, unit, text).await
    }
    async fn create_zone(&self, actor: &Actor, input: &ZoneInput) -> Result<Zone> {
        premises::create_zone(&self.driver, actor, input).await
    }
    async fn update_zone(&self, actor: &Actor, id: ZoneId, input: &ZoneInput) -> Result<Zone> {
        premises::update_zone(&self.driver, actor, id, input).await
    }
    async fn zone(&self, p: &Principal, id: ZoneId) -> Result<Zone> {
        premises::zone(&self.driver, p, id).await
    }
    async fn list_zones(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Zone>> {
        premises::list_zones(&self.driver, p, unit, text).await
    }
    async fn create_checkpoint(&self, actor: &Actor, input: &CheckpointInput) -> Result<Checkpoint> {
        premises::create_checkpoint(&self.driver, actor, input).await
    }
    async fn update_checkpoint(&self, actor: &Actor, id: CheckpointId, input: &CheckpointInput) -> Result<Checkpoint> {
        premises::update_checkpoint(&self.driver, actor, id, input).await
    }
    async fn checkpoint(&self, p: &Principal, id: CheckpointId) -> Result<Checkpoint> {
        premises::checkpoint(&self.driver, p, id).await
    }
    async fn list_checkpoints(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Checkpoint>> {
        premises::list_checkpoints(&self.driver, p, unit, text).await
    }
    async fn create_device(&self, actor: &Actor, input: &DeviceInput) -> Result<Device> {
        premises::create_device(&self.driver, actor, input).await
    }
    async fn update_device(&self, actor: &Actor, id: DeviceId, input: &DeviceInput) -> Result<Device> {
        premises::update_device(&self.driver, actor, id, input).await
    }
    async fn device(&self, p: &Principal, id: DeviceId) -> Result<Device> {
        premises::device(&self.driver, p, id).await
    }
    async fn list_devices(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Device>> {
        premises::list_devices(&self.driver, p, unit, text).await
    }
    async fn create_guard(&self, actor: &Actor, input: &GuardInput) -> Result<Guard> {
        guards::create(&self.driver, actor, input).await
    }
    async fn update_guard(&self, actor: &Actor, id: GuardId, input: &GuardInput) -> Result<Guard> {
        guards::update(&self.driver, actor, id, input).await
    }
    async fn guard(&self, p: &Principal, id: GuardId) -> Result<Guard> {
        guards::get(&self.driver, p, id).await
    }
    async fn list_guards(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Guard>> {
        guards::list(&self.driver, p, unit, text).await
    }
    async fn add_certificate(&self, actor: &Actor, guard: GuardId, cert: &Certificate) -> Result<Guard> {
        guards::add_certificate(&self.driver, actor, guard, cert).await
    }
    async fn add_tool(&self, actor: &Actor, guard: GuardId, tool: &IssuedTool) -> Result<Guard> {
        guards::add_tool(&self.driver, actor, guard, tool).await
    }

    async fn create_incident(&self, actor: &Actor, incident: &Incident) -> Result<Incident> {
        incidents::create(&self.driver, actor, incident).await
    }
    async fn list_incidents(&self, p: &Principal, filter: &IncidentFilter) -> Result<Vec<(Incident, UnitBrief)>> {
        incidents::list(&self.driver, p, filter).await
    }
    async fn incident_tally(
        &self,
        p: &Principal,
        since: Timestamp,
    ) -> Result<Vec<(baove_core::registry::UnitKind, i64)>> {
        incidents::tally(&self.driver, p, since).await
    }
    async fn incident_facts(
        &self,
        p: &Principal,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<baove_core::stats::IncidentFact>> {
        incident_stats::facts(&self.driver, p, from, to).await
    }

    async fn audit_entries(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::entries(&self.driver, p, after_seq, limit).await
    }
    async fn unit_history(&self, p: &Principal, unit: UnitId, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::unit_history(&self.driver, p, unit, limit).await
    }
}

#[async_trait]
impl<D: Driver> PatrolStore for SqlStore<D> {
    async fn unit_master_key(&self, actor: &Actor, unit: UnitId, fresh: [u8; 32]) -> Result<[u8; 32]> {
        patrols::unit_master_key(&self.driver, actor, unit, fresh).await
    }
    async fn bind_tag(&self, actor: &Actor, checkpoint: CheckpointId, uid: &str) -> Result<()> {
        patrols::bind_tag(&self.driver, actor, checkpoint, uid).await
    }
    async fn tag(&self, uid: &str) -> Result<Option<TagBinding>> {
        patrols::tag(&self.driver, uid).await
    }
    async fn tag_master(&self, unit: UnitId) -> Result<Option<[u8; 32]>> {
        patrols::tag_master(&self.driver, unit).await
    }
    async fn checkpoint_code(&self, actor: &Actor, checkpoint: CheckpointId, fresh: &str) -> Result<String> {
        patrols::checkpoint_code(&self.driver, actor, checkpoint, fresh).await
    }
    async fn checkpoint_by_code(&self, p: &Principal, secret: &str) -> Result<Checkpoint> {
        patrols::checkpoint_by_code(&self.driver, p, secret).await
    }
    async fn create_round(&self, actor: &Actor, round: &Round) -> Result<Round> {
        patrols::create_round(&self.driver, actor, round).await
    }
    async fn round(&self, p: &Principal, id: RoundId) -> Result<Round> {
        patrols::round(&self.driver, p, id).await
    }
    async fn list_rounds(&self, p: &Principal, unit: UnitId, from: Timestamp, to: Timestamp) -> Result<Vec<Round>> {
        patrols::list_rounds(&self.driver, p, unit, from, to).await
    }
    async fn rounds_in_scope(&self, p: &Principal, from: Timestamp, to: Timestamp) -> Result<Vec<Round>> {
        patrols::rounds_in_scope(&self.driver, p, from, to).await
    }
    async fn create_shift(
        &self,
        actor: &Actor,
        shift: &baove_core::patrol::roster::Shift,
    ) -> Result<baove_core::patrol::roster::Shift> {
        roster::create_shift(&self.driver, actor, shift).await
    }
    async fn list_shifts(
        &self,
        p: &Principal,
        unit: UnitId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<baove_core::patrol::roster::Shift>> {
        roster::list_shifts(&self.driver, p, unit, from, to).await
    }
    async fn record_scan(&self, actor: &Actor, scan: &Scan, tag_uid: Option<&str>) -> Result<ScanOutcome> {
        patrols::record_scan(&self.driver, actor, scan, tag_uid).await
    }
    async fn checkpoint_scans(
        &self,
        p: &Principal,
        checkpoint: CheckpointId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Scan>> {
        patrols::checkpoint_scans(&self.driver, p, checkpoint, from, to).await
    }
    async fn list_scans(&self, p: &Principal, unit: UnitId, from: Timestamp, to: Timestamp) -> Result<Vec<Scan>> {
        patrols::list_scans(&self.driver, p, unit, from, to).await
    }
    async fn raise_alert(&self, alert: &NewAlert) -> Result<Option<Alert>> {
        alerts::raise(&self.driver, alert).await
    }
    async fn escalate_alert(&self, id: AlertId, tier: Tier) -> Result<()> {
        alerts::escalate(&self.driver, id, tier).await
    }
    async fn ack_alert(&self, actor: &Actor, id: AlertId) -> Result<Alert> {
        alerts::ack(&self.driver, actor, id).await
    }
    async fn alerts_after(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<Alert>> {
        alerts::after(&self.driver, p, after_seq, limit).await
    }
    async fn open_alerts(&self, p: &Principal) -> Result<Vec<Alert>> {
        alerts::open(&self.driver, p).await
    }
    async fn previous_scan(
        &self,
        p: &Principal,
        unit: UnitId,
        device: &str,
        before: Timestamp,
    ) -> Result<Option<Scan>> {
        patrols::previous_scan(&self.driver, p, unit, device, before).await
    }
    async fn ladder(&self, p: &Principal, unit: UnitId) -> Result<Ladder> {
        settings::ladder(&self.driver, p, unit).await
    }
    async fn ladders(&self, p: &Principal) -> Result<Vec<(UnitId, Ladder)>> {
        settings::ladders(&self.driver, p).await
    }
    async fn set_ladder(&self, actor: &Actor, unit: UnitId, ladder: Ladder) -> Result<()> {
        settings::set_ladder(&self.driver, actor, unit, ladder).await
    }
    async fn walkways(&self, p: &Principal, site: SiteId) -> Result<Vec<Walkway>> {
        settings::walkways(&self.driver, p, site).await
    }
    async fn set_walkway(&self, actor: &Actor, site: SiteId, a: ZoneId, b: ZoneId, seconds: Option<i64>) -> Result<()> {
        settings::set_walkway(&self.driver, actor, site, a, b, seconds).await
    }
    async fn save_template(&self, actor: &Actor, template: &Template) -> Result<Template> {
        templates::save(&self.driver, actor, template).await
    }
    async fn template(&self, p: &Principal, id: TemplateId) -> Result<Template> {
        templates::template(&self.driver, p, id).await
    }
    async fn list_templates(&self, p: &Principal, unit: UnitId) -> Result<Vec<Template>> {
        templates::list(&self.driver, p, unit).await
    }
    async fn active_templates(&self, p: &Principal) -> Result<Vec<Template>> {
        templates::active(&self.driver, p).await
    }
}

#[async_trait]
impl<D: Driver> PlanStore for SqlStore<D> {
    async fn save_plan(
        &self,
        actor: &Actor,
        plan: &baove_core::patrol::plan::Plan,
        rounds: &[Round],
    ) -> Result<baove_core::patrol::plan::Plan> {
        plans::save(&self.driver, actor, plan, rounds).await
    }
    async fn plan(
        &self,
        p: &Principal,
        site: SiteId,
        night: jiff::civil::Date,
    ) -> Result<Option<baove_core::patrol::plan::Plan>> {
        plans::get(&self.driver, p, site, night).await
    }
    async fn lock_plan(
        &self,
        actor: &Actor,
        id: baove_core::PlanId,
        locked: bool,
    ) -> Result<baove_core::patrol::plan::Plan> {
        plans::lock(&self.driver, actor, id, locked).await
    }
    async fn unit_days(&self, p: &Principal, unit: UnitId) -> Result<baove_core::calendar::Overrides> {
        plans::unit_days(&self.driver, p, unit).await
    }
    async fn set_unit_day(&self, actor: &Actor, unit: UnitId, day: &baove_core::calendar::Override) -> Result<()> {
        plans::set_unit_day(&self.driver, actor, unit, day).await
    }
    async fn remove_unit_day(&self, actor: &Actor, unit: UnitId, date: jiff::civil::Date) -> Result<()> {
        plans::remove_unit_day(&self.driver, actor, unit, date).await
    }
}

#[async_trait]
impl<D: Driver + crate::Tamper> crate::Tamper for SqlStore<D> {
    async fn tamper_audit_row(&self, seq: i64, new_after: &str) -> Result<()> {
        self.driver.tamper_audit_row(seq, new_after).await
    }
    async fn raw_visit_document(&self, id: baove_core::visitor::VisitId) -> Result<Vec<u8>> {
        let rows = self.driver.fetch("select doc_cipher from visits where id = $1", &[id.0.into()]).await?;
        rows.first().ok_or(crate::StoreError::NotFound)?.bytes("doc_cipher")
    }
}

// ---- visitors at the gate (R7–R8) ----
#[async_trait]
impl<D: Driver> crate::store::VisitorStore for SqlStore<D> {
    async fn visitor_settings(&self, p: &Principal, unit: UnitId) -> Result<crate::store::VisitorSettings> {
        visitors::settings(&self.driver, p, unit).await
    }
    async fn set_visitor_settings(
        &self,
        actor: &Actor,
        unit: UnitId,
        settings: crate::store::VisitorSettings,
    ) -> Result<()> {
        visitors::set_settings(&self.driver, actor, unit, settings).await
    }
    async fn check_in(&self, actor: &Actor, req: &crate::store::CheckInRequest) -> Result<crate::store::CheckedIn> {
        visitors::check_in(&self.driver, actor, req).await
    }
    async fn check_out(
        &self,
        actor: &Actor,
        id: baove_core::visitor::VisitId,
        card_back: bool,
    ) -> Result<baove_core::visitor::Visit> {
        visitors::check_out(&self.driver, actor, id, card_back).await
    }
    async fn visit(&self, actor: &Actor, id: baove_core::visitor::VisitId) -> Result<baove_core::visitor::Visit> {
        visitors::visit(&self.driver, actor, id).await
    }
    async fn list_visits(
        &self,
        actor: &Actor,
        unit: UnitId,
        filter: &crate::store::VisitFilter,
    ) -> Result<Vec<baove_core::visitor::Visit>> {
        visitors::list(&self.driver, actor, unit, filter).await
    }
    async fn visitor_cards(&self, p: &Principal, unit: UnitId) -> Result<Vec<baove_core::visitor::VisitorCard>> {
        visitors::cards(&self.driver, p, unit).await
    }
    async fn add_visitor_cards(&self, actor: &Actor, unit: UnitId, from: u16, to: u16) -> Result<u64> {
        visitors::add_cards(&self.driver, actor, unit, from, to).await
    }
    async fn card_action(
        &self,
        actor: &Actor,
        unit: UnitId,
        number: baove_core::visitor::CardNumber,
        action: baove_core::visitor::CardAction,
    ) -> Result<baove_core::visitor::VisitorCard> {
        visitors::card_action(&self.driver, actor, unit, number, action).await
    }
    async fn watchlist(
        &self,
        p: &Principal,
        owner: baove_core::visitor::watchlist::WatchOwner,
    ) -> Result<Vec<crate::store::WatchRow>> {
        visitors::watchlist(&self.driver, p, owner).await
    }
    async fn add_watch(&self, actor: &Actor, entry: &crate::store::NewWatchEntry) -> Result<crate::store::WatchRow> {
        visitors::add_watch(&self.driver, actor, entry).await
    }
    async fn remove_watch(&self, actor: &Actor, id: baove_core::visitor::WatchEntryId) -> Result<()> {
        visitors::remove_watch(&self.driver, actor, id).await
    }
    async fn purge_expired(&self, actor: &Actor, unit: Option<UnitId>) -> Result<u64> {
        visitors::purge_expired(&self.driver, actor, unit).await
    }
    async fn delete_person(&self, actor: &Actor, unit: UnitId, id_number: &str) -> Result<u64> {
        visitors::delete_person(&self.driver, actor, unit, id_number).await
    }
}

#[async_trait]
impl<D: Driver> crate::IncidentStore for SqlStore<D> {
    async fn report_incident(
        &self,
        actor: &Actor,
        incident: &Incident,
        photos: &[crate::NewPhoto],
    ) -> Result<(crate::IncidentCase, bool)> {
        incidents::report(&self.driver, actor, incident, photos).await
    }
    async fn incident_case(&self, p: &Principal, id: baove_core::IncidentId) -> Result<crate::IncidentCase> {
        incidents::case(&self.driver, p, id).await
    }
    async fn incident_photo(
        &self,
        p: &Principal,
        incident: baove_core::IncidentId,
        photo: uuid::Uuid,
    ) -> Result<(String, Vec<u8>)> {
        incidents::photo(&self.driver, p, incident, photo).await
    }
    async fn move_incident(
        &self,
        actor: &Actor,
        id: baove_core::IncidentId,
        mv: &baove_core::alarm::incident::Move,
        causes: &[baove_core::incident::Cause],
    ) -> Result<crate::IncidentCase> {
        incidents::move_to(&self.driver, actor, id, mv, causes).await
    }
    async fn note_incident(
        &self,
        actor: &Actor,
        id: baove_core::IncidentId,
        note: &str,
    ) -> Result<crate::IncidentCase> {
        incidents::note(&self.driver, actor, id, note).await
    }
    async fn incidents_after(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<crate::IncidentChange>> {
        incidents::after(&self.driver, p, after_seq, limit).await
    }
    async fn latest_incident_seq(&self, p: &Principal) -> Result<i64> {
        incidents::latest_seq(&self.driver, p).await
    }
    async fn open_incident_at(
        &self,
        p: &Principal,
        site: SiteId,
        zone: ZoneId,
        since: Timestamp,
    ) -> Result<Option<baove_core::IncidentId>> {
        incidents::open_at(&self.driver, p, site, zone, since).await
    }
}

#[async_trait]
impl<D: Driver> crate::NotifyStore for SqlStore<D> {
    async fn add_channel(
        &self,
        actor: &Actor,
        org: Org,
        input: &baove_core::notify::ChannelInput,
        secret: &str,
    ) -> Result<crate::Channel> {
        notify::add_channel(&self.driver, actor, org, input, secret).await
    }
    async fn remove_channel(&self, actor: &Actor, id: uuid::Uuid) -> Result<()> {
        notify::remove_channel(&self.driver, actor, id).await
    }
    async fn channels(&self, p: &Principal, org: Org) -> Result<Vec<crate::Channel>> {
        notify::channels(&self.driver, p, org).await
    }
    async fn deliveries(&self, p: &Principal, org: Org, limit: u32) -> Result<Vec<crate::Delivery>> {
        notify::deliveries(&self.driver, p, org, limit).await
    }
    async fn enqueue(&self, at: Timestamp, event: &crate::NotifyEvent) -> Result<usize> {
        notify::enqueue(&self.driver, at, event).await
    }
    async fn due_deliveries(&self, now: Timestamp, limit: u32) -> Result<Vec<crate::DueBatch>> {
        notify::due(&self.driver, now, limit).await
    }
    async fn settle_delivery(
        &self,
        id: uuid::Uuid,
        status: baove_core::notify::DeliveryStatus,
        error: &str,
        retry_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<()> {
        notify::settle(&self.driver, id, status, error, retry_at, at).await
    }
}

#[async_trait]
impl<D: Driver> crate::GateStore for SqlStore<D> {
    async fn foreign_workers(&self, actor: &Actor, unit: UnitId) -> Result<Vec<baove_core::visitor::ForeignWorker>> {
        foreigners::workers(&self.driver, actor, unit).await
    }
    async fn save_foreign_worker(
        &self,
        actor: &Actor,
        worker: &baove_core::visitor::ForeignWorker,
    ) -> Result<baove_core::visitor::ForeignWorker> {
        foreigners::save_worker(&self.driver, actor, worker).await
    }
    async fn remove_foreign_worker(&self, actor: &Actor, id: baove_core::visitor::ForeignWorkerId) -> Result<()> {
        foreigners::remove_worker(&self.driver, actor, id).await
    }
    async fn stay_tasks(&self, actor: &Actor, unit: UnitId) -> Result<Vec<crate::StayTask>> {
        foreigners::stay_tasks(&self.driver, actor, unit).await
    }
    async fn mark_declared(&self, actor: &Actor, visit: baove_core::visitor::VisitId) -> Result<crate::StayTask> {
        foreigners::mark_declared(&self.driver, actor, visit).await
    }
    async fn report_to_police(&self, actor: &Actor, report: &crate::NewPoliceReport) -> Result<crate::Reported> {
        foreigners::report(&self.driver, actor, report).await
    }
    async fn police_reports(&self, actor: &Actor, limit: u32) -> Result<Vec<crate::PoliceReport>> {
        foreigners::reports(&self.driver, actor, limit).await
    }
    async fn create_invite(&self, actor: &Actor, invite: &crate::NewInvite) -> Result<crate::Invitation> {
        invites::create(&self.driver, actor, invite).await
    }
    async fn invite(&self, actor: &Actor, id: uuid::Uuid) -> Result<crate::Invitation> {
        invites::get(&self.driver, actor, id).await
    }
    async fn invite_by_token(&self, actor: &Actor, token: &str) -> Result<crate::Invitation> {
        invites::by_token(&self.driver, actor, token).await
    }
    async fn my_invites(&self, actor: &Actor) -> Result<Vec<crate::Invitation>> {
        invites::mine(&self.driver, actor).await
    }
}
