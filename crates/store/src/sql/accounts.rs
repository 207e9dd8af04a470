//! Accounts, browser sessions and integration tokens.

use baove_core::access::{Action, Denied, Org, OrgKind, Principal, Role, may_assign};
use baove_core::account::{Account, AccountInput};
use baove_core::validate::{Invalid, Problem};
use baove_core::{AccountId, GuardId, TokenId, UnitId};
use jiff::Timestamp;

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::{require_authority, require_unit};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::store::{Actor, ApiToken, Session};

const COLUMNS: &str = "id, username, display_name, role, unit_id, authority_id, guard_id, active, created_at";

pub fn account(r: &Row) -> Result<Account> {
    Ok(Account {
        id: AccountId(r.uuid("id")?),
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        role: code(r, "role", baove_core::access::Role::from_code)?,
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        authority_id: r.opt_uuid("authority_id")?.map(baove_core::AuthorityId),
        guard_id: r.opt_uuid("guard_id")?.map(GuardId),
        active: r.bool("active")?,
        created_at: ts(r, "created_at")?,
    })
}

/// Checks that `p` may manage accounts of `org`.
async fn require_org(tx: &mut dyn Tx, p: &Principal, org: Org) -> Result<()> {
    match org {
        Org::Unit(u) => require_unit(tx, p, Action::ManageAccounts, u).await.map(|_| ()),
        Org::Authority(a) => require_authority(tx, p, Action::ManageAccounts, Some(a)).await,
        Org::System => require_authority(tx, p, Action::ManageAccounts, None).await,
    }
}

async fn load(tx: &mut dyn Tx, id: AccountId) -> Result<Account> {
    account(&one(tx, &format!("select {COLUMNS} from accounts where id = $1"), &[id.0.into()]).await?)
}

pub async fn count(d: &dyn Driver) -> Result<i64> {
    d.fetch("select count(*) as n from accounts", &[]).await?.first().map_or(Ok(0), |r| r.int("n"))
}

