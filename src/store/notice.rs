//! The store's side of the notice (varsel): the documents asked for and the interviews planned
//! per role, changed by the notice's commands and read into the snapshot.

use rusqlite::{Connection, Transaction, params};

use super::apply::{ApplyError, Result, reject, require_row};
use super::sql_types::{Code, Json};
use crate::domain::{
    DocumentKind, DocumentReviewId, EntityRef, PlannedInterviews, Rejection, RequestedDocument,
    RequestedDocumentId, RequiredText, RoleId,
};

fn require(tx: &Transaction<'_>, id: RequestedDocumentId) -> Result<()> {
    require_row(tx, "requested_document", id.0, id.into())
}

/// Adds the titles not asked for yet, after the others; returns the case (the list changed).
pub(super) fn request(tx: &Transaction<'_>, titles: &[String]) -> Result<String> {
    let titles: Vec<&str> = titles.iter().map(|t| t.trim()).collect();
    if titles.is_empty() || titles.iter().any(|t| t.is_empty()) {
        return reject(Rejection::Empty {
            field: RequiredText::DocumentTitle,
        });
    }
    // Compared in lower case the Unicode way (SQLite's `lower` knows only ASCII: Å, Æ, Ø).
    let mut known: Vec<String> = tx
        .prepare("SELECT title FROM requested_document")?
        .query_map([], |row| row.get::<_, String>(0))?
        .map(|title| title.map(|t| t.to_lowercase()))
        .collect::<rusqlite::Result<_>>()?;
    for title in titles {
        if known.contains(&title.to_lowercase()) {
            continue;
        }
        tx.execute(
            "INSERT INTO requested_document (uuid, title, position)
             VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM requested_document))",
            params![super::new_uuid(), title],
        )?;
        known.push(title.to_lowercase());
    }
    Ok(EntityRef::Case.to_string())
}

pub(super) fn remove(tx: &Transaction<'_>, id: RequestedDocumentId) -> Result<String> {
    require(tx, id)?;
    tx.execute("DELETE FROM requested_document WHERE id = ?1", [id])?;
    Ok(id.to_string())
}

pub(super) fn set_received(
    tx: &Transaction<'_>,
    id: RequestedDocumentId,
    received_on: Option<jiff::civil::Date>,
) -> Result<String> {
    require(tx, id)?;
    tx.execute(
        "UPDATE requested_document SET received_on = ?2 WHERE id = ?1",
        params![id, received_on],
    )?;
    Ok(id.to_string())
}

/// A review with the requested document's title, linked to it; refused when one is linked.
pub(super) fn start_review(
    tx: &Transaction<'_>,
    id: RequestedDocumentId,
    kind: DocumentKind,
) -> Result<String> {
    require(tx, id)?;
    let (title, review): (String, Option<DocumentReviewId>) = tx.query_row(
        "SELECT title, document_review_id FROM requested_document WHERE id = ?1",
        [id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if let Some(review) = review {
        return reject(Rejection::ReviewAlreadyStarted {
            document_review: review,
        });
    }
    tx.execute(
        "INSERT INTO document_review (title, kind, uuid) VALUES (?1, ?2, ?3)",
        params![title, Code(kind), super::new_uuid()],
    )?;
    let review = DocumentReviewId(tx.last_insert_rowid());
    tx.execute(
        "UPDATE requested_document
         SET document_review_id = ?2, received_on = coalesce(received_on, evalbench_record_day())
         WHERE id = ?1",
        params![id, review],
    )?;
    Ok(review.to_string())
}

pub(super) fn set_planned(tx: &Transaction<'_>, role: &RoleId, count: u32) -> Result<String> {
    if count > 999 {
        return reject(Rejection::PlannedInterviewsOutOfRange { count });
    }
    if count > 0 && super::catalog_copy::programme(tx)?.role(role).is_none() {
        return reject(Rejection::UndeclaredRole {
            role: role.to_string(),
        });
    }
    let Json(mut planned): Json<PlannedInterviews> =
        tx.query_row("SELECT planned_interviews FROM case_info", [], |row| {
            row.get(0)
        })?;
    if count == 0 {
        planned.remove(role);
    } else {
        planned.insert(role.clone(), count);
    }
    tx.execute(
        "UPDATE case_info SET planned_interviews = ?1",
        [Json(planned)],
    )
    .map_err(ApplyError::from)?;
    Ok(EntityRef::Case.to_string())
}

/// The requested documents in the order asked, and the interviews planned.
pub(super) fn read(
    conn: &Connection,
) -> rusqlite::Result<(Vec<RequestedDocument>, PlannedInterviews)> {
    let documents = conn
        .prepare(
            "SELECT id, title, received_on, document_review_id FROM requested_document
             ORDER BY position, id",
        )?
        .query_map([], |row| {
            Ok(RequestedDocument {
                id: row.get(0)?,
                title: row.get(1)?,
                received_on: row.get(2)?,
                document_review_id: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let Json(planned) = conn.query_row("SELECT planned_interviews FROM case_info", [], |row| {
        row.get::<_, Json<PlannedInterviews>>(0)
    })?;
    Ok((documents, planned))
}
