//! The [`NotifyStore`] trait: the channels a unit or a police authority sends its events to,
//! the deliveries queued for them (once per channel and event) and how each went.

use async_trait::async_trait;
use baove_core::access::{Org, Principal};
use baove_core::notify::{ChannelInput, ChannelKind, DeliveryStatus, NotifyTopic};
use baove_core::{AuthorityId, UnitId};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::store::Actor;

/// A channel: whose it is, where it delivers, what it wants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub id: Uuid,
    pub unit_id: Option<UnitId>,
    pub authority_id: Option<AuthorityId>,
    pub kind: ChannelKind,
    pub target: String,
    pub topics: Vec<NotifyTopic>,
    /// The HMAC key of its webhook signatures (shown to its owners, who configure the
    /// receiving end with it).
    pub secret: String,
}

/// A delivery as its owners see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: Uuid,
    pub channel_id: Uuid,
    pub subject: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// Something to tell: keyed so that the same event is queued once per channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyEvent {
    pub key: String,
    pub unit_id: UnitId,
    pub topic: NotifyTopic,
    pub subject: String,
    /// JSON for webhooks; its `text` field is the e-mail body.
    pub body: String,
}

/// A delivery due now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: Uuid,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// A channel's due deliveries (oldest first) and how many messages it sent in the last minute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueBatch {
    pub channel: Channel,
    pub due: Vec<Due>,
    pub sent_last_minute: usize,
}

#[async_trait]
pub trait NotifyStore: Send + Sync {
    /// A channel of the caller's own unit or authority (`org`), with its webhook secret.
    async fn add_channel(&self, actor: &Actor, org: Org, input: &ChannelInput, secret: &str) -> Result<Channel>;
    async fn remove_channel(&self, actor: &Actor, id: Uuid) -> Result<()>;
    async fn channels(&self, p: &Principal, org: Org) -> Result<Vec<Channel>>;
    /// The latest deliveries of `org`'s channels, newest first.
    async fn deliveries(&self, p: &Principal, org: Org, limit: u32) -> Result<Vec<Delivery>>;
    /// Queues the event for every channel that wants its topic: the unit's own, and those of
    /// the police over the unit. Returns how many deliveries were queued (a repeat: none).
    async fn enqueue(&self, at: Timestamp, event: &NotifyEvent) -> Result<usize>;
    /// Deliveries due at `now`, by channel.
    async fn due_deliveries(&self, now: Timestamp, limit: u32) -> Result<Vec<DueBatch>>;
    /// Records how a delivery went: sent or digested, failed for good, or (with `retry_at`)
    /// pending again.
    async fn settle_delivery(
        &self,
        id: Uuid,
        status: DeliveryStatus,
        error: &str,
        retry_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<()>;
}
