//! The plan round-trip in the app (egui_kittest): export through the save dialog, read a
//! filled-in file back, see the preview, and store it only on "Godta og lagre".
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::VecDeque;

use common::ui::{click, harness, stored, workbench_with};
use egui_kittest::kittest::Queryable;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::i18n::Lang;
use evalbench::plan_exchange::{ActionRow, PlanFile};

#[test]
fn a_filled_in_plan_is_previewed_and_stored_only_when_accepted() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let workbook = dir.path().join("plan.xlsx");
    let bad = dir.path().join("bad.json");
    let good = dir.path().join("plan.json");

    let mut plan = PlanFile::from_case(&stored(&case));
    plan.actions.push(ActionRow {
        id: None,
        deviation: plan.deviations[0].id,
        description: "Ukentlig gjennomgang av frister".into(),
        owner: "Leder for tiltaket".into(),
        due_date: Some(jiff::civil::date(2027, 1, 15)),
        closure_evidence: "Referat fra gjennomgangene".into(),
        status: evalbench::domain::ActionStatus::Agreed,
    });
    std::fs::write(&good, serde_json::to_string(&plan).unwrap()).unwrap();
    plan.actions[0].owner = String::new();
    std::fs::write(&bad, serde_json::to_string(&plan).unwrap()).unwrap();

    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([
            Some(workbook.clone()),
            Some(bad),
            Some(good.clone()),
            Some(good.clone()),
            Some(good),
        ]),
    };
    let before = stored(&case).actions.len();
    let mut harness = harness(workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();
    click(&mut harness, "Handlingsplan");
    click(&mut harness, "Eksporter til regneark…");
    assert!(workbook.exists(), "the workbook was written");

    // A file with a problem: its message, and nothing changes.
    click(&mut harness, "Les inn utfylt regneark…");
    harness.get_by_label_contains("1 feil i");
    harness.get_by_label_contains("kolonne D: ingen ansvarlig");
    // The window's own button (the status bar has a "Lukk" for its notice too).
    harness.get_all_by_label("Lukk").last().unwrap().click();
    harness.run();
    assert!(harness.query_by_label_contains("1 feil i").is_none());
    assert_eq!(stored(&case).actions.len(), before);

    // A good file: the preview, then rejected, then accepted.
    click(&mut harness, "Les inn utfylt regneark…");
    harness.get_by_label("1 nytt, 0 endrede og 0 fjernede tiltak");
    harness.get_by_label("+ Ukentlig gjennomgang av frister (Leder for tiltaket)");
    click(&mut harness, "Avvis");
    assert_eq!(stored(&case).actions.len(), before);
    click(&mut harness, "Les inn utfylt regneark…");
    click(&mut harness, "Godta og lagre");
    let after = stored(&case);
    assert_eq!(after.actions.len(), before + 1);
    assert!(
        after
            .actions
            .iter()
            .any(|a| a.fields.description == "Ukentlig gjennomgang av frister")
    );

    // The same file again: nothing new, the row named as already imported, with the day.
    click(&mut harness, "Les inn utfylt regneark…");
    harness.get_by_label("0 nye, 0 endrede og 0 fjernede tiltak");
    harness.get_by_label("Allerede lest inn, legges ikke til på nytt:");
    let day = evalbench::i18n::date(Lang::Nb, Some(after.imported_rows[0].imported_on));
    harness.get_by_label(&format!(
        "Ukentlig gjennomgang av frister – allerede lest inn {day}"
    ));
    assert!(harness.query_by_label("Godta og lagre").is_none());
    harness.get_all_by_label("Lukk").last().unwrap().click();
    harness.run();
    assert_eq!(stored(&case).actions.len(), before + 1);
}

/// A file with thousands of bad rows: the dialog lists the first problems and counts the rest.
#[test]
fn a_file_with_many_problems_lists_the_first_and_counts_the_rest() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let bad = dir.path().join("bad.json");
    let mut plan = PlanFile::from_case(&stored(&case));
    for i in 0..5_000 {
        plan.actions.push(ActionRow {
            id: None,
            deviation: plan.deviations[0].id,
            description: format!("Tiltak {i}"),
            owner: String::new(),
            due_date: Some(jiff::civil::date(2027, 1, 15)),
            closure_evidence: String::new(),
            status: evalbench::domain::ActionStatus::Agreed,
        });
    }
    std::fs::write(&bad, serde_json::to_string(&plan).unwrap()).unwrap();
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(bad)]),
    };
    let mut harness = harness(workbench_with(&case, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();
    click(&mut harness, "Handlingsplan");
    click(&mut harness, "Les inn utfylt regneark…");
    harness.get_by_label_contains("5000 feil i");
    assert_eq!(
        harness
            .get_all_by_label_contains("kolonne D: ingen ansvarlig")
            .count(),
        20
    );
    harness.get_by_label("… og 4 980 problemer til");
}
