//! The duty roster of a unit (R4): its shifts over the coming two weeks with the guards and
//! the leader on duty, a warning on every holiday or Tết shift that has no leader (seed 000
//! §6), and, for those who run the unit's protection, the form to add a shift. The unit's ward
//! police read the same page: the holiday arrangement is theirs to know.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum_extra::extract::Form;
use baove_core::ShiftId;
use baove_core::UnitId;
use baove_core::patrol::roster::{Shift, ShiftDraft, missing_leader, needs_leader};
use baove_core::time::{format_datetime, local, local_date, vietnam};
use baove_core::validate::{Invalid, parse_date};
use baove_store::StoreError;
use jiff::SignedDuration;
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{id, invalid, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/units/{id}/roster", get(show)).route("/shifts", post(create))
}

/// How far ahead the roster looks.
const DAYS_AHEAD: i64 = 14;

#[derive(Deserialize, Default)]
struct Window {
    /// The first day shown (dd/mm/yyyy or yyyy-mm-dd); today when absent.
    #[serde(default)]
    from: String,
}

/// A list the reader may not be cleared for: `None` when withheld (a key target's details).
fn withheld<T>(r: Result<Vec<T>, StoreError>) -> Result<Option<Vec<T>>, AppError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Denied(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A new shift's form: tomorrow's day shift.
fn blank(ctx: &Ctx, unit: UnitId) -> ShiftDraft {
    let tomorrow = local_date(ctx.now).tomorrow().unwrap_or(local_date(ctx.now));
    ShiftDraft {
        id: ShiftId::mint().to_string(),
        unit_id: unit.to_string(),
        name: "Ca ngày".into(),
        starts_at: format!("{tomorrow}T06:00"),
        ends_at: format!("{tomorrow}T18:00"),
        ..ShiftDraft::default()
    }
}

/// The roster from `from` (a local date) for [`DAYS_AHEAD`] days, with the form when the
/// reader may add shifts (`draft` and its problems after a refused post).
async fn roster(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    from: jiff::civil::Date,
    draft: Option<(&ShiftDraft, &Invalid)>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = s.store.unit(&ctx.principal, unit).await?;
    let overrides = s.store.unit_days(&ctx.principal, unit.id).await?;
    let start =
        from.to_zoned(vietnam()).map_err(|_| AppError::BadRequest(ctx.t("problem.bad_date").to_owned()))?.timestamp();
    let end = start + SignedDuration::from_hours(24 * DAYS_AHEAD);
    let shifts = s.store.list_shifts(&ctx.principal, unit.id, start, end).await?;
    let guards = withheld(s.store.list_guards(&ctx.principal, unit.id, "").await)?;
    let sites = withheld(s.store.list_sites(&ctx.principal, unit.id, "").await)?;
    let guard_names = |sh: &Shift| match &guards {
        None => l.t("roster.guards_withheld").to_owned(),
        Some(_) if sh.guards.is_empty() => "—".to_owned(),
        Some(all) => sh
            .guards
            .iter()
            .map(|g| all.iter().find(|x| x.id == *g).map_or_else(|| g.to_string(), |x| x.full_name.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let site_name = |sh: &Shift| {
        sh.site_id.map_or_else(
            || "—".to_owned(),
            |sid| sites.iter().flatten().find(|x| x.id == sid).map_or_else(|| "—".to_owned(), |x| x.name.clone()),
        )
    };
    let mut rows = Vec::new();
    for sh in &shifts {
        let holiday = needs_leader(sh.starts_at, sh.ends_at, &overrides);
        let leader = [sh.leader_name.as_str(), sh.leader_phone.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        rows.push(vec![
            Cell::text(format!("{} – {}", format_datetime(sh.starts_at), format_datetime(sh.ends_at))),
            if holiday {
                Cell::text(format!("{} ({})", sh.name, l.t("roster.holiday"))).tone("warn")
            } else {
                Cell::text(&sh.name)
            },
            Cell::text(site_name(sh)),
            Cell::text(leader),
            Cell::text(guard_names(sh)),
            Cell::text(&sh.notes),
        ]);
        if missing_leader(sh, &overrides) {
            let mut warning = vec![Cell::text(l.t("roster.missing_leader")).tone("bad")];
            warning.extend((0..5).map(|_| Cell::default()));
            rows.push(warning);
        }
    }
    let headers = ["roster.time", "field.name", "field.site_id", "field.leader_name", "field.guards", "field.notes"]
        .iter()
        .map(|k| l.t(k).to_owned())
        .collect();
    let mut p = page(ctx, format!("{} · {}", l.t("roster.title"), unit.name));
    p.subtitle = Some(format!(
        "{} – {}",
        baove_core::time::format_date(from),
        baove_core::time::format_date(local_date(end - SignedDuration::from_secs(1)))
    ));
    p.actions = vec![Link::new(format!("/units/{}", unit.id), l.t("action.back"))];
    p.sections.push(Section {
        note: Some(l.t("roster.note").to_owned()),
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    if ctx.principal.role.edits_details() {
        let fresh = blank(ctx, unit.id);
        let (d, e) = draft.map_or((&fresh, None), |(d, e)| (d, Some(e)));
        let mut site_opts = vec![(String::new(), "—".to_owned())];
        site_opts.extend(sites.iter().flatten().map(|x| (x.id.to_string(), x.name.clone())));
        let guard_opts =
            guards.iter().flatten().filter(|g| g.active).map(|g| (g.id.to_string(), g.full_name.clone())).collect();
        let mut form = FormBuilder::new(l, e)
            .field("id", "hidden", &d.id, false)
            .field("unit_id", "hidden", &d.unit_id, true)
            .select("site_id", &d.site_id, site_opts, false)
            .field("name", "text", &d.name, true)
            .field("starts_at", "datetime-local", &d.starts_at, true)
            .field("ends_at", "datetime-local", &d.ends_at, true)
            .select("guards", &d.guards.join(","), guard_opts, false)
            .field("leader_name", "text", &d.leader_name, false)
            .field("leader_phone", "tel", &d.leader_phone, false)
            .field("notes", "textarea", &d.notes, false)
            .build("/shifts", &ctx.csrf, l.t("roster.new"));
        if let Some(f) = form.fields.iter_mut().find(|f| f.name == "guards") {
            f.kind = "checks";
        }
        p.sections.push(Section { title: l.t("roster.new").to_owned(), form: Some(form), ..Section::default() });
    }
    let resp = render(&p);
    Ok(if draft.is_some() { invalid(resp) } else { resp })
}

async fn show(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(w): Query<Window>,
) -> Result<Response, AppError> {
    let from = if w.from.trim().is_empty() {
        local(ctx.now).date()
    } else {
        parse_date(w.from.trim()).ok_or_else(|| AppError::BadRequest(ctx.t("problem.bad_date").to_owned()))?
    };
    roster(&s, &ctx, id(&raw)?, from, None).await
}

async fn create(State(s): State<AppState>, ctx: Ctx, Form(d): Form<ShiftDraft>) -> Result<Response, AppError> {
    let saved = match d.parse(ShiftId::mint()) {
        Ok(shift) => split(s.store.create_shift(&ctx.actor(), &shift).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(shift) => Ok(see(format!("/units/{}/roster?from={}", shift.unit_id, local_date(shift.starts_at)))),
        Err(e) => roster(&s, &ctx, id(&d.unit_id)?, local_date(ctx.now), Some((&d, &e))).await,
    }
}
