//! Foreigners and the police at the gate (R8): the unit's register of foreign workers with
//! their documents' expiry, the "declared" action on a temporary-residence declaration, and
//! "report to police" on a visit, which reaches the unit's ward police as a duty-desk alert
//! (the path a police watchlist hit takes) and on their list of reports.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::access::Org;
use baove_core::patrol::alert::{Alert, AlertKind};
use baove_core::patrol::escalation::Tier;
use baove_core::time::{format_date, format_datetime, local_date};
use baove_core::validate::Invalid;
use baove_core::visitor::foreigner::{EXPIRY_WARNING_DAYS, ForeignWorkerDraft, TaskStatus, expiring};
use baove_core::visitor::{ForeignWorkerId, VisitId};
use baove_store::{NewAlert, NewPoliceReport, StayTask};
use serde::Deserialize;

use super::forms::FormBuilder;
use super::gate::{administers, country_options, masked, own_unit};
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, invalid, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::patrol::bus::Event;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/gate/foreigners", get(foreigners).post(add_foreigner))
        .route("/gate/foreigners/remove", post(remove_foreigner))
        .route("/gate/declared", post(declared))
        .route("/gate/report", get(report_form).post(report))
        .route("/gate/reports", get(reports))
}

// ---- the register of foreign workers ----

async fn register_page(
    s: &AppState,
    ctx: &Ctx,
    f: &ForeignWorkerDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(ctx)?;
    let workers = s.store.foreign_workers(&ctx.actor(), unit).await?;
    let today = local_date(ctx.now);
    let mut p = page(ctx, l.t("foreign.title"));
    p.actions = vec![Link::new("/gate", l.t("gate.title"))];
    let soon = expiring(&workers, today, EXPIRY_WARNING_DAYS);
    if !soon.is_empty() {
        let rows = soon
            .iter()
            .map(|x| {
                let (state, tone) = if x.days_left < 0 {
                    (format!("{} ({} {})", l.t("foreign.expired"), -x.days_left, l.t("common.days_ago")), "bad")
                } else {
                    (format!("{} ({} {})", l.t("foreign.expiring"), x.days_left, l.t("common.days_left")), "warn")
                };
                vec![
                    Cell::text(&x.full_name),
                    Cell::text(l.label("foreign_doc", x.kind.code())),
                    Cell::text(format_date(x.expires_on)),
                    Cell::text(state).tone(tone),
                ]
            })
            .collect();
        p.sections.push(Section {
            title: l.t("foreign.expiry_alerts").into(),
            tone: "bad",
            table: Some(Table {
                headers: vec![
                    l.t("field.full_name").into(),
                    l.t("field.permit_kind").into(),
                    l.t("field.expires_on").into(),
                    l.t("gate.status").into(),
                ],
                rows,
            }),
            ..Section::default()
        });
    }
    let rows = workers
        .iter()
        .map(|w| {
            let docs: Vec<String> = w
                .documents
                .iter()
                .map(|d| {
                    format!("{} {} ({})", l.label("foreign_doc", d.kind.code()), d.number, format_date(d.expires_on))
                })
                .collect();
            vec![
                Cell::text(&w.full_name),
                Cell::text(w.nationality.code()),
                Cell::text(&w.job),
                Cell::text(docs.join("; ")),
            ]
        })
        .collect();
    let admin = administers(ctx.principal.role);
    p.sections.push(Section {
        title: format!("{} ({})", l.t("foreign.register"), workers.len()),
        table: Some(Table {
            headers: vec![
                l.t("field.full_name").into(),
                l.t("field.nationality").into(),
                l.t("field.job").into(),
                l.t("foreign.documents").into(),
            ],
            rows,
        }),
        form: admin.then(|| register_form(l, ctx, f, e)),
        ..Section::default()
    });
    if admin {
        for w in &workers {
            let form = FormBuilder::new(l, None).field("worker_id", "hidden", &w.id.to_string(), true).build(
                "/gate/foreigners/remove",
                &ctx.csrf,
                &format!("{} {}", l.t("action.remove"), w.full_name),
            );
            p.sections.push(Section { form: Some(form), ..Section::default() });
        }
    }
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

fn register_form(l: Lang, ctx: &Ctx, f: &ForeignWorkerDraft, e: Option<&Invalid>) -> super::view::FormView {
    let mut nations = country_options(l);
    nations.retain(|(code, _)| code != "VNM");
    nations.insert(0, (String::new(), String::new()));
    let mut permit = vec![(String::new(), l.t("foreign.no_permit").to_owned())];
    permit.extend(
        ["visa", "temporary_residence_card", "work_permit"]
            .iter()
            .map(|c| ((*c).to_owned(), l.label("foreign_doc", c).to_owned())),
    );
    FormBuilder::new(l, e)
        .field("full_name", "text", &f.full_name, true)
        .select("nationality", &f.nationality, nations, true)
        .field("job", "text", &f.job, false)
        .field("passport_number", "text", &f.passport_number, true)
        .field("passport_expires", "date", &f.passport_expires, true)
        .select("permit_kind", &f.permit_kind, permit, false)
        .field("permit_number", "text", &f.permit_number, false)
        .field("permit_expires", "date", &f.permit_expires, false)
        .build("/gate/foreigners", &ctx.csrf, l.t("action.save"))
}

async fn foreigners(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    register_page(&s, &ctx, &ForeignWorkerDraft::default(), None).await
}

async fn add_foreigner(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<ForeignWorkerDraft>,
) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let saved = match f.parse(ForeignWorkerId(uuid::Uuid::now_v7()), unit) {
        Ok(w) => split(s.store.save_foreign_worker(&ctx.actor(), &w).await)?.map(|_| ()),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(see("/gate/foreigners")),
        Err(e) => register_page(&s, &ctx, &f, Some(&e)).await,
    }
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    worker_id: String,
}

