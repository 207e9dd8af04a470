//! What is told, and to whom: the event's text and its channels (the store picks the unit's
//! own channels and those of the police over it).

use baove_core::notify::NotifyTopic;
use baove_core::time::format_datetime;
use baove_store::{IncidentChange, NotifyEvent, StoredAlarm};

use crate::i18n::Lang;
use crate::state::AppState;

async fn put(s: &AppState, event: NotifyEvent) {
    if let Err(e) = s.store.enqueue(jiff::Timestamp::now(), &event).await {
        tracing::error!(key = %event.key, error = %e, "notification not queued");
    }
}

/// An incident reported or moved on (each change once).
pub async fn incident(s: &AppState, c: &IncidentChange) {
    let l = Lang::Vi;
    let i = &c.incident;
    let status = l.label("incident_status", i.status.code());
    let kind = l.label("incident.kind", i.kind.code());
    let subject = format!("[baove] {kind} · {} · {status}", c.unit.name);
    let text = format!(
        "{kind} tại {}\nThời điểm: {}\nTình trạng: {status}\n{}\n/incidents/{}",
        c.unit.name,
        format_datetime(i.occurred_at),
        i.summary,
        i.id
    );
    let body = serde_json::json!({
        "event": "incident", "id": i.id, "seq": c.seq, "unit_id": c.unit.id, "unit": c.unit.name,
        "kind": i.kind, "status": i.status, "occurred_at": i.occurred_at, "summary": i.summary,
        "modus": i.modus, "plate": i.plate, "url": format!("/incidents/{}", i.id), "subject": subject, "text": text,
    });
    let key = format!("incident:{}:{}", i.id, i.status.code());
    put(s, NotifyEvent { key, unit_id: c.unit.id, topic: NotifyTopic::Incident, subject, body: body.to_string() })
        .await;
}

/// An alarm nobody answered, now at the police duty desk.
pub async fn alarm(s: &AppState, a: &StoredAlarm) {
    let x = &a.alarm;
    let subject = format!("[baove] Báo động chưa ai xử lý: {} · {}", x.kind.label_vi(), x.priority.label_vi());
    let text = format!("{subject}\nTừ {}\n/alarms/{}", format_datetime(x.first_at), x.id);
    let body = serde_json::json!({
        "event": "alarm", "id": x.id, "unit_id": a.unit_id, "kind": x.kind, "priority": x.priority,
        "tier": a.tier, "first_at": x.first_at, "triggers": x.triggers, "url": format!("/alarms/{}", x.id),
        "subject": subject, "text": text,
    });
    let key = format!("alarm:{}:{}", x.id, a.tier.code());
    put(s, NotifyEvent { key, unit_id: a.unit_id, topic: NotifyTopic::Alarm, subject, body: body.to_string() }).await;
}
