//! Exports from the app (egui_kittest): the Eksporter menu writes the report through the save
//! dialog on a worker thread while the window keeps drawing; a case whose text holds an identity
//! number is held back with the list, and written masked only when the user chooses so.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use common::ui::{Ui, click, harness, workbench_with};
use egui_kittest::kittest::{NodeT, Queryable};
use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

/// Runs frames until the export in progress is done (the window keeps drawing meanwhile).
fn wait_for_export(harness: &mut Ui) -> usize {
    let started = Instant::now();
    let mut frames = 0;
    while harness.state().is_exporting() {
        assert!(started.elapsed() < Duration::from_mins(2), "export hangs");
        harness.step();
        frames += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run();
    frames
}

fn open_menu(harness: &mut Ui) {
    click(harness, "Eksporter");
}

/// Clicks a button that starts an export: the spinner keeps the UI repainting, so one step only.
fn start(harness: &mut Ui, label: &str) {
    harness.get_by_label(label).click();
    harness.step();
}

#[test]
fn the_export_menu_writes_each_report_off_the_ui_thread() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let pdf = dir.path().join("rapport.pdf");
    let docx = dir.path().join("rapport.docx");
    let status = dir.path().join("status.pdf");
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(pdf.clone()), Some(docx.clone()), Some(status.clone())]),
    };
    let mut harness = harness(workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();

    open_menu(&mut harness);
    start(&mut harness, "Rapport som PDF (PDF/A)…");
    // The status bar shows the work while it runs (unless it was quicker than one frame).
    let frames = wait_for_export(&mut harness);
    if frames > 0 {
        eprintln!("the window drew {frames} frames while the PDF was laid out");
    }
    harness.get_by_label_contains("Rapport som PDF (PDF/A) lagret");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));

    open_menu(&mut harness);
    start(&mut harness, "Rapport som Word-dokument (DOCX)…");
    wait_for_export(&mut harness);
    assert!(docx_rs::read_docx(&std::fs::read(&docx).unwrap()).is_ok());

    // The status report from the plan page.
    click(&mut harness, "Handlingsplan");
    start(&mut harness, "Statusrapport…");
    wait_for_export(&mut harness);
    assert!(std::fs::read(&status).unwrap().starts_with(b"%PDF-"));
    harness.get_by_label_contains("Statusrapport som PDF lagret");
}

/// *Arkivpakke (zip)…* in the Eksporter menu writes the package as one zip, whose checksum list
/// names every file in it.
#[test]
fn the_archive_package_is_written_as_one_zip_from_the_export_menu() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let zip_path = dir.path().join("arkiv.zip");
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(zip_path.clone())]),
    };
    let mut harness = harness(workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();
    open_menu(&mut harness);
    start(&mut harness, "Arkivpakke (zip)…");
    wait_for_export(&mut harness);
    harness.get_by_label_contains("Arkivpakke (zip) lagret");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.contains(&"rapport.pdf".to_owned()), "{names:?}");
    assert!(
        names.contains(&"handlingsplan.xlsx".to_owned()),
        "{names:?}"
    );
    let mut sums = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("SHA256SUMS").unwrap(), &mut sums).unwrap();
    assert_eq!(sums.lines().count(), names.len() - 1, "{sums}");
}

/// An invented number that passes the fødselsnummer checks.
const NUMBER: &str = "15076510013";

#[test]
fn an_identity_number_holds_the_export_back_until_masking_is_chosen() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    // An invented, valid fødselsnummer typed into a finding.
    {
        let mut store = CaseStore::open(&case).unwrap();
        let finding = store.snapshot().unwrap().findings[0].clone();
        let mut fields = finding.fields.clone();
        fields.description = format!("{} Gjelder {NUMBER}.", fields.description);
        assert_eq!(evalbench::privacy::scan(&fields.description).len(), 1);
        store
            .apply(&Command::UpdateFinding {
                finding_id: finding.id,
                finding: fields,
            })
            .unwrap();
    }
    let md = dir.path().join("rapport.md");
    let workbook = dir.path().join("plan.xlsx");
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(md.clone()), Some(workbook.clone())]),
    };
    let mut harness = harness(workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();
    open_menu(&mut harness);
    click(&mut harness, "Rapport som Markdown…");
    // Held back: the list, and no dialog was asked, no file written.
    harness.get_by_label_contains("Saken inneholder 1 personopplysning (fødselsnummer");
    harness.get_by_label_contains("Fødselsnummer (norsk) – finding/");
    assert!(!md.exists());
    click(&mut harness, "Avbryt");
    assert!(harness.query_by_label("Eksporter maskert").is_none());
    assert!(!md.exists());

    open_menu(&mut harness);
    click(&mut harness, "Rapport som Markdown…");
    start(&mut harness, "Eksporter maskert");
    wait_for_export(&mut harness);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(!text.contains(NUMBER), "the number leaked");
    let masked = &evalbench::privacy::scan(NUMBER)[0].masked;
    assert!(text.contains(masked.as_str()), "masked as {masked}");

    // The plan workbook is held back the same way, from the plan page.
    click(&mut harness, "Handlingsplan");
    click(&mut harness, "Eksporter til regneark…");
    harness.get_by_label_contains("Saken inneholder 1 personopplysning (fødselsnummer");
    click(&mut harness, "Avbryt");
    assert!(!workbook.exists());
    click(&mut harness, "Eksporter til regneark…");
    click(&mut harness, "Eksporter maskert");
    assert!(workbook.exists(), "the masked workbook was written");
}

