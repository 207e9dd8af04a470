//! Patrols: tag keys and bindings, QR secrets, rounds and the scans that prove them.

use baove_core::access::{Action, Org, Principal, Role};
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::patrol::scan::{Evidence, Flag, Scan};
use baove_core::registry::Checkpoint;
use baove_core::{AccountId, CheckpointId, GuardId, RoundId, ScanId, SiteId, UnitId};
use jiff::Timestamp;

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::{require_unit, visible_units};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::store::{Actor, ScanOutcome, TagBinding};

async fn checkpoint_unit(tx: &mut dyn Tx, cp: CheckpointId) -> Result<(UnitId, SiteId)> {
    let r = one(tx, "select unit_id, site_id from checkpoints where id = $1", &[cp.0.into()]).await?;
    Ok((UnitId(r.uuid("unit_id")?), SiteId(r.uuid("site_id")?)))
}

fn key_bytes(r: &Row) -> Result<[u8; 32]> {
    match r.values.iter().zip(r.columns.iter()).find(|(_, c)| c.as_str() == "master_key").map(|(v, _)| v) {
        Some(Value::Bytes(b)) => {
            b.as_slice().try_into().map_err(|_| StoreError::Other("master key is not 32 bytes".into()))
        }
        _ => Err(StoreError::Other("no master key".into())),
    }
}

pub async fn unit_master_key(d: &dyn Driver, actor: &Actor, unit: UnitId, fresh: [u8; 32]) -> Result<[u8; 32]> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
    if let Some(r) = opt(tx.as_mut(), "select master_key from unit_keys where unit_id = $1", &[unit.0.into()]).await? {
        return key_bytes(&r);
    }
    tx.execute(
        "insert into unit_keys (unit_id, master_key, created_at) values ($1, $2, $3)",
        &[unit.0.into(), Value::Bytes(fresh.to_vec()), at(actor.at)],
    )
    .await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "unit.tag_key",
            entity: "unit",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some("{\"tag_key\":\"created\"}".into()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(fresh)
}

pub async fn bind_tag(d: &dyn Driver, actor: &Actor, cp: CheckpointId, uid: &str) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let (unit, _) = checkpoint_unit(tx.as_mut(), cp).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
    if let Some(other) = opt(tx.as_mut(), "select unit_id from tags where uid = $1", &[uid.into()]).await? {
        // A tag of another unit cannot be taken over.
        if UnitId(other.uuid("unit_id")?) != unit {
            return Err(baove_core::validate::Invalid::one("uid", baove_core::validate::Problem::Taken).into());
        }
        tx.execute("update tags set checkpoint_id = $1 where uid = $2", &[cp.0.into(), uid.into()]).await?;
    } else {
        tx.execute(
            "insert into tags (uid, unit_id, checkpoint_id, last_counter, created_at) values ($1, $2, $3, $4, $5)",
            &[uid.into(), unit.0.into(), cp.0.into(), Value::Null, at(actor.at)],
        )
        .await?;
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "checkpoint.tag",
            entity: "checkpoint",
            entity_id: cp.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some(json(&uid)),
        },
    )
    .await?;
    tx.commit().await
}

pub async fn tag(d: &dyn Driver, uid: &str) -> Result<Option<TagBinding>> {
    let rows = d
        .fetch(
            "select t.uid, t.unit_id, t.checkpoint_id, t.last_counter, k.master_key from tags t join unit_keys k on k.unit_id = t.unit_id where t.uid = $1",
            &[uid.into()],
        )
        .await?;
    let Some(r) = rows.first() else { return Ok(None) };
    Ok(Some(TagBinding {
        uid: r.text("uid")?,
        unit_id: UnitId(r.uuid("unit_id")?),
        checkpoint_id: CheckpointId(r.uuid("checkpoint_id")?),
        last_counter: r.opt_int("last_counter")?.and_then(|c| u32::try_from(c).ok()),
        master_key: key_bytes(r)?,
    }))
}

pub async fn tag_master(d: &dyn Driver, unit: UnitId) -> Result<Option<[u8; 32]>> {
    d.fetch("select master_key from unit_keys where unit_id = $1", &[unit.0.into()])
        .await?
        .first()
        .map(key_bytes)
        .transpose()
}

