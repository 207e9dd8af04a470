//! Pages of the guard force: the list of a unit's guards, a guard's record with certificates
//! and issued tools, and their forms.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::registry::{CertificateDraft, CertificateStatus, Guard, GuardDraft, ToolDraft};
use baove_core::time::{format_date, local_date};
use baove_core::validate::Invalid;
use baove_core::{GuardId, UnitId};

use super::authorities::Search;
use super::forms::{self, Target};
use super::layout::{form_page, page, render};
use super::view::{Cell, Link, SearchBox, Section, Table};
use super::{FormBody, id, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{id}/guards", get(list))
        .route("/units/{id}/guards/new", get(new))
        .route("/guards", post(create))
        .route("/guards/{id}", get(show).post(update))
        .route("/guards/{id}/edit", get(edit))
        .route("/guards/{id}/certificates", post(add_certificate))
        .route("/guards/{id}/tools", post(add_tool))
}

fn status_cell(l: Lang, g: &Guard, today: jiff::civil::Date) -> Cell {
    match g.certificate_status(today) {
        None => Cell::text(l.t("certificate.none")).tone("bad"),
        Some(CertificateStatus::Valid) => Cell::text(l.t("certificate.valid")).tone("ok"),
        Some(CertificateStatus::ExpiringSoon { days_left }) => {
            Cell::text(format!("{} ({days_left} {})", l.t("certificate.expiring"), l.t("common.days_left")))
                .tone("warn")
        }
        Some(CertificateStatus::Expired { .. }) => Cell::text(l.t("certificate.expired")).tone("bad"),
    }
}

