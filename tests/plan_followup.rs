//! Follow-up of the plan: the store records the day each action reaches each status (commands,
//! undo, plan imports alike), older files get their actions' present status on upgrade, and the
//! status report has one page per deviation in PDF and DOCX.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::plan::status_timeline;
use evalbench::domain::{
    ActionFields, ActionId, ActionStatus, FindingFields, FindingId, FindingKind,
};
use evalbench::export::{self, Format, status_report::StatusReport};
use evalbench::i18n::Lang;
use evalbench::store::{self, CaseStore};

fn add_deviation(store: &mut CaseStore) -> FindingId {
    let requirement = store.snapshot().unwrap().requirements[0].id;
    FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: FindingFields {
                    title: "Planer kommer for sent".into(),
                    description: "Fire av ti planer kom etter fristen.".into(),
                },
                requirement_ids: vec![requirement],
                evidence: vec![],
            })
            .unwrap()
            .created_id
            .unwrap(),
    )
}

fn add_action(store: &mut CaseStore, finding_id: FindingId, what: &str) -> ActionId {
    ActionId(
        store
            .apply(&Command::AddAction {
                finding_id,
                action: ActionFields {
                    description: what.into(),
                    owner: "Tiltaksleder".into(),
                    due_date: Some(jiff::civil::date(2026, 6, 1)),
                    status: ActionStatus::Proposed,
                    ..ActionFields::default()
                },
            })
            .unwrap()
            .created_id
            .unwrap(),
    )
}

#[test]
fn every_status_an_action_reaches_is_recorded_including_undo() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "f.evalcase"));
    let finding = add_deviation(&mut store);
    let a = add_action(&mut store, finding, "Varsel før fristen");
    let b = add_action(&mut store, finding, "Ny rutine");
    // Setting the same status again is no change.
    store
        .apply(&Command::SetActionStatus {
            action_id: b,
            status: ActionStatus::Proposed,
        })
        .unwrap();
    for status in [ActionStatus::Agreed, ActionStatus::Done] {
        store
            .apply(&Command::SetActionStatus {
                action_id: a,
                status,
            })
            .unwrap();
    }
    store.undo().unwrap().unwrap(); // a: Done -> Agreed again
    let changes = store.status_changes().unwrap();
    let of = |id: ActionId| -> Vec<ActionStatus> {
        changes
            .iter()
            .filter(|c| c.action_id == id)
            .map(|c| c.status)
            .collect()
    };
    assert_eq!(
        of(a),
        [
            ActionStatus::Proposed,
            ActionStatus::Agreed,
            ActionStatus::Done,
            ActionStatus::Agreed
        ]
    );
    assert_eq!(of(b), [ActionStatus::Proposed]);
    let today = jiff::Zoned::now().date();
    assert!(changes.iter().all(|c| c.on == today));

    // The timeline's last point is the plan as it is.
    let snapshot = store.snapshot().unwrap();
    let timeline = status_timeline(&changes, &snapshot.actions, today);
    assert_eq!(timeline.last().unwrap(), &(today, [1, 1, 0, 0, 0]));

    // A deleted action leaves the timeline.
    store
        .apply(&Command::DeleteAction { action_id: b })
        .unwrap();
    let snapshot = store.snapshot().unwrap();
    let timeline = status_timeline(&store.status_changes().unwrap(), &snapshot.actions, today);
    assert_eq!(timeline.last().unwrap(), &(today, [0, 1, 0, 0, 0]));
}

#[test]
fn an_older_case_gets_its_actions_present_status_on_upgrade() {
    let dir = common::temp_dir();
    let path = dir.path().join("old.evalcase");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/case-v1.evalcase"
        ),
        &path,
    )
    .unwrap();
    let store = CaseStore::open(&path).unwrap();
    let snapshot = store.snapshot().unwrap();
    let changes = store.status_changes().unwrap();
    assert_eq!(changes.len(), snapshot.actions.len());
    for action in &snapshot.actions {
        let change = changes.iter().find(|c| c.action_id == action.id).unwrap();
        assert_eq!(change.status, action.fields.status);
    }

    // The upgraded file records new changes too (its triggers call the program's day).
    let mut store = store;
    let finding = add_deviation(&mut store);
    let action = add_action(&mut store, finding, "Ny rutine");
    let last = *store.status_changes().unwrap().last().unwrap();
    assert_eq!(
        (last.action_id, last.status, last.on),
        (action, ActionStatus::Proposed, jiff::Zoned::now().date())
    );
}

#[test]
fn a_record_day_dates_status_changes_until_it_is_cleared() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "dag.evalcase"));
    let finding = add_deviation(&mut store);
    let may = jiff::civil::date(2026, 5, 4);
    store.set_record_day(Some(may));
    let a = add_action(&mut store, finding, "Varsel før fristen");
    store.set_record_day(Some(jiff::civil::date(2026, 6, 1)));
    store
        .apply(&Command::SetActionStatus {
            action_id: a,
            status: ActionStatus::Agreed,
        })
        .unwrap();
    store.set_record_day(None);
    store
        .apply(&Command::SetActionStatus {
            action_id: a,
            status: ActionStatus::InProgress,
        })
        .unwrap();
    let days: Vec<(ActionStatus, jiff::civil::Date)> = store
        .status_changes()
        .unwrap()
        .iter()
        .map(|c| (c.status, c.on))
        .collect();
    assert_eq!(
        days,
        [
            (ActionStatus::Proposed, may),
            (ActionStatus::Agreed, jiff::civil::date(2026, 6, 1)),
            (ActionStatus::InProgress, jiff::Zoned::now().date()),
        ]
    );
}

