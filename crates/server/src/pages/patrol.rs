//! Patrol pages: the guard's phone page (tonight's rounds, scanning, panic), the landing pages
//! an NFC tag or a QR label opens, the live board of supervisors and police, acknowledging
//! alerts, the alert stream (SSE) and creating rounds.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use baove_core::access::{Org, Role};
use baove_core::patrol::alert::Alert;
use baove_core::patrol::escalation::Tier;
use baove_core::patrol::round::{PointState, Round, RoundState};
use baove_core::time::format_datetime;
use baove_core::{AlertId, ScanId, UnitId};
use futures_util::StreamExt;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;

use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, id, see};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::patrol::bus::Event;
use crate::patrol::intake::{self, BatchIn, ScanIn};
use crate::state::AppState;

/// A phone's batch may carry photos of QR labels (each downsized on the phone).
const SCAN_BODY: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/patrol", get(guard_page))
        .route("/patrol/scans", post(scans).layer(axum::extract::DefaultBodyLimit::max(SCAN_BODY)))
        .route("/patrol/panic", post(panic))
        .route("/patrol/board", get(board))
        .route("/alerts/ack", post(ack))
        .route("/events", get(events))
        .route("/n", get(nfc_tap))
        .route("/q/{secret}", get(qr_open))
}

fn state_cell(l: Lang, s: RoundState) -> Cell {
    let (key, tone) = match s {
        RoundState::Planned => ("round.planned", ""),
        RoundState::InProgress => ("round.in_progress", "warn"),
        RoundState::Done => ("round.done", "ok"),
        RoundState::Late => ("round.late", "warn"),
        RoundState::Missed => ("round.missed", "bad"),
    };
    Cell::text(l.t(key)).tone(tone)
}

/// Tonight: from 12 hours ago to 12 hours ahead.
fn tonight(now: Timestamp) -> (Timestamp, Timestamp) {
    (now - SignedDuration::from_hours(12), now + SignedDuration::from_hours(12))
}

fn own_unit(ctx: &Ctx) -> Result<UnitId, AppError> {
    match ctx.principal.org {
        Org::Unit(u) => Ok(u),
        _ => Err(AppError::Forbidden),
    }
}

/// The rounds table of one unit with each round's progress.
/// Tonight's rounds; on the guard's phone (`start`) each open round has a "start" link: the
/// phone then ties its scans to that round.
async fn rounds_section(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    rounds: &[Round],
    start: bool,
) -> Result<Section, AppError> {
    let l = ctx.lang;
    let (from, to) = tonight(ctx.now);
    let scans = s.store.list_scans(&ctx.principal, unit, from, to).await?;
    let rows = rounds
        .iter()
        .map(|r| {
            let e = r.evaluate(&scans, ctx.now);
            let (done, all) = e.completion();
            let next = e.points.iter().find_map(|p| match p {
                PointState::Pending { due } => Some(format_datetime(*due)),
                _ => None,
            });
            let mut row = vec![
                Cell::text(&r.name),
                Cell::text(format!("{} – {}", format_datetime(r.window_start), format_datetime(r.window_end))),
                Cell::text(format!("{done}/{all}")),
                state_cell(l, e.state),
                Cell::text(next.unwrap_or_default()),
            ];
            if start {
                let open = matches!(e.state, RoundState::Planned | RoundState::InProgress);
                row.push(if open {
                    Cell::link(l.t("round.start"), format!("#start-{}", r.id))
                } else {
                    Cell::default()
                });
            }
            row
        })
        .collect();
    let mut headers: Vec<String> =
        ["field.name", "round.window", "round.progress", "incident.status", "round.next_due"]
            .iter()
            .map(|k| l.t(k).to_owned())
            .collect();
    if start {
        headers.push(String::new());
    }
    Ok(Section { title: l.t("round.tonight").into(), table: Some(Table { headers, rows }), ..Section::default() })
}

