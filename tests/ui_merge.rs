//! *Fil → Slå sammen med kopi…* in the app (egui_kittest): the preview with one conflict, the
//! copy's value chosen, accepted, and one undo taking the whole merge back.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::VecDeque;

use common::ui::{click, harness, stored, wait_while, workbench_with};
use egui_kittest::kittest::Queryable;
use evalbench::app::Workbench;
use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::domain::{
    FindingFields, FindingId, InterviewChannel, InterviewFields, InterviewSetting, RoleId,
};
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

fn retitle(path: &std::path::Path, author: &str, title: &str) {
    let mut store = CaseStore::open(path).unwrap();
    store.set_author(author);
    let finding = store.snapshot().unwrap().findings[0].clone();
    store
        .apply(&Command::UpdateFinding {
            finding_id: FindingId(finding.id.0),
            finding: FindingFields {
                title: title.into(),
                description: finding.fields.description.clone(),
            },
        })
        .unwrap();
    store.close().unwrap();
}

#[test]
fn a_copy_is_merged_after_its_preview_with_the_conflict_decided_and_undone_in_one_step() {
    let dir = common::temp_dir();
    let mine = dir.path().join("anne.evalcase");
    let theirs = dir.path().join("bjorn.evalcase");
    write_demo(&mine).unwrap();
    std::fs::copy(&mine, &theirs).unwrap();
    retitle(&mine, "Anne", "Annes tittel på funnet");
    retitle(&theirs, "Bjørn", "Bjørns tittel på funnet");
    {
        let mut store = CaseStore::open(&theirs).unwrap();
        store.set_author("Bjørn");
        store
            .apply(&Command::AddInterview {
                interview: InterviewFields {
                    date: jiff::civil::date(2026, 3, 2),
                    role: RoleId::new("nav_adviser"),
                    interviewees: vec!["Veileder i NAV".into()],
                    stage: None,
                    setting: InterviewSetting::Individual,
                    channel: InterviewChannel::Video,
                },
                notes: "Intervjuet Bjørn tok alene.".into(),
            })
            .unwrap();
        store.close().unwrap();
    }
    let interviews_before = stored(&mine).interviews.len();
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(theirs.clone())]),
    };
    let mut harness = harness(workbench_with(&mine, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();
    click(&mut harness, "Fil");
    // Worked out on a worker thread behind a spinner: frames are stepped until it is done.
    harness.get_by_label("Slå sammen med kopi…").click();
    harness.step();
    wait_while(&mut harness, Workbench::is_merging);
    harness.get_by_label("Intervjuer: 1 lagt til, 0 endret, 0 fjernet");
    // Two versions of one finding: keeping both is offered.
    harness.get_by_label_contains("Behold begge");
    harness.get_by_label_contains("1 konflikt: begge har endret det samme");
    harness.get_by_label_contains("1 konflikt er ikke avgjort");
    // Undecided, "Godta" does nothing.
    click(&mut harness, "Godta");
    assert_eq!(stored(&mine).interviews.len(), interviews_before);
    harness
        .get_by_label_contains("Ta kopiens: «Bjørns tittel på funnet» (Bjørn,")
        .click();
    harness.run();
    assert!(harness.query_by_label_contains("ikke avgjort").is_none());
    click(&mut harness, "Godta");

    let after = stored(&mine);
    assert_eq!(after.interviews.len(), interviews_before + 1);
    assert_eq!(after.findings[0].fields.title, "Bjørns tittel på funnet");
    harness.get_by_label_contains("er slått sammen med saken");

    click(&mut harness, "Rediger");
    harness
        .get_by_label_contains("Angre: slå sammen med kopi")
        .click();
    harness.run();
    let undone = stored(&mine);
    assert_eq!(undone.interviews.len(), interviews_before);
    assert_eq!(undone.findings[0].fields.title, "Annes tittel på funnet");
}

#[test]
fn a_copy_for_a_co_evaluator_is_written_beside_and_the_case_stays_open() {
    let dir = common::temp_dir();
    let mine = dir.path().join("anne.evalcase");
    let copy = dir.path().join("til-bjorn.evalcase");
    write_demo(&mine).unwrap();
    let dialogs = ScriptedDialogs {
        answers: VecDeque::from([Some(copy.clone()), Some(copy.clone())]),
    };
    let mut harness = harness(workbench_with(&mine, Lang::Nb, DEMO_TODAY, dialogs));
    harness.run();
    click(&mut harness, "Fil");
    click(&mut harness, "Lag kopi til medevaluator…");
    harness.get_by_label_contains("Kopien er lagret i");
    assert_eq!(stored(&copy).case_id, stored(&mine).case_id);
    assert_eq!(
        harness.state().case().map(|c| c.path().to_owned()),
        Some(mine.clone()),
        "the case stays open"
    );
    // Merging the untouched copy straight back: nothing to merge.
    click(&mut harness, "Fil");
    // Worked out on a worker thread behind a spinner: frames are stepped until it is done.
    harness.get_by_label("Slå sammen med kopi…").click();
    harness.step();
    wait_while(&mut harness, Workbench::is_merging);
    harness.get_by_label("Saken har allerede alle endringene i kopien.");
    // The window's own button (the status bar has a "Lukk" for its notice too).
    harness.get_all_by_label("Lukk").last().unwrap().click();
    harness.run();
    assert!(
        harness
            .query_by_label("Saken har allerede alle endringene i kopien.")
            .is_none()
    );
}
