//! Case commands as `evalbench apply` reads them: one JSON command per line, applied to the demo
//! case. A refused command changes nothing, and the case stays healthy after every input. Each
//! input starts from the same demo case (restored from its bytes when the previous input changed
//! it), so a crash reproduces from its input alone.
#![no_main]

use std::cell::RefCell;

use evalbench::command::Command;
use evalbench::store::CaseStore;
use evalbench_fuzz::{pristine_demo, working_case_path};
use libfuzzer_sys::fuzz_target;

struct Case {
    store: Option<CaseStore>,
    /// Whether a command was applied since the case was restored.
    dirty: bool,
}

thread_local! {
    static CASE: RefCell<Case> = const { RefCell::new(Case { store: None, dirty: true }) };
}

fn fresh_store() -> CaseStore {
    let path = working_case_path();
    std::fs::write(&path, &pristine_demo().1).expect("the demo case can be copied");
    CaseStore::open(&path).expect("the copy of the demo case opens")
}

fuzz_target!(
    init: {
        pristine_demo();
    },
    |data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        CASE.with_borrow_mut(|case| {
            if case.dirty {
                // The old store's lock goes before the file is replaced.
                case.store = None;
                case.store = Some(fresh_store());
                case.dirty = false;
            }
            let store = case.store.as_mut().expect("restored above");
            for line in text.lines() {
                if line.trim().is_empty() {
                    continue;
                }
                let Ok(command) = serde_json::from_str::<Command>(line) else {
                    continue;
                };
                let before = store.snapshot().expect("the case can be read");
                let journal_before = store.journal_len().expect("the journal can be read");
                match store.apply(&command) {
                    Ok(_) => case.dirty = true,
                    Err(error) => {
                        let after = store.snapshot().expect("the case can be read");
                        assert!(after == before, "the refused command {line} ({error}) changed the case");
                        assert_eq!(
                            store.journal_len().expect("the journal can be read"),
                            journal_before,
                            "the refused command {line} ({error}) was journalled"
                        );
                    }
                }
            }
            let report = store.check().expect("the case can be checked");
            assert!(report.is_healthy(), "the case is unhealthy after {text:?}: {report:?}");
        });
    }
);
