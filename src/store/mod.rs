//! The only place with SQL. Owns a case file: opening (with refusal of anything that is not a
//! case, and migration of older ones), applying commands one transaction each, and queries.
//!
//! Journal mode is DELETE (a rollback journal), not WAL, with `synchronous=FULL`: every commit is
//! on disk before `apply` returns, and between transactions the case is one self-contained file
//! that can be copied or mailed even while the app has it open. Edits are single small
//! transactions, so WAL's write speed buys little here.

mod apply;
mod blind_copy;
mod catalog_copy;
mod cipher;
mod fidelity;
mod history;
mod identity;
mod journal;
mod lock;
mod merge;
mod notice;
mod package;
mod purge;
mod read;
mod report_versions;
mod row_statement;
mod schema;
mod search;
mod sql_types;
mod summary;

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use sha2::{Digest, Sha256};

use crate::command::Command;
use crate::domain::{AttachmentRef, Rejection};
use history::History;

pub use cipher::{Passphrase, convert_copies, needs_passphrase};
pub use history::{Direction, Step};
pub use journal::{ChainCheck, JournalEntry};
pub use merge::{MergePlan, MergePlanner, MergeRefusal};
pub use purge::Deletion;
pub use read::{
    CheckReport, Counts, Parts, read_case, read_case_keyed, read_case_with_status,
    read_case_with_status_keyed, survey_case,
};
pub use schema::{APPLICATION_ID, LATEST_VERSION, SchemaChange, SchemaDifference};
pub use search::{Field, HIT_END, HIT_START, SearchHit};

/// Why a case file could not be opened, or a command not applied.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("«{path}» does not exist.")]
    Missing { path: PathBuf },
    #[error("«{path}» is not an Evalbench case file: {reason}.")]
    NotACase { path: PathBuf, reason: String },
    #[error("«{path}» is damaged and cannot be read: {detail}.")]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "«{path}» was written by a newer Evalbench (schema version {found}; this version reads up to {supported}). Update Evalbench to open it; the file was not changed."
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error("«{path}» is encrypted: it opens only with its passphrase.")]
    Encrypted { path: PathBuf },
    #[error(
        "The passphrase does not open «{path}» (or the file is not an encrypted case). Check the passphrase and try again; the file was not changed."
    )]
    WrongPassphrase { path: PathBuf },
    #[error("«{path}» already exists; choose another name.")]
    AlreadyExists { path: PathBuf },
    #[error(
        "«{path}» is open in another Evalbench window or program. Close it there first; the file was not changed."
    )]
    InUse { path: PathBuf },
    #[error("Refused: {0}.")]
    Rejected(Rejection),
    #[error("«{}» cannot be merged into «{}»: {why}. Neither file was changed.", theirs.display(), mine.display())]
    MergeRefused {
        mine: PathBuf,
        theirs: PathBuf,
        why: MergeRefusal,
    },
    #[error("«{path}» is a case, not a provider package; open it as a case.")]
    NotAPackage { path: PathBuf },
    /// The file's schema is not the one Evalbench writes: it may carry triggers or views of
    /// someone else's that would run on our reads and writes.
    #[error(
        "«{path}» has a database structure Evalbench did not write ({}); it was not opened, and the file was not changed.",
        list_differences(differences)
    )]
    ForeignSchema {
        path: PathBuf,
        differences: Vec<SchemaDifference>,
    },
    #[error(
        "Could not upgrade «{path}» to the current schema: {detail}. A backup was written to «{backup}»."
    )]
    Migration {
        path: PathBuf,
        backup: PathBuf,
        detail: String,
    },
    #[error(
        "«{path}» could not be written: {why}. The change was not saved; the case holds every change before it."
    )]
    NotWritten { path: PathBuf, why: NotWritten },
    /// The OS refused a file operation. `error` is kept for the log, not the sentence: the user
    /// reads what is wrong in plain words (`FileProblem`), once.
    #[error("«{path}» could not be used: {}.", FileProblem::of_io(error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("«{path}» could not be used: {}.", FileProblem::of_sqlite(error))]
    Sqlite {
        path: PathBuf,
        error: rusqlite::Error,
    },
}

/// The first few differences, and how many more.
fn list_differences(differences: &[SchemaDifference]) -> String {
    use std::fmt::Write as _;
    const SHOWN: usize = 3;
    let mut text = differences
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if differences.len() > SHOWN {
        let _ = write!(text, " and {} more", differences.len() - SHOWN);
    }
    text
}

impl StoreError {
    /// What is wrong with the file in words a user can act on, where the OS or SQLite said it.
    pub fn file_problem(&self) -> Option<FileProblem> {
        match self {
            StoreError::Io { error, .. } => Some(FileProblem::of_io(error)),
            StoreError::Sqlite { error, .. } => Some(FileProblem::of_sqlite(error)),
            _ => None,
        }
    }
}

