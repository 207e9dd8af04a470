//! Tonight's patrol plan of a site: the coverage heat map (zones × time), the holes, why the
//! riskiest places weigh what they weigh, the planned rounds; redraw (with tonight's weather)
//! or lock it. Printing uses the browser's print with a print stylesheet.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::calendar::Weather;
use baove_core::patrol::round::RoundSource;
use baove_core::registry::truthy;
use baove_core::time::format_datetime;
use baove_core::{PlanId, SiteId};
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, id, see};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::patrol::nightly::{self, NightlyError};
use crate::patrol::plan::{self, Solution};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sites/{id}/plan", get(show).post(redraw))
        .route("/plans/{id}/lock", post(lock))
        .route("/units/{id}/days", post(add_day))
        .route("/units/{id}/days/remove", post(remove_day))
}

#[derive(Deserialize, Default)]
struct Night {
    #[serde(default)]
    night: String,
}

/// The night asked for (`?night=YYYY-MM-DD`, the evening it starts), tonight by default.
fn evening_of(ctx: &Ctx, raw: &str) -> Result<jiff::civil::Date, AppError> {
    if raw.trim().is_empty() {
        return Ok(plan::night_of(ctx.now));
    }
    baove_core::validate::parse_date(raw).ok_or_else(|| {
        AppError::Invalid(baove_core::validate::Invalid::one("night", baove_core::validate::Problem::BadDate))
    })
}