async fn guard_page(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(&ctx)?;
    let (from, to) = tonight(ctx.now);
    let rounds = s.store.list_rounds(&ctx.principal, unit, from, to).await?;
    let checkpoints = s.store.list_checkpoints(&ctx.principal, unit, "").await?;
    let mut p = page(&ctx, l.t("patrol.title"));
    p.subtitle = Some(l.t("patrol.how").into());
    p.scanner = true;
    p.sections.push(rounds_section(&s, &ctx, unit, &rounds, true).await?);
    let options = checkpoints
        .iter()
        .filter(|c| c.active)
        .map(|c| (c.id.to_string(), format!("{} · {}", c.code, c.name)))
        .collect();
    let manual = super::forms::FormBuilder::new(l, None)
        .field("scan_id", "hidden", &ScanId::mint().to_string(), true)
        .select("checkpoint_id", "", options, true)
        .field("reason", "text", "", true)
        .build("/patrol/scans", &ctx.csrf, l.t("patrol.manual"));
    p.sections.push(Section {
        title: l.t("patrol.manual").into(),
        note: Some(l.t("patrol.manual_note").into()),
        form: Some(manual),
        ..Section::default()
    });
    let panic = super::forms::FormBuilder::new(l, None).build("/patrol/panic", &ctx.csrf, l.t("patrol.panic"));
    p.sections.push(Section {
        title: l.t("patrol.panic").into(),
        note: Some(l.t("patrol.panic_note").into()),
        tone: "bad",
        form: Some(panic),
        ..Section::default()
    });
    Ok(render(&p))
}

