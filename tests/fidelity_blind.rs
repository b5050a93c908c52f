//! Scoring a fidelity review apart: a copy made for the second evaluator holds none of the
//! first's scores or rationales (checked with SQL on the file and by searching its bytes), still
//! verifies as the same case, and the merge brings the delivered scores together both ways.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;

use evalbench::command::Command;
use evalbench::domain::{FidelityPhase, FidelityReview, Rater, Rejection};
use evalbench::merge::Resolutions;
use evalbench::store::{CaseStore, ChainCheck, StoreError};

/// Text only the first evaluator wrote: it must not be anywhere in the second's copy.
const SECRET: &str = "FORSTE-EVALUATORS-BEGRUNNELSE";

fn review(store: &CaseStore) -> FidelityReview {
    store.snapshot().unwrap().fidelity.unwrap()
}

fn score_all(store: &mut CaseStore, rater: Rater, scores: [u8; 3], rationale: &str) {
    let items: Vec<_> = review(store).items.iter().map(|i| i.id).collect();
    for (item_id, score) in items.into_iter().zip(scores) {
        store
            .apply(&Command::SetFidelityScore {
                item_id,
                rater,
                score,
                rationale: format!("{rationale} {item_id}"),
                evidence: Vec::new(),
            })
            .unwrap();
    }
    store.apply(&Command::SealFidelityScores { rater }).unwrap();
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

fn merge_into(mine: &mut CaseStore, theirs: &Path) {
    let plan = mine.prepare_merge(theirs, None).unwrap();
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    mine.merge_copy(&plan, plan.step(merged), None).unwrap();
}

#[test]
fn a_blind_copy_holds_none_of_the_other_evaluators_scores_and_merges_back() {
    let dir = common::temp_dir();
    let original = common::case_path(&dir, "original.evalcase");
    let copy = common::case_path(&dir, "for-second.evalcase");
    let mut first = common::new_case(&original);
    first
        .apply(&Command::AdoptFidelityScale {
            catalog: common::small_scale(),
        })
        .unwrap();
    // The first evaluator has scored (and changed a score, so the journal holds two versions)
    // before the copy is made.
    score_all(&mut first, Rater::First, [3, 4, 5], SECRET);
    first.undo().unwrap();
    score_all(&mut first, Rater::First, [3, 4, 4], SECRET);
    first
        .apply(&Command::UnsealFidelityScores {
            rater: Rater::First,
        })
        .unwrap();

    // Refusals: the consensus has no copy of its own; the file must be new.
    assert!(matches!(
        first.save_blind_copy(&copy, Rater::Consensus),
        Err(StoreError::Rejected(Rejection::FidelityNotARater))
    ));
    assert!(!copy.exists());
    let redacted = first.save_blind_copy(&copy, Rater::Second).unwrap();
    assert!(redacted >= 6, "{redacted} journal rows redacted");
    assert!(matches!(
        first.save_blind_copy(&copy, Rater::Second),
        Err(StoreError::AlreadyExists { .. })
    ));

    // SQL on the copy's file: no score and no journal row of the first evaluator's.
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM fidelity_score WHERE rater <> 'second'"),
        0
    );
    let like = format!("%{SECRET}%");
    for table in ["journal", "merged_journal"] {
        let found: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} WHERE command LIKE ?1 OR inverse LIKE ?1
                     OR summary LIKE ?1
                     OR (json_extract(command, '$.op') LIKE '%fidelity_score'
                         AND json_extract(command, '$.rater') <> 'second')"
                ),
                [&like],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(found, 0, "{table}");
    }
    // Deliveries name no score and stay in the history.
    assert_eq!(
        count(
            "SELECT count(*) FROM journal
             WHERE json_extract(command, '$.op') LIKE '%seal_fidelity_scores'"
        ),
        4
    );
    drop(conn);
    // … nor anywhere in its bytes (free pages included), while the original has it.
    assert!(!contains(&std::fs::read(&copy).unwrap(), SECRET));
    first.close().unwrap();
    assert!(contains(&std::fs::read(&original).unwrap(), SECRET));
    let mut first = CaseStore::open(&original).unwrap();

    // The copy is a sound case whose journal still verifies, and it is blind for its owner.
    let mut second = CaseStore::open(&copy).unwrap();
    let check = second.check().unwrap();
    assert!(check.is_healthy(), "{check:?}");
    assert!(matches!(check.journal, ChainCheck::Intact { .. }));
    assert_eq!(review(&second).totals(Rater::First).scored, 0);

    // Each scores in their own copy; the second delivers.
    score_all(
        &mut second,
        Rater::Second,
        [5, 2, 4],
        "ANDRE-EVALUATORS-BEGRUNNELSE",
    );

    // Merged while the first has not delivered: the rest of the case travels, the scores do not,
    // in either file, and neither do the journal rows that carried them.
    merge_into(&mut second, &original);
    merge_into(&mut first, &copy);
    assert_eq!(review(&second).totals(Rater::First).scored, 0);
    assert_eq!(review(&first).totals(Rater::Second).scored, 0);
    assert!(review(&first).is_sealed(Rater::Second), "deliveries travel");
    second.close().unwrap();
    first.close().unwrap();
    assert!(!contains(&std::fs::read(&copy).unwrap(), SECRET));
    assert!(!contains(
        &std::fs::read(&original).unwrap(),
        "ANDRE-EVALUATORS-BEGRUNNELSE"
    ));
    let mut first = CaseStore::open(&original).unwrap();
    let mut second = CaseStore::open(&copy).unwrap();
    for store in [&first, &second] {
        let check = store.check().unwrap();
        assert!(check.is_healthy(), "{check:?}");
    }

    first
        .apply(&Command::SealFidelityScores {
            rater: Rater::First,
        })
        .unwrap();

    // The merge brings the delivered scores together, both ways, and deletes nothing.
    merge_into(&mut first, &copy);
    let together = review(&first);
    assert_eq!(together.phase(), FidelityPhase::Reconciliation);
    assert_eq!(together.totals(Rater::First).total, 11);
    assert_eq!(together.totals(Rater::Second).total, 11);
    assert!(
        together
            .scores
            .iter()
            .filter(|s| s.rater == Rater::First)
            .all(|s| s.rationale.starts_with(SECRET))
    );
    assert_eq!(together.agreement().items, 3);
    first.close().unwrap();

    merge_into(&mut second, &original);
    let together = review(&second);
    assert_eq!(together.phase(), FidelityPhase::Reconciliation);
    assert_eq!(together.totals(Rater::First).total, 11);
    assert_eq!(together.totals(Rater::Second).total, 11);
    // Nothing is blind any more: no blind copy.
    assert!(matches!(
        second.save_blind_copy(&common::case_path(&dir, "late.evalcase"), Rater::First),
        Err(StoreError::Rejected(Rejection::FidelityNotBlind))
    ));
}

