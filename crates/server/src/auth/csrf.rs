//! CSRF protection for every state-changing page request, enforced in one middleware so no
//! form can forget it: the body's `_csrf` field (or the `x-csrf-token` header) must equal the
//! session's token, or, before sign-in, the pre-sign-in cookie. Cross-origin posts are refused
//! outright. The JSON API is exempt: it authenticates with bearer tokens, which browsers never
//! attach on their own.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::context::Visitor;
use super::token::same;
use crate::error::AppError;

/// Largest form body a page accepts.
pub const MAX_FORM: usize = 256 * 1024;

fn same_origin(req: &Request) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) else { return true };
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

pub async fn check(req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !writes || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if !same_origin(&req) {
        return AppError::Csrf.into_response();
    }
    let expected = req.extensions().get::<Visitor>().and_then(|v| match &v.session {
        Some((s, _)) => Some(s.csrf.clone()),
        None => v.pre_csrf.clone(),
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
