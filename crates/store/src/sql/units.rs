//! Units, and the clearances that open a key target's details to named people.

use baove_core::access::{Action, Principal, Target, decide};
use baove_core::account::Account;
use baove_core::registry::{AuthorityKind, Unit, UnitInput, UnitKind};
use baove_core::validate::{Invalid, Problem};
use baove_core::{AccountId, AuthorityId, UnitId};

use super::accounts;
use super::audit::{Change, append};
use super::common::{at, code, json, key, one, opt, replay, search, ts};
use super::scope::{authority_chain, require_unit, visible_units};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::Result;
use crate::store::{Actor, UnitFilter};

const COLUMNS: &str =
    "u.id, u.authority_id, u.kind, u.name, u.key_target, u.address, u.phone, u.head_name, u.created_at, u.updated_at";

fn unit(r: &Row) -> Result<Unit> {
    Ok(Unit {
        id: UnitId(r.uuid("id")?),
        authority_id: AuthorityId(r.uuid("authority_id")?),
        kind: code(r, "kind", UnitKind::from_code)?,
        name: r.text("name")?,
        key_target: r.bool("key_target")?,
        address: r.text("address")?,
        phone: r.text("phone")?,
        head_name: r.text("head_name")?,
        created_at: ts(r, "created_at")?,
        updated_at: ts(r, "updated_at")?,
    })
}

async fn load(tx: &mut dyn Tx, id: UnitId) -> Result<Unit> {
    unit(&one(tx, &format!("select {COLUMNS} from units u where u.id = $1"), &[id.0.into()]).await?)
}

/// Checks that the writer may place a unit under `authority`, and that it holds jurisdiction.
async fn check_authority(tx: &mut dyn Tx, p: &Principal, authority: AuthorityId) -> Result<()> {
    let chain = authority_chain(tx, authority).await.map_err(|_| Invalid::one("authority_id", Problem::NotFound))?;
    decide(p, Action::PlaceUnit, &Target::Authority { chain })?;
    let row = one(tx, "select kind from authorities where id = $1", &[authority.0.into()]).await?;
    if code(&row, "kind", AuthorityKind::from_code)?.has_jurisdiction() {
        Ok(())
    } else {
        Err(Invalid::one("authority_id", Problem::WrongParent).into())
    }
}

fn values(input: &UnitInput) -> Vec<Value> {
    vec![
        input.authority_id.0.into(),
        input.kind.code().into(),
        input.name.as_str().into(),
        input.key_target.into(),
        input.address.as_str().into(),
        input.phone.as_str().into(),
        input.head_name.as_str().into(),
        key(&[&input.name, &input.address, &input.head_name]).into(),
    ]
}

pub async fn create(d: &dyn Driver, actor: &Actor, input: &UnitInput) -> Result<Unit> {
    let mut tx = d.begin(true).await?;
    check_authority(tx.as_mut(), &actor.principal, input.authority_id).await?;
    let id = input.id.unwrap_or_else(UnitId::mint);
    let existing = opt(tx.as_mut(), &format!("select {COLUMNS} from units u where u.id = $1"), &[id.0.into()]).await?;
    if let Some(first) = replay(existing.as_ref().map(unit).transpose()?, |u| u.authority_id == input.authority_id)? {
        return Ok(first);
    }
    let mut args = values(input);
    args.extend([id.0.into(), at(actor.at)]);
    tx.execute(
        "insert into units (authority_id, kind, name, key_target, address, phone, head_name, search_key, id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        &args,
    )
    .await?;
    let created = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "unit.create",
            entity: "unit",
            entity_id: id.to_string(),
            unit_id: Some(id),
            before: None,
            after: Some(json(&created)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn update(d: &dyn Driver, actor: &Actor, id: UnitId, input: &UnitInput) -> Result<Unit> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), id).await?;
    let target = require_unit(tx.as_mut(), &actor.principal, Action::EditUnit, id).await?;
    if before.authority_id != input.authority_id || before.key_target != input.key_target {
        decide(&actor.principal, Action::PlaceUnit, &target)?;
        check_authority(tx.as_mut(), &actor.principal, input.authority_id).await?;
    }
    // Lifting the key-target flag (or moving a key target) would open its details to everyone
    // in scope: only someone already cleared for them may do it.
    if before.key_target && (!input.key_target || before.authority_id != input.authority_id) {
        decide(&actor.principal, Action::ViewDetails, &target)?;
    }
    let mut args = values(input);
    args.extend([id.0.into(), at(actor.at)]);
    tx.execute(
        "update units set authority_id = $1, kind = $2, name = $3, key_target = $4, address = $5, phone = $6, head_name = $7,
         search_key = $8, updated_at = $10 where id = $9",
        &args,
    )
    .await?;
    let after = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "unit.update",
            entity: "unit",
            entity_id: id.to_string(),
            unit_id: Some(id),
            before: Some(json(&before)),
            after: Some(json(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn get(d: &dyn Driver, p: &Principal, id: UnitId) -> Result<Unit> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewUnit, id).await?;
    let found = load(tx.as_mut(), id).await?;
    tx.commit().await?;
    Ok(found)
}

