//! The evaluator's daily flow driven headless through labels: an interview, notes, an excerpt
//! linked to a requirement, a finding from it, an action on the deviation, undo, restart, search.
//! Every step is checked in the case file, not only on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, harness as new_harness, stored, workbench_on};
use evalbench::i18n::Lang;

use egui_kittest::kittest::Queryable;
use evalbench::app::{Settings, Workbench};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::domain::{EvidenceRef, FindingKind, RoleId, Stance};
use evalbench::store::{CaseStore, Direction};
use evalbench::ui::Page;
use jiff::civil::date;

const TODAY: jiff::civil::Date = date(2026, 2, 12);
const NOTES: &str = "Planen kommer for sent";

#[test]
fn interview_to_excerpt_to_finding_to_action_then_undo_restart_and_search() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "flow.evalcase");
    common::new_case(&path).close().unwrap();
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, TODAY));
    harness.run();

    // A new interview, with notes typed into it.
    click(&mut harness, "Intervjuer");
    click(&mut harness, "+ Nytt intervju");
    assert_eq!(stored(&path).interviews.len(), 1);
    harness.get_by_label("Notater").focus();
    harness.run();
    harness.get_by_label("Notater").type_text(NOTES);
    harness.run();
    assert!(
        harness.state().has_drafts(),
        "typing is a draft until a pause"
    );
    assert!(harness.state().title().contains("ikke lagret ennå"));

    // Select "for sent" (the last eight characters) and link it to IP-1 as contradicting.
    for _ in 0.."for sent".len() {
        harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    }
    harness.run();
    harness.get_by_label_contains("Merket: «for sent»");
    click(&mut harness, "Krav for utdraget");
    click(&mut harness, "IP-1 Plan innen 4 uker");
    click(&mut harness, "Motsier");
    click(&mut harness, "Knytt til krav");

    let case = stored(&path);
    let interview = &case.interviews[0];
    assert_eq!(
        interview.notes, NOTES,
        "the notes were stored before the excerpt"
    );
    assert_eq!(interview.excerpts.len(), 1);
    let excerpt = &interview.excerpts[0];
    assert_eq!(excerpt.quote, "for sent");
    assert_eq!(excerpt.links.len(), 1);
    assert_eq!(excerpt.links[0].stance, Stance::Contradicts);
    assert_eq!(
        case.requirement(excerpt.links[0].requirement_id)
            .unwrap()
            .code,
        "IP-1"
    );
    assert!(!harness.state().has_drafts());
    assert!(harness.state().title().ends_with("lagret — Evalbench"));

    // A finding from the excerpt: a deviation, since the excerpt contradicts the requirement.
    // Each excerpt's buttons are named with the excerpt, for a screen reader.
    click(&mut harness, "Nytt funn fra utdraget: «for sent»");
    assert_eq!(harness.state().settings.page, Page::Findings);
    let case = stored(&path);
    assert_eq!(case.findings.len(), 1);
    let finding = &case.findings[0];
    assert_eq!(finding.kind, FindingKind::Deviation);
    assert_eq!(finding.evidence, [EvidenceRef::Excerpt(excerpt.id)]);
    assert_eq!(
        finding.requirement_ids,
        excerpt.links[0..1]
            .iter()
            .map(|l| l.requirement_id)
            .collect::<Vec<_>>()
    );
    harness.get_by_label("intervju med NAV-leder 12.02.2026: «for sent»");

    // An action on the deviation in the plan.
    click(&mut harness, "Handlingsplan");
    harness
        .get_by_label_contains("Legg til tiltak til IP-1 · ")
        .click();
    harness.run();
    let case = stored(&path);
    assert_eq!(case.actions.len(), 1);
    assert_eq!(case.actions[0].finding_id, finding.id);

    // Undo twice: once from the keyboard, once from the Edit menu naming what it undoes.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(stored(&path).actions.is_empty());
    click(&mut harness, "Rediger");
    harness.get_by_label_contains("Angre: nytt funn").click();
    harness.run();
    let case = stored(&path);
    assert!(case.findings.is_empty());
    assert_eq!(
        case.interviews[0].excerpts.len(),
        1,
        "only two steps undone"
    );
    harness.get_by_label_contains("Angret: nytt funn");
    drop(harness);

    // Restart: the state is the undone one, and redo is still there.
    let store = CaseStore::open(&path).unwrap();
    assert_eq!(
        store.next_step(Direction::Redo).map(|s| s.op.as_str()),
        Some("add_finding")
    );
    drop(store);
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, TODAY));
    harness.run();
    let case = harness.state().case().unwrap().snapshot().clone();
    assert!(case.findings.is_empty() && case.actions.is_empty());
    assert_eq!(case.interviews[0].excerpts[0].quote, "for sent");
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(stored(&path).findings.len(), 1, "redo after restart");

    // Search finds the excerpt and the notes; Enter opens the best hit on its page.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Søk i saken").type_text("sent");
    harness.run();
    harness.run();
    harness.get_by_label_contains("Utdrag: for");
    harness.get_by_label_contains("Intervjunotater: Planen kommer for");
    harness.get_by_label_contains("Funn: for");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(
        matches!(
            harness.state().settings.page,
            Page::Interviews | Page::Findings
        ),
        "Enter opened the first hit's page"
    );
}

