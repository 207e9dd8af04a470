//! The alarm console: alarms of the caller's scope (live over `/alarms/events` with replay
//! from `Last-Event-ID`), acknowledging one with what was found and the SOP steps done,
//! closing it, arming or disarming a zone by hand, promoting an alarm to an incident, and a
//! device's webhook token.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use baove_core::access::{Org, Role};
use baove_core::alarm::incident::{DEFAULT_FOLD_WINDOW, promote as promote_draft};
use baove_core::alarm::lifecycle::{AlarmId, AlarmState, Disposition};
use baove_core::alarm::sop::Sop;
use baove_core::incident::Incident;
use baove_core::patrol::escalation::Tier;
use baove_core::time::format_datetime;
use baove_core::validate::{Invalid, Problem};
use baove_core::{DeviceId, IncidentId, UnitId, ZoneId};
use baove_store::{AckInput, StoredAlarm};
use futures_util::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::layout::{page, render};
use super::view::{Cell, Section, Table};
use super::{fields, id, see, value};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::patrol::bus::Event;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alarms", get(console))
        .route("/alarms/events", get(events))
        .route("/alarms/{id}", get(detail))
        .route("/alarms/ack", post(ack))
        .route("/alarms/close", post(close))
        .route("/alarms/arm", post(arm))
        .route("/alarms/promote", post(promote))
        .route("/devices/{id}/token", post(device_token))
        .route("/devices/token", post(device_token_form))
}

/// The units whose alarms a console shows live: its own unit, or the police's area (where
/// only alarms escalated to the duty desk are pushed, as with patrol alerts).
async fn scope(s: &AppState, ctx: &Ctx) -> Result<Option<Vec<UnitId>>, AppError> {
    Ok(match ctx.principal.org {
        Org::Unit(u) => Some(vec![u]),
        Org::Authority(_) => Some(
            s.store
                .list_units(&ctx.principal, &baove_store::UnitFilter::default())
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect(),
        ),
        Org::System if ctx.principal.role == Role::SystemAdmin => None,
        Org::System => Some(vec![]),
    })
}

fn json_of(l: Lang, a: &StoredAlarm) -> serde_json::Value {
    let x = &a.alarm;
    let ack = x.acknowledgement.as_ref();
    serde_json::json!({
        "id": x.id, "seq": a.seq, "unit_id": a.unit_id, "site_id": x.site_id, "zone_id": x.zone_id,
        "kind": x.kind, "kind_label": x.kind.label_vi(), "priority": x.priority, "priority_label": x.priority.label_vi(),
        "state": x.state, "state_label": l.label("alarm_state", x.state.code()), "tier": a.tier,
        "triggers": x.triggers, "updates": x.updates, "devices": x.devices,
        "first_at": format_datetime(x.first_at), "last_at": format_datetime(x.last_at),
        "needs_restore": x.needs_restore && x.restored_at.is_none(), "ended": x.ended_at.is_some(),
        "disposition": ack.map(|k| k.disposition), "acked_by": ack.map(|k| k.by.clone()),
        "flagged": ack.is_some_and(baove_core::alarm::lifecycle::Acknowledgement::flagged),
        "incident_id": a.incident_id, "withheld": a.withheld,
    })
}

/// The alarm stream: what changed since `Last-Event-ID` (or `?after=`), then live.
async fn events(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<crate::patrol::bus::After>,
) -> Result<Response, AppError> {
    let last = q.resume(&headers);
    let units = scope(&s, &ctx).await?;
    let live = s.bus.subscribe();
    let police = matches!(ctx.principal.org, Org::Authority(_));
    let for_me = move |a: &StoredAlarm| !police || a.tier == Tier::DutyDesk;
    let replay: Vec<StoredAlarm> =
        s.store.alarms_after(&ctx.principal, last, 1000).await?.into_iter().filter(|a| for_me(a)).collect();
    let lang = ctx.lang;
    let event = move |a: &StoredAlarm| -> Result<SseEvent, Infallible> {
        Ok(SseEvent::default().id(a.seq.to_string()).event("alarm").data(json_of(lang, a).to_string()))
    };
    let replayed: Vec<_> = replay.iter().map(event).collect();
    let principal = ctx.principal.clone();
    let live = BroadcastStream::new(live).filter_map(move |msg| {
        let (s, principal) = (s.clone(), principal.clone());
        let units = units.clone();
        async move {
            let a = match msg {
                Ok(Event::Alarm(a)) if units.as_ref().is_none_or(|u| u.contains(&a.unit_id)) && for_me(&a) => a,
                _ => return None,
            };
            // The police read it back as the store shows it to them: a key target's details
            // are withheld from readers without a clearance.
            let a = if police { s.store.alarm(&principal, a.alarm.id).await.ok()? } else { *a };
            Some(event(&a))
        }
    });
    let stream = futures_util::stream::iter(replayed).chain(live);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}

