//! Device alarms: bindings of device addresses to zones, webhook tokens, the device events
//! (inserted once per idempotency key with `on conflict do nothing`), alarms numbered in one
//! stream like alerts (every change takes the next number, so a console replays what changed),
//! zone arming and the counters of refused messages.

use async_trait::async_trait;
use baove_core::access::{Action, Org, Principal, decide, sees_details};
use baove_core::alarm::arming::{ManualArming, ZoneArming};
use baove_core::alarm::lifecycle::{Alarm, AlarmId, AlarmState};
use baove_core::alarm::mapping::AddressFilter;
use baove_core::alarm::sop::Sop;
use baove_core::patrol::escalation::Tier;
use baove_core::validate::{Invalid, Problem};
use baove_core::{DeviceId, IncidentId, SiteId, UnitId, ZoneId};
use jiff::Timestamp;
use uuid::Uuid;

use super::SqlStore;
use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::{require_unit, visible_units};
use crate::alarms::{
    AckInput, AlarmStore, AlarmWrite, BindingInput, DeviceBinding, EventRecord, IngestCounter, IngestResult,
    RefusedCount, StoredAlarm, WebhookDevice, ZoneSetup,
};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::store::Actor;

const ALARM: &str = "select a.seq, a.unit_id, a.tier, a.incident_id, a.body from alarms a";
const BINDING: &str =
    "select b.id, b.unit_id, b.site_id, b.zone_id, b.device_id, b.filter, b.zone_hint from device_bindings b";
/// Most events or alarms in one ingest batch.
pub const MAX_BATCH: usize = 1000;

fn system_only(p: &Principal) -> Result<()> {
    if p.org == Org::System { Ok(()) } else { Err(StoreError::NotFound) }
}

fn alarm_row(r: &Row) -> Result<StoredAlarm> {
    let alarm: Alarm = serde_json::from_str(&r.text("body")?)
        .map_err(|e| StoreError::Other(format!("column body: bad alarm: {e}")))?;
    Ok(StoredAlarm {
        seq: r.int("seq")?,
        unit_id: UnitId(r.uuid("unit_id")?),
        tier: code(r, "tier", Tier::from_code)?,
        incident_id: r.opt_uuid("incident_id")?.map(IncidentId),
        alarm,
        withheld: false,
    })
}

fn binding_row(r: &Row) -> Result<DeviceBinding> {
    Ok(DeviceBinding {
        id: r.uuid("id")?,
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: SiteId(r.uuid("site_id")?),
        zone_id: ZoneId(r.uuid("zone_id")?),
        device_id: r.opt_uuid("device_id")?.map(DeviceId),
        filter: r.text("filter")?,
        zone_hint: r.text("zone_hint")?,
    })
}

fn priority_code(a: &Alarm) -> String {
    json(&a.priority).trim_matches('"').to_owned()
}

/// Rows per multi-row statement. Binding `$n` parameters costs SQLite a scan of the
/// statement's parameter names per parameter, so a statement's cost grows with the square of
/// its parameters: 16 rows × 13 columns measured faster than 64 (bench_alarms, 07/12/2026).
const EVENT_ROWS: usize = 16;
const EVENT_COLUMNS: usize = 13;

