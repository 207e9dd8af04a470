//! Pages of a unit's premises: sites with their zones, checkpoints and devices.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::registry::{CheckpointDraft, DeviceDraft, Site, SiteDraft, ZoneDraft};
use baove_core::validate::Invalid;
use baove_core::{CheckpointId, DeviceId, SiteId, UnitId, ZoneId};

use super::authorities::Search;
use super::forms::{self, Target};
use super::layout::{form_page, page, render};
use super::view::{Cell, Link, SearchBox, Section, Table};
use super::{FormBody, id, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{id}/sites/new", get(new_site))
        .route("/sites", post(create_site))
        .route("/sites/{id}", get(show_site).post(update_site))
        .route("/sites/{id}/edit", get(edit_site))
        .route("/sites/{id}/zones/new", get(new_zone))
        .route("/zones", post(create_zone))
        .route("/zones/{id}", post(update_zone))
        .route("/zones/{id}/edit", get(edit_zone))
        .route("/sites/{id}/checkpoints/new", get(new_checkpoint))
        .route("/checkpoints", post(create_checkpoint))
        .route("/checkpoints/{id}", post(update_checkpoint))
        .route("/checkpoints/{id}/edit", get(edit_checkpoint))
        .route("/sites/{id}/devices/new", get(new_device))
        .route("/devices", post(create_device))
        .route("/devices/{id}", post(update_device))
        .route("/devices/{id}/edit", get(edit_device))
}

fn target<'a>(ctx: &'a Ctx, base: &str, this: Option<String>) -> (Target<'a>, &'static str) {
    match this {
        Some(id) => (Target { action: format!("{base}/{id}"), csrf: &ctx.csrf }, "action.edit"),
        None => (Target { action: base.to_owned(), csrf: &ctx.csrf }, ""),
    }
}

// ---- sites ----

fn site_form(ctx: &Ctx, this: Option<SiteId>, d: &SiteDraft, e: Option<&Invalid>) -> Response {
    let (t, title) = target(ctx, "/sites", this.map(|i| i.to_string()));
    let title = if title.is_empty() { ctx.t("site.new") } else { ctx.t(title) };
    form_page(ctx, title, forms::site(ctx.lang, &t, d, e))
}

async fn new_site(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let unit = s.store.unit(&ctx.principal, id::<UnitId>(&raw)?).await?;
    Ok(site_form(
        &ctx,
        None,
        &SiteDraft { id: SiteId::mint().to_string(), unit_id: unit.id.to_string(), ..SiteDraft::default() },
        None,
    ))
}

async fn create_site(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(d): FormBody<SiteDraft>,
) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(i) => split(s.store.create_site(&ctx.actor(), &i).await)?,
        Err(e) => Err(e),
    };
    Ok(match saved {
        Ok(site) => see(format!("/sites/{}", site.id)),
        Err(e) => site_form(&ctx, None, &d, Some(&e)),
    })
}

async fn edit_site(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let site = s.store.site(&ctx.principal, id(&raw)?).await?;
    Ok(site_form(&ctx, Some(site.id), &SiteDraft::from(&site), None))
}

async fn update_site(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<SiteDraft>,
) -> Result<Response, AppError> {
    let this: SiteId = id(&raw)?;
    let saved = match d.parse() {
        Ok(i) => split(s.store.update_site(&ctx.actor(), this, &i).await)?,
        Err(e) => Err(e),
    };
    Ok(match saved {
        Ok(site) => see(format!("/sites/{}", site.id)),
        Err(e) => site_form(&ctx, Some(this), &d, Some(&e)),
    })
}

