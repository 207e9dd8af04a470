//! The guard force: guards, their certificates and their issued tools.

use baove_core::access::{Action, Principal};
use baove_core::registry::{Certificate, Employment, Guard, GuardInput, IssuedTool, ToolKind};
use baove_core::{GuardId, UnitId};

use super::audit::{Change, append};
use super::common::{at, code, date, date_value, json, key, one, opt, opt_date, replay, search, ts};
use super::scope::require_unit;
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::Result;
use crate::store::Actor;

const COLUMNS: &str = "id, unit_id, full_name, employment, phone, birth_date, health, active, created_at, updated_at";

fn bare(r: &Row) -> Result<Guard> {
    Ok(Guard {
        id: GuardId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        full_name: r.text("full_name")?,
        employment: code(r, "employment", Employment::from_code)?,
        phone: r.text("phone")?,
        birth_date: opt_date(r, "birth_date")?,
        health: r.text("health")?,
        active: r.bool("active")?,
        certificates: Vec::new(),
        tools: Vec::new(),
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

/// Fills in certificates and tools of the given guards (two statements for the whole list).
async fn complete(tx: &mut dyn Tx, guards: &mut [Guard], unit: UnitId) -> Result<()> {
    let certs = tx
        .fetch("select guard_id, number, issuer, issued_on, expires_on from guard_certificates where unit_id = $1 order by issued_on", &[unit.0.into()])
        .await?;
    let tools = tx
        .fetch("select guard_id, kind, serial, issued_on, returned_on from guard_tools where unit_id = $1 order by issued_on", &[unit.0.into()])
        .await?;
    for g in guards.iter_mut() {
        for r in certs.iter().filter(|r| r.uuid("guard_id").ok() == Some(g.id.0)) {
            g.certificates.push(Certificate {
                number: r.text("number")?,
                issuer: r.text("issuer")?,
                issued_on: date(r, "issued_on")?,
                expires_on: date(r, "expires_on")?,
            });
        }
        for r in tools.iter().filter(|r| r.uuid("guard_id").ok() == Some(g.id.0)) {
            g.tools.push(IssuedTool {
                kind: code(r, "kind", ToolKind::from_code)?,
                serial: r.text("serial")?,
                issued_on: date(r, "issued_on")?,
                returned_on: opt_date(r, "returned_on")?,
            });
        }
    }
    Ok(())
}

async fn load(tx: &mut dyn Tx, id: GuardId) -> Result<Guard> {
    let mut g = vec![bare(&one(tx, &format!("select {COLUMNS} from guards where id = $1"), &[id.0.into()]).await?)?];
    let unit = g[0].unit_id;
    complete(tx, &mut g, unit).await?;
    Ok(g.remove(0))
}

fn values(i: &GuardInput) -> Vec<Value> {
    vec![
        i.full_name.as_str().into(),
        i.employment.code().into(),
        i.phone.as_str().into(),
        date_value(i.birth_date),
        i.health.as_str().into(),
        i.active.into(),
        key(&[&i.full_name, &i.phone]).into(),
    ]
}

pub async fn create(d: &dyn Driver, actor: &Actor, i: &GuardInput) -> Result<Guard> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, i.unit_id).await?;
    let id = i.id.unwrap_or_else(GuardId::mint);
    if opt(tx.as_mut(), "select id from guards where id = $1", &[id.0.into()]).await?.is_some() {
        let first = load(tx.as_mut(), id).await?;
        return replay(Some(first), |g| g.unit_id == i.unit_id)?.ok_or(crate::StoreError::NotFound);
    }
    let mut args = values(i);
    args.extend([id.0.into(), i.unit_id.0.into(), at(actor.at)]);
    tx.execute(
        "insert into guards (full_name, employment, phone, birth_date, health, active, search_key, id, unit_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        &args,
    )
    .await?;
    let created = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "guard.create",
            entity: "guard",
            entity_id: id.to_string(),
            unit_id: Some(i.unit_id),
            before: None,
            after: Some(json(&created)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Runs `sql` on an existing guard the actor may edit, and audits the before/after images.
/// `unit`, when given, is the unit the input names: it must be the guard's own (guards do not
/// move between units).
async fn change(
    d: &dyn Driver,
    actor: &Actor,
    id: GuardId,
    action: &str,
    sql: &str,
    args: Vec<Value>,
    unit: Option<UnitId>,
) -> Result<Guard> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), id).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, before.unit_id).await?;
    if unit.is_some_and(|u| u != before.unit_id) {
        return Err(baove_core::validate::Invalid::one("unit_id", baove_core::validate::Problem::WrongParent).into());
    }
    let mut args = args;
    args.extend([id.0.into(), before.unit_id.0.into(), at(actor.at)]);
    if tx.execute(sql, &args).await? == 0 {
        // Nothing new (a retried certificate or tool issue): nothing to audit.
        return Ok(before);
    }
    tx.execute("update guards set updated_at = $1 where id = $2", &[at(actor.at), id.0.into()]).await?;
    let after = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action,
            entity: "guard",
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

pub async fn update(d: &dyn Driver, actor: &Actor, id: GuardId, i: &GuardInput) -> Result<Guard> {
    let sql =
        "update guards set full_name = $1, employment = $2, phone = $3, birth_date = $4, health = $5, active = $6,
               search_key = $7, updated_at = $10 where id = $8 and unit_id = $9";
    change(d, actor, id, "guard.update", sql, values(i), Some(i.unit_id)).await
}

pub async fn add_certificate(d: &dyn Driver, actor: &Actor, id: GuardId, c: &Certificate) -> Result<Guard> {
    let sql = "insert into guard_certificates (number, issuer, issued_on, expires_on, guard_id, unit_id, created_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing";
    let args = vec![
        c.number.as_str().into(),
        c.issuer.as_str().into(),
        date_value(Some(c.issued_on)),
        date_value(Some(c.expires_on)),
    ];
    let guard = change(d, actor, id, "guard.certificate", sql, args, None).await?;
    // A retry of the same certificate is a no-op; another certificate under a number already
    // recorded for this guard is refused, not silently dropped.
    match guard.certificates.iter().find(|x| x.number == c.number) {
        Some(stored) if stored != c => {
            Err(baove_core::validate::Invalid::one("number", baove_core::validate::Problem::Taken).into())
        }
        _ => Ok(guard),
    }
}

pub async fn add_tool(d: &dyn Driver, actor: &Actor, id: GuardId, t: &IssuedTool) -> Result<Guard> {
    let sql = "insert into guard_tools (kind, serial, issued_on, returned_on, guard_id, unit_id, created_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing";
    let args =
        vec![t.kind.code().into(), t.serial.as_str().into(), date_value(Some(t.issued_on)), date_value(t.returned_on)];
    change(d, actor, id, "guard.tool", sql, args, None).await
}

pub async fn get(d: &dyn Driver, p: &Principal, id: GuardId) -> Result<Guard> {
    let mut tx = d.begin(false).await?;
    let g = load(tx.as_mut(), id).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, g.unit_id).await?;
    tx.commit().await?;
    Ok(g)
}

pub async fn list(d: &dyn Driver, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Guard>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let (words, mut args) = search("search_key", text, 2);
    args.insert(0, unit.0.into());
    let rows =
        tx.fetch(&format!("select {COLUMNS} from guards where unit_id = $1{words} order by search_key"), &args).await?;
    let mut guards = rows.iter().map(bare).collect::<Result<Vec<_>>>()?;
    complete(tx.as_mut(), &mut guards, unit).await?;
    tx.commit().await?;
    Ok(guards)
}
