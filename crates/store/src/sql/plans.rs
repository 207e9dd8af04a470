//! Nightly plans: one per site and night, redrawn until locked; its rounds carry its id.

use baove_core::access::{Action, Principal};
use baove_core::patrol::plan::Plan;
use baove_core::patrol::round::Round;
use baove_core::validate::{Invalid, Problem};
use baove_core::{PlanId, SiteId, UnitId};

use super::audit::{Change, append};
use super::common::{at, one, opt, ts};
use super::patrols::insert_round;
use super::scope::require_unit;
use crate::driver::{Driver, Row, Tx};
use crate::error::Result;
use crate::store::Actor;

const PLAN: &str = "select id, unit_id, site_id, night, seed, locked, rain, cold, guards, slot_minutes, starts_at, solution from plans";

fn plan_row(r: &Row) -> Result<Plan> {
    Ok(Plan {
        id: PlanId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: SiteId(r.uuid("site_id")?),
        night: super::common::date(r, "night")?,
        seed: r.int("seed")?,
        locked: r.bool("locked")?,
        rain: r.bool("rain")?,
        cold: r.bool("cold")?,
        guards: r.int("guards")?,
        slot_minutes: r.int("slot_minutes")?,
        starts_at: ts(r, "starts_at")?,
        solution: r.text("solution")?,
    })
}

async fn load(tx: &mut dyn Tx, site: SiteId, night: jiff::civil::Date) -> Result<Option<Plan>> {
    opt(tx, &format!("{PLAN} where site_id = $1 and night = $2"), &[site.0.into(), night.to_string().into()])
        .await?
        .as_ref()
        .map(plan_row)
        .transpose()
}

pub async fn save(d: &dyn Driver, actor: &Actor, plan: &Plan, rounds: &[Round]) -> Result<Plan> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, plan.unit_id).await?;
    let site = one(tx.as_mut(), "select unit_id from sites where id = $1", &[plan.site_id.0.into()]).await?;
    if UnitId(site.uuid("unit_id")?) != plan.unit_id
        || rounds.iter().any(|r| r.unit_id != plan.unit_id || r.site_id != plan.site_id)
    {
        return Err(Invalid::one("site_id", Problem::WrongParent).into());
    }
    let before = load(tx.as_mut(), plan.site_id, plan.night).await?;
    let id = match &before {
        Some(old) if old.locked => return Err(Invalid::one("locked", Problem::Taken).into()),
        Some(old) => {
            // Withdraw the earlier draw's rounds that have not begun; begun ones stand.
            let gone = tx
                .fetch(
                    "select id from rounds where plan_id = $1 and window_start > $2",
                    &[old.id.0.into(), at(actor.at)],
                )
                .await?;
            for r in &gone {
                tx.execute("delete from round_points where round_id = $1", &[r.uuid("id")?.into()]).await?;
                tx.execute("delete from rounds where id = $1", &[r.uuid("id")?.into()]).await?;
            }
            tx.execute(
                "update plans set seed = $1, rain = $2, cold = $3, guards = $4, slot_minutes = $5, starts_at = $6, solution = $7 where id = $8",
                &[plan.seed.into(), plan.rain.into(), plan.cold.into(), plan.guards.into(), plan.slot_minutes.into(), at(plan.starts_at), plan.solution.as_str().into(), old.id.0.into()],
            )
            .await?;
            old.id
        }
        None => {
            tx.execute(
                "insert into plans (id, unit_id, site_id, night, seed, locked, rain, cold, guards, slot_minutes, starts_at, solution, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                &[
                    plan.id.0.into(),
                    plan.unit_id.0.into(),
                    plan.site_id.0.into(),
                    plan.night.to_string().into(),
                    plan.seed.into(),
                    false.into(),
                    plan.rain.into(),
                    plan.cold.into(),
                    plan.guards.into(),
                    plan.slot_minutes.into(),
                    at(plan.starts_at),
                    plan.solution.as_str().into(),
                    at(actor.at),
                ],
            )
            .await?;
            plan.id
        }
    };
    for r in rounds.iter().filter(|r| r.window_start > actor.at) {
        insert_round(tx.as_mut(), r, Some(id), actor.at).await?;
    }
    let saved = load(tx.as_mut(), plan.site_id, plan.night).await?.ok_or(crate::StoreError::NotFound)?;
    let summary = format!("{{\"night\":\"{}\",\"seed\":{},\"rounds\":{}}}", plan.night, plan.seed, rounds.len());
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "plan.draw",
            entity: "plan",
            entity_id: id.to_string(),
            unit_id: Some(plan.unit_id),
            before: before.map(|b| format!("{{\"seed\":{}}}", b.seed)),
            after: Some(summary),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn get(d: &dyn Driver, p: &Principal, site: SiteId, night: jiff::civil::Date) -> Result<Option<Plan>> {
    let mut tx = d.begin(false).await?;
    let unit =
        UnitId(one(tx.as_mut(), "select unit_id from sites where id = $1", &[site.0.into()]).await?.uuid("unit_id")?);
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let plan = load(tx.as_mut(), site, night).await?;
    tx.commit().await?;
    Ok(plan)
}

