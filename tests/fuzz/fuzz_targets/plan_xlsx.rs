//! A plan workbook coming back from the provider (any bytes): read, then checked against the
//! demo case. A panic that `read_bytes` catches itself is a refusal, not a crash.
#![no_main]

use evalbench::plan_exchange::xlsx;
use evalbench_fuzz::{FILE_NAME, check_plan, demo_snapshot, run_catching_importer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        demo_snapshot();
    },
    |data: &[u8]| {
        // `read_bytes` refuses a file on which calamine panics; only a panic it lets out counts.
        match run_catching_importer(|| xlsx::read_bytes(FILE_NAME, data)) {
            Ok(raw) => check_plan(&raw),
            Err(error) => {
                let message = error.to_string();
                assert!(message.contains(FILE_NAME), "the message does not name the file: {message}");
            }
        }
    }
);
