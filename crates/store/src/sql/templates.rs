//! Weekly round templates: stored with their checkpoints in walking order; the server turns
//! them into each day's rounds.

use baove_core::access::{Action, Org, Principal};
use baove_core::patrol::template::Template;
use baove_core::validate::{Invalid, Problem};
use baove_core::{CheckpointId, GuardId, SiteId, TemplateId, UnitId};
use jiff::civil::Time;

use super::audit::{Change, append};
use super::common::{at, json, one, opt};
use super::scope::require_unit;
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::store::Actor;

const TEMPLATE: &str = "select t.id, t.unit_id, t.site_id, t.name, t.ordered, t.weekdays, t.start_minute, t.duration_minutes, t.grace_minutes, t.guard_id, t.active from round_templates t";

fn template_row(r: &Row) -> Result<Template> {
    let minute = r.int("start_minute")?;
    let start = Time::new(i8::try_from(minute / 60).unwrap_or(0), i8::try_from(minute % 60).unwrap_or(0), 0, 0)
        .map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(Template {
        id: TemplateId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: SiteId(r.uuid("site_id")?),
        name: r.text("name")?,
        checkpoints: Vec::new(),
        ordered: r.bool("ordered")?,
        weekdays: u8::try_from(r.int("weekdays")?).unwrap_or(0),
        start,
        duration_minutes: r.int("duration_minutes")?,
        grace_minutes: r.int("grace_minutes")?,
        guard_id: r.opt_uuid("guard_id")?.map(GuardId),
        active: r.bool("active")?,
    })
}

async fn with_points(tx: &mut dyn Tx, mut templates: Vec<Template>) -> Result<Vec<Template>> {
    if templates.is_empty() {
        return Ok(templates);
    }
    let placeholders: Vec<String> = (1..=templates.len()).map(|i| format!("${i}")).collect();
    let args: Vec<Value> = templates.iter().map(|t| t.id.0.into()).collect();
    let sql = format!(
        "select template_id, checkpoint_id from round_template_points where template_id in ({}) order by template_id, position",
        placeholders.join(", ")
    );
    for p in &tx.fetch(&sql, &args).await? {
        let tid = TemplateId(p.uuid("template_id")?);
        if let Some(t) = templates.iter_mut().find(|t| t.id == tid) {
            t.checkpoints.push(CheckpointId(p.uuid("checkpoint_id")?));
        }
    }
    Ok(templates)
}

async fn load(tx: &mut dyn Tx, id: TemplateId) -> Result<Option<Template>> {
    match opt(tx, &format!("{TEMPLATE} where t.id = $1"), &[id.0.into()]).await? {
        Some(r) => Ok(with_points(tx, vec![template_row(&r)?]).await?.pop()),
        None => Ok(None),
    }
}

/// Creates a template or replaces one of the same unit with the same id.
pub async fn save(d: &dyn Driver, actor: &Actor, t: &Template) -> Result<Template> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, t.unit_id).await?;
    let before = load(tx.as_mut(), t.id).await?;
    if before.as_ref().is_some_and(|b| b.unit_id != t.unit_id) {
        return Err(Invalid::one("id", Problem::Taken).into());
    }
    let site = one(tx.as_mut(), "select unit_id from sites where id = $1", &[t.site_id.0.into()])
        .await
        .map_err(|_| Invalid::one("site_id", Problem::NotFound))?;
    if UnitId(site.uuid("unit_id")?) != t.unit_id {
        return Err(Invalid::one("site_id", Problem::WrongParent).into());
    }
    if t.checkpoints.is_empty() {
        return Err(Invalid::one("checkpoints", Problem::Required).into());
    }
    for cp in &t.checkpoints {
        let row = opt(tx.as_mut(), "select site_id from checkpoints where id = $1", &[cp.0.into()]).await?;
        if row.map(|x| x.uuid("site_id")).transpose()? != Some(t.site_id.0) {
            return Err(Invalid::one("checkpoints", Problem::WrongParent).into());
        }
    }
    if t.weekdays == 0 || t.weekdays > 0x7f {
        return Err(Invalid::one("weekdays", Problem::Required).into());
    }
    tx.execute("delete from round_template_points where template_id = $1", &[t.id.0.into()]).await?;
    tx.execute("delete from round_templates where id = $1", &[t.id.0.into()]).await?;
    tx.execute(
        "insert into round_templates (id, unit_id, site_id, name, ordered, weekdays, start_minute, duration_minutes, grace_minutes, guard_id, active, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            t.id.0.into(),
            t.unit_id.0.into(),
            t.site_id.0.into(),
            t.name.as_str().into(),
            t.ordered.into(),
            i64::from(t.weekdays).into(),
            (i64::from(t.start.hour()) * 60 + i64::from(t.start.minute())).into(),
            t.duration_minutes.into(),
            t.grace_minutes.into(),
            t.guard_id.map(|g| g.0).into(),
            t.active.into(),
            at(actor.at),
        ],
    )
    .await?;
    for (i, cp) in t.checkpoints.iter().enumerate() {
        tx.execute(
            "insert into round_template_points (template_id, position, checkpoint_id) values ($1, $2, $3)",
            &[t.id.0.into(), i64::try_from(i).unwrap_or(i64::MAX).into(), cp.0.into()],
        )
        .await?;
    }
    let after = load(tx.as_mut(), t.id).await?.ok_or(StoreError::NotFound)?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: if before.is_some() { "template.update" } else { "template.create" },
            entity: "round_template",
            entity_id: t.id.to_string(),
            unit_id: Some(t.unit_id),
            before: before.map(|b| json(&b)),
            after: Some(json(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn template(d: &dyn Driver, p: &Principal, id: TemplateId) -> Result<Template> {
    let mut tx = d.begin(false).await?;
    let t = load(tx.as_mut(), id).await?.ok_or(StoreError::NotFound)?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, t.unit_id).await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn list(d: &dyn Driver, p: &Principal, unit: UnitId) -> Result<Vec<Template>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let rows =
        tx.fetch(&format!("{TEMPLATE} where t.unit_id = $1 order by t.start_minute, t.name"), &[unit.0.into()]).await?;
    let list = rows.iter().map(template_row).collect::<Result<Vec<_>>>()?;
    let list = with_points(tx.as_mut(), list).await?;
    tx.commit().await?;
    Ok(list)
}

/// Active templates of every unit, for the server's daily materialisation (system only).
pub async fn active(d: &dyn Driver, p: &Principal) -> Result<Vec<Template>> {
    if p.org != Org::System {
        return Err(StoreError::NotFound);
    }
    let mut tx = d.begin(false).await?;
    let rows = tx.fetch(&format!("{TEMPLATE} where t.active = $1 order by t.id"), &[true.into()]).await?;
    let list = rows.iter().map(template_row).collect::<Result<Vec<_>>>()?;
    let list = with_points(tx.as_mut(), list).await?;
    tx.commit().await?;
    Ok(list)
}