/// A file operation's failure, as a user can understand and act on it. The raw OS or SQLite
/// text goes to the log only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    NotFound,
    PermissionDenied,
    IsAFolder,
    DiskFull,
    ReadOnly,
    Busy,
    /// The file is not a database, or its structure is damaged or was changed elsewhere.
    Damaged,
    Other,
}

impl FileProblem {
    pub fn of_io(error: &std::io::Error) -> FileProblem {
        use std::io::ErrorKind;
        match error.kind() {
            ErrorKind::NotFound => FileProblem::NotFound,
            ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            ErrorKind::IsADirectory => FileProblem::IsAFolder,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => FileProblem::DiskFull,
            ErrorKind::ReadOnlyFilesystem => FileProblem::ReadOnly,
            ErrorKind::ResourceBusy | ErrorKind::WouldBlock => FileProblem::Busy,
            ErrorKind::InvalidData | ErrorKind::UnexpectedEof => FileProblem::Damaged,
            _ => FileProblem::Other,
        }
    }

    pub fn of_sqlite(error: &rusqlite::Error) -> FileProblem {
        use rusqlite::ErrorCode;
        match error {
            rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
                ErrorCode::CannotOpen => FileProblem::NotFound,
                ErrorCode::PermissionDenied | ErrorCode::AuthorizationForStatementDenied => {
                    FileProblem::PermissionDenied
                }
                ErrorCode::DiskFull => FileProblem::DiskFull,
                ErrorCode::ReadOnly => FileProblem::ReadOnly,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => FileProblem::Busy,
                ErrorCode::SystemIoFailure => FileProblem::Other,
                _ => FileProblem::Damaged,
            },
            _ => FileProblem::Damaged,
        }
    }

    /// The key of its words in the translation tables (`file_problem.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            FileProblem::NotFound => "not_found",
            FileProblem::PermissionDenied => "permission_denied",
            FileProblem::IsAFolder => "is_a_folder",
            FileProblem::DiskFull => "disk_full",
            FileProblem::ReadOnly => "read_only",
            FileProblem::Busy => "busy",
            FileProblem::Damaged => "damaged",
            FileProblem::Other => "other",
        }
    }

    pub const ALL: [FileProblem; 8] = [
        FileProblem::NotFound,
        FileProblem::PermissionDenied,
        FileProblem::IsAFolder,
        FileProblem::DiskFull,
        FileProblem::ReadOnly,
        FileProblem::Busy,
        FileProblem::Damaged,
        FileProblem::Other,
    ];
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::i18n::t(
            crate::i18n::Lang::En,
            &format!("file_problem.{}", self.code()),
        ))
    }
}

/// `command` with every text cleaned of control characters (`None`: nothing to clean), or the
/// refusal of a text over its field's limit. Whichever way a command arrives — the app, `apply`,
/// a plan workbook, a catalog — this is the door it passes.
fn clean_texts(command: &Command) -> Result<Option<Command>, StoreError> {
    // A merge carries rows another copy's door already cleaned, and journal rows that must stay
    // byte for byte as they were hashed.
    if matches!(command, Command::MergeCopy { .. }) {
        return Ok(None);
    }
    let mut value = serde_json::to_value(command).map_err(|e| StoreError::Damaged {
        path: PathBuf::from("command"),
        detail: e.to_string(),
    })?;
    let changed = crate::domain::text::clean_json(&mut value, "").map_err(|too_long| {
        StoreError::Rejected(Rejection::TooLong {
            field: too_long.path,
            length_chars: too_long.length_chars,
            max_chars: too_long.max_chars,
        })
    })?;
    if !changed {
        return Ok(None);
    }
    serde_json::from_value(value)
        .map(Some)
        .map_err(|e| StoreError::Damaged {
            path: PathBuf::from("command"),
            detail: e.to_string(),
        })
}

/// Why a write did not reach the case file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotWritten {
    #[error("the disk is full")]
    DiskFull,
    #[error("the disk refused the write (it may be full, or the file may not grow)")]
    WriteRefused,
    #[error("the location is read-only")]
    ReadOnly,
    #[error("it is open for reading only")]
    OpenForReading,
}

/// SQLite's settings that make an untrusted file safe to read and write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defences {
    pub trusted_schema: bool,
    pub defensive: bool,
    pub cell_size_check: bool,
    pub mmap_size: i64,
}

/// What a committed command touched, and its place in the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub seq: i64,
    /// The entity the command created or changed, e.g. `interview/3` or `case`.
    pub target: String,
    /// The row id of the entity an `Add…` command created.
    pub created_id: Option<i64>,
    /// The parts of the snapshot the command changed (see `CaseStore::refresh`).
    pub parts: Parts,
    /// When the command changed nothing but these findings' own fields (their links, the
    /// other findings and the rest of the case as they were): `CaseStore::refresh_findings`
    /// reads only them again. Typing in a finding's text is such an edit.
    pub findings_edited: Option<Vec<crate::domain::FindingId>>,
    /// Likewise for interviews (typing in an interview's notes): `CaseStore::refresh_interviews`.
    pub interviews_edited: Option<Vec<crate::domain::InterviewId>>,
    /// Likewise for actions (typing in an action's text): `CaseStore::refresh_actions`.
    pub actions_edited: Option<Vec<crate::domain::ActionId>>,
    /// Likewise for document reviews (typing in an assessment): `CaseStore::refresh_document_reviews`.
    pub documents_edited: Option<Vec<crate::domain::DocumentReviewId>>,
}

