//! The static files, compiled into the binary.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

const FILES: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("../../static/app.css")),
    ("manifest.json", "application/manifest+json", include_str!("../../static/manifest.json")),
    ("patrol.js", "text/javascript; charset=utf-8", include_str!("../../static/patrol.js")),
    ("board.js", "text/javascript; charset=utf-8", include_str!("../../static/board.js")),
    ("alarms.js", "text/javascript; charset=utf-8", include_str!("../../static/alarms.js")),
    ("incidents.js", "text/javascript; charset=utf-8", include_str!("../../static/incidents.js")),
    ("tap.html", "text/html; charset=utf-8", include_str!("../../static/tap.html")),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, body)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=3600")], *body).into_response()
        }
        None => AppError::NotFound.into_response(),
    }
}

/// The service worker, served from the root so that its scope covers the whole site.
pub async fn service_worker() -> Response {
    let body = include_str!("../../static/sw.js");
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], body)
        .into_response()
}
