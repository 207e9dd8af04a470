//! `POST /api/v1/devices/{id}/events`: a device (or the bridge in front of it) sends its
//! events over HTTPS with its own bearer token. The body is baove's generic JSON, or with
//! `?format=frigate|alarmo|homeassistant` (`&class=door…` for a Home Assistant binary sensor)
//! what those senders publish over MQTT. Same pipeline as MQTT; the device's zone places it.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use baove_core::DeviceId;
use baove_core::alarm::DeviceEvent;
use baove_core::alarm::formats::homeassistant::{self, BinaryClass, HaConfig, HaEntity};
use baove_core::alarm::formats::{MAX_PAYLOAD, ParseError, alarmo, frigate, generic};
use baove_core::alarm::mapping::Binding;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;

use super::engine::{Incoming, Refused};
use crate::auth::token::digest;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/devices/{id}/events", post(receive))
}

#[derive(Deserialize, Default)]
struct Params {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    class: Option<String>,
}

fn problem(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
}

/// Parses the body as `format` says.
fn parse(
    format: &str,
    class: Option<&str>,
    device: DeviceId,
    body: &[u8],
    now: Timestamp,
) -> Result<Vec<DeviceEvent>, ParseError> {
    let instance = format!("device-{device}");
    match format {
        "generic" => generic::parse_body(&instance, None, body, now).map(|e| vec![e]),
        "frigate" => frigate::parse_with_prefix(&instance, &format!("{instance}/events"), body, now),
        "alarmo" => alarmo::parse_with_prefix(&instance, &format!("{instance}/event"), body, now),
        "homeassistant" => {
            let class = class
                .map_or(Some(BinaryClass::None), BinaryClass::from_code)
                .ok_or(ParseError::BadValue { field: "class" })?;
            let topic = format!("{instance}/state");
            let mut cfg = HaConfig { prefix: instance.clone(), ..HaConfig::default() };
            cfg.insert(&topic, HaEntity::binary_sensor(&device.to_string(), class));
            homeassistant::parse(&topic, body, now, &cfg)
        }
        _ => Err(ParseError::BadValue { field: "format" }),
    }
}

async fn receive(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Query(q): Query<Params>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() < 200)
        .ok_or(AppError::Unauthorized)?;
    let device: DeviceId = raw.parse().map_err(|_| AppError::Unauthorized)?;
    let dev = s.store.webhook_device(device, &digest(token)).await?.ok_or(AppError::Unauthorized)?;
    let Some(zone_id) = dev.zone_id else {
        return Ok(problem(StatusCode::CONFLICT, "device_without_zone", "the device is not placed in a zone"));
    };
    let format = q.format.as_deref().unwrap_or("generic");
    let mut refused = Refused::default();
    if body.len() > MAX_PAYLOAD {
        refused.parse_error(format, "webhook", &ParseError::TooLarge { size: body.len(), limit: MAX_PAYLOAD });
        s.alarms.ingest(&s, vec![], &refused).await?;
        return Ok(problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &format!("at most {MAX_PAYLOAD} bytes"),
        ));
    }
    let events = match parse(format, q.class.as_deref(), device, &body, Timestamp::now()) {
        Ok(events) => events,
        Err(ParseError::Ignored { reason }) => {
            return Ok((StatusCode::ACCEPTED, Json(json!({ "accepted": 0, "ignored": reason }))).into_response());
        }
        Err(e) => {
            refused.parse_error(format, "webhook", &e);
            s.alarms.ingest(&s, vec![], &refused).await?;
            let code = if matches!(e, ParseError::BadValue { field: "format" }) {
                "unknown_format"
            } else {
                "malformed_payload"
            };
            return Ok(problem(StatusCode::BAD_REQUEST, code, &e.to_string()));
        }
    };
    let place = (dev.unit_id, Binding { site_id: dev.site_id, zone_id, device_id: Some(dev.device_id) });
    let n = events.len();
    let items = events.into_iter().map(|event| Incoming { event, place: Some(place) }).collect();
    let alarms = s.alarms.ingest(&s, items, &refused).await?;
    let ids: Vec<String> = alarms.iter().map(|a| a.alarm.id.to_string()).collect();
    Ok((StatusCode::ACCEPTED, Json(json!({ "accepted": n, "alarms": ids }))).into_response())
}
