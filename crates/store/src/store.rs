//! The [`Store`] trait: everything the server asks of storage.

use async_trait::async_trait;
use baove_core::access::{Org, Principal};
use baove_core::account::{Account, AccountInput};
use baove_core::audit::AuditEntry;
use baove_core::incident::Incident;
use baove_core::patrol::alert::{Alert, AlertKind};
use baove_core::patrol::escalation::{Ladder, Tier};
use baove_core::patrol::plan::Plan;
use baove_core::patrol::round::Round;
use baove_core::patrol::scan::Scan;
use baove_core::patrol::template::Template;
use baove_core::registry::{
    Authority, AuthorityInput, Certificate, Checkpoint, CheckpointInput, Device, DeviceInput, Guard, GuardInput,
    IssuedTool, Site, SiteInput, Unit, UnitInput, UnitKind, Zone, ZoneInput,
};
use baove_core::{
    AccountId, AlertId, AuthorityId, CheckpointId, DeviceId, GuardId, PlanId, RoundId, SiteId, TemplateId, TokenId,
    UnitId, ZoneId,
};
use jiff::Timestamp;
use serde::Serialize;

use crate::error::Result;

/// Who is writing, and when: every write is audited with these.
#[derive(Debug, Clone)]
pub struct Actor {
    pub principal: Principal,
    pub at: Timestamp,
}

/// A signed-in browser session. Only the SHA-256 of the cookie token is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub account_id: AccountId,
    /// The CSRF token every form of this session must carry.
    pub csrf: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An integration token (shown once; only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub account_id: AccountId,
    pub name: String,
    pub created_at: Timestamp,
    pub revoked: bool,
}

/// Filters of the unit list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Accent-insensitive words that must all appear in the name or address.
    pub text: String,
    pub kind: Option<UnitKind>,
    pub key_target: Option<bool>,
    pub authority_id: Option<AuthorityId>,
}

/// A unit's name and type, shown beside records that belong to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitBrief {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub key_target: bool,
}

/// Filters of the incident list.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub unit_id: Option<UnitId>,
    pub since: Option<Timestamp>,
    pub limit: Option<u32>,
}

