//! Entities named alike in every copy of a case. The UI and SQL joins use the integer row ids,
//! which differ between copies; the journal, merges and `apply` name interviews, excerpts,
//! document reviews, findings and actions by their UUID, so another copy's journal rows and a
//! command written against another copy still mean the same entity.

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::domain::ids::{
    ActionId, DocumentReviewId, EntityRef, ExcerptId, FindingId, InterviewId, RequestedDocumentId,
};

/// The table behind an entity that has a UUID, and its row id.
pub(super) fn table_of(entity: EntityRef) -> Option<(&'static str, i64)> {
    Some(match entity {
        EntityRef::Interview(id) => (InterviewId::ENTITY, id.0),
        EntityRef::Excerpt(id) => (ExcerptId::ENTITY, id.0),
        EntityRef::DocumentReview(id) => (DocumentReviewId::ENTITY, id.0),
        EntityRef::Finding(id) => (FindingId::ENTITY, id.0),
        EntityRef::Action(id) => (ActionId::ENTITY, id.0),
        EntityRef::RequestedDocument(id) => (RequestedDocumentId::ENTITY, id.0),
        _ => return None,
    })
}

/// The command fields that name an entity with a UUID, and its table.
const ID_FIELDS: &[(&str, &str)] = &[
    ("interview_id", "interview"),
    ("excerpt_id", "excerpt"),
    ("document_review_id", "document_review"),
    ("finding_id", "finding"),
    ("action_id", "action"),
    ("requested_document_id", "requested_document"),
];

/// The journal's name for a command's `target` (`interview/3`): `interview/<uuid>` for an
/// entity with a UUID, other targets (`case`, `outcome/2025`) as they are. Called inside the
/// command's transaction: a row the command deleted is found in its change log.
pub(super) fn journal_target(conn: &Connection, target: &str) -> rusqlite::Result<String> {
    let Some((table, rowid)) = target.parse::<EntityRef>().ok().and_then(table_of) else {
        return Ok(target.to_owned());
    };
    let uuid: Option<String> = match row_uuid(conn, table, rowid)? {
        Some(uuid) => Some(uuid),
        // A connection only reading the case has no change log: nothing was deleted there.
        None => conn
            .query_row(
                "SELECT ident FROM temp.change_log WHERE tbl = ?1 AND row = ?2
                 AND ident IS NOT NULL ORDER BY n DESC LIMIT 1",
                rusqlite::params![table, rowid],
                |row| row.get(0),
            )
            .unwrap_or(None),
    };
    Ok(uuid.map_or_else(|| target.to_owned(), |uuid| format!("{table}/{uuid}")))
}

/// The UUID of a row, if it exists and has one.
pub(super) fn row_uuid(
    conn: &Connection,
    table: &str,
    rowid: i64,
) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!("SELECT uuid FROM \"{table}\" WHERE rowid = ?1"))?
        .query_row([rowid], |row| row.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// The row id in this copy of the row with `uuid` in `table`.
fn local_rowid(conn: &Connection, table: &str, uuid: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(&format!("SELECT rowid FROM \"{table}\" WHERE uuid = ?1"))?
        .query_row([uuid], |row| row.get(0))
        .optional()
}

/// Turns the UUIDs in a command (`"interview_id": "0193…"`) into this copy's row ids, so a
/// command written against any copy applies to the same entity here. Integer ids are left as
/// they are. `Ok(true)` when something was turned; `Err` names the field and the identity.
pub(super) fn localize(conn: &Connection, command: &mut Value) -> Result<bool, String> {
    let mut changed = false;
    match command {
        Value::Object(fields) => {
            for (name, value) in fields.iter_mut() {
                if let (Some((_, table)), Value::String(text)) =
                    (ID_FIELDS.iter().find(|(field, _)| field == name), &*value)
                {
                    let uuid = uuid::Uuid::parse_str(text.trim()).map_err(|_| {
                        format!("{name}: «{text}» is neither a row id nor an identity (UUID)")
                    })?;
                    let rowid = local_rowid(conn, table, &uuid.hyphenated().to_string())
                        .map_err(|e| format!("{name}: {e}"))?
                        .ok_or_else(|| {
                            format!("{name}: this case has no {table} with the identity {uuid}")
                        })?;
                    *value = Value::from(rowid);
                    changed = true;
                } else {
                    changed |= localize(conn, value)?;
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                changed |= localize(conn, item)?;
            }
        }
        _ => {}
    }
    Ok(changed)
}
