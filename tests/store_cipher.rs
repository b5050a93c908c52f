//! Encryption at rest: an encrypted case is a standard SQLCipher 4 file (another SQLCipher build
//! opens it with `PRAGMA key` alone, plain SQLite cannot read it), it opens only with its
//! passphrase and is refused untouched without it, and encrypting, rekeying, decrypted copies,
//! backup copies and provider packages keep the case whole. The check with another SQLCipher
//! build uses Python's `sqlcipher3`: CI installs it and sets `EVALBENCH_REQUIRE_SQLCIPHER=1`,
//! turning its absence into a failure; elsewhere that part is skipped with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::domain::Rejection;

use std::path::Path;
use std::process::Command as Process;

use evalbench::command::Command;
use evalbench::domain::{
    ActionFields, ActionStatus, FindingFields, FindingKind, InterviewChannel, InterviewFields,
    InterviewSetting, Phase, RoleId,
};
use evalbench::i18n::Lang;
use evalbench::plan_exchange;
use evalbench::store::{
    self, APPLICATION_ID, CaseStore, ChainCheck, Direction, LATEST_VERSION, Passphrase, StoreError,
};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
const PASSPHRASE: &str = "korrekt hest batteri stift";
const OTHER_PASSPHRASE: &str = "en helt annen setning";
/// Interview notes distinctive enough to search for in the raw bytes of a file.
const NOTES: &str = "Hemmelig notat: deltakeren fortalte om Blåbærveien-episoden i detalj.";
const NOTES_NEEDLE: &[u8] = b"Hemmelig notat";

fn key() -> Passphrase {
    Passphrase::new_chosen(PASSPHRASE).unwrap()
}

fn other_key() -> Passphrase {
    Passphrase::new_chosen(OTHER_PASSPHRASE).unwrap()
}

fn interview_fields() -> InterviewFields {
    InterviewFields {
        date: jiff::civil::date(2026, 2, 12),
        role: RoleId::new("measure_coordinator"),
        interviewees: vec!["Tiltakskoordinator".into()],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::Video,
    }
}

/// The commands of `common::new_case`, plus an interview with `NOTES`, a deviation and an action.
fn build(store: &mut CaseStore) -> Result<(), StoreError> {
    store.apply(&Command::UpdateCaseFacts {
        facts: common::facts(),
    })?;
    store.apply(&Command::AdoptCatalog {
        catalog: common::small_catalog(),
    })?;
    store.apply(&Command::AddInterview {
        interview: interview_fields(),
        notes: NOTES.into(),
    })?;
    let finding_id = evalbench::domain::FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: FindingFields {
                    title: "Planen kommer for sent".into(),
                    description: "Individuell plan sendes etter fristen.".into(),
                },
                requirement_ids: vec![],
                evidence: vec![],
            })?
            .created_id
            .expect("a new finding has an id"),
    );
    store.apply(&Command::AddAction {
        finding_id,
        action: ActionFields {
            description: "Innføre fristvarsel".into(),
            owner: "Leder for AFT".into(),
            due_date: Some(jiff::civil::date(2026, 5, 31)),
            status: ActionStatus::Agreed,
            closure_evidence: "Rutine sendes NAV".into(),
            nav_comment: String::new(),
        },
    })?;
    Ok(())
}

/// A closed, encrypted case at `path` holding an interview, a deviation and an action.
fn encrypted_case(path: &Path, key: &Passphrase) {
    let store = CaseStore::create_keyed(path, Some(key), build).unwrap();
    assert!(store.is_encrypted());
    store.close().unwrap();
}

/// The same case, plain.
fn plain_case(path: &Path) {
    let store = CaseStore::create(path, build).unwrap();
    assert!(!store.is_encrypted());
    store.close().unwrap();
}

