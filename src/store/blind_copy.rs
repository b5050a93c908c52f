//! A copy of the case for one evaluator to score the fidelity review in, blind: it holds none of
//! the other evaluator's scores or rationales — not in the tables, not in the journal, not in the
//! file's free pages. The journal rows that carried them are redacted in place: their hashes stay,
//! so the chain still verifies and a merge still finds the history the two copies share.

use std::path::Path;

use rusqlite::{Connection, params};

use super::sql_types::Code;
use super::{CaseStore, StoreError, sql_err};
use crate::domain::{FidelityPhase, Rater, Rejection};

/// What a redacted journal row holds instead of its command: no content, no inverse.
pub(super) const REDACTED_COMMAND: &str = r#"{"op":"redacted"}"#;

impl CaseStore {
    /// Writes a copy of the case to `target` (which must not exist) for `rater` to score the
    /// fidelity review in without seeing the other evaluator's scores. Returns how many journal
    /// rows were redacted. Refused without a review, once both have delivered (nothing is blind
    /// any more), and for the consensus.
    pub fn save_blind_copy(&self, target: &Path, rater: Rater) -> Result<usize, StoreError> {
        let review = super::fidelity::read(&self.conn)
            .map_err(|source| sql_err(&self.path, source))?
            .ok_or(StoreError::Rejected(Rejection::NoFidelityReview))?;
        if rater.other().is_none() {
            return Err(StoreError::Rejected(Rejection::FidelityNotARater));
        }
        if review.phase() == FidelityPhase::Reconciliation {
            return Err(StoreError::Rejected(Rejection::FidelityNotBlind));
        }
        if target.exists() {
            return Err(StoreError::AlreadyExists {
                path: target.to_owned(),
            });
        }
        let partial = super::partial_path(target);
        let _ = std::fs::remove_file(&partial);
        let written = self.save_copy(&partial).and_then(|()| {
            let conn = Connection::open(&partial).map_err(|source| sql_err(&partial, source))?;
            if let Some(key) = &self.key {
                super::cipher::unlock(&conn, key).map_err(|source| sql_err(&partial, source))?;
            }
            let redacted = redact(&conn, rater).map_err(|source| sql_err(&partial, source))?;
            conn.close()
                .map_err(|(_, source)| sql_err(&partial, source))?;
            std::fs::rename(&partial, target).map_err(|e| StoreError::Io {
                path: target.to_owned(),
                error: e,
            })?;
            Ok(redacted)
        });
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written
    }
}

/// Removes the other evaluator's scores (and any consensus) from the copy, redacts every journal row that
/// carried one, marks the copy as `rater`'s, and rewrites the file so no free page keeps them.
fn redact(conn: &Connection, rater: Rater) -> rusqlite::Result<usize> {
    conn.execute_batch("PRAGMA secure_delete = ON;")?;
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "DELETE FROM fidelity_score WHERE rater <> ?1",
        [Code(rater)],
    )?;
    // A score command (or its undo or redo, which repeat it) carries the other's score when it
    // names another rater; any other row (a merge, say) when its command, its inverse (the rows
    // it changed, before) or its summary touches a score at all.
    let carries = "CASE WHEN json_extract(command, '$.op')
                             IN ('set_fidelity_score', 'clear_fidelity_score')
                        THEN coalesce(json_extract(command, '$.rater'), '') <> ?2
                        WHEN json_extract(command, '$.op')
                             IN ('seal_fidelity_scores', 'unseal_fidelity_scores')
                        THEN 0
                        ELSE instr(command, '\"fidelity_score') > 0
                          OR instr(coalesce(inverse, ''), 'fidelity_score') > 0
                          OR instr(summary, 'fidelity_score') > 0
                   END";
    let mut redacted = 0;
    for table in ["journal", "merged_journal"] {
        redacted += tx.execute(
            &format!(
                "UPDATE {table} SET command = ?1, inverse = NULL, summary = ''
                 WHERE command <> ?1 AND ({carries})"
            ),
            params![REDACTED_COMMAND, Code(rater)],
        )?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO fidelity_blind_copy (singleton, rater) VALUES (1, ?1)",
        [Code(rater)],
    )?;
    tx.commit()?;
    conn.execute_batch("VACUUM;")?;
    Ok(redacted)
}

/// The evaluator a blind copy was made for, if this file is one.
pub(super) fn made_for(conn: &Connection) -> rusqlite::Result<Option<Rater>> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT rater FROM fidelity_blind_copy", [], |row| {
        row.get::<_, Code<Rater>>(0)
    })
    .optional()
    .map(|r| r.map(|c| c.0))
}

/// Whether a journal row carries a score of any rater but `keep` — the same rule `redact` applies
/// in SQL: a score command (or its undo or redo) naming another rater, or any other row whose
/// command, inverse or summary touches a score.
pub(super) fn carries_scores_not_of(
    command: &str,
    inverse: Option<&str>,
    summary: &str,
    keep: Rater,
) -> bool {
    let parsed = serde_json::from_str::<serde_json::Value>(command).ok();
    let field = |name: &str| {
        parsed
            .as_ref()
            .and_then(|c| c.get(name))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    match field("op").as_deref() {
        Some("set_fidelity_score" | "clear_fidelity_score") => {
            field("rater").as_deref() != Some(keep.code())
        }
        // A delivery names no score; its op's name only looks like one.
        Some("redacted" | "seal_fidelity_scores" | "unseal_fidelity_scores") => false,
        _ => {
            command.contains("\"fidelity_score")
                || inverse.is_some_and(|i| i.contains("fidelity_score"))
                || summary.contains("fidelity_score")
        }
    }
}

/// Takes a journal row's content out in place (see `REDACTED_COMMAND`).
pub(super) fn redact_entry(entry: &mut crate::merge::MergedEntry) {
    REDACTED_COMMAND.clone_into(&mut entry.command);
    entry.inverse = None;
    entry.summary.clear();
}
