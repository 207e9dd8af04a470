//! Pages of units: the searchable list, the unit's page with its premises and force, the
//! profile form, and the clearances of a key target.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::access::Role;
use baove_core::registry::{UnitDraft, UnitKind};
use baove_core::time::{format_datetime, from_micros, local_date};
use baove_core::validate::Invalid;
use baove_core::{AccountId, UnitId};
use baove_store::{StoreError, UnitFilter};
use serde::Deserialize;

use super::forms::{self, Target};
use super::layout::{form_page, page, render};
use super::view::{Cell, Field, Link, SearchBox, Section, Table};
use super::{FormBody, id, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list).post(create))
        .route("/units/new", get(new))
        .route("/units/{id}", get(show).post(update))
        .route("/units/{id}/edit", get(edit))
        .route("/units/{id}/clearances", get(clearances).post(grant))
        .route("/units/{id}/clearances/revoke", post(revoke))
}

#[derive(Deserialize, Default)]
struct Filter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    key_target: String,
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(f): Query<Filter>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let filter = UnitFilter {
        text: f.q.clone(),
        kind: UnitKind::from_code(&f.kind),
        key_target: baove_core::registry::truthy(&f.key_target).then_some(true),
        authority_id: None,
    };
    let units = s.store.list_units(&ctx.principal, &filter).await?;
    let rows = units
        .iter()
        .map(|u| {
            vec![
                Cell::link(&u.name, format!("/units/{}", u.id)),
                Cell::text(l.label("unit_kind", u.kind.code())),
                if u.key_target { Cell::text(l.t("field.key_target")).tone("warn") } else { Cell::text("") },
                Cell::text(&u.address),
            ]
        })
        .collect();
    let headers =
        ["field.name", "field.kind", "field.key_target", "field.address"].iter().map(|k| l.t(k).to_owned()).collect();
    let mut kinds = vec![(String::new(), l.t("common.all").to_owned())];
    kinds.extend(UnitKind::ALL.iter().map(|k| (k.code().to_owned(), l.label("unit_kind", k.code()).to_owned())));
    let kind = Field {
        name: "kind",
        label: l.t("field.kind").into(),
        kind: "select",
        value: f.kind,
        options: kinds,
        required: false,
        error: None,
    };
    let key = Field {
        name: "key_target",
        label: l.t("field.key_target").into(),
        kind: "checkbox",
        value: f.key_target,
        options: vec![],
        required: false,
        error: None,
    };
    let mut p = page(&ctx, l.t("units.title"));
    p.search = Some(SearchBox { action: "/units".into(), query: Some(f.q), filters: vec![kind, key] });
    if ctx.principal.role.places_units() {
        p.actions.push(Link::new("/units/new", l.t("unit.new")));
    }
    p.sections.push(Section { table: Some(Table { headers, rows }), ..Section::default() });
    Ok(render(&p))
}

async fn show_form(
    s: &AppState,
    ctx: &Ctx,
    this: Option<UnitId>,
    d: &UnitDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let authorities = s.store.list_authorities(&ctx.principal, "").await?;
    let (action, title) = match this {
        Some(id) => (format!("/units/{id}"), ctx.t("action.edit")),
        None => ("/units".to_owned(), ctx.t("unit.new")),
    };
    let form = forms::unit(
        ctx.lang,
        &Target { action: action.clone(), csrf: &ctx.csrf },
        d,
        e,
        &authorities,
        ctx.principal.role.places_units(),
    );
    Ok(form_page(ctx, title, form))
}

async fn new(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let d = UnitDraft {
        id: UnitId::mint().to_string(),
        authority_id: ctx.account.authority_id.map(|a| a.to_string()).unwrap_or_default(),
        ..UnitDraft::default()
    };
    show_form(&s, &ctx, None, &d, None).await
}

async fn create(State(s): State<AppState>, ctx: Ctx, FormBody(d): FormBody<UnitDraft>) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(input) => split(s.store.create_unit(&ctx.actor(), &input).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(u) => Ok(see(format!("/units/{}", u.id))),
        Err(e) => show_form(&s, &ctx, None, &d, Some(&e)).await,
    }
}

