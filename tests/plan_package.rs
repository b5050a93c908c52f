//! The provider package: a case file holding only what the provider may see, editable only in
//! its plan, and read back like a workbook.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::{ActionFields, ActionStatus, FindingKind};
use evalbench::i18n::Lang;
use evalbench::plan_exchange;
use evalbench::store::{CaseStore, StoreError};

#[test]
fn a_package_holds_only_the_plan_and_comes_back_with_the_providers_edits() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let original = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap();
    let package = dir.path().join("plan.evalplan");
    CaseStore::open_read_only(&case)
        .unwrap()
        .write_provider_package(&package)
        .unwrap();

    // What the provider gets: facts, deviations, the plan; no notes, excerpts, codes, journal.
    let mut store = CaseStore::open(&package).unwrap();
    let seen = store.snapshot().unwrap();
    assert_eq!(seen.case_id, original.case_id);
    assert!(seen.interviews.is_empty() && seen.document_reviews.is_empty());
    assert!(
        seen.findings
            .iter()
            .all(|f| f.kind == FindingKind::Deviation)
    );
    assert_eq!(
        seen.findings.len(),
        original
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deviation)
            .count()
    );
    assert!(seen.findings.iter().all(|f| f.evidence.is_empty()));
    assert!(seen.outcomes.is_empty() && seen.fidelity.is_none());
    assert!(seen.feedback_meeting.summary.is_empty());
    assert_eq!(store.journal().unwrap().len(), 0);
    let bytes = std::fs::read(&package).unwrap();
    for interview in &original.interviews {
        let needle = interview.notes.get(..40).unwrap_or(&interview.notes);
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "interview notes must not be left in the file"
        );
    }
    assert!(
        !bytes.windows(4).any(|w| w == b"D-03"),
        "no participant codes"
    );

    // Only the plan can be edited in a package.
    let refused = store.apply(&Command::UpdateFinding {
        finding_id: seen.findings[0].id,
        finding: evalbench::domain::FindingFields {
            title: "Endret av arrangøren".into(),
            description: String::new(),
        },
    });
    assert!(
        matches!(
            &refused,
            Err(StoreError::Rejected(
                evalbench::domain::Rejection::ProviderPackage
            ))
        ),
        "{refused:?}"
    );
    let first = seen.actions[0].clone();
    store
        .apply(&Command::SetActionStatus {
            action_id: first.id,
            status: ActionStatus::InProgress,
        })
        .unwrap();
    store
        .apply(&Command::AddAction {
            finding_id: first.finding_id,
            action: ActionFields {
                description: "Nytt tiltak fra arrangøren".into(),
                owner: "Daglig leder".into(),
                due_date: Some(jiff::civil::date(2027, 3, 1)),
                ..ActionFields::default()
            },
        })
        .unwrap();
    store.close().unwrap();

    // Meanwhile NAV adds an action in the case: the provider's new action may get the same id
    // in the package, and must still come back as new.
    let mut nav = CaseStore::open(&case).unwrap();
    nav.apply(&Command::AddAction {
        finding_id: first.finding_id,
        action: ActionFields {
            description: "NAVs eget tiltak".into(),
            owner: "NAV".into(),
            ..ActionFields::default()
        },
    })
    .unwrap();
    let now = nav.snapshot().unwrap();
    nav.close().unwrap();

    let raw = plan_exchange::read_any(&package, Lang::Nb).unwrap();
    let changes = plan_exchange::check(&now, &raw, DEMO_TODAY, Lang::Nb).unwrap();
    assert_eq!(changes.added.len(), 1, "{changes:?}");
    assert_eq!(changes.added[0].1.description, "Nytt tiltak fra arrangøren");
    assert_eq!(changes.changed.len(), 1, "{changes:?}");
    assert_eq!(changes.changed[0].0, first.id);
    assert_eq!(changes.changed[0].2.status, ActionStatus::InProgress);
    // NAV's own new action was never in the package, so it is not taken as removed.
    assert!(changes.removed.is_empty(), "{changes:?}");

    // Accepted; then the same package comes again: the provider's new action is recognised,
    // not added a second time.
    let mut nav = CaseStore::open(&case).unwrap();
    nav.apply(&changes.command()).unwrap();
    let now = nav.snapshot().unwrap();
    nav.close().unwrap();
    let again = plan_exchange::check(&now, &raw, DEMO_TODAY, Lang::Nb).unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(again.already_imported.len(), 1, "{again:?}");
    assert_eq!(
        again.already_imported[0].description,
        "Nytt tiltak fra arrangøren"
    );
    assert_eq!(
        again.already_imported[0].imported_on,
        now.imported_rows[0].imported_on
    );
}