/// A scan batch: JSON from the phone's queue (with the `x-csrf-token` header), or the manual
/// form of the page.
async fn scans(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let json =
        headers.get("content-type").and_then(|c| c.to_str().ok()).is_some_and(|c| c.starts_with("application/json"));
    if json {
        let batch: BatchIn = serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
        if batch.scans.len() > intake::MAX_BATCH {
            return Err(AppError::PayloadTooLarge);
        }
        return Ok(Json(intake::record(&s, &ctx.actor(), &batch).await).into_response());
    }
    #[derive(Deserialize)]
    struct Manual {
        #[serde(default)]
        scan_id: String,
        #[serde(default)]
        checkpoint_id: String,
        #[serde(default)]
        reason: String,
    }
    let m: Manual = serde_urlencoded::from_bytes(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let scan =
        ScanIn { id: m.scan_id, checkpoint_id: m.checkpoint_id, reason: m.reason, ..ScanIn::now(&ctx, "manual") };
    Ok(record_one(&s, &ctx, scan).await)
}

impl ScanIn {
    /// A scan made in this browser now, with a fresh id; the other fields left empty.
    fn now(ctx: &Ctx, evidence: &str) -> Self {
        Self {
            id: ScanId::mint().to_string(),
            evidence: evidence.into(),
            url: String::new(),
            code: String::new(),
            photo: String::new(),
            checkpoint_id: String::new(),
            reason: String::new(),
            round_id: String::new(),
            scanned_at: ctx.now.to_string(),
        }
    }
}

/// Records one scan made by a signed-in browser and shows what became of it.
async fn record_one(s: &AppState, ctx: &Ctx, scan: ScanIn) -> Response {
    let batch = BatchIn { device_id: "web".into(), device_now: ctx.now.to_string(), scans: vec![scan] };
    let results = intake::record(s, &ctx.actor(), &batch).await;
    match results.first() {
        Some(r) => result_page(ctx, r),
        None => AppError::Internal.into_response(),
    }
}

fn result_page(ctx: &Ctx, r: &intake::ScanResult) -> Response {
    let l = ctx.lang;
    let ok = r.status != "rejected";
    let mut p = page(ctx, l.t(if ok { "patrol.recorded" } else { "patrol.rejected" }));
    let detail = match (&r.checkpoint, r.code) {
        (Some(cp), _) => format!("{} {cp}", l.t("field.code")),
        (None, Some(code)) => l.t(&format!("scan_error.{code}")).to_owned(),
        _ => String::new(),
    };
    let flags = r.flags.iter().map(|f| l.label("flag", f.code())).collect::<Vec<_>>().join(", ");
    p.sections.push(Section {
        title: detail,
        note: (!flags.is_empty()).then_some(flags),
        tone: if ok { "ok" } else { "bad" },
        links: vec![Link::new("/patrol", l.t("patrol.title"))],
        ..Section::default()
    });
    let resp = render(&p);
    if ok { resp } else { super::invalid(resp) }
}

/// An NFC tag's URL opened on a signed-in phone: recorded at once.
async fn nfc_tap(State(s): State<AppState>, ctx: Ctx, uri: axum::http::Uri) -> Result<Response, AppError> {
    Ok(record_one(&s, &ctx, ScanIn { url: uri.to_string(), ..ScanIn::now(&ctx, "nfc_sun") }).await)
}

/// A QR label read with the phone's own camera app: it opens `/q/<secret>`.
async fn qr_open(State(s): State<AppState>, ctx: Ctx, Path(secret): Path<String>) -> Result<Response, AppError> {
    Ok(record_one(&s, &ctx, ScanIn { code: secret, ..ScanIn::now(&ctx, "qr_live") }).await)
}

async fn panic(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let minute = ctx.now.as_second() / 60;
    let alert = baove_store::NewAlert {
        key: format!("panic:{}:{minute}", ctx.account.id),
        unit_id: unit,
        site_id: None,
        round_id: None,
        kind: baove_core::patrol::alert::AlertKind::Panic,
        message: format!("{}: {}", ctx.account.display_name, ctx.t("patrol.panic")),
        raised_at: ctx.now,
    };
    if let Some(a) = s.store.raise_alert(&alert).await? {
        // A call for help does not wait for the ladder: it goes to the duty desk at once.
        s.store.escalate_alert(a.id, Tier::DutyDesk).await?;
        s.bus.publish(Event::Alert(Alert { tier: Tier::DutyDesk, ..a }));
    }
    let mut p = page(&ctx, ctx.t("patrol.panic_sent"));
    p.sections.push(Section {
        note: Some(ctx.t("patrol.panic_sent_note").into()),
        tone: "bad",
        links: vec![Link::new("/patrol", ctx.t("patrol.title"))],
        ..Section::default()
    });
    Ok(render(&p))
}

/// Whether an alert is for this person: a unit's people see their unit's; the police see
/// what escalated to the duty desk in their area; administrators see everything.
fn for_me(ctx_org: Org, role: Role, a: &Alert, visible: &[UnitId]) -> bool {
    match ctx_org {
        Org::Unit(u) => a.unit_id == u,
        Org::Authority(_) => a.tier == Tier::DutyDesk && visible.contains(&a.unit_id),
        Org::System => role == Role::SystemAdmin,
    }
}

async fn visible_units(s: &AppState, ctx: &Ctx) -> Result<Vec<UnitId>, AppError> {
    Ok(match ctx.principal.org {
        Org::Authority(_) => s
            .store
            .list_units(&ctx.principal, &baove_store::UnitFilter::default())
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
        _ => vec![],
    })
}

async fn board(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    let (from, to) = tonight(ctx.now);
    let rounds = s.store.rounds_in_scope(&ctx.principal, from, to).await?;
    let visible = visible_units(&s, &ctx).await?;
    let alerts: Vec<Alert> = s
        .store
        .alerts_after(&ctx.principal, 0, 1000)
        .await?
        .into_iter()
        .filter(|a| for_me(ctx.principal.org, ctx.principal.role, a, &visible))
        .collect();
    let mut p = page(&ctx, l.t("board.title"));
    p.subtitle = Some(l.t("board.live").into());
    p.live = true;
    let open: Vec<(String, String)> =
        alerts.iter().rev().filter(|a| a.acked_at.is_none()).map(|a| (a.id.to_string(), a.message.clone())).collect();
    let rows = alerts
        .iter()
        .rev()
        .take(50)
        .map(|a| {
            let state = if a.acked_at.is_some() {
                Cell::text(format!("{} {}", l.t("board.acked_by"), a.acked_name)).tone("ok")
            } else {
                Cell::text(l.label("tier", a.tier.code())).tone("bad")
            };
            vec![
                Cell::text(format_datetime(a.raised_at)),
                Cell::text(l.label("alert", a.kind.code())),
                Cell::text(&a.message),
                state,
            ]
        })
        .collect();
    let can_ack = ctx.principal.role.acks_alerts();
    let form = (can_ack && !open.is_empty()).then(|| {
        super::forms::FormBuilder::new(l, None).select("alert_id", "", open, true).build(
            "/alerts/ack",
            &ctx.csrf,
            l.t("board.ack"),
        )
    });
    let headers = ["incident.occurred_at", "field.kind", "incident.summary", "incident.status"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    p.sections.push(Section {
        title: l.t("board.alerts").into(),
        tone: "bad",
        table: Some(Table { headers, rows }),
        form,
        ..Section::default()
    });
    p.sections.push(completion_section(&s, &ctx).await?);
    let mut units: Vec<UnitId> = rounds.iter().map(|r| r.unit_id).collect();
    units.sort();
    units.dedup();
    for unit in units {
        let mine: Vec<Round> = rounds.iter().filter(|r| r.unit_id == unit).cloned().collect();
        let name = s.store.unit(&ctx.principal, unit).await.map(|u| u.name).unwrap_or_default();
        let mut sec = rounds_section(&s, &ctx, unit, &mine, false).await?;
        sec.title = name;
        p.sections.push(sec);
    }
    if let Org::Unit(u) = ctx.principal.org
        && ctx.principal.role.edits_details()
    {
        p.actions.push(Link::new(format!("/units/{u}/rounds/new"), l.t("round.new")));
        p.actions.push(Link::new(format!("/units/{u}/patrol-log.pdf"), l.t("print.log_pdf")));
        p.actions.push(Link::new(format!("/units/{u}/patrol-log.xlsx"), l.t("print.log_xlsx")));
    }
    Ok(render(&p))
}

/// Completion per unit tonight and over the last seven nights, with the total for the scope
/// (what the police look at across their area).
async fn completion_section(s: &AppState, ctx: &Ctx) -> Result<Section, AppError> {
    use baove_core::patrol::round::{Tally, tally};
    let l = ctx.lang;
    let (tonight_from, _) = tonight(ctx.now);
    let week_from = ctx.now - SignedDuration::from_hours(24 * 7);
    let rounds = s.store.rounds_in_scope(&ctx.principal, week_from, ctx.now).await?;
    let mut units: Vec<UnitId> = rounds.iter().map(|r| r.unit_id).collect();
    units.sort();
    units.dedup();
    let (mut all_night, mut all_week) = (Tally::default(), Tally::default());
    let mut rows = Vec::new();
    let pct = |t: &Tally| {
        let tone = if t.rate() >= 95.0 {
            "ok"
        } else if t.rate() >= 80.0 {
            "warn"
        } else {
            "bad"
        };
        Cell::text(format!("{:.0}% ({}/{})", t.rate(), t.visited, t.due)).tone(tone)
    };
    for unit in units {
        let mine: Vec<Round> = rounds.iter().filter(|r| r.unit_id == unit).cloned().collect();
        let scans =
            s.store.list_scans(&ctx.principal, unit, week_from - SignedDuration::from_hours(12), ctx.now).await?;
        let week = tally(&mine, &scans, ctx.now);
        let night: Vec<Round> = mine.iter().filter(|r| r.window_end >= tonight_from).cloned().collect();
        let tonight_tally = tally(&night, &scans, ctx.now);
        all_night.add(tonight_tally);
        all_week.add(week);
        let name = s.store.unit(&ctx.principal, unit).await.map(|u| u.name).unwrap_or_default();
        rows.push(vec![Cell::link(name, format!("/units/{unit}")), pct(&tonight_tally), pct(&week)]);
    }
    rows.push(vec![Cell::text(l.t("common.all")).tone("ok"), pct(&all_night), pct(&all_week)]);
    let headers = vec![l.t("field.unit_id").into(), l.t("completion.tonight").into(), l.t("completion.week").into()];
    Ok(Section {
        title: l.t("completion.title").into(),
        note: Some(l.t("completion.note").into()),
        table: Some(Table { headers, rows }),
        ..Section::default()
    })
}

#[derive(Deserialize)]
struct Ack {
    #[serde(default)]
    alert_id: String,
}

async fn ack(State(s): State<AppState>, ctx: Ctx, FormBody(a): FormBody<Ack>) -> Result<Response, AppError> {
    let alert: AlertId = id(&a.alert_id)?;
    let acked = s.store.ack_alert(&ctx.actor(), alert).await?;
    s.bus.publish(Event::Alert(acked));
    Ok(see("/patrol/board"))
}

/// The alert stream: what was missed since `Last-Event-ID` (or `?after=`), then live.
async fn events(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<crate::patrol::bus::After>,
) -> Result<Response, AppError> {
    let last = q.resume(&headers);
    let visible = visible_units(&s, &ctx).await?;
    let (org, role) = (ctx.principal.org, ctx.principal.role);
    let live = s.bus.subscribe();
    let replay: Vec<Alert> = s
        .store
        .alerts_after(&ctx.principal, last, 1000)
        .await?
        .into_iter()
        .filter(|a| for_me(org, role, a, &visible))
        .collect();
    let lang = ctx.lang;
    let event = move |a: &Alert| -> Result<SseEvent, Infallible> {
        let data = serde_json::json!({
            "id": a.id, "seq": a.seq, "unit_id": a.unit_id, "kind": a.kind, "kind_label": lang.label("alert", a.kind.code()),
            "message": a.message, "raised_at": format_datetime(a.raised_at), "tier": a.tier, "tier_label": lang.label("tier", a.tier.code()),
            "acked": a.acked_at.is_some(), "acked_name": a.acked_name,
        });
        Ok(SseEvent::default().id(a.seq.to_string()).event("alert").data(data.to_string()))
    };
    let replayed: Vec<_> = replay.iter().map(event).collect();
    // Subscribed before the replay was read, so nothing falls between the two; an alert in
    // both is sent twice and the console keeps the later copy (same id).
    let live = BroadcastStream::new(live).filter_map(move |msg| {
        let keep = match msg {
            Ok(Event::Alert(a)) if for_me(org, role, &a, &visible) => Some(event(&a)),
            _ => None,
        };
        std::future::ready(keep)
    });
    let stream = futures_util::stream::iter(replayed).chain(live);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}