pub async fn create(d: &dyn Driver, actor: &Actor, input: &AccountInput, password_hash: &str) -> Result<Account> {
    let mut tx = d.begin(true).await?;
    let p = &actor.principal;
    require_org(tx.as_mut(), p, input.org).await?;
    if !may_assign(p, input.role) {
        return Err(Denied::Forbidden.into());
    }
    // An account that would be cleared for a key target's details (its guards, security
    // officer and head) may only be made by someone cleared for them: otherwise an admin could
    // make one, sign in as it and read what need-to-know hides from them.
    if let Org::Unit(u) = input.org
        && matches!(input.role, Role::Guard | Role::SecurityOfficer | Role::UnitHead)
    {
        require_unit(tx.as_mut(), p, Action::ViewDetails, u).await?;
    }
    let (unit_id, authority_id) = match input.org {
        Org::Unit(u) => (Some(u), None),
        Org::Authority(a) => (None, Some(a)),
        Org::System => (None, None),
    };
    if input.role.org_kind() != OrgKind::Unit && input.guard_id.is_some() {
        return Err(Invalid::one("guard_id", Problem::WrongParent).into());
    }
    if let Some(g) = input.guard_id {
        let row = opt(tx.as_mut(), "select unit_id from guards where id = $1", &[g.0.into()]).await?;
        if row.map(|r| r.uuid("unit_id")).transpose()? != unit_id.map(|u| u.0) {
            return Err(Invalid::one("guard_id", Problem::WrongParent).into());
        }
    }
    if opt(tx.as_mut(), "select id from accounts where username = $1", &[input.username.as_str().into()])
        .await?
        .is_some()
    {
        return Err(Invalid::one("username", Problem::Taken).into());
    }
    let id = AccountId::mint();
    tx.execute(
        "insert into accounts (id, username, display_name, role, unit_id, authority_id, guard_id, password_hash, active, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            id.0.into(),
            input.username.as_str().into(),
            input.display_name.as_str().into(),
            input.role.code().into(),
            unit_id.map(|u| u.0).into(),
            authority_id.map(|a| a.0).into(),
            input.guard_id.map(|g| g.0).into(),
            password_hash.into(),
            true.into(),
            at(actor.at),
        ],
    )
    .await?;
    let created = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "account.create",
            entity: "account",
            entity_id: id.to_string(),
            unit_id,
            before: None,
            after: Some(json(&created)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn login_lookup(d: &dyn Driver, username: &str) -> Result<Option<(Account, String)>> {
    let rows = d
        .fetch(
            &format!("select {COLUMNS}, password_hash from accounts where username = $1 and active = $2"),
            &[username.into(), true.into()],
        )
        .await?;
    rows.first().map(|r| Ok((account(r)?, r.text("password_hash")?))).transpose()
}

pub async fn get(d: &dyn Driver, p: &Principal, id: AccountId) -> Result<Account> {
    let mut tx = d.begin(false).await?;
    let acc = load(tx.as_mut(), id).await?;
    if acc.id != p.account_id {
        require_org(tx.as_mut(), p, acc.org()).await?;
    }
    tx.commit().await?;
    Ok(acc)
}

pub async fn list(d: &dyn Driver, p: &Principal, org: Org) -> Result<Vec<Account>> {
    let mut tx = d.begin(false).await?;
    require_org(tx.as_mut(), p, org).await?;
    let (cond, args): (&str, Vec<Value>) = match org {
        Org::Unit(u) => ("unit_id = $1", vec![u.0.into()]),
        Org::Authority(a) => ("authority_id = $1", vec![a.0.into()]),
        Org::System => ("unit_id is null and authority_id is null", vec![]),
    };
    let rows = tx.fetch(&format!("select {COLUMNS} from accounts where {cond} order by username"), &args).await?;
    tx.commit().await?;
    rows.iter().map(account).collect()
}

async fn change_account(
    d: &dyn Driver,
    actor: &Actor,
    id: AccountId,
    action: &str,
    sql: &str,
    arg: Value,
) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let before = load(tx.as_mut(), id).await?;
    // Accounts are managed by those who manage the organisation, not by their holder: a guard
    // cannot lock themselves out, nor set a password without the old one.
    require_org(tx.as_mut(), &actor.principal, before.org()).await?;
    if before.id == actor.principal.account_id && action == "account.active" {
        return Err(Denied::Forbidden.into());
    }
    tx.execute(sql, &[arg, id.0.into()]).await?;
    let after = load(tx.as_mut(), id).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action,
            entity: "account",
            entity_id: id.to_string(),
            unit_id: before.unit_id,
            before: Some(json(&before)),
            after: Some(json(&after)),
        },
    )
    .await?;
    if !after.active {
        tx.execute("delete from sessions where account_id = $1", &[id.0.into()]).await?;
    }
    tx.commit().await
}

pub async fn set_password(d: &dyn Driver, actor: &Actor, id: AccountId, hash: &str) -> Result<()> {
    change_account(
        d,
        actor,
        id,
        "account.password",
        "update accounts set password_hash = $1 where id = $2",
        hash.into(),
    )
    .await
}

pub async fn set_active(d: &dyn Driver, actor: &Actor, id: AccountId, active: bool) -> Result<()> {
    change_account(d, actor, id, "account.active", "update accounts set active = $1 where id = $2", active.into()).await
}

pub async fn create_session(d: &dyn Driver, s: &Session) -> Result<()> {
    let mut tx = d.begin(true).await?;
    tx.execute("delete from sessions where expires_at < $1", &[at(s.created_at)]).await?;
    tx.execute(
        "insert into sessions (token_hash, account_id, csrf, created_at, expires_at) values ($1, $2, $3, $4, $5)",
        &[
            s.token_hash.as_str().into(),
            s.account_id.0.into(),
            s.csrf.as_str().into(),
            at(s.created_at),
            at(s.expires_at),
        ],
    )
    .await?;
    tx.commit().await
}

