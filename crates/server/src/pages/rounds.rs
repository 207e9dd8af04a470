//! Creating a patrol round by hand: a site, a window in Vietnam time, a grace period and the
//! checkpoints in walking order. (Nightly plans from the patrol planner create rounds too.)

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum_extra::extract::Form;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::registry::truthy;
use baove_core::validate::{Checker, Invalid, Problem};
use baove_core::{CheckpointId, RoundId, SiteId, UnitId};
use jiff::SignedDuration;
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::form_page;
use super::{id, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/units/{id}/rounds/new", get(new)).route("/rounds", post(create))
}

#[derive(Deserialize, Default, Clone)]
struct RoundDraft {
    #[serde(default)]
    id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    window_start: String,
    #[serde(default)]
    duration: String,
    #[serde(default)]
    grace_minutes: String,
    #[serde(default)]
    ordered: String,
    #[serde(default)]
    checkpoints: Vec<String>,
}

impl RoundDraft {
    fn parse(&self) -> Result<Round, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, RoundId::parse).unwrap_or_else(RoundId::mint);
        let unit_id = UnitId::parse(&self.unit_id).map_err(|_| c.fail("unit_id", Problem::BadId)).ok();
        let site_id = SiteId::parse(&self.site_id).map_err(|_| c.fail("site_id", Problem::BadId)).ok();
        let name = c.line("name", &self.name, 120);
        // A datetime-local field: Vietnam wall-clock time.
        let start = jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M", self.window_start.trim())
            .ok()
            .and_then(|d| d.to_zoned(baove_core::time::vietnam()).ok())
            .map(|z| z.timestamp());
        if start.is_none() {
            c.fail("window_start", Problem::BadDate);
        }
        let duration = c.int("duration", &self.duration, 5, 12 * 60, true);
        let grace = c.int("grace_minutes", &self.grace_minutes, 0, 120, true);
        let mut checkpoints = Vec::new();
        for raw in &self.checkpoints {
            match CheckpointId::parse(raw) {
                Ok(cp) => checkpoints.push(cp),
                Err(_) => c.fail("checkpoints", Problem::BadId),
            }
        }
        if checkpoints.is_empty() {
            c.fail("checkpoints", Problem::Required);
        }
        match (unit_id, site_id, start, duration, grace) {
            (Some(unit_id), Some(site_id), Some(start), Some(duration), Some(grace)) => c.finish(Round {
                id,
                unit_id,
                site_id,
                name,
                checkpoints,
                ordered: truthy(&self.ordered),
                window_start: start,
                window_end: start + SignedDuration::from_mins(duration),
                grace_minutes: grace,
                guard_id: None,
                source: RoundSource::Manual,
            }),
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    d: &RoundDraft,
    e: Option<&Invalid>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let sites = s.store.list_sites(&ctx.principal, unit, "").await?;
    let checkpoints = s.store.list_checkpoints(&ctx.principal, unit, "").await?;
    let site_name = |sid| sites.iter().find(|x| x.id == sid).map(|x| x.name.clone()).unwrap_or_default();
    let cps = checkpoints
        .iter()
        .filter(|c| c.active)
        .map(|c| (c.id.to_string(), format!("{} · {} ({})", c.code, c.name, site_name(c.site_id))))
        .collect();
    let site_opts = sites.iter().map(|x| (x.id.to_string(), x.name.clone())).collect();
    let form = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("unit_id", "hidden", &d.unit_id, true)
        .select("site_id", &d.site_id, site_opts, true)
        .field("name", "text", &d.name, true)
        .field("window_start", "datetime-local", &d.window_start, true)
        .field("duration", "numeric", &d.duration, true)
        .field("grace_minutes", "numeric", &d.grace_minutes, true)
        .field("ordered", "checkbox", &d.ordered, false)
        .select("checkpoints", &d.checkpoints.join(","), cps, true)
        .build("/rounds", &ctx.csrf, l.t("round.new"));
    let mut form = form;
    if let Some(f) = form.fields.iter_mut().find(|f| f.name == "checkpoints") {
        f.kind = "checks";
    }
    Ok(form_page(ctx, l.t("round.new"), form))
}

async fn new(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let start = baove_core::time::local(ctx.now + SignedDuration::from_hours(1));
    let d = RoundDraft {
        id: RoundId::mint().to_string(),
        unit_id: unit.to_string(),
        name: format!("Vòng {:02}:00", start.hour()),
        window_start: format!("{}T{:02}:00", start.date(), start.hour()),
        duration: "45".into(),
        grace_minutes: "10".into(),
        ordered: "on".into(),
        ..RoundDraft::default()
    };
    show(&s, &ctx, unit, &d, None).await
}

async fn create(State(s): State<AppState>, ctx: Ctx, Form(d): Form<RoundDraft>) -> Result<Response, AppError> {
    let saved = match d.parse() {
        Ok(round) => split(s.store.create_round(&ctx.actor(), &round).await)?,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(see("/patrol/board")),
        Err(e) => show(&s, &ctx, id(&d.unit_id)?, &d, Some(&e)).await,
    }
}
