//! Turning a principal into the facts [`decide`] needs, and into SQL filters that list exactly
//! what [`decide`] would allow.

use baove_core::access::{Action, Denied, Org, Principal, Role, Target, decide};
use baove_core::{AuthorityId, UnitId};

use super::common::one;
use crate::driver::{Tx, Value};
use crate::error::{Result, StoreError};

/// The authority and its ancestors, nearest first.
pub async fn authority_chain(tx: &mut dyn Tx, id: AuthorityId) -> Result<Vec<AuthorityId>> {
    let rows = tx
        .fetch(
            "with recursive chain(id, parent_id, depth) as (
                select id, parent_id, 0 from authorities where id = $1
                union all
                select a.id, a.parent_id, c.depth + 1 from authorities a join chain c on a.id = c.parent_id
                where c.depth < 32
            ) select id from chain order by depth",
            &[id.0.into()],
        )
        .await?;
    if rows.is_empty() {
        return Err(StoreError::NotFound);
    }
    rows.iter().map(|r| r.uuid("id").map(AuthorityId)).collect()
}

/// The access facts about a unit for this principal.
pub async fn unit_target(tx: &mut dyn Tx, p: &Principal, unit: UnitId) -> Result<Target> {
    let row = one(
        tx,
        "select u.authority_id, u.key_target,
                (select count(*) from clearances c where c.unit_id = u.id and c.account_id = $2) as cleared
         from units u where u.id = $1",
        &[unit.0.into(), p.account_id.0.into()],
    )
    .await?;
    let authority_chain = authority_chain(tx, AuthorityId(row.uuid("authority_id")?)).await?;
    Ok(Target::Unit {
        id: unit,
        authority_chain,
        key_target: row.bool("key_target")?,
        cleared: row.int("cleared")? > 0,
    })
}

/// Loads the unit's facts and asks [`decide`].
pub async fn require_unit(tx: &mut dyn Tx, p: &Principal, action: Action, unit: UnitId) -> Result<Target> {
    let target = unit_target(tx, p, unit).await?;
    decide(p, action, &target)?;
    Ok(target)
}

/// Asks [`decide`] about an authority (or, for `None`, the installation as a whole).
pub async fn require_authority(tx: &mut dyn Tx, p: &Principal, action: Action, id: Option<AuthorityId>) -> Result<()> {
    let target = match id {
        Some(id) => Target::Authority { chain: authority_chain(tx, id).await? },
        None if p.role == Role::SystemAdmin => Target::System,
        None => return Err(Denied::Forbidden.into()),
    };
    decide(p, action, &target)?;
    Ok(())
}

/// A filter on a units table aliased `u` that keeps the units this principal may see, as a
/// leading `with` clause (possibly empty) and a condition, with arguments starting at `$first`.
pub fn visible_units(p: &Principal, first: usize) -> (String, String, Vec<Value>) {
    match p.org {
        Org::System => (String::new(), "true".into(), vec![]),
        Org::Unit(u) => (String::new(), format!("u.id = ${first}"), vec![u.0.into()]),
        Org::Authority(a) => (
            format!(
                "with recursive sub(id, depth) as (
                    select id, 0 from authorities where id = ${first}
                    union all
                    select a.id, s.depth + 1 from authorities a join sub s on a.parent_id = s.id where s.depth < 32
                ) "
            ),
            "u.authority_id in (select id from sub)".into(),
            vec![a.0.into()],
        ),
    }
}

/// The same for an authorities table aliased `a`: the principal's own subtree.
pub fn visible_authorities(p: &Principal, first: usize) -> (String, String, Vec<Value>) {
    match p.org {
        Org::System => (String::new(), "true".into(), vec![]),
        Org::Unit(_) => (String::new(), "false".into(), vec![]),
        Org::Authority(_) => {
            let (with, _, args) = visible_units(p, first);
            (with, "a.id in (select id from sub)".into(), args)
        }
    }
}
