//! Foreigners (R8): the register of foreign workers, temporary-residence declarations and
//! visits reported to the police. Document numbers are sealed under the unit's visitor data
//! key (see [`super::visitors`]) with the unit and worker ids as associated data; audit images
//! carry ids, kinds and dates, never names or numbers.

use baove_core::access::{Action, Org, Target};
use baove_core::validate::{Invalid, Problem};
use baove_core::visitor::foreigner::{DECLARATION_HOURS, ForeignDocKind, ForeignDocument, declaration_due};
use baove_core::visitor::{ForeignWorker, ForeignWorkerId, Gender, Nationality, Visit, VisitId};
use baove_core::{AuthorityId, UnitId};
use jiff::civil::Date;

use super::audit::{Change, append};
use super::common::{at, code, date, date_value, json, one, opt, opt_date, ts};
use super::scope::{require_unit, visible_units};
use super::visitors::{VISIT, audit_read, data_key, gate_visit, seal, unseal, visit_row};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::gate::{NewPoliceReport, PoliceReport, Reported, StayTask};
use crate::store::Actor;

/// Longest reason of a report to the police, in characters.
pub const MAX_REASON: usize = 500;

fn worker_aad(unit: UnitId, worker: ForeignWorkerId) -> Vec<u8> {
    [unit.0.as_bytes().as_slice(), worker.0.as_bytes().as_slice()].concat()
}

/// What the audit chain keeps of a register entry: no name, no numbers.
fn worker_image(w: &ForeignWorker) -> String {
    let docs: Vec<_> =
        w.documents.iter().map(|d| serde_json::json!({ "kind": d.kind.code(), "expires_on": d.expires_on })).collect();
    json(&serde_json::json!({ "id": w.id, "nationality": w.nationality.code(), "documents": docs }))
}

async fn load_workers(
    tx: &mut dyn Tx,
    unit: UnitId,
    key: &[u8; 32],
    only: Option<ForeignWorkerId>,
) -> Result<Vec<ForeignWorker>> {
    let (sql, args): (&str, Vec<Value>) = match only {
        Some(id) => (
            "select id, full_name, nationality, job from foreign_workers where unit_id = $1 and id = $2",
            vec![unit.0.into(), id.0.into()],
        ),
        None => (
            "select id, full_name, nationality, job from foreign_workers where unit_id = $1 order by full_name, id",
            vec![unit.0.into()],
        ),
    };
    let mut out = Vec::new();
    for r in tx.fetch(sql, &args).await? {
        let id = ForeignWorkerId(r.uuid("id")?);
        let a = worker_aad(unit, id);
        let mut documents = Vec::new();
        let docs = tx
            .fetch(
                "select kind, number_cipher, expires_on from foreign_documents where worker_id = $1 order by position",
                &[id.0.into()],
            )
            .await?;
        for d in &docs {
            documents.push(ForeignDocument {
                kind: code(d, "kind", ForeignDocKind::from_code)?,
                number: unseal(key, &a, &d.bytes("number_cipher")?)?,
                expires_on: date(d, "expires_on")?,
            });
        }
        out.push(ForeignWorker {
            id,
            unit_id: unit,
            full_name: r.text("full_name")?,
            nationality: nationality(&r)?,
            job: r.text("job")?,
            documents,
        });
    }
    Ok(out)
}

fn nationality(r: &Row) -> Result<Nationality> {
    Nationality::parse(&r.text("nationality")?)
        .map_err(|_| StoreError::Other("column nationality: unknown code".into()))
}

