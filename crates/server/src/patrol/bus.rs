//! The in-process event bus: committed facts are published here and fanned out to every open
//! console over SSE. A console that misses events (lag, reconnect) replays from the database.

use baove_core::patrol::alert::Alert;
use tokio::sync::broadcast;

/// Something that happened, already committed.
#[derive(Debug, Clone)]
pub enum Event {
    /// A new alert, or an alert that escalated or was acknowledged.
    Alert(Alert),
    /// A device alarm raised or changed (boxed: it carries the whole alarm).
    Alarm(Box<baove_store::StoredAlarm>),
    /// An incident reported, moved or noted.
    Incident(Box<baove_store::IncidentChange>),
}

/// A cheap, cloneable handle to the bus.
#[derive(Clone)]
pub struct Bus {
    tx: broadcast::Sender<Event>,
}

impl Default for Bus {
    fn default() -> Self {
        Self { tx: broadcast::channel(4096).0 }
    }
}

impl Bus {
    /// Publishes a committed event (no listener is fine).
    pub fn publish(&self, e: Event) {
        let _ = self.tx.send(e);
    }

    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}

/// Where a live stream resumes: `?after=` as the page rendered it, or on a browser's
/// reconnect the `Last-Event-ID` it last received (which wins); 0 replays from the start.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
pub struct After {
    #[serde(default)]
    pub after: Option<i64>,
}

impl After {
    #[must_use]
    pub fn resume(self, headers: &axum::http::HeaderMap) -> i64 {
        headers
            .get("last-event-id")
            .and_then(|h| h.to_str().ok())
            .and_then(|v| v.parse().ok())
            .or(self.after)
            .unwrap_or(0)
    }
}
