//! Alerts: raised once per condition (by key), numbered in one stream so that a console can
//! resume after the last one it saw, escalated by the server's timer, acknowledged by people.

use baove_core::access::{Action, Org, Principal};
use baove_core::patrol::alert::{Alert, AlertKind};
use baove_core::patrol::escalation::Tier;
use baove_core::{AlertId, RoundId, SiteId, UnitId};

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::{require_unit, visible_units};
use crate::driver::{Driver, Row, Value};
use crate::error::{Result, StoreError};
use crate::store::{Actor, NewAlert};

const ALERT: &str = "select a.id, a.seq, a.key, a.unit_id, a.site_id, a.round_id, a.kind, a.message, a.raised_at, a.tier, a.acked_at, a.acked_name from alerts a";

fn alert_row(r: &Row) -> Result<Alert> {
    Ok(Alert {
        id: AlertId(r.uuid("id")?),
        seq: r.int("seq")?,
        key: r.text("key")?,
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: r.opt_uuid("site_id")?.map(SiteId),
        round_id: r.opt_uuid("round_id")?.map(RoundId),
        kind: code(r, "kind", AlertKind::from_code)?,
        message: r.text("message")?,
        raised_at: ts(r, "raised_at")?,
        tier: code(r, "tier", Tier::from_code)?,
        acked_at: r.opt_int("acked_at")?.map(baove_core::time::from_micros),
        acked_name: r.text("acked_name")?,
    })
}

pub async fn raise(d: &dyn Driver, a: &NewAlert) -> Result<Option<Alert>> {
    let mut tx = d.begin(true).await?;
    if opt(tx.as_mut(), "select id from alerts where key = $1", &[a.key.as_str().into()]).await?.is_some() {
        return Ok(None);
    }
    let seq = one(tx.as_mut(), "select coalesce(max(seq), 0) + 1 as next from alerts", &[]).await?.int("next")?;
    let id = AlertId::mint();
    tx.execute(
        "insert into alerts (id, seq, key, unit_id, site_id, round_id, kind, message, raised_at, tier, acked_at, acked_by, acked_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            id.0.into(),
            seq.into(),
            a.key.as_str().into(),
            a.unit_id.0.into(),
            a.site_id.map(|s| s.0).into(),
            a.round_id.map(|r| r.0).into(),
            a.kind.code().into(),
            a.message.as_str().into(),
            at(a.raised_at),
            Tier::SecurityOfficer.code().into(),
            Value::Null,
            Value::NullUuid,
            "".into(),
        ],
    )
    .await?;
    let created = alert_row(&one(tx.as_mut(), &format!("{ALERT} where a.id = $1"), &[id.0.into()]).await?)?;
    tx.commit().await?;
    Ok(Some(created))
}

pub async fn escalate(d: &dyn Driver, id: AlertId, tier: Tier) -> Result<()> {
    let mut tx = d.begin(true).await?;
    tx.execute("update alerts set tier = $1 where id = $2 and acked_at is null", &[tier.code().into(), id.0.into()])
        .await?;
    tx.commit().await
}

pub async fn ack(d: &dyn Driver, actor: &Actor, id: AlertId) -> Result<Alert> {
    let mut tx = d.begin(true).await?;
    let before = alert_row(&one(tx.as_mut(), &format!("{ALERT} where a.id = $1"), &[id.0.into()]).await?)?;
    require_unit(tx.as_mut(), &actor.principal, Action::AckAlert, before.unit_id).await?;
    if before.acked_at.is_some() {
        return Ok(before);
    }
    tx.execute(
        "update alerts set acked_at = $1, acked_by = $2, acked_name = $3 where id = $4",
        &[at(actor.at), actor.principal.account_id.0.into(), actor.principal.display_name.as_str().into(), id.0.into()],
    )
    .await?;
    let after = alert_row(&one(tx.as_mut(), &format!("{ALERT} where a.id = $1"), &[id.0.into()]).await?)?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "alert.ack",
            entity: "alert",
            entity_id: id.to_string(),
            unit_id: Some(before.unit_id),
            before: Some(json(&before)),
            after: Some(json(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn after(d: &dyn Driver, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<Alert>> {
    let (with, cond, mut args) = visible_units(p, 1);
    args.push(after_seq.into());
    let n = args.len();
    args.push(i64::from(limit.min(1000)).into());
    let sql = format!(
        "{with}{ALERT} join units u on u.id = a.unit_id where {cond} and a.seq > ${n} order by a.seq limit ${}",
        n + 1
    );
    d.fetch(&sql, &args).await?.iter().map(alert_row).collect()
}

pub async fn open(d: &dyn Driver, p: &Principal) -> Result<Vec<Alert>> {
    if p.org != Org::System {
        return Err(StoreError::NotFound);
    }
    d.fetch(&format!("{ALERT} where a.acked_at is null order by a.seq"), &[]).await?.iter().map(alert_row).collect()
}