async fn show(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<Night>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let site = s.store.site(&ctx.principal, id::<SiteId>(&raw)?).await?;
    let evening = evening_of(&ctx, &q.night)?;
    let mut p = page(&ctx, format!("{} · {}", l.t("plan.title"), site.name));
    p.actions.push(Link::new(format!("/sites/{}", site.id), l.t("action.back")));
    let Some(drawn) = s.store.plan(&ctx.principal, site.id, evening).await? else {
        p.sections.push(Section {
            note: Some(l.t("plan.none").into()),
            tone: "warn",
            form: ctx.principal.role.edits_details().then(|| redraw_form(&ctx, site.id, evening)),
            ..Section::default()
        });
        return Ok(render(&p));
    };
    let solution: Solution = serde_json::from_str(&drawn.solution).map_err(|_| AppError::Internal)?;
    p.facts = vec![
        (l.t("plan.night").into(), baove_core::time::format_date(drawn.night)),
        (l.t("plan.guards").into(), drawn.guards.to_string()),
        (
            l.t("plan.weather").into(),
            [(drawn.rain, l.t("plan.rain")), (drawn.cold, l.t("plan.cold"))]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (l.t("plan.locked").into(), l.t(if drawn.locked { "common.yes" } else { "common.no" }).into()),
        (l.t("plan.attacker_value").into(), format!("{:.1}", solution.attacker_value)),
    ];
    p.subtitle = Some(l.t("plan.heat_note").into());
    p.figure = Some(plan::heat_map(&solution));
    p.sections.push(Section {
        title: l.t("plan.why").into(),
        table: Some(Table {
            headers: vec![l.t("plan.factor").into()],
            rows: solution.top.iter().map(|t| vec![Cell::text(t)]).collect(),
        }),
        ..Section::default()
    });
    if !solution.holes.is_empty() {
        let rows = solution
            .holes
            .iter()
            .map(|(z, slot)| vec![Cell::text(&solution.zones[*z]).tone("bad"), Cell::text(&solution.slots[*slot])])
            .collect();
        p.sections.push(Section {
            title: l.t("plan.holes").into(),
            tone: "bad",
            table: Some(Table { headers: vec![l.t("field.zone_id").into(), l.t("round.window").into()], rows }),
            ..Section::default()
        });
    }
    let rounds = s
        .store
        .list_rounds(
            &ctx.principal,
            site.unit_id,
            drawn.starts_at,
            drawn.starts_at + jiff::SignedDuration::from_hours(8),
        )
        .await?;
    let rows = rounds
        .iter()
        .filter(|r| r.site_id == site.id && r.source == RoundSource::Plan)
        .map(|r| vec![Cell::text(format_datetime(r.window_start)), Cell::text(&r.name)])
        .collect();
    p.sections.push(Section {
        title: l.t("plan.rounds").into(),
        table: Some(Table { headers: vec![l.t("round.window").into(), l.t("field.name").into()], rows }),
        ..Section::default()
    });
    if ctx.principal.role.edits_details() {
        let label = l.t(if drawn.locked { "plan.unlock" } else { "plan.lock" });
        let lock = FormBuilder::new(l, None)
            .field("locked", "hidden", if drawn.locked { "" } else { "on" }, false)
            .build(format!("/plans/{}/lock", drawn.id), &ctx.csrf, label);
        p.sections.push(Section {
            title: l.t("plan.manage").into(),
            note: Some(l.t("plan.print_note").into()),
            form: Some(lock),
            ..Section::default()
        });
        if !drawn.locked {
            p.sections.push(Section {
                title: l.t("plan.redraw").into(),
                form: Some(redraw_form(&ctx, site.id, evening)),
                ..Section::default()
            });
        }
    }
    p.sections.push(days_section(&s, &ctx, site.unit_id, site.id).await?);
    Ok(render(&p))
}

/// The unit's own special days, which the plan treats like public holidays (or ordinary days).
async fn days_section(s: &AppState, ctx: &Ctx, unit: baove_core::UnitId, site: SiteId) -> Result<Section, AppError> {
    use baove_core::calendar::Change;
    let l = ctx.lang;
    let days = s.store.unit_days(&ctx.principal, unit).await?;
    let rows = days
        .entries
        .iter()
        .map(|d| {
            let what = match &d.change {
                Change::Add { name_vi, .. } => format!("{} · {name_vi}", l.t("days.closed")),
                Change::Remove => l.t("days.working").to_owned(),
            };
            vec![Cell::text(baove_core::time::format_date(d.date)), Cell::text(what), Cell::text(&d.reason)]
        })
        .collect();
    let form = ctx.principal.role.edits_details().then(|| {
        FormBuilder::new(l, None)
            .field("site_id", "hidden", &site.to_string(), false)
            .field("date", "date", "", true)
            .field("closed", "checkbox", "on", false)
            .field("name", "text", "", false)
            .field("reason", "text", "", false)
            .build(format!("/units/{unit}/days"), &ctx.csrf, l.t("days.add"))
    });
    Ok(Section {
        title: l.t("days.title").into(),
        note: Some(l.t("days.note").into()),
        table: Some(Table {
            headers: vec![l.t("plan.night").into(), l.t("field.kind").into(), l.t("field.reason").into()],
            rows,
        }),
        form,
        ..Section::default()
    })
}

#[derive(Deserialize)]
struct DayForm {
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    closed: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    reason: String,
}

async fn add_day(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(f): FormBody<DayForm>,
) -> Result<Response, AppError> {
    use baove_core::calendar::{Change, Override};
    let unit: baove_core::UnitId = id(&raw)?;
    let mut c = baove_core::validate::Checker::new();
    let date = c.date("date", &f.date, true);
    let name = c.opt_line("name", &f.name, 120);
    let reason = c.opt_line("reason", &f.reason, 300);
    let closed = truthy(&f.closed);
    if closed && name.is_empty() {
        c.fail("name", baove_core::validate::Problem::Required);
    }
    c.finish(())?;
    let Some(date) = date else { return Err(AppError::BadId) };
    let change = if closed { Change::Add { name_vi: name.clone(), name_en: name } } else { Change::Remove };
    s.store.set_unit_day(&ctx.actor(), unit, &Override { date, change, reason }).await?;
    // The unit's days off arm its zones all day.
    s.alarms.invalidate();
    Ok(see(format!("/sites/{}/plan", f.site_id.trim())))
}

async fn remove_day(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(f): FormBody<DayForm>,
) -> Result<Response, AppError> {
    let unit: baove_core::UnitId = id(&raw)?;
    let date = baove_core::validate::parse_date(&f.date)
        .ok_or(AppError::Invalid(baove_core::validate::Invalid::one("date", baove_core::validate::Problem::BadDate)))?;
    s.store.remove_unit_day(&ctx.actor(), unit, date).await?;
    s.alarms.invalidate();
    Ok(see(format!("/sites/{}/plan", f.site_id.trim())))
}

fn redraw_form(ctx: &Ctx, site: SiteId, evening: jiff::civil::Date) -> super::view::FormView {
    FormBuilder::new(ctx.lang, None)
        .field("night", "hidden", &evening.to_string(), false)
        .field("rain", "checkbox", "", false)
        .field("cold", "checkbox", "", false)
        .build(format!("/sites/{site}/plan"), &ctx.csrf, ctx.t("plan.redraw"))
}

#[derive(Deserialize)]
struct Conditions {
    #[serde(default)]
    night: String,
    #[serde(default)]
    rain: String,
    #[serde(default)]
    cold: String,
}

async fn redraw(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(c): FormBody<Conditions>,
) -> Result<Response, AppError> {
    let site: SiteId = id(&raw)?;
    let night = evening_of(&ctx, &c.night)?;
    match nightly::draw_site(&s, &ctx.actor(), site, night, Weather { rain: truthy(&c.rain), cold: truthy(&c.cold) })
        .await
    {
        Ok(_) => Ok(see(format!("/sites/{site}/plan?night={night}"))),
        Err(NightlyError::Store(e)) => Err(e.into()),
        Err(NightlyError::Plan(e)) => Err(AppError::BadRequest(e.to_string())),
    }
}

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    locked: String,
}

async fn lock(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    FormBody(f): FormBody<Lock>,
) -> Result<Response, AppError> {
    let plan = s.store.lock_plan(&ctx.actor(), id::<PlanId>(&raw)?, truthy(&f.locked)).await?;
    Ok(see(format!("/sites/{}/plan?night={}", plan.site_id, plan.night)))
}