/// Delivering with items left is refused and changes nothing.
#[test]
fn delivery_is_refused_until_every_item_is_scored_and_undone_as_one_step() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    let mut store = common::new_case(&path);
    store
        .apply(&Command::AdoptFidelityScale {
            catalog: common::small_scale(),
        })
        .unwrap();
    let item = review(&store).items[0].id;
    store
        .apply(&Command::SetFidelityScore {
            item_id: item,
            rater: Rater::Second,
            score: 3,
            rationale: String::new(),
            evidence: Vec::new(),
        })
        .unwrap();
    let journal = store.journal_len().unwrap();
    match store.apply(&Command::SealFidelityScores {
        rater: Rater::Second,
    }) {
        Err(StoreError::Rejected(Rejection::FidelityItemsUnscored { rater, missing })) => {
            assert_eq!((rater, missing), (Rater::Second, 2));
        }
        other => panic!("delivery with two items left: {other:?}"),
    }
    assert_eq!(store.journal_len().unwrap(), journal, "nothing journaled");
    assert!(!review(&store).is_sealed(Rater::Second));
}

/// A review scored before blind scoring existed (schema 10) opens where it stood: an evaluator
/// who scored every item counts as having delivered, one who did not is still scoring blind.
#[test]
fn an_older_review_opens_with_complete_evaluators_delivered() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "older.evalcase");
    let mut store = common::new_case(&path);
    store
        .apply(&Command::AdoptFidelityScale {
            catalog: common::small_scale(),
        })
        .unwrap();
    score_all(&mut store, Rater::First, [2, 3, 4], "Eldre");
    store.close().unwrap();
    // Back to schema 10, as a file from the version before.
    common::schema_back_to_10(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 10;").unwrap();
    drop(conn);
    let store = CaseStore::open(&path).unwrap();
    let review = review(&store);
    assert!(review.is_sealed(Rater::First));
    assert!(!review.is_sealed(Rater::Second));
    assert_eq!(review.phase(), FidelityPhase::Blind);
    assert_eq!(review.improvement_below, 4);
}
