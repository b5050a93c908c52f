//! The round-trip through the program providers actually use: a plan workbook edited and saved
//! by LibreOffice (driven by `tests/libreoffice/edit_plan.py` over UNO) imports with exactly the
//! edits made. Needs `soffice` and Python's `uno` module; CI installs them and sets
//! `EVALBENCH_REQUIRE_LIBREOFFICE=1`, which turns their absence into a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::process::Command;

use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::ActionStatus;
use evalbench::i18n::Lang;
use evalbench::plan_exchange::{self, PlanFile, xlsx};
use evalbench::store::CaseStore;

/// The system's Python, which is where Debian's python3-uno lives (a pyenv or venv Python
/// earlier in PATH does not have it).
fn python() -> &'static str {
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn libreoffice_available() -> bool {
    let soffice = Command::new("soffice").arg("--version").output();
    let uno = Command::new(python()).args(["-c", "import uno"]).output();
    soffice.is_ok_and(|o| o.status.success()) && uno.is_ok_and(|o| o.status.success())
}

#[test]
fn a_plan_edited_in_libreoffice_imports_with_exactly_the_edits() {
    if !libreoffice_available() {
        assert!(
            std::env::var_os("EVALBENCH_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice (soffice) and python3-uno are required here but missing"
        );
        eprintln!("skipped: LibreOffice or python3-uno is not installed");
        return;
    }
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let snapshot = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap();
    let exported = dir.path().join("plan.xlsx");
    xlsx::write(&PlanFile::from_case(&snapshot), Lang::Nb, &exported).unwrap();
    let edited = dir.path().join("edited.xlsx");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/libreoffice/edit_plan.py"
    );
    let out = Command::new(python())
        .args([script, exported.to_str().unwrap(), edited.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let raw = xlsx::read(&edited).unwrap();
    let changes = plan_exchange::check(&snapshot, &raw, DEMO_TODAY, Lang::Nb).unwrap();
    assert_eq!(changes.added.len(), 1, "{changes:?}");
    let (deviation, added) = &changes.added[0];
    assert_eq!(*deviation, snapshot.actions[0].finding_id);
    assert_eq!(added.description, "Ny rutine for varsling av frister");
    assert_eq!(added.owner, "Tiltakskoordinator");
    assert_eq!(added.due_date, Some(jiff::civil::date(2027, 2, 1)));
    assert_eq!(changes.changed.len(), 2, "{changes:?}");
    let (first, before, after) = &changes.changed[0];
    assert_eq!(*first, snapshot.actions[0].id);
    assert_eq!(after.owner, "Leder for tiltaket");
    assert_eq!(
        ActionFieldsWithoutOwner::from(before),
        ActionFieldsWithoutOwner::from(after),
        "only the owner changed"
    );
    assert_eq!(changes.changed[1].2.status, ActionStatus::InProgress);
    assert!(changes.removed.is_empty(), "{changes:?}");
    assert!(changes.ignored_edits.is_empty(), "{changes:?}");
}

/// An action's fields but the owner, to say "nothing else changed".
#[derive(Debug, PartialEq)]
struct ActionFieldsWithoutOwner {
    description: String,
    due_date: Option<jiff::civil::Date>,
    status: ActionStatus,
    closure_evidence: String,
}

impl From<&evalbench::domain::ActionFields> for ActionFieldsWithoutOwner {
    fn from(fields: &evalbench::domain::ActionFields) -> Self {
        ActionFieldsWithoutOwner {
            description: fields.description.clone(),
            due_date: fields.due_date,
            status: fields.status,
            closure_evidence: fields.closure_evidence.clone(),
        }
    }
}
