//! `[smtp]` of the configuration: the mail relay e-mail notifications go through.

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

/// How the relay is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// STARTTLS on the submission port (587).
    #[default]
    Starttls,
    /// TLS from the first byte (465).
    Tls,
    /// Plain SMTP, for a relay on the same machine or network only.
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    /// The sender, e.g. `baove <canhbao@donvi.example>`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub security: Security,
}

/// Sends one message.
///
/// # Errors
/// A bad address or a relay that refuses, as text for the delivery record.
pub async fn send(cfg: &SmtpConfig, to: &str, subject: &str, text: &str) -> Result<(), String> {
    let message = Message::builder()
        .from(cfg.from.parse().map_err(|e| format!("from: {e}"))?)
        .to(to.parse().map_err(|e| format!("to: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text.to_owned())
        .map_err(|e| e.to_string())?;
    let builder = match cfg.security {
        Security::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host).map_err(|e| e.to_string())?
        }
        Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host).map_err(|e| e.to_string())?,
        Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
    };
    let builder = match cfg.port {
        Some(p) => builder.port(p),
        None => builder,
    };
    let builder = match (&cfg.username, &cfg.password) {
        (Some(u), Some(p)) => builder.credentials(Credentials::new(u.clone(), p.clone())),
        _ => builder,
    };
    let transport = builder.timeout(Some(std::time::Duration::from_secs(15))).build();
    transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
}