fn header(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()[..16].to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn snapshot_with(path: &Path, key: Option<&Passphrase>) -> evalbench::domain::CaseSnapshot {
    store::read_case_keyed(path, key).unwrap()
}

fn is_encrypted_error(error: &StoreError) -> bool {
    matches!(error, StoreError::Encrypted { .. })
}

fn is_wrong_passphrase(error: &StoreError) -> bool {
    matches!(error, StoreError::WrongPassphrase { .. })
}

/// The names of the tables in an encrypted case, read with a plain `PRAGMA key` and nothing else.
fn tables_with_pragma_key(path: &Path, passphrase: &str) -> rusqlite::Result<Vec<String>> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.execute_batch(&format!(
        "PRAGMA key = '{}';",
        passphrase.replace('\'', "''")
    ))?;
    let mut statement =
        conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?;
    let names = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

#[test]
fn passphrase_rules_and_debug_output() {
    assert!(matches!(
        Passphrase::new(""),
        Err(StoreError::Rejected(Rejection::PassphraseEmpty))
    ));
    assert!(Passphrase::new("x").is_ok(), "an existing short one opens");
    let short = Passphrase::new_chosen("1234567");
    assert!(
        matches!(
            &short,
            Err(StoreError::Rejected(Rejection::PassphraseTooShort {
                min_chars: 8
            }))
        ),
        "{short:?}"
    );
    assert!(Passphrase::new_chosen("12345678").is_ok());
    // Characters, not bytes: seven letters with two bytes each are still too short.
    assert!(Passphrase::new_chosen("æøåæøåæ").is_err());
    let debug = format!("{:?}", key());
    assert_eq!(debug, "Passphrase(…)");
    assert!(!debug.contains("hest"), "{debug}");
    let in_option = format!("{:?}", Some(key()));
    assert!(!in_option.contains("hest"), "{in_option}");
}

/// Test 1: the file is SQLCipher 4 with default settings: no SQLite header, no plain text,
/// unreadable without the key, and `PRAGMA key` alone opens it.
#[test]
fn an_encrypted_case_is_a_standard_sqlcipher_file() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "secret.evalcase");
    encrypted_case(&path, &key());
    assert_eq!(common::files_in(dir.path()), ["secret.evalcase"]);
    let bytes = std::fs::read(&path).unwrap();
    assert_ne!(&bytes[..16], SQLITE_HEADER, "the header is encrypted too");
    assert_eq!(bytes.len() % 4096, 0, "whole SQLCipher pages");
    assert!(store::needs_passphrase(&path));
    assert!(
        !contains(&bytes, NOTES_NEEDLE),
        "interview notes are readable in the encrypted file"
    );
    assert!(
        !contains(&bytes, common::facts().provider_name.as_bytes()),
        "the provider's name is readable in the encrypted file"
    );

    // Without a key: SQLITE_NOTADB on the first read.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let error = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap_err();
    assert_eq!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase),
        "{error}"
    );
    drop(conn);

    // With the passphrase and SQLCipher 4's defaults (no other cipher pragma): the case's tables.
    let tables = tables_with_pragma_key(&path, PASSPHRASE).unwrap();
    for table in ["case_info", "interview", "finding", "action", "journal"] {
        assert!(
            tables.iter().any(|t| t == table),
            "{table} missing from {tables:?}"
        );
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{PASSPHRASE}';"))
        .unwrap();
    let application_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .unwrap();
    assert_eq!(application_id, APPLICATION_ID);
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, LATEST_VERSION as i64);
    let notes: String = conn
        .query_row("SELECT notes FROM interview", [], |row| row.get(0))
        .unwrap();
    assert_eq!(notes, NOTES);
    let cipher_version: String = conn
        .query_row("PRAGMA cipher_version", [], |row| row.get(0))
        .unwrap();
    assert!(cipher_version.starts_with("4."), "{cipher_version}");
    drop(conn);

    // A wrong key reads nothing either.
    let error = tables_with_pragma_key(&path, OTHER_PASSPHRASE).unwrap_err();
    assert_eq!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase),
        "{error}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "reading changed it");
}