pub async fn list(d: &dyn Driver, p: &Principal, f: &UnitFilter) -> Result<Vec<Unit>> {
    let (with, cond, mut args) = visible_units(p, 1);
    let mut sql = format!("{with}select {COLUMNS} from units u where {cond}");
    let (words, word_args) = search("u.search_key", &f.text, args.len() + 1);
    sql.push_str(&words);
    args.extend(word_args);
    if let Some(kind) = f.kind {
        args.push(kind.code().into());
        sql.push_str(&format!(" and u.kind = ${}", args.len()));
    }
    if let Some(k) = f.key_target {
        args.push(k.into());
        sql.push_str(&format!(" and u.key_target = ${}", args.len()));
    }
    if let Some(a) = f.authority_id {
        args.push(a.0.into());
        sql.push_str(&format!(" and u.authority_id = ${}", args.len()));
    }
    sql.push_str(" order by u.search_key");
    d.fetch(&sql, &args).await?.iter().map(unit).collect()
}

pub async fn grant_clearance(d: &dyn Driver, actor: &Actor, unit: UnitId, account: AccountId) -> Result<()> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::GrantClearance, unit).await?;
    if account == actor.principal.account_id {
        // Nobody clears themselves: need-to-know is granted by someone else.
        return Err(Invalid::one("account_id", Problem::WrongParent).into());
    }
    let grantee = accounts::account(&one(tx.as_mut(), "select id, username, display_name, role, unit_id, authority_id, guard_id, active, created_at from accounts where id = $1", &[account.0.into()]).await.map_err(|_| Invalid::one("account_id", Problem::NotFound))?)?;
    // The grantee must be someone who could see the unit at all.
    decide(
        &grantee.principal(),
        Action::ViewUnit,
        &super::scope::unit_target(tx.as_mut(), &grantee.principal(), unit).await?,
    )
    .map_err(|_| Invalid::one("account_id", Problem::WrongParent))?;
    let exists = tx
        .fetch(
            "select 1 as x from clearances where unit_id = $1 and account_id = $2",
            &[unit.0.into(), account.0.into()],
        )
        .await?;
    if exists.is_empty() {
        tx.execute(
            "insert into clearances (unit_id, account_id, granted_by, granted_at) values ($1, $2, $3, $4)",
            &[unit.0.into(), account.0.into(), actor.principal.account_id.0.into(), at(actor.at)],
        )
        .await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "clearance.grant",
                entity: "clearance",
                entity_id: account.to_string(),
                unit_id: Some(unit),
                before: None,
                after: Some(json(&grantee.username)),
            },
        )
        .await?;
    }
    tx.commit().await
}

pub async fn revoke_clearance(d: &dyn Driver, actor: &Actor, unit: UnitId, account: AccountId) -> Result<()> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::GrantClearance, unit).await?;
    let n = tx
        .execute("delete from clearances where unit_id = $1 and account_id = $2", &[unit.0.into(), account.0.into()])
        .await?;
    if n > 0 {
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "clearance.revoke",
                entity: "clearance",
                entity_id: account.to_string(),
                unit_id: Some(unit),
                before: Some("{}".into()),
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await
}

pub async fn list_clearances(d: &dyn Driver, p: &Principal, unit: UnitId) -> Result<Vec<Account>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::GrantClearance, unit).await?;
    let rows = tx
        .fetch(
            "select a.id, a.username, a.display_name, a.role, a.unit_id, a.authority_id, a.guard_id, a.active, a.created_at
             from clearances c join accounts a on a.id = c.account_id where c.unit_id = $1 order by a.username",
            &[unit.0.into()],
        )
        .await?;
    tx.commit().await?;
    rows.iter().map(accounts::account).collect()
}
