//! Closing a case (*Avslutt saken*): refused with open actions unless a reason is given, with
//! nothing changed; the retention period and the day personal data must be deleted by; reopening;
//! the overview's button and its deadline, overdue once the day has passed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, harness as new_harness, stored, workbench_on};
use egui_kittest::kittest::Queryable;
use evalbench::command::Command;
use evalbench::demo::DEMO_TODAY;
use evalbench::domain::{Phase, Rejection, retention_due};
use evalbench::i18n::Lang;
use evalbench::store::{CaseStore, StoreError};

fn evalbench(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .current_dir(dir)
        .env("EVALBENCH_DATA_DIR", dir.join("data"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn closing_needs_a_reason_while_actions_are_open_and_sets_the_deletion_day() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let case = path.to_str().unwrap();

    for (args, expect) in [
        (vec!["close", case], "not verified closed"),
        (
            vec![
                "close",
                case,
                "--reason",
                "Nedlagt",
                "--retention-days",
                "0",
            ],
            "0 days is not a valid retention period",
        ),
    ] {
        let before = std::fs::read(&path).unwrap();
        let out = evalbench(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2));
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains(expect), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "nothing changed");
    }

    let out = evalbench(
        dir.path(),
        &[
            "close",
            case,
            "--reason",
            "Tiltaket er lagt ned",
            "--retention-days",
            "30",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snapshot = stored(&path);
    let closing = snapshot.closing.clone().unwrap();
    assert_eq!(snapshot.phase, Phase::Closed);
    assert_eq!(closing.reason, "Tiltaket er lagt ned");
    assert_eq!(snapshot.retention_days, Some(30));
    let due = retention_due(Some(&closing), Some(30)).unwrap();
    assert_eq!(due, closing.on.saturating_add(jiff::Span::new().days(30)));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&due.to_string()));

    let out = evalbench(dir.path(), &["close", case, "--reason", "igjen"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already closed"));

    // Reopening, and the default period when the case sets none.
    let mut store = CaseStore::open(&path).unwrap();
    store.apply(&Command::ReopenCase).unwrap();
    assert!(matches!(
        store.apply(&Command::ReopenCase),
        Err(StoreError::Rejected(Rejection::NotClosed))
    ));
    store.apply(&Command::SetRetention { days: None }).unwrap();
    let snapshot = store.snapshot().unwrap();
    assert!(snapshot.closing.is_none() && snapshot.phase == Phase::PlanFollowUp);
    assert_eq!(retention_due(None, None), None);
    store
        .apply(&Command::CloseCase { reason: "x".into() })
        .unwrap();
    let closing = store.snapshot().unwrap().closing.unwrap();
    assert_eq!(
        retention_due(Some(&closing), None),
        Some(closing.on.saturating_add(jiff::Span::new().days(14)))
    );
}

#[test]
fn the_overview_closes_the_case_with_a_reason_and_shows_the_deletion_deadline() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, DEMO_TODAY));
    harness.run();
    // The demo's plan has open actions: a reason first.
    harness
        .get_by_label_contains("Hvorfor avsluttes saken likevel?")
        .focus();
    harness.run();
    harness
        .get_by_label_contains("Hvorfor avsluttes saken likevel?")
        .type_text("Tiltaket er lagt ned");
    harness.run();
    click(&mut harness, "Avslutt saken");
    let snapshot = stored(&path);
    let closing = snapshot.closing.unwrap();
    assert_eq!(closing.reason, "Tiltaket er lagt ned");
    let due = retention_due(Some(&closing), None).unwrap();
    // Closing is dated by the clock; the demo's "today" is earlier, so the deadline is ahead.
    harness.get_by_label_contains(&format!(
        "skal slettes innen {}",
        evalbench::i18n::date(Lang::Nb, Some(due))
    ));
    drop(harness);

    // The day after the deadline the overview says it has passed.
    let late = due.saturating_add(jiff::Span::new().days(1));
    let mut harness = new_harness(workbench_on(&path, Lang::Nb, late));
    harness.run();
    harness.get_by_label_contains(&format!(
        "Fristen for å slette deltakernes personopplysninger gikk ut {}",
        evalbench::i18n::date(Lang::Nb, Some(due))
    ));
    click(&mut harness, "Gjenåpne saken");
    assert!(stored(&path).closing.is_none());
}

/// A catalog may carry its programme's retention rule: a case adopting it starts with that
/// period; a period outside 1–3650 days is refused on reading, naming the field.
#[test]
fn the_retention_period_comes_from_the_catalog_when_it_has_one() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    let mut catalog = common::small_catalog();
    catalog.retention_days = Some(30);
    let text = serde_json::to_string(&catalog).unwrap();
    let catalog = evalbench::catalog::Catalog::parse("with-retention.json", &text).unwrap();
    let store = CaseStore::create(&path, |store| {
        store.apply(&Command::UpdateCaseFacts {
            facts: common::facts(),
        })?;
        store.apply(&Command::AdoptCatalog { catalog })?;
        Ok(())
    })
    .unwrap();
    assert_eq!(store.snapshot().unwrap().retention_days, Some(30));
    store.close().unwrap();
    // Without one, the case keeps the default.
    let plain = common::new_case(&common::case_path(&dir, "plain.evalcase"));
    assert_eq!(plain.snapshot().unwrap().retention_days, None);

    let mut bad = common::small_catalog();
    bad.retention_days = Some(0);
    let refused =
        evalbench::catalog::Catalog::parse("bad.json", &serde_json::to_string(&bad).unwrap())
            .unwrap_err()
            .to_string();
    assert!(refused.contains("bad.json"), "{refused}");
    assert!(refused.contains("retention_days"), "{refused}");
}