/// Everything baove stores. Reads take the caller's principal first; writes take an actor.
#[async_trait]
pub trait Store:
    PatrolStore
    + PlanStore
    + VisitorStore
    + crate::AlarmStore
    + crate::IncidentStore
    + crate::NotifyStore
    + crate::GateStore
    + Send
    + Sync
    + 'static
{
    /// How many accounts exist (zero on a fresh installation).
    async fn account_count(&self) -> Result<i64>;

    // ---- accounts, sessions, tokens ----
    async fn create_account(&self, actor: &Actor, input: &AccountInput, password_hash: &str) -> Result<Account>;
    /// The active account with this username and its password hash, for signing in.
    async fn login_lookup(&self, username: &str) -> Result<Option<(Account, String)>>;
    async fn account(&self, p: &Principal, id: AccountId) -> Result<Account>;
    async fn list_accounts(&self, p: &Principal, org: Org) -> Result<Vec<Account>>;
    async fn set_password(&self, actor: &Actor, id: AccountId, password_hash: &str) -> Result<()>;
    async fn set_account_active(&self, actor: &Actor, id: AccountId, active: bool) -> Result<()>;
    async fn create_session(&self, session: &Session) -> Result<()>;
    /// The unexpired session with this token hash and its active account.
    async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<(Session, Account)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_token(&self, actor: &Actor, name: &str, token_hash: &str) -> Result<ApiToken>;
    /// The active account behind an unrevoked token.
    async fn token_account(&self, token_hash: &str) -> Result<Option<Account>>;
    async fn list_tokens(&self, p: &Principal) -> Result<Vec<ApiToken>>;
    async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<()>;

    // ---- authorities ----
    async fn create_authority(&self, actor: &Actor, input: &AuthorityInput) -> Result<Authority>;
    async fn update_authority(&self, actor: &Actor, id: AuthorityId, input: &AuthorityInput) -> Result<Authority>;
    async fn authority(&self, p: &Principal, id: AuthorityId) -> Result<Authority>;
    async fn list_authorities(&self, p: &Principal, text: &str) -> Result<Vec<Authority>>;

    // ---- units ----
    async fn create_unit(&self, actor: &Actor, input: &UnitInput) -> Result<Unit>;
    async fn update_unit(&self, actor: &Actor, id: UnitId, input: &UnitInput) -> Result<Unit>;
    async fn unit(&self, p: &Principal, id: UnitId) -> Result<Unit>;
    async fn list_units(&self, p: &Principal, filter: &UnitFilter) -> Result<Vec<Unit>>;
    /// Grants an account need-to-know access to a key target's details.
    async fn grant_clearance(&self, actor: &Actor, unit: UnitId, account: AccountId) -> Result<()>;
    async fn revoke_clearance(&self, actor: &Actor, unit: UnitId, account: AccountId) -> Result<()>;
    async fn list_clearances(&self, p: &Principal, unit: UnitId) -> Result<Vec<Account>>;

    // ---- a unit's premises and force ----
    async fn create_site(&self, actor: &Actor, input: &SiteInput) -> Result<Site>;
    async fn update_site(&self, actor: &Actor, id: SiteId, input: &SiteInput) -> Result<Site>;
    async fn site(&self, p: &Principal, id: SiteId) -> Result<Site>;
    async fn list_sites(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Site>>;
    async fn create_zone(&self, actor: &Actor, input: &ZoneInput) -> Result<Zone>;
    async fn update_zone(&self, actor: &Actor, id: ZoneId, input: &ZoneInput) -> Result<Zone>;
    async fn zone(&self, p: &Principal, id: ZoneId) -> Result<Zone>;
    async fn list_zones(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Zone>>;
    async fn create_checkpoint(&self, actor: &Actor, input: &CheckpointInput) -> Result<Checkpoint>;
    async fn update_checkpoint(&self, actor: &Actor, id: CheckpointId, input: &CheckpointInput) -> Result<Checkpoint>;
    async fn checkpoint(&self, p: &Principal, id: CheckpointId) -> Result<Checkpoint>;
    async fn list_checkpoints(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Checkpoint>>;
    async fn create_device(&self, actor: &Actor, input: &DeviceInput) -> Result<Device>;
    async fn update_device(&self, actor: &Actor, id: DeviceId, input: &DeviceInput) -> Result<Device>;
    async fn device(&self, p: &Principal, id: DeviceId) -> Result<Device>;
    async fn list_devices(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Device>>;
    async fn create_guard(&self, actor: &Actor, input: &GuardInput) -> Result<Guard>;
    async fn update_guard(&self, actor: &Actor, id: GuardId, input: &GuardInput) -> Result<Guard>;
    async fn guard(&self, p: &Principal, id: GuardId) -> Result<Guard>;
    async fn list_guards(&self, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Guard>>;
    async fn add_certificate(&self, actor: &Actor, guard: GuardId, cert: &Certificate) -> Result<Guard>;
    async fn add_tool(&self, actor: &Actor, guard: GuardId, tool: &IssuedTool) -> Result<Guard>;

    // ---- incidents ----
    async fn create_incident(&self, actor: &Actor, incident: &Incident) -> Result<Incident>;
    async fn list_incidents(&self, p: &Principal, filter: &IncidentFilter) -> Result<Vec<(Incident, UnitBrief)>>;
    /// Incidents since `since` by type of premises, over the whole scope.
    async fn incident_tally(&self, p: &Principal, since: Timestamp) -> Result<Vec<(UnitKind, i64)>>;
    /// The facts the police statistics count: incidents that occurred in `[from, to)` in the
    /// reader's scope, oldest first (refused to the unit's guards, gate and staff).
    async fn incident_facts(
        &self,
        p: &Principal,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<baove_core::stats::IncidentFact>>;

    // ---- audit ----
    /// The chain from `after_seq + 1`, at most `limit` entries (system admins only).
    async fn audit_entries(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>>;
    /// The history of one unit, newest first (for those who may edit its details).
    async fn unit_history(&self, p: &Principal, unit: UnitId, limit: u32) -> Result<Vec<AuditEntry>>;
}

/// Test support: rewriting an audit row behind the store's back, as an intruder with direct
/// access to the database would (append-only triggers disabled first). Used to prove that
/// `baove audit verify` catches it.
#[async_trait]
pub trait Tamper {
    async fn tamper_audit_row(&self, seq: i64, new_after: &str) -> Result<()>;
    /// The stored bytes of a visit's document number, as an intruder would read them.
    async fn raw_visit_document(&self, _id: baove_core::visitor::VisitId) -> Result<Vec<u8>> {
        Err(crate::StoreError::NotFound)
    }
}

/// The walking time between two neighbouring zones of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Walkway {
    pub a: ZoneId,
    pub b: ZoneId,
    pub seconds: i64,
}

/// Where an NFC tag is bound, and the key material to verify its taps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagBinding {
    pub uid: String,
    pub unit_id: UnitId,
    pub checkpoint_id: CheckpointId,
    pub last_counter: Option<u32>,
    pub master_key: [u8; 32],
}

/// What became of a scan sent to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    Recorded(Scan),
    /// The same scan id was recorded before (a resent offline batch): nothing changed.
    Duplicate(Scan),
    /// A SUN counter at or below the tag's last: refused and reported.
    Replayed {
        last: u32,
        got: u32,
    },
}

/// A new alert; raising one whose key exists changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub key: String,
    pub unit_id: UnitId,
    pub site_id: Option<SiteId>,
    pub round_id: Option<RoundId>,
    pub kind: AlertKind,
    pub message: String,
    pub raised_at: Timestamp,
}

/// Patrols: keys and tags, rounds, scans and alerts.
#[async_trait]
pub trait PatrolStore: Send + Sync {
    /// The unit's master key for NFC tags, stored from `fresh` the first time it is asked for.
    async fn unit_master_key(&self, actor: &Actor, unit: UnitId, fresh: [u8; 32]) -> Result<[u8; 32]>;
    /// Binds an NFC tag (its UID, hex) to a checkpoint; a tag moves if bound again.
    async fn bind_tag(&self, actor: &Actor, checkpoint: CheckpointId, uid: &str) -> Result<()>;
    /// The binding of a tag UID, for verifying a tap (the tap proves itself: no principal).
    async fn tag(&self, uid: &str) -> Result<Option<TagBinding>>;
    /// The unit's tag master key if it has one (to decrypt a tap's PICCData; server only).
    async fn tag_master(&self, unit: UnitId) -> Result<Option<[u8; 32]>>;
    /// The QR secret of a checkpoint, stored from `fresh` the first time.
    async fn checkpoint_code(&self, actor: &Actor, checkpoint: CheckpointId, fresh: &str) -> Result<String>;
    /// The checkpoint whose QR carries `secret`, if the caller may see it.
    async fn checkpoint_by_code(&self, p: &Principal, secret: &str) -> Result<Checkpoint>;
    /// Creates a round (idempotent by its id).
    async fn create_round(&self, actor: &Actor, round: &Round) -> Result<Round>;
    async fn round(&self, p: &Principal, id: RoundId) -> Result<Round>;
    /// Rounds of a unit whose window overlaps `[from, to]`.
    async fn list_rounds(&self, p: &Principal, unit: UnitId, from: Timestamp, to: Timestamp) -> Result<Vec<Round>>;
    /// Rounds of every unit in scope whose window (with grace) overlaps `[from, to]`.
    async fn rounds_in_scope(&self, p: &Principal, from: Timestamp, to: Timestamp) -> Result<Vec<Round>>;
    /// Records a scan: idempotent by its id; a SUN counter must rise above the tag's last.
    async fn record_scan(&self, actor: &Actor, scan: &Scan, tag_uid: Option<&str>) -> Result<ScanOutcome>;
    /// Creates a duty shift with its guards, who must be the unit's (idempotent by its id).
    async fn create_shift(
        &self,
        actor: &Actor,
        shift: &baove_core::patrol::roster::Shift,
    ) -> Result<baove_core::patrol::roster::Shift>;
    /// Shifts of a unit overlapping `[from, to]`, earliest first. Whoever may see the unit sees
    /// the arrangement and its leader; the guards of a key target only with its details.
    async fn list_shifts(
        &self,
        p: &Principal,
        unit: UnitId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<baove_core::patrol::roster::Shift>>;
    /// Scans of one checkpoint in `[from, to]` (by the phone's time).
    async fn checkpoint_scans(
        &self,
        p: &Principal,
        checkpoint: CheckpointId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Scan>>;
    /// Scans of a unit in `[from, to]` (by the phone's time).
    async fn list_scans(&self, p: &Principal, unit: UnitId, from: Timestamp, to: Timestamp) -> Result<Vec<Scan>>;
    /// Raises an alert unless one with the same key exists; returns it when new.
    async fn raise_alert(&self, alert: &NewAlert) -> Result<Option<Alert>>;
    async fn escalate_alert(&self, id: AlertId, tier: Tier) -> Result<()>;
    async fn ack_alert(&self, actor: &Actor, id: AlertId) -> Result<Alert>;
    /// Alerts in scope after `after_seq`, oldest first (an SSE console's replay).
    async fn alerts_after(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<Alert>>;
    /// Unacknowledged alerts of every unit (for the escalation timer; system only).
    async fn open_alerts(&self, p: &Principal) -> Result<Vec<Alert>>;
    /// The scan a phone made at a unit just before `before`, for the impossible-travel flag.
    async fn previous_scan(&self, p: &Principal, unit: UnitId, device: &str, before: Timestamp)
    -> Result<Option<Scan>>;
    /// The unit's escalation ladder (the default when it set none).
    async fn ladder(&self, p: &Principal, unit: UnitId) -> Result<Ladder>;
    /// Every unit's own ladder (for the escalation timer; system only).
    async fn ladders(&self, p: &Principal) -> Result<Vec<(UnitId, Ladder)>>;
    async fn set_ladder(&self, actor: &Actor, unit: UnitId, ladder: Ladder) -> Result<()>;
    /// Walking times between the zones of a site.
    async fn walkways(&self, p: &Principal, site: SiteId) -> Result<Vec<Walkway>>;
    /// Sets the walking time between two zones of the site; `None` removes it.
    async fn set_walkway(&self, actor: &Actor, site: SiteId, a: ZoneId, b: ZoneId, seconds: Option<i64>) -> Result<()>;
    /// Creates a weekly round template or replaces the unit's template of the same id.
    async fn save_template(&self, actor: &Actor, template: &Template) -> Result<Template>;
    async fn template(&self, p: &Principal, id: TemplateId) -> Result<Template>;
    async fn list_templates(&self, p: &Principal, unit: UnitId) -> Result<Vec<Template>>;
    /// Active templates of every unit (for the daily rounds; system only).
    async fn active_templates(&self, p: &Principal) -> Result<Vec<Template>>;
}

/// Nightly plans.
#[async_trait]
pub trait PlanStore: Send + Sync {
    /// Stores tonight's plan of a site with its rounds, replacing an unlocked earlier draw of the
    /// same night (its rounds that have not started are withdrawn). A locked plan is refused.
    async fn save_plan(&self, actor: &Actor, plan: &Plan, rounds: &[Round]) -> Result<Plan>;
    async fn plan(&self, p: &Principal, site: SiteId, night: jiff::civil::Date) -> Result<Option<Plan>>;
    async fn lock_plan(&self, actor: &Actor, id: PlanId, locked: bool) -> Result<Plan>;
    /// The unit's own special days (closed or working), for its calendar.
    async fn unit_days(&self, p: &Principal, unit: UnitId) -> Result<baove_core::calendar::Overrides>;
    /// Sets (or replaces) the unit's special day.
    async fn set_unit_day(&self, actor: &Actor, unit: UnitId, day: &baove_core::calendar::Override) -> Result<()>;
    async fn remove_unit_day(&self, actor: &Actor, unit: UnitId, date: jiff::civil::Date) -> Result<()>;
}

// ---- visitors at the gate (R7–R8) ----

/// A unit's visitor settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VisitorSettings {
    pub retention: baove_core::visitor::RetentionPolicy,
    /// A visitor inside longer than this is flagged on the gate page.
    pub overstay_minutes: i64,
    /// Whether the unit lodges people (a cơ sở lưu trú under Law 47/2014 Điều 32).
    pub accommodation: bool,
}

impl VisitorSettings {
    pub const MAX_OVERSTAY_MINUTES: i64 = 24 * 60;
}

impl Default for VisitorSettings {
    fn default() -> Self {
        Self { retention: baove_core::visitor::RetentionPolicy::default(), overstay_minutes: 240, accommodation: false }
    }
}

/// A check-in to record: the visit id is minted by the client, so a resent form changes nothing.
#[derive(Debug, Clone)]
pub struct CheckInRequest {
    pub id: baove_core::visitor::VisitId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub check_in: baove_core::visitor::CheckIn,
    pub card: Option<baove_core::visitor::CardNumber>,
    pub consent_version: String,
    /// Staying overnight at the unit's own accommodation: a foreigner's stay is then declared.
    pub overnight: bool,
    /// The birth date and sex read from a passport's MRZ, for that declaration.
    pub traveller: Option<(jiff::civil::Date, Option<baove_core::visitor::Gender>)>,
}

/// A recorded check-in: held at the gate when `hits` is not empty.
#[derive(Debug, Clone)]
pub struct CheckedIn {
    pub visit: baove_core::visitor::Visit,
    pub hits: Vec<baove_core::visitor::Hit>,
    /// The same id was recorded before: nothing changed.
    pub replayed: bool,
}

/// Filters of the visitor logbook.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Accent-insensitive words of the name or organisation.
    pub text: String,
    /// An ID number (CCCD, CMND or passport), matched by its keyed hash.
    pub id_number: String,
    pub inside_only: bool,
    pub offset: u32,
    pub limit: u32,
}

/// A new watchlist entry; `value` is the raw ID number, plate or name.
#[derive(Debug, Clone)]
pub struct NewWatchEntry {
    pub id: baove_core::visitor::WatchEntryId,
    pub owner: baove_core::visitor::watchlist::WatchOwner,
    pub field: baove_core::visitor::watchlist::MatchField,
    pub value: String,
    pub reason: String,
    pub expires_at: Option<Timestamp>,
}

/// A watchlist entry and what to show for its key (an ID number only by its last digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchRow {
    pub entry: baove_core::visitor::WatchEntry,
    pub label: String,
}

/// The visitor logbook, cards and watchlists. ID numbers are stored encrypted (AES-256-GCM
/// under a per-unit data key) beside a keyed hash for matching; every read of the logbook is
/// audited, and the audit images of visits hold no personal fields.
#[async_trait]
pub trait VisitorStore: Send + Sync {
    async fn visitor_settings(&self, p: &Principal, unit: UnitId) -> Result<VisitorSettings>;
    async fn set_visitor_settings(&self, actor: &Actor, unit: UnitId, settings: VisitorSettings) -> Result<()>;
    /// Records a check-in (idempotent by its id), matching it against the unit's and its
    /// police's watchlists: a hit stores the visit as held and returns the hits.
    async fn check_in(&self, actor: &Actor, req: &CheckInRequest) -> Result<CheckedIn>;
    /// Checks a visitor out and takes their card back, unless `card_back` is false: the visitor
    /// left with it, and the closing list shows it as not returned.
    async fn check_out(
        &self,
        actor: &Actor,
        id: baove_core::visitor::VisitId,
        card_back: bool,
    ) -> Result<baove_core::visitor::Visit>;
    async fn visit(&self, actor: &Actor, id: baove_core::visitor::VisitId) -> Result<baove_core::visitor::Visit>;
    /// The logbook of a unit, newest first (audited as a read).
    async fn list_visits(
        &self,
        actor: &Actor,
        unit: UnitId,
        filter: &VisitFilter,
    ) -> Result<Vec<baove_core::visitor::Visit>>;
    async fn visitor_cards(&self, p: &Principal, unit: UnitId) -> Result<Vec<baove_core::visitor::VisitorCard>>;
    /// Puts cards `from..=to` on the desk (numbers already there are left alone).
    async fn add_visitor_cards(&self, actor: &Actor, unit: UnitId, from: u16, to: u16) -> Result<u64>;
    async fn card_action(
        &self,
        actor: &Actor,
        unit: UnitId,
        number: baove_core::visitor::CardNumber,
        action: baove_core::visitor::CardAction,
    ) -> Result<baove_core::visitor::VisitorCard>;
    /// The entries of one owner's list.
    async fn watchlist(
        &self,
        p: &Principal,
        owner: baove_core::visitor::watchlist::WatchOwner,
    ) -> Result<Vec<WatchRow>>;
    async fn add_watch(&self, actor: &Actor, entry: &NewWatchEntry) -> Result<WatchRow>;
    async fn remove_watch(&self, actor: &Actor, id: baove_core::visitor::WatchEntryId) -> Result<()>;
    /// Anonymises the visits past their unit's retention at `actor.at` (one unit, or every unit
    /// for the installation); returns how many.
    async fn purge_expired(&self, actor: &Actor, unit: Option<UnitId>) -> Result<u64>;
    /// Anonymises every visit to the unit of the person with this ID number (a deletion
    /// request); returns how many.
    async fn delete_person(&self, actor: &Actor, unit: UnitId, id_number: &str) -> Result<u64>;
}
