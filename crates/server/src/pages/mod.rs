//! The HTML pages. Each module owns the routes of one resource; [`router`] joins them.

pub mod assets;
pub mod forms;
pub mod layout;
pub mod view;

mod accounts;
mod admin;
mod alarm_setup;
mod alarms;
mod authorities;
mod charts;
mod gate;
mod gate_foreign;
mod guards;
mod home;
mod incidents;
mod invites;
mod notifications;
mod patrol;
mod patrol_settings;
mod plans;
mod premises;
mod printing;
mod roster;
mod rounds;
mod session;
mod stats;
mod units;

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(home::router())
        .merge(authorities::router())
        .merge(units::router())
        .merge(premises::router())
        .merge(patrol::router())
        .merge(rounds::router())
        .merge(patrol_settings::router())
        .merge(roster::router())
        .merge(plans::router())
        .merge(printing::router())
        .merge(guards::router())
        .merge(accounts::router())
        .merge(incidents::router())
        .merge(notifications::router())
        .merge(stats::router())
        .merge(admin::router())
        .merge(gate::router())
        .merge(gate_foreign::router())
        .merge(invites::router())
        .merge(alarms::router())
        .merge(alarm_setup::router())
}

/// Parses an id from a path segment; a malformed one is a clear 400, not a 500 or a 404.
pub fn id<T: std::str::FromStr>(raw: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::BadId)
}

/// After a successful POST: go to the page of what was written.
/// The fields of a form body, in order (repeated names kept: checkboxes of one name).
pub fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The first value of a form field, trimmed; empty when absent.
pub fn value<'a>(f: &'a [(String, String)], key: &str) -> &'a str {
    f.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.trim())
}

pub fn see(path: impl AsRef<str>) -> Response {
    Redirect::to(path.as_ref()).into_response()
}

/// An urlencoded form body; a body that does not decode is a clear 400.
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for FormBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|f| Self(f.0))
            .map_err(|e| AppError::BadRequest(e.body_text()))
    }
}

/// The response to a form that did not validate: the same page with the problems, 422.
pub fn invalid(page: Response) -> Response {
    let mut page = page;
    *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    page
}

/// Separates a store result into "saved", "the input was refused" (re-show the form with the
/// problems) and any other failure.
pub fn split<T>(r: Result<T, baove_store::StoreError>) -> Result<Result<T, baove_core::validate::Invalid>, AppError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(baove_store::StoreError::Invalid(e)) => Ok(Err(e)),
        Err(e) => Err(e.into()),
    }
}