/// Test 2: without its key, or with a wrong one, the case is refused with a message naming it,
/// untouched, and nothing appears beside it.
#[test]
fn without_or_with_a_wrong_key_an_encrypted_case_is_refused_untouched() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "locked.evalcase");
    encrypted_case(&path, &key());

    let message = common::assert_refused_untouched(&path, None, is_encrypted_error);
    assert!(message.contains("encrypted"), "{message}");
    assert!(matches!(
        CaseStore::open(&path),
        Err(StoreError::Encrypted { .. })
    ));
    assert!(matches!(
        store::read_case(&path),
        Err(StoreError::Encrypted { .. })
    ));
    assert!(matches!(
        store::inspect(&path),
        Err(StoreError::Encrypted { .. })
    ));

    let message = common::assert_refused_untouched(&path, Some(&other_key()), is_wrong_passphrase);
    assert!(message.contains("passphrase does not open"), "{message}");
    assert!(!message.contains(OTHER_PASSPHRASE), "{message}");
    // A passphrase that only differs in case, or by a trailing space, is another passphrase.
    let near = Passphrase::new(PASSPHRASE.to_uppercase()).unwrap();
    common::assert_refused_untouched(&path, Some(&near), is_wrong_passphrase);
    let spaced = Passphrase::new(format!("{PASSPHRASE} ")).unwrap();
    common::assert_refused_untouched(&path, Some(&spaced), is_wrong_passphrase);

    // The right one opens it, in every way.
    assert_eq!(
        store::inspect_keyed(&path, Some(&key())).unwrap(),
        LATEST_VERSION
    );
    let (snapshot, status) = store::read_case_with_status_keyed(&path, Some(&key())).unwrap();
    assert_eq!(snapshot.interviews[0].notes, NOTES);
    assert_eq!(status.len(), 1, "the action's first status is recorded");
    let store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    assert!(store.is_encrypted());
    assert!(store.check().unwrap().is_healthy());
    assert_eq!(store.check().unwrap().schema_version, LATEST_VERSION);
    assert_eq!(store.snapshot().unwrap(), snapshot);
    store.close().unwrap();
    assert_eq!(common::files_in(dir.path()), ["locked.evalcase"]);
}

/// A damaged encrypted file with the right key is damaged, not a wrong passphrase.
#[test]
fn a_truncated_encrypted_case_is_refused_untouched() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "cut.evalcase");
    let mut store = CaseStore::create_keyed(&path, Some(&key()), build).unwrap();
    for i in 0..100 {
        store
            .apply(&Command::SetEvaluators {
                evaluators: vec![format!("Evaluerer {i} {}", "x".repeat(300))],
            })
            .unwrap();
    }
    store.close().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() >= 8 * 4096, "the case spans several pages");
    // Cut at a page boundary, so it still looks like an encrypted file.
    let cut = bytes.len() / 2 / 4096 * 4096;
    std::fs::write(&path, &bytes[..cut]).unwrap();
    assert!(store::needs_passphrase(&path));
    common::assert_refused_untouched(&path, Some(&key()), |e| {
        matches!(e, StoreError::Damaged { .. })
    });
}

/// Test 3: a plain case opens with a key offered (it is not used) and stays plain.
#[test]
fn a_plain_case_ignores_an_offered_key_and_stays_plain() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "plain.evalcase");
    plain_case(&path);
    assert!(!store::needs_passphrase(&path));
    let mut store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    assert!(!store.is_encrypted());
    store
        .apply(&Command::SetPhase {
            phase: Phase::Analysis,
        })
        .unwrap();
    store.close().unwrap();
    assert_eq!(header(&path), SQLITE_HEADER);
    assert!(!store::needs_passphrase(&path));
    assert!(contains(&std::fs::read(&path).unwrap(), NOTES_NEEDLE));
    assert_eq!(
        CaseStore::open(&path).unwrap().snapshot().unwrap().phase,
        Phase::Analysis
    );
    assert_eq!(
        snapshot_with(&path, Some(&key())),
        snapshot_with(&path, None)
    );
    let reader = CaseStore::open_read_only_keyed(&path, Some(&key())).unwrap();
    assert!(!reader.is_encrypted());
    drop(reader);
    assert_eq!(
        store::inspect_keyed(&path, Some(&key())).unwrap(),
        LATEST_VERSION
    );
    assert_eq!(header(&path), SQLITE_HEADER);
}

