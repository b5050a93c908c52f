//! *Slett personopplysninger*: at the end of a case, the participants' personal data is deleted
//! for good — the notes of participant interviews, the participant codes, the quotes from them
//! that are not marked shareable, and the files of documents marked as personal. Findings,
//! counts, coverage links, kept report versions and the plan stay.
//!
//! Gone means gone from everywhere the file keeps text: the tables and the full-text index; the
//! journal, where every row that carried such text is redacted (its hash kept, so the chain
//! still verifies, see `journal::is_redacted`) and every undo statement has the values blanked
//! (so a merge can still take the case back to a common ancestor); the undo history (the
//! deletion cannot be undone, nor anything before it); and the file's free pages
//! (`secure_delete`, then `VACUUM`). The day it was done is kept (`personal_data_deleted_on`):
//! a merge with a copy that still holds the data deletes it again (`store::merge`).

use std::collections::{BTreeSet, HashSet};

use aho_corasick::AhoCorasick;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::row_statement::{Kind, Literal, RowStatement};
use super::{CaseStore, StoreError, sql_err};
use crate::domain::{PersonalData, Rejection};

/// The op of the journal row that records a deletion; a merge's rewind steps over it.
pub(super) const DELETION_OP: &str = "delete_personal_data";

/// The outcome of a deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Deletion {
    pub deleted: PersonalData,
    /// Journal rows (own and merged in) whose content was taken out.
    pub journal_rows_redacted: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

impl CaseStore {
    /// What *Slett personopplysninger* would delete now.
    pub fn personal_data(&self) -> Result<PersonalData, StoreError> {
        collect(&self.conn)
            .map(|found| found.counts)
            .map_err(|source| sql_err(&self.path, source))
    }

    /// Deletes the participants' personal data for good (see the module doc). `confirmation`
    /// must be the provider's name as the case has it (case and outer spaces aside). Refused
    /// while the case is open (not closed), and when not confirmed; nothing changes then.
    pub fn delete_personal_data(&mut self, confirmation: &str) -> Result<Deletion, StoreError> {
        self.refuse_if_reader()?;
        let (provider, closed): (String, Option<String>) = self
            .conn
            .query_row(
                "SELECT provider_name, closed_on FROM case_info",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|source| sql_err(&self.path, source))?;
        if closed.is_none() {
            return Err(StoreError::Rejected(Rejection::DeletionNeedsClosedCase));
        }
        if !crate::domain::confirms_deletion(&provider, confirmation) {
            return Err(StoreError::Rejected(Rejection::DeletionNotConfirmed));
        }
        self.delete_personal_data_unconfirmed()
    }

    /// The deletion itself, also run after a merge into a case whose data was deleted.
    pub(super) fn delete_personal_data_unconfirmed(&mut self) -> Result<Deletion, StoreError> {
        let path = self.path.clone();
        let bytes_before = file_size(&path);
        let sql = |source| sql_err(&path, source);
        self.conn
            .execute_batch("PRAGMA secure_delete = ON;")
            .map_err(sql)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let found = collect(&tx).map_err(sql)?;
        let journal_rows_redacted = redact_journal(&tx, &found).map_err(sql)?;
        delete_rows(&tx, &found).map_err(sql)?;
        let counts = found.counts;
        let command = serde_json::json!({
            "op": DELETION_OP,
            "interview_notes": counts.interview_notes,
            "participant_codes": counts.participant_codes,
            "quotes": counts.quotes,
            "attachments": counts.attachments,
        })
        .to_string();
        let summary = format!(
            "personal data deleted: notes of {} interviews, {} participant codes, {} quotes, \
             {} attachments; {journal_rows_redacted} journal rows redacted",
            counts.interview_notes, counts.participant_codes, counts.quotes, counts.attachments
        );
        let seq = super::journal::append(
            &tx,
            &super::journal::NewEntry {
                author: &self.author,
                target: "case",
                command: &command,
                kind: "edit",
                reverts: None,
                inverse: "",
                summary: &summary,
            },
        )
        .map_err(sql)?;
        // No inverse: nothing takes a deletion back (the hash counts a missing inverse as "").
        tx.execute("UPDATE journal SET inverse = NULL WHERE seq = ?1", [seq])
            .map_err(sql)?;
        // What the undo triggers logged while the rows changed holds the old values.
        tx.execute_batch("DELETE FROM temp.undo_log; DELETE FROM temp.change_log;")
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.history.edited(
            super::history::Step {
                seq,
                op: DELETION_OP.to_owned(),
                target: "case".to_owned(),
            },
            false,
        );
        // The search index keeps deleted words in its segments until they are merged; a
        // rebuild writes it anew from the texts as they are now. VACUUM then writes the whole
        // file again, so no free page keeps an old value.
        self.conn
            .execute_batch("INSERT INTO search_text (search_text) VALUES ('rebuild'); VACUUM;")
            .map_err(sql)?;
        Ok(Deletion {
            deleted: counts,
            journal_rows_redacted,
            bytes_before,
            bytes_after: file_size(&path),
        })
    }
}