async fn show_site(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<Search>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let site = s.store.site(p, id(&raw)?).await?;
    let unit = s.store.unit(p, site.unit_id).await?;
    let zones: Vec<_> =
        s.store.list_zones(p, site.unit_id, &q.q).await?.into_iter().filter(|z| z.site_id == site.id).collect();
    let all_zones = s.store.list_zones(p, site.unit_id, "").await?;
    let checkpoints: Vec<_> =
        s.store.list_checkpoints(p, site.unit_id, &q.q).await?.into_iter().filter(|c| c.site_id == site.id).collect();
    let devices: Vec<_> =
        s.store.list_devices(p, site.unit_id, &q.q).await?.into_iter().filter(|d| d.site_id == site.id).collect();
    let zone_name = |z: ZoneId| all_zones.iter().find(|x| x.id == z).map(|x| x.name.clone()).unwrap_or_default();
    let path = format!("/sites/{}", site.id);
    let mut page = page(&ctx, &site.name);
    page.subtitle = Some(unit.name.clone());
    page.facts = vec![
        (l.t("field.address").into(), site.address.clone()),
        (l.t("field.guard_post").into(), site.guard_post.clone()),
        (l.t("field.notes").into(), site.notes.clone()),
    ];
    let editor = p.role.edits_details();
    page.actions = vec![
        Link::new(format!("/units/{}", unit.id), l.t("action.back")),
        Link::new(format!("{path}/plan"), l.t("site.plan")),
    ];
    if editor {
        page.actions.push(Link::new(format!("{path}/edit"), l.t("action.edit")));
        page.actions.push(Link::new(format!("{path}/labels.pdf"), l.t("print.labels")));
    }
    let add = |href: String, key: &str| if editor { vec![Link::new(href, l.t(key))] } else { vec![] };
    page.search = Some(SearchBox { action: path.clone(), query: Some(q.q), filters: vec![] });
    let headers = |keys: &[&str]| keys.iter().map(|k| l.t(k).to_owned()).collect::<Vec<_>>();
    page.sections.push(Section {
        title: l.t("zones.title").into(),
        table: Some(Table {
            headers: headers(&["field.name", "field.kind", "field.sensitivity", "field.asset_value"]),
            rows: zones
                .iter()
                .map(|z| {
                    let tone = if z.sensitivity >= 4 { "warn" } else { "" };
                    vec![
                        Cell::link(&z.name, format!("/zones/{}/edit", z.id)),
                        Cell::text(l.label("zone_kind", z.kind.code())),
                        Cell::text(z.sensitivity.to_string()).tone(tone),
                        Cell::text(money(z.asset_value)),
                    ]
                })
                .collect(),
        }),
        links: add(format!("{path}/zones/new"), "zone.new"),
        ..Section::default()
    });
    page.sections.push(Section {
        title: l.t("checkpoints.title").into(),
        table: Some(Table {
            headers: headers(&["field.code", "field.name", "field.zone_id", "field.active", "nfc.title"]),
            rows: checkpoints
                .iter()
                .map(|c| {
                    let active = if c.active {
                        Cell::text(l.t("common.yes")).tone("ok")
                    } else {
                        Cell::text(l.t("common.inactive")).tone("warn")
                    };
                    vec![
                        Cell::link(&c.code, format!("/checkpoints/{}/edit", c.id)),
                        Cell::text(&c.name),
                        Cell::text(zone_name(c.zone_id)),
                        active,
                        Cell::link("NFC", format!("/checkpoints/{}/nfc", c.id)),
                    ]
                })
                .collect(),
        }),
        links: add(format!("{path}/checkpoints/new"), "checkpoint.new"),
        ..Section::default()
    });
    page.sections.push(Section {
        title: l.t("devices.title").into(),
        table: Some(Table {
            headers: headers(&["field.name", "field.kind", "field.zone_id", "field.location"]),
            rows: devices
                .iter()
                .map(|d| {
                    vec![
                        Cell::link(&d.name, format!("/devices/{}/edit", d.id)),
                        Cell::text(l.label("device_kind", d.kind.code())),
                        Cell::text(d.zone_id.map(zone_name).unwrap_or_default()),
                        Cell::text(&d.location),
                    ]
                })
                .collect(),
        }),
        links: add(format!("{path}/devices/new"), "device.new"),
        ..Section::default()
    });
    Ok(render(&page))
}

/// 1500000000 → "1.500.000.000" (Vietnamese thousands separator).
fn money(v: i64) -> String {
    let digits = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

// ---- zones ----

async fn zone_form(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    this: Option<ZoneId>,
    d: &ZoneDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let sites: Vec<Site> = s.store.list_sites(&ctx.principal, unit, "").await?;
    let (t, title) = target(ctx, "/zones", this.map(|i| i.to_string()));
    let title = if title.is_empty() { ctx.t("zone.new") } else { ctx.t(title) };
    Ok(form_page(ctx, title, forms::zone(ctx.lang, &t, d, e, &sites)))
}

async fn new_zone(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let site = s.store.site(&ctx.principal, id(&raw)?).await?;
    let d = ZoneDraft {
        id: ZoneId::mint().to_string(),
        site_id: site.id.to_string(),
        sensitivity: "3".into(),
        ..ZoneDraft::default()
    };
    zone_form(&s, &ctx, site.unit_id, None, &d, None).await
}

/// The unit a draft's parent belongs to, for re-showing a form (the store re-checks scope).
async fn unit_of_site(s: &AppState, ctx: &Ctx, raw: &str) -> Result<UnitId, AppError> {
    Ok(s.store.site(&ctx.principal, id(raw)?).await?.unit_id)
}

async fn create_zone(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(d): FormBody<ZoneDraft>,
) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(i) => split(s.store.create_zone(&ctx.actor(), &i).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(z) => Ok(see(format!("/sites/{}", z.site_id))),
        Err(e) => zone_form(&s, &ctx, unit_of_site(&s, &ctx, &d.site_id).await?, None, &d, Some(&e)).await,
    }
}

async fn edit_zone(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let z = s.store.zone(&ctx.principal, id(&raw)?).await?;
    zone_form(&s, &ctx, z.unit_id, Some(z.id), &ZoneDraft::from(&z), None).await
}