/// `($1, $2, $3), ($4, $5, $6)` for `rows` rows of `columns` values.
fn row_marks(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let marks: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$1, $2, $3` for an `in (…)` list of `n` values.
fn list_marks(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The values of one `device_events` row, in the column order of the insert.
fn event_values(r: &EventRecord, args: &mut Vec<Value>) {
    let e = &r.event;
    let (unit, site, zone) = match &r.place {
        Some((u, b)) => (Some(u.0), Some(b.site_id.0), Some(b.zone_id.0)),
        None => (None, None, None),
    };
    args.extend([
        Uuid::now_v7().into(),
        EventRecord::key(e).into(),
        unit.into(),
        site.into(),
        zone.into(),
        r.alarm_id.map(|a| a.0).into(),
        e.source.code().into(),
        e.kind.code().into(),
        e.phase.code().into(),
        e.device.as_str().into(),
        e.occurred_at.map_or(Value::Null, at),
        at(e.received_at),
        json(e).into(),
    ]);
}

async fn next_seq(tx: &mut dyn Tx) -> Result<i64> {
    one(tx, "select coalesce(max(seq), 0) + 1 as next from alarms", &[]).await?.int("next")
}

async fn load(tx: &mut dyn Tx, id: AlarmId) -> Result<StoredAlarm> {
    alarm_row(&one(tx, &format!("{ALARM} where a.id = $1"), &[id.0.into()]).await?)
}

/// Inserts or rewrites an alarm from its domain image with the next stream number; the tier
/// and incident link are kept on a rewrite.
async fn upsert(tx: &mut dyn Tx, seq: i64, unit: UnitId, a: &Alarm) -> Result<()> {
    let ack = a.acknowledgement.as_ref();
    let sop = ack.and_then(|k| k.sop.as_ref());
    tx.execute(
        "insert into alarms (id, seq, unit_id, site_id, zone_id, kind, priority, state, triggers, updates, first_at,
                             last_at, tier, disposition, acked_name, acked_at, sop_done, sop_skipped, flagged, body)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         on conflict (id) do update set seq = excluded.seq, priority = excluded.priority, state = excluded.state,
             triggers = excluded.triggers, updates = excluded.updates, last_at = excluded.last_at,
             disposition = excluded.disposition, acked_name = excluded.acked_name, acked_at = excluded.acked_at,
             sop_done = excluded.sop_done, sop_skipped = excluded.sop_skipped, flagged = excluded.flagged,
             body = excluded.body",
        &[
            a.id.0.into(),
            seq.into(),
            unit.0.into(),
            a.site_id.0.into(),
            a.zone_id.0.into(),
            a.kind.code().into(),
            priority_code(a).into(),
            a.state.code().into(),
            i64::from(a.triggers).into(),
            i64::from(a.updates).into(),
            at(a.first_at),
            at(a.last_at),
            Tier::SecurityOfficer.code().into(),
            ack.map_or("", |k| k.disposition.code()).into(),
            ack.map_or("", |k| k.by.as_str()).into(),
            ack.map_or(Value::Null, |k| at(k.at)),
            sop.map(|s| s.done.join(",")).unwrap_or_default().into(),
            sop.map(|s| s.skipped_required.join(",")).unwrap_or_default().into(),
            ack.is_some_and(baove_core::alarm::lifecycle::Acknowledgement::flagged).into(),
            json(a).into(),
        ],
    )
    .await?;
    Ok(())
}

async fn zone_unit(tx: &mut dyn Tx, zone: ZoneId) -> Result<(UnitId, SiteId)> {
    let r = one(tx, "select unit_id, site_id from zones where id = $1", &[zone.0.into()]).await?;
    Ok((UnitId(r.uuid("unit_id")?), SiteId(r.uuid("site_id")?)))
}

fn schedule_of(raw: &str) -> Option<ZoneArming> {
    if raw.is_empty() { None } else { serde_json::from_str(raw).ok() }
}

async fn add_counts(tx: &mut dyn Tx, at_: Timestamp, counts: &[RefusedCount]) -> Result<()> {
    for (source, reason, n, detail) in counts {
        let detail: String = detail.chars().take(200).collect();
        tx.execute(
            "insert into ingest_counters (source, reason, count, last_at, last_detail) values ($1, $2, $3, $4, $5)
             on conflict (source, reason) do update set count = ingest_counters.count + excluded.count,
                 last_at = excluded.last_at, last_detail = excluded.last_detail",
            &[source.as_str().into(), reason.as_str().into(), (*n).into(), at(at_), detail.into()],
        )
        .await?;
    }
    Ok(())
}

#[async_trait]
impl<D: Driver> AlarmStore for SqlStore<D> {
    async fn add_binding(&self, actor: &Actor, input: &BindingInput) -> Result<DeviceBinding> {
        let filter = AddressFilter::parse(&input.filter)
            .map_err(|_| StoreError::Invalid(Invalid::one("filter", Problem::BadCode)))?;
        let hint = baove_core::text::clean_line(&input.zone_hint);
        if hint.chars().count() > 128 {
            return Err(Invalid::one("zone_hint", Problem::TooLong { max: 128 }).into());
        }
        let mut tx = self.driver.begin(true).await?;
        let (unit, site) = zone_unit(tx.as_mut(), input.zone_id).await?;
        require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
        if let Some(device) = input.device_id {
            let r = one(tx.as_mut(), "select unit_id from devices where id = $1", &[device.0.into()]).await?;
            if UnitId(r.uuid("unit_id")?) != unit {
                return Err(Invalid::one("device_id", Problem::WrongParent).into());
            }
        }
        let taken = opt(
            tx.as_mut(),
            "select id from device_bindings where filter = $1 and zone_hint = $2",
            &[filter.as_str().into(), hint.as_str().into()],
        )
        .await?;
        if taken.is_some() {
            return Err(Invalid::one("filter", Problem::Taken).into());
        }
        let id = Uuid::now_v7();
        tx.execute(
            "insert into device_bindings (id, unit_id, site_id, zone_id, device_id, filter, zone_hint, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                id.into(),
                unit.0.into(),
                site.0.into(),
                input.zone_id.0.into(),
                input.device_id.map(|d| d.0).into(),
                filter.as_str().into(),
                hint.as_str().into(),
                at(actor.at),
            ],
        )
        .await?;
        let created = binding_row(&one(tx.as_mut(), &format!("{BINDING} where b.id = $1"), &[id.into()]).await?)?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "device.binding",
                entity: "zone",
                entity_id: input.zone_id.to_string(),
                unit_id: Some(unit),
                before: None,
                after: Some(json(&created)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn list_bindings(&self, p: &Principal, unit: UnitId) -> Result<Vec<DeviceBinding>> {
        let mut tx = self.driver.begin(false).await?;
        require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
        let rows = tx
            .fetch(&format!("{BINDING} where b.unit_id = $1 order by b.filter, b.zone_hint"), &[unit.0.into()])
            .await?;
        tx.commit().await?;
        rows.iter().map(binding_row).collect()
    }

    async fn remove_binding(&self, actor: &Actor, id: Uuid) -> Result<()> {
        let mut tx = self.driver.begin(true).await?;
        let b = binding_row(&one(tx.as_mut(), &format!("{BINDING} where b.id = $1"), &[id.into()]).await?)?;
        require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, b.unit_id).await?;
        tx.execute("delete from device_bindings where id = $1", &[id.into()]).await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "binding.remove",
                entity: "device_binding",
                entity_id: id.to_string(),
                unit_id: Some(b.unit_id),
                before: Some(json(&b)),
                after: None,
            },
        )
        .await?;
        tx.commit().await
    }

    async fn all_bindings(&self, p: &Principal) -> Result<Vec<DeviceBinding>> {
        system_only(p)?;
        self.driver.fetch(&format!("{BINDING} order by b.created_at"), &[]).await?.iter().map(binding_row).collect()
    }

    async fn set_device_token(&self, actor: &Actor, device: DeviceId, token_hash: &str) -> Result<()> {
        let mut tx = self.driver.begin(true).await?;
        let unit = UnitId(
            one(tx.as_mut(), "select unit_id from devices where id = $1", &[device.0.into()]).await?.uuid("unit_id")?,
        );
        require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
        tx.execute("delete from device_tokens where device_id = $1", &[device.0.into()]).await?;
        tx.execute(
            "insert into device_tokens (device_id, unit_id, token_hash, created_at) values ($1, $2, $3, $4)",
            &[device.0.into(), unit.0.into(), token_hash.into(), at(actor.at)],
        )
        .await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "device.token",
                entity: "device",
                entity_id: device.to_string(),
                unit_id: Some(unit),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await
    }

    async fn webhook_device(&self, device: DeviceId, token_hash: &str) -> Result<Option<WebhookDevice>> {
        let rows = self
            .driver
            .fetch(
                "select d.id, d.unit_id, d.site_id, d.zone_id from device_tokens t join devices d on d.id = t.device_id
                 where t.device_id = $1 and t.token_hash = $2 and d.active = $3",
                &[device.0.into(), token_hash.into(), true.into()],
            )
            .await?;
        rows.first()
            .map(|r| {
                Ok(WebhookDevice {
                    device_id: DeviceId(r.uuid("id")?),
                    unit_id: UnitId(r.uuid("unit_id")?),
                    site_id: SiteId(r.uuid("site_id")?),
                    zone_id: r.opt_uuid("zone_id")?.map(ZoneId),
                })
            })
            .transpose()
    }

    async fn seen_events(&self, keys: &[String]) -> Result<Vec<String>> {
        let mut seen = Vec::new();
        for chunk in keys.chunks(100) {
            let marks = list_marks(chunk.len());
            let args: Vec<Value> = chunk.iter().map(Value::from).collect();
            let rows = self
                .driver
                .fetch(&format!("select idem_key from device_events where idem_key in ({marks})"), &args)
                .await?;
            for r in rows {
                seen.push(r.text("idem_key")?);
            }
        }
        Ok(seen)
    }

    async fn record_ingest(
        &self,
        at_: Timestamp,
        events: &[EventRecord],
        alarms: &[AlarmWrite],
        refused: &[RefusedCount],
    ) -> Result<IngestResult> {
        if events.len() > MAX_BATCH || alarms.len() > MAX_BATCH {
            return Err(Invalid::one("batch", Problem::TooLong { max: MAX_BATCH }).into());
        }
        let mut tx = self.driver.begin(true).await?;
        let mut out = IngestResult::default();
        // Many rows per statement: the per-statement round trip, not SQLite, bounds a batch.
        for chunk in events.chunks(EVENT_ROWS) {
            let mut args = Vec::with_capacity(chunk.len() * EVENT_COLUMNS);
            for r in chunk {
                event_values(r, &mut args);
            }
            let sql = format!(
                "insert into device_events (id, idem_key, unit_id, site_id, zone_id, alarm_id, source, kind, phase,
                                            device, occurred_at, received_at, event)
                 values {} on conflict (idem_key) do nothing",
                row_marks(chunk.len(), EVENT_COLUMNS)
            );
            out.inserted += tx.execute(&sql, &args).await?;
        }
        let installation = Actor { principal: Principal::installation("baove"), at: at_ };
        let ids: Vec<Value> = alarms.iter().map(|w| w.alarm.id.0.into()).collect();
        let mut known = std::collections::HashSet::new();
        for chunk in ids.chunks(EVENT_ROWS) {
            let sql = format!("select id from alarms where id in ({})", list_marks(chunk.len()));
            for r in tx.fetch(&sql, chunk).await? {
                known.insert(r.uuid("id")?);
            }
        }
        let mut seq = next_seq(tx.as_mut()).await?;
        for w in alarms {
            upsert(tx.as_mut(), seq, w.unit_id, &w.alarm).await?;
            seq += 1;
            if !known.contains(&w.alarm.id.0) {
                append(
                    tx.as_mut(),
                    &installation,
                    Change {
                        action: "alarm.raise",
                        entity: "alarm",
                        entity_id: w.alarm.id.to_string(),
                        unit_id: Some(w.unit_id),
                        before: None,
                        after: Some(json(&w.alarm)),
                    },
                )
                .await?;
            }
        }
        for chunk in ids.chunks(EVENT_ROWS) {
            let sql = format!("{ALARM} where a.id in ({}) order by a.seq", list_marks(chunk.len()));
            for r in tx.fetch(&sql, chunk).await? {
                out.alarms.push(alarm_row(&r)?);
            }
        }
        add_counts(tx.as_mut(), at_, refused).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn alarms_after(&self, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<StoredAlarm>> {
        let (with, cond, mut args) = visible_units(p, 1);
        args.push(after_seq.into());
        let n = args.len();
        args.push(i64::from(limit.min(1000)).into());
        args.push(p.account_id.0.into());
        let sql = format!(
            "{with}select a.seq, a.unit_id, a.tier, a.incident_id, a.body, u.key_target,
                    (select count(*) from clearances c where c.unit_id = u.id and c.account_id = ${}) as cleared
             from alarms a join units u on u.id = a.unit_id where {cond} and a.seq > ${n} order by a.seq limit ${}",
            n + 2,
            n + 1
        );
        self.driver
            .fetch(&sql, &args)
            .await?
            .iter()
            .map(|r| {
                let a = alarm_row(r)?;
                let sees = sees_details(p, a.unit_id, r.bool("key_target")?, r.int("cleared")? > 0);
                Ok(a.for_reader(sees))
            })
            .collect()
    }

    async fn alarm(&self, p: &Principal, id: AlarmId) -> Result<StoredAlarm> {
        let mut tx = self.driver.begin(false).await?;
        let a = load(tx.as_mut(), id).await?;
        let target = require_unit(tx.as_mut(), p, Action::ViewUnit, a.unit_id).await?;
        tx.commit().await?;
        let sees = decide(p, Action::ViewDetails, &target).is_ok();
        Ok(a.for_reader(sees))
    }

    async fn unclosed_alarms(&self, p: &Principal) -> Result<Vec<StoredAlarm>> {
        system_only(p)?;
        self.driver
            .fetch(&format!("{ALARM} where a.state <> $1 order by a.seq"), &[AlarmState::Closed.code().into()])
            .await?
            .iter()
            .map(alarm_row)
            .collect()
    }

    async fn acknowledge_alarm(&self, actor: &Actor, id: AlarmId, input: &AckInput) -> Result<StoredAlarm> {
        let mut tx = self.driver.begin(true).await?;
        let before = load(tx.as_mut(), id).await?;
        require_unit(tx.as_mut(), &actor.principal, Action::AckAlert, before.unit_id).await?;
        let mut alarm = before.alarm.clone();
        let sop = Sop::default_for(alarm.kind).check(&input.sop_done);
        alarm
            .acknowledge(&actor.principal.display_name, actor.at, input.disposition, &input.note, Some(sop))
            .map_err(|e| StoreError::Conflict(e.to_string()))?;
        let seq = next_seq(tx.as_mut()).await?;
        upsert(tx.as_mut(), seq, before.unit_id, &alarm).await?;
        tx.execute(
            "update alarms set acked_by = $1 where id = $2",
            &[actor.principal.account_id.0.into(), id.0.into()],
        )
        .await?;
        let after = load(tx.as_mut(), id).await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "alarm.ack",
                entity: "alarm",
                entity_id: id.to_string(),
                unit_id: Some(before.unit_id),
                before: Some(json(&before.alarm)),
                after: Some(json(&after.alarm)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn close_alarm(&self, actor: &Actor, id: AlarmId) -> Result<StoredAlarm> {
        let mut tx = self.driver.begin(true).await?;
        let before = load(tx.as_mut(), id).await?;
        require_unit(tx.as_mut(), &actor.principal, Action::AckAlert, before.unit_id).await?;
        let mut alarm = before.alarm.clone();
        alarm.close(actor.at).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let seq = next_seq(tx.as_mut()).await?;
        upsert(tx.as_mut(), seq, before.unit_id, &alarm).await?;
        let after = load(tx.as_mut(), id).await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "alarm.close",
                entity: "alarm",
                entity_id: id.to_string(),
                unit_id: Some(before.unit_id),
                before: Some(json(&before.alarm)),
                after: Some(json(&after.alarm)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn escalate_alarm(&self, p: &Principal, id: AlarmId, tier: Tier) -> Result<Option<StoredAlarm>> {
        system_only(p)?;
        let mut tx = self.driver.begin(true).await?;
        let seq = next_seq(tx.as_mut()).await?;
        let n = tx
            .execute(
                "update alarms set tier = $1, seq = $2 where id = $3 and state = $4",
                &[tier.code().into(), seq.into(), id.0.into(), AlarmState::Open.code().into()],
            )
            .await?;
        let out = if n > 0 { Some(load(tx.as_mut(), id).await?) } else { None };
        tx.commit().await?;
        Ok(out)
    }

    async fn link_alarm_incident(&self, actor: &Actor, id: AlarmId, incident: IncidentId) -> Result<StoredAlarm> {
        let mut tx = self.driver.begin(true).await?;
        let before = load(tx.as_mut(), id).await?;
        require_unit(tx.as_mut(), &actor.principal, Action::AckAlert, before.unit_id).await?;
        let owner = one(tx.as_mut(), "select unit_id from incidents where id = $1", &[incident.0.into()]).await?;
        if UnitId(owner.uuid("unit_id")?) != before.unit_id {
            return Err(StoreError::NotFound);
        }
        let seq = next_seq(tx.as_mut()).await?;
        tx.execute(
            "update alarms set incident_id = $1, seq = $2 where id = $3",
            &[incident.0.into(), seq.into(), id.0.into()],
        )
        .await?;
        let after = load(tx.as_mut(), id).await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "alarm.incident",
                entity: "alarm",
                entity_id: id.to_string(),
                unit_id: Some(before.unit_id),
                before: None,
                after: Some(json(&serde_json::json!({ "incident_id": incident }))),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn zone_setups(&self, p: &Principal, unit: Option<UnitId>) -> Result<Vec<ZoneSetup>> {
        let mut tx = self.driver.begin(false).await?;
        let mut sql = "select z.id, z.unit_id, z.site_id, z.name, z.sensitivity, coalesce(za.schedule, '') as schedule,
                              coalesce(ua.schedule, '') as unit_schedule, coalesce(za.manual_armed, '') as manual_armed,
                              coalesce(za.manual_by, '') as manual_by, za.manual_at
                       from zones z left join zone_arming za on za.zone_id = z.id
                       left join unit_arming ua on ua.unit_id = z.unit_id"
            .to_owned();
        let mut args = Vec::new();
        match unit {
            Some(u) => {
                require_unit(tx.as_mut(), p, Action::ViewDetails, u).await?;
                sql.push_str(" where z.unit_id = $1");
                args.push(u.0.into());
            }
            None => system_only(p)?,
        }
        sql.push_str(" order by z.name");
        let rows = tx.fetch(&sql, &args).await?;
        // The unit's own days off and worked days count for every schedule of the unit.
        let days_sql = if unit.is_some() {
            "select unit_id, day, closed, name, reason from unit_days where unit_id = $1 order by day"
        } else {
            "select unit_id, day, closed, name, reason from unit_days order by day"
        };
        let mut days: std::collections::HashMap<UnitId, Vec<baove_core::calendar::Override>> =
            std::collections::HashMap::new();
        for r in tx.fetch(days_sql, &args).await? {
            days.entry(UnitId(r.uuid("unit_id")?)).or_default().push(super::plans::day_of(&r)?);
        }
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                let unit_id = UnitId(r.uuid("unit_id")?);
                let mut schedule: ZoneArming = schedule_of(&r.text("schedule")?)
                    .or_else(|| schedule_of(&r.text("unit_schedule").unwrap_or_default()))
                    .unwrap_or_default();
                schedule.days_off =
                    baove_core::calendar::Overrides { entries: days.get(&unit_id).cloned().unwrap_or_default() };
                let manual = match r.text("manual_armed")?.as_str() {
                    "" => None,
                    m => Some(ManualArming {
                        armed: m == "armed",
                        by: r.text("manual_by")?,
                        at: baove_core::time::from_micros(r.opt_int("manual_at")?.unwrap_or(0)),
                    }),
                };
                Ok(ZoneSetup {
                    zone_id: ZoneId(r.uuid("id")?),
                    unit_id,
                    site_id: SiteId(r.uuid("site_id")?),
                    name: r.text("name")?,
                    sensitivity: r.int("sensitivity")?,
                    own_schedule: !r.text("schedule")?.is_empty(),
                    schedule,
                    manual,
                })
            })
            .collect()
    }

    async fn set_manual_arming(&self, actor: &Actor, zone: ZoneId, armed: bool) -> Result<()> {
        let mut tx = self.driver.begin(true).await?;
        let (unit, _) = zone_unit(tx.as_mut(), zone).await?;
        require_unit(tx.as_mut(), &actor.principal, Action::AckAlert, unit).await?;
        let state = if armed { "armed" } else { "disarmed" };
        tx.execute(
            "insert into zone_arming (zone_id, unit_id, manual_armed, manual_by, manual_at) values ($1, $2, $3, $4, $5)
             on conflict (zone_id) do update set manual_armed = excluded.manual_armed, manual_by = excluded.manual_by,
                 manual_at = excluded.manual_at",
            &[zone.0.into(), unit.0.into(), state.into(), actor.principal.display_name.as_str().into(), at(actor.at)],
        )
        .await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "zone.arming",
                entity: "zone",
                entity_id: zone.to_string(),
                unit_id: Some(unit),
                before: None,
                after: Some(json(&serde_json::json!({ "armed": armed }))),
            },
        )
        .await?;
        tx.commit().await
    }

    async fn set_arming_schedule(
        &self,
        actor: &Actor,
        unit: UnitId,
        zone: Option<ZoneId>,
        schedule: Option<&ZoneArming>,
    ) -> Result<()> {
        let mut tx = self.driver.begin(true).await?;
        require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
        let text = schedule.map(json).unwrap_or_default();
        match zone {
            Some(z) => {
                if zone_unit(tx.as_mut(), z).await?.0 != unit {
                    return Err(StoreError::NotFound);
                }
                tx.execute(
                    "insert into zone_arming (zone_id, unit_id, schedule) values ($1, $2, $3)
                     on conflict (zone_id) do update set schedule = excluded.schedule",
                    &[z.0.into(), unit.0.into(), text.as_str().into()],
                )
                .await?;
            }
            None => {
                tx.execute("delete from unit_arming where unit_id = $1", &[unit.0.into()]).await?;
                if !text.is_empty() {
                    tx.execute(
                        "insert into unit_arming (unit_id, schedule) values ($1, $2)",
                        &[unit.0.into(), text.as_str().into()],
                    )
                    .await?;
                }
            }
        }
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "unit.arming_schedule",
                entity: if zone.is_some() { "zone" } else { "unit" },
                entity_id: zone.map_or_else(|| unit.to_string(), |z| z.to_string()),
                unit_id: Some(unit),
                before: None,
                after: Some(text),
            },
        )
        .await?;
        tx.commit().await
    }

    async fn unit_arming(&self, p: &Principal, unit: UnitId) -> Result<Option<ZoneArming>> {
        let mut tx = self.driver.begin(false).await?;
        require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
        let row = opt(tx.as_mut(), "select schedule from unit_arming where unit_id = $1", &[unit.0.into()]).await?;
        tx.commit().await?;
        Ok(row.map(|r| r.text("schedule")).transpose()?.and_then(|t| schedule_of(&t)))
    }

    async fn count_ingest(&self, at_: Timestamp, counts: &[RefusedCount]) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut tx = self.driver.begin(true).await?;
        add_counts(tx.as_mut(), at_, counts).await?;
        tx.commit().await
    }

    async fn ingest_counters(&self, p: &Principal) -> Result<Vec<IngestCounter>> {
        system_only(p)?;
        self.driver
            .fetch(
                "select source, reason, count, last_at, last_detail from ingest_counters order by source, reason",
                &[],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(IngestCounter {
                    source: r.text("source")?,
                    reason: r.text("reason")?,
                    count: r.int("count")?,
                    last_at: ts(r, "last_at")?,
                    last_detail: r.text("last_detail")?,
                })
            })
            .collect()
    }
}