/// The ids of the roles whose interviews hold the participants' personal data.
pub(super) fn participant_roles(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    Ok(super::catalog_copy::programme(conn)?
        .participant_roles()
        .into_iter()
        .map(|r| r.as_str().to_owned())
        .collect())
}

fn roles_json(roles: &[String]) -> String {
    serde_json::to_string(roles).unwrap_or_else(|_| "[]".to_owned())
}

/// Whether an undo statement on `interview` is about a participant interview.
fn is_participant(statement: &RowStatement, roles: &[String]) -> bool {
    statement
        .get("role")
        .and_then(Literal::as_text)
        .is_some_and(|role| roles.iter().any(|r| r == role))
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The personal data in the tables now.
struct Found {
    counts: PersonalData,
    /// Row ids of participant interviews.
    participants: HashSet<i64>,
    /// Every personal text, to find in the journal.
    texts: BTreeSet<String>,
    /// Attachments of personal documents.
    attachments: Vec<String>,
    /// The ids of the participants' roles in the case's programme.
    roles: Vec<String>,
}

fn collect(conn: &Connection) -> rusqlite::Result<Found> {
    let mut found = Found {
        counts: PersonalData::default(),
        participants: HashSet::new(),
        texts: BTreeSet::new(),
        attachments: Vec::new(),
        roles: participant_roles(conn)?,
    };
    let roles = roles_json(&found.roles);
    let mut statement = conn.prepare(
        "SELECT id, notes, interviewees FROM interview
         WHERE role IN (SELECT value FROM json_each(?1))",
    )?;
    let mut rows = statement.query([&roles])?;
    while let Some(row) = rows.next()? {
        found.participants.insert(row.get(0)?);
        let notes: String = row.get(1)?;
        if !notes.is_empty() {
            found.counts.interview_notes += 1;
            found.texts.insert(notes);
        }
        let codes: String = row.get(2)?;
        for code in serde_json::from_str::<Vec<String>>(&codes).unwrap_or_default() {
            found.counts.participant_codes += 1;
            found.texts.insert(code);
        }
    }
    let mut statement = conn.prepare(
        "SELECT e.quote FROM excerpt e JOIN interview i ON i.id = e.interview_id
         WHERE i.role IN (SELECT value FROM json_each(?1)) AND e.shareable = 0 AND e.quote <> ''",
    )?;
    let mut rows = statement.query([&roles])?;
    while let Some(row) = rows.next()? {
        found.counts.quotes += 1;
        found.texts.insert(row.get(0)?);
    }
    let mut statement = conn.prepare(
        "SELECT attachment_sha256, attachment_name FROM document_review
         WHERE personal = 1 AND attachment_sha256 IS NOT NULL",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        found.counts.attachments += 1;
        found.attachments.push(row.get(0)?);
        if let Some(name) = row.get::<_, Option<String>>(1)? {
            found.texts.insert(name);
        }
    }
    Ok(found)
}

/// Blanks the personal values in the tables and drops the personal files.
fn delete_rows(tx: &Transaction<'_>, found: &Found) -> rusqlite::Result<()> {
    let roles = roles_json(&found.roles);
    let participant_interviews =
        "SELECT id FROM interview WHERE role IN (SELECT value FROM json_each(?1))";
    tx.execute(
        &format!(
            "UPDATE excerpt SET quote = '', anchored = 0
             WHERE shareable = 0 AND quote <> '' AND interview_id IN ({participant_interviews})"
        ),
        [&roles],
    )?;
    tx.execute(
        &format!(
            "UPDATE excerpt SET anchored = 0 WHERE interview_id IN ({participant_interviews})"
        ),
        [&roles],
    )?;
    tx.execute(
        "UPDATE interview SET notes = '', interviewees = '[]'
         WHERE role IN (SELECT value FROM json_each(?1)) AND (notes <> '' OR interviewees <> '[]')",
        [&roles],
    )?;
    tx.execute(
        "UPDATE document_review SET attachment_sha256 = NULL, attachment_name = NULL
         WHERE personal = 1 AND attachment_sha256 IS NOT NULL",
        [],
    )?;
    for sha256 in &found.attachments {
        tx.execute(
            "DELETE FROM attachment WHERE sha256 = ?1
             AND NOT EXISTS (SELECT 1 FROM document_review WHERE attachment_sha256 = ?1)
             AND NOT EXISTS (SELECT 1 FROM report_version WHERE attachment_sha256 = ?1)",
            [sha256],
        )?;
    }
    tx.execute(
        "UPDATE case_info SET personal_data_deleted_on = coalesce(personal_data_deleted_on,
                                                                   evalbench_record_day())",
        [],
    )?;
    Ok(())
}

