//! A unit's patrol settings: how long each tier has to acknowledge an alert before the next is
//! called, the weekly round templates, and the walking times between the zones of each site
//! (the layout behind the impossible-travel flag).

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum_extra::extract::Form;
use baove_core::patrol::escalation::Ladder;
use baove_core::patrol::template::{TemplateDraft, WEEKDAYS};
use baove_core::validate::{Checker, Invalid, Problem};
use baove_core::{SiteId, TemplateId, UnitId, ZoneId};
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::{form_page, page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, id, invalid, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{id}/patrol-settings", get(show))
        .route("/units/{id}/escalation", post(set_escalation))
        .route("/units/{id}/templates/new", get(new_template))
        .route("/templates/{id}", get(edit_template))
        .route("/templates", post(save_template))
        .route("/sites/{id}/walkways", get(walkways).post(set_walkway))
}

fn weekday_name(l: Lang, n: usize) -> &'static str {
    l.t(&format!("weekday.{n}"))
}

fn escalation_form(ctx: &Ctx, unit: UnitId, ladder: &Ladder, e: Option<&Invalid>) -> super::view::FormView {
    FormBuilder::new(ctx.lang, e)
        .field("officer_minutes", "numeric", &ladder.officer_minutes.to_string(), true)
        .field("head_minutes", "numeric", &ladder.head_minutes.to_string(), true)
        .build(format!("/units/{unit}/escalation"), &ctx.csrf, ctx.lang.t("action.save"))
}

