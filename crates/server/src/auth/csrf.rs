//! CSRF protection for every state-changing page request, enforced in one middleware so no
//! form can forget it: the body's `_csrf` field (or the `x-csrf-token` header) must equal the
//! session's token, or, before sign-in, the pre-sign-in cookie. Cross-origin posts are refused
//! outright. The JSON API is exempt: it authenticates with bearer tokens, which browsers never
//! attach on their own.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::context::Visitor;
use super::token::same;
use crate::error::AppError;
use crate::state::AppState;

/// Largest form body a page accepts.
pub const MAX_FORM: usize = 256 * 1024;

/// Whether the `Origin` (when the browser sends one) is this site: the `Host` header, the
/// URI authority (HTTP/2), or behind a trusted proxy `X-Forwarded-Host`.
fn same_origin(req: &Request, behind_proxy: bool) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) else { return true };
    let Some((_, origin_host)) = origin.split_once("://") else { return false };
    let header = |name: &str| req.headers().get(name).and_then(|h| h.to_str().ok()).map(str::to_owned);
    let mut hosts = vec![header("host"), req.uri().authority().map(ToString::to_string)];
    if behind_proxy {
        hosts.push(header("x-forwarded-host"));
    }
    hosts.into_iter().flatten().any(|h| h == origin_host)
}

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !writes || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if !same_origin(&req, state.config.behind_proxy) {
        return AppError::Csrf.into_response();
    }
    // The sign-in form always carries the pre-sign-in token, even when an earlier session is
    // still alive on a shared tablet.
    let signing_in = req.uri().path() == "/login";
    let expected = req.extensions().get::<Visitor>().and_then(|v| match &v.session {
        Some((s, _)) if !signing_in => Some(s.csrf.clone()),
        _ => v.pre_csrf.clone(),
    });
    let header_token = req.headers().get("x-csrf-token").and_then(|h| h.to_str().ok()).map(str::to_owned);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    let given = header_token
        .or_else(|| form_urlencoded::parse(&bytes).find(|(k, _)| k == "_csrf").map(|(_, v)| v.into_owned()));
    match (expected, given) {
        (Some(e), Some(g)) if same(&e, &g) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        _ => AppError::Csrf.into_response(),
    }
}
