//! The Nettverk page (egui_kittest): a folder of cases read on a worker thread while the window
//! keeps drawing, the comparison shown by area, outcomes, plans and good practice (searchable),
//! anonymised on request, and written out as a workbook.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use calamine::Reader as _;
use common::ui::{Ui, click, harness, type_into};
use egui_kittest::kittest::Queryable;
use evalbench::app::{Settings, Workbench};
use evalbench::demo::{DEMO_TODAY, write_network};
use evalbench::dialogs::ScriptedDialogs;

fn wait_for_reading(harness: &mut Ui) {
    let started = Instant::now();
    while harness.state().is_reading_network() {
        assert!(started.elapsed() < Duration::from_mins(1), "reading hangs");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run();
}

#[test]
fn the_network_page_compares_a_folder_of_cases() {
    let dir = common::temp_dir();
    let cases = dir.path().join("saker");
    write_network(&cases, 8).unwrap();
    std::fs::write(cases.join("ødelagt.evalcase"), b"ikke en sak").unwrap();
    let xlsx = dir.path().join("oversikt.xlsx");
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(cases.clone()), Some(xlsx.clone())]),
    };
    // No case open: the page is reached from the File menu.
    let workbench = Workbench::new(Settings::default(), Box::new(dialogs)).with_today(DEMO_TODAY);
    let mut harness = harness(workbench);
    harness.run();
    click(&mut harness, "Fil");
    click(&mut harness, "Nettverk: sammenlign saker");
    harness.get_by_label("Ingen saker lest ennå.");

    click(&mut harness, "Velg mappe …");
    wait_for_reading(&mut harness);
    harness.get_by_label_contains("8 saker fra 8 arrangører");
    harness.get_by_label_contains("1 ikke lest");
    let overview = harness.state().network_overview().unwrap().clone();
    assert_eq!(overview.cases, 8);
    assert_eq!(overview.skipped.len(), 1);

    // Areas: a row per area with its counts.
    let first = &overview.areas[0];
    harness.get_by_label(&format!("{} {}", first.code, first.title));

    // Good practice, searched (from another tab: the areas table has a column of that name).
    click(&mut harness, "Resultater");
    click(&mut harness, "God praksis");
    let practice = overview.good_practice[0].clone();
    harness.get_by_label(&format!(
        "{} av {}",
        overview.good_practice.len(),
        overview.good_practice.len()
    ));
    type_into(&mut harness, "Søk i god praksis", "ordsomikkefinnes");
    harness.get_by_label(&format!("0 av {}", overview.good_practice.len()));
    harness.get_by_label("Søk i god praksis").focus();
    harness.run();
    for _ in 0.."ordsomikkefinnes".len() {
        harness.key_press(egui::Key::Backspace);
    }
    let word = practice.title.split_whitespace().last().unwrap().to_owned();
    type_into(&mut harness, "Søk i god praksis", &word);
    assert!(harness.query_all_by_label(&practice.title).count() >= 1);

    // Anonymised: names give way to codes.
    let name = overview.plans[0].provider.clone();
    click(&mut harness, "Handlingsplaner");
    assert!(harness.query_all_by_label(&name).count() >= 1);
    click(&mut harness, "Anonymiser arrangører");
    assert_eq!(
        harness.query_all_by_label(&name).count(),
        0,
        "{name} still shown"
    );
    let anonymised = harness.state().network_overview().unwrap();
    assert!(
        anonymised
            .plans
            .iter()
            .all(|p| p.provider.starts_with("P-"))
    );

    // Not read: the broken file and why.
    click(&mut harness, "Ikke lest (1)");
    harness.get_by_label_contains("ødelagt.evalcase");

    click(&mut harness, "Eksporter oversikt …");
    assert!(xlsx.exists(), "the workbook was written");
    let mut workbook = calamine::open_workbook_auto(&xlsx).unwrap();
    let plans = workbook.worksheet_range("Handlingsplaner").unwrap();
    assert_eq!(plans.height(), 9, "a header and a row per case");
    let text: String = plans.rows().flatten().map(ToString::to_string).collect();
    assert!(!text.contains(&name), "the export is anonymised too");
}
