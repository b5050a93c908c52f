//! Undo and redo on top of the journal. While a command runs, temporary triggers write the SQL
//! that takes each changed row back (the classic SQLite undo recipe); the journal row keeps that
//! list as its `inverse`. Undo runs the inverse of the latest edit, and the triggers record the
//! inverse of the undo — which is the redo. The stacks are derived from the journal, so they
//! survive a restart, and the journal stays an append-only record of everything that happened.

use std::fmt::Write as _;

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// The tables whose rows commands change. Not the journal (it records; it is not undone), nor
/// the search index (its own triggers follow these tables), nor attachments (content-addressed
/// and immutable; a detached file is simply unreferenced).
const TRACKED_TABLES: &[&str] = &[
    "case_info",
    "requirement_area",
    "requirement",
    "interview",
    "excerpt",
    "excerpt_requirement",
    "document_review",
    "document_requirement",
    "finding",
    "finding_requirement",
    "finding_evidence",
    "feedback_meeting",
    "action",
    "outcome",
    "interview_question",
    "fidelity_scale",
    "fidelity_item",
    "fidelity_score",
    "fidelity_seal",
    "plan_import_row",
    "report_version",
    "requested_document",
    "merged_journal",
];

/// Creates the temporary log and triggers on this connection (never stored in the file).
/// Run after migrations, since the triggers name every column of the current schema.
pub(super) fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::from(
        "PRAGMA temp_store = MEMORY;
         CREATE TEMP TABLE IF NOT EXISTS undo_log (n INTEGER PRIMARY KEY, statement TEXT NOT NULL);
         CREATE TEMP TABLE IF NOT EXISTS change_log (
             n INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row INTEGER NOT NULL, kind TEXT NOT NULL,
             old TEXT, new TEXT, ident TEXT);",
    );
    for table in TRACKED_TABLES {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let old_values = columns
            .iter()
            .map(|c| format!("quote(old.\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let assignments = columns
            .iter()
            .map(|c| format!("'\"{c}\"=' || quote(old.\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let names = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(",");
        let as_json = |row: &str| {
            let pairs = columns
                .iter()
                .map(|c| format!("'{c}', {row}.\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            format!("json_object({pairs})")
        };
        let (old_json, new_json) = (as_json("old"), as_json("new"));
        // The row's identity, so the journal can name a row the command deleted.
        let ident = |row: &str| {
            if columns.iter().any(|c| c == "uuid") {
                format!("{row}.uuid")
            } else {
                "NULL".to_owned()
            }
        };
        let (old_ident, new_ident) = (ident("old"), ident("new"));
        let _ = write!(
            sql,
            "CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}_insert AFTER INSERT ON \"{table}\" BEGIN
                 INSERT INTO undo_log (statement)
                 VALUES ('DELETE FROM \"{table}\" WHERE rowid=' || new.rowid);
                 INSERT INTO change_log (tbl, row, kind, ident)
                 VALUES ('{table}', new.rowid, 'insert', {new_ident});
             END;
             CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}_update AFTER UPDATE ON \"{table}\" BEGIN
                 INSERT INTO undo_log (statement)
                 VALUES ('UPDATE \"{table}\" SET ' || {assignments} || ' WHERE rowid=' || old.rowid);
                 INSERT INTO change_log (tbl, row, kind, old, new, ident)
                 VALUES ('{table}', old.rowid, 'update', {old_json}, {new_json}, {old_ident});
             END;
             CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}_delete BEFORE DELETE ON \"{table}\" BEGIN
                 INSERT INTO undo_log (statement)
                 VALUES ('INSERT INTO \"{table}\" (rowid,{names}) VALUES (' || old.rowid || ','
                         || {old_values} || ')');
                 INSERT INTO change_log (tbl, row, kind, ident)
                 VALUES ('{table}', old.rowid, 'delete', {old_ident});
             END;"
        );
    }
    conn.execute_batch(&sql)
}

/// What a command did to the case's rows.
pub(super) struct Recorded {
    /// The statements that undo it, last change first (JSON list).
    pub inverse: String,
    /// Before → after, for the audit trail.
    pub summary: String,
    /// The tables whose rows changed.
    pub tables: Vec<String>,
    /// See `summary::Taken::updated_rows`.
    pub updated_rows: Option<(String, Vec<i64>)>,
}

/// Runs `edit` inside `tx`; returns its value and what it changed.
pub(super) fn record<T, E>(
    tx: &Transaction<'_>,
    edit: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
) -> Result<(T, Recorded), E>
where
    E: From<rusqlite::Error>,
{
    tx.execute_batch("DELETE FROM temp.undo_log; DELETE FROM temp.change_log;")?;
    let value = edit(tx)?;
    let inverse = take_log(tx)?;
    let taken = super::summary::take(tx)?;
    Ok((
        value,
        Recorded {
            inverse,
            summary: taken.summary,
            tables: taken.tables,
            updated_rows: taken.updated_rows,
        },
    ))
}

fn take_log(tx: &Transaction<'_>) -> rusqlite::Result<String> {
    let statements: Vec<String> = tx
        .prepare("SELECT statement FROM temp.undo_log ORDER BY n DESC")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute("DELETE FROM temp.undo_log", [])?;
    serde_json::to_string(&statements)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

/// One journal row whose inverse the next undo (or redo) runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The journal row whose `inverse` is run.
    pub seq: i64,
    /// The original command's `op`, e.g. `add_interview`, for labels such as "Angre: …".
    pub op: String,
    /// The entity it touched, e.g. `interview/3`.
    pub target: String,
}

/// Which way a step is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Undo,
    Redo,
}

impl Direction {
    fn journal_kind(self) -> &'static str {
        match self {
            Direction::Undo => "undo",
            Direction::Redo => "redo",
        }
    }
}

/// The undo and redo stacks, top last.
#[derive(Debug, Default)]
pub(super) struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Replays the journal's edit/undo/redo rows to rebuild the stacks.
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<History> {
        let mut history = History::default();
        let mut statement = conn.prepare(
            "SELECT seq, kind, inverse IS NOT NULL, target,
                    coalesce(json_extract(command, '$.op'), '')
             FROM journal ORDER BY seq",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(1)?;
            let seq: i64 = row.get(0)?;
            match kind.as_str() {
                "undo" => history.moved(Direction::Undo, seq),
                "redo" => history.moved(Direction::Redo, seq),
                _ => {
                    let step = Step {
                        seq,
                        target: row.get(3)?,
                        op: row.get(4)?,
                    };
                    history.edited(step, row.get(2)?);
                }
            }
        }
        Ok(history)
    }

    /// A new edit: undoable when it has an inverse; either way the redo stack is gone.
    pub(super) fn edited(&mut self, step: Step, undoable: bool) {
        self.redo.clear();
        if undoable {
            self.undo.push(step);
        } else {
            self.undo.clear();
        }
    }

    pub(super) fn next(&self, direction: Direction) -> Option<&Step> {
        match direction {
            Direction::Undo => self.undo.last(),
            Direction::Redo => self.redo.last(),
        }
    }

    /// The top of one stack moves to the other; journal row `seq` now holds its inverse.
    fn moved(&mut self, direction: Direction, seq: i64) {
        let (from, to) = match direction {
            Direction::Undo => (&mut self.undo, &mut self.redo),
            Direction::Redo => (&mut self.redo, &mut self.undo),
        };
        if let Some(step) = from.pop() {
            to.push(Step { seq, ..step });
        }
    }

    /// Takes the next step one way in one transaction with a new journal row. A step that no
    /// longer fits the case is refused and changes nothing.
    pub(super) fn take(
        &mut self,
        conn: &mut Connection,
        direction: Direction,
        author: &str,
    ) -> Result<Option<Step>, RevertError> {
        let Some(step) = self.next(direction).cloned() else {
            return Ok(None);
        };
        // Replayed exactly as recorded: the cascaded rows are in the inverse already, so
        // foreign-key actions must not run a second time. The check after it keeps references honest.
        conn.pragma_update(None, "foreign_keys", false)?;
        let result = replay(conn, &step, direction, author);
        conn.pragma_update(None, "foreign_keys", true)?;
        let seq = result?;
        self.moved(direction, seq);
        Ok(Some(step))
    }
}

