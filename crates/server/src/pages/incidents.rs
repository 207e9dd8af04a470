//! Incidents (R11–R12): the list of the caller's scope with the statistic the police report by
//! type of premises and a live feed; the report form (photos and the offline queue come from
//! incidents.js); the case page where the police receive, verify, handle and close an incident
//! with notes, and the unit follows every step.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use baove_core::IncidentId;
use baove_core::access::{Org, Role};
use baove_core::alarm::incident::{IncidentFlow, Move, Outcome};
use baove_core::alarm::report::IncidentReportDraft;
use baove_core::incident::{Cause, IncidentKind, IncidentStatus, Modus};
use baove_core::time::format_datetime;
use baove_core::validate::{Invalid, Problem};
use baove_store::{IncidentCase, IncidentFilter};
use jiff::SignedDuration;

use super::forms::FormBuilder;
use super::home::{incident_table, tally_table};
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{fields, id, see, value};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::incident::intake::{ReportIn, submit};
use crate::incident::live;
use crate::state::AppState;

use crate::incident::intake::REPORT_BODY;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(list).post(report).layer(axum::extract::DefaultBodyLimit::max(REPORT_BODY)))
        .route("/incidents/new", get(new_form))
        .route("/incidents/events", get(events))
        .route("/incidents/{id}", get(case_page))
        .route("/incidents/{id}/move", post(move_to))
        .route("/incidents/{id}/note", post(note))
        .route("/incidents/{id}/photos/{photo}", get(photo))
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    let since = ctx.now - SignedDuration::from_hours(24 * 366);
    let list =
        s.store.list_incidents(&ctx.principal, &IncidentFilter { since: Some(since), ..Default::default() }).await?;
    let mut p = page(&ctx, l.t("incidents.title"));
    p.actions.push(Link::new("/incidents/new", l.t("incident.report")));
    if matches!(
        ctx.principal.role,
        Role::SecurityOfficer | Role::UnitHead | Role::AreaOfficer | Role::DutyDesk | Role::AuthorityAdmin
    ) {
        p.actions.push(Link::new("/notifications", l.t("notify.title")));
    }
    if !matches!(ctx.principal.role, Role::Guard | Role::Gate | Role::Staff) {
        let counts = s.store.incident_tally(&ctx.principal, since).await?;
        p.sections.push(Section {
            title: l.t("home.incidents_by_kind").into(),
            table: Some(tally_table(l, &counts)),
            ..Section::default()
        });
    }
    p.live_incidents = Some(s.store.latest_incident_seq(&ctx.principal).await?);
    let mut table = incident_table(l, &list, true);
    for (row, (i, _)) in table.rows.iter_mut().zip(&list) {
        if let Some(first) = row.first_mut() {
            *first = Cell::link(first.text.clone(), format!("/incidents/{}", i.id));
        }
    }
    p.sections.push(Section { table: Some(table), ..Section::default() });
    Ok(render(&p))
}

fn kinds(l: Lang) -> Vec<(String, String)> {
    IncidentKind::ALL.iter().map(|k| (k.code().to_owned(), l.label("incident.kind", k.code()).to_owned())).collect()
}

fn checks<T: Copy>(l: Lang, set: &str, all: &[T], code: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|x| (code(*x).to_owned(), l.label(set, code(*x)).to_owned())).collect()
}

