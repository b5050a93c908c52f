//! A plan JSON file coming back from the provider: parsed, then checked against the demo case.
#![no_main]

use evalbench::i18n::Lang;
use evalbench::plan_exchange::json;
use evalbench_fuzz::{FILE_NAME, check_plan, demo_snapshot};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        demo_snapshot();
    },
    |data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        match json::parse(FILE_NAME, &text, Lang::Nb) {
            Ok(raw) => check_plan(&raw),
            Err(message) => {
                assert!(message.contains(FILE_NAME), "the message does not name the file: {message}");
            }
        }
    }
);