#[test]
fn document_review_with_an_attached_file_and_a_requirement_link() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "docs.evalcase");
    common::new_case(&path).close().unwrap();
    let matrix = dir.path().join("kompetansematrise.csv");
    std::fs::write(&matrix, "navn;kompetanse\nA;jobbspesialist\n").unwrap();
    let mut dialogs = ScriptedDialogs::default();
    dialogs
        .answers
        .push_back(Some(dir.path().join("finnes-ikke.pdf")));
    dialogs.answers.push_back(Some(matrix.clone()));
    let mut workbench = Workbench::new(Settings::default(), Box::new(dialogs)).with_today(TODAY);
    workbench.open(&path);
    let mut harness = new_harness(workbench);
    harness.run();

    click(&mut harness, "Dokumentgjennomgang");
    click(&mut harness, "+ Ny dokumentgjennomgang");
    assert_eq!(stored(&path).document_reviews.len(), 1);

    // A file that is not there: a message naming it, nothing stored.
    click(&mut harness, "Legg ved fil …");
    harness.get_by_label_contains("Kunne ikke legge ved");
    harness.get_by_label_contains("finnes-ikke.pdf");
    assert!(stored(&path).document_reviews[0].attachment.is_none());

    click(&mut harness, "Legg ved fil …");
    let case = stored(&path);
    let attachment = case.document_reviews[0].attachment.clone().unwrap();
    assert_eq!(attachment.file_name, "kompetansematrise.csv");
    assert_eq!(
        attachment.size_bytes,
        std::fs::metadata(&matrix).unwrap().len()
    );
    let store = CaseStore::open_read_only(&path).unwrap();
    assert_eq!(
        store.attachment_content(&attachment.sha256).unwrap(),
        std::fs::read(&matrix).unwrap()
    );
    drop(store);

    click(&mut harness, "Krav for dokumentet");
    click(&mut harness, "KOMP-1 Kompetansematrise");
    click(&mut harness, "Knytt til krav");
    let case = stored(&path);
    let link = case.document_reviews[0].links[0];
    assert_eq!(
        case.requirement(link.requirement_id).unwrap().code,
        "KOMP-1"
    );
    assert_eq!(link.stance, Stance::Supports);
}

/// Typing in one field and then changing another of the same record keeps both changes.
#[test]
fn a_typed_field_survives_a_change_to_another_field_of_the_record() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "fields.evalcase");
    common::new_case(&path).close().unwrap();
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, TODAY));
    harness.run();
    click(&mut harness, "Intervjuer");
    click(&mut harness, "+ Nytt intervju");
    let label = "Intervjuet (koder eller stillinger, kommaseparert)";
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text("D-07");
    harness.run();
    click(&mut harness, "Form");
    click(&mut harness, "Gruppe");
    let interview = &stored(&path).interviews[0];
    assert_eq!(interview.fields.interviewees, ["D-07"]);
    assert_eq!(
        interview.fields.setting,
        evalbench::domain::InterviewSetting::Group
    );
}

/// An identity number typed into notes is flagged on the overview and replaced by the
/// participant's code from the interview, with the file then clean.
#[test]
fn an_identity_number_in_notes_is_flagged_and_replaced_by_the_code() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "fnr.evalcase");
    let mut store = common::new_case(&path);
    store
        .apply(&evalbench::command::Command::AddInterview {
            interview: evalbench::domain::InterviewFields {
                date: TODAY,
                role: RoleId::new("participant"),
                interviewees: vec!["D-05".into()],
                stage: None,
                setting: evalbench::domain::InterviewSetting::Individual,
                channel: evalbench::domain::InterviewChannel::InPerson,
            },
            notes: "Hun oppga 02013299997 da vi spurte.".into(),
        })
        .unwrap();
    store.close().unwrap();
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, TODAY));
    harness.run();
    harness.get_by_label_contains("1 personopplysning (");
    harness
        .get_by_label("Vis personopplysningene i teksten")
        .click();
    harness.run();
    assert_eq!(harness.state().settings.page, Page::Interviews);
    harness.get_by_label_contains("Fødselsnummer (norsk), linje 1, kolonne 11: *********97");
    click(&mut harness, "Erstatt med D-05");
    let case = stored(&path);
    assert_eq!(case.interviews[0].notes, "Hun oppga D-05 da vi spurte.");
    assert!(evalbench::privacy::scan_case(&case).is_empty());
    assert!(
        harness
            .query_by_label_contains("personopplysning")
            .is_none()
    );
}

