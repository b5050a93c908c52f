//! The merge as a property: fork a case, apply random commands of every kind on each side
//! (deletes, undo and redo among them), merge both ways, and check what must always hold:
//! the two results are the same case; what only one side added is there; each conflict is
//! reported once and the same in both directions; merging again changes nothing; and one undo
//! gives back the case as it was before the merge, byte for byte in its JSON export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use evalbench::command::Command;
use evalbench::domain::{
    ActionFields, ActionStatus, EvidenceRef, FindingFields, FindingKind, InterviewChannel,
    InterviewFields, InterviewSetting, Outcome, RequirementLink, RoleId, Stance,
};
use evalbench::merge::{Resolutions, Side, Snapshot};
use evalbench::store::CaseStore;
use proptest::prelude::*;
use proptest::sample::Index;

/// One random edit; indices pick among what the case holds at that moment.
#[derive(Clone, Debug)]
enum Edit {
    AddInterview(u8),
    SetNotes(Index, u8),
    DeleteInterview(Index),
    AddExcerpt(Index, u8),
    LinkExcerpt(Index, Index),
    DeleteExcerpt(Index),
    AddFinding(u8),
    UpdateFinding(Index, u8),
    LinkEvidence(Index, Index),
    DeleteFinding(Index),
    AddAction(Index, u8),
    SetActionStatus(Index, u8),
    DeleteAction(Index),
    SetOutcome(u8, u8),
    Undo,
    Redo,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<u8>().prop_map(Edit::AddInterview),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::SetNotes(i, n)),
        any::<Index>().prop_map(Edit::DeleteInterview),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::AddExcerpt(i, n)),
        (any::<Index>(), any::<Index>()).prop_map(|(e, r)| Edit::LinkExcerpt(e, r)),
        any::<Index>().prop_map(Edit::DeleteExcerpt),
        any::<u8>().prop_map(Edit::AddFinding),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::UpdateFinding(i, n)),
        (any::<Index>(), any::<Index>()).prop_map(|(f, e)| Edit::LinkEvidence(f, e)),
        any::<Index>().prop_map(Edit::DeleteFinding),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::AddAction(i, n)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::SetActionStatus(i, n)),
        any::<Index>().prop_map(Edit::DeleteAction),
        (any::<u8>(), any::<u8>()).prop_map(|(y, n)| Edit::SetOutcome(y, n)),
        Just(Edit::Undo),
        Just(Edit::Redo),
    ]
}

/// Notes in lines of distinct words, so an excerpt's quote is found in one place only.
fn notes(seed: u8, side: &str) -> String {
    use std::fmt::Write as _;
    (0..4).fold(String::new(), |mut text, line| {
        let _ = writeln!(
            text,
            "Linje{line} {side}{seed} ord{line}x{seed} slutt{line}."
        );
        text
    })
}

fn pick<T: Clone>(items: &[T], index: Index) -> Option<T> {
    (!items.is_empty()).then(|| items[index.index(items.len())].clone())
}

