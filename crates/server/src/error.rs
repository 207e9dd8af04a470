//! One error type for every handler. A handler returns [`AppError`]; the response carries it
//! as an extension, and [`render`] (the outermost middleware) turns it into a page in the
//! reader's language or into a JSON error with a stable code for `/api/`. Internal causes
//! are logged and never shown.

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use baove_core::access::Denied;
use baove_core::validate::Invalid;
use baove_store::StoreError;
use serde_json::json;

use crate::i18n::Lang;
use crate::pages::layout;

/// What went wrong, as the user should hear it.
#[derive(Debug, Clone)]
pub enum AppError {
    NotFound,
    Forbidden,
    NotCleared,
    Invalid(Invalid),
    /// The request body is not what the endpoint reads (JSON that does not parse…).
    BadRequest(String),
    BadId,
    Csrf,
    Unauthorized,
    TooManyAttempts,
    PayloadTooLarge,
    Internal,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::NotCleared | Self::Csrf => StatusCode::FORBIDDEN,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) | Self::BadId => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code of the API.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Forbidden => "forbidden",
            Self::NotCleared => "not_cleared",
            Self::Invalid(_) => "invalid_input",
            Self::BadRequest(_) => "bad_request",
            Self::BadId => "bad_id",
            Self::Csrf => "csrf",
            Self::Unauthorized => "unauthorized",
            Self::TooManyAttempts => "too_many_attempts",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Internal => "internal",
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::NotFound => "error.not_found",
            Self::Forbidden | Self::Unauthorized => "error.forbidden",
            Self::NotCleared => "error.not_cleared",
            Self::Invalid(_) | Self::BadRequest(_) => "error.invalid",
            Self::BadId => "error.bad_id",
            Self::Csrf => "error.csrf",
            Self::TooManyAttempts => "error.too_many",
            Self::PayloadTooLarge => "error.payload_too_large",
            Self::Internal => "error.internal",
        }
    }

    fn json(&self, lang: Lang) -> Response {
        let mut body = json!({ "code": self.code(), "message": lang.t(self.message_key()) });
        match self {
            Self::Invalid(inv) => {
                body["fields"] = inv
                    .0
                    .iter()
                    .map(|e| {
                        let mut f = serde_json::to_value(e).unwrap_or_default();
                        f["message"] = lang.problem(&e.problem).into();
                        f
                    })
                    .collect();
            }
            Self::BadRequest(detail) => body["detail"] = detail.as_str().into(),
            _ => {}
        }
        (self.status(), Json(json!({ "error": body }))).into_response()
    }

    fn page(&self, lang: Lang) -> Response {
        let html = layout::error_page(lang, lang.t(self.message_key()));
        (self.status(), Html(html)).into_response()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Denied(Denied::NotCleared) => Self::NotCleared,
            StoreError::Denied(_) => Self::Forbidden,
            StoreError::Invalid(inv) => Self::Invalid(inv),
            StoreError::Conflict(what) => {
                tracing::warn!(what, "constraint conflict");
                Self::BadRequest("conflict".into())
            }
            StoreError::Other(cause) => {
                tracing::error!(cause, "storage failure");
                Self::Internal
            }
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        Self::Invalid(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut resp = self.status().into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

/// Renders every [`AppError`] (and bare 404/405/413 from the router) for its audience.
pub async fn render(req: Request, next: Next) -> Response {
    // The API, and pages' scripts that send JSON, read JSON errors.
    let api = req.uri().path().starts_with("/api/")
        || req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .is_some_and(|c| c.as_bytes().starts_with(b"application/json"));
    let lang = crate::auth::context::lang_of(req.headers());
    let resp = next.run(req).await;
    let err = match resp.extensions().get::<AppError>() {
        Some(e) => e.clone(),
        None => match resp.status() {
            StatusCode::NOT_FOUND if resp.headers().get("content-type").is_none() => AppError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => AppError::BadRequest("method not allowed".into()),
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            // An extractor's own rejection (a query string that does not parse, a wrong
            // content type): still a clear message in the reader's language or a JSON code.
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::UNSUPPORTED_MEDIA_TYPE
                if !resp.headers().get("content-type").is_some_and(|c| {
                    c.as_bytes().starts_with(b"text/html") || c.as_bytes().starts_with(b"application/json")
                }) =>
            {
                AppError::BadRequest(resp.status().canonical_reason().unwrap_or("bad request").to_lowercase())
            }
            _ => return resp,
        },
    };
    if api { err.json(lang) } else { err.page(lang) }
}