/// Test 4: encrypting an open case in place keeps everything, undo included; rekeying retires
/// the old passphrase; removing it makes a plain file again.
#[test]
fn set_passphrase_encrypts_in_place_and_rekeys() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "grow.evalcase");
    let mut store = common::new_case(&path);
    store
        .apply(&Command::SetPhase {
            phase: Phase::DataCollection,
        })
        .unwrap();
    store
        .apply(&Command::AddInterview {
            interview: interview_fields(),
            notes: NOTES.into(),
        })
        .unwrap();
    let before_last = store.snapshot().unwrap();
    store
        .apply(&Command::SetEvaluators {
            evaluators: vec!["Evaluerer A".into()],
        })
        .unwrap();
    let before = store.snapshot().unwrap();
    let journal_before = store.journal().unwrap();
    assert!(contains(&std::fs::read(&path).unwrap(), NOTES_NEEDLE));

    store.set_passphrase(&key()).unwrap();
    assert!(store.is_encrypted());
    let bytes = std::fs::read(&path).unwrap();
    assert_ne!(&bytes[..16], SQLITE_HEADER);
    assert!(store::needs_passphrase(&path));
    assert!(
        !contains(&bytes, NOTES_NEEDLE),
        "the notes are readable after encryption"
    );
    assert_eq!(
        common::files_in(dir.path()),
        ["grow.evalcase", "grow.evalcase-lock"],
        "no partial file is left, and the lock is still held"
    );
    assert!(
        matches!(
            CaseStore::open_keyed(&path, Some(&key())),
            Err(StoreError::InUse { .. })
        ),
        "the case is still locked against a second writer"
    );
    assert_eq!(store.snapshot().unwrap(), before);
    assert_eq!(store.journal().unwrap(), journal_before);
    assert!(store.check().unwrap().is_healthy());
    assert!(matches!(
        store.verify_journal().unwrap(),
        ChainCheck::Intact { entries } if entries == journal_before.len()
    ));

    // Undo carries on across the rewrite, and new edits land in the encrypted file.
    assert_eq!(
        store.next_step(Direction::Undo).unwrap().op,
        "set_evaluators"
    );
    store.undo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap(), before_last);
    store.redo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap(), before);
    store.undo().unwrap().unwrap();
    store
        .apply(&Command::SetPhase {
            phase: Phase::Analysis,
        })
        .unwrap();
    assert!(matches!(
        store.verify_journal().unwrap(),
        ChainCheck::Intact { entries } if entries == journal_before.len() + 4
    ));
    let expected = store.snapshot().unwrap();
    store.close().unwrap();
    assert_eq!(common::files_in(dir.path()), ["grow.evalcase"]);
    assert!(store::needs_passphrase(&path));

    // Only the key opens it now.
    common::assert_refused_untouched(&path, None, is_encrypted_error);
    common::assert_refused_untouched(&path, Some(&other_key()), is_wrong_passphrase);
    let mut store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    assert_eq!(store.snapshot().unwrap(), expected);
    assert!(matches!(
        store.verify_journal().unwrap(),
        ChainCheck::Intact { .. }
    ));
    assert_eq!(
        store.next_step(Direction::Undo).unwrap().op,
        "set_phase",
        "the history reloads from the encrypted file"
    );

    // Rekey: the old passphrase no longer opens it, the new one does.
    store.set_passphrase(&other_key()).unwrap();
    assert!(store.is_encrypted());
    assert_eq!(store.snapshot().unwrap(), expected);
    store.close().unwrap();
    assert_eq!(common::files_in(dir.path()), ["grow.evalcase"]);
    common::assert_refused_untouched(&path, Some(&key()), is_wrong_passphrase);
    assert!(tables_with_pragma_key(&path, PASSPHRASE).is_err());
    assert!(
        tables_with_pragma_key(&path, OTHER_PASSPHRASE)
            .unwrap()
            .contains(&"interview".to_owned())
    );
    let mut store = CaseStore::open_keyed(&path, Some(&other_key())).unwrap();
    assert_eq!(store.snapshot().unwrap(), expected);
    assert!(store.check().unwrap().is_healthy());

    // Removing the passphrase: a plain case again.
    store.remove_passphrase().unwrap();
    assert!(!store.is_encrypted());
    store
        .apply(&Command::SetPhase {
            phase: Phase::Report,
        })
        .unwrap();
    store.close().unwrap();
    assert_eq!(header(&path), SQLITE_HEADER);
    assert!(!store::needs_passphrase(&path));
    let plain = CaseStore::open(&path).unwrap();
    assert_eq!(plain.snapshot().unwrap().phase, Phase::Report);
    assert!(matches!(
        plain.verify_journal().unwrap(),
        ChainCheck::Intact { .. }
    ));
    assert_eq!(
        plain.snapshot().unwrap().interviews,
        expected.interviews,
        "the interview survived both rewrites"
    );
}

/// Encrypting a case that was created with a key from the start, then reopened: a second
/// `set_passphrase` with the same key is harmless.
#[test]
fn set_passphrase_with_the_same_key_keeps_the_case() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "same.evalcase");
    encrypted_case(&path, &key());
    let before = snapshot_with(&path, Some(&key()));
    let mut store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    store.set_passphrase(&key()).unwrap();
    store.close().unwrap();
    assert_eq!(snapshot_with(&path, Some(&key())), before);
    assert_eq!(common::files_in(dir.path()), ["same.evalcase"]);
}