/// The rows of `table` a command changed, when updating them was all it did.
fn updated_of<T>(recorded: &history::Recorded, table: &str, id: fn(i64) -> T) -> Option<Vec<T>> {
    match &recorded.updated_rows {
        Some((updated, ids)) if updated == table => Some(ids.iter().copied().map(id).collect()),
        _ => None,
    }
}

/// An open case file.
pub struct CaseStore {
    conn: Connection,
    path: PathBuf,
    /// Written to the journal with every command.
    author: String,
    history: History,
    /// `None` for a read-only store, or where the folder cannot hold a lock file.
    lock: Option<lock::CaseLock>,
    /// The passphrase of an encrypted case; `None` for a plain one.
    key: Option<Passphrase>,
    /// The day status changes are recorded on; `None` is the computer's date.
    record_day: RecordDay,
    /// False for a reader (`open_read_only`): its commands are refused before they start, also
    /// where it reads an in-memory copy of an older file that would take them and lose them.
    writable: bool,
}

/// Shared with the `evalbench_record_day()` SQL function the schema's triggers call.
type RecordDay = std::sync::Arc<std::sync::Mutex<Option<jiff::civil::Date>>>;

/// Gives `conn` the SQL function `evalbench_record_day()`: the day in `day`, or today's date
/// where none is set (the computer's time zone, as SQLite's `date('now', 'localtime')`).
fn register_record_day(conn: &Connection, day: &RecordDay) -> rusqlite::Result<()> {
    let day = std::sync::Arc::clone(day);
    conn.create_scalar_function(
        "evalbench_record_day",
        0,
        // Innocuous (no side effects, nothing secret): the schema's triggers may call it while
        // `trusted_schema` is off.
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_INNOCUOUS,
        move |_| {
            let set = day.lock().ok().and_then(|day| *day);
            Ok(set.unwrap_or_else(|| jiff::Zoned::now().date()).to_string())
        },
    )
}

/// The namespace of the UUID v5 identities derived for rows made before schema 10.
const STABLE_UUID_NAMESPACE: uuid::Uuid = uuid::uuid!("7c1f3a52-4e0b-4d7e-9a44-2f5d1b8e6c90");

/// The identity a row of `table` with integer id `id` in case `case_id` got when its file was
/// upgraded to schema 10: the same in every copy upgraded apart.
pub(crate) fn stable_uuid(case_id: &str, table: &str, id: i64) -> String {
    uuid::Uuid::new_v5(
        &STABLE_UUID_NAMESPACE,
        format!("{case_id}/{table}/{id}").as_bytes(),
    )
    .to_string()
}

/// A new row's identity: time-ordered (UUID v7), so sorting by it keeps the order rows were made.
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Gives `conn` `evalbench_stable_uuid(case_id, table, id)`, which the schema 10 migration calls.
pub(super) fn register_stable_uuid(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "evalbench_stable_uuid",
        3,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC
            | rusqlite::functions::FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let case_id: String = ctx.get(0)?;
            let table: String = ctx.get(1)?;
            let id: i64 = ctx.get(2)?;
            Ok(stable_uuid(&case_id, &table, id))
        },
    )
}