async fn settings_page(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    ladder_error: Option<(&Ladder, &Invalid)>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let u = s.store.unit(p, unit).await?;
    let ladder = s.store.ladder(p, unit).await?;
    let templates = s.store.list_templates(p, unit).await?;
    let sites = s.store.list_sites(p, unit, "").await?;
    let edit = p.role.edits_details();
    let mut page = page(ctx, l.t("settings.title"));
    page.subtitle = Some(u.name.clone());
    let shown = ladder_error.map_or(ladder, |(typed, _)| *typed);
    page.sections.push(Section {
        title: l.t("settings.escalation").into(),
        note: Some(
            l.t("settings.escalation_note")
                .replace("{a}", &ladder.officer_minutes.to_string())
                .replace("{b}", &(ladder.officer_minutes + ladder.head_minutes).to_string()),
        ),
        form: edit.then(|| escalation_form(ctx, unit, &shown, ladder_error.map(|(_, e)| e))),
        ..Section::default()
    });
    let site_name = |sid| sites.iter().find(|x| x.id == sid).map(|x| x.name.clone()).unwrap_or_default();
    let rows = templates
        .iter()
        .map(|t| {
            let days: Vec<&str> =
                (1..=7).filter(|n| t.days().contains(&WEEKDAYS[n - 1])).map(|n| weekday_name(l, n)).collect();
            vec![
                Cell::link(&t.name, format!("/templates/{}", t.id)),
                Cell::text(site_name(t.site_id)),
                Cell::text(days.join(", ")),
                Cell::text(format!("{} · {} {}", t.start.strftime("%H:%M"), t.duration_minutes, l.t("common.minutes"))),
                Cell::text(t.checkpoints.len().to_string()),
                if t.active {
                    Cell::text(l.t("template.active")).tone("ok")
                } else {
                    Cell::text(l.t("template.paused")).tone("warn")
                },
            ]
        })
        .collect();
    let headers = ["field.name", "field.site_id", "field.weekdays", "field.start", "checkpoints.title", "field.active"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    page.sections.push(Section {
        title: l.t("template.title").into(),
        note: Some(l.t("template.note").into()),
        table: Some(Table { headers, rows }),
        links: if edit { vec![Link::new(format!("/units/{unit}/templates/new"), l.t("template.new"))] } else { vec![] },
        ..Section::default()
    });
    page.sections.push(Section {
        title: l.t("walkway.title").into(),
        note: Some(l.t("walkway.note").into()),
        links: sites.iter().map(|st| Link::new(format!("/sites/{}/walkways", st.id), &st.name)).collect(),
        ..Section::default()
    });
    Ok(render(&page))
}

async fn show(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    settings_page(&s, &ctx, id(&raw)?, None).await
}

#[derive(Deserialize)]
struct EscalationForm {
    #[serde(default)]
    officer_minutes: String,
    #[serde(default)]
    head_minutes: String,
}

async fn set_escalation(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(f): FormBody<EscalationForm>,
) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let saved = match Ladder::parse(&f.officer_minutes, &f.head_minutes) {
        Ok(ladder) => split(s.store.set_ladder(&ctx.actor(), unit, ladder).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(see(format!("/units/{unit}/patrol-settings"))),
        Err(e) => {
            let typed = Ladder {
                officer_minutes: f.officer_minutes.trim().parse().unwrap_or_default(),
                head_minutes: f.head_minutes.trim().parse().unwrap_or_default(),
            };
            Ok(invalid(settings_page(&s, &ctx, unit, Some((&typed, &e))).await?))
        }
    }
}

async fn template_form(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    d: &TemplateDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let sites = s.store.list_sites(&ctx.principal, unit, "").await?;
    let checkpoints = s.store.list_checkpoints(&ctx.principal, unit, "").await?;
    let site_name = |sid| sites.iter().find(|x| x.id == sid).map(|x| x.name.clone()).unwrap_or_default();
    let cps = checkpoints
        .iter()
        .filter(|c| c.active)
        .map(|c| (c.id.to_string(), format!("{} · {} ({})", c.code, c.name, site_name(c.site_id))))
        .collect();
    let days = (1..=7).map(|n| (n.to_string(), weekday_name(l, n).to_owned())).collect();
    let mut form = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("unit_id", "hidden", &d.unit_id, true)
        .select("site_id", &d.site_id, sites.iter().map(|x| (x.id.to_string(), x.name.clone())).collect(), true)
        .field("name", "text", &d.name, true)
        .select("weekdays", &d.weekdays.join(","), days, true)
        .field("start", "time", &d.start, true)
        .field("duration", "numeric", &d.duration, true)
        .field("grace_minutes", "numeric", &d.grace_minutes, true)
        .field("ordered", "checkbox", &d.ordered, false)
        .select("checkpoints", &d.checkpoints.join(","), cps, true)
        .field("active", "checkbox", &d.active, false)
        .build("/templates", &ctx.csrf, l.t("action.save"));
    for f in &mut form.fields {
        if f.name == "checkpoints" || f.name == "weekdays" {
            f.kind = "checks";
        }
    }
    let page = form_page(ctx, l.t("template.new"), form);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn new_template(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let d = TemplateDraft {
        id: TemplateId::mint().to_string(),
        unit_id: unit.to_string(),
        name: "Vòng 22:00".into(),
        start: "22:00".into(),
        duration: "45".into(),
        grace_minutes: "10".into(),
        ordered: "on".into(),
        weekdays: (1..=7).map(|n: usize| n.to_string()).collect(),
        active: "on".into(),
        ..TemplateDraft::default()
    };
    template_form(&s, &ctx, unit, &d, None).await
}

async fn edit_template(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let t = s.store.template(&ctx.principal, id(&raw)?).await?;
    template_form(&s, &ctx, t.unit_id, &TemplateDraft::from(&t), None).await
}

async fn save_template(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(d): Form<TemplateDraft>,
) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(t) => split(s.store.save_template(&ctx.actor(), &t).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(t) => {
            crate::patrol::templates::materialise_one(&s, &t, ctx.now).await;
            Ok(see(format!("/units/{}/patrol-settings", t.unit_id)))
        }
        Err(e) => template_form(&s, &ctx, id(&d.unit_id)?, &d, Some(&e)).await,
    }
}

#[derive(Deserialize, Default)]
struct WalkwayForm {
    #[serde(default)]
    zone_a: String,
    #[serde(default)]
    zone_b: String,
    #[serde(default)]
    seconds: String,
}

async fn walkway_page(
    s: &AppState,
    ctx: &Ctx,
    site: SiteId,
    f: &WalkwayForm,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let st = s.store.site(p, site).await?;
    let zones: Vec<_> =
        s.store.list_zones(p, st.unit_id, "").await?.into_iter().filter(|z| z.site_id == site).collect();
    let ways = s.store.walkways(p, site).await?;
    let name = |z: ZoneId| zones.iter().find(|x| x.id == z).map(|x| x.name.clone()).unwrap_or_default();
    let rows = ways
        .iter()
        .map(|w| {
            vec![
                Cell::text(name(w.a)),
                Cell::text(name(w.b)),
                Cell::text(format!("{} {}", w.seconds, l.t("common.seconds"))),
            ]
        })
        .collect();
    let opts: Vec<(String, String)> = zones.iter().map(|z| (z.id.to_string(), z.name.clone())).collect();
    let form = p.role.edits_details().then(|| {
        FormBuilder::new(l, e)
            .select("zone_a", &f.zone_a, opts.clone(), true)
            .select("zone_b", &f.zone_b, opts.clone(), true)
            .field("seconds", "numeric", &f.seconds, false)
            .build(format!("/sites/{site}/walkways"), &ctx.csrf, l.t("action.save"))
    });
    let mut page = page(ctx, l.t("walkway.title"));
    page.subtitle = Some(st.name.clone());
    page.actions.push(Link::new(format!("/units/{}/patrol-settings", st.unit_id), l.t("settings.title")));
    page.sections.push(Section {
        note: Some(l.t("walkway.note").into()),
        table: Some(Table {
            headers: vec![l.t("field.zone_a").into(), l.t("field.zone_b").into(), l.t("field.seconds").into()],
            rows,
        }),
        form,
        ..Section::default()
    });
    let page = render(&page);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn walkways(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    walkway_page(&s, &ctx, id(&raw)?, &WalkwayForm::default(), None).await
}

async fn set_walkway(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(f): FormBody<WalkwayForm>,
) -> Result<Response, AppError> {
    let site: SiteId = id(&raw)?;
    let mut c = Checker::new();
    let a = ZoneId::parse(&f.zone_a).map_err(|_| c.fail("zone_a", Problem::BadId)).ok();
    let b = ZoneId::parse(&f.zone_b).map_err(|_| c.fail("zone_b", Problem::BadId)).ok();
    // Empty: remove the walkway.
    let seconds = c.int("seconds", &f.seconds, 1, 3600, false);
    let saved = match (c.finish(()), a, b) {
        (Ok(()), Some(a), Some(b)) => split(s.store.set_walkway(&ctx.actor(), site, a, b, seconds).await)?,
        (Err(e), _, _) => Err(e),
        _ => Err(Invalid::one("zone_a", Problem::BadId)),
    };
    match saved {
        Ok(()) => Ok(see(format!("/sites/{site}/walkways"))),
        Err(e) => walkway_page(&s, &ctx, site, &f, Some(&e)).await,
    }
}
