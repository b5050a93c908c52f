//! The app headless (egui_kittest, no display): the demo case's real data on the pages, and
//! edits made in the UI reaching the case file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{demo_workbench, harness, stored, type_into};

use egui_kittest::kittest::Queryable;
use evalbench::app::{Settings, Workbench};
use evalbench::demo::DEMO_TODAY;
use evalbench::dialogs::ScriptedDialogs;
use evalbench::domain::{FindingKind, Phase};
use evalbench::i18n::Lang;
use evalbench::ui::Page;

#[test]
fn overview_shows_provider_and_real_counts() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let snapshot = stored(&path);
    let mut harness = harness(workbench);
    harness.run();

    // The heading names the provider, and so does the editable field in the facts table.
    harness.get_by_label(&snapshot.facts.provider_name);
    assert_eq!(
        harness.get_by_label("Tiltaksarrangør").value().as_deref(),
        Some(snapshot.facts.provider_name.as_str())
    );
    let summary = format!(
        "{} intervjuer · {} dokumenter · {} funn, herav {} avvik · {} tiltak i handlingsplanen",
        snapshot.interviews.len(),
        snapshot.document_reviews.len(),
        snapshot.findings.len(),
        snapshot.findings_of(FindingKind::Deviation),
        snapshot.actions.len()
    );
    harness.get_by_label(&summary);
    assert!(snapshot.findings.len() >= 10, "the demo has its findings");
    // The findings-by-kind table labels each kind in Norwegian.
    for label in ["Avvik", "Forbedringsområde", "God praksis", "I samsvar"] {
        harness.get_by_label(label);
    }
    assert_eq!(
        harness.state().title(),
        format!(
            "{} — demo.evalcase — lagret — Evalbench",
            snapshot.facts.provider_name
        )
    );
}

#[test]
fn navigation_reaches_every_page_and_english_works() {
    let dir = common::temp_dir();
    let (workbench, _) = demo_workbench(&dir, Lang::En);
    let mut harness = harness(workbench);
    harness.run();
    harness.get_by_label("Overview");
    for (label, page) in [
        ("Requirements", Page::Requirements),
        ("Interviews", Page::Interviews),
        ("Document review", Page::Documents),
        ("Findings", Page::Findings),
        ("Coverage matrix", Page::Coverage),
        ("Feedback meeting", Page::Meeting),
        ("Action plan", Page::Plan),
        ("Outcomes", Page::Outcomes),
    ] {
        harness.get_all_by_label(label).next().unwrap().click();
        harness.run();
        assert_eq!(harness.state().settings.page, page, "clicking {label}");
    }
}

#[test]
fn phase_change_in_the_ui_is_stored() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let mut harness = harness(workbench);
    harness.run();
    let phase = harness.get_by_label("Fase");
    assert_eq!(
        phase.value().as_deref(),
        Some("Oppfølging av handlingsplan")
    );
    phase.click();
    harness.run();
    // Closing is not a phase to pick: it is *Avslutt saken*, dated.
    assert!(harness.query_by_label("Avsluttet").is_none());
    harness.get_by_label("Analyse").click();
    harness.run();
    // Durable at once: a second connection sees it while the app still has the case open.
    let saved = stored(&path);
    assert_eq!(saved.phase, Phase::Analysis);
    assert_eq!(
        harness.state().case().unwrap().snapshot().phase,
        Phase::Analysis
    );
}

#[test]
fn a_bad_file_shows_a_message_and_keeps_the_open_case() {
    let dir = common::temp_dir();
    let (mut workbench, path) = demo_workbench(&dir, Lang::Nb);
    let junk = common::case_path(&dir, "junk.evalcase");
    std::fs::write(&junk, b"not a case at all").unwrap();
    workbench.open(&junk);
    assert_eq!(workbench.case().unwrap().path(), path.as_path());
    let mut harness = harness(workbench);
    harness.run();
    harness.get_by_label_contains("junk.evalcase");
    assert_eq!(std::fs::read(&junk).unwrap(), b"not a case at all");
}