/// One journal row as the redaction reads it.
struct JournalRow {
    table: &'static str,
    key: i64,
    command: String,
    inverse: Option<String>,
    summary: String,
    own: bool,
}

/// Redacts every journal row (own and merged in) that carries personal data, and blanks the
/// personal values in every undo statement. Returns how many rows were redacted.
fn redact_journal(tx: &Transaction<'_>, found: &Found) -> rusqlite::Result<usize> {
    let mut rows = Vec::new();
    for (table, key, own) in [("journal", "seq", true), ("merged_journal", "rowid", false)] {
        let mut statement = tx.prepare(&format!(
            "SELECT {key}, command, inverse, summary FROM {table}
             WHERE command <> '{}'",
            super::blind_copy::REDACTED_COMMAND
        ))?;
        let mut read = statement.query([])?;
        while let Some(row) = read.next()? {
            rows.push(JournalRow {
                table,
                key: row.get(0)?,
                command: row.get(1)?,
                inverse: row.get(2)?,
                summary: row.get(3)?,
                own,
            });
        }
    }
    // Rows of interviews that were participant interviews at any time in this copy's history.
    let mut participants = found.participants.clone();
    for row in rows.iter().filter(|r| r.own) {
        for statement in statements(row.inverse.as_deref()) {
            if statement.table == "interview" && is_participant(&statement, &found.roles) {
                participants.insert(statement.rowid);
            }
        }
    }
    // First the undo statements: blanking them also finds older values (earlier versions of
    // notes, quotes since deleted) to look for in the commands and summaries.
    let mut texts = found.texts.clone();
    let mut new_inverses: Vec<Option<String>> = Vec::with_capacity(rows.len());
    for row in &rows {
        let known = row.own.then_some(&participants);
        let mut changed = false;
        let blanked: Option<Vec<String>> = row
            .inverse
            .as_deref()
            .and_then(|json| serde_json::from_str::<Vec<String>>(json).ok())
            .map(|list| {
                list.into_iter()
                    .map(|text| match RowStatement::parse(&text) {
                        Some(mut statement) => {
                            if blank(&mut statement, known, &found.roles, &mut texts) {
                                changed = true;
                                statement.write()
                            } else {
                                text
                            }
                        }
                        None => text,
                    })
                    .collect()
            });
        new_inverses.push(if changed {
            blanked.and_then(|list| serde_json::to_string(&list).ok())
        } else {
            None
        });
    }
    let finder = Finder::new(&texts);
    let mut redacted = 0;
    for (row, new_inverse) in rows.iter().zip(new_inverses) {
        let carries = new_inverse.is_some()
            || finder.in_text(&row.command)
            || finder.in_text(&row.summary)
            // Rows of merged-in history re-inserted by an undo carry whole journal rows.
            || new_inverse.is_none() && row.inverse.as_deref().is_some_and(|i| finder.in_text(i));
        if !carries {
            continue;
        }
        let inverse = match (&new_inverse, &row.inverse) {
            (Some(blanked), _) => Some(blanked.clone()),
            (None, Some(inverse)) if !finder.in_text(inverse) => Some(inverse.clone()),
            _ => None,
        };
        tx.execute(
            &format!(
                "UPDATE {} SET command = ?1, inverse = ?2, summary = '' WHERE {} = ?3",
                row.table,
                if row.own { "seq" } else { "rowid" }
            ),
            params![super::blind_copy::REDACTED_COMMAND, inverse, row.key],
        )?;
        redacted += 1;
    }
    Ok(redacted)
}

