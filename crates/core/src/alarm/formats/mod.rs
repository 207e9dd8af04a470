//! The device formats baove reads, one parser each, and the [`Router`] that picks the parser
//! from the MQTT topic.
//!
//! Topic conventions (every prefix configurable, several instances of a kind allowed):
//!
//! | format          | default prefix   | topics read |
//! |-----------------|------------------|-------------|
//! | Frigate         | `frigate`        | `<p>/events`, `<p>/reviews`; the rest ignored |
//! | Home Assistant  | `homeassistant`  | listed state topics (anywhere), `<p>/binary_sensor/…/state`, `<p>/alarm_control_panel/…/state`; `<p>/…/config` is discovery |
//! | Alarmo          | `alarmo`         | `<p>/state`, `<p>/<area>/state`, `<p>/event`, `<p>/<area>/event` |
//! | baove generic   | `baove`          | `<p>/<device>/event` |
//!
//! A Home Assistant state topic listed in a [`HaConfig`] wins; otherwise the longest matching
//! prefix does, so `site-042/frigate` beats `site-042` if both are configured. Every parser
//! checks the size (64 KiB) before it reads anything, and none panics on any input.

pub mod alarmo;
pub mod error;
mod fields;
pub mod frigate;
pub mod generic;
pub mod homeassistant;

pub use error::{MAX_PAYLOAD, ParseError};
pub use homeassistant::{BinaryClass, Discovered, EntityKind, HaConfig, HaEntity};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::envelope::DeviceEvent;

/// Which parser reads a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Frigate,
    HomeAssistant,
    Alarmo,
    Generic,
}

/// Where a topic goes: the format and the instance (prefix) it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route<'a> {
    pub format: Format,
    pub prefix: &'a str,
}

/// The topic prefixes of every sender, by format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Router {
    pub frigate: Vec<String>,
    pub homeassistant: Vec<HaConfig>,
    pub alarmo: Vec<String>,
    pub generic: Vec<String>,
}

impl Default for Router {
    /// One instance of each with the default prefixes.
    fn default() -> Self {
        Self {
            frigate: vec![frigate::DEFAULT_PREFIX.to_owned()],
            homeassistant: vec![HaConfig::default()],
            alarmo: vec![alarmo::DEFAULT_PREFIX.to_owned()],
            generic: vec![generic::DEFAULT_PREFIX.to_owned()],
        }
    }
}

fn under(topic: &str, prefix: &str) -> bool {
    !prefix.is_empty() && topic.strip_prefix(prefix).is_some_and(|r| r.is_empty() || r.starts_with('/'))
}