async fn list(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<Search>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = s.store.unit(&ctx.principal, id::<UnitId>(&raw)?).await?;
    let guards = s.store.list_guards(&ctx.principal, unit.id, &q.q).await?;
    let today = local_date(ctx.now);
    let rows = guards
        .iter()
        .map(|g| {
            vec![
                Cell::link(&g.full_name, format!("/guards/{}", g.id)),
                Cell::text(l.label("employment", g.employment.code())),
                Cell::text(&g.phone),
                status_cell(l, g, today),
                if g.active { Cell::text(l.t("common.yes")) } else { Cell::text(l.t("common.inactive")).tone("warn") },
            ]
        })
        .collect();
    let headers = ["field.full_name", "field.employment", "field.phone", "certificates.title", "field.active"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    let path = format!("/units/{}/guards", unit.id);
    let mut p = page(&ctx, format!("{} · {}", l.t("guards.title"), unit.name));
    p.actions = vec![Link::new(format!("/units/{}", unit.id), l.t("action.back"))];
    if ctx.principal.role.edits_details() {
        p.actions.push(Link::new(format!("{path}/new"), l.t("guard.new")));
    }
    p.search = Some(SearchBox { action: path, query: Some(q.q), filters: vec![] });
    p.sections.push(Section { table: Some(Table { headers, rows }), ..Section::default() });
    Ok(render(&p))
}

fn guard_form(ctx: &Ctx, this: Option<GuardId>, d: &GuardDraft, e: Option<&Invalid>) -> Response {
    let (action, title) = match this {
        Some(id) => (format!("/guards/{id}"), ctx.t("action.edit")),
        None => ("/guards".to_owned(), ctx.t("guard.new")),
    };
    let form = forms::guard(ctx.lang, &Target { action: action.clone(), csrf: &ctx.csrf }, d, e);
    form_page(ctx, title, form)
}

async fn new(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let unit = s.store.unit(&ctx.principal, id::<UnitId>(&raw)?).await?;
    Ok(guard_form(
        &ctx,
        None,
        &GuardDraft {
            id: GuardId::mint().to_string(),
            unit_id: unit.id.to_string(),
            employment: "dedicated".into(),
            active: "on".into(),
            ..GuardDraft::default()
        },
        None,
    ))
}

async fn create(State(s): State<AppState>, ctx: Ctx, FormBody(d): FormBody<GuardDraft>) -> Result<Response, AppError> {
    let saved = match d.parse(local_date(ctx.now)) {
        Ok(i) => split(s.store.create_guard(&ctx.actor(), &i).await)?,
        Err(e) => Err(e),
    };
    Ok(match saved {
        Ok(g) => see(format!("/guards/{}", g.id)),
        Err(e) => guard_form(&ctx, None, &d, Some(&e)),
    })
}

async fn edit(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let g = s.store.guard(&ctx.principal, id(&raw)?).await?;
    Ok(guard_form(&ctx, Some(g.id), &GuardDraft::from(&g), None))
}

async fn update(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<GuardDraft>,
) -> Result<Response, AppError> {
    let this: GuardId = id(&raw)?;
    let saved = match d.parse(local_date(ctx.now)) {
        Ok(i) => split(s.store.update_guard(&ctx.actor(), this, &i).await)?,
        Err(e) => Err(e),
    };
    Ok(match saved {
        Ok(g) => see(format!("/guards/{}", g.id)),
        Err(e) => guard_form(&ctx, Some(this), &d, Some(&e)),
    })
}

/// The guard's page, with the two "add" forms (showing `cert_err`/`tool_err` after a failure).
async fn record(
    s: &AppState,
    ctx: &Ctx,
    this: GuardId,
    cert: (&CertificateDraft, Option<&Invalid>),
    tool: (&ToolDraft, Option<&Invalid>),
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let g = s.store.guard(&ctx.principal, this).await?;
    let today = local_date(ctx.now);
    let path = format!("/guards/{}", g.id);
    let mut p = page(ctx, &g.full_name);
    p.subtitle = Some(l.label("employment", g.employment.code()).to_owned());
    p.facts = vec![
        (l.t("field.phone").into(), g.phone.clone()),
        (l.t("field.birth_date").into(), g.birth_date.map(format_date).unwrap_or_default()),
        (l.t("field.health").into(), g.health.clone()),
    ];
    p.actions = vec![Link::new(format!("/units/{}/guards", g.unit_id), l.t("action.back"))];
    let editor = ctx.principal.role.edits_details();
    if editor {
        p.actions.push(Link::new(format!("{path}/edit"), l.t("action.edit")));
    }
    let certs = g
        .certificates
        .iter()
        .map(|c| {
            let tone = match c.status(today) {
                CertificateStatus::Valid => "ok",
                CertificateStatus::ExpiringSoon { .. } => "warn",
                CertificateStatus::Expired { .. } => "bad",
            };
            vec![
                Cell::text(&c.number),
                Cell::text(&c.issuer),
                Cell::text(format_date(c.issued_on)),
                Cell::text(format_date(c.expires_on)).tone(tone),
            ]
        })
        .collect();
    let cert_form =
        forms::certificate(l, &Target { action: format!("{path}/certificates"), csrf: &ctx.csrf }, cert.0, cert.1);
    p.sections.push(Section {
        title: l.t("certificates.title").into(),
        table: Some(Table {
            headers: ["field.number", "field.issuer", "field.issued_on", "field.expires_on"]
                .iter()
                .map(|k| l.t(k).to_owned())
                .collect(),
            rows: certs,
        }),
        form: editor.then_some(cert_form),
        ..Section::default()
    });
    let tools = g
        .tools
        .iter()
        .map(|t| {
            vec![
                Cell::text(l.label("tool_kind", t.kind.code())),
                Cell::text(&t.serial),
                Cell::text(format_date(t.issued_on)),
                Cell::text(t.returned_on.map(format_date).unwrap_or_default()),
            ]
        })
        .collect();
    let tool_form = forms::tool(l, &Target { action: format!("{path}/tools"), csrf: &ctx.csrf }, tool.0, tool.1);
    p.sections.push(Section {
        title: l.t("tools.title").into(),
        table: Some(Table {
            headers: ["field.kind", "field.serial", "field.issued_on", "field.returned_on"]
                .iter()
                .map(|k| l.t(k).to_owned())
                .collect(),
            rows: tools,
        }),
        form: editor.then_some(tool_form),
        ..Section::default()
    });
    let resp = render(&p);
    Ok(if cert.1.is_some() || tool.1.is_some() { super::invalid(resp) } else { resp })
}

async fn show(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    record(&s, &ctx, id(&raw)?, (&CertificateDraft::default(), None), (&ToolDraft::default(), None)).await
}

async fn add_certificate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<CertificateDraft>,
) -> Result<Response, AppError> {
    let this: GuardId = id(&raw)?;
    let saved = match d.parse() {
        Ok(c) => split(s.store.add_certificate(&ctx.actor(), this, &c).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(see(format!("/guards/{this}"))),
        Err(e) => record(&s, &ctx, this, (&d, Some(&e)), (&ToolDraft::default(), None)).await,
    }
}

async fn add_tool(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<ToolDraft>,
) -> Result<Response, AppError> {
    let this: GuardId = id(&raw)?;
    let saved = match d.parse() {
        Ok(t) => split(s.store.add_tool(&ctx.actor(), this, &t).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(see(format!("/guards/{this}"))),
        Err(e) => record(&s, &ctx, this, (&CertificateDraft::default(), None), (&d, Some(&e))).await,
    }
}