pub async fn workers(d: &dyn Driver, actor: &Actor, unit: UnitId) -> Result<Vec<ForeignWorker>> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, unit).await?;
    let key = data_key(tx.as_mut(), unit, actor.at).await?;
    let out = load_workers(tx.as_mut(), unit, &key, None).await?;
    audit_read(tx.as_mut(), actor, unit, serde_json::json!({ "foreign_workers": out.len() })).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn save_worker(d: &dyn Driver, actor: &Actor, w: &ForeignWorker) -> Result<ForeignWorker> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorAdmin, w.unit_id).await?;
    let existing = opt(tx.as_mut(), "select unit_id from foreign_workers where id = $1", &[w.id.0.into()]).await?;
    if existing.as_ref().map(|r| r.uuid("unit_id")).transpose()?.is_some_and(|u| u != w.unit_id.0) {
        return Err(Invalid::one("id", Problem::Taken).into());
    }
    let key = data_key(tx.as_mut(), w.unit_id, actor.at).await?;
    let before = load_workers(tx.as_mut(), w.unit_id, &key, Some(w.id)).await?.pop();
    tx.execute("delete from foreign_documents where worker_id = $1", &[w.id.0.into()]).await?;
    if before.is_some() {
        tx.execute(
            "update foreign_workers set full_name = $1, nationality = $2, job = $3, updated_at = $4 where id = $5",
            &[
                w.full_name.as_str().into(),
                w.nationality.code().into(),
                w.job.as_str().into(),
                at(actor.at),
                w.id.0.into(),
            ],
        )
        .await?;
    } else {
        tx.execute(
            "insert into foreign_workers (id, unit_id, full_name, nationality, job, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $6)",
            &[
                w.id.0.into(),
                w.unit_id.0.into(),
                w.full_name.as_str().into(),
                w.nationality.code().into(),
                w.job.as_str().into(),
                at(actor.at),
            ],
        )
        .await?;
    }
    let a = worker_aad(w.unit_id, w.id);
    for (i, doc) in w.documents.iter().enumerate() {
        tx.execute(
            "insert into foreign_documents (worker_id, position, kind, number_cipher, expires_on) values ($1, $2, $3, $4, $5)",
            &[
                w.id.0.into(),
                i64::try_from(i).unwrap_or(i64::MAX).into(),
                doc.kind.code().into(),
                Value::Bytes(seal(&key, &a, &doc.number)?),
                doc.expires_on.to_string().into(),
            ],
        )
        .await?;
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: if before.is_some() { "foreign_worker.update" } else { "foreign_worker.add" },
            entity: "foreign_worker",
            entity_id: w.id.to_string(),
            unit_id: Some(w.unit_id),
            before: before.as_ref().map(worker_image),
            after: Some(worker_image(w)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(w.clone())
}

pub async fn remove_worker(d: &dyn Driver, actor: &Actor, id: ForeignWorkerId) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let r = one(tx.as_mut(), "select unit_id from foreign_workers where id = $1", &[id.0.into()]).await?;
    let unit = UnitId(r.uuid("unit_id")?);
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorAdmin, unit).await?;
    tx.execute("delete from foreign_documents where worker_id = $1", &[id.0.into()]).await?;
    tx.execute("delete from foreign_workers where id = $1", &[id.0.into()]).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "foreign_worker.remove",
            entity: "foreign_worker",
            entity_id: id.to_string(),
            unit_id: Some(unit),
            before: Some(json(&serde_json::json!({ "id": id }))),
            after: None,
        },
    )
    .await?;
    tx.commit().await
}

/// Opens the declaration of a foreign visitor's overnight stay, within the check-in's
/// transaction (12 hours: remote-area units would need a setting of their own).
pub(super) async fn open_stay(tx: &mut dyn Tx, v: &Visit, traveller: Option<(Date, Option<Gender>)>) -> Result<()> {
    tx.execute(
        "insert into stay_declarations (visit_id, unit_id, arrived_at, due_at, birth_date, gender, declared_at, declared_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            v.id.0.into(),
            v.unit_id.0.into(),
            at(v.checked_in_at),
            at(declaration_due(v.checked_in_at, false)),
            date_value(traveller.map(|t| t.0)),
            traveller.and_then(|t| t.1).map_or(Value::NullText, |g| g.code().into()),
            Value::Null,
            Value::NullUuid,
        ],
    )
    .await?;
    Ok(())
}

const STAY: &str =
    "select s.visit_id, s.arrived_at, s.due_at, s.birth_date, s.gender, s.declared_at from stay_declarations s";

async fn stay_task(tx: &mut dyn Tx, s: &Row, key: &[u8; 32]) -> Result<StayTask> {
    let visit_id = VisitId(s.uuid("visit_id")?);
    let v = visit_row(&one(tx, &format!("{VISIT} where v.id = $1"), &[visit_id.0.into()]).await?, Some(key))?;
    Ok(StayTask {
        visit_id,
        unit_id: v.unit_id,
        name: v.name,
        nationality: v.nationality,
        doc_number: v.doc_number,
        arrived_at: ts(s, "arrived_at")?,
        due_at: ts(s, "due_at")?,
        birth_date: opt_date(s, "birth_date")?,
        gender: Gender::from_code(&s.text("gender")?),
        declared_at: s.opt_int("declared_at")?.map(baove_core::time::from_micros),
    })
}

pub async fn stay_tasks(d: &dyn Driver, actor: &Actor, unit: UnitId) -> Result<Vec<StayTask>> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, unit).await?;
    let key = data_key(tx.as_mut(), unit, actor.at).await?;
    let since = actor.at.checked_sub(jiff::SignedDuration::from_hours(24)).unwrap_or(actor.at);
    let rows = tx
        .fetch(
            &format!("{STAY} where s.unit_id = $1 and (s.declared_at is null or s.declared_at >= $2) order by s.due_at, s.visit_id"),
            &[unit.0.into(), at(since)],
        )
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(stay_task(tx.as_mut(), r, &key).await?);
    }
    if !out.is_empty() {
        audit_read(tx.as_mut(), actor, unit, serde_json::json!({ "stay_tasks": out.len() })).await?;
    }
    tx.commit().await?;
    Ok(out)
}

