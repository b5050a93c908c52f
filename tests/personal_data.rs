//! *Slett personopplysninger*: after the deletion on the demo case, a byte search of every
//! deleted text (each participant interview's notes, each participant code, each quote not
//! marked shareable, the personal document's file) in the case file and in each of its backup
//! copies finds nothing, while the same search found each of them before. The journal still
//! verifies, `check` is healthy, the report renders, undo brings nothing back, and a merge with
//! a copy made before the deletion — either way round — does not either.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::{Path, PathBuf};

use evalbench::backups::{Backups, Reason};
use evalbench::command::Command;
use evalbench::domain::{CaseSnapshot, PersonalData, Rejection, RoleId};
use evalbench::merge::Resolutions;
use evalbench::store::{CaseStore, ChainCheck, StoreError};

const PROVIDER: &str = "Fjordlys Arbeid og Kompetanse AS";
/// The content of the file attached to the document marked personal (invented).
const PERSONAL_FILE: &str =
    "Individuell plan for deltaker D-03: mål, tiltak og oppfølging (oppdiktet)";

/// The personal texts of a case: participant notes, codes and quotes not marked shareable.
fn personal_texts(case: &CaseSnapshot) -> Vec<String> {
    let mut texts = Vec::new();
    for interview in case
        .interviews
        .iter()
        .filter(|i| i.fields.role == RoleId::new("participant"))
    {
        texts.push(interview.notes.clone());
        texts.extend(interview.fields.interviewees.iter().cloned());
        texts.extend(
            interview
                .excerpts
                .iter()
                .filter(|e| !e.shareable)
                .map(|e| e.quote.clone()),
        );
    }
    texts.push(PERSONAL_FILE.to_owned());
    texts.retain(|t| !t.is_empty());
    texts
}