fn replay(
    conn: &mut Connection,
    step: &Step,
    direction: Direction,
    author: &str,
) -> Result<i64, RevertError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (command, inverse): (String, Option<String>) = tx.query_row(
        "SELECT command, inverse FROM journal WHERE seq = ?1",
        [step.seq],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let statements: Vec<String> = inverse
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or(RevertError::NotUndoable)?;
    let ((), recorded) = record(&tx, |tx| {
        for statement in &statements {
            if !is_row_statement(statement) {
                return Err(RevertError::NotUndoable);
            }
            // One statement per call: `execute` refuses anything appended to it.
            if tx.execute(statement, [])? != 1 {
                return Err(RevertError::Conflict);
            }
        }
        Ok(())
    })?;
    let dangling: i64 =
        tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })?;
    if dangling > 0 {
        return Err(RevertError::Conflict);
    }
    let seq = super::journal::append(
        &tx,
        &super::journal::NewEntry {
            author,
            target: &step.target,
            command: &command,
            kind: direction.journal_kind(),
            reverts: Some(step.seq),
            inverse: &recorded.inverse,
            summary: &recorded.summary,
        },
    )?;
    tx.commit()?;
    Ok(seq)
}

/// Only the three row statements the triggers write, on tracked tables, are ever run from a file.
pub(super) fn is_row_statement(statement: &str) -> bool {
    TRACKED_TABLES.iter().any(|table| {
        statement.starts_with(&format!("DELETE FROM \"{table}\" WHERE rowid="))
            || statement.starts_with(&format!("UPDATE \"{table}\" SET "))
            || statement.starts_with(&format!("INSERT INTO \"{table}\" (rowid,"))
    })
}

/// Why a step could not be taken.
#[derive(Debug, thiserror::Error)]
pub(super) enum RevertError {
    #[error("this change cannot be undone (it was made by an older version)")]
    NotUndoable,
    #[error("the case has changed in a way that conflicts with this step")]
    Conflict,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}