async fn update_zone(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<ZoneDraft>,
) -> Result<Response, AppError> {
    let this: ZoneId = id(&raw)?;
    let before = s.store.zone(&ctx.principal, this).await?;
    let saved = match d.parse() {
        Ok(i) => split(s.store.update_zone(&ctx.actor(), this, &i).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(z) => Ok(see(format!("/sites/{}", z.site_id))),
        Err(e) => zone_form(&s, &ctx, before.unit_id, Some(this), &d, Some(&e)).await,
    }
}

// ---- checkpoints ----

async fn checkpoint_form(
    s: &AppState,
    ctx: &Ctx,
    site: SiteId,
    this: Option<CheckpointId>,
    d: &CheckpointDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let site = s.store.site(&ctx.principal, site).await?;
    let zones: Vec<_> = s
        .store
        .list_zones(&ctx.principal, site.unit_id, "")
        .await?
        .into_iter()
        .filter(|z| z.site_id == site.id)
        .collect();
    let (t, title) = target(ctx, "/checkpoints", this.map(|i| i.to_string()));
    let title = if title.is_empty() { ctx.t("checkpoint.new") } else { ctx.t(title) };
    Ok(form_page(ctx, title, forms::checkpoint(ctx.lang, &t, d, e, &zones)))
}

async fn new_checkpoint(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let site: SiteId = id(&raw)?;
    let next = s
        .store
        .list_checkpoints(&ctx.principal, s.store.site(&ctx.principal, site).await?.unit_id, "")
        .await?
        .iter()
        .filter(|c| c.site_id == site)
        .count()
        + 1;
    let d = CheckpointDraft {
        id: CheckpointId::mint().to_string(),
        code: format!("CP-{next:02}"),
        active: "on".into(),
        ..CheckpointDraft::default()
    };
    checkpoint_form(&s, &ctx, site, None, &d, None).await
}

async fn site_of_zone(s: &AppState, ctx: &Ctx, raw: &str) -> Result<SiteId, AppError> {
    Ok(s.store.zone(&ctx.principal, id(raw)?).await?.site_id)
}

async fn create_checkpoint(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(d): FormBody<CheckpointDraft>,
) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(i) => split(s.store.create_checkpoint(&ctx.actor(), &i).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(c) => Ok(see(format!("/sites/{}", c.site_id))),
        Err(e) => checkpoint_form(&s, &ctx, site_of_zone(&s, &ctx, &d.zone_id).await?, None, &d, Some(&e)).await,
    }
}

async fn edit_checkpoint(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let c = s.store.checkpoint(&ctx.principal, id(&raw)?).await?;
    checkpoint_form(&s, &ctx, c.site_id, Some(c.id), &CheckpointDraft::from(&c), None).await
}

async fn update_checkpoint(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<CheckpointDraft>,
) -> Result<Response, AppError> {
    let this: CheckpointId = id(&raw)?;
    let before = s.store.checkpoint(&ctx.principal, this).await?;
    let saved = match d.parse() {
        Ok(i) => split(s.store.update_checkpoint(&ctx.actor(), this, &i).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(c) => Ok(see(format!("/sites/{}", c.site_id))),
        Err(e) => checkpoint_form(&s, &ctx, before.site_id, Some(this), &d, Some(&e)).await,
    }
}

// ---- devices ----

async fn device_form(
    s: &AppState,
    ctx: &Ctx,
    site: SiteId,
    this: Option<DeviceId>,
    d: &DeviceDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let site = s.store.site(&ctx.principal, site).await?;
    let zones: Vec<_> = s
        .store
        .list_zones(&ctx.principal, site.unit_id, "")
        .await?
        .into_iter()
        .filter(|z| z.site_id == site.id)
        .collect();
    let (t, title) = target(ctx, "/devices", this.map(|i| i.to_string()));
    let title = if title.is_empty() { ctx.t("device.new") } else { ctx.t(title) };
    Ok(form_page(ctx, title, forms::device(ctx.lang, &t, d, e, &zones)))
}

async fn new_device(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let site: SiteId = id(&raw)?;
    let d = DeviceDraft {
        id: DeviceId::mint().to_string(),
        site_id: site.to_string(),
        active: "on".into(),
        ..DeviceDraft::default()
    };
    device_form(&s, &ctx, site, None, &d, None).await
}

async fn create_device(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(d): FormBody<DeviceDraft>,
) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(i) => split(s.store.create_device(&ctx.actor(), &i).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(dev) => Ok(see(format!("/sites/{}", dev.site_id))),
        Err(e) => device_form(&s, &ctx, id(&d.site_id)?, None, &d, Some(&e)).await,
    }
}

async fn edit_device(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let dev = s.store.device(&ctx.principal, id(&raw)?).await?;
    device_form(&s, &ctx, dev.site_id, Some(dev.id), &DeviceDraft::from(&dev), None).await
}

async fn update_device(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(d): FormBody<DeviceDraft>,
) -> Result<Response, AppError> {
    let this: DeviceId = id(&raw)?;
    let before = s.store.device(&ctx.principal, this).await?;
    let saved = match d.parse() {
        Ok(i) => split(s.store.update_device(&ctx.actor(), this, &i).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(dev) => Ok(see(format!("/sites/{}", dev.site_id))),
        Err(e) => device_form(&s, &ctx, before.site_id, Some(this), &d, Some(&e)).await,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_uses_dots_between_thousands() {
        assert_eq!(super::money(1_500_000_000), "1.500.000.000");
        assert_eq!(super::money(999), "999");
        assert_eq!(super::money(0), "0");
    }
}
