//! Settings from an optional TOML file; command-line flags and `BAOVE_…` variables win.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database_url: Option<String>,
    pub listen: Option<SocketAddr>,
    pub secure_cookies: Option<bool>,
    pub behind_proxy: Option<bool>,
    /// `[mqtt] url = "mqtt://127.0.0.1:1883"`: read device events from this broker.
    pub mqtt: Option<baove_server::alarm::mqtt::MqttConfig>,
    /// `[smtp] host = "mail.donvi.example"`, `from = "baove <canhbao@donvi.example>"`: the
    /// relay of e-mail notifications.
    pub smtp: Option<baove_server::notify::smtp::SmtpConfig>,
}

impl Settings {
    /// Reads `path`, or `./baove.toml` when it exists, or nothing.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new("baove.toml").exists() => "baove.toml".into(),
            None => return Ok(Self::default()),
        };
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }
}
