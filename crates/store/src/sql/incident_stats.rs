//! The facts the police statistics count (R12): every incident of a period in the reader's
//! scope, reduced to what the tables need. Scoped like the incident list; the unit's guards,
//! gate and staff, who only see their own reports, get no statistics.

use baove_core::access::{Denied, Principal, Role};
use baove_core::incident::{Cause, IncidentKind, IncidentStatus, Modus};
use baove_core::registry::UnitKind;
use baove_core::stats::IncidentFact;
use baove_core::{IncidentId, UnitId};
use jiff::Timestamp;

use super::common::{at, code, ts};
use super::scope::visible_units;
use crate::driver::{Driver, Row};
use crate::error::Result;

/// Comma-separated codes in their enum's order; unknown ones are dropped.
fn listed<T: Copy + PartialEq>(raw: &str, all: &[T], parse: fn(&str) -> Option<T>) -> Vec<T> {
    let found: Vec<T> = raw.split(',').filter_map(parse).collect();
    all.iter().copied().filter(|x| found.contains(x)).collect()
}

fn fact(r: &Row) -> Result<IncidentFact> {
    Ok(IncidentFact {
        id: IncidentId(r.uuid("id")?),
        occurred_at: ts(r, "occurred_at")?,
        unit_id: UnitId(r.uuid("unit_id")?),
        unit_name: r.text("unit_name")?,
        unit_kind: code(r, "unit_kind", UnitKind::from_code)?,
        kind: code(r, "kind", IncidentKind::from_code)?,
        status: code(r, "status", IncidentStatus::from_code)?,
        modus: listed(&r.text("modus")?, Modus::ALL, Modus::from_code),
        causes: listed(&r.text("causes")?, Cause::ALL, Cause::from_code),
    })
}

/// The incidents that occurred in `[from, to)` at the units `p` may see, oldest first.
pub async fn facts(d: &dyn Driver, p: &Principal, from: Timestamp, to: Timestamp) -> Result<Vec<IncidentFact>> {
    if matches!(p.role, Role::Guard | Role::Gate | Role::Staff) {
        return Err(Denied::Forbidden.into());
    }
    let (with, cond, mut args) = visible_units(p, 1);
    args.extend([at(from), at(to)]);
    let n = args.len();
    let sql = format!(
        "{with}select i.id, i.unit_id, u.name as unit_name, u.kind as unit_kind, i.kind, i.status, i.occurred_at,
                i.modus, i.causes
         from incidents i join units u on u.id = i.unit_id
         where {cond} and i.occurred_at >= ${} and i.occurred_at < ${n}
         order by i.occurred_at, i.id",
        n - 1
    );
    d.fetch(&sql, &args).await?.iter().map(fact).collect()
}