pub async fn checkpoint_code(d: &dyn Driver, actor: &Actor, cp: CheckpointId, fresh: &str) -> Result<String> {
    let mut tx = d.begin(true).await?;
    let (unit, _) = checkpoint_unit(tx.as_mut(), cp).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, unit).await?;
    if let Some(r) =
        opt(tx.as_mut(), "select secret from checkpoint_codes where checkpoint_id = $1", &[cp.0.into()]).await?
    {
        return r.text("secret");
    }
    tx.execute(
        "insert into checkpoint_codes (checkpoint_id, unit_id, secret, created_at) values ($1, $2, $3, $4)",
        &[cp.0.into(), unit.0.into(), fresh.into(), at(actor.at)],
    )
    .await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "checkpoint.qr",
            entity: "checkpoint",
            entity_id: cp.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some("{\"qr\":\"created\"}".into()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(fresh.to_owned())
}

pub async fn checkpoint_by_code(d: &dyn Driver, p: &Principal, secret: &str) -> Result<Checkpoint> {
    let mut tx = d.begin(false).await?;
    let r = one(tx.as_mut(), "select checkpoint_id from checkpoint_codes where secret = $1", &[secret.into()]).await?;
    let cp = CheckpointId(r.uuid("checkpoint_id")?);
    tx.commit().await?;
    super::premises::checkpoint(d, p, cp).await
}

const ROUND: &str =
    "select id, unit_id, site_id, name, ordered, window_start, window_end, grace_minutes, guard_id, source from rounds";

fn round_row(r: &Row) -> Result<Round> {
    Ok(Round {
        id: RoundId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: SiteId(r.uuid("site_id")?),
        name: r.text("name")?,
        checkpoints: Vec::new(),
        ordered: r.bool("ordered")?,
        window_start: ts(r, "window_start")?,
        window_end: ts(r, "window_end")?,
        grace_minutes: r.int("grace_minutes")?,
        guard_id: r.opt_uuid("guard_id")?.map(GuardId),
        source: code(r, "source", RoundSource::from_code)?,
    })
}

/// Loads rounds with their checkpoints (one statement for all points).
async fn with_points(tx: &mut dyn Tx, mut rounds: Vec<Round>) -> Result<Vec<Round>> {
    if rounds.is_empty() {
        return Ok(rounds);
    }
    let placeholders: Vec<String> = (1..=rounds.len()).map(|i| format!("${i}")).collect();
    let args: Vec<Value> = rounds.iter().map(|r| r.id.0.into()).collect();
    let points = tx.fetch(&format!("select round_id, position, checkpoint_id from round_points where round_id in ({}) order by round_id, position", placeholders.join(", ")), &args).await?;
    for p in &points {
        let rid = RoundId(p.uuid("round_id")?);
        if let Some(r) = rounds.iter_mut().find(|r| r.id == rid) {
            r.checkpoints.push(CheckpointId(p.uuid("checkpoint_id")?));
        }
    }
    Ok(rounds)
}

pub async fn create_round(d: &dyn Driver, actor: &Actor, r: &Round) -> Result<Round> {
    use baove_core::validate::{Invalid, Problem};
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::EditDetails, r.unit_id).await?;
    if let Some(existing) = opt(tx.as_mut(), &format!("{ROUND} where id = $1"), &[r.id.0.into()]).await? {
        let existing = with_points(tx.as_mut(), vec![round_row(&existing)?]).await?.remove(0);
        return if existing.unit_id == r.unit_id {
            Ok(existing)
        } else {
            Err(Invalid::one("id", Problem::Taken).into())
        };
    }
    let site = one(tx.as_mut(), "select unit_id from sites where id = $1", &[r.site_id.0.into()])
        .await
        .map_err(|_| Invalid::one("site_id", Problem::NotFound))?;
    if UnitId(site.uuid("unit_id")?) != r.unit_id {
        return Err(Invalid::one("site_id", Problem::WrongParent).into());
    }
    if r.checkpoints.is_empty() {
        return Err(Invalid::one("checkpoints", Problem::Required).into());
    }
    if r.window_end <= r.window_start {
        return Err(Invalid::one("window_end", Problem::DateOrder).into());
    }
    for cp in &r.checkpoints {
        let row = opt(
            tx.as_mut(),
            "select site_id from checkpoints where id = $1 and active = $2",
            &[cp.0.into(), true.into()],
        )
        .await?;
        if row.map(|x| x.uuid("site_id")).transpose()? != Some(r.site_id.0) {
            return Err(Invalid::one("checkpoints", Problem::WrongParent).into());
        }
    }
    if let Some(g) = r.guard_id {
        let row = opt(tx.as_mut(), "select unit_id from guards where id = $1", &[g.0.into()]).await?;
        if row.map(|x| x.uuid("unit_id")).transpose()? != Some(r.unit_id.0) {
            return Err(Invalid::one("guard_id", Problem::WrongParent).into());
        }
    }
    insert_round(tx.as_mut(), r, None, actor.at).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "round.create",
            entity: "round",
            entity_id: r.id.to_string(),
            unit_id: Some(r.unit_id),
            before: None,
            after: Some(json(r)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(r.clone())
}