/// Registers the program's SQL functions on a case connection.
pub(super) fn register_functions(conn: &Connection, day: &RecordDay) -> rusqlite::Result<()> {
    register_record_day(conn, day)?;
    register_stable_uuid(conn)
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl CaseStore {
    /// Opens an existing case for writing, upgrading an older schema after writing a backup.
    /// Anything that is not a case, or is from a newer version, is refused and left untouched.
    pub fn open(path: &Path) -> Result<CaseStore, StoreError> {
        CaseStore::open_keyed(path, None)
    }

    /// Like `open`; `key` opens an encrypted case (and is not used for a plain one).
    pub fn open_keyed(path: &Path, key: Option<&Passphrase>) -> Result<CaseStore, StoreError> {
        let Examined { version, key, .. } = examine(path, key)?;
        let key = key.as_ref();
        let lock = lock::CaseLock::acquire(path)?;
        if version < LATEST_VERSION {
            let backup = backup_path(path, version);
            // An encrypted case's backup is encrypted with the same key.
            let read_only = open_read_only(path, key)?;
            read_only
                .execute("VACUUM INTO ?1", [backup.to_string_lossy()])
                .map_err(|source| sql_err(path, source))?;
            drop(read_only);
            let mut store = CaseStore::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE, key)?;
            store.lock = lock;
            schema::MIGRATIONS
                .to_latest(&mut store.conn)
                .map_err(|e| StoreError::Migration {
                    path: path.to_owned(),
                    backup,
                    detail: e.to_string(),
                })?;
            store.load_history()?;
            return Ok(store);
        }
        let mut store = CaseStore::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE, key)?;
        store.lock = lock;
        store.load_history()?;
        Ok(store)
    }

    /// Opens a case only to read it: no lock, no migration, nothing written; also while another
    /// window has it open. Commands are refused by SQLite.
    pub fn open_read_only(path: &Path) -> Result<CaseStore, StoreError> {
        CaseStore::open_read_only_keyed(path, None)
    }

    /// Like `open_read_only`; `key` opens an encrypted case.
    pub fn open_read_only_keyed(
        path: &Path,
        key: Option<&Passphrase>,
    ) -> Result<CaseStore, StoreError> {
        CaseStore::open_reader(path, key, Pages::Checked)
    }

    /// Like `open_read_only_keyed`, for reading many cases at once (the network view): the
    /// pages are not walked through first. Nothing is written, and a page SQLite cannot read
    /// fails the read of that case, which is then listed as not read; the walk cost a third of
    /// the time of reading a small case.
    pub fn open_to_survey(path: &Path, key: Option<&Passphrase>) -> Result<CaseStore, StoreError> {
        CaseStore::open_reader(path, key, Pages::Unchecked)
    }

    fn open_reader(
        path: &Path,
        key: Option<&Passphrase>,
        pages: Pages,
    ) -> Result<CaseStore, StoreError> {
        let Examined { version, key, conn } = examine_pages(path, key, pages)?;
        let conn = if version >= schema::LATEST_VERSION {
            conn
        } else {
            drop(conn);
            memory_copy(path, key.as_ref())?
        };
        // Registered here too, so a command tried on a reader is refused as a write, not for a
        // missing function.
        let record_day = RecordDay::default();
        register_functions(&conn, &record_day).map_err(|source| sql_err(path, source))?;
        Ok(CaseStore {
            conn,
            path: path.to_owned(),
            author: default_author(),
            history: History::default(),
            lock: None,
            key,
            record_day,
            writable: false,
        })
    }

    fn load_history(&mut self) -> Result<(), StoreError> {
        history::install_triggers(&self.conn).map_err(|source| sql_err(&self.path, source))?;
        journal::backfill(&mut self.conn).map_err(|source| sql_err(&self.path, source))?;
        self.history = History::load(&self.conn).map_err(|source| sql_err(&self.path, source))?;
        Ok(())
    }

    /// Creates a new case at `path`: the schema, then `build` applies the first commands.
    /// The case is built beside the target and renamed into place, so a failure or a crash
    /// never leaves a half-made case under the chosen name.
    pub fn create(
        path: &Path,
        build: impl FnOnce(&mut CaseStore) -> Result<(), StoreError>,
    ) -> Result<CaseStore, StoreError> {
        CaseStore::create_keyed(path, None, build)
    }

    /// Like `create`; with a `key` the new case is encrypted from its first byte.
    pub fn create_keyed(
        path: &Path,
        key: Option<&Passphrase>,
        build: impl FnOnce(&mut CaseStore) -> Result<(), StoreError>,
    ) -> Result<CaseStore, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        let partial = partial_path(path);
        let _ = std::fs::remove_file(&partial);
        let result = (|| {
            let mut store = CaseStore::connect(
                &partial,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
                key,
            )?;
            // Nothing under the chosen name depends on these commits until the rename below,
            // so the build skips the per-commit flush; the whole file is flushed once at the end.
            store
                .conn
                .pragma_update(None, "synchronous", "OFF")
                .map_err(|source| sql_err(&partial, source))?;
            store.initialise()?;
            build(&mut store)?;
            store.close()?;
            std::fs::File::open(&partial)
                .and_then(|file| file.sync_all())
                .map_err(|source| StoreError::Io {
                    path: partial.clone(),
                    error: source,
                })?;
            Ok::<_, StoreError>(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        if path.exists() {
            let _ = std::fs::remove_file(&partial);
            return Err(StoreError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        std::fs::rename(&partial, path).map_err(|source| StoreError::Io {
            path: path.to_owned(),
            error: source,
        })?;
        CaseStore::open_keyed(path, key)
    }

    fn connect(
        path: &Path,
        flags: OpenFlags,
        key: Option<&Passphrase>,
    ) -> Result<CaseStore, StoreError> {
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| sql_err(path, source))?;
        if let Some(key) = key {
            cipher::unlock(&conn, key).map_err(|source| sql_err(path, source))?;
        }
        schema::harden(&conn).map_err(|source| sql_err(path, source))?;
        // See the module comment for why DELETE + FULL. foreign_keys makes the schema's
        // references real; busy_timeout lets a second reader wait instead of failing at once.
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )
        .map_err(|source| sql_err(path, source))?;
        let record_day = RecordDay::default();
        register_functions(&conn, &record_day).map_err(|source| sql_err(path, source))?;
        Ok(CaseStore {
            conn,
            path: path.to_owned(),
            author: default_author(),
            history: History::default(),
            lock: None,
            key: key.cloned(),
            record_day,
            writable: flags.contains(OpenFlags::SQLITE_OPEN_READ_WRITE),
        })
    }

    fn initialise(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        self.conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|source| sql_err(&path, source))?;
        schema::MIGRATIONS
            .to_latest(&mut self.conn)
            .map_err(|e| StoreError::Damaged {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        self.conn
            .execute(
                "INSERT INTO case_info (singleton, case_id, created_at) VALUES (1, ?1, ?2)",
                (
                    uuid::Uuid::new_v4().to_string(),
                    jiff::Timestamp::now().to_string(),
                ),
            )
            .map_err(|source| sql_err(&path, source))?;
        self.conn
            .execute("INSERT INTO feedback_meeting (singleton) VALUES (1)", [])
            .map_err(|source| sql_err(&path, source))?;
        self.load_history()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name written to the journal with each command.
    pub fn set_author(&mut self, author: impl Into<String>) {
        self.author = author.into();
    }

    pub fn author(&self) -> &str {
        &self.author
    }

    /// Records status changes as made on `day` instead of today, until set back to `None`: for
    /// building a case with a story of its own (the demo's months of follow-up). The journal
    /// keeps the real time of each command.
    pub fn set_record_day(&mut self, day: Option<jiff::civil::Date>) {
        if let Ok(mut record_day) = self.record_day.lock() {
            *record_day = day;
        }
    }

    /// The one door: applies `command` in its own IMMEDIATE transaction, journals it with the
    /// changeset it made (for undo), and commits. When this returns `Ok`, the change is on disk.
    /// On `Err` nothing changed.
    pub fn apply(&mut self, command: &Command) -> Result<Applied, StoreError> {
        self.refuse_if_reader()?;
        let cleaned = clean_texts(command)?;
        let command = cleaned.as_ref().unwrap_or(command);
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| sql_err(&path, source))?;
        let ((target, journal_target), recorded) = history::record(&tx, |tx| {
            let target = apply::apply(tx, command)?;
            let journal_target = identity::journal_target(tx, &target)?;
            Ok::<_, apply::ApplyError>((target, journal_target))
        })
        .map_err(|e| e.into_store_error(&path))?;
        let recorded_json = match command {
            Command::MergeCopy { merge } => merge::recorded_json(merge),
            _ => serde_json::to_string(command),
        };
        let command_json = recorded_json.map_err(|e| StoreError::Damaged {
            path: path.clone(),
            detail: format!("the command cannot be recorded: {e}"),
        })?;
        let seq = journal::append(
            &tx,
            &journal::NewEntry {
                author: &self.author,
                target: &journal_target,
                command: &command_json,
                kind: "edit",
                reverts: None,
                inverse: &recorded.inverse,
                summary: &recorded.summary,
            },
        )
        .map_err(|source| sql_err(&path, source))?;
        tx.commit().map_err(|source| sql_err(&path, source))?;
        self.history.edited(
            Step {
                seq,
                op: command.op().to_owned(),
                target: journal_target,
            },
            true,
        );
        let created_id = command
            .creates_entity()
            .then(|| target.rsplit('/').next().and_then(|id| id.parse().ok()))
            .flatten();
        Ok(Applied {
            seq,
            target,
            created_id,
            parts: Parts::of_tables(recorded.tables.iter().map(String::as_str)),
            findings_edited: updated_of(&recorded, "finding", crate::domain::FindingId),
            interviews_edited: updated_of(&recorded, "interview", crate::domain::InterviewId),
            actions_edited: updated_of(&recorded, "action", crate::domain::ActionId),
            documents_edited: updated_of(
                &recorded,
                "document_review",
                crate::domain::DocumentReviewId,
            ),
        })
    }

    /// Every journal row, oldest first: the audit trail.
    pub fn journal(&self) -> Result<Vec<JournalEntry>, StoreError> {
        journal::entries(&self.conn).map_err(|source| sql_err(&self.path, source))
    }

    /// The journal rows of other copies that merges brought in, in the order they were made.
    pub fn merged_journal(&self) -> Result<Vec<JournalEntry>, StoreError> {
        journal::merged_entries(&self.conn).map_err(|source| sql_err(&self.path, source))
    }

    /// Every status each action has reached and the day, in the order recorded: follow-up.
    pub fn status_changes(&self) -> Result<Vec<crate::domain::StatusChange>, StoreError> {
        read::status_changes(&self.conn).map_err(|source| sql_err(&self.path, source))
    }

    /// The journal rows about one entity, e.g. `interview/3`: its history, oldest first,
    /// with the rows of other copies merged in (those have `previous` set).
    pub fn journal_for(&self, target: &str) -> Result<Vec<JournalEntry>, StoreError> {
        let identity = identity::journal_target(&self.conn, target)
            .map_err(|source| sql_err(&self.path, source))?;
        journal::entries_for(&self.conn, target, &identity)
            .map_err(|source| sql_err(&self.path, source))
    }

    /// Turns the UUIDs naming entities in a command's JSON into this copy's row ids (see
    /// `identity::localize`); `Ok(true)` when it changed something.
    pub fn localize_command(&self, command: &mut serde_json::Value) -> Result<bool, String> {
        identity::localize(&self.conn, command)
    }

    /// Checks the journal's hash chain.
    pub fn verify_journal(&self) -> Result<ChainCheck, StoreError> {
        journal::verify(&self.conn).map_err(|source| sql_err(&self.path, source))
    }

    /// The edit that `undo` (or `redo`) would take back (or again), if any.
    pub fn next_step(&self, direction: Direction) -> Option<&Step> {
        self.history.next(direction)
    }

    /// Takes back the latest edit not yet undone; durable like `apply`. `Ok(None)`: nothing to undo.
    pub fn undo(&mut self) -> Result<Option<Step>, StoreError> {
        self.step(Direction::Undo)
    }

    /// Makes the latest undone edit again. `Ok(None)`: nothing to redo.
    pub fn redo(&mut self) -> Result<Option<Step>, StoreError> {
        self.step(Direction::Redo)
    }

    fn refuse_if_reader(&self) -> Result<(), StoreError> {
        if self.writable {
            return Ok(());
        }
        Err(StoreError::NotWritten {
            path: self.path.clone(),
            why: NotWritten::OpenForReading,
        })
    }

    fn step(&mut self, direction: Direction) -> Result<Option<Step>, StoreError> {
        self.refuse_if_reader()?;
        let taken = self
            .history
            .take(&mut self.conn, direction, &self.author)
            .map_err(|e| match e {
                history::RevertError::Sqlite(source) => sql_err(&self.path, source),
                history::RevertError::NotUndoable => StoreError::Rejected(Rejection::NotUndoable),
                history::RevertError::Conflict => StoreError::Rejected(Rejection::UndoConflict),
            })?;
        Ok(taken)
    }

    /// Stores a file's content inside the case (idempotent: addressed by its SHA-256).
    pub fn put_attachment(
        &mut self,
        file_name: &str,
        content: &[u8],
    ) -> Result<AttachmentRef, StoreError> {
        let sha256 = format!("{:x}", Sha256::digest(content));
        self.conn
            .execute(
                "INSERT OR IGNORE INTO attachment (sha256, size_bytes, content) VALUES (?1, ?2, ?3)",
                (&sha256, content.len() as i64, content),
            )
            .map_err(|source| sql_err(&self.path, source))?;
        Ok(AttachmentRef {
            sha256,
            file_name: file_name.to_owned(),
            size_bytes: content.len() as u64,
        })
    }

    /// Writes a consistent copy of the case to `target` (which must not exist).
    pub fn save_copy(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::AlreadyExists {
                path: target.to_owned(),
            });
        }
        self.conn
            .execute("VACUUM INTO ?1", [target.to_string_lossy()])
            .map_err(|source| sql_err(target, source))?;
        Ok(())
    }

    /// The defences for untrusted databases this connection runs with (see `schema::harden`).
    pub fn defences(&self) -> Result<Defences, StoreError> {
        use rusqlite::config::DbConfig;
        let read = || -> rusqlite::Result<Defences> {
            Ok(Defences {
                trusted_schema: self
                    .conn
                    .pragma_query_value(None, "trusted_schema", |row| row.get(0))?,
                defensive: self.conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE)?,
                cell_size_check: self
                    .conn
                    .pragma_query_value(None, "cell_size_check", |row| row.get(0))?,
                mmap_size: self
                    .conn
                    .pragma_query_value(None, "mmap_size", |row| row.get(0))?,
            })
        };
        read().map_err(|source| sql_err(&self.path, source))
    }

    /// Closes the file; any error is reported instead of being lost in a drop.
    pub fn close(self) -> Result<(), StoreError> {
        let path = self.path;
        self.conn
            .close()
            .map_err(|(_, source)| sql_err(&path, source))
    }
}

