//! The end of a case in the app (egui_kittest): on a closed case, *Slett personopplysninger…*
//! opens a confirmation that names what will be deleted and what stays, and deletes nothing
//! until the provider's name is typed; cancelled, nothing changes; confirmed, the data is gone
//! and the overview says when it was deleted.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{Ui, workbench_on};
use egui_kittest::kittest::{NodeT, Queryable};
use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::PersonalData;
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

const PROVIDER: &str = "Fjordlys Arbeid og Kompetanse AS";

fn held(case: &std::path::Path) -> PersonalData {
    CaseStore::open_read_only(case)
        .unwrap()
        .personal_data()
        .unwrap()
}

fn delete_button_enabled(harness: &Ui) -> bool {
    !harness
        .get_by_label("Slett for godt")
        .accesskit_node()
        .is_disabled()
}

fn type_into_confirmation(harness: &mut Ui, text: &str) {
    let field = format!("Skriv arrangørens navn for å bekrefte: {PROVIDER}");
    harness.get_by_label(&field).focus();
    harness.run();
    harness.get_by_label(&field).type_text(text);
    harness.run();
}

#[test]
fn deleting_personal_data_asks_for_the_providers_name_and_names_what_goes() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let mut store = CaseStore::open(&case).unwrap();
    store
        .apply(&Command::CloseCase {
            reason: "Planen følges opp i neste evaluering".to_owned(),
        })
        .unwrap();
    store.close().unwrap();
    let before = held(&case);
    assert!(!before.is_empty());

    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 1200.0))
        .build_ui_state(
            |ui, workbench: &mut evalbench::app::Workbench| workbench.ui(ui),
            workbench_on(&case, Lang::Nb, DEMO_TODAY),
        );
    harness.run();

    // Cancelled: nothing is deleted.
    harness.get_by_label("Slett personopplysninger…").click();
    harness.run();
    harness.get_by_label_contains("notatene fra 4 deltakerintervjuer");
    harness.get_by_label_contains("4 deltakerkoder");
    harness.get_by_label_contains(&format!(
        "{} sitater som ikke er merket som delbare",
        before.quotes
    ));
    harness.get_by_label_contains("handlingsplanen blir stående");
    harness.get_by_label_contains("kan ikke angres");
    assert!(!delete_button_enabled(&harness), "nothing typed yet");
    assert!(
        harness
            .get_by_label(&format!(
                "Skriv arrangørens navn for å bekrefte: {PROVIDER}"
            ))
            .accesskit_node()
            .is_focused(),
        "the name can be typed at once"
    );
    harness.get_by_label("Avbryt").click();
    harness.run();
    assert!(harness.query_by_label("Slett for godt").is_none());
    assert_eq!(held(&case), before);

    // A wrong name keeps the button disabled; the provider's name enables it.
    harness.get_by_label("Slett personopplysninger…").click();
    harness.run();
    type_into_confirmation(&mut harness, "Fjordlys AS");
    assert!(!delete_button_enabled(&harness));
    assert_eq!(held(&case), before);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    type_into_confirmation(&mut harness, PROVIDER);
    assert!(delete_button_enabled(&harness));
    harness.get_by_label("Slett for godt").click();
    harness.run();
    harness.run();

    assert!(held(&case).is_empty());
    let snapshot = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap();
    assert!(snapshot.personal_data_deleted_on.is_some());
    harness.get_by_label_contains("Personopplysningene er slettet: notatene fra 4");
    harness.get_by_label_contains("Deltakernes personopplysninger ble slettet");
    assert!(
        harness
            .query_by_label("Slett personopplysninger…")
            .is_none()
    );
}
