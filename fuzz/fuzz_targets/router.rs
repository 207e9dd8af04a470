#![no_main]
//! The dispatcher: arbitrary topic and payload, with several instances configured; every
//! event must come from a configured instance.

use baove_core::alarm::formats::{BinaryClass, HaEntity, Router};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut router = Router::default();
    router.frigate.push("site-042/frigate".into());
    router.generic.push("site-042".into());
    router.homeassistant[0].insert("zigbee2mqtt/door/contact", HaEntity::binary_sensor("door", BinaryClass::Door));
    let topics = [
        "frigate/events",
        "frigate/reviews",
        "site-042/frigate/events",
        "alarmo/event",
        "alarmo/state",
        "baove/d/event",
        "site-042/d/event",
        "zigbee2mqtt/door/contact",
        "homeassistant/binary_sensor/x/state",
        "homeassistant/binary_sensor/x/config",
    ];
    let Some((topic, payload)) = common::split(data, &topics) else { return };
    let _ = router.clone().learn(&topic, payload);
    let result = router.parse(&topic, payload, common::received_at());
    common::check(payload, &result);
    if let Ok(events) = &result {
        let known: Vec<&str> = router
            .frigate
            .iter()
            .chain(&router.alarmo)
            .chain(&router.generic)
            .map(String::as_str)
            .chain(router.homeassistant.iter().map(|h| h.prefix.as_str()))
            .collect();
        for e in events {
            assert!(known.contains(&e.source_instance.as_str()), "instance {:?}", e.source_instance);
        }
    }
});
