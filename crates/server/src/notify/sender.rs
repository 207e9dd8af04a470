//! Delivers what is due: each channel's messages one by one within its rate, the rest as one
//! digest; webhooks get a signed JSON POST, mailboxes a plain-text e-mail; a failure is
//! recorded and retried later with a growing delay.

use std::time::Duration;

use baove_core::notify::{ChannelKind, DeliveryStatus, plan, retry_at, signature};
use baove_store::{Channel, Due};
use jiff::Timestamp;

use crate::state::AppState;

/// Runs until the process ends.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tick.tick().await;
        if let Err(e) = send_due(&state, Timestamp::now()).await {
            tracing::error!(error = %e, "notifications");
        }
    }
}

/// One pass: returns how many messages went out.
///
/// # Errors
/// A storage failure (the next pass retries).
pub async fn send_due(state: &AppState, now: Timestamp) -> Result<usize, baove_store::StoreError> {
    let mut sent = 0;
    for batch in state.store.due_deliveries(now, 200).await? {
        let p = plan(batch.due.len(), batch.sent_last_minute);
        let (alone, rest) = batch.due.split_at(p.individual.min(batch.due.len()));
        for d in alone {
            let outcome = deliver(state, &batch.channel, &d.subject, &d.body, &d.id.to_string()).await;
            settle(state, d, outcome, now).await?;
            sent += 1;
        }
        if p.digest && !rest.is_empty() {
            let subject = format!("[baove] {} thông báo gộp (giới hạn mỗi phút)", rest.len());
            let items: Vec<serde_json::Value> =
                rest.iter().map(|d| serde_json::from_str(&d.body).unwrap_or(serde_json::Value::Null)).collect();
            let text = rest.iter().map(|d| d.subject.as_str()).collect::<Vec<_>>().join("\n");
            let body = serde_json::json!({ "event": "digest", "count": rest.len(), "items": items, "subject": subject, "text": text });
            let outcome = deliver(state, &batch.channel, &subject, &body.to_string(), &rest[0].id.to_string()).await;
            match outcome {
                Ok(()) => {
                    state.store.settle_delivery(rest[0].id, DeliveryStatus::Sent, "", None, now).await?;
                    for d in &rest[1..] {
                        state.store.settle_delivery(d.id, DeliveryStatus::Digested, "", None, now).await?;
                    }
                    sent += 1;
                }
                Err(e) => {
                    for d in rest {
                        settle(state, d, Err(e.clone()), now).await?;
                    }
                }
            }
        }
    }
    Ok(sent)
}

async fn settle(
    state: &AppState,
    d: &Due,
    outcome: Result<(), String>,
    now: Timestamp,
) -> Result<(), baove_store::StoreError> {
    match outcome {
        Ok(()) => state.store.settle_delivery(d.id, DeliveryStatus::Sent, "", None, now).await,
        Err(e) => match retry_at(now, d.attempts) {
            Some(t) => state.store.settle_delivery(d.id, DeliveryStatus::Pending, &e, Some(t), now).await,
            None => state.store.settle_delivery(d.id, DeliveryStatus::Failed, &e, None, now).await,
        },
    }
}

async fn deliver(state: &AppState, c: &Channel, subject: &str, body: &str, delivery: &str) -> Result<(), String> {
    match c.kind {
        ChannelKind::Webhook => {
            let resp = state
                .http
                .post(&c.target)
                .header("content-type", "application/json")
                .header("x-baove-signature", signature(&c.secret, body.as_bytes()))
                .header("x-baove-delivery", delivery)
                .body(body.to_owned())
                .timeout(Duration::from_secs(10))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if resp.status().is_success() { Ok(()) } else { Err(format!("HTTP {}", resp.status().as_u16())) }
        }
        ChannelKind::Email => {
            let Some(cfg) = state.config.smtp.as_ref() else { return Err("no [smtp] relay configured".into()) };
            let text = serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v["text"].as_str().map(str::to_owned))
                .unwrap_or_else(|| body.to_owned());
            super::smtp::send(cfg, &c.target, subject, &text).await
        }
    }
}
