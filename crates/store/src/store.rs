//! The [`Store`] trait: everything the server asks of storage.

use async_trait::async_trait;
use baove_core::access::{Org, Principal};
use baove_core::account::{Account, AccountInput};
use baove_core::audit::AuditEntry;
use baove_core::incident::Incident;
use baove_core::registry::{
    Authority, AuthorityInput, Certificate, Checkpoint, CheckpointInput, Device, DeviceInput, Guard, GuardInput,
    IssuedTool, Site, SiteInput, Unit, UnitInput, UnitKind, Zone, ZoneInput,
};
use baove_core::{AccountId, AuthorityId, CheckpointId, DeviceId, GuardId, SiteId, TokenId, UnitId, ZoneId};
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
pub trait Store: Send + Sync + 'static {
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
}
