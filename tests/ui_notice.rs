//! The notice in the app (egui_kittest): on the overview of a case being planned, the documents
//! to ask for are suggested from the catalog and the letter is written; on the document page
//! the same documents are a checklist, marked received with the day, and a review is started
//! from one and shown.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use common::ui::{Ui, click, workbench_with};
use egui_kittest::kittest::Queryable;
use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::domain::Phase;
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

fn stored(case: &std::path::Path) -> evalbench::domain::CaseSnapshot {
    CaseStore::open_read_only(case).unwrap().snapshot().unwrap()
}

fn wait_for_export(harness: &mut Ui) {
    let started = Instant::now();
    while harness.state().is_exporting() {
        assert!(started.elapsed() < Duration::from_mins(2), "export hangs");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run();
}

#[test]
fn the_notice_is_made_on_the_overview_and_checked_off_on_the_document_page() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let mut store = CaseStore::open(&case).unwrap();
    store
        .apply(&Command::SetPhase {
            phase: Phase::Planning,
        })
        .unwrap();
    let demo = store.snapshot().unwrap();
    // The catalog's document sources the demo's notice did not ask for yet.
    let sources: Vec<String> = evalbench::domain::notice::document_sources(&demo.requirements)
        .into_iter()
        .filter(|s| {
            !demo
                .requested_documents
                .iter()
                .any(|d| d.title.to_lowercase() == s.to_lowercase())
        })
        .collect();
    let asked_before = demo.requested_documents.len();
    store.close().unwrap();
    let letter = dir.path().join("varsel.pdf");
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(letter.clone())]),
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 1200.0))
        .build_ui_state(
            |ui, workbench: &mut evalbench::app::Workbench| workbench.ui(ui),
            workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs),
        );
    harness.run();
    harness.get_by_label("Varsel til arrangøren");
    click(
        &mut harness,
        &format!("Foreslå fra kravspesifikasjonen ({})", sources.len()),
    );
    let requested = stored(&case).requested_documents;
    assert_eq!(
        requested[asked_before..]
            .iter()
            .map(|d| d.title.clone())
            .collect::<Vec<_>>(),
        sources
    );
    // Every source is asked for now: nothing left to suggest.
    harness.get_by_label("Foreslå fra kravspesifikasjonen (0)");

    harness.get_by_label("Lag varsel (PDF)…").click();
    harness.step();
    wait_for_export(&mut harness);
    assert!(letter.exists(), "{:?}", harness.state().notice());
    assert!(std::fs::read(&letter).unwrap().starts_with(b"%PDF-"));

    click(&mut harness, "Dokumentgjennomgang");
    let received = requested.iter().filter(|d| d.received_on.is_some()).count();
    harness.get_by_label(&format!(
        "Etterspurt i varselet ({received} av {} mottatt)",
        requested.len()
    ));
    // The first one the demo's provider never sent.
    let first_index = requested
        .iter()
        .position(|d| d.received_on.is_none())
        .unwrap();
    let first = &requested[first_index].title;
    click(&mut harness, first);
    assert_eq!(
        stored(&case).requested_documents[first_index].received_on,
        Some(DEMO_TODAY)
    );
    harness.get_by_label(&format!(
        "mottatt {}",
        evalbench::i18n::date(Lang::Nb, Some(DEMO_TODAY))
    ));

    let second = &requested[first_index + 1].title;
    click(&mut harness, &format!("Start gjennomgang: {second}"));
    let now = stored(&case);
    let review = now.requested_documents[first_index + 1]
        .document_review_id
        .expect("a review started from it");
    let title = &now
        .document_reviews
        .iter()
        .find(|r| r.id == review)
        .unwrap()
        .fields
        .title;
    assert_eq!(title, second);
    harness.get_by_label(&format!("Vis gjennomgang: {second}"));
}
