//! The incident list of the caller's scope with the statistic the police report by type of
//! premises. Reporting and the police workflow come with the incident issue.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use baove_store::IncidentFilter;
use jiff::SignedDuration;

use super::home::{incident_table, tally_table};
use super::layout::{page, render};
use super::view::Section;
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/incidents", get(list))
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    let since = ctx.now - SignedDuration::from_hours(24 * 366);
    let list =
        s.store.list_incidents(&ctx.principal, &IncidentFilter { since: Some(since), ..Default::default() }).await?;
    let counts = s.store.incident_tally(&ctx.principal, since).await?;
    let mut p = page(&ctx, l.t("incidents.title"));
    p.sections.push(Section {
        title: l.t("home.incidents_by_kind").into(),
        table: Some(tally_table(l, &counts)),
        ..Section::default()
    });
    p.sections.push(Section { table: Some(incident_table(l, &list, true)), ..Section::default() });
    Ok(render(&p))
}
