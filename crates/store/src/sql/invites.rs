//! Hosts' invitations (R7): the visitors someone at the unit expects, one or a group, checked
//! in at the gate with one scan. Guests' document numbers are sealed like the logbook's, under
//! the visit id each guest will have; arrivals are read from the logbook itself.

use baove_core::access::{Action, Org};
use baove_core::validate::{Invalid, Problem};
use baove_core::visitor::visit::DocKind;
use baove_core::visitor::{Nationality, VisitId};
use baove_core::{AccountId, UnitId};
use uuid::Uuid;

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::require_unit;
use super::visitors::{aad, data_key, seal, unseal};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::gate::{Invitation, InviteGuest, NewInvite};
use crate::store::Actor;

const INVITE: &str = "select id, unit_id, host_id, host_name, token, purpose, expected_at from invites";

async fn load(tx: &mut dyn Tx, r: &Row, now: jiff::Timestamp) -> Result<Invitation> {
    let id = r.uuid("id")?;
    let unit = UnitId(r.uuid("unit_id")?);
    let key = data_key(tx, unit, now).await?;
    let rows = tx
        .fetch(
            "select g.visit_id, g.name, g.doc_kind, g.doc_cipher, g.nationality, v.checked_in_at
             from invite_guests g left join visits v on v.id = g.visit_id
             where g.invite_id = $1 order by g.position",
            &[id.into()],
        )
        .await?;
    let mut guests = Vec::new();
    for g in &rows {
        let visit_id = VisitId(g.uuid("visit_id")?);
        guests.push(InviteGuest {
            visit_id,
            name: g.text("name")?,
            doc_kind: code(g, "doc_kind", DocKind::from_code)?,
            doc_number: unseal(&key, &aad(unit, visit_id), &g.bytes("doc_cipher")?)?,
            nationality: Nationality::parse(&g.text("nationality")?)
                .map_err(|_| StoreError::Other("column nationality: unknown code".into()))?,
            arrived_at: g.opt_int("checked_in_at")?.map(baove_core::time::from_micros),
        });
    }
    Ok(Invitation {
        id,
        unit_id: unit,
        host_id: AccountId(r.uuid("host_id")?),
        host_name: r.text("host_name")?,
        token: r.text("token")?,
        purpose: r.text("purpose")?,
        expected_at: ts(r, "expected_at")?,
        guests,
    })
}

pub async fn create(d: &dyn Driver, actor: &Actor, new: &NewInvite) -> Result<Invitation> {
    let p = &actor.principal;
    if p.org != Org::Unit(new.unit_id) {
        return Err(StoreError::NotFound);
    }
    if new.token.len() < 20 {
        return Err(Invalid::one("token", Problem::TooShort { min: 20 }).into());
    }
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), p, Action::ViewUnit, new.unit_id).await?;
    if let Some(r) = opt(tx.as_mut(), &format!("{INVITE} where id = $1"), &[new.id.into()]).await? {
        if r.uuid("host_id")? != p.account_id.0 {
            return Err(Invalid::one("id", Problem::Taken).into());
        }
        let inv = load(tx.as_mut(), &r, actor.at).await?;
        tx.commit().await?;
        return Ok(inv);
    }
    tx.execute(
        "insert into invites (id, unit_id, host_id, host_name, token, purpose, expected_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            new.id.into(),
            new.unit_id.0.into(),
            p.account_id.0.into(),
            p.display_name.as_str().into(),
            new.token.as_str().into(),
            new.purpose.as_str().into(),
            at(new.expected_at),
            at(actor.at),
        ],
    )
    .await?;
    let key = data_key(tx.as_mut(), new.unit_id, actor.at).await?;
    for (i, (visit, guest)) in new.guests.iter().enumerate() {
        tx.execute(
            "insert into invite_guests (invite_id, position, visit_id, name, doc_kind, doc_cipher, nationality)
             values ($1, $2, $3, $4, $5, $6, $7)",
            &[
                new.id.into(),
                i64::try_from(i).unwrap_or(i64::MAX).into(),
                visit.0.into(),
                guest.name.as_str().into(),
                guest.document.kind().code().into(),
                Value::Bytes(seal(&key, &aad(new.unit_id, *visit), guest.document.number())?),
                guest.nationality.code().into(),
            ],
        )
        .await?;
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "invite.create",
            entity: "invite",
            entity_id: new.id.to_string(),
            unit_id: Some(new.unit_id),
            before: None,
            after: Some(json(&serde_json::json!({ "guests": new.guests.len(), "expected_at": new.expected_at }))),
        },
    )
    .await?;
    let r = one(tx.as_mut(), &format!("{INVITE} where id = $1"), &[new.id.into()]).await?;
    let inv = load(tx.as_mut(), &r, actor.at).await?;
    tx.commit().await?;
    Ok(inv)
}

/// The host reads their own; the unit's gate reads any of the unit's.
async fn readable(tx: &mut dyn Tx, actor: &Actor, r: &Row) -> Result<()> {
    if r.uuid("host_id")? == actor.principal.account_id.0 {
        return Ok(());
    }
    require_unit(tx, &actor.principal, Action::VisitorGate, UnitId(r.uuid("unit_id")?)).await.map(|_| ())
}

pub async fn get(d: &dyn Driver, actor: &Actor, id: Uuid) -> Result<Invitation> {
    let mut tx = d.begin(true).await?;
    let r = one(tx.as_mut(), &format!("{INVITE} where id = $1"), &[id.into()]).await?;
    readable(tx.as_mut(), actor, &r).await?;
    let inv = load(tx.as_mut(), &r, actor.at).await?;
    tx.commit().await?;
    Ok(inv)
}

pub async fn by_token(d: &dyn Driver, actor: &Actor, token: &str) -> Result<Invitation> {
    let mut tx = d.begin(true).await?;
    let r = one(tx.as_mut(), &format!("{INVITE} where token = $1"), &[token.into()]).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, UnitId(r.uuid("unit_id")?)).await?;
    let inv = load(tx.as_mut(), &r, actor.at).await?;
    tx.commit().await?;
    Ok(inv)
}

pub async fn mine(d: &dyn Driver, actor: &Actor) -> Result<Vec<Invitation>> {
    let since = actor.at.checked_sub(jiff::SignedDuration::from_hours(24)).unwrap_or(actor.at);
    let mut tx = d.begin(true).await?;
    let rows = tx
        .fetch(
            &format!("{INVITE} where host_id = $1 and expected_at >= $2 order by expected_at, id limit 50"),
            &[actor.principal.account_id.0.into(), at(since)],
        )
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(load(tx.as_mut(), r, actor.at).await?);
    }
    tx.commit().await?;
    Ok(out)
}
