//! Notification channels and deliveries.

use baove_core::access::{Action, Org, Principal};
use baove_core::notify::{ChannelInput, ChannelKind, DeliveryStatus, NotifyTopic};
use baove_core::{AuthorityId, UnitId};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::{authority_chain, require_authority, require_unit};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::notify::{Channel, Delivery, Due, DueBatch, NotifyEvent};
use crate::store::Actor;

const CHANNEL: &str = "select id, unit_id, authority_id, kind, target, secret, topics from notify_channels";

fn channel(r: &Row) -> Result<Channel> {
    let topics = r.text("topics")?;
    Ok(Channel {
        id: r.uuid("id")?,
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        authority_id: r.opt_uuid("authority_id")?.map(AuthorityId),
        kind: code(r, "kind", ChannelKind::from_code)?,
        target: r.text("target")?,
        topics: topics.split(',').filter_map(NotifyTopic::from_code).collect(),
        secret: r.text("secret")?,
    })
}

/// Asks whether `p` manages the notifications of `org`.
async fn require_org(tx: &mut dyn Tx, p: &Principal, org: Org) -> Result<()> {
    match org {
        Org::Unit(u) => require_unit(tx, p, Action::ManageNotifications, u).await.map(|_| ()),
        Org::Authority(a) => require_authority(tx, p, Action::ManageNotifications, Some(a)).await,
        Org::System => Err(StoreError::NotFound),
    }
}

fn org_filter(org: Org) -> (&'static str, Value) {
    match org {
        Org::Unit(u) => ("unit_id", u.0.into()),
        Org::Authority(a) => ("authority_id", a.0.into()),
        Org::System => ("id", Uuid::nil().into()),
    }
}

pub async fn add_channel(
    d: &dyn Driver,
    actor: &Actor,
    org: Org,
    input: &ChannelInput,
    secret: &str,
) -> Result<Channel> {
    let mut tx = d.begin(true).await?;
    require_org(tx.as_mut(), &actor.principal, org).await?;
    let id = Uuid::now_v7();
    let (unit, authority) = match org {
        Org::Unit(u) => (Some(u.0), None),
        Org::Authority(a) => (None, Some(a.0)),
        Org::System => (None, None),
    };
    let topics = input.topics.iter().map(|t| t.code()).collect::<Vec<_>>().join(",");
    tx.execute(
        "insert into notify_channels (id, unit_id, authority_id, kind, target, secret, topics, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            id.into(),
            unit.into(),
            authority.into(),
            input.kind.code().into(),
            input.target.as_str().into(),
            secret.into(),
            topics.into(),
            actor.principal.account_id.0.into(),
            at(actor.at),
        ],
    )
    .await?;
    let created = channel(&one(tx.as_mut(), &format!("{CHANNEL} where id = $1"), &[id.into()]).await?)?;
    let shown = serde_json::json!({ "kind": created.kind, "target": created.target, "topics": created.topics });
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "notify.channel.add",
            entity: "notify_channel",
            entity_id: id.to_string(),
            unit_id: created.unit_id,
            before: None,
            after: Some(json(&shown)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn remove_channel(d: &dyn Driver, actor: &Actor, id: Uuid) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let c = channel(
        &opt(tx.as_mut(), &format!("{CHANNEL} where id = $1"), &[id.into()]).await?.ok_or(StoreError::NotFound)?,
    )?;
    let org = match (c.unit_id, c.authority_id) {
        (Some(u), _) => Org::Unit(u),
        (None, Some(a)) => Org::Authority(a),
        _ => Org::System,
    };
    require_org(tx.as_mut(), &actor.principal, org).await?;
    tx.execute("delete from notify_deliveries where channel_id = $1", &[id.into()]).await?;
    tx.execute("delete from notify_channels where id = $1", &[id.into()]).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "notify.channel.remove",
            entity: "notify_channel",
            entity_id: id.to_string(),
            unit_id: c.unit_id,
            before: Some(json(&serde_json::json!({ "kind": c.kind, "target": c.target }))),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn channels(d: &dyn Driver, p: &Principal, org: Org) -> Result<Vec<Channel>> {
    let mut tx = d.begin(false).await?;
    require_org(tx.as_mut(), p, org).await?;
    let (col, v) = org_filter(org);
    let rows = tx.fetch(&format!("{CHANNEL} where {col} = $1 order by created_at"), &[v]).await?;
    tx.commit().await?;
    rows.iter().map(channel).collect()
}

pub async fn deliveries(d: &dyn Driver, p: &Principal, org: Org, limit: u32) -> Result<Vec<Delivery>> {
    let mut tx = d.begin(false).await?;
    require_org(tx.as_mut(), p, org).await?;
    let (col, v) = org_filter(org);
    let rows = tx
        .fetch(
            &format!(
                "select d.id, d.channel_id, d.subject, d.status, d.attempts, d.last_error, d.created_at, d.sent_at
                 from notify_deliveries d join notify_channels c on c.id = d.channel_id
                 where c.{col} = $1 order by d.created_at desc, d.id desc limit $2"
            ),
            &[v, i64::from(limit.min(500)).into()],
        )
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(Delivery {
                id: r.uuid("id")?,
                channel_id: r.uuid("channel_id")?,
                subject: r.text("subject")?,
                status: code(r, "status", DeliveryStatus::from_code)?,
                attempts: r.int("attempts")?,
                last_error: r.text("last_error")?,
                created_at: ts(r, "created_at")?,
                sent_at: r.opt_int("sent_at")?.map(baove_core::time::from_micros),
            })
        })
        .collect()
}