/// Words of the participants' notes (lower case, as the search index keeps them) that no
/// text kept after the deletion uses: the index holds words, not whole notes, so these show
/// whether it still holds them.
fn notes_only_words(before: &CaseSnapshot, kept: &str) -> Vec<String> {
    let mut words: Vec<String> = before
        .interviews
        .iter()
        .filter(|i| i.fields.role == RoleId::new("participant"))
        .flat_map(|i| {
            i.notes
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.chars().count() >= 7 && !kept.contains(w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

fn hits(haystack: &[u8], needle: &str) -> usize {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .filter(|window| *window == needle)
        .count()
}

/// Each text with its number of hits in the file, for the texts found at least once.
fn found_in(path: &Path, texts: &[String]) -> Vec<(String, usize)> {
    let bytes = std::fs::read(path).unwrap();
    texts
        .iter()
        .map(|t| (t.clone(), hits(&bytes, t)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn merge_into(store: &mut CaseStore, theirs: &Path) {
    let plan = store.prepare_merge(theirs, None).unwrap();
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    store.merge_copy(&plan, plan.step(merged), None).unwrap();
}

/// The demo case, closed, with its sample of individual plans marked personal and attached.
fn closed_demo(dir: &tempfile::TempDir) -> PathBuf {
    let path = common::case_path(dir, "demo.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    let case = store.snapshot().unwrap();
    let plans = case
        .document_reviews
        .iter()
        .find(|d| d.fields.title.contains("individuelle planer"))
        .expect("the demo's sample of plans")
        .id;
    let attachment = store
        .put_attachment("planer-utvalg.txt", PERSONAL_FILE.as_bytes())
        .unwrap();
    store
        .apply(&Command::AttachFile {
            document_review_id: plans,
            attachment,
        })
        .unwrap();
    store
        .apply(&Command::SetDocumentPersonal {
            document_review_id: plans,
            personal: true,
        })
        .unwrap();
    store
        .apply(&Command::CloseCase {
            reason: "Planen følges opp i neste evaluering".to_owned(),
        })
        .unwrap();
    store.close().unwrap();
    path
}

#[test]
fn deleted_texts_are_gone_from_the_file_its_backups_and_its_history() {
    let dir = common::temp_dir();
    let path = closed_demo(&dir);
    let backups = Backups::at(dir.path().join("backups"));
    let mut store = CaseStore::open(&path).unwrap();
    let before = store.snapshot().unwrap();
    let texts = personal_texts(&before);
    let expected = PersonalData::in_case(&before);
    assert_eq!(store.personal_data().unwrap(), expected);
    assert_eq!(
        (
            expected.interview_notes,
            expected.participant_codes,
            expected.attachments
        ),
        (4, 4, 1)
    );
    assert!(expected.quotes > 0);
    // Backups as the app takes them, and a copy a schema upgrade left beside the file.
    backups
        .take(&store, &before.case_id, Reason::Daily)
        .unwrap();
    backups
        .take(&store, &before.case_id, Reason::BeforeMerge)
        .unwrap();
    let upgrade_copy = dir.path().join("demo.v15-backup.evalcase");
    store.save_copy(&upgrade_copy).unwrap();
    // So the searches below can fail: each text is in the file and each copy before.
    for file in std::iter::once(path.clone())
        .chain(std::iter::once(upgrade_copy.clone()))
        .chain(backups.list(&before.case_id).into_iter().map(|b| b.path))
    {
        assert_eq!(
            found_in(&file, &texts).len(),
            texts.len(),
            "{}",
            file.display()
        );
    }
    let older = dir.path().join("older.evalcase");
    store.save_copy(&older).unwrap();

    let deletion = store.delete_personal_data(PROVIDER).unwrap();
    assert_eq!(deletion.deleted, expected);
    assert!(deletion.journal_rows_redacted > 0);
    let removed = backups
        .replace_after_deletion(&store, &before.case_id)
        .unwrap();
    assert_eq!(removed.len(), 3, "{removed:?}");
    assert!(!upgrade_copy.exists());
    let after = store.snapshot().unwrap();
    assert_eq!(
        after.personal_data_deleted_on,
        Some(jiff::Zoned::now().date())
    );
    assert!(PersonalData::in_case(&after).is_empty());

    // What stays: every interview and excerpt (counts, coverage), findings, plan, versions.
    assert_eq!(after.interviews.len(), before.interviews.len());
    let excerpts = |c: &CaseSnapshot| c.interviews.iter().map(|i| i.excerpts.len()).sum::<usize>();
    assert_eq!(excerpts(&after), excerpts(&before));
    assert_eq!(after.findings, before.findings);
    assert_eq!(after.actions, before.actions);
    let shareable_kept = before
        .interviews
        .iter()
        .flat_map(|i| &i.excerpts)
        .filter(|e| e.shareable)
        .all(|e| {
            after
                .interviews
                .iter()
                .flat_map(|i| &i.excerpts)
                .any(|a| a.quote == e.quote)
        });
    assert!(shareable_kept);

    // Undo brings nothing back.
    assert_eq!(store.undo().unwrap(), None);
    store.close().unwrap();

    let copies: Vec<PathBuf> = backups
        .list(&before.case_id)
        .into_iter()
        .map(|b| b.path)
        .collect();
    assert_eq!(copies.len(), 1);
    for file in std::iter::once(path.clone()).chain(copies) {
        assert_eq!(found_in(&file, &texts), Vec::new(), "{}", file.display());
    }
    let kept = serde_json::to_string(&after).unwrap().to_lowercase();
    let words = notes_only_words(&before, &kept);
    assert!(words.len() >= 5, "{words:?}");
    assert_eq!(found_in(&path, &words), Vec::new());

    let store = CaseStore::open(&path).unwrap();
    assert!(matches!(
        store.verify_journal().unwrap(),
        ChainCheck::Intact { .. }
    ));
    assert!(store.check().unwrap().is_healthy());
    for word in &words {
        assert!(store.search(word, 10).unwrap().is_empty(), "{word}");
    }
    let report = evalbench::export::render(
        &store.snapshot().unwrap(),
        evalbench::export::Format::Pdf,
        evalbench::i18n::Lang::Nb,
        jiff::civil::date(2026, 12, 3),
    )
    .unwrap();
    assert!(report.starts_with(b"%PDF"));
    store.close().unwrap();

    // A merge with the copy made before: it brings nothing back into the deleted case ...
    let mut store = CaseStore::open(&path).unwrap();
    merge_into(&mut store, &older);
    assert!(store.personal_data().unwrap().is_empty());
    store.close().unwrap();
    assert_eq!(found_in(&path, &texts), Vec::new());
    // ... and the older copy, taking the deleted one in, deletes its own.
    let mut store = CaseStore::open(&older).unwrap();
    merge_into(&mut store, &path);
    let merged = store.snapshot().unwrap();
    assert!(merged.personal_data_deleted_on.is_some());
    assert!(PersonalData::in_case(&merged).is_empty());
    assert!(matches!(
        store.verify_journal().unwrap(),
        ChainCheck::Intact { .. }
    ));
    store.close().unwrap();
    assert_eq!(found_in(&older, &texts), Vec::new());
}

#[test]
fn deletion_is_refused_with_nothing_changed_while_open_or_unconfirmed() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "demo.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    let before = store.snapshot().unwrap();
    let journal = store.journal().unwrap().len();
    assert!(matches!(
        store.delete_personal_data(PROVIDER),
        Err(StoreError::Rejected(Rejection::DeletionNeedsClosedCase))
    ));
    store
        .apply(&Command::CloseCase {
            reason: "test".to_owned(),
        })
        .unwrap();
    for typed in ["", "Fjordlys", "Fjordlys Arbeid AS"] {
        assert!(matches!(
            store.delete_personal_data(typed),
            Err(StoreError::Rejected(Rejection::DeletionNotConfirmed))
        ));
    }
    let after = store.snapshot().unwrap();
    assert_eq!(after.interviews, before.interviews);
    assert_eq!(store.journal().unwrap().len(), journal + 1);
}

#[test]
fn the_command_line_deletes_and_replaces_the_backups() {
    let dir = common::temp_dir();
    let path = closed_demo(&dir);
    let data = dir.path().join("data");
    let store = CaseStore::open(&path).unwrap();
    let case = store.snapshot().unwrap();
    let backups = Backups::at(data.join("backups"));
    backups.take(&store, &case.case_id, Reason::Daily).unwrap();
    store.close().unwrap();
    let run = |confirm: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
            .args(["purge", path.to_str().unwrap(), "--confirm", confirm])
            .env("EVALBENCH_DATA_DIR", &data)
            .output()
            .unwrap()
    };
    let refused = run("Noen andre AS");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("provider's name"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let texts = personal_texts(&case);
    assert_eq!(found_in(&path, &texts).len(), texts.len());
    let done = run(PROVIDER);
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(stdout.contains("4 participant codes"), "{stdout}");
    assert!(stdout.contains("1 backup copies removed"), "{stdout}");
    assert_eq!(found_in(&path, &texts), Vec::new());
    let copies = backups.list(&case.case_id);
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].reason, Reason::AfterDeletion);
    assert_eq!(found_in(&copies[0].path, &texts), Vec::new());
}
