//! The registry resources of the API. Reads and writes go through the store with the token's
//! principal, so the scope and the audit chain are the same as on the pages.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use baove_core::registry::*;
use baove_core::time::local_date;
use baove_core::{AuthorityId, CheckpointId, DeviceId, GuardId, SiteId, UnitId, ZoneId};
use baove_store::{IncidentFilter, UnitFilter};
use serde::Deserialize;

use super::{ApiCtx, JsonBody};
use crate::error::AppError;
use crate::pages::id;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/authorities", get(list_authorities).post(create_authority))
        .route("/authorities/{id}", get(get_authority).put(update_authority))
        .route("/units", get(list_units).post(create_unit))
        .route("/units/{id}", get(get_unit).put(update_unit))
        .route("/units/{id}/sites", get(list_sites))
        .route("/units/{id}/zones", get(list_zones))
        .route("/units/{id}/checkpoints", get(list_checkpoints))
        .route("/units/{id}/devices", get(list_devices))
        .route("/units/{id}/guards", get(list_guards))
        .route("/sites", post(create_site))
        .route("/sites/{id}", get(get_site).put(update_site))
        .route("/zones", post(create_zone))
        .route("/zones/{id}", get(get_zone).put(update_zone))
        .route("/checkpoints", post(create_checkpoint))
        .route("/checkpoints/{id}", get(get_checkpoint).put(update_checkpoint))
        .route("/devices", post(create_device))
        .route("/devices/{id}", get(get_device).put(update_device))
        .route("/guards", post(create_guard))
        .route("/guards/{id}", get(get_guard).put(update_guard))
        .route("/guards/{id}/certificates", post(add_certificate))
        .route("/guards/{id}/tools", post(add_tool))
        .route(
            "/incidents",
            get(list_incidents)
                .post(report_incident)
                .layer(axum::extract::DefaultBodyLimit::max(crate::incident::intake::REPORT_BODY)),
        )
}

async fn me(ctx: ApiCtx) -> Json<baove_core::account::Account> {
    Json(ctx.account)
}

#[derive(Deserialize, Default)]
struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    key_target: Option<bool>,
}

/// `get`, `create` and `update` handlers of one resource: the draft is parsed by `$parse`,
/// written by the store method named, and the stored entity returned.
macro_rules! resource {
    ($Id:ty, $Draft:ty, $get:ident / $sget:ident, $create:ident / $screate:ident, $update:ident / $supdate:ident, |$d:ident, $ctx:ident| $parse:expr) => {
        async fn $get(State(s): State<AppState>, ctx: ApiCtx, Path(raw): Path<String>) -> Result<Response, AppError> {
            let this: $Id = id(&raw)?;
            Ok(Json(s.store.$sget(&ctx.principal, this).await?).into_response())
        }

        async fn $create(
            State(s): State<AppState>,
            $ctx: ApiCtx,
            JsonBody($d): JsonBody<$Draft>,
        ) -> Result<Response, AppError> {
            let input = $parse?;
            let created = s.store.$screate(&$ctx.actor(), &input).await?;
            Ok((StatusCode::CREATED, Json(created)).into_response())
        }

        async fn $update(
            State(s): State<AppState>,
            $ctx: ApiCtx,
            Path(raw): Path<String>,
            JsonBody($d): JsonBody<$Draft>,
        ) -> Result<Response, AppError> {
            let this: $Id = id(&raw)?;
            let input = $parse?;
            Ok(Json(s.store.$supdate(&$ctx.actor(), this, &input).await?).into_response())
        }
    };
}

