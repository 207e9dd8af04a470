//! baove's web server: server-rendered pages (Vietnamese first), the JSON API under
//! `/api/v1` with its OpenAPI document, sign-in with sessions and CSRF protection, and
//! integration tokens. Handlers are thin: parse, ask the store (which enforces scope), render.

pub mod alarm;
pub mod api;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod incident;
pub mod notify;
pub mod pages;
pub mod patrol;
pub mod state;

use std::future::Future;
use std::net::SocketAddr;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use axum::{Router, middleware};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;

pub use state::{AppState, Config};

/// Largest request body accepted anywhere (pages have a smaller form limit).
pub const MAX_BODY: usize = 1024 * 1024;

const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; \
                   connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The whole application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .nest("/api/v1", api::router().merge(alarm::webhook::router()))
        .route("/static/{file}", get(pages::assets::serve))
        .route("/sw.js", get(pages::assets::service_worker))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async { error::AppError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), auth::csrf::check))
        .layer(middleware::from_fn_with_state(state.clone(), auth::context::load))
        .layer(middleware::from_fn(error::render))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .with_state(state)
}

/// Stops a background task when the server stops.
pub(crate) struct AbortOnDrop(pub(crate) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Chooses ring as the process's TLS provider (webhooks and SMTP connect out over TLS), so a
/// dependency that brings another provider cannot leave the choice ambiguous. Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Serves the application on `listener` until `shutdown` resolves.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    install_tls_provider();
    let monitor = tokio::spawn(patrol::monitor::run(state.clone()));
    let _stop_sender = AbortOnDrop(tokio::spawn(notify::sender::run(state.clone())));
    let (state_mqtt, mqtt_state) = (state.config.mqtt.clone(), state.clone());
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let _stop_monitor = AbortOnDrop(monitor);
    let _stop_mqtt = match state_mqtt {
        Some(cfg) => Some(AbortOnDrop(alarm::mqtt::spawn(mqtt_state, cfg).map_err(std::io::Error::other)?)),
        None => None,
    };
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