/// The row statements of an inverse (those the triggers wrote).
fn statements(inverse: Option<&str>) -> Vec<RowStatement> {
    inverse
        .and_then(|json| serde_json::from_str::<Vec<String>>(json).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|text| RowStatement::parse(text))
        .collect()
}

/// Blanks the personal values one undo statement would put back, adding them to `texts`.
/// `participants`: this copy's participant interviews (`None` for another copy's rows, whose
/// row ids mean nothing here: there every quote not marked shareable is blanked).
fn blank(
    statement: &mut RowStatement,
    participants: Option<&HashSet<i64>>,
    roles: &[String],
    texts: &mut BTreeSet<String>,
) -> bool {
    if statement.kind == Kind::Delete {
        return false;
    }
    let mut take = |statement: &mut RowStatement, column: &str, empty: &str| -> bool {
        match statement.get(column).and_then(Literal::as_text) {
            Some(value) if value != empty => {
                if column == "interviewees" {
                    texts.extend(serde_json::from_str::<Vec<String>>(value).unwrap_or_default());
                } else {
                    texts.insert(value.to_owned());
                }
                statement.set(column, Literal::Text(empty.to_owned()));
                true
            }
            _ => false,
        }
    };
    match statement.table.as_str() {
        "interview" if is_participant(statement, roles) => {
            let notes = take(statement, "notes", "");
            let codes = take(statement, "interviewees", "[]");
            notes || codes
        }
        "excerpt" => {
            let shareable = statement.get("shareable").and_then(Literal::as_number) == Some(1);
            let of_participant = match participants {
                Some(known) => statement
                    .get("interview_id")
                    .and_then(Literal::as_number)
                    .is_some_and(|id| known.contains(&id)),
                None => true,
            };
            !shareable && of_participant && take(statement, "quote", "")
        }
        "document_review" if statement.get("personal").and_then(Literal::as_number) == Some(1) => {
            let name = take(statement, "attachment_name", "");
            let file = statement
                .get("attachment_sha256")
                .is_some_and(|v| *v != Literal::Null);
            if name || file {
                statement.set("attachment_name", Literal::Null);
                statement.set("attachment_sha256", Literal::Null);
            }
            name || file
        }
        _ => false,
    }
}

/// Finds any of the personal texts in a journal field: as written, and as JSON writes it
/// (a command's fields, an undo statement inside its list).
struct Finder {
    matcher: Option<AhoCorasick>,
}