async fn remove_foreigner(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<RemoveForm>,
) -> Result<Response, AppError> {
    own_unit(&ctx)?;
    let id = ForeignWorkerId::parse(&f.worker_id).map_err(|_| AppError::BadId)?;
    s.store.remove_foreign_worker(&ctx.actor(), id).await?;
    Ok(see("/gate/foreigners"))
}

// ---- temporary-residence declarations, on the gate page ----

/// The declarations owed, each with its "declared" button, and a line on documents expiring.
pub async fn gate_sections(s: &AppState, ctx: &Ctx) -> Result<Vec<Section>, AppError> {
    let l = ctx.lang;
    let unit = own_unit(ctx)?;
    let mut out = Vec::new();
    let workers = s.store.foreign_workers(&ctx.actor(), unit).await?;
    let soon = expiring(&workers, local_date(ctx.now), EXPIRY_WARNING_DAYS);
    if !soon.is_empty() {
        let expired = soon.iter().filter(|x| x.days_left < 0).count();
        out.push(Section {
            note: Some(
                l.t("foreign.expiry_note").replace("{n}", &soon.len().to_string()).replace("{m}", &expired.to_string()),
            ),
            tone: if expired > 0 { "bad" } else { "warn" },
            links: vec![Link::new("/gate/foreigners", l.t("foreign.title"))],
            ..Section::default()
        });
    }
    let tasks = s.store.stay_tasks(&ctx.actor(), unit).await?;
    if tasks.is_empty() {
        return Ok(out);
    }
    let rows = tasks.iter().map(|t| task_row(l, ctx, t)).collect();
    out.push(Section {
        title: l.t("stay.title").into(),
        note: Some(l.t("stay.note").into()),
        tone: if tasks.iter().any(|t| t.status(ctx.now) == TaskStatus::Overdue) { "bad" } else { "warn" },
        table: Some(Table {
            headers: vec![
                l.t("field.name").into(),
                l.t("field.nationality").into(),
                l.t("field.doc_number").into(),
                l.t("field.birth_date").into(),
                l.t("field.gender").into(),
                l.t("gate.in_at").into(),
                l.t("stay.due_at").into(),
                l.t("gate.status").into(),
            ],
            rows,
        }),
        ..Section::default()
    });
    for t in tasks.iter().filter(|t| t.declared_at.is_none()) {
        let form = FormBuilder::new(l, None).field("visit_id", "hidden", &t.visit_id.to_string(), true).build(
            "/gate/declared",
            &ctx.csrf,
            &format!("{} {}", l.t("stay.declare"), t.name),
        );
        out.push(Section { form: Some(form), ..Section::default() });
    }
    Ok(out)
}

fn task_row(l: Lang, ctx: &Ctx, t: &StayTask) -> Vec<Cell> {
    let status = match t.status(ctx.now) {
        TaskStatus::Open => Cell::text(l.t("stay.open")).tone("warn"),
        TaskStatus::Overdue => Cell::text(l.t("stay.overdue")).tone("bad"),
        TaskStatus::Done => Cell::text(l.t("stay.done")).tone("ok"),
    };
    let born = t.birth_date.map(format_date).unwrap_or_default();
    let gender = t.gender.map(|g| l.label("gender", g.code())).unwrap_or_default();
    vec![
        Cell::text(&t.name),
        Cell::text(t.nationality.code()),
        Cell::text(&t.doc_number),
        Cell::text(born),
        Cell::text(gender),
        Cell::text(format_datetime(t.arrived_at)),
        Cell::text(format_datetime(t.due_at)),
        status,
    ]
}

#[derive(Deserialize)]
struct VisitForm {
    #[serde(default)]
    visit_id: String,
}

async fn declared(State(s): State<AppState>, ctx: Ctx, FormBody(f): FormBody<VisitForm>) -> Result<Response, AppError> {
    own_unit(&ctx)?;
    let id = VisitId::parse(&f.visit_id).map_err(|_| AppError::BadId)?;
    s.store.mark_declared(&ctx.actor(), id).await?;
    Ok(see("/gate"))
}

// ---- report to police ----

