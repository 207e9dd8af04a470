//! A unit's patrol settings (how long each tier has to acknowledge its alerts) and the walking
//! times between the zones of its sites (the layout the impossible-travel flag reads).

use baove_core::access::{Action, Org, Principal};
use baove_core::patrol::escalation::Ladder;
use baove_core::validate::{Invalid, Problem};
use baove_core::{SiteId, UnitId, ZoneId};

use super::audit::{Change, append};
use super::common::{at, json, opt};
use super::scope::require_unit;
use crate::driver::{Driver, Row};
use crate::error::{Result, StoreError};
use crate::store::{Actor, Walkway};

fn ladder_row(r: &Row) -> Result<Ladder> {
    Ok(Ladder { officer_minutes: r.int("officer_minutes")?, head_minutes: r.int("head_minutes")? })
}

pub async fn ladder(d: &dyn Driver, p: &Principal, unit: UnitId) -> Result<Ladder> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewUnit, unit).await?;
    let row = opt(
        tx.as_mut(),
        "select officer_minutes, head_minutes from unit_settings where unit_id = $1",
        &[unit.0.into()],
    )
    .await?;
    tx.commit().await?;
    row.map_or(Ok(Ladder::default()), |r| ladder_row(&r))
}

pub async fn ladders(d: &dyn Driver, p: &Principal) -> Result<Vec<(UnitId, Ladder)>> {
    if p.org != Org::System {
        return Err(StoreError::NotFound);
    }
    d.fetch("select unit_id, officer_minutes, head_minutes from unit_settings", &[])
        .await?
        .iter()
        .map(|r| Ok((UnitId(r.uuid("unit_id")?), ladder_row(r)?)))
        .collect()
}

pub async fn set_ladder(d: &dyn Driver, actor: &Actor, unit: UnitId, ladder: Ladder) -> Result<()> {
    if !(1..=Ladder::MAX_MINUTES).contains(&ladder.officer_minutes) {
        return Err(Invalid::one("officer_minutes", Problem::OutOfRange { min: 1, max: Ladder::MAX_MINUTES }).into());
    }
    if !(1..=Ladder::MAX_MINUTES).contains(&ladder.head_minutes) {
        return Err(Invalid::one("head_minutes", Problem::OutOfRange { min: 1, max: Ladder::MAX_MINUTES }).into());
    }
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
    let before = opt(
        tx.as_mut(),
        "select officer_minutes, head_minutes from unit_settings where unit_id = $1",
        &[unit.0.into()],
    )
    .await?
    .map(|r| ladder_row(&r))
    .transpose()?;
    tx.execute("delete from unit_settings where unit_id = $1", &[unit.0.into()]).await?;
    tx.execute(
        "insert into unit_settings (unit_id, officer_minutes, head_minutes, updated_at) values ($1, $2, $3, $4)",
        &[unit.0.into(), ladder.officer_minutes.into(), ladder.head_minutes.into(), at(actor.at)],
    )
    .await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "unit.escalation",
            entity: "unit",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: before.map(|b| json(&b)),
            after: Some(json(&ladder)),
        },
    )
    .await?;
    tx.commit().await
}

pub async fn walkways(d: &dyn Driver, p: &Principal, site: SiteId) -> Result<Vec<Walkway>> {
    let mut tx = d.begin(false).await?;
    let unit = super::common::one(tx.as_mut(), "select unit_id from sites where id = $1", &[site.0.into()])
        .await
        .map_err(|_| StoreError::NotFound)?
        .uuid("unit_id")?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, UnitId(unit)).await?;
    let rows = tx
        .fetch(
            "select zone_a, zone_b, seconds from walkways where site_id = $1 order by zone_a, zone_b",
            &[site.0.into()],
        )
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| Ok(Walkway { a: ZoneId(r.uuid("zone_a")?), b: ZoneId(r.uuid("zone_b")?), seconds: r.int("seconds")? }))
        .collect()
}

/// Sets the walking time between two zones of a site; `None` removes the walkway.
pub async fn set_walkway(
    d: &dyn Driver,
    actor: &Actor,
    site: SiteId,
    a: ZoneId,
    b: ZoneId,
    seconds: Option<i64>,
) -> Result<()> {
    if a == b {
        return Err(Invalid::one("zone_b", Problem::WrongParent).into());
    }
    if seconds.is_some_and(|s| !(1..=3600).contains(&s)) {
        return Err(Invalid::one("seconds", Problem::OutOfRange { min: 1, max: 3600 }).into());
    }
    let (a, b) = if a.0 < b.0 { (a, b) } else { (b, a) };
    let mut tx = d.begin(true).await?;
    let unit = super::common::one(tx.as_mut(), "select unit_id from sites where id = $1", &[site.0.into()])
        .await
        .map_err(|_| StoreError::NotFound)?
        .uuid("unit_id")?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, UnitId(unit)).await?;
    for (field, z) in [("zone_a", a), ("zone_b", b)] {
        let row = opt(tx.as_mut(), "select site_id from zones where id = $1", &[z.0.into()]).await?;
        if row.map(|r| r.uuid("site_id")).transpose()? != Some(site.0) {
            return Err(Invalid::one(field, Problem::WrongParent).into());
        }
    }
    tx.execute(
        "delete from walkways where site_id = $1 and zone_a = $2 and zone_b = $3",
        &[site.0.into(), a.0.into(), b.0.into()],
    )
    .await?;
    if let Some(s) = seconds {
        tx.execute(
            "insert into walkways (site_id, zone_a, zone_b, seconds) values ($1, $2, $3, $4)",
            &[site.0.into(), a.0.into(), b.0.into(), s.into()],
        )
        .await?;
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "site.walkway",
            entity: "site",
            entity_id: site.to_string(),
            unit_id: Some(UnitId(unit)),
            before: None,
            after: Some(json(&serde_json::json!({ "zone_a": a, "zone_b": b, "seconds": seconds }))),
        },
    )
    .await?;
    tx.commit().await
}
