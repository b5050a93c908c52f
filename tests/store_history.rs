//! Undo/redo through the journal, and full-text search, read back from the case file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::command::Command;
use evalbench::domain::*;
use evalbench::store::{self, CaseStore, Direction, Field, HIT_END, HIT_START, StoreError};
use jiff::civil::date;

const NOTES: &str = "Planen kommer ofte for sent. Kompetansematrisen mangler to områder.";

fn interview() -> InterviewFields {
    InterviewFields {
        date: date(2026, 2, 12),
        role: RoleId::new("measure_coordinator"),
        interviewees: vec!["Tiltakskoordinator".into()],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::Video,
    }
}

/// A case with one interview, its notes, an excerpt linked to IP-1 and a deviation resting on it.
fn case_with_evidence(store: &mut CaseStore) -> (InterviewId, ExcerptId, FindingId) {
    let requirement_id = store.snapshot().unwrap().requirements[0].id;
    let interview_id = InterviewId(
        store
            .apply(&Command::AddInterview {
                interview: interview(),
                notes: String::new(),
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::SetInterviewNotes {
            interview_id,
            notes: NOTES.into(),
        })
        .unwrap();
    let excerpt_id = ExcerptId(
        store
            .apply(&Command::AddExcerpt {
                interview_id,
                start_char: 0,
                end_char: 28,
                links: vec![RequirementLink {
                    requirement_id,
                    stance: Stance::Contradicts,
                }],
                shareable: false,
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    let finding_id = FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: FindingFields {
                    title: "Planer sendes for sent".into(),
                    description: String::new(),
                },
                requirement_ids: vec![requirement_id],
                evidence: vec![],
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::LinkEvidence {
            finding_id,
            evidence: EvidenceRef::Excerpt(excerpt_id),
        })
        .unwrap();
    (interview_id, excerpt_id, finding_id)
}

#[test]
fn undo_and_redo_walk_back_and_forth_through_every_edit() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "undo.evalcase");
    let mut store = common::new_case(&path);
    let mut states = vec![store.snapshot().unwrap()];
    let (interview_id, ..) = case_with_evidence(&mut store);
    // Rebuild the intermediate states by undoing one step at a time, newest first.
    let full = store.snapshot().unwrap();
    let ops = [
        "link_evidence",
        "add_finding",
        "add_excerpt",
        "set_interview_notes",
        "add_interview",
    ];
    for op in ops {
        assert_eq!(store.next_step(Direction::Undo).unwrap().op, op);
        let step = store.undo().unwrap().unwrap();
        assert_eq!(step.op, op);
        states.push(store.snapshot().unwrap());
    }
    assert_eq!(store.snapshot().unwrap(), states[0], "back to the new case");
    // The two commands that created the case stay undoable too, but nothing before them.
    store.undo().unwrap().unwrap();
    store.undo().unwrap().unwrap();
    assert!(store.undo().unwrap().is_none(), "nothing left to undo");
    store.redo().unwrap().unwrap();
    store.redo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap(), states[0]);

    for op in ops.iter().rev() {
        assert_eq!(store.redo().unwrap().unwrap().op, *op);
    }
    assert!(store.redo().unwrap().is_none());
    assert_eq!(store.snapshot().unwrap(), full, "redo restores every edit");
    assert_eq!(
        store.snapshot().unwrap().interviews[0].id,
        interview_id,
        "the same ids come back"
    );
    assert!(store.check().unwrap().is_healthy());
}

#[test]
fn undoing_a_delete_restores_what_cascaded_with_it() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "cascade.evalcase"));
    let (interview_id, excerpt_id, finding_id) = case_with_evidence(&mut store);
    let before = store.snapshot().unwrap();
    store
        .apply(&Command::DeleteInterview { interview_id })
        .unwrap();
    let deleted = store.snapshot().unwrap();
    assert!(deleted.interviews.is_empty());
    assert!(deleted.finding(finding_id).unwrap().evidence.is_empty());

    store.undo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap(), before);
    assert_eq!(
        store
            .snapshot()
            .unwrap()
            .finding(finding_id)
            .unwrap()
            .evidence,
        [EvidenceRef::Excerpt(excerpt_id)]
    );
    store.redo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap(), deleted);
    assert!(store.check().unwrap().is_healthy());
}