/// Inserts a round and its points (checked by the caller).
pub async fn insert_round(tx: &mut dyn Tx, r: &Round, plan: Option<baove_core::PlanId>, now: Timestamp) -> Result<()> {
    tx.execute(
        "insert into rounds (id, unit_id, site_id, name, ordered, window_start, window_end, grace_minutes, guard_id, source, created_at, plan_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            r.id.0.into(),
            r.unit_id.0.into(),
            r.site_id.0.into(),
            r.name.as_str().into(),
            r.ordered.into(),
            at(r.window_start),
            at(r.window_end),
            r.grace_minutes.into(),
            r.guard_id.map(|g| g.0).into(),
            r.source.code().into(),
            at(now),
            plan.map(|p| p.0).into(),
        ],
    )
    .await?;
    for (i, cp) in r.checkpoints.iter().enumerate() {
        tx.execute(
            "insert into round_points (round_id, position, checkpoint_id) values ($1, $2, $3)",
            &[r.id.0.into(), i64::try_from(i).unwrap_or(i64::MAX).into(), cp.0.into()],
        )
        .await?;
    }
    Ok(())
}

pub async fn round(d: &dyn Driver, p: &Principal, id: RoundId) -> Result<Round> {
    let mut tx = d.begin(false).await?;
    let r = round_row(&one(tx.as_mut(), &format!("{ROUND} where id = $1"), &[id.0.into()]).await?)?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, r.unit_id).await?;
    let r = with_points(tx.as_mut(), vec![r]).await?.remove(0);
    tx.commit().await?;
    Ok(r)
}

pub async fn list_rounds(
    d: &dyn Driver,
    p: &Principal,
    unit: UnitId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Round>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let rows = tx
        .fetch(
            &format!("{ROUND} where unit_id = $1 and window_end >= $2 and window_start <= $3 order by window_start"),
            &[unit.0.into(), at(from), at(to)],
        )
        .await?;
    let rounds = with_points(tx.as_mut(), rows.iter().map(round_row).collect::<Result<_>>()?).await?;
    tx.commit().await?;
    Ok(rounds)
}

