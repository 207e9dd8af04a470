//! What every handler shares: the store, the settings and the login limiter.

use std::sync::Arc;

use baove_store::Store;

use crate::auth::limiter::LoginLimiter;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when baove is served over HTTPS).
    pub secure_cookies: bool,
    /// How long a browser session lasts.
    pub session_hours: i64,
    /// baove runs behind a reverse proxy it trusts: the client address comes from
    /// `X-Forwarded-For` and the public host from `X-Forwarded-Host`.
    pub behind_proxy: bool,
    /// The MQTT broker to read device events from (none: webhook only).
    pub mqtt: Option<crate::alarm::mqtt::MqttConfig>,
    /// Draw tonight's patrol plans on the clock from 16:00 for sites that have none (off:
    /// plans are drawn only from the plan page; the tests use this to control the night).
    pub nightly_plans: bool,
    /// The mail relay of e-mail notifications (none: e-mail channels fail and say why).
    pub smtp: Option<crate::notify::smtp::SmtpConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_hours: 12,
            behind_proxy: false,
            mqtt: None,
            nightly_plans: true,
            smtp: None,
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub limiter: Arc<LoginLimiter>,
    /// A real argon2 hash checked when the username is unknown, so a failed sign-in takes the
    /// same time whether or not the account exists.
    pub dummy_hash: Arc<String>,
    /// Committed events for open consoles.
    pub bus: crate::patrol::bus::Bus,
    /// How long each tier has to acknowledge an alert.
    pub ladder: baove_core::patrol::escalation::Ladder,
    /// The device alarm engine (open alarms in memory, mapping, arming).
    pub alarms: Arc<crate::alarm::Engine>,
    /// The HTTP client of webhook notifications.
    pub http: reqwest::Client,
}

impl AppState {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let dummy_hash = crate::auth::password::hash("baove-dummy-password-for-timing").unwrap_or_default();
        Self {
            store,
            config: Arc::new(config),
            limiter: Arc::default(),
            dummy_hash: Arc::new(dummy_hash),
            bus: crate::patrol::bus::Bus::default(),
            ladder: baove_core::patrol::escalation::Ladder::default(),
            alarms: Arc::default(),
            http: reqwest::Client::builder().user_agent("baove-notify").build().unwrap_or_default(),
        }
    }
}
