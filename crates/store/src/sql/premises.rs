//! A unit's premises: sites, zones, checkpoints and devices. All of them are "details" of
//! the unit: reading needs [`Action::ViewDetails`] (so a key target's stay need-to-know) and
//! writing needs [`Action::EditDetails`].

use baove_core::access::{Action, Principal};
use baove_core::registry::{
    Checkpoint, CheckpointInput, Device, DeviceInput, DeviceKind, Site, SiteInput, Zone, ZoneInput, ZoneKind,
};
use baove_core::validate::{Invalid, Problem};
use baove_core::{CheckpointId, DeviceId, SiteId, UnitId, ZoneId};
use serde::Serialize;

use super::audit::{Change, append};
use super::common::{at, code, json, key, one, opt, replay, search, ts};
use super::scope::require_unit;
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::Result;
use crate::store::Actor;

const SITE: &str = "select id, unit_id, name, address, guard_post, notes, created_at, updated_at from sites";
const ZONE: &str =
    "select id, site_id, unit_id, kind, name, sensitivity, asset_value, description, created_at, updated_at from zones";
const CHECKPOINT: &str =
    "select id, zone_id, site_id, unit_id, code, name, location, active, created_at, updated_at from checkpoints";
const DEVICE: &str = "select id, site_id, unit_id, zone_id, kind, name, location, serial, external_ref, active, created_at, updated_at from devices";