async fn edit(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let u = s.store.unit(&ctx.principal, id(&raw)?).await?;
    show_form(&s, &ctx, Some(u.id), &UnitDraft::from(&u), None).await
}

async fn update(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<UnitDraft>,
) -> Result<Response, AppError> {
    let this: UnitId = id(&raw)?;
    let saved = match d.parse() {
        Ok(input) => split(s.store.update_unit(&ctx.actor(), this, &input).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(u) => Ok(see(format!("/units/{}", u.id))),
        Err(e) => show_form(&s, &ctx, Some(this), &d, Some(&e)).await,
    }
}

async fn show(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let u = s.store.unit(p, id(&raw)?).await?;
    let authority = s.store.authority(p, u.authority_id).await.map(|a| a.name).unwrap_or_default();
    let path = format!("/units/{}", u.id);
    let mut page = page(&ctx, &u.name);
    page.subtitle = Some(l.label("unit_kind", u.kind.code()).to_owned());
    page.facts = vec![
        (l.t("field.address").into(), u.address.clone()),
        (l.t("field.phone").into(), u.phone.clone()),
        (l.t("field.head_name").into(), u.head_name.clone()),
        (l.t("field.authority_id").into(), authority),
        (l.t("field.key_target").into(), l.t(if u.key_target { "common.yes" } else { "common.no" }).into()),
    ];
    if p.role.edits_units() {
        page.actions.push(Link::new(format!("{path}/edit"), l.t("action.edit")));
    }
    if u.key_target && matches!(p.role, Role::AuthorityAdmin | Role::SystemAdmin) {
        page.actions.push(Link::new(format!("{path}/clearances"), l.t("clearances.title")));
    }
    let sites = match s.store.list_sites(p, u.id, "").await {
        Ok(sites) => sites,
        Err(StoreError::Denied(_)) => {
            // The holiday arrangement is for the ward police even without the unit's details.
            page.sections.push(Section {
                note: Some(l.t("clearance.note").into()),
                tone: "warn",
                links: vec![Link::new(format!("{path}/roster"), l.t("roster.title"))],
                ..Section::default()
            });
            return Ok(render(&page));
        }
        Err(e) => return Err(e.into()),
    };
    let edit = p.role.edits_details();
    let zones = s.store.list_zones(p, u.id, "").await?;
    let checkpoints = s.store.list_checkpoints(p, u.id, "").await?;
    let devices = s.store.list_devices(p, u.id, "").await?;
    let guards = s.store.list_guards(p, u.id, "").await?;
    let site_rows = sites
        .iter()
        .map(|st| {
            vec![
                Cell::link(&st.name, format!("/sites/{}", st.id)),
                Cell::text(&st.guard_post),
                Cell::text(zones.iter().filter(|z| z.site_id == st.id).count().to_string()),
                Cell::text(checkpoints.iter().filter(|c| c.site_id == st.id).count().to_string()),
                Cell::text(devices.iter().filter(|d| d.site_id == st.id).count().to_string()),
            ]
        })
        .collect();
    let headers = ["field.name", "field.guard_post", "zones.title", "checkpoints.title", "devices.title"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    let mut links = vec![];
    if edit {
        links.push(Link::new(format!("/units/{}/sites/new", u.id), l.t("site.new")));
    }
    page.sections.push(Section {
        title: l.t("sites.title").into(),
        table: Some(Table { headers, rows: site_rows }),
        links,
        ..Section::default()
    });
    let gaps = baove_core::registry::gaps::find(&zones, &checkpoints, &devices, &guards, local_date(ctx.now));
    if !gaps.is_empty() {
        page.sections.push(Section {
            title: l.t("gaps.title").into(),
            table: Some(super::home::gap_table(l, &gaps)),
            tone: "bad",
            ..Section::default()
        });
    }
    let active = guards.iter().filter(|g| g.active).count();
    page.sections.push(Section {
        title: l.t("guards.title").into(),
        note: Some(format!("{active} / {}", guards.len())),
        links: vec![
            Link::new(format!("/units/{}/guards", u.id), l.t("guards.title")),
            Link::new(format!("/units/{}/roster", u.id), l.t("roster.title")),
            Link::new(format!("/units/{}/patrol-settings", u.id), l.t("settings.title")),
            Link::new(format!("/units/{}/alarm-setup", u.id), l.t("arming.title")),
        ],
        ..Section::default()
    });
    if edit && let Ok(history) = s.store.unit_history(p, u.id, 20).await {
        let rows = history
            .iter()
            .map(|e| {
                vec![
                    Cell::text(format_datetime(from_micros(e.at_us))),
                    Cell::text(&e.actor_name),
                    Cell::text(&e.action),
                ]
            })
            .collect();
        let headers =
            vec![l.t("incident.occurred_at").into(), l.t("field.display_name").into(), l.t("field.kind").into()];
        page.sections.push(Section {
            title: l.t("unit.history").into(),
            table: Some(Table { headers, rows }),
            ..Section::default()
        });
    }
    Ok(render(&page))
}

async fn clearances(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let u = s.store.unit(&ctx.principal, id(&raw)?).await?;
    let cleared = s.store.list_clearances(&ctx.principal, u.id).await?;
    let path = format!("/units/{}/clearances", u.id);
    let mut page = page(&ctx, format!("{} · {}", l.t("clearances.title"), u.name));
    page.subtitle = Some(l.t("clearance.note").into());
    let rows = cleared
        .iter()
        .map(|a| vec![Cell::text(&a.display_name), Cell::text(&a.username), Cell::text(l.label("role", a.role.code()))])
        .collect();
    let headers = ["field.display_name", "field.username", "field.role"].iter().map(|k| l.t(k).to_owned()).collect();
    let held = cleared.iter().map(|a| (a.id.to_string(), format!("{} ({})", a.display_name, a.username))).collect();
    let revoke = forms::FormBuilder::new(l, None).select("account_id", "", held, true).build(
        format!("{path}/revoke"),
        &ctx.csrf,
        l.t("clearance.revoke"),
    );
    page.sections.push(Section {
        table: Some(Table { headers, rows }),
        form: (!cleared.is_empty()).then_some(revoke),
        ..Section::default()
    });
    let candidates = s
        .store
        .list_accounts(&ctx.principal, baove_core::access::Org::Authority(u.authority_id))
        .await
        .unwrap_or_default();
    let options = candidates
        .iter()
        .filter(|a| !cleared.iter().any(|c| c.id == a.id))
        .map(|a| (a.id.to_string(), format!("{} ({})", a.display_name, a.username)))
        .collect();
    let form = forms::FormBuilder::new(l, None).select("account_id", "", options, true).build(
        path.clone(),
        &ctx.csrf,
        l.t("clearance.grant"),
    );
    page.sections.push(Section { title: l.t("clearance.grant").into(), form: Some(form), ..Section::default() });
    Ok(render(&page))
}

#[derive(Deserialize)]
struct Grant {
    #[serde(default)]
    account_id: String,
}

async fn grant(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(g): FormBody<Grant>,
) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let account: AccountId = AccountId::parse(&g.account_id)
        .map_err(|_| AppError::Invalid(Invalid::one("account_id", baove_core::validate::Problem::BadId)))?;
    s.store.grant_clearance(&ctx.actor(), unit, account).await?;
    Ok(see(format!("/units/{unit}/clearances")))
}

async fn revoke(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(g): FormBody<Grant>,
) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let account: AccountId = AccountId::parse(&g.account_id)
        .map_err(|_| AppError::Invalid(Invalid::one("account_id", baove_core::validate::Problem::BadId)))?;
    s.store.revoke_clearance(&ctx.actor(), unit, account).await?;
    Ok(see(format!("/units/{unit}/clearances")))
}
