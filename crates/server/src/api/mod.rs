//! The JSON API under `/api/v1`, for integrations: bearer-token authentication, the same
//! drafts and validation as the pages, errors as `{"error": {"code", "message", "fields"}}`.

mod openapi;
mod resources;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use baove_core::access::Principal;
use baove_core::account::Account;
use baove_store::Actor;
use jiff::Timestamp;
use serde::de::DeserializeOwned;

use crate::auth::token::digest;
use crate::error::AppError;
use crate::state::AppState;

pub use openapi::{document, operations};

pub fn router() -> Router<AppState> {
    resources::router().route("/openapi.json", axum::routing::get(openapi::serve))
}

/// The integration behind a bearer token.
pub struct ApiCtx {
    pub account: Account,
    pub principal: Principal,
    pub now: Timestamp,
}

impl ApiCtx {
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor { principal: self.principal.clone(), at: self.now }
    }
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() < 200)
            .ok_or(AppError::Unauthorized)?;
        let account = state.store.token_account(&digest(bearer)).await?.ok_or(AppError::Unauthorized)?;
        Ok(Self { principal: account.principal(), account, now: Timestamp::now() })
    }
}

/// A JSON body; one that does not parse is a 400 with the parser's reason.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| Self(j.0))
            .map_err(|e| AppError::BadRequest(e.body_text()))
    }
}