#[test]
fn the_app_keeps_one_backup_a_day_of_each_case_it_opens() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "daily.evalcase");
    common::new_case(&path).close().unwrap();
    let backups = evalbench::backups::Backups::at(dir.path().join("backups"));
    let open = || {
        let mut workbench = evalbench::app::Workbench::new(
            evalbench::app::Settings::default(),
            Box::new(evalbench::dialogs::ScriptedDialogs::default()),
        )
        .with_backups(backups.clone());
        workbench.open(&path);
        assert!(workbench.case().is_some());
        workbench
    };
    let first = open();
    let case_id = first.case().unwrap().snapshot().case_id.clone();
    assert_eq!(backups.list(&case_id).len(), 1);
    drop(first);
    drop(open());
    assert_eq!(backups.list(&case_id).len(), 1, "not twice the same day");
    let copy = &backups.list(&case_id)[0];
    assert!(evalbench::store::CaseStore::open_read_only(&copy.path).is_ok());
}

#[test]
fn a_finding_shows_its_history_from_the_journal() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "history.evalcase");
    common::new_case(&path).close().unwrap();
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, TODAY));
    harness.run();
    click(&mut harness, "Funn");
    click(&mut harness, "+ Nytt funn");
    click(&mut harness, "Type");
    click(&mut harness, "God praksis");
    click(&mut harness, "Historikk");
    harness.get_by_label("Historikk: Nytt funn");
    harness.get_by_label("nytt funn");
    harness.get_by_label("endre funntype");
    // The window stands in the middle, not over the menu.
    click(&mut harness, "Rediger");
    harness
        .get_by_label_contains("Angre: endre funntype")
        .click();
    harness.run();
    click(&mut harness, "Historikk");
    harness.get_by_label("angret: endre funntype");
}

#[test]
fn a_case_opened_at_start_is_read_while_the_window_draws() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "start.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut workbench = evalbench::app::Workbench::new(
        evalbench::app::Settings::default(),
        Box::new(evalbench::dialogs::ScriptedDialogs::default()),
    );
    workbench.open_in_background(path.clone());
    assert!(
        workbench.case().is_none(),
        "not opened on the caller's thread"
    );
    // Frames are drawn while it is read (how many depends on the machine: a fast one may have
    // it ready by the first).
    let mut harness = common::ui::harness(workbench);
    common::ui::wait_while(&mut harness, evalbench::app::Workbench::is_opening);
    let case = harness.state().case().expect("the case opened");
    assert_eq!(case.path(), path.as_path());
    assert_eq!(case.snapshot().interviews.len(), 12);
}

/// A file dropped on the window, as egui's integration hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(harness: &mut common::ui::Ui, path: &std::path::Path) {
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_owned())));
    harness.run();
}

/// Dropping a case file or plan package on the window opens it (the way to open a file from
/// Finder on macOS, where a double-click does not pass the file); any other file is refused
/// with a message that names it, and the open case stays.
#[test]
fn a_case_file_or_plan_package_dropped_on_the_window_opens() {
    let dir = common::temp_dir();
    let first = common::case_path(&dir, "first.evalcase");
    common::new_case(&first).close().unwrap();
    let demo = common::case_path(&dir, "demo.evalcase");
    evalbench::demo::write_demo(&demo).unwrap();
    let mut harness = new_harness(workbench_on(&first, Lang::Nb, TODAY));
    harness.run();
    assert!(harness.state().title().contains("first.evalcase"));

    let stray = dir.path().join("notes.txt");
    std::fs::write(&stray, "not a case").unwrap();
    drop_file(&mut harness, &stray);
    assert!(harness.state().title().contains("first.evalcase"));
    match harness.state().notice() {
        Some(evalbench::app::Notice::Error(text)) => {
            assert!(
                text.contains("notes.txt") && text.contains(".evalcase"),
                "{text}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    drop_file(&mut harness, &demo);
    assert!(
        harness.state().title().contains("demo.evalcase"),
        "{}",
        harness.state().title()
    );

    let package = dir.path().join("plan.EVALPLAN");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(["plan", "export"])
        .arg(&demo)
        .args(["--format", "package", "--out"])
        .arg(&package)
        .status()
        .unwrap();
    assert!(status.success());
    drop_file(&mut harness, &package);
    assert!(
        harness.state().title().contains("plan.EVALPLAN"),
        "{}",
        harness.state().title()
    );
    let case = harness.state().case().unwrap();
    assert!(
        case.snapshot().provider_package.is_some(),
        "opened in provider mode"
    );
}