/// Reads the schema version of a case file without changing it, refusing what is not a case.
/// An encrypted case is refused with `StoreError::Encrypted`; see `inspect_keyed`.
pub fn inspect(path: &Path) -> Result<usize, StoreError> {
    inspect_keyed(path, None)
}

/// Like `inspect`; `key` opens an encrypted case.
pub fn inspect_keyed(path: &Path, key: Option<&Passphrase>) -> Result<usize, StoreError> {
    examine(path, key).map(|examined| examined.version)
}

/// A case file found fit to open.
struct Examined {
    version: usize,
    /// The key the file needs: `None` for a plain file, whatever key was offered.
    key: Option<Passphrase>,
    /// The read-only connection the file was examined through; a reader of a current file
    /// goes on with it rather than opening (and parsing the schema) again.
    conn: Connection,
}

/// Is `path` a healthy case this build can open? Checked before any write. When it needs
/// recovery after a crash, that is done first.
fn examine(path: &Path, key: Option<&Passphrase>) -> Result<Examined, StoreError> {
    examine_pages(path, key, Pages::Checked)
}

/// Whether `examine` walks every page of the file (see `quick_check`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pages {
    Checked,
    Unchecked,
}

fn examine_pages(
    path: &Path,
    key: Option<&Passphrase>,
    pages: Pages,
) -> Result<Examined, StoreError> {
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            StoreError::Missing {
                path: path.to_owned(),
            }
        } else {
            StoreError::Io {
                path: path.to_owned(),
                error: source,
            }
        }
    })?;
    let read = file.read(&mut header).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        error: source,
    })?;
    let not_a_case = |reason: &str| StoreError::NotACase {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    if read == 0 {
        return Err(not_a_case("the file is empty"));
    }
    let len = file.metadata().map_or(0, |m| m.len());
    let key = if read == header.len() && &header[..16] == SQLITE_HEADER {
        // The application id sits at byte 68 of the header: another program's database is
        // refused before SQLite touches it (below, SQLite may have to write to recover it).
        if header[68..72] != APPLICATION_ID.to_be_bytes() {
            return Err(not_a_case(
                "it is a SQLite database that belongs to another program",
            ));
        }
        None
    } else if cipher::looks_encrypted(&header[..read], len) {
        let Some(key) = key else {
            return Err(StoreError::Encrypted {
                path: path.to_owned(),
            });
        };
        Some(key.clone())
    } else {
        return Err(not_a_case("it is not a SQLite database"));
    };
    let wrong_key_or_damaged = |source: rusqlite::Error| {
        if key.is_some() && cipher::is_wrong_key(&source) {
            StoreError::WrongPassphrase {
                path: path.to_owned(),
            }
        } else {
            StoreError::Damaged {
                path: path.to_owned(),
                detail: source.to_string(),
            }
        }
    };
    if key.is_some() {
        // The first read tells a wrong passphrase, before any recovery would write.
        open_read_only(path, key.as_ref())?
            .pragma_query_value(None, "application_id", |row| row.get::<_, i32>(0))
            .map_err(wrong_key_or_damaged)?;
    }
    recover_after_crash(path, key.as_ref())?;
    let conn = open_read_only(path, key.as_ref())?;
    let damaged = |source: rusqlite::Error| StoreError::Damaged {
        path: path.to_owned(),
        detail: source.to_string(),
    };
    let application_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(wrong_key_or_damaged)?;
    if application_id != APPLICATION_ID {
        return Err(not_a_case(
            "it is a SQLite database that belongs to another program",
        ));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(damaged)?;
    let version = usize::try_from(version).unwrap_or(0);
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: LATEST_VERSION,
        });
    }
    // Reads every page of every table and index, so a truncated or scribbled-on file is caught
    // before we write to it.
    if pages == Pages::Checked
        && let Some(detail) = quick_check(&conn).map_err(damaged)?
    {
        return Err(StoreError::Damaged {
            path: path.to_owned(),
            detail,
        });
    }
    let differences = schema::differences(&conn, version).map_err(damaged)?;
    if !differences.is_empty() {
        return Err(StoreError::ForeignSchema {
            path: path.to_owned(),
            differences,
        });
    }
    Ok(Examined { version, key, conn })
}