/// Applies `edit` to `store`; a refusal (a rule of the case) is fine and changes nothing.
fn apply(store: &mut CaseStore, edit: &Edit, side: &str) {
    let case = store.snapshot().unwrap();
    let excerpts: Vec<_> = case
        .interviews
        .iter()
        .flat_map(|i| i.excerpts.clone())
        .collect();
    let command =
        match edit {
            Edit::Undo => {
                let _ = store.undo();
                return;
            }
            Edit::Redo => {
                let _ = store.redo();
                return;
            }
            Edit::AddInterview(n) => Some(Command::AddInterview {
                interview: InterviewFields {
                    date: jiff::civil::date(2026, 2, 1 + i8::try_from(n % 27).unwrap()),
                    role: RoleId::new(
                        ["participant", "nav_adviser", "provider_adviser"][usize::from(n % 3)],
                    ),
                    interviewees: vec![format!("{side} {n}")],
                    stage: None,
                    setting: InterviewSetting::Individual,
                    channel: InterviewChannel::InPerson,
                },
                notes: notes(*n, side),
            }),
            Edit::SetNotes(index, n) => pick(&case.interviews, *index).map(|interview| {
                // Change one line, so edits on the two sides often touch different lines.
                let mut lines: Vec<String> = interview.notes.lines().map(str::to_owned).collect();
                if !lines.is_empty() {
                    let at = usize::from(*n) % lines.len();
                    lines[at] = format!("Endret{n} av {side} på linje {at}.");
                }
                Command::SetInterviewNotes {
                    interview_id: interview.id,
                    notes: lines.join("\n") + "\n",
                }
            }),
            Edit::DeleteInterview(index) => pick(&case.interviews, *index)
                .map(|i| Command::DeleteInterview { interview_id: i.id }),
            Edit::AddExcerpt(index, n) => pick(&case.interviews, *index).map(|interview| {
                let length = interview.notes.chars().count().max(2);
                let start = usize::from(*n) % (length - 1);
                Command::AddExcerpt {
                    interview_id: interview.id,
                    start_char: start,
                    end_char: (start + 6).min(length),
                    links: vec![],
                    shareable: false,
                }
            }),
            Edit::LinkExcerpt(e, r) => pick(&excerpts, *e).zip(pick(&case.requirements, *r)).map(
                |(excerpt, requirement)| Command::LinkExcerpt {
                    excerpt_id: excerpt.id,
                    link: RequirementLink {
                        requirement_id: requirement.id,
                        stance: Stance::Supports,
                    },
                },
            ),
            Edit::DeleteExcerpt(index) => {
                pick(&excerpts, *index).map(|e| Command::DeleteExcerpt { excerpt_id: e.id })
            }
            Edit::AddFinding(n) => Some(Command::AddFinding {
                kind: [FindingKind::Deviation, FindingKind::ImprovementArea][usize::from(n % 2)],
                finding: FindingFields {
                    title: format!("Funn {n} fra {side}"),
                    description: format!("Første linje.\nAndre linje {n}.\n"),
                },
                requirement_ids: vec![],
                evidence: vec![],
            }),
            Edit::UpdateFinding(index, n) => pick(&case.findings, *index).map(|finding| {
                let mut fields = finding.fields.clone();
                if n % 2 == 0 {
                    fields.title = format!("Ny tittel {n} fra {side}");
                } else {
                    fields.description = format!("{}Tillegg {n} fra {side}.\n", fields.description);
                }
                Command::UpdateFinding {
                    finding_id: finding.id,
                    finding: fields,
                }
            }),
            Edit::LinkEvidence(f, e) => {
                pick(&case.findings, *f)
                    .zip(pick(&excerpts, *e))
                    .map(|(finding, excerpt)| Command::LinkEvidence {
                        finding_id: finding.id,
                        evidence: EvidenceRef::Excerpt(excerpt.id),
                    })
            }
            Edit::DeleteFinding(index) => {
                pick(&case.findings, *index).map(|f| Command::DeleteFinding { finding_id: f.id })
            }
            Edit::AddAction(index, n) => {
                pick(&case.findings, *index).map(|finding| Command::AddAction {
                    finding_id: finding.id,
                    action: ActionFields {
                        description: format!("Tiltak {n} fra {side}"),
                        owner: "Leder".into(),
                        due_date: Some(jiff::civil::date(2026, 6, 1)),
                        status: ActionStatus::Proposed,
                        closure_evidence: String::new(),
                        nav_comment: String::new(),
                    },
                })
            }
            Edit::SetActionStatus(index, n) => {
                pick(&case.actions, *index).map(|action| Command::SetActionStatus {
                    action_id: action.id,
                    status: [
                        ActionStatus::Agreed,
                        ActionStatus::InProgress,
                        ActionStatus::Done,
                    ][usize::from(n % 3)],
                })
            }
            Edit::DeleteAction(index) => {
                pick(&case.actions, *index).map(|a| Command::DeleteAction { action_id: a.id })
            }
            Edit::SetOutcome(year, n) => Some(Command::SetOutcome {
                outcome: Outcome {
                    year: 2023 + i32::from(year % 3),
                    ended: 20,
                    to_work: u32::from(n % 10),
                    to_education: 2,
                    to_other: 1,
                },
            }),
        };
    if let Some(command) = command {
        let _ = store.apply(&command);
    }
}

fn open(path: &Path, author: &str) -> CaseStore {
    let mut store = CaseStore::open(path).unwrap();
    store.set_author(author);
    store
}

static CASES: AtomicUsize = AtomicUsize::new(0);
static COMMANDS: AtomicUsize = AtomicUsize::new(0);
static CONFLICTS: AtomicUsize = AtomicUsize::new(0);
static ROWS_CHANGED: AtomicUsize = AtomicUsize::new(0);

/// Merges `from` into `into`, deciding every conflict for `prefer`; returns the conflict keys.
fn merge(into: &mut CaseStore, from: &Path, prefer: Side) -> (Vec<String>, usize) {
    let plan = into.prepare_merge(from, None).unwrap();
    let (choices, merged) = plan.decide_all(|_| Some(prefer.into()));
    let keys: Vec<String> = merged.conflicts.iter().map(|c| c.key.clone()).collect();
    assert_eq!(merged.open_conflicts(&choices).count(), 0);
    let changed = merged.changes.len();
    into.merge_copy(&plan, plan.step(merged), None).unwrap();
    (keys, changed)
}