/// Test 5: a plain copy of an encrypted case is a plain case with the same content; the original
/// is not touched.
#[test]
fn write_plain_copy_leaves_the_encrypted_original_unchanged() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "enc.evalcase");
    encrypted_case(&path, &key());
    let before = std::fs::read(&path).unwrap();

    let store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    let snapshot = store.snapshot().unwrap();
    let copy = common::case_path(&dir, "plain-copy.evalcase");
    store.write_plain_copy(&copy).unwrap();
    assert!(matches!(
        store.write_plain_copy(&copy),
        Err(StoreError::AlreadyExists { .. })
    ));
    assert!(store.is_encrypted());
    assert_eq!(store.snapshot().unwrap(), snapshot);
    store.close().unwrap();

    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the original changed"
    );
    let copy_bytes = std::fs::read(&copy).unwrap();
    assert_eq!(&copy_bytes[..16], SQLITE_HEADER);
    assert_eq!(
        copy_bytes[68..72],
        APPLICATION_ID.to_be_bytes(),
        "the copy carries the application id in its header"
    );
    assert!(contains(&copy_bytes, NOTES_NEEDLE), "a plain copy is plain");
    assert!(!store::needs_passphrase(&copy));
    let copied = CaseStore::open(&copy).unwrap();
    assert!(!copied.is_encrypted());
    assert_eq!(copied.snapshot().unwrap(), snapshot);
    let report = copied.check().unwrap();
    assert!(report.is_healthy());
    assert_eq!(report.schema_version, LATEST_VERSION);
    assert!(matches!(
        copied.verify_journal().unwrap(),
        ChainCheck::Intact { .. }
    ));
    copied.close().unwrap();

    // A read-only store writes the same copy.
    let second = common::case_path(&dir, "second.evalcase");
    CaseStore::open_read_only_keyed(&path, Some(&key()))
        .unwrap()
        .write_plain_copy(&second)
        .unwrap();
    assert_eq!(snapshot_with(&second, None), snapshot);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        common::files_in(dir.path()),
        ["enc.evalcase", "plain-copy.evalcase", "second.evalcase"]
    );
}

/// A copy saved from an encrypted case (as the automatic backups are) is encrypted with the same
/// key: a backup must not leak what the case protects.
#[test]
fn save_copy_and_backups_of_an_encrypted_case_stay_encrypted() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "enc.evalcase");
    encrypted_case(&path, &key());
    let store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    let snapshot = store.snapshot().unwrap();

    let copy = common::case_path(&dir, "copy.evalcase");
    store.save_copy(&copy).unwrap();
    let bytes = std::fs::read(&copy).unwrap();
    assert_ne!(&bytes[..16], SQLITE_HEADER, "save_copy wrote a plain file");
    assert!(!contains(&bytes, NOTES_NEEDLE));
    common::assert_refused_untouched(&copy, None, is_encrypted_error);
    assert_eq!(snapshot_with(&copy, Some(&key())), snapshot);

    let backups = evalbench::backups::Backups::at(dir.path().join("backups"));
    let backup = backups
        .take(&store, &snapshot.case_id, evalbench::backups::Reason::Daily)
        .unwrap();
    assert!(store::needs_passphrase(&backup), "the backup is plain");
    assert!(!contains(&std::fs::read(&backup).unwrap(), NOTES_NEEDLE));
    assert!(matches!(
        store::read_case(&backup),
        Err(StoreError::Encrypted { .. })
    ));
    assert_eq!(snapshot_with(&backup, Some(&key())), snapshot);
}