async fn console(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    if matches!(ctx.principal.role, Role::Gate | Role::Staff) {
        return Err(AppError::Forbidden);
    }
    let mut alarms = s.store.alarms_after(&ctx.principal, 0, 1000).await?;
    alarms.sort_by_key(|a| std::cmp::Reverse(a.alarm.first_at));
    let mut p = page(&ctx, l.t("alarm.title"));
    p.subtitle = Some(l.t("alarm.live").into());
    match ctx.principal.org {
        Org::Unit(u) => p.actions.push(super::view::Link::new(format!("/units/{u}/alarm-setup"), l.t("arming.title"))),
        Org::System => p.actions.push(super::view::Link::new("/alarms/ingest", l.t("ingest.title"))),
        Org::Authority(_) => {}
    }
    let rows = alarms
        .iter()
        .take(100)
        .map(|a| {
            let x = &a.alarm;
            let tone = match x.state {
                AlarmState::Open => "bad",
                AlarmState::Acknowledged => "warn",
                AlarmState::Closed => "ok",
            };
            let who = x.acknowledgement.as_ref().map(|k| {
                let flag = if k.sop.as_ref().is_some_and(|c| c.flagged()) { " ⚠" } else { "" };
                format!("{} · {}{flag}", k.by, l.label("disposition", k.disposition.code()))
            });
            vec![
                Cell::link(format_datetime(x.first_at), format!("/alarms/{}", x.id)),
                Cell::text(x.kind.label_vi()),
                Cell::text(x.priority.label_vi()),
                Cell::text(if a.withheld { l.t("alarm.withheld").to_owned() } else { x.devices.join(", ") }),
                Cell::text(format!("{}×", x.triggers)),
                Cell::text(l.label("alarm_state", x.state.code())).tone(tone),
                Cell::text(who.unwrap_or_else(|| l.label("tier", a.tier.code()).to_owned())),
            ]
        })
        .collect();
    let headers = [
        "alarm.first_at",
        "field.kind",
        "alarm.priority",
        "alarm.devices",
        "alarm.triggers",
        "incident.status",
        "alarm.handled",
    ]
    .iter()
    .map(|k| l.t(k).to_owned())
    .collect();
    let can_ack = ctx.principal.role.acks_alerts();
    p.live_alarms = Some(alarms.iter().map(|a| a.seq).max().unwrap_or(0));
    p.sections.push(Section {
        title: l.t("alarm.title").into(),
        tone: "bad",
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    if can_ack {
        for a in alarms.iter().filter(|a| a.alarm.state != AlarmState::Closed).take(20) {
            p.sections.extend(handling(l, &ctx.csrf, a));
        }
    }
    if let Org::Unit(u) = ctx.principal.org
        && can_ack
    {
        let zones = s.store.zone_setups(&ctx.principal, Some(u)).await?;
        let rows = zones
            .iter()
            .map(|z| {
                let st = baove_core::alarm::arming::is_armed(&z.schedule, z.manual.as_ref(), ctx.now);
                vec![Cell::text(&z.name), Cell::text(st.explain_vi()).tone(if st.armed { "warn" } else { "" })]
            })
            .collect();
        let options = zones.iter().map(|z| (z.zone_id.to_string(), z.name.clone())).collect();
        let armed =
            vec![("1".to_owned(), l.t("alarm.arm").to_owned()), ("0".to_owned(), l.t("alarm.disarm").to_owned())];
        let form = super::forms::FormBuilder::new(l, None)
            .select("zone_id", "", options, true)
            .select("armed", "", armed, true)
            .build("/alarms/arm", &ctx.csrf, l.t("alarm.arming"));
        p.sections.push(Section {
            title: l.t("alarm.arming").into(),
            table: Some(Table { headers: vec![l.t("field.name").into(), l.t("alarm.arming").into()], rows }),
            form: Some(form),
            ..Section::default()
        });
    }
    Ok(render(&p))
}

/// One alarm: what, where, when, who handled it, and the forms to handle it.
async fn detail(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let id = AlarmId::parse(&raw).map_err(|_| AppError::BadId)?;
    let a = s.store.alarm(&ctx.principal, id).await?;
    let x = &a.alarm;
    let unit = s.store.unit(&ctx.principal, a.unit_id).await?;
    let mut p = page(&ctx, format!("{} · {}", l.t("alarm.detail"), x.kind.label_vi()));
    p.subtitle = Some(unit.name.clone());
    let devices = if a.withheld { l.t("alarm.withheld").to_owned() } else { x.devices.join(", ") };
    p.facts = vec![
        (l.t("alarm.priority").into(), x.priority.label_vi().into()),
        (l.t("incident.status").into(), l.label("alarm_state", x.state.code()).into()),
        (l.t("alarm.first_at").into(), format_datetime(x.first_at)),
        (l.t("alarm.last_at").into(), format_datetime(x.last_at)),
        (l.t("alarm.devices").into(), devices),
        (l.t("alarm.triggers").into(), x.triggers.to_string()),
        (l.t("alarm.tier").into(), l.label("tier", a.tier.code()).into()),
    ];
    if let Some(k) = &x.acknowledgement {
        let flag = if k.flagged() { " ⚠" } else { "" };
        p.facts.push((
            l.t("alarm.acked_by").into(),
            format!("{} · {} · {}{flag}", k.by, format_datetime(k.at), l.label("disposition", k.disposition.code())),
        ));
    }
    p.actions.push(super::view::Link::new("/alarms", l.t("alarm.back")));
    if ctx.principal.role.acks_alerts() && x.state != AlarmState::Closed {
        p.sections.extend(handling(l, &ctx.csrf, &a));
    }
    Ok(render(&p))
}

/// The forms of one alarm not closed: acknowledge with the SOP checklist (required steps
/// marked), or close, and promote to an incident.
fn handling(l: Lang, csrf: &str, a: &StoredAlarm) -> Vec<Section> {
    use super::forms::FormBuilder;
    let x = &a.alarm;
    let id = x.id.to_string();
    let title = format!("{} · {} · {}", format_datetime(x.first_at), x.kind.label_vi(), x.devices.join(", "));
    let mut links = Vec::new();
    if let Some(i) = a.incident_id {
        links.push(super::view::Link::new("/incidents", format!("{} {i}", l.t("alarm.incident"))));
    }
    let form = if x.state == AlarmState::Open {
        let steps = Sop::default_for(x.kind)
            .steps()
            .iter()
            .map(|st| (st.id.clone(), format!("{}{}", st.text, if st.required { " *" } else { "" })))
            .collect();
        let dispositions = Disposition::ALL
            .iter()
            .map(|d| (d.code().to_owned(), l.label("disposition", d.code()).to_owned()))
            .collect();
        let mut f = FormBuilder::new(l, None)
            .field("alarm_id", "hidden", &id, true)
            .select("disposition", "", dispositions, true)
            .select("sop", "", steps, false)
            .field("note", "textarea", "", false)
            .build("/alarms/ack", csrf, l.t("alarm.ack"));
        for field in &mut f.fields {
            if field.name == "sop" {
                field.kind = "checks";
            }
        }
        f
    } else {
        FormBuilder::new(l, None).field("alarm_id", "hidden", &id, true).build(
            "/alarms/close",
            csrf,
            l.t("alarm.close"),
        )
    };
    let note = (x.needs_restore && x.restored_at.is_none()).then(|| l.t("alarm.awaiting_restore").to_owned());
    let mut out = vec![Section { title, note, tone: "warn", links, form: Some(form), ..Section::default() }];
    if a.incident_id.is_none() {
        let promote = FormBuilder::new(l, None).field("alarm_id", "hidden", &id, true).build(
            "/alarms/promote",
            csrf,
            l.t("alarm.promote"),
        );
        out.push(Section { form: Some(promote), ..Section::default() });
    }
    out
}

/// Acknowledges: `sop` fields (repeated, or one comma-separated) name the steps done.
async fn ack(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = fields(&body);
    let alarm: AlarmId = AlarmId::parse(value(&f, "alarm_id")).map_err(|_| AppError::BadId)?;
    let disposition =
        Disposition::from_code(value(&f, "disposition")).ok_or_else(|| AppError::BadRequest("disposition".into()))?;
    let sop_done = f
        .iter()
        .filter(|(k, _)| k == "sop")
        .flat_map(|(_, v)| {
            v.split([',', ' ']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        })
        .collect();
    let input = AckInput { disposition, note: value(&f, "note").to_owned(), sop_done };
    let done = s.store.acknowledge_alarm(&ctx.actor(), alarm, &input).await.map_err(conflict)?;
    s.alarms.update(&done).await;
    s.bus.publish(Event::Alarm(Box::new(done)));
    Ok(see("/alarms"))
}

fn conflict(e: baove_store::StoreError) -> AppError {
    match e {
        baove_store::StoreError::Conflict(m) => AppError::BadRequest(m),
        e => e.into(),
    }
}

async fn close(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = fields(&body);
    let alarm = AlarmId::parse(value(&f, "alarm_id")).map_err(|_| AppError::BadId)?;
    let done = s.store.close_alarm(&ctx.actor(), alarm).await.map_err(conflict)?;
    s.alarms.update(&done).await;
    s.bus.publish(Event::Alarm(Box::new(done)));
    Ok(see("/alarms"))
}

async fn arm(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = fields(&body);
    let zone: ZoneId = id(value(&f, "zone_id"))?;
    let armed = match value(&f, "armed") {
        "1" | "true" => true,
        "0" | "false" => false,
        _ => return Err(AppError::BadRequest("armed".into())),
    };
    s.store.set_manual_arming(&ctx.actor(), zone, armed).await?;
    s.alarms.invalidate();
    Ok(see("/alarms"))
}

/// Promotes an alarm to an incident of its unit (core's kind mapping), linked both ways.
async fn promote(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = fields(&body);
    let alarm = AlarmId::parse(value(&f, "alarm_id")).map_err(|_| AppError::BadId)?;
    let a = s.store.alarm(&ctx.principal, alarm).await?;
    if a.incident_id.is_some() {
        return Ok(see("/alarms"));
    }
    // Alarms at one place within the fold window join the incident already open there.
    let since = a.alarm.first_at - DEFAULT_FOLD_WINDOW;
    let open = s.store.open_incident_at(&ctx.principal, a.alarm.site_id, a.alarm.zone_id, since).await?;
    let incident = match open {
        Some(id) => id,
        None => {
            let draft = promote_draft(&[&a.alarm])
                .map_err(|_| AppError::Invalid(Invalid::one("alarm_id", Problem::NotAnOption)))?;
            let report = draft.parse(ctx.now).map_err(AppError::Invalid)?;
            // The incident takes the alarm's id, so promoting twice is one incident.
            let id = IncidentId(a.alarm.id.0);
            let incident = Incident::reported(id, a.unit_id, &report, &ctx.principal.display_name, ctx.now);
            let (case, created) = s.store.report_incident(&ctx.actor(), &incident, &[]).await?;
            if created {
                crate::incident::live::publish(&s, &case);
            }
            case.incident.id
        }
    };
    let linked = s.store.link_alarm_incident(&ctx.actor(), alarm, incident).await?;
    s.bus.publish(Event::Alarm(Box::new(linked)));
    Ok(see("/alarms"))
}

/// A new webhook token for a device, shown once.
async fn device_token(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    new_token(&s, &ctx, id(&raw)?).await
}

/// The same from the alarm setup's form (`device_id`).
async fn device_token_form(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    new_token(&s, &ctx, id(value(&fields(&body), "device_id"))?).await
}

async fn new_token(s: &AppState, ctx: &Ctx, device: DeviceId) -> Result<Response, AppError> {
    let token = format!("bvd_{}", crate::auth::token::random());
    s.store.set_device_token(&ctx.actor(), device, &crate::auth::token::digest(&token)).await?;
    let l = ctx.lang;
    let mut p = page(ctx, l.t("alarm.token"));
    p.facts.push((l.t("alarm.token").into(), token));
    p.subtitle = Some(format!("POST /api/v1/devices/{device}/events"));
    Ok(render(&p))
}