fn site_row(r: &Row) -> Result<Site> {
    Ok(Site {
        id: SiteId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        name: r.text("name")?,
        address: r.text("address")?,
        guard_post: r.text("guard_post")?,
        notes: r.text("notes")?,
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

fn zone_row(r: &Row) -> Result<Zone> {
    Ok(Zone {
        id: ZoneId(r.uuid("id")?),
        site_id: SiteId(r.uuid("site_id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        kind: code(r, "kind", ZoneKind::from_code)?,
        name: r.text("name")?,
        sensitivity: r.int("sensitivity")?,
        asset_value: r.int("asset_value")?,
        description: r.text("description")?,
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

fn checkpoint_row(r: &Row) -> Result<Checkpoint> {
    Ok(Checkpoint {
        id: CheckpointId(r.uuid("id")?),
        zone_id: ZoneId(r.uuid("zone_id")?),
        site_id: SiteId(r.uuid("site_id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        code: r.text("code")?,
        name: r.text("name")?,
        location: r.text("location")?,
        active: r.bool("active")?,
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

fn device_row(r: &Row) -> Result<Device> {
    Ok(Device {
        id: DeviceId(r.uuid("id")?),
        site_id: SiteId(r.uuid("site_id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        zone_id: r.opt_uuid("zone_id")?.map(ZoneId),
        kind: code(r, "kind", DeviceKind::from_code)?,
        name: r.text("name")?,
        location: r.text("location")?,
        serial: r.text("serial")?,
        external_ref: r.text("external_ref")?,
        active: r.bool("active")?,
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

async fn find<T>(tx: &mut dyn Tx, base: &str, id: uuid::Uuid, row: fn(&Row) -> Result<T>) -> Result<Option<T>> {
    opt(tx, &format!("{base} where id = $1"), &[id.into()]).await?.as_ref().map(row).transpose()
}

async fn load<T>(tx: &mut dyn Tx, base: &str, id: uuid::Uuid, row: fn(&Row) -> Result<T>) -> Result<T> {
    row(&one(tx, &format!("{base} where id = $1"), &[id.into()]).await?)
}

/// Records a change of a unit's detail in the audit chain (the entity is the part of
/// `action` before the dot) and commits.
async fn finish<T: Serialize>(
    mut tx: Box<dyn Tx>,
    actor: &Actor,
    action: &str,
    id: String,
    unit: UnitId,
    before: Option<&T>,
    after: &T,
) -> Result<()> {
    append(
        tx.as_mut(),
        actor,
        Change {
            action,
            entity: action.split('.').next().unwrap_or(action),
            entity_id: id,
            unit_id: Some(unit),
            before: before.map(json),
            after: Some(json(after)),
        },
    )
    .await?;
    tx.commit().await
}

/// Reads one detail after checking [`Action::ViewDetails`] on its unit.
async fn read<T>(
    d: &dyn Driver,
    p: &Principal,
    base: &str,
    id: uuid::Uuid,
    row: fn(&Row) -> Result<T>,
    unit_of: fn(&T) -> UnitId,
) -> Result<T> {
    let mut tx = d.begin(false).await?;
    let found = load(tx.as_mut(), base, id, row).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit_of(&found)).await?;
    tx.commit().await?;
    Ok(found)
}

/// Lists a unit's details of one kind after checking [`Action::ViewDetails`].
async fn list<T>(
    d: &dyn Driver,
    p: &Principal,
    unit: UnitId,
    text: &str,
    base: &str,
    order: &str,
    row: fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let (words, mut args) = search("search_key", text, 2);
    args.insert(0, unit.0.into());
    let rows = tx.fetch(&format!("{base} where unit_id = $1{words} order by {order}"), &args).await?;
    tx.commit().await?;
    rows.iter().map(row).collect()
}

// ---- sites ----

fn site_values(i: &SiteInput) -> Vec<Value> {
    vec![
        i.name.as_str().into(),
        i.address.as_str().into(),
        i.guard_post.as_str().into(),
        i.notes.as_str().into(),
        key(&[&i.name, &i.address]).into(),
    ]
}

pub async fn create_site(d: &dyn Driver, actor: &Actor, i: &SiteInput) -> Result<Site> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, i.unit_id)
        .await
        .map_err(|e| not_found_as("unit_id", e))?;
    let id = i.id.unwrap_or_else(SiteId::mint);
    if let Some(first) = replay(find(tx.as_mut(), SITE, id.0, site_row).await?, |s| s.unit_id == i.unit_id)? {
        return Ok(first);
    }
    let mut args = site_values(i);
    args.extend([id.0.into(), i.unit_id.0.into(), at(actor.at)]);
    tx.execute("insert into sites (name, address, guard_post, notes, search_key, id, unit_id, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)", &args).await?;
    let created = load(tx.as_mut(), SITE, id.0, site_row).await?;
    finish(tx, actor, "site.create", id.to_string(), i.unit_id, None, &created).await?;
    Ok(created)
}

pub async fn update_site(d: &dyn Driver, actor: &Actor, id: SiteId, i: &SiteInput) -> Result<Site> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), SITE, id.0, site_row).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, before.unit_id).await?;
    if i.unit_id != before.unit_id {
        return Err(Invalid::one("unit_id", Problem::WrongParent).into());
    }
    let mut args = site_values(i);
    args.extend([id.0.into(), at(actor.at)]);
    tx.execute("update sites set name = $1, address = $2, guard_post = $3, notes = $4, search_key = $5, updated_at = $7 where id = $6", &args).await?;
    let after = load(tx.as_mut(), SITE, id.0, site_row).await?;
    finish(tx, actor, "site.update", id.to_string(), before.unit_id, Some(&before), &after).await?;
    Ok(after)
}

pub async fn site(d: &dyn Driver, p: &Principal, id: SiteId) -> Result<Site> {
    read(d, p, SITE, id.0, site_row, |s| s.unit_id).await
}

pub async fn list_sites(d: &dyn Driver, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Site>> {
    list(d, p, unit, text, SITE, "search_key", site_row).await
}

/// A parent given in the input that the writer cannot see is reported as a field error.
fn not_found_as(field: &'static str, e: crate::StoreError) -> crate::StoreError {
    match e {
        crate::StoreError::NotFound => Invalid::one(field, Problem::NotFound).into(),
        other => other,
    }
}

// ---- zones ----

fn zone_values(i: &ZoneInput) -> Vec<Value> {
    vec![
        i.kind.code().into(),
        i.name.as_str().into(),
        i.sensitivity.into(),
        i.asset_value.into(),
        i.description.as_str().into(),
        key(&[&i.name, &i.description]).into(),
    ]
}

pub async fn create_zone(d: &dyn Driver, actor: &Actor, i: &ZoneInput) -> Result<Zone> {
    let mut tx = d.begin(true).await?;
    let site = load(tx.as_mut(), SITE, i.site_id.0, site_row).await.map_err(|e| not_found_as("site_id", e))?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, site.unit_id)
        .await
        .map_err(|e| not_found_as("site_id", e))?;
    let id = i.id.unwrap_or_else(ZoneId::mint);
    if let Some(first) = replay(find(tx.as_mut(), ZONE, id.0, zone_row).await?, |z| z.site_id == i.site_id)? {
        return Ok(first);
    }
    let mut args = zone_values(i);
    args.extend([id.0.into(), site.id.0.into(), site.unit_id.0.into(), at(actor.at)]);
    tx.execute(
        "insert into zones (kind, name, sensitivity, asset_value, description, search_key, id, site_id, unit_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        &args,
    )
    .await?;
    let created = load(tx.as_mut(), ZONE, id.0, zone_row).await?;
    finish(tx, actor, "zone.create", id.to_string(), site.unit_id, None, &created).await?;
    Ok(created)
}

pub async fn update_zone(d: &dyn Driver, actor: &Actor, id: ZoneId, i: &ZoneInput) -> Result<Zone> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), ZONE, id.0, zone_row).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, before.unit_id).await?;
    if i.site_id != before.site_id {
        let site = load(tx.as_mut(), SITE, i.site_id.0, site_row).await.map_err(|e| not_found_as("site_id", e))?;
        if site.unit_id != before.unit_id {
            return Err(Invalid::one("site_id", Problem::WrongParent).into());
        }
    }
    let mut args = zone_values(i);
    args.extend([id.0.into(), i.site_id.0.into(), at(actor.at)]);
    tx.execute(
        "update zones set kind = $1, name = $2, sensitivity = $3, asset_value = $4, description = $5, search_key = $6,
         site_id = $8, updated_at = $9 where id = $7",
        &args,
    )
    .await?;
    if i.site_id != before.site_id {
        // The zone's checkpoints and devices move with it; a checkpoint code already used on
        // the new site is refused rather than duplicated.
        let moving = tx.fetch("select id, code from checkpoints where zone_id = $1", &[id.0.into()]).await?;
        for cp in &moving {
            check_code(tx.as_mut(), i.site_id, &cp.text("code")?, Some(CheckpointId(cp.uuid("id")?))).await?;
        }
        tx.execute("update checkpoints set site_id = $1 where zone_id = $2", &[i.site_id.0.into(), id.0.into()])
            .await?;
        tx.execute("update devices set site_id = $1 where zone_id = $2", &[i.site_id.0.into(), id.0.into()]).await?;
    }
    let after = load(tx.as_mut(), ZONE, id.0, zone_row).await?;
    finish(tx, actor, "zone.update", id.to_string(), before.unit_id, Some(&before), &after).await?;
    Ok(after)
}

pub async fn zone(d: &dyn Driver, p: &Principal, id: ZoneId) -> Result<Zone> {
    read(d, p, ZONE, id.0, zone_row, |z| z.unit_id).await
}

pub async fn list_zones(d: &dyn Driver, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Zone>> {
    list(d, p, unit, text, ZONE, "sensitivity desc, search_key", zone_row).await
}

// ---- checkpoints ----

/// A checkpoint's code is unique within its site: it is what is printed on the tag.
async fn check_code(tx: &mut dyn Tx, site: SiteId, code: &str, except: Option<CheckpointId>) -> Result<()> {
    let taken =
        opt(tx, "select id from checkpoints where site_id = $1 and code = $2", &[site.0.into(), code.into()]).await?;
    match taken {
        Some(r) if Some(CheckpointId(r.uuid("id")?)) != except => Err(Invalid::one("code", Problem::Taken).into()),
        _ => Ok(()),
    }
}

fn checkpoint_values(i: &CheckpointInput) -> Vec<Value> {
    vec![
        i.code.as_str().into(),
        i.name.as_str().into(),
        i.location.as_str().into(),
        i.active.into(),
        key(&[&i.code, &i.name, &i.location]).into(),
    ]
}

pub async fn create_checkpoint(d: &dyn Driver, actor: &Actor, i: &CheckpointInput) -> Result<Checkpoint> {
    let mut tx = d.begin(true).await?;
    let zone = load(tx.as_mut(), ZONE, i.zone_id.0, zone_row).await.map_err(|e| not_found_as("zone_id", e))?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, zone.unit_id)
        .await
        .map_err(|e| not_found_as("zone_id", e))?;
    let id = i.id.unwrap_or_else(CheckpointId::mint);
    if let Some(first) = replay(find(tx.as_mut(), CHECKPOINT, id.0, checkpoint_row).await?, |c| c.zone_id == i.zone_id)?
    {
        return Ok(first);
    }
    check_code(tx.as_mut(), zone.site_id, &i.code, None).await?;
    let mut args = checkpoint_values(i);
    args.extend([id.0.into(), zone.id.0.into(), zone.site_id.0.into(), zone.unit_id.0.into(), at(actor.at)]);
    tx.execute(
        "insert into checkpoints (code, name, location, active, search_key, id, zone_id, site_id, unit_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        &args,
    )
    .await?;
    let created = load(tx.as_mut(), CHECKPOINT, id.0, checkpoint_row).await?;
    finish(tx, actor, "checkpoint.create", id.to_string(), zone.unit_id, None, &created).await?;
    Ok(created)
}

pub async fn update_checkpoint(
    d: &dyn Driver,
    actor: &Actor,
    id: CheckpointId,
    i: &CheckpointInput,
) -> Result<Checkpoint> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), CHECKPOINT, id.0, checkpoint_row).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, before.unit_id).await?;
    let zone = load(tx.as_mut(), ZONE, i.zone_id.0, zone_row).await.map_err(|e| not_found_as("zone_id", e))?;
    if zone.unit_id != before.unit_id {
        return Err(Invalid::one("zone_id", Problem::WrongParent).into());
    }
    check_code(tx.as_mut(), zone.site_id, &i.code, Some(id)).await?;
    let mut args = checkpoint_values(i);
    args.extend([id.0.into(), zone.id.0.into(), zone.site_id.0.into(), at(actor.at)]);
    tx.execute(
        "update checkpoints set code = $1, name = $2, location = $3, active = $4, search_key = $5, zone_id = $7, site_id = $8,
         updated_at = $9 where id = $6",
        &args,
    )
    .await?;
    let after = load(tx.as_mut(), CHECKPOINT, id.0, checkpoint_row).await?;
    finish(tx, actor, "checkpoint.update", id.to_string(), before.unit_id, Some(&before), &after).await?;
    Ok(after)
}

pub async fn checkpoint(d: &dyn Driver, p: &Principal, id: CheckpointId) -> Result<Checkpoint> {
    read(d, p, CHECKPOINT, id.0, checkpoint_row, |c| c.unit_id).await
}

pub async fn list_checkpoints(d: &dyn Driver, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Checkpoint>> {
    list(d, p, unit, text, CHECKPOINT, "code", checkpoint_row).await
}

// ---- devices ----

/// The site a device goes to must be the unit's, and its zone (if any) must be on that site.
async fn device_place(tx: &mut dyn Tx, i: &DeviceInput) -> Result<Site> {
    let site = load(tx, SITE, i.site_id.0, site_row).await.map_err(|e| not_found_as("site_id", e))?;
    if let Some(z) = i.zone_id {
        let zone = load(tx, ZONE, z.0, zone_row).await.map_err(|e| not_found_as("zone_id", e))?;
        if zone.site_id != site.id {
            return Err(Invalid::one("zone_id", Problem::WrongParent).into());
        }
    }
    Ok(site)
}

fn device_values(i: &DeviceInput) -> Vec<Value> {
    vec![
        i.zone_id.map(|z| z.0).into(),
        i.kind.code().into(),
        i.name.as_str().into(),
        i.location.as_str().into(),
        i.serial.as_str().into(),
        i.external_ref.as_str().into(),
        i.active.into(),
        key(&[&i.name, &i.location, &i.serial, &i.external_ref]).into(),
    ]
}

pub async fn create_device(d: &dyn Driver, actor: &Actor, i: &DeviceInput) -> Result<Device> {
    let mut tx = d.begin(true).await?;
    let site = device_place(tx.as_mut(), i).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, site.unit_id)
        .await
        .map_err(|e| not_found_as("site_id", e))?;
    let id = i.id.unwrap_or_else(DeviceId::mint);
    if let Some(first) = replay(find(tx.as_mut(), DEVICE, id.0, device_row).await?, |x| x.site_id == i.site_id)? {
        return Ok(first);
    }
    let mut args = device_values(i);
    args.extend([id.0.into(), site.id.0.into(), site.unit_id.0.into(), at(actor.at)]);
    tx.execute(
        "insert into devices (zone_id, kind, name, location, serial, external_ref, active, search_key, id, site_id, unit_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        &args,
    )
    .await?;
    let created = load(tx.as_mut(), DEVICE, id.0, device_row).await?;
    finish(tx, actor, "device.create", id.to_string(), site.unit_id, None, &created).await?;
    Ok(created)
}

pub async fn update_device(d: &dyn Driver, actor: &Actor, id: DeviceId, i: &DeviceInput) -> Result<Device> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), DEVICE, id.0, device_row).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, before.unit_id).await?;
    let site = device_place(tx.as_mut(), i).await?;
    if site.unit_id != before.unit_id {
        return Err(Invalid::one("site_id", Problem::WrongParent).into());
    }
    let mut args = device_values(i);
    args.extend([id.0.into(), site.id.0.into(), at(actor.at)]);
    tx.execute(
        "update devices set zone_id = $1, kind = $2, name = $3, location = $4, serial = $5, external_ref = $6, active = $7,
         search_key = $8, site_id = $10, updated_at = $11 where id = $9",
        &args,
    )
    .await?;
    let after = load(tx.as_mut(), DEVICE, id.0, device_row).await?;
    finish(tx, actor, "device.update", id.to_string(), before.unit_id, Some(&before), &after).await?;
    Ok(after)
}

pub async fn device(d: &dyn Driver, p: &Principal, id: DeviceId) -> Result<Device> {
    read(d, p, DEVICE, id.0, device_row, |x| x.unit_id).await
}

pub async fn list_devices(d: &dyn Driver, p: &Principal, unit: UnitId, text: &str) -> Result<Vec<Device>> {
    list(d, p, unit, text, DEVICE, "kind, search_key", device_row).await
}
