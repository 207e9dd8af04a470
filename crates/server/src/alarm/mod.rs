//! Device alarms on the server: the ingest pipeline ([`engine`]), the MQTT subscriber
//! ([`mqtt`]), the device webhook ([`webhook`]) and the escalation of alarms nobody answered
//! ([`escalate`], driven by the patrol monitor).

pub mod engine;
pub mod escalate;
pub mod mqtt;
pub mod webhook;

pub use engine::{Engine, Incoming, Refused};