impl Finder {
    fn new(texts: &BTreeSet<String>) -> Finder {
        let mut patterns: BTreeSet<String> = BTreeSet::new();
        // A text of one character would match everywhere; it is blanked in the tables all
        // the same.
        for text in texts.iter().filter(|t| t.trim().chars().count() >= 2) {
            patterns.insert(text.clone());
            let json = serde_json::to_string(text).unwrap_or_default();
            let inner = json.trim_matches('"').to_owned();
            patterns.insert(inner.clone());
            // Inside an SQL literal inside JSON: quotes doubled, then JSON-escaped.
            patterns.insert(inner.replace('\'', "''"));
        }
        Finder {
            matcher: (!patterns.is_empty())
                .then(|| AhoCorasick::new(&patterns).ok())
                .flatten(),
        }
    }

    fn in_text(&self, text: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(text))
    }
}

/// The day the case's personal data was deleted, if it was.
pub(super) fn deleted_on(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT personal_data_deleted_on FROM case_info",
        [],
        |row| row.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// Blanks the personal values in a merge's view of one copy (when either copy's data was
/// deleted), adding them to `texts`: a merge then neither brings them in nor conflicts on them.
pub(super) fn blank_snapshot(
    snapshot: &mut crate::merge::Snapshot,
    roles: &[String],
    texts: &mut BTreeSet<String>,
) {
    use crate::merge::Cell;
    let mut take = |row: &mut crate::merge::Row, column: &str, empty: Cell| {
        if let Some(cell) = row.get_mut(column) {
            match cell {
                Cell::String(value) if column == "interviewees" => {
                    texts.extend(serde_json::from_str::<Vec<String>>(value).unwrap_or_default());
                }
                Cell::String(value) if !value.is_empty() => {
                    texts.insert(value.clone());
                }
                _ => {}
            }
            *cell = empty;
        }
    };
    let mut participants = HashSet::new();
    if let Some(interviews) = snapshot.tables.get_mut("interview") {
        for (id, row) in interviews.iter_mut() {
            if row
                .get("role")
                .and_then(Cell::as_str)
                .is_some_and(|role| roles.iter().any(|r| r == role))
            {
                participants.insert(id.clone());
                take(row, "notes", Cell::String(String::new()));
                take(row, "interviewees", Cell::String("[]".to_owned()));
            }
        }
    }
    if let Some(excerpts) = snapshot.tables.get_mut("excerpt") {
        for row in excerpts.values_mut() {
            let of_participant = row
                .get("interview_id")
                .and_then(Cell::as_str)
                .is_some_and(|id| participants.contains(id));
            let shareable = row.get("shareable").and_then(Cell::as_i64) == Some(1);
            if of_participant && !shareable {
                take(row, "quote", Cell::String(String::new()));
            }
        }
    }
    if let Some(documents) = snapshot.tables.get_mut("document_review") {
        for row in documents.values_mut() {
            if row.get("personal").and_then(Cell::as_i64) == Some(1) {
                take(row, "attachment_name", Cell::Null);
                take(row, "attachment_sha256", Cell::Null);
            }
        }
    }
}

/// Redacts the rows of another copy's journal that a merge would bring in and that carry any
/// of `texts` or a personal value in their undo statements.
pub(super) fn redact_incoming(
    entries: &mut [crate::merge::MergedEntry],
    roles: &[String],
    texts: &BTreeSet<String>,
) {
    let mut texts = texts.clone();
    let mut blanked_any = vec![false; entries.len()];
    for (entry, blanked) in entries.iter_mut().zip(blanked_any.iter_mut()) {
        for mut statement in statements(entry.inverse.as_deref()) {
            *blanked |= blank(&mut statement, None, roles, &mut texts);
        }
    }
    let finder = Finder::new(&texts);
    for (entry, blanked) in entries.iter_mut().zip(blanked_any) {
        if blanked
            || finder.in_text(&entry.command)
            || finder.in_text(&entry.summary)
            || entry.inverse.as_deref().is_some_and(|i| finder.in_text(i))
        {
            super::blind_copy::redact_entry(entry);
        }
    }
}