/// Rounds of every unit the principal may see the details of. Key targets' rounds are plans:
/// only their own cleared people and holders of a clearance see them. The installation's own
/// timers (the nil account, as system admin) see every round.
pub async fn rounds_in_scope(d: &dyn Driver, p: &Principal, from: Timestamp, to: Timestamp) -> Result<Vec<Round>> {
    let (with, cond, mut args) = visible_units(p, 1);
    let internal = p.is_installation();
    let own_cleared =
        matches!(p.org, Org::Unit(_)) && matches!(p.role, Role::Guard | Role::SecurityOfficer | Role::UnitHead);
    let need_to_know = if internal || own_cleared {
        String::new()
    } else {
        args.push(p.account_id.0.into());
        format!(
            " and (u.key_target = false or exists (select 1 from clearances c where c.unit_id = u.id and c.account_id = ${}))",
            args.len()
        )
    };
    args.extend([at(from), at(to)]);
    let n = args.len();
    let cols = ROUND
        .trim_start_matches("select ")
        .split(" from")
        .next()
        .unwrap_or_default()
        .split(", ")
        .map(|c| format!("r.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "{with}select {cols} from rounds r join units u on u.id = r.unit_id where {cond}{need_to_know}
         and r.window_end + r.grace_minutes * 60000000 >= ${} and r.window_start - r.grace_minutes * 60000000 <= ${n} order by r.window_start",
        n - 1
    );
    let mut tx = d.begin(false).await?;
    let rows = tx.fetch(&sql, &args).await?;
    let rounds = with_points(tx.as_mut(), rows.iter().map(round_row).collect::<Result<_>>()?).await?;
    tx.commit().await?;
    Ok(rounds)
}

const SCAN: &str = "select id, checkpoint_id, round_id, account_id, device_id, evidence, scanned_at, received_at, counter, reason, flags from scans";

fn scan_row(r: &Row) -> Result<Scan> {
    Ok(Scan {
        id: ScanId(r.uuid("id")?),
        checkpoint_id: CheckpointId(r.uuid("checkpoint_id")?),
        round_id: r.opt_uuid("round_id")?.map(RoundId),
        account_id: AccountId(r.uuid("account_id")?),
        device_id: r.text("device_id")?,
        evidence: code(r, "evidence", Evidence::from_code)?,
        scanned_at: ts(r, "scanned_at")?,
        received_at: ts(r, "received_at")?,
        counter: r.opt_int("counter")?.and_then(|c| u32::try_from(c).ok()),
        reason: r.text("reason")?,
        flags: r.text("flags")?.split(',').filter_map(Flag::from_code).collect(),
    })
}

pub async fn record_scan(d: &dyn Driver, actor: &Actor, s: &Scan, tag_uid: Option<&str>) -> Result<ScanOutcome> {
    let mut tx = d.begin(true).await?;
    let (unit, site) = checkpoint_unit(tx.as_mut(), s.checkpoint_id).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::ViewDetails, unit).await?;
    if let Some(r) = opt(tx.as_mut(), &format!("{SCAN} where id = $1"), &[s.id.0.into()]).await? {
        let first = scan_row(&r)?;
        return if first.checkpoint_id == s.checkpoint_id {
            Ok(ScanOutcome::Duplicate(first))
        } else {
            Err(baove_core::validate::Invalid::one("id", baove_core::validate::Problem::Taken).into())
        };
    }
    if let (Some(uid), Some(counter)) = (tag_uid, s.counter) {
        let row = one(
            tx.as_mut(),
            "select last_counter from tags where uid = $1 and checkpoint_id = $2",
            &[uid.into(), s.checkpoint_id.0.into()],
        )
        .await?;
        let last = row.opt_int("last_counter")?.and_then(|c| u32::try_from(c).ok());
        if let Err(baove_core::evidence::sun::SunError::Replayed { last, got }) =
            baove_core::evidence::sun::check_counter(last, counter)
        {
            return Ok(ScanOutcome::Replayed { last, got });
        }
        tx.execute("update tags set last_counter = $1 where uid = $2", &[i64::from(counter).into(), uid.into()])
            .await?;
    }
    let flags = s.flags.iter().map(|f| f.code()).collect::<Vec<_>>().join(",");
    tx.execute(
        "insert into scans (id, unit_id, site_id, checkpoint_id, round_id, account_id, device_id, evidence, scanned_at, received_at, counter, reason, flags)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            s.id.0.into(),
            unit.0.into(),
            site.0.into(),
            s.checkpoint_id.0.into(),
            s.round_id.map(|r| r.0).into(),
            s.account_id.0.into(),
            s.device_id.as_str().into(),
            s.evidence.code().into(),
            at(s.scanned_at),
            at(s.received_at),
            s.counter.map_or(Value::Null, |c| i64::from(c).into()),
            s.reason.as_str().into(),
            flags.into(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(ScanOutcome::Recorded(s.clone()))
}

pub async fn checkpoint_scans(
    d: &dyn Driver,
    p: &Principal,
    cp: CheckpointId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Scan>> {
    let mut tx = d.begin(false).await?;
    let (unit, _) = checkpoint_unit(tx.as_mut(), cp).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let rows = tx
        .fetch(
            &format!("{SCAN} where checkpoint_id = $1 and scanned_at >= $2 and scanned_at <= $3 order by scanned_at"),
            &[cp.0.into(), at(from), at(to)],
        )
        .await?;
    tx.commit().await?;
    rows.iter().map(scan_row).collect()
}

pub async fn list_scans(
    d: &dyn Driver,
    p: &Principal,
    unit: UnitId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Scan>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let rows = tx
        .fetch(
            &format!("{SCAN} where unit_id = $1 and scanned_at >= $2 and scanned_at <= $3 order by scanned_at"),
            &[unit.0.into(), at(from), at(to)],
        )
        .await?;
    tx.commit().await?;
    rows.iter().map(scan_row).collect()
}

pub async fn previous_scan(
    d: &dyn Driver,
    p: &Principal,
    unit: UnitId,
    device: &str,
    before: Timestamp,
) -> Result<Option<Scan>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::ViewDetails, unit).await?;
    let row = opt(
        tx.as_mut(),
        &format!("{SCAN} where unit_id = $1 and device_id = $2 and scanned_at < $3 order by scanned_at desc limit 1"),
        &[unit.0.into(), device.into(), at(before)],
    )
    .await?;
    tx.commit().await?;
    row.map(|r| scan_row(&r)).transpose()
}
