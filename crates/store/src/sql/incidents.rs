//! Incidents at units: recording and listing them within the caller's scope.

use baove_core::access::{Action, Denied, Principal, Role};
use baove_core::incident::{Cause, Incident, IncidentKind, IncidentStatus, Modus, Outcome};
use baove_core::registry::UnitKind;
use baove_core::{IncidentId, SiteId, UnitId, ZoneId};

use baove_core::access::Org;
use baove_core::alarm::incident::{FlowError, IncidentFlow, Move, StatusChange};
use baove_core::alarm::lifecycle::AlarmId;
use baove_core::validate::{Invalid, Problem};
use uuid::Uuid;

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, ts};
use super::scope::{require_unit, visible_units};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::incidents::{IncidentCase, IncidentChange, NewPhoto, Step};
use crate::store::{Actor, IncidentFilter, UnitBrief};

const COLUMNS: &str = "i.id, i.unit_id, i.site_id, i.kind, i.status, i.occurred_at, i.reported_at, i.summary, i.losses,
    i.modus, i.zone_id, i.suspect_person, i.suspect_vehicle, i.plate, i.reporter, i.outcome, i.causes, i.seq";

/// Codes stored comma-separated, read back in their enum's order, unknown ones dropped.
fn codes<T: Copy + PartialEq>(raw: &str, all: &[T], parse: fn(&str) -> Option<T>) -> Vec<T> {
    let found: Vec<T> = raw.split(',').filter_map(parse).collect();
    all.iter().copied().filter(|x| found.contains(x)).collect()
}

fn incident(r: &Row) -> Result<Incident> {
    let modus = r.text("modus")?;
    Ok(Incident {
        id: IncidentId(r.uuid("id")?),
        unit_id: UnitId(r.uuid("unit_id")?),
        site_id: r.opt_uuid("site_id")?.map(SiteId),
        kind: code(r, "kind", IncidentKind::from_code)?,
        status: code(r, "status", IncidentStatus::from_code)?,
        occurred_at: ts(r, "occurred_at")?,
        reported_at: ts(r, "reported_at")?,
        summary: r.text("summary")?,
        losses: r.text("losses")?,
        modus: codes(&modus, Modus::ALL, Modus::from_code),
        zone_id: r.opt_uuid("zone_id")?.map(ZoneId),
        suspect_person: r.text("suspect_person")?,
        suspect_vehicle: r.text("suspect_vehicle")?,
        plate: Some(r.text("plate")?).filter(|p| !p.is_empty()),
        reporter: r.text("reporter")?,
        outcome: Outcome::from_code(&r.text("outcome")?),
        causes: codes(&r.text("causes")?, Cause::ALL, Cause::from_code),
    })
}

/// Whether only the principal's own reports are theirs to see (the unit's guards, gate and
/// staff report incidents but do not read the unit's incident record).
fn own_reports_only(p: &Principal) -> bool {
    matches!(p.role, Role::Guard | Role::Gate | Role::Staff)
}

async fn next_seq(tx: &mut dyn Tx) -> Result<i64> {
    one(tx, "select coalesce(max(seq), 0) + 1 as next from incidents", &[]).await?.int("next")
}

fn list_codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|x| code(*x)).collect::<Vec<_>>().join(",")
}

/// Loads the case; `None` when the id is unknown.
async fn load(tx: &mut dyn Tx, id: IncidentId) -> Result<Option<IncidentCase>> {
    let Some(r) = opt(
        tx,
        &format!(
            "select {COLUMNS}, u.name as unit_name, u.kind as unit_kind, u.key_target
             from incidents i join units u on u.id = i.unit_id where i.id = $1"
        ),
        &[id.0.into()],
    )
    .await?
    else {
        return Ok(None);
    };
    let (incident, unit) = with_unit(&r)?;
    let steps = tx
        .fetch(
            "select at, actor_name, from_status, to_status, note from incident_steps where incident_id = $1 order by at, id",
            &[id.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            let change = match (
                IncidentStatus::from_code(&r.text("from_status")?),
                IncidentStatus::from_code(&r.text("to_status")?),
            ) {
                (Some(from), Some(to)) => Some((from, to)),
                _ => None,
            };
            Ok(Step { at: ts(r, "at")?, by: r.text("actor_name")?, change, note: r.text("note")? })
        })
        .collect::<Result<Vec<_>>>()?;
    let photos = tx
        .fetch("select id from incident_photos where incident_id = $1 order by created_at, id", &[id.0.into()])
        .await?
        .iter()
        .map(|r| r.uuid("id"))
        .collect::<Result<Vec<_>>>()?;
    let alarms = tx
        .fetch("select id from alarms where incident_id = $1 order by first_at", &[id.0.into()])
        .await?
        .iter()
        .map(|r| r.uuid("id").map(AlarmId))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(IncidentCase { seq: r.int("seq")?, incident, unit, steps, photos, alarms }))
}