#[test]
fn a_new_edit_clears_redo_and_history_survives_reopening() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "reopen.evalcase");
    let mut store = common::new_case(&path);
    case_with_evidence(&mut store);
    store.undo().unwrap().unwrap(); // link_evidence
    store.undo().unwrap().unwrap(); // add_finding
    store.close().unwrap();

    let mut store = CaseStore::open(&path).unwrap();
    assert_eq!(
        store.next_step(Direction::Redo).unwrap().op,
        "add_finding",
        "the redo stack is rebuilt from the journal"
    );
    assert_eq!(store.next_step(Direction::Undo).unwrap().op, "add_excerpt");
    store.redo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap().findings.len(), 1);
    store
        .apply(&Command::SetPhase {
            phase: Phase::Analysis,
        })
        .unwrap();
    assert!(
        store.next_step(Direction::Redo).is_none(),
        "a new edit ends redo"
    );
    store.close().unwrap();
    let store = CaseStore::open(&path).unwrap();
    assert!(store.next_step(Direction::Redo).is_none());
    assert_eq!(store.next_step(Direction::Undo).unwrap().op, "set_phase");
}

#[test]
fn a_tampered_inverse_is_refused_and_changes_nothing() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "tampered.evalcase");
    let mut store = common::new_case(&path);
    case_with_evidence(&mut store);
    store.close().unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE journal SET inverse = json_array('ATTACH DATABASE ''x.db'' AS x')
         WHERE seq = (SELECT max(seq) FROM journal)",
        [],
    )
    .unwrap();
    drop(raw);
    let mut store = CaseStore::open(&path).unwrap();
    let before = store.snapshot().unwrap();
    let journal = store.journal_len().unwrap();
    let error = store.undo().unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Rejected(evalbench::domain::Rejection::NotUndoable)
        ),
        "{error}"
    );
    assert_eq!(store.snapshot().unwrap(), before);
    assert_eq!(store.journal_len().unwrap(), journal);
    store.close().unwrap();
    assert_eq!(
        common::files_in(dir.path()),
        ["tampered.evalcase"],
        "no database was attached"
    );
}

#[test]
fn search_finds_words_in_notes_excerpts_and_findings_and_follows_edits() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "search.evalcase"));
    let (interview_id, excerpt_id, finding_id) = case_with_evidence(&mut store);

    let hits = store.search("kompetansematr", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].field, Field::InterviewNotes);
    assert_eq!(hits[0].entity_id, interview_id.0);
    assert!(
        hits[0]
            .snippet
            .contains(&format!("{HIT_START}Kompetansematrisen{HIT_END}")),
        "{:?}",
        hits[0].snippet
    );

    let mut fields: Vec<_> = store
        .search("planen SENT", 10)
        .unwrap()
        .into_iter()
        .map(|hit| (hit.field, hit.entity_id))
        .collect();
    fields.sort_by_key(|(field, id)| (*field as i64, *id));
    assert_eq!(
        fields,
        [
            (Field::InterviewNotes, interview_id.0),
            (Field::ExcerptQuote, excerpt_id.0)
        ]
    );
    assert_eq!(
        store.search("sendes", 10).unwrap()[0].field,
        Field::FindingTitle
    );
    assert_eq!(
        store.search("sendes", 10).unwrap()[0].entity_id,
        finding_id.0
    );
    assert!(store.search("områder", 10).unwrap().len() == 1, "æøå words");
    assert!(store.search("omrader", 10).unwrap().is_empty());
    assert!(store.search("\"AND* OR (", 10).unwrap().is_empty());

    // The index follows edits, undo included.
    store
        .apply(&Command::SetInterviewNotes {
            interview_id,
            notes: "Helt nye notater.".into(),
        })
        .unwrap();
    assert!(store.search("kompetansematrisen", 10).unwrap().is_empty());
    assert_eq!(store.search("notater", 10).unwrap().len(), 1);
    store.undo().unwrap().unwrap();
    assert_eq!(store.search("kompetansematrisen", 10).unwrap().len(), 1);
    assert!(store.search("notater", 10).unwrap().is_empty());
}