/// *Rapporten* on the meeting page: a draft for comment, then the final report, each kept in the
/// case as the file written; a kept version saved again is the same file; undo takes the last
/// keeping back.
#[test]
fn a_draft_then_the_final_report_are_kept_as_sent_from_the_meeting_page() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let draft = dir.path().join("utkast.pdf");
    let workbook = dir.path().join("tilsvar.xlsx");
    let filled = dir.path().join("tilsvar-utfylt.xlsx");
    let report = dir.path().join("rapport.pdf");
    let copy = dir.path().join("kopi.pdf");
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([
            Some(draft.clone()),
            Some(workbook.clone()),
            Some(filled.clone()),
            Some(report.clone()),
            Some(copy.clone()),
        ]),
    };
    // Tall enough that the whole meeting page is on screen.
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 1600.0))
        .build_ui_state(
            |ui, workbench: &mut evalbench::app::Workbench| workbench.ui(ui),
            workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs),
        );
    harness.run();
    // The navigation item (the overview names the meeting among the key dates too).
    harness
        .get_all_by_label("Tilbakemeldingsmøte")
        .next()
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label("Ingen versjoner er sendt ennå.");
    assert!(
        harness
            .get_by_label("Ferdigstill rapport…")
            .accesskit_node()
            .is_disabled(),
        "no final report before a draft"
    );

    start(&mut harness, "Send utkast til kommentar…");
    wait_for_export(&mut harness);
    let store = CaseStore::open_read_only(&case).unwrap();
    let versions = store.report_versions().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].kind, evalbench::domain::ReportKind::Draft);
    assert_eq!(
        versions[0].answer_by,
        Some(DEMO_TODAY.saturating_add(jiff::Span::new().days(14)))
    );
    let (_, kept) = store.report_version_bytes(1).unwrap().unwrap();
    drop(store);
    assert_eq!(
        std::fs::read(&draft).unwrap(),
        kept,
        "the file written is the file kept"
    );
    harness.get_by_label_contains("Versjon 1 (utkast) er lagret i saken");
    harness.get_by_label_contains("Versjon 1: utkast");

    // The provider's response: the workbook goes out, comes back filled in, and is read.
    click(&mut harness, "Tilsvarsark til arrangøren…");
    let sheets = common::workbook_sheets(&std::fs::read(&workbook).unwrap());
    assert_eq!(sheets[0].0, "Tilsvar");
    let case_now = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap();
    let finding = case_now.findings[0].id.0;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tilsvar").unwrap();
    sheet.write_string(0, 0, "Nr").unwrap();
    sheet.write_number(1, 0, finding as f64).unwrap();
    sheet.write_string(1, 4, "Retter faktafeil").unwrap();
    sheet
        .write_string(1, 5, "Planene ble sendt innen fire uker.")
        .unwrap();
    book.save(&filled).unwrap();
    click(&mut harness, "Les inn tilsvar…");
    harness.get_by_label_contains("1 tilsvar er lest inn");
    let response = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap()
        .findings[0]
        .response
        .clone()
        .expect("the response was read");
    assert_eq!(
        response.stance,
        evalbench::domain::ResponseStance::CorrectsFact
    );
    assert_eq!(response.text, "Planene ble sendt innen fire uker.");

    start(&mut harness, "Ferdigstill rapport…");
    wait_for_export(&mut harness);
    let store = CaseStore::open_read_only(&case).unwrap();
    let versions = store.report_versions().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].kind, evalbench::domain::ReportKind::Final);
    let (_, kept_final) = store.report_version_bytes(2).unwrap().unwrap();
    drop(store);
    assert_eq!(std::fs::read(&report).unwrap(), kept_final);
    harness.get_by_label_contains("Rapporten ble ferdigstilt");
    assert!(
        harness
            .query_by_label("Send utkast til kommentar…")
            .is_none(),
        "nothing is sent after the final report"
    );

    harness.get_by_label("Lagre kopi…: utkast 1").click();
    harness.run();
    assert_eq!(std::fs::read(&copy).unwrap(), kept);

    // Undo takes the final version back; the draft stays as it was.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    let store = CaseStore::open_read_only(&case).unwrap();
    assert_eq!(store.report_versions().unwrap().len(), 1);
    assert_eq!(store.report_version_bytes(1).unwrap().unwrap().1, kept);
}

/// The provider's response on the Funn page: picked, typed and marked as having changed the
/// finding, each stored in the case.
#[test]
fn the_providers_response_is_recorded_on_the_findings_page() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 1600.0))
        .build_ui_state(
            |ui, workbench: &mut evalbench::app::Workbench| workbench.ui(ui),
            workbench_with(&case, Lang::Nb, DEMO_TODAY, ScriptedDialogs::default()),
        );
    harness.run();
    let title = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap()
        .findings[0]
        .fields
        .title
        .clone();
    click(&mut harness, "Funn");
    harness
        .get_all_by_label_contains(&title)
        .next()
        .unwrap()
        .click();
    harness.run();
    click(&mut harness, "Tilsvar");
    click(&mut harness, "Uenig");
    let response = |case: &std::path::Path| {
        CaseStore::open_read_only(case)
            .unwrap()
            .snapshot()
            .unwrap()
            .findings[0]
            .response
            .clone()
    };
    let stored = response(&case).expect("a response");
    assert_eq!(stored.stance, evalbench::domain::ResponseStance::Disagrees);
    click(&mut harness, "Funnet er endret etter tilsvaret");
    assert!(response(&case).unwrap().changed);
    harness.get_by_label("Arrangørens tekst").focus();
    harness.run();
    harness
        .get_by_label("Arrangørens tekst")
        .type_text("Vi mener planene holdt fristen.");
    harness.run();
    // Leaving the field stores the text.
    harness.key_press(egui::Key::Tab);
    harness.run();
    assert_eq!(
        response(&case).unwrap().text,
        "Vi mener planene holdt fristen."
    );
}
