//! Appending to and reading the audit chain. Appends happen inside the write transaction of
//! the change they record, which the driver serialises, so the chain stays linear.

use baove_core::UnitId;
use baove_core::access::{Action, Principal, Target, decide};
use baove_core::audit::{AuditEntry, GENESIS};
use baove_core::time::to_micros;

use super::common::opt;
use super::scope::require_unit;
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::Result;
use crate::store::Actor;

/// What changed, for one audit entry.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub unit_id: Option<UnitId>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Appends one entry for `change`, made by `actor`.
pub async fn append(tx: &mut dyn Tx, actor: &Actor, change: Change<'_>) -> Result<()> {
    let last = opt(tx, "select seq, hash from audit_log order by seq desc limit 1", &[]).await?;
    let (seq, prev) = match last {
        Some(r) => (r.int("seq")? + 1, r.text("hash")?),
        None => (1, GENESIS.to_owned()),
    };
    let mut e = AuditEntry {
        seq,
        at_us: to_micros(actor.at),
        actor_id: if actor.principal.account_id.0.is_nil() {
            String::new()
        } else {
            actor.principal.account_id.to_string()
        },
        actor_name: actor.principal.display_name.clone(),
        action: change.action.to_owned(),
        entity: change.entity.to_owned(),
        entity_id: change.entity_id,
        unit_id: change.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        before: change.before.unwrap_or_default(),
        after: change.after.unwrap_or_default(),
        prev_hash: String::new(),
        hash: String::new(),
    };
    e.seal(&prev);
    tx.execute(
        "insert into audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, unit_id, before, after, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            e.seq.into(),
            e.at_us.into(),
            e.actor_id.into(),
            e.actor_name.into(),
            e.action.into(),
            e.entity.into(),
            e.entity_id.into(),
            e.unit_id.into(),
            e.before.into(),
            e.after.into(),
            e.prev_hash.into(),
            e.hash.into(),
        ],
    )
    .await?;
    Ok(())
}

fn entry(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.int("seq")?,
        at_us: r.int("at")?,
        actor_id: r.text("actor_id")?,
        actor_name: r.text("actor_name")?,
        action: r.text("action")?,
        entity: r.text("entity")?,
        entity_id: r.text("entity_id")?,
        unit_id: r.text("unit_id")?,
        before: r.text("before")?,
        after: r.text("after")?,
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

const COLUMNS: &str =
    "seq, at, actor_id, actor_name, action, entity, entity_id, unit_id, before, after, prev_hash, hash";

pub async fn entries(d: &dyn Driver, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>> {
    decide(p, Action::ViewAudit, &Target::System)?;
    let rows = d
        .fetch(
            &format!("select {COLUMNS} from audit_log where seq > $1 order by seq limit $2"),
            &[after_seq.into(), i64::from(limit).into()],
        )
        .await?;
    rows.iter().map(entry).collect()
}

pub async fn unit_history(d: &dyn Driver, p: &Principal, unit: UnitId, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::EditDetails, unit).await?;
    let rows = tx
        .fetch(
            &format!("select {COLUMNS} from audit_log where unit_id = $1 order by seq desc limit $2"),
            &[Value::Text(unit.to_string()), i64::from(limit).into()],
        )
        .await?;
    tx.commit().await?;
    rows.iter().map(entry).collect()
}
