//! Drawing tonight's plans: for one site on demand (the plan page's redraw), and for every
//! site each evening (the monitor asks once a minute; a site that has its plan is skipped).

use baove_core::SiteId;
use baove_core::access::Principal;
use baove_core::calendar::Weather;
use baove_core::patrol::plan::Plan;
use baove_store::{Actor, StoreError, UnitFilter};
use jiff::Timestamp;

use super::plan::{self, PlanError};
use crate::state::AppState;

/// Why tonight's plan was not drawn.
#[derive(Debug, thiserror::Error)]
pub enum NightlyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Plan(#[from] PlanError),
}

/// Draws (or redraws) the plan of `site` for the night that starts on the evening `evening`.
///
/// # Errors
/// The site cannot be seen or planned, or that night's plan is locked.
pub async fn draw_site(
    state: &AppState,
    actor: &Actor,
    site: SiteId,
    evening: jiff::civil::Date,
    weather: Weather,
) -> Result<Plan, NightlyError> {
    let p = &actor.principal;
    let site = state.store.site(p, site).await?;
    let zones = state.store.list_zones(p, site.unit_id, "").await?;
    let checkpoints = state.store.list_checkpoints(p, site.unit_id, "").await?;
    let active = state.store.list_guards(p, site.unit_id, "").await?.iter().filter(|g| g.active).count();
    // The unit's incidents of the past year weigh the hours and days they happened on.
    let year_ago = actor.at - jiff::SignedDuration::from_hours(24 * 365);
    let filter = baove_store::IncidentFilter { unit_id: Some(site.unit_id), since: Some(year_ago), limit: Some(5000) };
    let incidents: Vec<Timestamp> = state
        .store
        .list_incidents(p, &filter)
        .await
        .map(|l| l.into_iter().map(|(i, _)| i.occurred_at).collect())
        .unwrap_or_default();
    // A handful of incidents says little about hours: history counts from five on.
    let overrides = state.store.unit_days(p, site.unit_id).await?;
    let history = (incidents.len() >= plan::MIN_HISTORY)
        .then(|| plan::history_of(&incidents, baove_core::time::local_date(year_ago), evening, &overrides));
    let guards = plan::guards_on_duty(active, evening, &overrides);
    let (drawn, rounds) = plan::draw(
        &site,
        &zones,
        &checkpoints,
        evening,
        guards,
        weather,
        history.as_ref(),
        &overrides,
        rand::random(),
    )?;
    Ok(state.store.save_plan(actor, &drawn, &rounds).await?)
}

/// Draws tonight's plan for every site that has none yet, from 16:00 (the evening brief) until
/// the night ends. Returns how many plans were drawn.
///
/// # Errors
/// A storage failure (sites that cannot be planned are skipped).
pub async fn draw_missing(state: &AppState, me: &Principal, now: Timestamp) -> Result<usize, StoreError> {
    let local = now.to_zoned(baove_core::time::vietnam());
    if (6..16).contains(&local.hour()) {
        return Ok(0);
    }
    let evening = plan::night_of(now);
    let actor = Actor { principal: me.clone(), at: now };
    let mut drawn = 0;
    for unit in state.store.list_units(me, &UnitFilter::default()).await? {
        for site in state.store.list_sites(me, unit.id, "").await? {
            if state.store.plan(me, site.id, evening).await?.is_some() {
                continue;
            }
            match draw_site(state, &actor, site.id, evening, Weather::default()).await {
                Ok(_) => drawn += 1,
                Err(NightlyError::Plan(PlanError::NothingToPatrol)) => {}
                Err(e) => tracing::warn!(site = %site.id, error = %e, "tonight's plan not drawn"),
            }
        }
    }
    Ok(drawn)
}