#[test]
fn new_case_form_checks_its_fields_then_creates_and_opens_the_case() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "ny.evalcase");
    let mut dialogs = ScriptedDialogs::default();
    dialogs.answers.push_back(Some(path.clone()));
    let workbench = Workbench::new(Settings::default(), Box::new(dialogs)).with_today(DEMO_TODAY);
    let mut harness = harness(workbench);
    harness.run();
    harness.get_by_label("Fil").click();
    harness.run();
    harness.get_by_label_contains("Ny sak …").click();
    harness.run();

    harness.get_by_label("Opprett …").click();
    harness.run();
    harness.get_by_label("Skriv inn navnet på tiltaksarrangøren.");

    type_into(&mut harness, "Tiltaksarrangør", "Testarrangør AS");
    type_into(&mut harness, "Organisasjonsnummer", "123456789");
    harness.get_by_label("Opprett …").click();
    harness.run();
    harness.get_by_label_contains("Organisasjonsnummeret er ikke gyldig");
    assert!(!path.exists(), "a refused form writes no file");

    harness.get_by_label("Organisasjonsnummer").focus();
    harness.run();
    for _ in 0.."123456789".len() {
        harness.key_press(egui::Key::Backspace);
    }
    type_into(&mut harness, "Organisasjonsnummer", "921734581");
    // Encrypted by default: a passphrase is needed, typed twice.
    harness.get_by_label("Opprett …").click();
    harness.run();
    harness.get_by_label("Passordet må ha minst 8 tegn.");
    assert!(!path.exists());
    type_into(&mut harness, "Passord", "en lang setning");
    type_into(&mut harness, "Gjenta passordet", "en lang setning");
    harness.get_by_label("Opprett …").click();
    harness.run();

    let case = harness.state().case().expect("the new case is open");
    assert_eq!(case.path(), path.as_path());
    assert!(evalbench::store::needs_passphrase(&path), "encrypted");
    let key = evalbench::store::Passphrase::new("en lang setning").unwrap();
    let saved = evalbench::store::read_case_keyed(&path, Some(&key)).unwrap();
    assert_eq!(saved.facts.provider_name, "Testarrangør AS");
    assert_eq!(
        saved.facts.org_number.map(|n| n.to_string()).as_deref(),
        Some("921 734 581")
    );
    assert!(!saved.requirements.is_empty(), "the catalog was adopted");
}

#[test]
fn facts_are_edited_in_place_and_a_bad_org_number_is_held_back() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let before = stored(&path);
    let mut harness = harness(workbench);
    harness.run();

    // A wrong check digit: the field says so and nothing is stored, even after leaving it.
    harness.get_by_label("Organisasjonsnummer").focus();
    harness.run();
    harness.key_press(egui::Key::End);
    harness.key_press(egui::Key::Backspace);
    harness.get_by_label("Organisasjonsnummer").type_text("2");
    harness.run();
    harness.get_by_label("NAV-enhet").focus();
    harness.run();
    harness.get_by_label_contains("Organisasjonsnummeret er ikke gyldig");
    let saved = stored(&path);
    assert_eq!(saved.facts.org_number, before.facts.org_number);

    // The NAV unit typed and left: stored as typed.
    harness.key_press(egui::Key::End);
    harness.get_by_label("NAV-enhet").type_text(" øst");
    harness.run();
    harness.get_by_label("Avtalte plasser").focus();
    harness.run();
    let saved = stored(&path);
    assert_eq!(
        saved.facts.nav_unit,
        format!("{} øst", before.facts.nav_unit)
    );
    assert_eq!(saved.facts.provider_name, before.facts.provider_name);

    // The gaps are listed, counted as the domain counts them.
    let warnings = before.warnings(DEMO_TODAY);
    assert!(
        !warnings.overdue_actions.is_empty(),
        "the demo has overdue actions"
    );
    harness.get_by_label(&format!(
        "{} tiltak har passert fristen",
        warnings.overdue_actions.len()
    ));
    assert_eq!(
        harness
            .query_by_label_contains("avvik uten tiltak")
            .is_some(),
        !warnings.deviations_without_action.is_empty()
    );
}