/// SQLite's `quick_check`, table by table: every page of every table and index is read and its
/// structure checked, the search index's own tables included. The search index's virtual table
/// is left out: SQLite checks it by tokenizing every text again, which took half of the time to
/// open a big case; `evalbench check` (a full `integrity_check`) still does that. `None` when
/// all is well, else SQLite's first complaint.
fn quick_check(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT 'sqlite_schema' UNION ALL
             SELECT name FROM sqlite_schema
             WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        let check: String = conn.query_row(
            "SELECT quick_check FROM pragma_quick_check(?1)",
            [&table],
            |row| row.get(0),
        )?;
        if check != "ok" {
            return Ok(Some(check));
        }
    }
    Ok(None)
}

/// A crash in the middle of a commit leaves a "hot" rollback journal beside the case. SQLite
/// rolls it back on the next read — which needs write access, so a read-only open would fail.
/// Let a read-write connection do it now; the case then holds exactly its last commit.
fn recover_after_crash(path: &Path, key: Option<&Passphrase>) -> Result<(), StoreError> {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let hot = std::fs::metadata(PathBuf::from(journal)).is_ok_and(|m| m.len() > 0);
    if !hot {
        return Ok(());
    }
    let damaged = |source: rusqlite::Error| StoreError::Damaged {
        path: path.to_owned(),
        detail: format!("it needs recovery after a crash, which failed: {source}"),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(damaged)?;
    if let Some(key) = key {
        cipher::unlock(&conn, key).map_err(damaged)?;
    }
    schema::harden(&conn).map_err(damaged)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(damaged)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_err(damaged)?;
    conn.close().map_err(|(_, source)| damaged(source))
}

/// `PRAGMA user_version` as the file's header holds it (big-endian at byte 60).
fn file_schema_version(path: &Path) -> Option<usize> {
    use std::io::Read as _;
    let mut header = [0u8; 64];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    let bytes: [u8; 4] = header[60..64].try_into().ok()?;
    usize::try_from(u32::from_be_bytes(bytes)).ok()
}

/// A read-only connection to the file as it is.
fn open_read_only(path: &Path, key: Option<&Passphrase>) -> Result<Connection, StoreError> {
    let damaged = |source: rusqlite::Error| StoreError::Damaged {
        path: path.to_owned(),
        detail: source.to_string(),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(damaged)?;
    if let Some(key) = key {
        cipher::unlock(&conn, key).map_err(damaged)?;
    }
    schema::harden(&conn).map_err(damaged)?;
    Ok(conn)
}

/// A read-only connection for reading the case. A file from an older version is never changed
/// by a reader: it is copied into memory and the copy is brought to the current schema, so
/// reading works the same.
fn open_for_reading(
    path: &Path,
    version: usize,
    key: Option<&Passphrase>,
) -> Result<Connection, StoreError> {
    if version >= schema::LATEST_VERSION {
        return open_read_only(path, key);
    }
    memory_copy(path, key)
}

/// A copy of the case at `path` in memory, upgraded to the current schema; the file is only read.
pub(super) fn memory_copy(path: &Path, key: Option<&Passphrase>) -> Result<Connection, StoreError> {
    let damaged = |source: rusqlite::Error| StoreError::Damaged {
        path: path.to_owned(),
        detail: source.to_string(),
    };
    let mut copy = Connection::open_in_memory().map_err(damaged)?;
    schema::harden(&copy).map_err(damaged)?;
    register_functions(&copy, &RecordDay::default()).map_err(damaged)?;
    match key {
        // SQLite's backup cannot copy between an encrypted and a plain database.
        Some(key) => cipher::copy_into(&copy, path, Some(key)).map_err(damaged)?,
        None => copy
            .restore(
                rusqlite::MAIN_DB,
                path,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(damaged)?,
    }
    schema::MIGRATIONS
        .to_latest(&mut copy)
        .map_err(|e| StoreError::Damaged {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
    Ok(copy)
}

/// SQLite's error for `path`; a failed write (full disk, a file that may not grow, a read-only
/// location) gets its own variant, since the user can do something about it.
fn sql_err(path: &Path, source: rusqlite::Error) -> StoreError {
    use rusqlite::ffi;
    let not_written = |why: NotWritten| StoreError::NotWritten {
        path: path.to_owned(),
        why,
    };
    match &source {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            rusqlite::ErrorCode::DiskFull => not_written(NotWritten::DiskFull),
            rusqlite::ErrorCode::ReadOnly => not_written(NotWritten::ReadOnly),
            rusqlite::ErrorCode::SystemIoFailure
                if matches!(
                    failure.extended_code,
                    ffi::SQLITE_IOERR_WRITE | ffi::SQLITE_IOERR_FSYNC | ffi::SQLITE_IOERR_TRUNCATE
                ) =>
            {
                not_written(NotWritten::WriteRefused)
            }
            _ => StoreError::Sqlite {
                path: path.to_owned(),
                error: source,
            },
        },
        _ => StoreError::Sqlite {
            path: path.to_owned(),
            error: source,
        },
    }
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// `case.evalcase` at version 1 → `case.v1-backup.evalcase` (or `…-backup-2…` if taken).
fn backup_path(path: &Path, version: usize) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = path.with_file_name(format!("{stem}.v{version}-backup{suffix}{extension}"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// The copies a schema upgrade left beside the case file (`case.v3-backup.evalcase`, see
/// `backup_path`).
pub fn upgrade_backups(path: &Path) -> Vec<PathBuf> {
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|candidate| {
            let Some(name) = candidate.file_name().and_then(|n| n.to_str()) else {
                return false;
            };
            let Some(middle) = name
                .strip_prefix(&format!("{stem}.v"))
                .and_then(|rest| rest.strip_suffix(extension.as_str()))
            else {
                return false;
            };
            let Some((version, suffix)) = middle.split_once("-backup") else {
                return false;
            };
            !version.is_empty()
                && version.chars().all(|c| c.is_ascii_digit())
                && (suffix.is_empty()
                    || suffix
                        .strip_prefix('-')
                        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
        })
        .collect();
    found.sort();
    found
}

/// Who the journal names for changes made here: EVALBENCH_AUTHOR, else the computer's user.
pub fn default_author() -> String {
    std::env::var("EVALBENCH_AUTHOR")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

/// Helpers for tests of old schema versions; not part of the program's API.
#[doc(hidden)]
pub mod testing {
    use std::path::Path;

    use rusqlite::OpenFlags;

    use super::{APPLICATION_ID, CaseStore, StoreError, schema, sql_err};

    /// An empty case file at an older schema `version`, as an older build would have made it.
    pub fn create_at_version(path: &Path, version: usize) -> Result<(), StoreError> {
        let mut store = CaseStore::connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            None,
        )?;
        store
            .conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|source| sql_err(path, source))?;
        schema::MIGRATIONS
            .to_version(&mut store.conn, version)
            .map_err(|e| StoreError::Damaged {
                path: path.to_owned(),
                detail: e.to_string(),
            })?;
        store.close()
    }
}
