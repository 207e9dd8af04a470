#![no_main]
//! The Home Assistant parser, with a table learnt from a fuzzed discovery config, on state
//! messages.

use baove_core::alarm::formats::homeassistant::{self, BinaryClass, HaConfig, HaEntity};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut config = HaConfig::default();
    config.insert("site1/kho/door/state", HaEntity::binary_sensor("kho_door", BinaryClass::Door));
    config.insert("site1/panel/state", HaEntity::alarm_panel("panel"));
    let topics = [
        "site1/kho/door/state",
        "site1/panel/state",
        "homeassistant/binary_sensor/x/state",
        "homeassistant/alarm_control_panel/p/state",
        "homeassistant/binary_sensor/node/x/config",
    ];
    let Some((topic, payload)) = common::split(data, &topics) else { return };
    if homeassistant::is_discovery_topic(&config.prefix, &topic) {
        if let Ok(found) = homeassistant::parse_discovery(&config.prefix, &topic, payload) {
            config.apply(found);
            // Whatever was learnt must then read a state without panicking.
            for state_topic in config.entities.keys().cloned().collect::<Vec<_>>() {
                for state in [&b"ON"[..], b"OFF", b"triggered", payload] {
                    let r = homeassistant::parse(&state_topic, state, common::received_at(), &config);
                    common::check(state, &r);
                }
            }
        }
        return;
    }
    let result = homeassistant::parse(&topic, payload, common::received_at(), &config);
    common::check(payload, &result);
});
