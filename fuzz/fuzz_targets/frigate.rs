#![no_main]
//! The frigate parser on arbitrary topics and payloads.

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((topic, payload)) = common::split(
        data,
        &[
            "frigate/events",
            "frigate/reviews",
            "site-042/frigate/events",
            "frigate/available",
            "frigate/cam/person/snapshot",
        ],
    ) else {
        return;
    };
    let result = baove_core::alarm::formats::frigate::parse(&topic, payload, common::received_at());
    common::check(payload, &result);
});