pub async fn mark_declared(d: &dyn Driver, actor: &Actor, visit: VisitId) -> Result<StayTask> {
    let mut tx = d.begin(true).await?;
    let (v, key) = gate_visit(tx.as_mut(), actor, visit).await?;
    let row = one(tx.as_mut(), &format!("{STAY} where s.visit_id = $1"), &[visit.0.into()]).await?;
    if row.opt_int("declared_at")?.is_none() {
        tx.execute(
            "update stay_declarations set declared_at = $1, declared_by = $2 where visit_id = $3",
            &[at(actor.at), actor.principal.account_id.0.into(), visit.0.into()],
        )
        .await?;
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "stay.declared",
                entity: "visit",
                entity_id: visit.to_string(),
                unit_id: Some(v.unit_id),
                before: None,
                after: Some(json(&serde_json::json!({ "declared_at": actor.at, "hours": DECLARATION_HOURS }))),
            },
        )
        .await?;
    }
    let row = one(tx.as_mut(), &format!("{STAY} where s.visit_id = $1"), &[visit.0.into()]).await?;
    let task = stay_task(tx.as_mut(), &row, &key).await?;
    tx.commit().await?;
    Ok(task)
}

const REPORT: &str = "select r.id, r.unit_id, u.name as unit_name, r.visit_id, r.authority_id, r.reason, r.reported_at,
    r.reporter_name from police_reports r join units u on u.id = r.unit_id";

async fn report_row(tx: &mut dyn Tx, r: &Row, at_now: jiff::Timestamp) -> Result<PoliceReport> {
    let unit = UnitId(r.uuid("unit_id")?);
    let key = data_key(tx, unit, at_now).await?;
    let v = one(tx, &format!("{VISIT} where v.id = $1"), &[r.uuid("visit_id")?.into()]).await?;
    Ok(PoliceReport {
        id: r.uuid("id")?,
        unit_id: unit,
        unit_name: r.text("unit_name")?,
        authority_id: AuthorityId(r.uuid("authority_id")?),
        visit: visit_row(&v, Some(&key))?,
        reason: r.text("reason")?,
        reported_at: ts(r, "reported_at")?,
        reporter_name: r.text("reporter_name")?,
    })
}

pub async fn report(d: &dyn Driver, actor: &Actor, new: &NewPoliceReport) -> Result<Reported> {
    let reason = new.reason.trim();
    if reason.is_empty() {
        return Err(Invalid::one("reason", Problem::Required).into());
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Invalid::one("reason", Problem::TooLong { max: MAX_REASON }).into());
    }
    if baove_core::text::has_control(reason, true) {
        return Err(Invalid::one("reason", Problem::ControlCharacters).into());
    }
    let mut tx = d.begin(true).await?;
    let (v, _) = gate_visit(tx.as_mut(), actor, new.visit_id).await?;
    if let Some(r) = opt(tx.as_mut(), &format!("{REPORT} where r.id = $1"), &[new.id.into()]).await? {
        if r.uuid("visit_id")? != new.visit_id.0 {
            return Err(Invalid::one("id", Problem::Taken).into());
        }
        let report = report_row(tx.as_mut(), &r, actor.at).await?;
        tx.commit().await?;
        return Ok(Reported { report, replayed: true });
    }
    let Target::Unit { authority_chain, .. } =
        require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, v.unit_id).await?
    else {
        return Err(StoreError::NotFound);
    };
    let authority = *authority_chain.first().ok_or(StoreError::NotFound)?;
    tx.execute(
        "insert into police_reports (id, unit_id, visit_id, authority_id, reason, reported_at, reported_by, reporter_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            new.id.into(),
            v.unit_id.0.into(),
            v.id.0.into(),
            authority.0.into(),
            reason.into(),
            at(actor.at),
            actor.principal.account_id.0.into(),
            actor.principal.display_name.as_str().into(),
        ],
    )
    .await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "visit.report_to_police",
            entity: "visit",
            entity_id: v.id.to_string(),
            unit_id: Some(v.unit_id),
            before: None,
            after: Some(json(
                &serde_json::json!({ "report": new.id, "authority": authority, "foreigner": v.foreigner }),
            )),
        },
    )
    .await?;
    let r = one(tx.as_mut(), &format!("{REPORT} where r.id = $1"), &[new.id.into()]).await?;
    let report = report_row(tx.as_mut(), &r, actor.at).await?;
    tx.commit().await?;
    Ok(Reported { report, replayed: false })
}

pub async fn reports(d: &dyn Driver, actor: &Actor, limit: u32) -> Result<Vec<PoliceReport>> {
    let p = &actor.principal;
    let mut tx = d.begin(true).await?;
    if let Org::Unit(u) = p.org {
        require_unit(tx.as_mut(), p, Action::VisitorGate, u).await?;
    }
    let (with, cond, mut args) = visible_units(p, 1);
    args.push(i64::from(limit.clamp(1, 1000)).into());
    let sql = format!("{with}{REPORT} where {cond} order by r.reported_at desc, r.id desc limit ${}", args.len());
    let rows = tx.fetch(&sql, &args).await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(report_row(tx.as_mut(), r, actor.at).await?);
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "police_report.read",
            entity: "police_report",
            entity_id: String::new(),
            unit_id: match p.org {
                Org::Unit(u) => Some(u),
                _ => None,
            },
            before: None,
            after: Some(json(&serde_json::json!({ "rows": out.len() }))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}
