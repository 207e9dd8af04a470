//! Notifications beyond the browser (R10–R11): a unit or a police authority sends the events
//! it cares about (incidents, alarms that reached the duty desk) to a webhook or an e-mail
//! address. Each delivery is recorded; a channel sends at most [`RATE_PER_MINUTE`] messages a
//! minute, and what is held back goes out as one digest; a failed delivery is retried with a
//! growing delay, up to [`MAX_ATTEMPTS`] times. Webhook bodies are signed with HMAC-SHA256 of
//! the channel's secret.

use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;

use crate::registry::code_enum;
use crate::validate::{Checker, Invalid, Problem};

/// Messages one channel sends in a minute before the rest are folded into a digest.
pub const RATE_PER_MINUTE: usize = 5;
/// Attempts before a delivery is given up as failed.
pub const MAX_ATTEMPTS: i64 = 6;

code_enum!(
    /// Where a channel delivers.
    ChannelKind {
        Webhook = "webhook",
        Email = "email",
    }
);

code_enum!(
    /// What a channel is sent: `incident`, an incident reported and every step the police
    /// take on it; `alarm`, an alarm nobody answered in time, now at the police duty desk.
    NotifyTopic {
        Incident = "incident",
        Alarm = "alarm",
    }
);

code_enum!(
    /// Where a delivery stands (`digested`: held back by the rate limit and sent inside a
    /// digest).
    DeliveryStatus {
        Pending = "pending",
        Sent = "sent",
        Digested = "digested",
        Failed = "failed",
    }
);

/// A channel as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelDraft {
    pub kind: String,
    pub target: String,
    pub topics: Vec<String>,
}

/// A validated channel: a webhook URL (http or https) or an e-mail address, and its topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelInput {
    pub kind: ChannelKind,
    pub target: String,
    pub topics: Vec<NotifyTopic>,
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(c))
}

fn is_web_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !host.contains('@') && r.chars().all(|c| c.is_ascii_graphic())
    })
}

impl ChannelDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<ChannelInput, Invalid> {
        let mut c = Checker::new();
        let kind = c.option("kind", &self.kind, ChannelKind::from_code);
        let target = c.line("target", &self.target, 500);
        let valid = match kind {
            Some(ChannelKind::Webhook) => is_web_url(&target),
            Some(ChannelKind::Email) => is_email(&target),
            None => true,
        };
        if !target.is_empty() && !valid {
            c.fail("target", Problem::BadCode);
        }
        let mut topics = Vec::new();
        for raw in &self.topics {
            match NotifyTopic::from_code(raw.trim()) {
                Some(t) if !topics.contains(&t) => topics.push(t),
                Some(_) => {}
                None => c.fail("topics", Problem::NotAnOption),
            }
        }
        if self.topics.is_empty() {
            c.fail("topics", Problem::Required);
        }
        let topics = NotifyTopic::ALL.iter().copied().filter(|t| topics.contains(t)).collect();
        match kind {
            Some(kind) => c.finish(ChannelInput { kind, target, topics }),
            None => Err(c.finish(()).err().unwrap_or_default()),
        }
    }
}

/// What to do with a channel's due deliveries this round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendPlan {
    /// The first this many go out one by one.
    pub individual: usize,
    /// The rest go out together as one digest message.
    pub digest: bool,
}

/// The plan for `due` deliveries of a channel that sent `sent_last_minute` already: within
/// the rate each goes alone; past it, one slot is kept for a digest of the rest; with no slot
/// left nothing goes now (they wait for the next minute).
#[must_use]
pub fn plan(due: usize, sent_last_minute: usize) -> SendPlan {
    let room = RATE_PER_MINUTE.saturating_sub(sent_last_minute);
    if due <= room {
        SendPlan { individual: due, digest: false }
    } else if room == 0 {
        SendPlan { individual: 0, digest: false }
    } else {
        SendPlan { individual: room - 1, digest: true }
    }
}

/// When to try again after `attempts` failed tries (30 s, 1, 2, 4, 8 min…), or `None` to give
/// up.
#[must_use]
pub fn retry_at(now: Timestamp, attempts: i64) -> Option<Timestamp> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let wait = SignedDuration::from_secs(30 * (1_i64 << attempts.clamp(0, 10)));
    now.checked_add(wait).ok()
}

/// The `X-Baove-Signature` of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body
/// with the channel's secret.
#[must_use]
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_are_a_web_address_or_a_mailbox_with_topics() {
        let ok = ChannelDraft {
            kind: "webhook".into(),
            target: "https://trucban.congan.example/baove".into(),
            topics: vec!["incident".into(), "alarm".into(), "incident".into()],
        };
        assert_eq!(ok.parse().unwrap().topics, vec![NotifyTopic::Incident, NotifyTopic::Alarm]);
        let mail = ChannelDraft {
            kind: "email".into(),
            target: "truc.ban@congan.example".into(),
            topics: vec!["alarm".into()],
        };
        assert_eq!(mail.parse().unwrap().kind, ChannelKind::Email);
        for (kind, target) in [
            ("webhook", "ftp://x.example"),
            ("webhook", "https://user@evil.example"),
            ("webhook", "javascript:alert(1)"),
            ("email", "không-phải-thư"),
            ("email", "a@b"),
        ] {
            let d = ChannelDraft { kind: kind.into(), target: target.into(), topics: vec!["incident".into()] };
            assert_eq!(d.parse().unwrap_err().for_field("target"), Some(&Problem::BadCode), "{target}");
        }
        let e = ChannelDraft { kind: "pager".into(), target: String::new(), topics: vec!["weather".into()] }
            .parse()
            .unwrap_err();
        assert_eq!(e.for_field("kind"), Some(&Problem::NotAnOption));
        assert_eq!(e.for_field("target"), Some(&Problem::Required));
        assert_eq!(e.for_field("topics"), Some(&Problem::NotAnOption));
    }

    #[test]
    fn past_the_rate_the_rest_goes_as_one_digest() {
        assert_eq!(plan(3, 0), SendPlan { individual: 3, digest: false });
        assert_eq!(plan(5, 0), SendPlan { individual: 5, digest: false });
        assert_eq!(plan(12, 0), SendPlan { individual: 4, digest: true });
        assert_eq!(plan(12, 3), SendPlan { individual: 1, digest: true });
        assert_eq!(plan(2, 4), SendPlan { individual: 0, digest: true });
        assert_eq!(plan(1, 4), SendPlan { individual: 1, digest: false });
        assert_eq!(plan(7, 5), SendPlan { individual: 0, digest: false });
    }

    #[test]
    fn retries_wait_longer_each_time_then_stop() {
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        assert_eq!(retry_at(now, 0), Some(now + SignedDuration::from_secs(30)));
        assert_eq!(retry_at(now, 3), Some(now + SignedDuration::from_secs(240)));
        assert_eq!(retry_at(now, MAX_ATTEMPTS), None);
    }

    #[test]
    fn webhook_bodies_are_signed_as_published() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
