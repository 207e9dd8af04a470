//! Authorities: the police tree and the steering committees.

use baove_core::AuthorityId;
use baove_core::access::{Action, Principal};
use baove_core::registry::{Authority, AuthorityInput, AuthorityKind};
use baove_core::validate::{Invalid, Problem};

use super::audit::{Change, append};
use super::common::{at, code, json, key, one, opt, replay, search, ts};
use super::scope::{authority_chain, require_authority, visible_authorities};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::store::Actor;

const COLUMNS: &str =
    "a.id, a.parent_id, a.kind, a.name, a.province_code, a.ward_code, a.phone, a.address, a.created_at, a.updated_at";

fn authority(r: &Row) -> Result<Authority> {
    Ok(Authority {
        id: AuthorityId(r.uuid("id")?),
        parent_id: r.opt_uuid("parent_id")?.map(AuthorityId),
        kind: code(r, "kind", AuthorityKind::from_code)?,
        name: r.text("name")?,
        province_code: r.text("province_code")?,
        ward_code: r.text("ward_code")?,
        phone: r.text("phone")?,
        address: r.text("address")?,
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

pub async fn load(tx: &mut dyn Tx, id: AuthorityId) -> Result<Authority> {
    authority(&one(tx, &format!("select {COLUMNS} from authorities a where a.id = $1"), &[id.0.into()]).await?)
}

/// Checks that the parent exists, is visible to the writer, and fits the kind.
async fn check_parent(tx: &mut dyn Tx, actor: &Actor, input: &AuthorityInput, this: Option<AuthorityId>) -> Result<()> {
    require_authority(tx, &actor.principal, Action::EditAuthority, input.parent_id).await?;
    let parent_kind = match input.parent_id {
        Some(pid) => {
            if let Some(this) = this
                && authority_chain(tx, pid).await?.contains(&this)
            {
                return Err(Invalid::one("parent_id", Problem::WrongParent).into());
            }
            Some(load(tx, pid).await.map_err(|_| Invalid::one("parent_id", Problem::NotFound))?.kind)
        }
        None => None,
    };
    if input.kind.may_sit_under(parent_kind) {
        Ok(())
    } else {
        Err(Invalid::one("parent_id", Problem::WrongParent).into())
    }
}

fn values(input: &AuthorityInput) -> Vec<Value> {
    vec![
        input.parent_id.map(|p| p.0).into(),
        input.kind.code().into(),
        input.name.as_str().into(),
        input.province_code.as_str().into(),
        input.ward_code.as_str().into(),
        input.phone.as_str().into(),
        input.address.as_str().into(),
        key(&[&input.name, &input.address, &input.ward_code]).into(),
    ]
}

pub async fn create(d: &dyn Driver, actor: &Actor, input: &AuthorityInput) -> Result<Authority> {
    let mut tx = d.begin(true).await?;
    check_parent(tx.as_mut(), actor, input, None).await?;
    let id = input.id.unwrap_or_else(AuthorityId::mint);
    let existing =
        opt(tx.as_mut(), &format!("select {COLUMNS} from authorities a where a.id = $1"), &[id.0.into()]).await?;
    if let Some(first) = replay(existing.as_ref().map(authority).transpose()?, |a| a.parent_id == input.parent_id)? {
        return Ok(first);
    }
    let mut args = values(input);
    args.extend([id.0.into(), at(actor.at)]);
    tx.execute(
        "insert into authorities (parent_id, kind, name, province_code, ward_code, phone, address, search_key, id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        &args,
    )
    .await?;
    let created = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "authority.create",
            entity: "authority",
            entity_id: id.to_string(),
            unit_id: None,
            before: None,
            after: Some(json(&created)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn update(d: &dyn Driver, actor: &Actor, id: AuthorityId, input: &AuthorityInput) -> Result<Authority> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), id).await?;
    require_authority(tx.as_mut(), &actor.principal, Action::EditAuthority, Some(id)).await?;
    if before.parent_id != input.parent_id || before.kind != input.kind {
        check_parent(tx.as_mut(), actor, input, Some(id)).await?;
        if input.kind != before.kind {
            let children = tx.fetch("select kind from authorities where parent_id = $1", &[id.0.into()]).await?;
            for child in &children {
                if !code(child, "kind", AuthorityKind::from_code)?.may_sit_under(Some(input.kind)) {
                    return Err(Invalid::one("kind", Problem::WrongParent).into());
                }
            }
            let units = tx.fetch("select count(*) as n from units where authority_id = $1", &[id.0.into()]).await?;
            if !input.kind.has_jurisdiction() && units.first().map_or(Ok(0), |r| r.int("n"))? > 0 {
                return Err(Invalid::one("kind", Problem::WrongParent).into());
            }
        }
    }
    let mut args = values(input);
    args.extend([id.0.into(), at(actor.at)]);
    tx.execute(
        "update authorities set parent_id = $1, kind = $2, name = $3, province_code = $4, ward_code = $5, phone = $6,
         address = $7, search_key = $8, updated_at = $10 where id = $9",
        &args,
    )
    .await?;
    let after = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "authority.update",
            entity: "authority",
            entity_id: id.to_string(),
            unit_id: None,
            before: Some(json(&before)),
            after: Some(json(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn get(d: &dyn Driver, p: &Principal, id: AuthorityId) -> Result<Authority> {
    let mut tx = d.begin(false).await?;
    let found = load(tx.as_mut(), id).await?;
    require_authority(tx.as_mut(), p, Action::ViewAuthority, Some(id)).await.map_err(|_| StoreError::NotFound)?;
    tx.commit().await?;
    Ok(found)
}

pub async fn list(d: &dyn Driver, p: &Principal, text: &str) -> Result<Vec<Authority>> {
    let (with, cond, mut args) = visible_authorities(p, 1);
    let (words, word_args) = search("a.search_key", text, args.len() + 1);
    args.extend(word_args);
    let rows = d
        .fetch(
            &format!(
                "{with}select {COLUMNS} from authorities a where {cond}{words} order by a.province_code, a.kind, a.name"
            ),
            &args,
        )
        .await?;
    rows.iter().map(authority).collect()
}