pub async fn lock(d: &dyn Driver, actor: &Actor, id: PlanId, locked: bool) -> Result<Plan> {
    let mut tx = d.begin(true).await?;
    let plan = plan_row(&one(tx.as_mut(), &format!("{PLAN} where id = $1"), &[id.0.into()]).await?)?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, plan.unit_id).await?;
    tx.execute("update plans set locked = $1 where id = $2", &[locked.into(), id.0.into()]).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: if locked { "plan.lock" } else { "plan.unlock" },
            entity: "plan",
            entity_id: id.to_string(),
            unit_id: Some(plan.unit_id),
            before: None,
            after: Some(format!("{{\"locked\":{locked}}}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Plan { locked, ..plan })
}

pub async fn unit_days(d: &dyn Driver, p: &Principal, unit: UnitId) -> Result<baove_core::calendar::Overrides> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewUnit, unit).await?;
    let rows = tx
        .fetch("select day, closed, name, reason from unit_days where unit_id = $1 order by day", &[unit.0.into()])
        .await?;
    tx.commit().await?;
    let entries = rows.iter().map(day_of).collect::<Result<Vec<_>>>()?;
    Ok(baove_core::calendar::Overrides { entries })
}

/// A `unit_days` row as the calendar's override.
pub fn day_of(r: &crate::driver::Row) -> Result<baove_core::calendar::Override> {
    use baove_core::calendar::{Change, Override};
    let name = r.text("name")?;
    Ok(Override {
        date: super::common::date(r, "day")?,
        change: if r.bool("closed")? { Change::Add { name_vi: name.clone(), name_en: name } } else { Change::Remove },
        reason: r.text("reason")?,
    })
}

pub async fn set_unit_day(
    d: &dyn Driver,
    actor: &Actor,
    unit: UnitId,
    day: &baove_core::calendar::Override,
) -> Result<()> {
    use baove_core::calendar::Change;
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
    let (closed, name) = match &day.change {
        Change::Add { name_vi, .. } => (true, name_vi.clone()),
        Change::Remove => (false, String::new()),
    };
    tx.execute("delete from unit_days where unit_id = $1 and day = $2", &[unit.0.into(), day.date.to_string().into()])
        .await?;
    tx.execute(
        "insert into unit_days (unit_id, day, closed, name, reason, created_at) values ($1, $2, $3, $4, $5, $6)",
        &[
            unit.0.into(),
            day.date.to_string().into(),
            closed.into(),
            name.into(),
            day.reason.as_str().into(),
            at(actor.at),
        ],
    )
    .await?;
    append(
        tx.as_mut(),
        actor,
        super::audit::Change {
            action: "unit.day",
            entity: "unit",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some(crate::sql::common::json(day)),
        },
    )
    .await?;
    tx.commit().await
}

pub async fn remove_unit_day(d: &dyn Driver, actor: &Actor, unit: UnitId, date: jiff::civil::Date) -> Result<()> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
    let n = tx
        .execute("delete from unit_days where unit_id = $1 and day = $2", &[unit.0.into(), date.to_string().into()])
        .await?;
    if n > 0 {
        append(
            tx.as_mut(),
            actor,
            super::audit::Change {
                action: "unit.day_removed",
                entity: "unit",
                entity_id: unit.to_string(),
                unit_id: Some(unit),
                before: Some(format!("{{\"day\":\"{date}\"}}")),
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await
}
