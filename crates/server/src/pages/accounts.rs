//! Pages of accounts: who can sign in for an organisation, adding people, disabling them.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::access::{Org, OrgKind, Role, may_assign};
use baove_core::account::AccountDraft;
use baove_core::validate::Invalid;
use baove_core::{AccountId, AuthorityId, UnitId};
use serde::Deserialize;

use super::forms::{self, Target};
use super::layout::{form_page, page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, id, see, split};
use crate::auth::context::Ctx;
use crate::auth::password;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list).post(create))
        .route("/accounts/new", get(new))
        .route("/accounts/toggle", post(toggle))
}

#[derive(Deserialize, Default)]
struct OrgQuery {
    #[serde(default)]
    org: String,
}

/// Resolves `?org=` (a unit id, an authority id or "system") and returns its display name.
async fn resolve(s: &AppState, ctx: &Ctx, raw: &str) -> Result<(Org, String), AppError> {
    if raw == "system" || raw.is_empty() && ctx.principal.role == Role::SystemAdmin {
        return Ok((Org::System, ctx.t("role.system_admin").to_owned()));
    }
    if let Ok(u) = UnitId::parse(raw)
        && let Ok(unit) = s.store.unit(&ctx.principal, u).await
    {
        return Ok((Org::Unit(unit.id), unit.name));
    }
    let a: AuthorityId = id(raw)?;
    let authority = s.store.authority(&ctx.principal, a).await?;
    Ok((Org::Authority(authority.id), authority.name))
}

fn org_param(org: Org) -> String {
    match org {
        Org::Unit(u) => u.to_string(),
        Org::Authority(a) => a.to_string(),
        Org::System => "system".into(),
    }
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<OrgQuery>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let (org, name) = resolve(&s, &ctx, &q.org).await?;
    let accounts = s.store.list_accounts(&ctx.principal, org).await?;
    let rows = accounts
        .iter()
        .map(|a| {
            let state = if a.active {
                Cell::text(l.t("account.active")).tone("ok")
            } else {
                Cell::text(l.t("common.inactive")).tone("bad")
            };
            vec![
                Cell::text(&a.display_name),
                Cell::text(&a.username),
                Cell::text(l.label("role", a.role.code())),
                state,
            ]
        })
        .collect();
    let headers = ["field.display_name", "field.username", "field.role", "field.active"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    let mut p = page(&ctx, format!("{} · {name}", l.t("accounts.title")));
    p.actions.push(Link::new(format!("/accounts/new?org={}", org_param(org)), l.t("account.new")));
    let toggles = accounts.iter().filter(|a| a.id != ctx.account.id).map(|a| {
        let label = if a.active { l.t("account.disable") } else { l.t("account.enable") };
        (a.id.to_string(), format!("{label}: {} ({})", a.display_name, a.username))
    });
    let toggles: Vec<_> = toggles.collect();
    p.sections.push(Section { table: Some(Table { headers, rows }), ..Section::default() });
    if !toggles.is_empty() {
        let form = forms::FormBuilder::new(l, None).select("account_id", "", toggles, true).build(
            "/accounts/toggle",
            &ctx.csrf,
            l.t("action.save"),
        );
        p.sections.push(Section {
            title: format!("{} / {}", l.t("account.disable"), l.t("account.enable")),
            form: Some(form),
            ..Section::default()
        });
    }
    Ok(render(&p))
}

async fn show_form(
    s: &AppState,
    ctx: &Ctx,
    org: Org,
    d: &AccountDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let kind = match org {
        Org::Unit(_) => OrgKind::Unit,
        Org::Authority(_) => OrgKind::Authority,
        Org::System => OrgKind::System,
    };
    let roles: Vec<Role> =
        Role::ALL.iter().copied().filter(|r| r.org_kind() == kind && may_assign(&ctx.principal, *r)).collect();
    let guards = match org {
        Org::Unit(u) => s.store.list_guards(&ctx.principal, u, "").await.unwrap_or_default(),
        _ => vec![],
    };
    let form = forms::account(ctx.lang, &Target { action: "/accounts".into(), csrf: &ctx.csrf }, d, e, &roles, &guards);
    let mut resp = form_page(ctx, ctx.t("account.new"), form);
    if e.is_some() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn new(State(s): State<AppState>, ctx: Ctx, Query(q): Query<OrgQuery>) -> Result<Response, AppError> {
    let (org, _) = resolve(&s, &ctx, &q.org).await?;
    let d = AccountDraft { org_id: org_param(org), ..AccountDraft::default() };
    show_form(&s, &ctx, org, &d, None).await
}

async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(d): FormBody<AccountDraft>,
) -> Result<Response, AppError> {
    let (org, _) = resolve(&s, &ctx, &d.org_id).await?;
    let saved = match d.parse() {
        Ok(input) => {
            let hash = password::hash_async(input.password.clone()).await.ok_or(AppError::Internal)?;
            split(s.store.create_account(&ctx.actor(), &input, &hash).await)?
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(see(format!("/accounts?org={}", org_param(org)))),
        Err(e) => show_form(&s, &ctx, org, &AccountDraft { password: String::new(), ..d }, Some(&e)).await,
    }
}

#[derive(Deserialize)]
struct Toggle {
    #[serde(default)]
    account_id: String,
}

/// Disables an active account or enables a disabled one.
async fn toggle(State(s): State<AppState>, ctx: Ctx, FormBody(t): FormBody<Toggle>) -> Result<Response, AppError> {
    let who: AccountId = id(&t.account_id)?;
    let account = s.store.account(&ctx.principal, who).await?;
    s.store.set_account_active(&ctx.actor(), who, !account.active).await?;
    Ok(see(format!("/accounts?org={}", org_param(account.org()))))
}