#[test]
fn a_requirement_shows_its_evidence_and_leads_to_it() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let snapshot = stored(&path);
    let mut harness = harness(workbench);
    harness.run();
    harness.get_all_by_label("Krav").next().unwrap().click();
    harness.run();
    // The first requirement that has an excerpt, and that excerpt's interview.
    let (requirement, interview) = snapshot
        .requirements
        .iter()
        .find_map(|r| {
            snapshot
                .interviews
                .iter()
                .find(|i| {
                    i.excerpts
                        .iter()
                        .any(|e| e.links.iter().any(|l| l.requirement_id == r.id))
                })
                .map(|i| (r, i))
        })
        .unwrap();
    harness
        .get_by_label_contains(&format!("{} {} —", requirement.code, requirement.title))
        .click();
    harness.run();
    harness.get_all_by_label("Vis").next().unwrap().click();
    harness.run();
    assert_eq!(harness.state().settings.page, Page::Interviews);
    // The interview of the excerpt is open: named in the list and in the editor's heading.
    let line = format!(
        "{} · {}",
        evalbench::i18n::date(Lang::Nb, Some(interview.fields.date)),
        evalbench::i18n::role_name(&snapshot, &interview.fields.role, Lang::Nb)
    );
    assert_eq!(harness.get_all_by_label_contains(&line).count(), 2);
}

#[test]
fn a_case_open_in_another_window_is_refused_with_a_message() {
    let dir = common::temp_dir();
    let (first, path) = demo_workbench(&dir, Lang::Nb);
    let mut second = Workbench::new(Settings::default(), Box::new(ScriptedDialogs::default()))
        .with_today(DEMO_TODAY);
    second.open(&path);
    assert!(second.case().is_none());
    let message = match second.notice() {
        Some(evalbench::app::Notice::Error(message)) => message.clone(),
        other => panic!("expected an error notice, got {other:?}"),
    };
    assert!(
        message.contains("er åpen i et annet Evalbench-vindu"),
        "{message}"
    );
    assert!(message.contains("demo.evalcase"), "{message}");
    drop(first);
    second.open(&path);
    assert!(
        second.case().is_some(),
        "free once the first window is gone"
    );
}

/// The eve of an overdue day in the demo case: the last day an open action is not yet overdue,
/// the day after, the overdue counts on each, and a clock the test moves between them.
struct Midnight {
    due: jiff::civil::Date,
    next: jiff::civil::Date,
    before: usize,
    after: usize,
    day: std::sync::Arc<std::sync::Mutex<jiff::civil::Date>>,
}

impl Midnight {
    fn of(path: &std::path::Path) -> Midnight {
        let snapshot = stored(path);
        let due = snapshot
            .actions
            .iter()
            .filter(|a| a.fields.status.is_open())
            .filter_map(|a| a.fields.due_date)
            .filter(|due| *due >= DEMO_TODAY)
            .min()
            .unwrap();
        let next = due.tomorrow().unwrap();
        let before = snapshot.warnings(due).overdue_actions.len();
        let after = snapshot.warnings(next).overdue_actions.len();
        assert!(after > before, "{before} → {after}");
        Midnight {
            due,
            next,
            before,
            after,
            day: std::sync::Arc::new(std::sync::Mutex::new(due)),
        }
    }

    fn clock(&self) -> evalbench::app::Clock {
        let day = std::sync::Arc::clone(&self.day);
        evalbench::app::Clock::from_fn(move || *day.lock().unwrap())
    }

    fn pass(&self) {
        *self.day.lock().unwrap() = self.next;
    }
}

fn overdue_label(count: usize) -> String {
    format!("{count} tiltak har passert fristen")
}

/// Left open past midnight, the app counts an action due yesterday as overdue without the case
/// being opened again: "today" is read from the clock each frame.
#[test]
fn overdue_marks_follow_the_clock_past_midnight() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let midnight = Midnight::of(&path);
    assert_eq!(*midnight.day.lock().unwrap(), midnight.due);
    let mut harness = harness(workbench.with_clock(midnight.clock()));
    harness.run();
    harness.get_by_label(&overdue_label(midnight.before));
    midnight.pass();
    harness.run();
    harness.get_by_label(&overdue_label(midnight.after));
    assert!(
        harness
            .query_by_label(&overdue_label(midnight.before))
            .is_none()
    );
}

