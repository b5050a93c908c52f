//! Provider packages: a copy of the case with everything the provider may not see removed —
//! interview notes, excerpts, participant codes, document reviews, attachments, other
//! findings, outcomes, the fidelity review and the journal — then vacuumed, so the removed text
//! is not left in free pages of the file.

use std::path::Path;

use rusqlite::Connection;

use super::sql_types::Json;
use super::{CaseStore, StoreError, partial_path, sql_err};
use crate::domain::ActionId;

impl CaseStore {
    /// Writes the provider package of this case to `target` (which must not exist).
    pub fn write_provider_package(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::AlreadyExists {
                path: target.to_owned(),
            });
        }
        let partial = partial_path(target);
        let _ = std::fs::remove_file(&partial);
        // The package goes to the provider, who must not get the evaluator's passphrase: an
        // encrypted case gives a plain package (it holds no notes, only facts and the plan).
        let copied = if self.is_encrypted() {
            super::cipher::export(&self.path, self.key.as_ref(), &partial, None)
        } else {
            self.save_copy(&partial)
        };
        let result = copied.and_then(|()| strip(&partial)).and_then(|()| {
            std::fs::File::open(&partial)
                .and_then(|file| file.sync_all())
                .and_then(|()| std::fs::rename(&partial, target))
                .map_err(|source| StoreError::Io {
                    path: target.to_owned(),
                    error: source,
                })
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }
}

fn strip(path: &Path) -> Result<(), StoreError> {
    let conn = Connection::open(path).map_err(|source| sql_err(path, source))?;
    let run = || -> rusqlite::Result<()> {
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; BEGIN;")?;
        let actions: Vec<ActionId> = conn
            .prepare(
                "SELECT a.id FROM action a JOIN finding f ON f.id = a.finding_id
                 WHERE f.kind = 'deviation' ORDER BY a.id",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        conn.execute_batch(
            "DELETE FROM interview_question;
             DELETE FROM excerpt_requirement;
             DELETE FROM finding_evidence;
             DELETE FROM excerpt;
             DELETE FROM interview;
             DELETE FROM document_requirement;
             DELETE FROM document_review;
             DELETE FROM attachment;
             DELETE FROM action WHERE finding_id IN (SELECT id FROM finding WHERE kind <> 'deviation');
             DELETE FROM finding_requirement
                 WHERE finding_id IN (SELECT id FROM finding WHERE kind <> 'deviation');
             DELETE FROM finding WHERE kind <> 'deviation';
             DELETE FROM outcome;
             DELETE FROM fidelity_score;
             DELETE FROM fidelity_seal;
             DELETE FROM fidelity_item;
             DELETE FROM fidelity_scale;
             UPDATE feedback_meeting SET participants = '[]', summary = '', provider_comments = '';
             DELETE FROM plan_import_row;
             DELETE FROM journal;",
        )?;
        conn.execute(
            "UPDATE case_info SET package_actions = ?1",
            [Json(&actions)],
        )?;
        conn.execute_batch("COMMIT; VACUUM;")
    };
    run().map_err(|source| sql_err(path, source))?;
    conn.close().map_err(|(_, source)| sql_err(path, source))
}
