#![no_main]
//! The alarmo parser on arbitrary topics and payloads.

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((topic, payload)) = common::split(
        data,
        &["alarmo/event", "alarmo/state", "alarmo/kho/state", "alarmo/kho/event", "alarmo/command"],
    ) else {
        return;
    };
    let result = baove_core::alarm::formats::alarmo::parse(&topic, payload, common::received_at());
    common::check(payload, &result);
});