pub async fn enqueue(d: &dyn Driver, now: Timestamp, e: &NotifyEvent) -> Result<usize> {
    let mut tx = d.begin(true).await?;
    let unit = one(tx.as_mut(), "select authority_id from units where id = $1", &[e.unit_id.0.into()]).await?;
    let chain = authority_chain(tx.as_mut(), AuthorityId(unit.uuid("authority_id")?)).await?;
    let mut args: Vec<Value> = vec![e.unit_id.0.into(), format!("%,{},%", e.topic.code()).into()];
    let marks: Vec<String> = chain
        .iter()
        .map(|a| {
            args.push(a.0.into());
            format!("${}", args.len())
        })
        .collect();
    let sql = format!(
        "select id from notify_channels where (',' || topics || ',') like $2 and (unit_id = $1 or authority_id in ({}))",
        marks.join(", ")
    );
    let targets = tx.fetch(&sql, &args).await?;
    let mut queued = 0;
    for t in &targets {
        let n = tx
            .execute(
                "insert into notify_deliveries (id, channel_id, event_key, subject, body, status, attempts, next_at, created_at)
                 values ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) on conflict (channel_id, event_key) do nothing",
                &[
                    Uuid::now_v7().into(),
                    t.uuid("id")?.into(),
                    e.key.as_str().into(),
                    e.subject.as_str().into(),
                    e.body.as_str().into(),
                    at(now),
                ],
            )
            .await?;
        queued += usize::try_from(n).unwrap_or(0);
    }
    tx.commit().await?;
    Ok(queued)
}

pub async fn due(d: &dyn Driver, now: Timestamp, limit: u32) -> Result<Vec<DueBatch>> {
    let rows = d
        .fetch(
            "select id, channel_id, subject, body, attempts from notify_deliveries
             where status = 'pending' and next_at <= $1 order by created_at, id limit $2",
            &[at(now), i64::from(limit.min(1000)).into()],
        )
        .await?;
    let mut out: Vec<DueBatch> = Vec::new();
    for r in &rows {
        let channel_id = r.uuid("channel_id")?;
        let item =
            Due { id: r.uuid("id")?, subject: r.text("subject")?, body: r.text("body")?, attempts: r.int("attempts")? };
        if let Some(b) = out.iter_mut().find(|b| b.channel.id == channel_id) {
            b.due.push(item);
            continue;
        }
        let c = channel(&d.fetch(&format!("{CHANNEL} where id = $1"), &[channel_id.into()]).await?.remove(0))?;
        let sent = d
            .fetch(
                "select count(*) as n from notify_deliveries where channel_id = $1 and status = 'sent' and sent_at >= $2",
                &[channel_id.into(), at(now - SignedDuration::from_mins(1))],
            )
            .await?;
        let sent_last_minute = usize::try_from(sent.first().map_or(Ok(0), |r| r.int("n"))?).unwrap_or(0);
        out.push(DueBatch { channel: c, due: vec![item], sent_last_minute });
    }
    Ok(out)
}

pub async fn settle(
    d: &dyn Driver,
    id: Uuid,
    status: DeliveryStatus,
    error: &str,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let done = matches!(status, DeliveryStatus::Sent | DeliveryStatus::Digested);
    let (status, next) = match retry_at {
        Some(t) if status == DeliveryStatus::Pending => (DeliveryStatus::Pending, t),
        _ => (status, now),
    };
    let tried = i64::from(!matches!(status, DeliveryStatus::Digested));
    tx.execute(
        "update notify_deliveries set status = $1, attempts = attempts + $2, last_error = $3, next_at = $4, sent_at = $5
         where id = $6",
        &[
            status.code().into(),
            tried.into(),
            error.chars().take(500).collect::<String>().into(),
            at(next),
            if done { at(now) } else { Value::Null },
            id.into(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
