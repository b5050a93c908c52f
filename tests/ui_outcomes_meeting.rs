//! The Resultater and Tilbakemeldingsmøte pages headless (egui_kittest): numbers and text typed in
//! the UI reach the case file, and a row whose parts exceed those who ended is not sent.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, demo_workbench, harness, stored, workbench_on};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use evalbench::app::Workbench;
use evalbench::demo::DEMO_TODAY;
use evalbench::domain::{CaseSnapshot, Outcome};
use evalbench::i18n::Lang;
use jiff::civil::date;

fn outcome(snapshot: &CaseSnapshot, year: i32) -> Option<Outcome> {
    snapshot.outcomes.iter().find(|o| o.year == year).copied()
}

/// Opens a page from the side navigation (the overview names some pages too, e.g. as key dates).
fn go_to(harness: &mut Harness<'static, Workbench>, page: &str) {
    harness.get_all_by_label(page).next().unwrap().click();
    harness.run();
}

/// Types `number` into the drag value labelled `label` the way a user does: focus (which selects
/// the old number), type, Enter.
fn enter_number(harness: &mut Harness<'static, Workbench>, label: &str, number: u32) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(&number.to_string());
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn outcome_numbers_typed_in_the_table_are_stored_and_a_year_can_be_added_and_removed() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let before = outcome(&stored(&path), 2025).unwrap();
    assert_eq!(
        (
            before.ended,
            before.to_work,
            before.to_education,
            before.to_other
        ),
        (19, 8, 3, 8)
    );
    let mut harness = harness(workbench);
    harness.run();
    go_to(&mut harness, "Resultater");
    harness.get_by_label("Andel til arbeid eller utdanning per år");
    harness.get_by_label("58 %");

    enter_number(&mut harness, "Til arbeid 2025", 7);
    assert_eq!(
        outcome(&stored(&path), 2025),
        Some(Outcome {
            to_work: 7,
            ..before
        })
    );
    harness.get_by_label("53 %");

    click(&mut harness, "Legg til år");
    assert_eq!(
        outcome(&stored(&path), 2026),
        Some(Outcome {
            year: 2026,
            ended: 0,
            to_work: 0,
            to_education: 0,
            to_other: 0,
        })
    );

    click(&mut harness, "Fjern 2023");
    let years: Vec<i32> = stored(&path).outcomes.iter().map(|o| o.year).collect();
    assert_eq!(years, [2024, 2025, 2026]);
}

#[test]
fn a_row_whose_parts_exceed_those_who_ended_waits_until_it_adds_up() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let before = outcome(&stored(&path), 2025).unwrap();
    let mut harness = harness(workbench);
    harness.run();
    go_to(&mut harness, "Resultater");

    // 8 + 3 + 12 = 23 of 19 who ended: shown with a warning, not sent.
    enter_number(&mut harness, "Annet 2025", 12);
    harness.get_by_label_contains("(23) er flere enn de 19 som avsluttet");
    assert_eq!(outcome(&stored(&path), 2025), Some(before));
    harness.get_by_label("Ikke lagret");
    assert!(harness.state().notice().is_none(), "nothing was refused");

    // Discarding shows the stored numbers again.
    click(&mut harness, "Forkast endringen");
    assert!(harness.query_by_label("Ikke lagret").is_none());
    assert_eq!(
        harness.get_by_label("Annet 2025").value().as_deref(),
        Some("8")
    );

    enter_number(&mut harness, "Annet 2025", 12);
    harness.get_by_label("Ikke lagret");

    // Raising `ended` makes the row valid: both numbers are stored together.
    enter_number(&mut harness, "Avsluttet 2025", 25);
    assert_eq!(
        outcome(&stored(&path), 2025),
        Some(Outcome {
            ended: 25,
            to_other: 12,
            ..before
        })
    );
    assert!(harness.query_by_label_contains("er flere enn de").is_none());
    assert!(harness.query_by_label("Ikke lagret").is_none());
}

#[test]
fn an_empty_case_says_what_to_do_and_adds_this_year() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "ny.evalcase");
    drop(common::new_case(&path));
    let mut harness = harness(workbench_on(&path, Lang::Nb, DEMO_TODAY));
    harness.run();
    go_to(&mut harness, "Resultater");
    harness.get_by_label_contains("Ingen resultater er registrert ennå");
    click(&mut harness, "Legg til år");
    let years: Vec<i32> = stored(&path).outcomes.iter().map(|o| o.year).collect();
    assert_eq!(years, [i32::from(DEMO_TODAY.year())]);
}

#[test]
fn the_meeting_summary_typed_in_the_ui_is_stored_when_the_field_loses_focus() {
    const SUMMARY: &str = "Funnene ble lagt fram og drøftet.";
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let before = stored(&path).feedback_meeting;
    let mut harness = harness(workbench);
    harness.run();
    go_to(&mut harness, "Tilbakemeldingsmøte");
    assert_eq!(
        harness.get_by_label("Deltakere").value().as_deref(),
        Some("NAV-leder, Tiltakskoordinator, Daglig leder, Leder for AFT, Jobbspesialist")
    );

    harness.get_by_label("Oppsummering").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Oppsummering").type_text(SUMMARY);
    harness.run();
    // Another field takes the focus: the summary's draft is committed.
    harness
        .get_by_label("Tiltaksarrangørens kommentarer")
        .click();
    harness.run();

    let meeting = stored(&path).feedback_meeting;
    assert_eq!(meeting.summary, SUMMARY);
    assert_eq!(meeting.participants, before.participants);
    assert_eq!(meeting.provider_comments, before.provider_comments);
    assert_eq!(meeting.date, before.date);
    assert!(!harness.state().has_drafts());
}

#[test]
fn meeting_participants_and_date_are_stored() {
    let dir = common::temp_dir();
    let (workbench, path) = demo_workbench(&dir, Lang::Nb);
    let mut harness = harness(workbench);
    harness.run();
    go_to(&mut harness, "Tilbakemeldingsmøte");

    harness.get_by_label("Deltakere").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Deltakere")
        .type_text("Daglig leder,NAV-leder, ");
    harness.run();
    // Clearing the date right after typing: the date's command must not undo the typed roles.
    harness.get_by_label("Fjern datoen").click();
    harness.run();
    let meeting = stored(&path).feedback_meeting;
    assert_eq!(meeting.participants, ["Daglig leder", "NAV-leder"]);
    assert_eq!(meeting.date, None);

    // "Sett dato" takes the case's key date for the meeting.
    click(&mut harness, "Sett dato");
    let snapshot = stored(&path);
    assert_eq!(snapshot.key_dates.feedback_meeting, Some(date(2026, 3, 5)));
    assert_eq!(snapshot.feedback_meeting.date, Some(date(2026, 3, 5)));
}
