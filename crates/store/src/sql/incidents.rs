//! Incidents at units: recording and listing them within the caller's scope.

use baove_core::access::{Action, Denied, Principal, Role};
use baove_core::incident::{Incident, IncidentKind, IncidentStatus, Modus};
use baove_core::registry::UnitKind;
use baove_core::{IncidentId, SiteId, UnitId};

use super::audit::{Change, append};
use super::common::{at, code, json, one, ts};
use super::scope::{require_unit, visible_units};
use crate::driver::{Driver, Row};
use crate::error::{Result, StoreError};
use crate::store::{Actor, IncidentFilter, UnitBrief};

const COLUMNS: &str =
    "i.id, i.unit_id, i.site_id, i.kind, i.status, i.occurred_at, i.reported_at, i.summary, i.losses, i.modus";

fn incident(r: &Row) -> Result<Incident> {
    let modus = r.text("modus")?;
    Ok(Incident {
        id: IncidentId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: r.opt_uuid("site_id")?.map(SiteId),
        kind: code(r, "kind", IncidentKind::from_code)?,
        status: code(r, "status", IncidentStatus::from_code)?,
        occurred_at: ts(r, "occurred_at")?,
        reported_at: ts(r, "reported_at")?,
        summary: r.text("summary")?,
        losses: r.text("losses")?,
        modus: modus.split(',').filter_map(Modus::from_code).collect(),
    })
}

pub async fn create(d: &dyn Driver, actor: &Actor, i: &Incident) -> Result<Incident> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::ViewUnit, i.unit_id).await?;
    if let Some(site) = i.site_id {
        let row = one(tx.as_mut(), "select unit_id from sites where id = $1", &[site.0.into()]).await?;
        if UnitId(row.uuid("unit_id")?) != i.unit_id {
            return Err(StoreError::NotFound);
        }
    }
    let modus = i.modus.iter().map(|m| m.code()).collect::<Vec<_>>().join(",");
    tx.execute(
        "insert into incidents (id, unit_id, site_id, kind, status, occurred_at, reported_at, summary, losses, modus, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            i.id.0.into(),
            i.unit_id.0.into(),
            i.site_id.map(|s| s.0).into(),
            i.kind.code().into(),
            i.status.code().into(),
            at(i.occurred_at),
            at(i.reported_at),
            i.summary.as_str().into(),
            i.losses.as_str().into(),
            modus.into(),
            actor.principal.account_id.0.into(),
        ],
    )
    .await?;
    let created = incident(
        &one(tx.as_mut(), &format!("select {COLUMNS} from incidents i where i.id = $1"), &[i.id.0.into()]).await?,
    )?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "incident.create",
            entity: "incident",
            entity_id: i.id.to_string(),
            unit_id: Some(i.unit_id),
            before: None,
            after: Some(json(&created)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn list(d: &dyn Driver, p: &Principal, f: &IncidentFilter) -> Result<Vec<(Incident, UnitBrief)>> {
    if matches!(p.role, Role::Guard | Role::Gate | Role::Staff) {
        return Err(Denied::Forbidden.into());
    }
    let (with, cond, mut args) = visible_units(p, 1);
    let mut sql = format!(
        "{with}select {COLUMNS}, u.name as unit_name, u.kind as unit_kind, u.key_target from incidents i join units u on u.id = i.unit_id where {cond}"
    );
    if let Some(unit) = f.unit_id {
        args.push(unit.0.into());
        sql.push_str(&format!(" and i.unit_id = ${}", args.len()));
    }
    if let Some(since) = f.since {
        args.push(at(since));
        sql.push_str(&format!(" and i.occurred_at >= ${}", args.len()));
    }
    args.push(i64::from(f.limit.unwrap_or(500).min(5000)).into());
    sql.push_str(&format!(" order by i.occurred_at desc limit ${}", args.len()));
    let rows = d.fetch(&sql, &args).await?;
    rows.iter()
        .map(|r| {
            let i = incident(r)?;
            let brief = UnitBrief {
                id: i.unit_id,
                name: r.text("unit_name")?,
                kind: code(r, "unit_kind", UnitKind::from_code)?,
                key_target: r.bool("key_target")?,
            };
            Ok((i, brief))
        })
        .collect()
}

/// Incidents since `since` counted by the type of premises, over the whole scope (not a page).
pub async fn tally(d: &dyn Driver, p: &Principal, since: jiff::Timestamp) -> Result<Vec<(UnitKind, i64)>> {
    if matches!(p.role, Role::Guard | Role::Gate | Role::Staff) {
        return Err(Denied::Forbidden.into());
    }
    let (with, cond, mut args) = visible_units(p, 1);
    args.push(at(since));
    let sql = format!(
        "{with}select u.kind, count(*) as n from incidents i join units u on u.id = i.unit_id where {cond} and i.occurred_at >= ${} group by u.kind",
        args.len()
    );
    d.fetch(&sql, &args).await?.iter().map(|r| Ok((code(r, "kind", UnitKind::from_code)?, r.int("n")?))).collect()
}