resource!(
    AuthorityId,
    AuthorityDraft,
    get_authority / authority,
    create_authority / create_authority,
    update_authority / update_authority,
    |d, ctx| d.parse()
);
resource!(UnitId, UnitDraft, get_unit / unit, create_unit / create_unit, update_unit / update_unit, |d, ctx| d.parse());
resource!(SiteId, SiteDraft, get_site / site, create_site / create_site, update_site / update_site, |d, ctx| d.parse());
resource!(ZoneId, ZoneDraft, get_zone / zone, create_zone / create_zone, update_zone / update_zone, |d, ctx| d.parse());
resource!(
    CheckpointId,
    CheckpointDraft,
    get_checkpoint / checkpoint,
    create_checkpoint / create_checkpoint,
    update_checkpoint / update_checkpoint,
    |d, ctx| d.parse()
);
resource!(
    DeviceId,
    DeviceDraft,
    get_device / device,
    create_device / create_device,
    update_device / update_device,
    |d, ctx| d.parse()
);
resource!(
    GuardId,
    GuardDraft,
    get_guard / guard,
    create_guard / create_guard,
    update_guard / update_guard,
    |d, ctx| d.parse(local_date(ctx.now))
);

async fn list_authorities(
    State(s): State<AppState>,
    ctx: ApiCtx,
    Query(q): Query<Search>,
) -> Result<Response, AppError> {
    Ok(Json(s.store.list_authorities(&ctx.principal, &q.q).await?).into_response())
}

async fn list_units(State(s): State<AppState>, ctx: ApiCtx, Query(q): Query<Search>) -> Result<Response, AppError> {
    let kind = if q.kind.is_empty() {
        None
    } else {
        Some(UnitKind::from_code(&q.kind).ok_or(AppError::BadRequest(format!("unknown kind {:?}", q.kind)))?)
    };
    let filter = UnitFilter { text: q.q, kind, key_target: q.key_target, authority_id: None };
    Ok(Json(s.store.list_units(&ctx.principal, &filter).await?).into_response())
}

/// A list of one kind of a unit's details.
macro_rules! unit_list {
    ($name:ident / $store:ident) => {
        async fn $name(
            State(s): State<AppState>,
            ctx: ApiCtx,
            Path(raw): Path<String>,
            Query(q): Query<Search>,
        ) -> Result<Response, AppError> {
            let unit: UnitId = id(&raw)?;
            Ok(Json(s.store.$store(&ctx.principal, unit, &q.q).await?).into_response())
        }
    };
}

unit_list!(list_sites / list_sites);
unit_list!(list_zones / list_zones);
unit_list!(list_checkpoints / list_checkpoints);
unit_list!(list_devices / list_devices);
unit_list!(list_guards / list_guards);

async fn add_certificate(
    State(s): State<AppState>,
    ctx: ApiCtx,
    Path(raw): Path<String>,
    JsonBody(d): JsonBody<CertificateDraft>,
) -> Result<Response, AppError> {
    let guard: GuardId = id(&raw)?;
    let cert = d.parse()?;
    Ok((StatusCode::CREATED, Json(s.store.add_certificate(&ctx.actor(), guard, &cert).await?)).into_response())
}

async fn add_tool(
    State(s): State<AppState>,
    ctx: ApiCtx,
    Path(raw): Path<String>,
    JsonBody(d): JsonBody<ToolDraft>,
) -> Result<Response, AppError> {
    let guard: GuardId = id(&raw)?;
    let tool = d.parse()?;
    Ok((StatusCode::CREATED, Json(s.store.add_tool(&ctx.actor(), guard, &tool).await?)).into_response())
}

async fn list_incidents(State(s): State<AppState>, ctx: ApiCtx) -> Result<Response, AppError> {
    let list = s.store.list_incidents(&ctx.principal, &IncidentFilter::default()).await?;
    Ok(Json(list.into_iter().map(|(i, _)| i).collect::<Vec<_>>()).into_response())
}

/// A report from an integration or a phone app: the same intake as the report form
/// (idempotent by `id`: 201 when new, 200 for a resend).
async fn report_incident(
    State(s): State<AppState>,
    ctx: ApiCtx,
    JsonBody(d): JsonBody<baove_core::alarm::report::IncidentReportDraft>,
) -> Result<Response, AppError> {
    let (case, created) = crate::incident::intake::submit(&s, &ctx.actor(), &d).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(case.incident)).into_response())
}