/// The report form, filled from a draft (a fresh one carries a new id and the time now).
async fn form_page(
    s: &AppState,
    ctx: &Ctx,
    d: &IncidentReportDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let sites = match ctx.principal.org {
        Org::Unit(u) => s.store.list_sites(&ctx.principal, u, "").await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut site_options: Vec<(String, String)> = sites.iter().map(|x| (x.id.to_string(), x.name.clone())).collect();
    if site_options.is_empty() && !d.site_id.is_empty() {
        site_options.push((d.site_id.clone(), d.site_id.clone()));
    }
    let form = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .select("kind", &d.kind, kinds(l), true)
        .select("site_id", &d.site_id, site_options, true)
        .field("occurred_at", "datetime-local", &d.occurred_at, true)
        .field("summary", "textarea", &d.summary, true)
        .field("losses", "textarea", &d.losses, false)
        .select("modus", &d.modus.join(","), checks(l, "modus", Modus::ALL, Modus::code), false)
        .field("suspect_person", "textarea", &d.suspect_person, false)
        .field("suspect_vehicle", "text", &d.suspect_vehicle, false)
        .field("plate", "text", &d.plate, false)
        .field("photos", "file", "", false);
    let mut form = form.build("/incidents", &ctx.csrf, l.t("incident.send"));
    if let Some(f) = form.fields.iter_mut().find(|f| f.name == "modus") {
        f.kind = "checks";
    }
    let mut p = page(ctx, l.t("incident.report"));
    p.subtitle = Some(l.t("incident.report_note").into());
    p.sections.push(Section { form: Some(form), ..Section::default() });
    p.incident_form = true;
    let mut resp = render(&p);
    if e.is_some() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let now = baove_core::time::local(ctx.now);
    let d = IncidentReportDraft {
        id: IncidentId::mint().to_string(),
        occurred_at: now.strftime("%Y-%m-%dT%H:%M").to_string(),
        ..IncidentReportDraft::default()
    };
    form_page(&s, &ctx, &d, None).await
}

/// `POST /incidents`: JSON from incidents.js (with photos; answered in JSON), or the plain
/// form without a script (answered with the case page or the form and its problems).
async fn report(State(s): State<AppState>, ctx: Ctx, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    if json {
        let input: ReportIn = serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let (case, created) = submit(&s, &ctx.actor(), &input).await?;
        let status = if created { StatusCode::CREATED } else { StatusCode::OK };
        let url = format!("/incidents/{}", case.incident.id);
        return Ok((status, Json(serde_json::json!({ "id": case.incident.id, "url": url, "created": created })))
            .into_response());
    }
    let f = fields(&body);
    let draft = IncidentReportDraft {
        id: value(&f, "id").to_owned(),
        kind: value(&f, "kind").to_owned(),
        site_id: value(&f, "site_id").to_owned(),
        zone_id: value(&f, "zone_id").to_owned(),
        occurred_at: value(&f, "occurred_at").to_owned(),
        summary: value(&f, "summary").to_owned(),
        losses: value(&f, "losses").to_owned(),
        modus: f.iter().filter(|(k, _)| k == "modus").map(|(_, v)| v.clone()).collect(),
        suspect_person: value(&f, "suspect_person").to_owned(),
        suspect_vehicle: value(&f, "suspect_vehicle").to_owned(),
        plate: value(&f, "plate").to_owned(),
        alarm_ids: Vec::new(),
        photos: Vec::new(),
    };
    match submit(&s, &ctx.actor(), &draft).await {
        Ok((case, _)) => Ok(see(format!("/incidents/{}", case.incident.id))),
        Err(AppError::Invalid(e)) => form_page(&s, &ctx, &draft, Some(&e)).await,
        Err(e) => Err(e),
    }
}

async fn events(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<crate::patrol::bus::After>,
) -> Result<Response, AppError> {
    live::stream(s, ctx, q.resume(&headers)).await
}

fn step_table(l: Lang, case: &IncidentCase) -> Table {
    let mut rows = vec![vec![
        Cell::text(format_datetime(case.incident.reported_at)),
        Cell::text(&case.incident.reporter),
        Cell::text(l.label("incident_status", IncidentStatus::Reported.code())),
        Cell::text(""),
    ]];
    rows.extend(case.steps.iter().map(|st| {
        let change = st.change.map_or_else(
            || l.t("incident.note").to_owned(),
            |(from, to)| {
                format!("{} → {}", l.label("incident_status", from.code()), l.label("incident_status", to.code()))
            },
        );
        vec![Cell::text(format_datetime(st.at)), Cell::text(&st.by), Cell::text(change), Cell::text(&st.note)]
    }));
    Table {
        headers: vec![
            l.t("incident.at").into(),
            l.t("incident.by").into(),
            l.t("incident.step").into(),
            l.t("field.note").into(),
        ],
        rows,
    }
}

async fn case_page(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let case = s.store.incident_case(&ctx.principal, id(&raw)?).await?;
    case_view(&ctx, &case, None)
}

fn case_view(ctx: &Ctx, case: &IncidentCase, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let i = &case.incident;
    let mut p = page(ctx, format!("{} · {}", l.label("incident.kind", i.kind.code()), case.unit.name));
    p.subtitle = Some(l.label("incident_status", i.status.code()).to_owned());
    let joined = |items: Vec<&str>| items.join(", ");
    p.facts = vec![
        (l.t("field.unit_id").into(), case.unit.name.clone()),
        (l.t("incident.occurred_at").into(), format_datetime(i.occurred_at)),
        (l.t("incident.reported_at").into(), format_datetime(i.reported_at)),
        (l.t("incident.reporter").into(), i.reporter.clone()),
        (l.t("incident.summary").into(), i.summary.clone()),
        (l.t("field.losses").into(), i.losses.clone()),
        (l.t("incident.modus").into(), joined(i.modus.iter().map(|m| l.label("modus", m.code())).collect())),
        (l.t("field.suspect_person").into(), i.suspect_person.clone()),
        (l.t("field.suspect_vehicle").into(), i.suspect_vehicle.clone()),
        (l.t("field.plate").into(), i.plate.clone().unwrap_or_default()),
    ];
    if let Some(o) = i.outcome {
        p.facts.push((l.t("field.outcome").into(), l.label("outcome", o.code()).to_owned()));
    }
    if !i.causes.is_empty() {
        p.facts
            .push((l.t("field.causes").into(), joined(i.causes.iter().map(|c| l.label("cause", c.code())).collect())));
    }
    p.facts.retain(|(_, v)| !v.is_empty());
    p.actions.push(Link::new("/incidents", l.t("incident.back")));
    if !case.photos.is_empty() {
        // Only ids (UUIDs) and catalogue text go into this markup.
        let imgs: String = case
            .photos
            .iter()
            .map(|ph| {
                format!(
                    "<a href=\"/incidents/{}/photos/{ph}\"><img src=\"/incidents/{}/photos/{ph}\" alt=\"{}\" loading=\"lazy\"></a>",
                    i.id,
                    i.id,
                    l.t("field.photos")
                )
            })
            .collect();
        p.figure = Some(format!("<div class=\"photos\">{imgs}</div>"));
    }
    if !case.alarms.is_empty() {
        let links = case.alarms.iter().map(|a| Link::new(format!("/alarms/{a}"), format!("{a}"))).collect();
        p.sections.push(Section { title: l.t("incident.alarms").into(), links, ..Section::default() });
    }
    p.sections.push(Section {
        title: l.t("incident.steps").into(),
        table: Some(step_table(l, case)),
        ..Section::default()
    });
    let police = ctx.principal.role.acks_alerts() && !matches!(ctx.principal.org, Org::Unit(_));
    let moves = IncidentFlow::legal_moves(i.status);
    if police && !moves.is_empty() {
        let options =
            moves.iter().map(|m| (m.code().to_owned(), l.label("incident_status", m.code()).to_owned())).collect();
        let mut outcomes = vec![(String::new(), "—".to_owned())];
        outcomes.extend(checks(l, "outcome", Outcome::ALL, Outcome::code));
        let mut form = FormBuilder::new(l, e)
            .select("next_status", moves[0].code(), options, true)
            .field("note", "textarea", "", false)
            .select("outcome", "", outcomes, false)
            .select("causes", "", checks(l, "cause", Cause::ALL, Cause::code), false)
            .build(format!("/incidents/{}/move", i.id), &ctx.csrf, l.t("incident.move"));
        if let Some(f) = form.fields.iter_mut().find(|f| f.name == "causes") {
            f.kind = "checks";
        }
        p.sections.push(Section {
            title: l.t("incident.move").into(),
            note: Some(l.t("incident.move_note").into()),
            form: Some(form),
            ..Section::default()
        });
    }
    let note_form = FormBuilder::new(l, e.filter(|e| e.for_field("note").is_some()))
        .field("note", "textarea", "", true)
        .build(format!("/incidents/{}/note", i.id), &ctx.csrf, l.t("incident.add_note"));
    p.sections.push(Section { title: l.t("incident.add_note").into(), form: Some(note_form), ..Section::default() });
    let mut resp = render(&p);
    if e.is_some() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn move_to(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let incident: IncidentId = id(&raw)?;
    let f = fields(&body);
    let to = IncidentStatus::from_code(value(&f, "next_status"))
        .ok_or_else(|| AppError::Invalid(Invalid::one("next_status", Problem::NotAnOption)))?;
    let outcome = match value(&f, "outcome") {
        "" => None,
        o => Some(
            Outcome::from_code(o).ok_or_else(|| AppError::Invalid(Invalid::one("outcome", Problem::NotAnOption)))?,
        ),
    };
    let mut causes = Vec::new();
    for (_, v) in f.iter().filter(|(k, _)| k == "causes") {
        causes
            .push(Cause::from_code(v).ok_or_else(|| AppError::Invalid(Invalid::one("causes", Problem::NotAnOption)))?);
    }
    let mv =
        Move { to, at: ctx.now, by: ctx.principal.display_name.clone(), note: value(&f, "note").to_owned(), outcome };
    let step = s.store.move_incident(&ctx.actor(), incident, &mv, &causes).await;
    stepped(&s, &ctx, incident, step).await
}

/// After a move or a note: published and back to the case, or the case with the problem.
async fn stepped(
    s: &AppState,
    ctx: &Ctx,
    incident: IncidentId,
    step: Result<IncidentCase, baove_store::StoreError>,
) -> Result<Response, AppError> {
    match step {
        Ok(case) => {
            live::publish(s, &case);
            Ok(see(format!("/incidents/{incident}")))
        }
        Err(baove_store::StoreError::Invalid(e)) => {
            let case = s.store.incident_case(&ctx.principal, incident).await?;
            case_view(ctx, &case, Some(&e))
        }
        Err(e) => Err(e.into()),
    }
}

async fn note(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>, body: Bytes) -> Result<Response, AppError> {
    let incident: IncidentId = id(&raw)?;
    let f = fields(&body);
    let step = s.store.note_incident(&ctx.actor(), incident, value(&f, "note")).await;
    stepped(&s, &ctx, incident, step).await
}

async fn photo(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((raw, photo)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let photo: uuid::Uuid = photo.parse().map_err(|_| AppError::BadId)?;
    let (content_type, data) = s.store.incident_photo(&ctx.principal, id(&raw)?, photo).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        data,
    )
        .into_response())
}