/// An encrypted case of an older schema version is upgraded after a backup that is encrypted
/// with the same key; reading it without writing works through the key too.
#[test]
fn an_older_encrypted_case_migrates_with_an_encrypted_backup() {
    if LATEST_VERSION < 2 {
        eprintln!("skipped: there is no older schema version");
        return;
    }
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "old.evalcase");
    store::testing::create_at_version(&path, 1).unwrap();
    let failed = store::convert_copies(std::slice::from_ref(&path), None, &key());
    assert!(failed.is_empty(), "{failed:?}");
    assert!(store::needs_passphrase(&path));
    let before = std::fs::read(&path).unwrap();

    // Reading never changes it.
    assert_eq!(store::inspect_keyed(&path, Some(&key())).unwrap(), 1);
    let reader = CaseStore::open_read_only_keyed(&path, Some(&key())).unwrap();
    assert!(reader.check().unwrap().is_healthy());
    assert_eq!(reader.check().unwrap().schema_version, LATEST_VERSION);
    drop(reader);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(common::files_in(dir.path()), ["old.evalcase"]);

    let store = CaseStore::open_keyed(&path, Some(&key())).unwrap();
    assert_eq!(store.check().unwrap().schema_version, LATEST_VERSION);
    store.close().unwrap();
    let backup = dir.path().join("old.v1-backup.evalcase");
    assert!(store::needs_passphrase(&backup), "the backup is plain");
    assert!(matches!(
        store::inspect(&backup),
        Err(StoreError::Encrypted { .. })
    ));
    assert_eq!(store::inspect_keyed(&backup, Some(&key())).unwrap(), 1);
    assert_eq!(
        store::inspect_keyed(&path, Some(&key())).unwrap(),
        LATEST_VERSION
    );
}

/// Test 6: converting copies (the backups) to a new passphrase: a plain one is encrypted, an
/// encrypted one rekeyed; afterwards only the new passphrase opens either.
#[test]
fn convert_copies_gives_every_copy_the_new_passphrase() {
    let dir = common::temp_dir();
    let plain = common::case_path(&dir, "plain.evalcase");
    let encrypted = common::case_path(&dir, "encrypted.evalcase");
    plain_case(&plain);
    encrypted_case(&encrypted, &key());
    let plain_snapshot = snapshot_with(&plain, None);
    let encrypted_snapshot = snapshot_with(&encrypted, Some(&key()));

    let failed = store::convert_copies(
        &[plain.clone(), encrypted.clone()],
        Some(&key()),
        &other_key(),
    );
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(
        common::files_in(dir.path()),
        ["encrypted.evalcase", "plain.evalcase"],
        "no partial files are left"
    );
    for (path, snapshot) in [(&plain, &plain_snapshot), (&encrypted, &encrypted_snapshot)] {
        assert!(store::needs_passphrase(path), "{}", path.display());
        assert!(!contains(&std::fs::read(path).unwrap(), NOTES_NEEDLE));
        common::assert_refused_untouched(path, None, is_encrypted_error);
        common::assert_refused_untouched(path, Some(&key()), is_wrong_passphrase);
        assert_eq!(&snapshot_with(path, Some(&other_key())), snapshot);
        let store = CaseStore::open_read_only_keyed(path, Some(&other_key())).unwrap();
        assert!(store.check().unwrap().is_healthy());
        assert!(matches!(
            store.verify_journal().unwrap(),
            ChainCheck::Intact { .. }
        ));
    }
}

/// Copies that cannot be converted are reported and left as they were.
#[test]
fn convert_copies_reports_what_it_cannot_open_and_leaves_it() {
    let dir = common::temp_dir();
    let encrypted = common::case_path(&dir, "encrypted.evalcase");
    encrypted_case(&encrypted, &key());
    let before = std::fs::read(&encrypted).unwrap();

    // Without the old passphrase an encrypted copy cannot be rekeyed.
    let failed = store::convert_copies(std::slice::from_ref(&encrypted), None, &other_key());
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, encrypted);
    assert!(
        matches!(failed[0].1, StoreError::Encrypted { .. }),
        "{:?}",
        failed[0].1
    );

    // With a wrong old passphrase neither.
    let failed = store::convert_copies(
        std::slice::from_ref(&encrypted),
        Some(&Passphrase::new_chosen("ingen av dem").unwrap()),
        &other_key(),
    );
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, encrypted);
    assert_eq!(std::fs::read(&encrypted).unwrap(), before);
    assert_eq!(common::files_in(dir.path()), ["encrypted.evalcase"]);
    assert_eq!(
        snapshot_with(&encrypted, Some(&key())).interviews[0].notes,
        NOTES
    );
}

