//! The live incident feed: every committed report, move and note goes on the bus, and each
//! open console receives the incidents its reader may see (the police of the area, the unit's
//! officers, the reporter), replayed from the database after a reconnect.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use baove_core::time::format_datetime;
use baove_store::{IncidentCase, IncidentChange};
use futures_util::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::patrol::bus::Event;
use crate::state::AppState;

/// Puts a committed change on the bus, and queues it for the notification channels.
pub fn publish(s: &AppState, case: &IncidentCase) {
    let change = IncidentChange { seq: case.seq, incident: case.incident.clone(), unit: case.unit.clone() };
    let (state, queued) = (s.clone(), change.clone());
    tokio::spawn(async move { crate::notify::queue::incident(&state, &queued).await });
    s.bus.publish(Event::Incident(Box::new(change)));
}

/// What a console shows of a change.
#[must_use]
pub fn json_of(l: Lang, c: &IncidentChange) -> serde_json::Value {
    let i = &c.incident;
    serde_json::json!({
        "id": i.id, "seq": c.seq, "unit_id": c.unit.id, "unit": c.unit.name,
        "kind": i.kind, "kind_label": l.label("incident.kind", i.kind.code()),
        "status": i.status, "status_label": l.label("incident_status", i.status.code()),
        "occurred_at": format_datetime(i.occurred_at), "summary": i.summary,
        "modus": i.modus.iter().map(|m| l.label("modus", m.code())).collect::<Vec<_>>(),
        "plate": i.plate, "url": format!("/incidents/{}", i.id),
    })
}

/// `GET /incidents/events`: the reader's incidents changed after `last`, then live.
pub async fn stream(s: AppState, ctx: Ctx, last: i64) -> Result<Response, AppError> {
    let live = s.bus.subscribe();
    let replay = s.store.incidents_after(&ctx.principal, last, 500).await?;
    let lang = ctx.lang;
    let event = move |c: &IncidentChange| -> Result<SseEvent, Infallible> {
        Ok(SseEvent::default().id(c.seq.to_string()).event("incident").data(json_of(lang, c).to_string()))
    };
    let replayed: Vec<_> = replay.iter().map(event).collect();
    let principal = ctx.principal.clone();
    let live = BroadcastStream::new(live).filter_map(move |msg| {
        let (s, principal) = (s.clone(), principal.clone());
        async move {
            let Ok(Event::Incident(c)) = msg else { return None };
            // Whether this reader may see it is the store's decision, as for any read.
            s.store.incident_case(&principal, c.incident.id).await.ok()?;
            Some(event(&c))
        }
    });
    let stream = futures_util::stream::iter(replayed).chain(live);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}
