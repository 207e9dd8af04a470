//! The MQTT subscriber: QoS 1 on every configured prefix, a persistent session, and manual
//! acknowledgements — a PUBLISH is acknowledged only after its event (or its refusal count) is
//! committed, so a crash before that makes the broker deliver it again, and the idempotency
//! key makes the second delivery a no-op.

use std::time::Duration;

use baove_core::alarm::formats::{Format, Router};
use jiff::Timestamp;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, Publish, QoS};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::engine::{Incoming, Refused};
use crate::state::AppState;

/// Most messages stored in one transaction.
const BATCH: usize = 256;

/// `[mqtt]` of the configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MqttConfig {
    /// `mqtt://host:port`.
    pub url: String,
    /// The client id; the broker keeps its session (and unacknowledged messages) under it.
    #[serde(default = "default_client_id")]
    pub client_id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// Topic prefixes by format; the defaults (`frigate`, `homeassistant`, `alarmo`, `baove`).
    #[serde(default)]
    pub router: Router,
}

fn default_client_id() -> String {
    "baove".into()
}

impl MqttConfig {
    #[must_use]
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            client_id: default_client_id(),
            username: None,
            password: None,
            router: Router::default(),
        }
    }
}

/// Host and port of `mqtt://host[:port]` (or a bare `host:port`).
///
/// # Errors
/// A URL that is not MQTT over TCP, or a bad port.
pub fn host_port(url: &str) -> Result<(String, u16), String> {
    let rest = url.strip_prefix("mqtt://").or_else(|| url.strip_prefix("tcp://")).unwrap_or(url);
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains(['/', '?', '@']) {
        return Err(format!("not an mqtt:// address: {url}"));
    }
    match rest.rsplit_once(':') {
        Some((h, p)) => Ok((h.to_owned(), p.parse().map_err(|_| format!("bad port in {url}"))?)),
        None => Ok((rest.to_owned(), 1883)),
    }
}

/// The topic filters to subscribe for `router`.
#[must_use]
pub fn filters(router: &Router) -> Vec<String> {
    let mut out = Vec::new();
    for p in &router.frigate {
        out.push(format!("{p}/events"));
        out.push(format!("{p}/reviews"));
    }
    for h in &router.homeassistant {
        out.push(format!("{}/#", h.prefix));
        out.extend(h.entities.keys().cloned());
    }
    out.extend(router.alarmo.iter().map(|p| format!("{p}/#")));
    out.extend(router.generic.iter().map(|p| format!("{p}/+/event")));
    out.sort();
    out.dedup();
    out
}

fn source_of(router: &Router, topic: &str) -> &'static str {
    match router.route(topic).map(|r| r.format) {
        Some(Format::Frigate) => "frigate",
        Some(Format::HomeAssistant) => "homeassistant",
        Some(Format::Alarmo) => "alarmo",
        Some(Format::Generic) => "generic",
        None => "mqtt",
    }
}

/// Starts the subscriber; it runs (reconnecting) until the task is aborted.
///
/// # Errors
/// The URL is not usable.
pub fn spawn(state: AppState, cfg: MqttConfig) -> Result<tokio::task::JoinHandle<()>, String> {
    let (host, port) = host_port(&cfg.url)?;
    let mut opts = MqttOptions::new(cfg.client_id.clone(), host, port);
    opts.set_keep_alive(Duration::from_secs(15));
    opts.set_manual_acks(true);
    opts.set_clean_session(false);
    opts.set_max_packet_size(16 * 1024 * 1024, 64 * 1024);
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        opts.set_credentials(u, p);
    }
    let (client, mut eventloop) = AsyncClient::new(opts, 1024);
    let (tx, rx) = mpsc::channel::<Publish>(4096);
    let worker = tokio::spawn(process(state, cfg.router.clone(), client.clone(), rx));
    let topics = filters(&cfg.router);
    Ok(tokio::spawn(async move {
        let _worker = crate::AbortOnDrop(worker);
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    tracing::info!(url = %cfg.url, "mqtt connected");
                    for t in &topics {
                        if let Err(e) = client.try_subscribe(t.clone(), QoS::AtLeastOnce) {
                            tracing::error!(topic = %t, error = %e, "mqtt subscribe");
                        }
                    }
                }
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    if tx.send(p).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(url = %cfg.url, error = %e, "mqtt connection; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }))
}

/// Parses a batch: events to ingest, refusals to count. Home Assistant discovery configs
/// teach the router new state topics.
fn parse(router: &mut Router, batch: &[Publish], now: Timestamp) -> (Vec<Incoming>, Refused) {
    let mut items = Vec::new();
    let mut refused = Refused::default();
    for p in batch {
        let topic = p.topic.as_str();
        match router.learn(topic, &p.payload) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                refused.parse_error("homeassistant", topic, &e);
                continue;
            }
        }
        match router.parse(topic, &p.payload, now) {
            Ok(events) => items.extend(events.into_iter().map(|event| Incoming { event, place: None })),
            Err(e) => refused.parse_error(source_of(router, topic), topic, &e),
        }
    }
    (items, refused)
}

async fn process(state: AppState, mut router: Router, client: AsyncClient, mut rx: mpsc::Receiver<Publish>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let (items, refused) = parse(&mut router, &batch, Timestamp::now());
        // Stored before acknowledged: retry until the store takes it.
        loop {
            match state.alarms.ingest(&state, items.clone(), &refused).await {
                Ok(_) => break,
                Err(e) => {
                    tracing::error!(error = %e, "storing device events; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        for p in &batch {
            if let Err(e) = client.ack(p).await {
                tracing::warn!(error = %e, "mqtt ack");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_filters() {
        assert_eq!(host_port("mqtt://127.0.0.1:1883"), Ok(("127.0.0.1".into(), 1883)));
        assert_eq!(host_port("mqtt://broker"), Ok(("broker".into(), 1883)));
        assert!(host_port("mqtt://a:b").is_err());
        assert!(host_port("http://x/y").is_err());
        let f = filters(&Router::default());
        assert!(f.contains(&"frigate/events".to_owned()) && f.contains(&"baove/+/event".to_owned()));
    }
}