/// A copy that is gone by the time it is converted (a backup rotated away meanwhile) is
/// reported as missing, and no file is made in its place.
#[test]
fn convert_copies_does_not_create_a_missing_copy() {
    let dir = common::temp_dir();
    let missing = common::case_path(&dir, "missing.evalcase");
    for old in [Some(key()), None] {
        let failed =
            store::convert_copies(std::slice::from_ref(&missing), old.as_ref(), &other_key());
        assert_eq!(
            common::files_in(dir.path()),
            Vec::<String>::new(),
            "old key {:?}: a file was made for a missing copy",
            old.is_some()
        );
        assert_eq!(failed.len(), 1, "old key {:?}: not reported", old.is_some());
        assert!(
            matches!(
                failed[0].1,
                StoreError::Missing { .. } | StoreError::Io { .. }
            ),
            "old key {:?}: {:?}",
            old.is_some(),
            failed[0].1
        );
    }
}

/// Test 7: the provider package of an encrypted case is plain (the provider never gets the
/// evaluator's passphrase) and holds no notes.
#[test]
fn provider_package_from_an_encrypted_case_is_plain_and_readable() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "enc.evalcase");
    encrypted_case(&path, &key());
    let before = std::fs::read(&path).unwrap();
    let store = CaseStore::open_read_only_keyed(&path, Some(&key())).unwrap();
    let case = store.snapshot().unwrap();
    let package = common::case_path(&dir, "plan.evalplan");
    store.write_provider_package(&package).unwrap();
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        common::files_in(dir.path()),
        ["enc.evalcase", "plan.evalplan"]
    );

    let bytes = std::fs::read(&package).unwrap();
    assert_eq!(&bytes[..16], SQLITE_HEADER, "the package is plain SQLite");
    assert!(!store::needs_passphrase(&package));
    assert!(
        !contains(&bytes, NOTES_NEEDLE),
        "interview notes must not reach the package"
    );
    let raw = plan_exchange::package::read(&package, Lang::Nb).unwrap();
    assert_eq!(raw.case_id.as_deref(), Some(case.case_id.as_str()));
    assert_eq!(raw.rows.len(), 1);
    assert_eq!(
        raw.rows[0].description,
        plan_exchange::Cell::Text("Innføre fristvarsel".into())
    );
    assert_eq!(
        raw.exported_actions,
        Some(case.actions.iter().map(|a| a.id).collect())
    );
    let seen = CaseStore::open(&package).unwrap().snapshot().unwrap();
    assert!(seen.interviews.is_empty());
    assert_eq!(seen.findings.len(), 1);
}