fn added(base: &Snapshot, side: &Snapshot, other: &Snapshot) -> Vec<(String, String)> {
    side.tables
        .iter()
        .flat_map(|(table, rows)| rows.keys().map(move |id| ((*table).to_owned(), id.clone())))
        .filter(|(table, id)| base.row(table, id).is_none() && other.row(table, id).is_none())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn copies_edited_apart_merge_both_ways_into_one_case(
        base_edits in proptest::collection::vec(edit(), 0..8),
        a_edits in proptest::collection::vec(edit(), 1..32),
        b_edits in proptest::collection::vec(edit(), 1..32),
    ) {
        let dir = common::temp_dir();
        let a_path = dir.path().join("a.evalcase");
        let b_path = dir.path().join("b.evalcase");
        let mut base = common::new_case(&a_path);
        for e in &base_edits {
            apply(&mut base, e, "felles");
        }
        let base_rows = base.merge_snapshot().unwrap();
        base.close().unwrap();
        std::fs::copy(&a_path, &b_path).unwrap();

        let mut a = open(&a_path, "Anne");
        for e in &a_edits {
            apply(&mut a, e, "anne");
        }
        let mut b = open(&b_path, "Bjørn");
        for e in &b_edits {
            apply(&mut b, e, "bjørn");
        }
        let (a_rows, b_rows) = (a.merge_snapshot().unwrap(), b.merge_snapshot().unwrap());
        a.close().unwrap();
        b.close().unwrap();
        // Each direction from its own copy of the two files; A's side wins every conflict.
        let a2 = dir.path().join("a2.evalcase");
        let b2 = dir.path().join("b2.evalcase");
        std::fs::copy(&a_path, &a2).unwrap();
        std::fs::copy(&b_path, &b2).unwrap();

        let mut into_a = open(&a_path, "Anne");
        let before = evalbench::export::json::to_json(&into_a.snapshot().unwrap()).unwrap();
        let (a_conflicts, changed) = merge(&mut into_a, &b2, Side::Mine);
        let mut into_b = open(&b_path, "Bjørn");
        let (b_conflicts, _) = merge(&mut into_b, &a2, Side::Theirs);

        let merged_a = into_a.merge_snapshot().unwrap();
        let merged_b = into_b.merge_snapshot().unwrap();
        prop_assert_eq!(&merged_a, &merged_b, "A into B and B into A differ");

        let unique: BTreeSet<&String> = a_conflicts.iter().collect();
        prop_assert_eq!(unique.len(), a_conflicts.len(), "a conflict reported twice");
        let mut sorted_b = b_conflicts.clone();
        sorted_b.sort();
        let mut sorted_a = a_conflicts.clone();
        sorted_a.sort();
        prop_assert_eq!(sorted_a, sorted_b, "the same conflicts both ways");

        // What only A added is there (A won every conflict); what only B added is there
        // unless a conflict took it away.
        for (table, id) in added(&base_rows, &a_rows, &b_rows) {
            prop_assert!(merged_a.row(&table, &id).is_some(), "lost {table}/{id} from A");
        }
        if a_conflicts.is_empty() {
            for (table, id) in added(&base_rows, &b_rows, &a_rows) {
                prop_assert!(merged_a.row(&table, &id).is_some(), "lost {table}/{id} from B");
            }
        }

        // Merging again changes nothing.
        let again = into_a.prepare_merge(&b2, None).unwrap();
        prop_assert!(again.merged(&Resolutions::new()).changes.is_empty());

        // One undo gives back the case as it was.
        into_a.undo().unwrap();
        let after = evalbench::export::json::to_json(&into_a.snapshot().unwrap()).unwrap();
        prop_assert_eq!(before, after);

        CASES.fetch_add(1, Ordering::Relaxed);
        COMMANDS.fetch_add(base_edits.len() + a_edits.len() + b_edits.len(), Ordering::Relaxed);
        CONFLICTS.fetch_add(a_conflicts.len(), Ordering::Relaxed);
        ROWS_CHANGED.fetch_add(changed, Ordering::Relaxed);
        eprintln!(
            "merge property so far: {} cases, {} commands, {} conflicts, {} rows changed by merges",
            CASES.load(Ordering::Relaxed),
            COMMANDS.load(Ordering::Relaxed),
            CONFLICTS.load(Ordering::Relaxed),
            ROWS_CHANGED.load(Ordering::Relaxed)
        );
    }
}
