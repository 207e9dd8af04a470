#![no_main]
//! The generic parser on arbitrary topics and payloads.

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((topic, payload)) =
        common::split(data, &["baove/door-kho-1/event", "baove/pb-1/event", "baove/x/y/event"])
    else {
        return;
    };
    let result = baove_core::alarm::formats::generic::parse(&topic, payload, common::received_at());
    common::check(payload, &result);
});
