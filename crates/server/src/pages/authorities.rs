//! Pages of the police tree: list, create, edit.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use baove_core::AuthorityId;
use baove_core::access::Role;
use baove_core::admin_units::province;
use baove_core::registry::{Authority, AuthorityDraft};
use baove_core::validate::Invalid;
use serde::Deserialize;

use super::forms::{self, Target};
use super::layout::{form_page, page, render};
use super::view::{Cell, Link, SearchBox, Section, Table};
use super::{FormBody, id, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/authorities", get(list).post(create))
        .route("/authorities/new", get(new))
        .route("/authorities/{id}/edit", get(edit))
        .route("/authorities/{id}", axum::routing::post(update))
}

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    pub q: String,
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<Search>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let all = s.store.list_authorities(&ctx.principal, "").await?;
    let shown = s.store.list_authorities(&ctx.principal, &q.q).await?;
    let name_of = |id: Option<AuthorityId>| {
        id.and_then(|i| all.iter().find(|a| a.id == i)).map(|a| a.name.clone()).unwrap_or_default()
    };
    let rows = shown
        .iter()
        .map(|a| {
            vec![
                Cell::link(&a.name, format!("/authorities/{}/edit", a.id)),
                Cell::text(l.label("authority_kind", a.kind.code())),
                Cell::text(province(&a.province_code).unwrap_or_default()),
                Cell::text(&a.ward_code),
                Cell::text(name_of(a.parent_id)),
            ]
        })
        .collect();
    let headers = ["field.name", "field.kind", "field.province_code", "field.ward_code", "field.parent_id"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    let mut p = page(&ctx, l.t("authorities.title"));
    p.search = Some(SearchBox { action: "/authorities".into(), query: Some(q.q), filters: vec![] });
    if matches!(ctx.principal.role, Role::AuthorityAdmin | Role::SystemAdmin) {
        p.actions.push(Link::new("/authorities/new", l.t("authority.new")));
    }
    p.sections.push(Section { table: Some(Table { headers, rows }), ..Section::default() });
    Ok(render(&p))
}

async fn show_form(
    s: &AppState,
    ctx: &Ctx,
    this: Option<AuthorityId>,
    d: &AuthorityDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let mut parents: Vec<Authority> =
        s.store.list_authorities(&ctx.principal, "").await?.into_iter().filter(|a| Some(a.id) != this).collect();
    // A ward admin does not see the province above them, yet their ward's parent must stay
    // selectable, or saving would look like moving the ward to the top.
    if let Ok(parent) = AuthorityId::parse(&d.parent_id)
        && !parents.iter().any(|a| a.id == parent)
        && let Some(id) = this
    {
        let current = s.store.authority(&ctx.principal, id).await?;
        if current.parent_id == Some(parent) {
            parents.push(Authority { id: parent, name: format!("({})", ctx.t("field.parent_id")), ..current });
        }
    }
    let (action, title) = match this {
        Some(id) => (format!("/authorities/{id}"), ctx.t("action.edit")),
        None => ("/authorities".to_owned(), ctx.t("authority.new")),
    };
    let form = forms::authority(ctx.lang, &Target { action: action.clone(), csrf: &ctx.csrf }, d, e, &parents);
    Ok(form_page(ctx, title, form))
}

async fn new(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let d =
        AuthorityDraft { id: AuthorityId::mint().to_string(), province_code: "01".into(), ..AuthorityDraft::default() };
    show_form(&s, &ctx, None, &d, None).await
}

async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(d): FormBody<AuthorityDraft>,
) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(input) => split(s.store.create_authority(&ctx.actor(), &input).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(see("/authorities")),
        Err(e) => show_form(&s, &ctx, None, &d, Some(&e)).await,
    }
}

async fn edit(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let a = s.store.authority(&ctx.principal, id(&raw)?).await?;
    show_form(&s, &ctx, Some(a.id), &AuthorityDraft::from(&a), None).await
}

async fn update(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<AuthorityDraft>,
) -> Result<Response, AppError> {
    let this: AuthorityId = id(&raw)?;
    let saved = match d.parse() {
        Ok(input) => split(s.store.update_authority(&ctx.actor(), this, &input).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(see("/authorities")),
        Err(e) => show_form(&s, &ctx, Some(this), &d, Some(&e)).await,
    }
}