/// A case opened on the worker thread just before midnight arrives with the old day's overdue
/// marks; the first frame after it arrives brings it to the new day (before, it kept them until
/// its next edit).
#[test]
fn a_case_opened_across_midnight_shows_the_new_days_marks() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "midnight.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let midnight = Midnight::of(&path);
    let settings = Settings {
        lang: Lang::Nb,
        ..Settings::default()
    };
    let mut workbench =
        Workbench::new(settings, Box::new(ScriptedDialogs::default())).with_clock(midnight.clock());
    // The case is read for the old day; midnight passes before it arrives.
    workbench.open_in_background(path.clone());
    midnight.pass();
    let mut harness = harness(workbench);
    common::ui::wait_while(&mut harness, Workbench::is_opening);
    harness.run();
    harness.get_by_label(&overdue_label(midnight.after));
    assert!(
        harness
            .query_by_label(&overdue_label(midnight.before))
            .is_none()
    );
}

#[test]
fn the_profile_name_is_offered_for_the_case_evaluator_list() {
    let dir = common::temp_dir();
    let (mut workbench, path) = demo_workbench(&dir, Lang::Nb);
    workbench.settings.author = "Kari Evaluator".into();
    let mut harness = harness(workbench);
    harness.run();
    assert!(
        !stored(&path)
            .evaluators
            .contains(&"Kari Evaluator".to_owned())
    );
    harness.get_by_label("Legg meg til: Kari Evaluator").click();
    harness.run();
    let evaluators = stored(&path).evaluators;
    assert_eq!(
        evaluators.last().map(String::as_str),
        Some("Kari Evaluator")
    );
    // On the list, it is no longer offered.
    assert!(
        harness
            .query_by_label("Legg meg til: Kari Evaluator")
            .is_none()
    );
}

/// The first privacy scan runs beside the window: the overview shows its warning once the scan
/// is done, and a number typed in later is found by scanning only what the edit changed.
#[test]
fn personal_numbers_show_on_the_overview_after_the_background_scan() {
    use evalbench::command::Command;
    use evalbench::store::CaseStore;
    const NUMBER: &str = "15076510013"; // invented; passes the fødselsnummer checks
    let dir = common::temp_dir();
    let path = dir.path().join("demo.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    {
        let mut store = CaseStore::open(&path).unwrap();
        let interview = store.snapshot().unwrap().interviews[0].clone();
        store
            .apply(&Command::SetInterviewNotes {
                interview_id: interview.id,
                notes: format!("{}\nNummer: {NUMBER}", interview.notes),
            })
            .unwrap();
    }
    let workbench = common::ui::workbench_on(&path, Lang::Nb, DEMO_TODAY);
    let mut harness = harness(workbench);
    common::ui::wait_while(&mut harness, Workbench::is_scanning_privacy);
    harness.get_by_label_contains("1 personopplysning (fødselsnummer");

    let finding = stored(&path).findings[0].clone();
    let mut fields = finding.fields.clone();
    fields.description = format!("{} Også {NUMBER}.", fields.description);
    harness.state_mut().submit(Command::UpdateFinding {
        finding_id: finding.id,
        finding: fields,
    });
    harness.state_mut().apply_pending();
    harness.run();
    assert!(
        stored(&path).findings[0]
            .fields
            .description
            .contains(NUMBER),
        "{:?}",
        harness.state().notice()
    );
    harness.get_by_label_contains("2 personopplysninger (fødselsnummer");
}

