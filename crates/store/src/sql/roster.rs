//! The duty roster (R4): shifts and the guards on them.
//!
//! The arrangement is for the police too: whoever may see a unit sees its shifts and the
//! leader on duty (seed 000 §6 asks units to tell the police who leads over Tết). Who guards a
//! key target is part of its protection plan, so those guard lists go only to readers cleared
//! for its details.

use baove_core::access::{Action, Principal, decide};
use baove_core::patrol::roster::Shift;
use baove_core::validate::{Invalid, Problem};
use baove_core::{GuardId, ShiftId, SiteId, UnitId};
use jiff::Timestamp;

use super::audit::{Change, append};
use super::common::{at, json, opt, ts};
use super::scope::require_unit;
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::Result;
use crate::store::Actor;

const SHIFT: &str =
    "select id, unit_id, site_id, name, starts_at, ends_at, leader_name, leader_phone, notes from shifts";

fn shift_row(r: &Row) -> Result<Shift> {
    Ok(Shift {
        id: ShiftId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: r.opt_uuid("site_id")?.map(SiteId),
        name: r.text("name")?,
        starts_at: ts(r, "starts_at")?,
        ends_at: ts(r, "ends_at")?,
        leader_name: r.text("leader_name")?,
        leader_phone: r.text("leader_phone")?,
        notes: r.text("notes")?,
        guards: Vec::new(),
    })
}

/// Loads the shifts' guards (one statement for all of them), in id order.
async fn with_guards(tx: &mut dyn Tx, mut shifts: Vec<Shift>) -> Result<Vec<Shift>> {
    if shifts.is_empty() {
        return Ok(shifts);
    }
    let placeholders: Vec<String> = (1..=shifts.len()).map(|i| format!("${i}")).collect();
    let args: Vec<Value> = shifts.iter().map(|s| s.id.0.into()).collect();
    let sql = format!(
        "select shift_id, guard_id from shift_guards where shift_id in ({}) order by shift_id, guard_id",
        placeholders.join(", ")
    );
    for g in &tx.fetch(&sql, &args).await? {
        let sid = ShiftId(g.uuid("shift_id")?);
        if let Some(s) = shifts.iter_mut().find(|s| s.id == sid) {
            s.guards.push(GuardId(g.uuid("guard_id")?));
        }
    }
    Ok(shifts)
}

pub async fn create_shift(d: &dyn Driver, actor: &Actor, s: &Shift) -> Result<Shift> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, s.unit_id).await?;
    if let Some(existing) = opt(tx.as_mut(), &format!("{SHIFT} where id = $1"), &[s.id.0.into()]).await? {
        let existing = with_guards(tx.as_mut(), vec![shift_row(&existing)?]).await?.remove(0);
        return if existing.unit_id == s.unit_id {
            Ok(existing)
        } else {
            Err(Invalid::one("id", Problem::Taken).into())
        };
    }
    if s.ends_at <= s.starts_at {
        return Err(Invalid::one("ends_at", Problem::DateOrder).into());
    }
    if let Some(site) = s.site_id {
        let row = opt(tx.as_mut(), "select unit_id from sites where id = $1", &[site.0.into()]).await?;
        if row.map(|x| x.uuid("unit_id")).transpose()? != Some(s.unit_id.0) {
            return Err(Invalid::one("site_id", Problem::WrongParent).into());
        }
    }
    let mut guards = s.guards.clone();
    guards.sort();
    guards.dedup();
    for g in &guards {
        let row = opt(tx.as_mut(), "select unit_id from guards where id = $1", &[g.0.into()]).await?;
        if row.map(|x| x.uuid("unit_id")).transpose()? != Some(s.unit_id.0) {
            return Err(Invalid::one("guards", Problem::WrongParent).into());
        }
    }
    tx.execute(
        "insert into shifts (id, unit_id, site_id, name, starts_at, ends_at, leader_name, leader_phone, notes, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            s.id.0.into(),
            s.unit_id.0.into(),
            s.site_id.map(|x| x.0).into(),
            s.name.as_str().into(),
            at(s.starts_at),
            at(s.ends_at),
            s.leader_name.as_str().into(),
            s.leader_phone.as_str().into(),
            s.notes.as_str().into(),
            at(actor.at),
        ],
    )
    .await?;
    for g in &guards {
        tx.execute("insert into shift_guards (shift_id, guard_id) values ($1, $2)", &[s.id.0.into(), g.0.into()])
            .await?;
    }
    let saved = Shift { guards, ..s.clone() };
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "shift.create",
            entity: "shift",
            entity_id: s.id.to_string(),
            unit_id: Some(s.unit_id),
            before: None,
            after: Some(json(&saved)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn list_shifts(
    d: &dyn Driver,
    p: &Principal,
    unit: UnitId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Shift>> {
    let mut tx = d.begin(false).await?;
    let target = require_unit(tx.as_mut(), p, Action::ViewUnit, unit).await?;
    let rows = tx
        .fetch(
            &format!("{SHIFT} where unit_id = $1 and ends_at >= $2 and starts_at <= $3 order by starts_at, id"),
            &[unit.0.into(), at(from), at(to)],
        )
        .await?;
    let shifts = rows.iter().map(shift_row).collect::<Result<Vec<_>>>()?;
    // Only a key target's cleared readers learn who guards it.
    let shifts =
        if decide(p, Action::ViewDetails, &target).is_ok() { with_guards(tx.as_mut(), shifts).await? } else { shifts };
    tx.commit().await?;
    Ok(shifts)
}