pub async fn session(d: &dyn Driver, token_hash: &str, now: Timestamp) -> Result<Option<(Session, Account)>> {
    let cols = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
    let rows = d
        .fetch(
            &format!(
                "select {cols}, s.token_hash, s.csrf, s.created_at as s_created, s.expires_at
                 from sessions s join accounts a on a.id = s.account_id
                 where s.token_hash = $1 and s.expires_at > $2 and a.active = $3"
            ),
            &[token_hash.into(), at(now), true.into()],
        )
        .await?;
    let Some(r) = rows.first() else { return Ok(None) };
    let acc = account(r)?;
    let session = Session {
        token_hash: r.text("token_hash")?,
        account_id: acc.id,
        csrf: r.text("csrf")?,
        created_at: ts(r, "s_created")?,
        expires_at: ts(r, "expires_at")?,
    };
    Ok(Some((session, acc)))
}

pub async fn delete_session(d: &dyn Driver, token_hash: &str) -> Result<()> {
    let mut tx = d.begin(true).await?;
    tx.execute("delete from sessions where token_hash = $1", &[token_hash.into()]).await?;
    tx.commit().await
}

fn token(r: &Row) -> Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(r.uuid("id")?),
        account_id: AccountId(r.uuid("account_id")?),
        name: r.text("name")?,
        created_at: ts(r, "created_at")?,
        revoked: r.bool("revoked")?,
    })
}

pub async fn create_token(d: &dyn Driver, actor: &Actor, name: &str, token_hash: &str) -> Result<ApiToken> {
    let mut tx = d.begin(true).await?;
    let id = TokenId::mint();
    tx.execute(
        "insert into api_tokens (id, account_id, name, token_hash, created_at, revoked) values ($1, $2, $3, $4, $5, $6)",
        &[id.0.into(), actor.principal.account_id.0.into(), name.into(), token_hash.into(), at(actor.at), false.into()],
    )
    .await?;
    let t = token(
        &one(
            tx.as_mut(),
            "select id, account_id, name, created_at, revoked from api_tokens where id = $1",
            &[id.0.into()],
        )
        .await?,
    )?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "token.create",
            entity: "api_token",
            entity_id: id.to_string(),
            unit_id: None,
            before: None,
            after: Some(json(&t)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn token_account(d: &dyn Driver, token_hash: &str) -> Result<Option<Account>> {
    let cols = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
    let rows = d
        .fetch(
            &format!("select {cols} from api_tokens t join accounts a on a.id = t.account_id where t.token_hash = $1 and t.revoked = $2 and a.active = $3"),
            &[token_hash.into(), false.into(), true.into()],
        )
        .await?;
    rows.first().map(account).transpose()
}

pub async fn list_tokens(d: &dyn Driver, p: &Principal) -> Result<Vec<ApiToken>> {
    let rows = d
        .fetch("select id, account_id, name, created_at, revoked from api_tokens where account_id = $1 order by created_at desc", &[p.account_id.0.into()])
        .await?;
    rows.iter().map(token).collect()
}

pub async fn revoke_token(d: &dyn Driver, actor: &Actor, id: TokenId) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let before = token(
        &one(
            tx.as_mut(),
            "select id, account_id, name, created_at, revoked from api_tokens where id = $1",
            &[id.0.into()],
        )
        .await?,
    )?;
    if before.account_id != actor.principal.account_id {
        return Err(StoreError::NotFound);
    }
    tx.execute("update api_tokens set revoked = $1 where id = $2", &[true.into(), id.0.into()]).await?;
    let after = ApiToken { revoked: true, ..before.clone() };
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "token.revoke",
            entity: "api_token",
            entity_id: id.to_string(),
            unit_id: None,
            before: Some(json(&before)),
            after: Some(json(&after)),
        },
    )
    .await?;
    tx.commit().await
}