/// An edit of a finding's own fields reads only that finding again (not the findings part):
/// the app's findings stay the file's, and a change of kind still reaches the overview's
/// warnings.
#[test]
fn a_findings_own_edit_is_read_back_alone_and_reaches_the_warnings() {
    use evalbench::command::Command;
    use evalbench::domain::FindingKind;
    let dir = common::temp_dir();
    let path = dir.path().join("demo.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let workbench = common::ui::workbench_on(&path, Lang::Nb, DEMO_TODAY);
    let mut harness = harness(workbench);
    common::ui::wait_while(&mut harness, Workbench::is_scanning_privacy);
    let before = stored(&path);
    let without_action = before.warnings(DEMO_TODAY).deviations_without_action.len();
    let label = |n: usize| format!("{n} avvik uten tiltak");
    assert!(
        harness
            .query_all_by_label_contains(&label(without_action + 1))
            .next()
            .is_none()
    );

    let finding = before
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::ImprovementArea)
        .unwrap()
        .clone();
    let mut fields = finding.fields.clone();
    fields.description = format!("{} Nytt avsnitt.", fields.description);
    harness.state_mut().submit(Command::UpdateFinding {
        finding_id: finding.id,
        finding: fields,
    });
    harness.state_mut().submit(Command::SetFindingKind {
        finding_id: finding.id,
        kind: FindingKind::Deviation,
    });
    harness.state_mut().apply_pending();
    harness.run();
    // An interview's notes typed in, with an identity number: only that interview is read and
    // scanned again.
    let interview = before.interviews[2].clone();
    harness.state_mut().submit(Command::SetInterviewNotes {
        interview_id: interview.id,
        notes: format!("{} Nummer 15076510013.", interview.notes),
    });
    harness.state_mut().apply_pending();
    harness.run();
    let after = stored(&path);
    let shown = harness.state().case().unwrap().snapshot();
    assert_eq!(shown.findings, after.findings);
    assert_ne!(after.findings, before.findings);
    assert_eq!(shown.interviews, after.interviews);
    assert_ne!(after.interviews, before.interviews);
    harness.get_by_label_contains("1 personopplysning (fødselsnummer");

    // An overdue action closed through the app: only that action is read again, and the
    // overview's overdue warning follows its status.
    let overdue = before.warnings(DEMO_TODAY).overdue_actions;
    assert!(!overdue.is_empty(), "the demo has overdue actions");
    let overdue_label = |n: usize| format!("{n} tiltak har passert fristen");
    let overdue_shown = |harness: &common::ui::Ui, n: usize| {
        harness
            .query_all_by_label_contains(&overdue_label(n))
            .next()
            .is_some()
    };
    assert!(overdue_shown(&harness, overdue.len()));
    harness.state_mut().submit(Command::SetActionStatus {
        action_id: overdue[0],
        status: evalbench::domain::ActionStatus::Done,
    });
    harness.state_mut().apply_pending();
    harness.run();
    let after = stored(&path);
    assert_eq!(
        harness.state().case().unwrap().snapshot().actions,
        after.actions
    );
    assert_eq!(
        after.warnings(DEMO_TODAY).overdue_actions.len(),
        overdue.len() - 1
    );
    assert!(
        !overdue_shown(&harness, overdue.len()),
        "the warning did not follow the action"
    );
    assert!(
        harness
            .query_all_by_label_contains(&label(without_action + 1))
            .next()
            .is_some()
    );
}

/// After an edit of one interview's notes or one finding, scanning only that entity again gives
/// the hits of a whole scan, in the same order.
#[test]
fn an_entity_rescan_gives_the_hits_of_a_whole_scan() {
    use evalbench::privacy::{ScanCache, Section, scan_case};
    const NUMBER: &str = "15076510013"; // invented; passes the fødselsnummer checks
    let dir = common::temp_dir();
    let path = dir.path().join("demo.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut snapshot = stored(&path);
    let mut cache = ScanCache::default();
    let before = cache.scan_case(&snapshot);
    assert_eq!(before, scan_case(&snapshot));

    let interview = &mut snapshot.interviews[3];
    interview.notes = format!("{} Nummer {NUMBER}.", interview.notes);
    let entity = interview.id.to_string();
    let hits = cache.rescan_entities(&snapshot, Section::Interviews, &[entity]);
    assert_eq!(hits, scan_case(&snapshot));
    assert_eq!(hits.len(), before.len() + 1);

    snapshot.findings[2].fields.description = format!("Se {NUMBER}.");
    let entity = snapshot.findings[2].id.to_string();
    let hits = cache.rescan_entities(&snapshot, Section::Findings, std::slice::from_ref(&entity));
    assert_eq!(hits, scan_case(&snapshot));
    assert_eq!(hits.len(), before.len() + 2);

    snapshot.findings[2].fields.description.clear();
    let hits = cache.rescan_entities(&snapshot, Section::Findings, &[entity]);
    assert_eq!(hits, scan_case(&snapshot));
}