fn sqlcipher3_available() -> bool {
    Process::new("python3")
        .args(["-c", "import sqlcipher3"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// False (after a message) when `sqlcipher3` is missing and this run does not require it.
fn require_sqlcipher3() -> bool {
    if sqlcipher3_available() {
        return true;
    }
    assert!(
        std::env::var_os("EVALBENCH_REQUIRE_SQLCIPHER").is_none(),
        "Python's sqlcipher3 is required here (EVALBENCH_REQUIRE_SQLCIPHER is set) but missing"
    );
    eprintln!("skipped: Python's sqlcipher3 is not installed");
    false
}

fn python(script: &str, args: &[&str]) -> std::process::Output {
    Process::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap()
}

/// Test 8: another SQLCipher build (Python's `sqlcipher3`) opens the case with `PRAGMA key`
/// alone; Python's plain `sqlite3` cannot read it.
#[test]
fn another_sqlcipher_build_opens_the_case_with_its_passphrase() {
    if !require_sqlcipher3() {
        return;
    }
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "enc.evalcase");
    encrypted_case(&path, &key());
    let before = std::fs::read(&path).unwrap();
    let file = path.to_str().unwrap();

    let read_tables = r#"
import sys, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1])
conn.execute("PRAGMA key = '" + sys.argv[2].replace("'", "''") + "'")
for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"):
    print(name)
print("notes:", conn.execute("SELECT notes FROM interview").fetchone()[0])
"#;
    let out = python(read_tables, &[file, PASSPHRASE]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    for table in ["interview", "finding", "action", "journal"] {
        assert!(lines.contains(&table), "{table} missing: {stdout}");
    }
    assert!(
        lines.contains(&format!("notes: {NOTES}").as_str()),
        "{stdout}"
    );

    // The wrong passphrase reads nothing there either.
    let out = python(read_tables, &[file, OTHER_PASSPHRASE]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("file is not a database"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Plain SQLite: not a database.
    let plain = r#"
import sys, sqlite3
try:
    sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sqlite_schema").fetchone()
    print("read")
except sqlite3.DatabaseError as error:
    print("error:", error)
"#;
    let out = python(plain, &[file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), "error: file is not a database");

    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(common::files_in(dir.path()), ["enc.evalcase"]);
}

/// And the other way: a case encrypted by another SQLCipher build with `PRAGMA key` alone (here:
/// a plain copy written by Evalbench, encrypted with `sqlcipher_export` in Python) opens in
/// Evalbench with the passphrase.
#[test]
fn a_case_encrypted_by_another_sqlcipher_build_opens() {
    if !require_sqlcipher3() {
        return;
    }
    let dir = common::temp_dir();
    let plain = common::case_path(&dir, "plain.evalcase");
    plain_case(&plain);
    let snapshot = snapshot_with(&plain, None);
    let encrypted = common::case_path(&dir, "theirs.evalcase");
    let script = r#"
import sys, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1])
conn.execute("ATTACH DATABASE ? AS target KEY ?", (sys.argv[2], sys.argv[3]))
conn.execute("SELECT sqlcipher_export('target')")
version = conn.execute("PRAGMA main.user_version").fetchone()[0]
app = conn.execute("PRAGMA main.application_id").fetchone()[0]
conn.execute("PRAGMA target.user_version = %d" % version)
conn.execute("PRAGMA target.application_id = %d" % app)
conn.execute("DETACH DATABASE target")
conn.close()
"#;
    let out = python(
        script,
        &[
            plain.to_str().unwrap(),
            encrypted.to_str().unwrap(),
            PASSPHRASE,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(store::needs_passphrase(&encrypted));
    common::assert_refused_untouched(&encrypted, None, is_encrypted_error);
    let store = CaseStore::open_keyed(&encrypted, Some(&key())).unwrap();
    assert!(store.is_encrypted());
    assert_eq!(store.snapshot().unwrap(), snapshot);
    assert!(store.check().unwrap().is_healthy());
}

/// Reads what a file held open by the test contains now, from its start.
#[cfg(unix)]
fn contents_of(file: &mut std::fs::File) -> Vec<u8> {
    use std::io::{Read, Seek};
    file.seek(std::io::SeekFrom::Start(0)).unwrap();
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).unwrap();
    bytes
}

/// The file a new one replaced (plain notes, or ciphertext under the old passphrase) is
/// overwritten with zeros once nothing names it; a file that still has another name is a copy
/// and is left alone.
#[cfg(unix)]
#[test]
fn the_replaced_file_is_overwritten_unless_another_name_keeps_it() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "wipe.evalcase");
    plain_case(&path);
    let plain_len = std::fs::metadata(&path).unwrap().len();
    // Held open by the test: the only way left to see the replaced bytes.
    let mut plain_bytes = std::fs::File::open(&path).unwrap();
    assert!(contains(&contents_of(&mut plain_bytes), NOTES_NEEDLE));

    let mut store = CaseStore::open(&path).unwrap();
    store.set_passphrase(&key()).unwrap();
    let wiped = contents_of(&mut plain_bytes);
    assert_eq!(wiped.len() as u64, plain_len, "the length is kept");
    assert!(
        wiped.iter().all(|&b| b == 0),
        "the replaced plain file still holds data"
    );

    let mut old_cipher = std::fs::File::open(&path).unwrap();
    let cipher_len = old_cipher.metadata().unwrap().len();
    store.set_passphrase(&other_key()).unwrap();
    let wiped = contents_of(&mut old_cipher);
    assert_eq!(wiped.len() as u64, cipher_len);
    assert!(wiped.iter().all(|&b| b == 0), "the old ciphertext remains");
    let snapshot = store.snapshot().unwrap();
    store.close().unwrap();
    assert_eq!(snapshot_with(&path, Some(&other_key())), snapshot);

    // A backup copy with a second name (a hard link): converted, while the other name keeps
    // the plain bytes it had.
    let copy = common::case_path(&dir, "copy.evalcase");
    let link = common::case_path(&dir, "link.evalcase");
    plain_case(&copy);
    std::fs::hard_link(&copy, &link).unwrap();
    let failed = store::convert_copies(std::slice::from_ref(&copy), None, &key());
    assert!(failed.is_empty(), "{failed:?}");
    assert!(store::needs_passphrase(&copy));
    let linked = std::fs::read(&link).unwrap();
    assert_eq!(&linked[..16], SQLITE_HEADER);
    assert!(contains(&linked, NOTES_NEEDLE));
}