/// The demo case's plan moves over months, so its follow-up chart has a shape: each action went
/// through the statuses in order up to where it stands, on days from the feedback meeting to
/// the demo's "today".
#[test]
fn the_demo_has_months_of_follow_up() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "demo.evalcase");
    write_demo(&path).unwrap();
    let store = CaseStore::open_read_only(&path).unwrap();
    let snapshot = store.snapshot().unwrap();
    let changes = store.status_changes().unwrap();
    let meeting = snapshot.key_dates.feedback_meeting.unwrap();
    let days: std::collections::BTreeSet<jiff::civil::Date> =
        changes.iter().map(|c| c.on).collect();
    assert!(days.len() >= 10, "only {} days: {days:?}", days.len());
    assert!(days.iter().all(|day| (meeting..=DEMO_TODAY).contains(day)));
    for action in &snapshot.actions {
        let steps: Vec<_> = changes
            .iter()
            .filter(|c| c.action_id == action.id)
            .collect();
        let statuses: Vec<ActionStatus> = steps.iter().map(|c| c.status).collect();
        let reached = ActionStatus::ALL
            .iter()
            .position(|s| *s == action.fields.status)
            .unwrap();
        assert_eq!(
            statuses,
            ActionStatus::ALL[..=reached],
            "{}",
            action.fields.description
        );
        assert!(steps.windows(2).all(|w| w[0].on <= w[1].on));
    }
    let timeline = status_timeline(&changes, &snapshot.actions, DEMO_TODAY);
    assert!(timeline.len() >= 10);
    let present = ActionStatus::ALL.map(|status| {
        snapshot
            .actions
            .iter()
            .filter(|a| a.fields.status == status)
            .count()
    });
    assert_eq!(timeline.last().unwrap(), &(DEMO_TODAY, present));
}

#[test]
fn status_report_has_one_page_per_deviation() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let (snapshot, changes) = store::read_case_with_status(&case).unwrap();
    let report = StatusReport::new(&snapshot, &changes, Lang::Nb, DEMO_TODAY);
    let deviations: Vec<&str> = snapshot
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deviation)
        .map(|f| f.fields.title.as_str())
        .collect();
    assert!(!deviations.is_empty());
    assert_eq!(
        report
            .deviations
            .iter()
            .map(|d| d.title.as_str())
            .collect::<Vec<_>>(),
        deviations
    );
    let listed: usize = report.deviations.iter().map(|d| d.actions.len()).sum();
    assert_eq!(listed, snapshot.actions.len());

    let docx =
        export::render_status_report(&snapshot, &changes, Format::Docx, Lang::Nb, DEMO_TODAY)
            .unwrap();
    let docx = docx_rs::read_docx(&docx).unwrap();
    let headings: Vec<String> = docx
        .document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p)
                if p.property
                    .style
                    .as_ref()
                    .is_some_and(|s| s.val == "Heading1") =>
            {
                Some(p.raw_text())
            }
            _ => None,
        })
        .collect();
    // The summary, then one heading (on a new page) per deviation.
    assert_eq!(headings.len(), deviations.len() + 1);
    assert_eq!(&headings[1..], deviations.as_slice());

    let pdf = export::render_status_report(&snapshot, &changes, Format::Pdf, Lang::Nb, DEMO_TODAY)
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Ok(out) = std::process::Command::new("pdfinfo").arg("-v").output() else {
        assert!(
            std::env::var_os("EVALBENCH_REQUIRE_POPPLER").is_none(),
            "pdfinfo is required here but missing"
        );
        return;
    };
    assert!(out.status.success() || !out.stderr.is_empty());
    let file = dir.path().join("status.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert_eq!(pages, 1 + deviations.len(), "{info}");
}

/// A command (or undo) tried on a case opened for reading is refused before it starts, with a
/// message that says so, and changes nothing.
#[test]
fn a_status_change_on_a_reader_is_refused_as_read_only() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "les.evalcase");
    write_demo(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut reader = CaseStore::open_read_only(&path).unwrap();
    let action = reader.snapshot().unwrap().actions[0].clone();
    let next = ActionStatus::ALL
        .into_iter()
        .find(|s| *s != action.fields.status)
        .unwrap();
    let error = reader
        .apply(&Command::SetActionStatus {
            action_id: action.id,
            status: next,
        })
        .unwrap_err();
    assert!(
        matches!(
            error,
            store::StoreError::NotWritten {
                why: store::NotWritten::OpenForReading,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("open for reading only"),
        "{error}"
    );
    assert!(reader.undo().is_err());
    drop(reader);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