/// A version 1 case gains the search index (built from its text) and undo for new edits.
#[test]
fn a_version_1_case_is_indexed_and_undoable_after_upgrade() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "v1.evalcase");
    std::fs::copy("tests/fixtures/case-v1.evalcase", &path).unwrap();
    {
        // Text written as a version 1 build would have: straight into the tables.
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute(
            "INSERT INTO interview (date, role, setting, channel, notes)
             VALUES ('2026-02-01', 'participant', 'individual', 'in_person', 'Deltakeren trives godt.')",
            [],
        )
        .unwrap();
    }
    let mut store = CaseStore::open(&path).unwrap();
    assert_eq!(store.check().unwrap().schema_version, store::LATEST_VERSION);
    assert_eq!(store.search("trives", 10).unwrap().len(), 1);
    assert!(
        store.next_step(Direction::Undo).is_none(),
        "version 1 edits have no inverse"
    );
    store
        .apply(&Command::SetPhase {
            phase: Phase::Report,
        })
        .unwrap();
    store.undo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap().phase, Phase::Analysis);
    assert!(store.undo().unwrap().is_none());
}

/// A case from before the chain gets its hashes on the first open for writing, and new rows
/// continue the chain.
#[test]
fn an_older_journal_is_chained_when_the_case_is_opened() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "v1.evalcase");
    std::fs::copy("tests/fixtures/case-v1.evalcase", &path).unwrap();
    assert_eq!(
        store::CaseStore::open_read_only(&path)
            .unwrap()
            .journal()
            .unwrap()
            .len(),
        3
    );
    let mut store = CaseStore::open(&path).unwrap();
    assert_eq!(
        store.verify_journal().unwrap(),
        store::ChainCheck::Intact { entries: 3 }
    );
    store
        .apply(&Command::SetPhase {
            phase: Phase::Report,
        })
        .unwrap();
    assert_eq!(
        store.verify_journal().unwrap(),
        store::ChainCheck::Intact { entries: 4 }
    );
}

#[test]
fn each_journal_row_says_what_changed_before_and_after_and_the_chain_covers_it() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "audit.evalcase");
    let mut store = common::new_case(&path);
    let (_, _, finding_id) = case_with_evidence(&mut store);
    store
        .apply(&Command::UpdateFinding {
            finding_id,
            finding: FindingFields {
                title: "Planer sendes ofte for sent".into(),
                description: "lang ".repeat(30),
            },
        })
        .unwrap();
    store.undo().unwrap();
    let journal = store.journal().unwrap();
    let summaries: Vec<&str> = journal.iter().map(|e| e.summary.as_str()).collect();
    assert!(summaries.contains(&"+ interview/1"), "{summaries:#?}");
    let edit = &journal[journal.len() - 2];
    assert_eq!(edit.kind, "edit");
    assert!(
        edit.summary.contains(&format!(
            "finding/{} description: «» -> (150 chars), title: «Planer sendes for sent» -> «Planer sendes ofte for sent»",
            finding_id.0
        )),
        "{}",
        edit.summary
    );
    let undo = journal.last().unwrap();
    assert_eq!(undo.kind, "undo");
    assert!(
        undo.summary
            .contains("title: «Planer sendes ofte for sent» -> «Planer sendes for sent»"),
        "{}",
        undo.summary
    );
    assert!(matches!(
        store.verify_journal().unwrap(),
        store::ChainCheck::Intact { .. }
    ));
    store.close().unwrap();

    // An edited summary breaks the chain at that row.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE journal SET summary = 'nothing happened' WHERE seq = ?1",
        [edit.seq],
    )
    .unwrap();
    drop(conn);
    let store = CaseStore::open_read_only(&path).unwrap();
    assert_eq!(
        store.verify_journal().unwrap(),
        store::ChainCheck::BrokenAt { seq: edit.seq }
    );
}