#[derive(Deserialize, Default)]
struct ReportForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    visit_id: String,
    #[serde(default)]
    reason: String,
}

async fn report_page(s: &AppState, ctx: &Ctx, f: &ReportForm, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    own_unit(ctx)?;
    let id = VisitId::parse(&f.visit_id).map_err(|_| AppError::BadId)?;
    let v = s.store.visit(&ctx.actor(), id).await?;
    let mut p = page(ctx, l.t("report.title"));
    p.subtitle = Some(v.name.clone());
    p.actions = vec![Link::new("/gate", l.t("gate.title"))];
    let fresh = if f.id.is_empty() { uuid::Uuid::now_v7().to_string() } else { f.id.clone() };
    p.sections.push(Section {
        note: Some(l.t("report.note").into()),
        table: Some(Table {
            headers: vec![
                l.t("field.name").into(),
                l.t("field.doc_number").into(),
                l.t("field.nationality").into(),
                l.t("field.purpose").into(),
                l.t("gate.in_at").into(),
            ],
            rows: vec![vec![
                Cell::text(&v.name),
                Cell::text(masked(&v.doc_number)),
                Cell::text(v.nationality.code()),
                Cell::text(&v.purpose),
                Cell::text(format_datetime(v.checked_in_at)),
            ]],
        }),
        form: Some(
            FormBuilder::new(l, e)
                .field("id", "hidden", &fresh, true)
                .field("visit_id", "hidden", &f.visit_id, true)
                .field("reason", "textarea", &f.reason, true)
                .build("/gate/report", &ctx.csrf, l.t("report.send")),
        ),
        ..Section::default()
    });
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn report_form(State(s): State<AppState>, ctx: Ctx, Query(f): Query<ReportForm>) -> Result<Response, AppError> {
    report_page(&s, &ctx, &ReportForm { id: String::new(), reason: String::new(), ..f }, None).await
}

async fn report(State(s): State<AppState>, ctx: Ctx, FormBody(f): FormBody<ReportForm>) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let id = uuid::Uuid::try_parse(f.id.trim()).map_err(|_| AppError::BadId)?;
    let visit_id = VisitId::parse(&f.visit_id).map_err(|_| AppError::BadId)?;
    let new = NewPoliceReport { id, visit_id, reason: f.reason.clone() };
    let done = match split(s.store.report_to_police(&ctx.actor(), &new).await)? {
        Ok(done) => done,
        Err(e) => return report_page(&s, &ctx, &f, Some(&e)).await,
    };
    if !done.replayed {
        // Committed first, then raised at the duty desk of the unit's police, as a police
        // watchlist hit is.
        let r = &done.report;
        let alert = NewAlert {
            key: format!("police_report:{}", r.id),
            unit_id: unit,
            site_id: Some(r.visit.site_id),
            round_id: None,
            kind: AlertKind::PoliceReport,
            message: format!("Báo công an: {} ({}) — {}", r.visit.name, r.unit_name, r.reason),
            raised_at: ctx.now,
        };
        if let Some(a) = s.store.raise_alert(&alert).await? {
            s.store.escalate_alert(a.id, Tier::DutyDesk).await?;
            s.bus.publish(Event::Alert(Alert { tier: Tier::DutyDesk, ..a }));
        }
    }
    Ok(see("/gate/reports"))
}

/// Reports in scope: a police body's units, or the unit's own.
async fn reports(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    if ctx.principal.org == Org::System {
        return Err(AppError::Forbidden);
    }
    let list = s.store.police_reports(&ctx.actor(), 200).await?;
    let police = matches!(ctx.principal.org, Org::Authority(_));
    let mut p = page(&ctx, l.t("report.list"));
    p.subtitle = Some(l.t(if police { "report.list_police" } else { "report.list_unit" }).into());
    if !police {
        p.actions = vec![Link::new("/gate", l.t("gate.title"))];
    }
    let rows = list
        .iter()
        .map(|r| {
            let v = &r.visit;
            // The police get the number in full: the visit is handed over to them.
            let number = if police { v.doc_number.clone() } else { masked(&v.doc_number) };
            vec![
                Cell::text(format_datetime(r.reported_at)),
                Cell::text(&r.unit_name),
                Cell::text(&v.name).tone("bad"),
                Cell::text(format!("{} {number}", l.label("doc_kind", v.doc_kind.code()))),
                Cell::text(v.nationality.code()),
                Cell::text(&v.purpose),
                Cell::text(format_datetime(v.checked_in_at)),
                Cell::text(&r.reason),
                Cell::text(&r.reporter_name),
            ]
        })
        .collect();
    let headers = [
        "report.at",
        "field.unit",
        "field.name",
        "field.doc_number",
        "field.nationality",
        "field.purpose",
        "gate.in_at",
        "field.reason",
        "report.by",
    ]
    .iter()
    .map(|k| l.t(k).to_owned())
    .collect();
    p.sections.push(Section {
        title: format!("{} ({})", l.t("report.list"), list.len()),
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    Ok(render(&p))
}