impl Router {
    /// The parser and instance for `topic`, if any.
    #[must_use]
    pub fn route(&self, topic: &str) -> Option<Route<'_>> {
        if let Some(ha) = self.homeassistant.iter().find(|h| h.entities.contains_key(topic)) {
            return Some(Route { format: Format::HomeAssistant, prefix: &ha.prefix });
        }
        let candidates = self
            .frigate
            .iter()
            .map(|p| (Format::Frigate, p.as_str()))
            .chain(self.homeassistant.iter().map(|h| (Format::HomeAssistant, h.prefix.as_str())))
            .chain(self.alarmo.iter().map(|p| (Format::Alarmo, p.as_str())))
            .chain(self.generic.iter().map(|p| (Format::Generic, p.as_str())));
        candidates
            .filter(|(_, p)| under(topic, p))
            // Longest prefix wins; on a tie the earlier format in the list above.
            .fold(None, |best: Option<Route<'_>>, (format, prefix)| match best {
                Some(b) if b.prefix.len() >= prefix.len() => Some(b),
                _ => Some(Route { format, prefix }),
            })
    }

    /// Parses a message with the parser its topic routes to.
    ///
    /// # Errors
    /// [`ParseError::UnknownTopic`] when no prefix matches; otherwise the parser's errors.
    pub fn parse(&self, topic: &str, payload: &[u8], received_at: Timestamp) -> Result<Vec<DeviceEvent>, ParseError> {
        let route = self.route(topic).ok_or(ParseError::UnknownTopic)?;
        match route.format {
            Format::Frigate => frigate::parse_with_prefix(route.prefix, topic, payload, received_at),
            Format::HomeAssistant => {
                let ha = self
                    .homeassistant
                    .iter()
                    .find(|h| h.entities.contains_key(topic))
                    .or_else(|| self.homeassistant.iter().find(|h| h.prefix == route.prefix))
                    .ok_or(ParseError::UnknownTopic)?;
                homeassistant::parse(topic, payload, received_at, ha)
            }
            Format::Alarmo => alarmo::parse_with_prefix(route.prefix, topic, payload, received_at),
            Format::Generic => generic::parse_with_prefix(route.prefix, topic, payload, received_at),
        }
    }

    /// Learns from a Home Assistant discovery config: `Ok(true)` when `topic` was one and the
    /// table changed, `Ok(false)` when it is not a discovery topic.
    ///
    /// # Errors
    /// The discovery parser's errors (an ignored component is not an error: `Ok(false)`).
    pub fn learn(&mut self, topic: &str, payload: &[u8]) -> Result<bool, ParseError> {
        let Some(ha) = self.homeassistant.iter_mut().find(|h| homeassistant::is_discovery_topic(&h.prefix, topic))
        else {
            return Ok(false);
        };
        match homeassistant::parse_discovery(&ha.prefix, topic, payload) {
            Ok(found) => {
                ha.apply(found);
                Ok(true)
            }
            Err(ParseError::Ignored { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// Parses with the default [`Router`].
///
/// # Errors
/// See [`Router::parse`].
pub fn parse(topic: &str, payload: &[u8], received_at: Timestamp) -> Result<Vec<DeviceEvent>, ParseError> {
    Router::default().parse(topic, payload, received_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarm::envelope::{EventKind, Source};

    fn at() -> Timestamp {
        "2026-11-21T18:30:05Z".parse().unwrap()
    }

    fn router() -> Router {
        let mut r = Router::default();
        r.frigate.push("site-042/frigate".into());
        r.generic.push("site-042".into());
        r.homeassistant[0]
            .insert("zigbee2mqtt/kho_door/contact", HaEntity::binary_sensor("kho_door", BinaryClass::Door));
        r
    }

    #[test]
    fn each_prefix_goes_to_its_parser() {
        let r = router();
        let route = |t: &str| r.route(t).map(|x| (x.format, x.prefix));
        assert_eq!(route("frigate/events"), Some((Format::Frigate, "frigate")));
        assert_eq!(route("site-042/frigate/events"), Some((Format::Frigate, "site-042/frigate")));
        assert_eq!(route("site-042/door-1/event"), Some((Format::Generic, "site-042")));
        assert_eq!(route("alarmo/state"), Some((Format::Alarmo, "alarmo")));
        assert_eq!(route("homeassistant/binary_sensor/x/state"), Some((Format::HomeAssistant, "homeassistant")));
        assert_eq!(route("zigbee2mqtt/kho_door/contact"), Some((Format::HomeAssistant, "homeassistant")));
        assert_eq!(route("frigatex/events"), None);
        assert_eq!(route(""), None);
    }

    #[test]
    fn the_router_parses_every_format() {
        let r = router();
        let frigate =
            r#"{"type":"new","after":{"id":"1.2-abc","camera":"gate","label":"person","start_time":1763749800.0}}"#;
        let e = r.parse("site-042/frigate/events", frigate.as_bytes(), at()).unwrap().remove(0);
        assert_eq!((e.source, e.source_instance.as_str()), (Source::Frigate, "site-042/frigate"));
        let e = r.parse("zigbee2mqtt/kho_door/contact", b"ON", at()).unwrap().remove(0);
        assert_eq!((e.source, e.kind), (Source::HaBinarySensor, EventKind::DoorOpen));
        let e = r.parse("alarmo/event", br#"{"event":"TRIGGER","sensors":["binary_sensor.a"]}"#, at()).unwrap();
        assert_eq!(e[0].device, "binary_sensor.a");
        let e = r.parse("baove/pb/event", br#"{"id":"x","device":"pb","kind":"panic"}"#, at()).unwrap().remove(0);
        assert_eq!(e.kind, EventKind::Panic);
        assert_eq!(r.parse("nobody/listens", b"{}", at()), Err(ParseError::UnknownTopic));
        assert!(matches!(r.parse("frigate/available", b"online", at()), Err(ParseError::Ignored { .. })));
    }

    #[test]
    fn the_router_learns_home_assistant_discovery() {
        let mut r = Router::default();
        let cfg = br#"{"state_topic":"site1/smoke/state","device_class":"smoke","unique_id":"smoke-1"}"#;
        assert_eq!(r.learn("homeassistant/binary_sensor/smoke1/config", cfg), Ok(true));
        assert_eq!(r.learn("frigate/events", b"{}"), Ok(false));
        assert_eq!(r.learn("homeassistant/light/l1/config", b"{}"), Ok(false));
        assert!(r.learn("homeassistant/binary_sensor/x/config", b"{").is_err());
        let e = r.parse("site1/smoke/state", b"ON", at()).unwrap().remove(0);
        assert_eq!((e.kind, e.device.as_str()), (EventKind::Smoke, "smoke-1"));
    }

    #[test]
    fn the_free_function_uses_the_default_prefixes() {
        assert_eq!(parse("alarmo/state", b"disarmed", at()).unwrap().len(), 1);
        assert_eq!(parse("site-042/frigate/events", b"{}", at()), Err(ParseError::UnknownTopic));
    }
}