/// The case if `p` may read it: the police of its area and the unit's officers, or whoever
/// reported it. Anyone else: not found.
async fn readable(tx: &mut dyn Tx, p: &Principal, id: IncidentId) -> Result<IncidentCase> {
    may_read(tx, p, id).await?;
    load(tx, id).await?.ok_or(StoreError::NotFound)
}

/// Whether `p` may read the incident (see [`readable`]), from its unit and reporter alone.
async fn may_read(tx: &mut dyn Tx, p: &Principal, id: IncidentId) -> Result<()> {
    let r = one(tx, "select unit_id, created_by from incidents where id = $1", &[id.0.into()]).await?;
    let unit = UnitId(r.uuid("unit_id")?);
    if r.uuid("created_by")? == p.account_id.0 && p.org == Org::Unit(unit) {
        return Ok(());
    }
    require_unit(tx, p, Action::ViewIncidents, unit)
        .await
        .map(|_| ())
        .map_err(|e| if own_reports_only(p) { StoreError::NotFound } else { e })
}

async fn insert(tx: &mut dyn Tx, actor: &Actor, i: &Incident, seq: i64) -> Result<()> {
    tx.execute(
        "insert into incidents (id, unit_id, site_id, kind, status, occurred_at, reported_at, summary, losses, modus,
             created_by, zone_id, suspect_person, suspect_vehicle, plate, reporter, outcome, causes, seq)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        &[
            i.id.0.into(),
            i.unit_id.0.into(),
            i.site_id.map(|s| s.0).into(),
            i.kind.code().into(),
            i.status.code().into(),
            at(i.occurred_at),
            at(i.reported_at),
            i.summary.as_str().into(),
            i.losses.as_str().into(),
            list_codes(&i.modus, Modus::code).into(),
            actor.principal.account_id.0.into(),
            i.zone_id.map(|z| z.0).into(),
            i.suspect_person.as_str().into(),
            i.suspect_vehicle.as_str().into(),
            i.plate.clone().unwrap_or_default().into(),
            i.reporter.as_str().into(),
            i.outcome.map_or("", |o| o.code()).into(),
            list_codes(&i.causes, Cause::code).into(),
            seq.into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn report(d: &dyn Driver, actor: &Actor, i: &Incident, photos: &[NewPhoto]) -> Result<(IncidentCase, bool)> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::ReportIncident, i.unit_id).await?;
    if let Some(existing) = load(tx.as_mut(), i.id).await? {
        tx.commit().await?;
        if existing.incident.unit_id != i.unit_id {
            return Err(StoreError::NotFound);
        }
        return Ok((existing, false));
    }
    if let Some(site) = i.site_id {
        let row = one(tx.as_mut(), "select unit_id from sites where id = $1", &[site.0.into()]).await?;
        if UnitId(row.uuid("unit_id")?) != i.unit_id {
            return Err(Invalid::one("site_id", Problem::WrongParent).into());
        }
    }
    if let Some(zone) = i.zone_id {
        let row = opt(tx.as_mut(), "select site_id from zones where id = $1", &[zone.0.into()]).await?;
        let site = row.map(|r| r.uuid("site_id")).transpose()?;
        if site.is_none() || site != i.site_id.map(|s| s.0) {
            return Err(Invalid::one("zone_id", Problem::WrongParent).into());
        }
    }
    let seq = next_seq(tx.as_mut()).await?;
    insert(tx.as_mut(), actor, i, seq).await?;
    for photo in photos {
        tx.execute(
            "insert into incident_photos (id, incident_id, content_type, data, created_at) values ($1, $2, $3, $4, $5)",
            &[
                photo.id.into(),
                i.id.0.into(),
                photo.content_type.as_str().into(),
                Value::Bytes(photo.data.clone()),
                at(actor.at),
            ],
        )
        .await?;
    }
    let created = load(tx.as_mut(), i.id).await?.ok_or(StoreError::NotFound)?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "incident.create",
            entity: "incident",
            entity_id: i.id.to_string(),
            unit_id: Some(i.unit_id),
            before: None,
            after: Some(json(&created.incident)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((created, true))
}

/// The demo's and tests' way in: a report without photos.
pub async fn create(d: &dyn Driver, actor: &Actor, i: &Incident) -> Result<Incident> {
    Ok(report(d, actor, i, &[]).await?.0.incident)
}

pub async fn case(d: &dyn Driver, p: &Principal, id: IncidentId) -> Result<IncidentCase> {
    let mut tx = d.begin(false).await?;
    let case = readable(tx.as_mut(), p, id).await?;
    tx.commit().await?;
    Ok(case)
}

pub async fn photo(d: &dyn Driver, p: &Principal, id: IncidentId, photo: Uuid) -> Result<(String, Vec<u8>)> {
    let mut tx = d.begin(false).await?;
    may_read(tx.as_mut(), p, id).await?;
    let r = one(
        tx.as_mut(),
        "select content_type, data from incident_photos where id = $1 and incident_id = $2",
        &[photo.into(), id.0.into()],
    )
    .await?;
    tx.commit().await?;
    Ok((r.text("content_type")?, r.bytes("data")?))
}

async fn add_step(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: IncidentId,
    change: Option<(IncidentStatus, IncidentStatus)>,
    note: &str,
) -> Result<()> {
    tx.execute(
        "insert into incident_steps (id, incident_id, at, actor_id, actor_name, from_status, to_status, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            Uuid::now_v7().into(),
            id.0.into(),
            at(actor.at),
            actor.principal.account_id.0.into(),
            actor.principal.display_name.as_str().into(),
            change.map_or("", |c| c.0.code()).into(),
            change.map_or("", |c| c.1.code()).into(),
            note.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Records the change in the audit chain and returns the case as it now stands.
async fn finish(tx: &mut dyn Tx, actor: &Actor, before: &IncidentCase, action: &'static str) -> Result<IncidentCase> {
    let after = load(tx, before.incident.id).await?.ok_or(StoreError::NotFound)?;
    append(
        tx,
        actor,
        Change {
            action,
            entity: "incident",
            entity_id: before.incident.id.to_string(),
            unit_id: Some(before.incident.unit_id),
            before: Some(json(&before.incident)),
            after: Some(json(&serde_json::json!({ "incident": after.incident, "step": after.steps.last() }))),
        },
    )
    .await?;
    Ok(after)
}

pub async fn move_to(
    d: &dyn Driver,
    actor: &Actor,
    id: IncidentId,
    mv: &Move,
    causes: &[Cause],
) -> Result<IncidentCase> {
    let mut tx = d.begin(true).await?;
    let before = readable(tx.as_mut(), &actor.principal, id).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::HandleIncident, before.incident.unit_id).await?;
    let mut flow = IncidentFlow {
        status: before.incident.status,
        reported_at: before.incident.reported_at,
        history: before
            .steps
            .iter()
            .filter_map(|s| {
                s.change.map(|(from, to)| StatusChange { from, to, at: s.at, by: s.by.clone(), note: s.note.clone() })
            })
            .collect(),
        outcome: before.incident.outcome,
    };
    let mut mv = mv.clone();
    mv.by = actor.principal.display_name.clone();
    flow.apply(mv.clone()).map_err(|e| StoreError::Invalid(flow_problem(&e)))?;
    let closing = mv.to == IncidentStatus::Closed;
    let causes =
        if closing { list_codes(causes, Cause::code) } else { list_codes(&before.incident.causes, Cause::code) };
    let seq = next_seq(tx.as_mut()).await?;
    tx.execute(
        "update incidents set status = $1, outcome = $2, causes = $3, seq = $4 where id = $5",
        &[mv.to.code().into(), flow.outcome.map_or("", |o| o.code()).into(), causes.into(), seq.into(), id.0.into()],
    )
    .await?;
    let note = baove_core::text::nfc(mv.note.trim());
    add_step(tx.as_mut(), actor, id, Some((before.incident.status, mv.to)), &note).await?;
    let after = finish(tx.as_mut(), actor, &before, "incident.move").await?;
    tx.commit().await?;
    Ok(after)
}

/// A workflow refusal as the field it concerns.
fn flow_problem(e: &FlowError) -> Invalid {
    match e {
        FlowError::IllegalMove { .. } => Invalid::one("next_status", Problem::NotAnOption),
        FlowError::OutcomeRequired => Invalid::one("outcome", Problem::Required),
        FlowError::OutcomeNotAllowed | FlowError::MustBeUnfounded => Invalid::one("outcome", Problem::NotAnOption),
        FlowError::NoteRequired { .. } => Invalid::one("note", Problem::Required),
        FlowError::MissingName => Invalid::one("by", Problem::Required),
        FlowError::BeforePrevious { .. } => Invalid::one("at", Problem::DateOrder),
    }
}

pub async fn note(d: &dyn Driver, actor: &Actor, id: IncidentId, text: &str) -> Result<IncidentCase> {
    let mut c = baove_core::validate::Checker::new();
    let text = c.opt_text("note", text, 4000);
    if text.is_empty() {
        c.fail("note", Problem::Required);
    }
    c.finish(())?;
    let mut tx = d.begin(true).await?;
    let before = readable(tx.as_mut(), &actor.principal, id).await?;
    let seq = next_seq(tx.as_mut()).await?;
    tx.execute("update incidents set seq = $1 where id = $2", &[seq.into(), id.0.into()]).await?;
    add_step(tx.as_mut(), actor, id, None, &text).await?;
    let after = finish(tx.as_mut(), actor, &before, "incident.note").await?;
    tx.commit().await?;
    Ok(after)
}

fn with_unit(r: &Row) -> Result<(Incident, UnitBrief)> {
    let i = incident(r)?;
    let brief = UnitBrief {
        id: i.unit_id,
        name: r.text("unit_name")?,
        kind: code(r, "unit_kind", UnitKind::from_code)?,
        key_target: r.bool("key_target")?,
    };
    Ok((i, brief))
}

/// The scope filter of incident lists: the visible units, and for the unit's guards, gate
/// and staff only their own reports. Arguments start at `$1`.
fn scope_filter(p: &Principal) -> (String, String, Vec<Value>) {
    let (with, mut cond, mut args) = visible_units(p, 1);
    if own_reports_only(p) {
        args.push(p.account_id.0.into());
        cond = format!("{cond} and i.created_by = ${}", args.len());
    }
    (with, cond, args)
}

pub async fn after(d: &dyn Driver, p: &Principal, after_seq: i64, limit: u32) -> Result<Vec<IncidentChange>> {
    let (with, cond, mut args) = scope_filter(p);
    args.push(after_seq.into());
    let n = args.len();
    args.push(i64::from(limit.min(1000)).into());
    let sql = format!(
        "{with}select {COLUMNS}, u.name as unit_name, u.kind as unit_kind, u.key_target
         from incidents i join units u on u.id = i.unit_id where {cond} and i.seq > ${n} order by i.seq limit ${}",
        args.len()
    );
    d.fetch(&sql, &args)
        .await?
        .iter()
        .map(|r| {
            let (incident, unit) = with_unit(r)?;
            Ok(IncidentChange { seq: r.int("seq")?, incident, unit })
        })
        .collect()
}

pub async fn latest_seq(d: &dyn Driver, p: &Principal) -> Result<i64> {
    let (with, cond, args) = scope_filter(p);
    let sql = format!(
        "{with}select coalesce(max(i.seq), 0) as n from incidents i join units u on u.id = i.unit_id where {cond}"
    );
    d.fetch(&sql, &args).await?.first().map_or(Ok(0), |r| r.int("n"))
}

pub async fn open_at(
    d: &dyn Driver,
    p: &Principal,
    site: SiteId,
    zone: ZoneId,
    since: jiff::Timestamp,
) -> Result<Option<IncidentId>> {
    let (with, cond, mut args) = visible_units(p, 1);
    args.extend([site.0.into(), zone.0.into(), at(since)]);
    let n = args.len();
    let sql = format!(
        "{with}select i.id from incidents i join units u on u.id = i.unit_id
         where {cond} and i.site_id = ${} and i.zone_id = ${} and i.reported_at >= ${n}
           and i.status not in ('handled', 'closed')
         order by i.reported_at desc limit 1",
        n - 2,
        n - 1
    );
    d.fetch(&sql, &args).await?.first().map(|r| r.uuid("id").map(IncidentId)).transpose()
}

pub async fn list(d: &dyn Driver, p: &Principal, f: &IncidentFilter) -> Result<Vec<(Incident, UnitBrief)>> {
    let (with, cond, mut args) = scope_filter(p);
    let mut sql = format!(
        "{with}select {COLUMNS}, u.name as unit_name, u.kind as unit_kind, u.key_target from incidents i join units u on u.id = i.unit_id where {cond}"
    );
    if let Some(unit) = f.unit_id {
        args.push(unit.0.into());
        sql.push_str(&format!(" and i.unit_id = ${}", args.len()));
    }
    if let Some(since) = f.since {
        args.push(at(since));
        sql.push_str(&format!(" and i.occurred_at >= ${}", args.len()));
    }
    args.push(i64::from(f.limit.unwrap_or(500).min(5000)).into());
    sql.push_str(&format!(" order by i.occurred_at desc limit ${}", args.len()));
    let rows = d.fetch(&sql, &args).await?;
    rows.iter().map(with_unit).collect()
}

/// Incidents since `since` counted by the type of premises, over the whole scope (not a page).
pub async fn tally(d: &dyn Driver, p: &Principal, since: jiff::Timestamp) -> Result<Vec<(UnitKind, i64)>> {
    if matches!(p.role, Role::Guard | Role::Gate | Role::Staff) {
        return Err(Denied::Forbidden.into());
    }
    let (with, cond, mut args) = visible_units(p, 1);
    args.push(at(since));
    let sql = format!(
        "{with}select u.kind, count(*) as n from incidents i join units u on u.id = i.unit_id where {cond} and i.occurred_at >= ${} group by u.kind",
        args.len()
    );
    d.fetch(&sql, &args).await?.iter().map(|r| Ok((code(r, "kind", UnitKind::from_code)?, r.int("n")?))).collect()
}
