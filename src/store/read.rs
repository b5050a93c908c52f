//! Queries: the case read back into plain domain values.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::sql_types::{Code, Json, JsonList};
use super::{CaseStore, Passphrase, StoreError, sql_err};
use crate::domain::{
    Action, ActionFields, AttachmentRef, CaseFacts, CaseSnapshot, CatalogInfo, DocumentReview,
    DocumentReviewFields, EvidenceRef, Excerpt, FeedbackMeeting, Finding, FindingFields,
    InterviewFields, KeyDates, OrgNumber, Outcome, QuestionRef, Requirement, RequirementArea,
    RequirementLink,
};
use crate::domain::{ExcerptId, ImportedRow, Interview, StatusChange};

/// Sizes of a case, as `evalbench check` prints them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub requirements: usize,
    pub interviews: usize,
    pub excerpts: usize,
    pub document_reviews: usize,
    pub findings: usize,
    pub actions: usize,
    pub outcome_years: usize,
    pub journal_entries: usize,
}

/// The result of `CaseStore::check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub schema_version: usize,
    /// "ok", or SQLite's description of what is wrong.
    pub integrity: String,
    /// Rows whose references point nowhere (should be zero).
    pub foreign_key_violations: usize,
    /// The journal's hash chain: a row edited outside Evalbench breaks it.
    pub journal: super::ChainCheck,
    pub counts: Counts,
}

impl CheckReport {
    /// Healthy: intact pages, no dangling references, and an audit trail nobody edited. A file
    /// from before the chain (not opened for writing since) has nothing to break.
    pub fn is_healthy(&self) -> bool {
        self.integrity == "ok"
            && self.foreign_key_violations == 0
            && !matches!(
                self.journal,
                super::ChainCheck::BrokenAt { .. } | super::ChainCheck::MergedBrokenAt { .. }
            )
    }
}

/// The whole case read from `path` without writing to it: no migration, no journal, and the file
/// is refused untouched if it is not a case. For scanning and exporting files one only reads.
pub fn read_case(path: &std::path::Path) -> Result<CaseSnapshot, StoreError> {
    read_case_keyed(path, None)
}

/// Like `read_case`; `key` opens an encrypted case.
pub fn read_case_keyed(
    path: &std::path::Path,
    key: Option<&Passphrase>,
) -> Result<CaseSnapshot, StoreError> {
    CaseStore::open_read_only_keyed(path, key)?.snapshot()
}

/// Like `read_case_keyed`, for reading many cases at once (see `CaseStore::open_to_survey`).
pub fn survey_case(
    path: &std::path::Path,
    key: Option<&Passphrase>,
) -> Result<CaseSnapshot, StoreError> {
    CaseStore::open_to_survey(path, key)?.snapshot()
}

/// The whole case and its actions' status record (follow-up), without taking the writer's lock.
pub fn read_case_with_status(
    path: &std::path::Path,
) -> Result<(CaseSnapshot, Vec<StatusChange>), StoreError> {
    read_case_with_status_keyed(path, None)
}

/// Like `read_case_with_status`; `key` opens an encrypted case.
pub fn read_case_with_status_keyed(
    path: &std::path::Path,
    key: Option<&Passphrase>,
) -> Result<(CaseSnapshot, Vec<StatusChange>), StoreError> {
    let store = CaseStore::open_read_only_keyed(path, key)?;
    Ok((store.snapshot()?, store.status_changes()?))
}

impl CaseStore {
    /// The whole case, read in one transaction so it is consistent.
    pub fn snapshot(&self) -> Result<CaseSnapshot, StoreError> {
        read_snapshot(&self.conn).map_err(|source| sql_err(&self.path, source))
    }

    /// Reads again the parts of `snapshot` that changed, in one read transaction; the rest is
    /// kept. After an edit of one interview's notes this skips the plan, the findings and so on.
    pub fn refresh(&self, snapshot: &mut CaseSnapshot, parts: Parts) -> Result<(), StoreError> {
        self.read_consistently(|conn| read_parts(conn, snapshot, parts))
    }

    /// Reads again the own fields of the findings `ids` (an edit that changed nothing else; see
    /// `Applied::findings_edited`); their links and the rest of the snapshot are kept. At 100×
    /// the demo case this takes 0.02 ms where reading the findings part whole takes 4–5.
    pub fn refresh_findings(
        &self,
        snapshot: &mut CaseSnapshot,
        ids: &[crate::domain::FindingId],
    ) -> Result<(), StoreError> {
        self.read_consistently(|conn| read_finding_rows(conn, snapshot, ids))
    }

    /// Like `refresh_findings`, for interviews whose own row (notes, date, role …) was all an
    /// edit changed: their excerpts and questions are kept. At 100× the demo case, reading the
    /// interviews part whole (4 million words of notes) took most of a 72 ms edit.
    pub fn refresh_interviews(
        &self,
        snapshot: &mut CaseSnapshot,
        ids: &[crate::domain::InterviewId],
    ) -> Result<(), StoreError> {
        self.read_consistently(|conn| read_interview_rows(conn, snapshot, ids))
    }

    /// Like `refresh_findings`, for actions whose own row was all an edit changed, a status
    /// change included (the day it records is in the follow-up record, not the snapshot).
    pub fn refresh_actions(
        &self,
        snapshot: &mut CaseSnapshot,
        ids: &[crate::domain::ActionId],
    ) -> Result<(), StoreError> {
        self.read_consistently(|conn| read_action_rows(conn, snapshot, ids))
    }

    /// Like `refresh_findings`, for document reviews whose own row was all an edit changed:
    /// their requirement links are kept.
    pub fn refresh_document_reviews(
        &self,
        snapshot: &mut CaseSnapshot,
        ids: &[crate::domain::DocumentReviewId],
    ) -> Result<(), StoreError> {
        self.read_consistently(|conn| read_document_rows(conn, snapshot, ids))
    }

    /// Runs `read` in one read transaction, so what it reads is one state of the case.
    fn read_consistently(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        let result = self.conn.execute_batch("BEGIN DEFERRED").and_then(|()| {
            let read = read(&self.conn);
            self.conn.execute_batch("COMMIT").and(read)
        });
        result.map_err(|source| sql_err(&self.path, source))
    }

    /// The content of an attached file.
    pub fn attachment_content(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        self.conn
            .query_row(
                "SELECT content FROM attachment WHERE sha256 = ?1",
                [sha256],
                |row| row.get(0),
            )
            .map_err(|source| sql_err(&self.path, source))
    }

    /// Full integrity check, foreign keys and counts.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let conn = &self.conn;
        let run = || -> rusqlite::Result<CheckReport> {
            let integrity: Vec<String> = conn
                .prepare("PRAGMA integrity_check")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let foreign_key_violations = conn
                .prepare("PRAGMA foreign_key_check")?
                .query_map([], |_| Ok(()))?
                .count();
            let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
            // An older file is read through an upgraded copy; report the file's own version.
            // (An encrypted file's header is ciphertext; its version is the one read.)
            let file_version = if self.is_encrypted() {
                None
            } else {
                super::file_schema_version(&self.path)
            };
            let version = file_version.unwrap_or(usize::try_from(version).unwrap_or(0));
            Ok(CheckReport {
                schema_version: version,
                integrity: integrity.join("; "),
                foreign_key_violations,
                journal: super::ChainCheck::Unchained,
                counts: counts(conn)?,
            })
        };
        let mut report = run().map_err(|source| sql_err(&self.path, source))?;
        report.journal = self.verify_journal()?;
        Ok(report)
    }

    /// The number of commands in the journal.
    pub fn journal_len(&self) -> Result<usize, StoreError> {
        count(&self.conn, "journal").map_err(|source| sql_err(&self.path, source))
    }
}

fn count(conn: &Connection, table: &str) -> rusqlite::Result<usize> {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
        row.get::<_, i64>(0)
    })
    .map(|n| usize::try_from(n).unwrap_or(0))
}

fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    Ok(Counts {
        requirements: count(conn, "requirement")?,
        interviews: count(conn, "interview")?,
        excerpts: count(conn, "excerpt")?,
        document_reviews: count(conn, "document_review")?,
        findings: count(conn, "finding")?,
        actions: count(conn, "action")?,
        outcome_years: count(conn, "outcome")?,
        journal_entries: count(conn, "journal")?,
    })
}

fn read_snapshot(conn: &Connection) -> rusqlite::Result<CaseSnapshot> {
    // A read transaction: every query below sees the same state.
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = read_all(conn);
    conn.execute_batch("COMMIT")?;
    result
}

fn read_all(conn: &Connection) -> rusqlite::Result<CaseSnapshot> {
    let mut snapshot = read_header(conn)?;
    read_parts(conn, &mut snapshot, Parts::ALL)?;
    Ok(snapshot)
}

/// Parts of the snapshot, each read from its own tables: what a command touched is read again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // one flag per part, by name; a bit set would hide them
pub struct Parts {
    pub header: bool,
    pub catalog: bool,
    pub interviews: bool,
    pub documents: bool,
    pub findings: bool,
    pub meeting: bool,
    pub actions: bool,
    pub outcomes: bool,
    pub fidelity: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        header: true,
        catalog: true,
        interviews: true,
        documents: true,
        findings: true,
        meeting: true,
        actions: true,
        outcomes: true,
        fidelity: true,
    };

    /// Both `self`'s parts and `other`'s.
    #[must_use]
    pub fn and(self, other: Parts) -> Parts {
        Parts {
            header: self.header || other.header,
            catalog: self.catalog || other.catalog,
            interviews: self.interviews || other.interviews,
            documents: self.documents || other.documents,
            findings: self.findings || other.findings,
            meeting: self.meeting || other.meeting,
            actions: self.actions || other.actions,
            outcomes: self.outcomes || other.outcomes,
            fidelity: self.fidelity || other.fidelity,
        }
    }

    /// The parts holding rows of these tables. An unknown table marks everything.
    pub fn of_tables<'a>(tables: impl IntoIterator<Item = &'a str>) -> Parts {
        let mut parts = Parts::default();
        for table in tables {
            match table {
                "case_info" => parts.header = true,
                "requirement_area" | "requirement" => parts.catalog = true,
                // The fidelity review's evidence is read back as the excerpts and documents that
                // still exist, so it follows them.
                "interview" | "excerpt" | "excerpt_requirement" | "interview_question" => {
                    parts.interviews = true;
                    parts.fidelity = true;
                }
                "document_review" | "document_requirement" | "attachment" => {
                    parts.documents = true;
                    parts.fidelity = true;
                }
                // The notice's documents are a checklist on the document page.
                "requested_document" => parts.documents = true,
                "finding" | "finding_requirement" | "finding_evidence" => parts.findings = true,
                // The report's versions are read with the meeting they are presented at.
                "feedback_meeting" | "report_version" => parts.meeting = true,
                "action" | "action_status_change" | "plan_import_row" => parts.actions = true,
                "outcome" => parts.outcomes = true,
                "fidelity_scale" | "fidelity_item" | "fidelity_score" | "fidelity_seal" => {
                    parts.fidelity = true;
                }
                // Another copy's journal rows: nothing a page shows.
                "merged_journal" => {}
                _ => return Parts::ALL,
            }
        }
        parts
    }
}

fn read_parts(
    conn: &Connection,
    snapshot: &mut CaseSnapshot,
    parts: Parts,
) -> rusqlite::Result<()> {
    if parts.header {
        // The header rebuilds the snapshot's own fields; the rest are kept.
        let fresh = read_header(conn)?;
        snapshot.case_id = fresh.case_id;
        snapshot.facts = fresh.facts;
        snapshot.phase = fresh.phase;
        snapshot.key_dates = fresh.key_dates;
        snapshot.evaluators = fresh.evaluators;
        snapshot.catalog = fresh.catalog;
        snapshot.provider_package = fresh.provider_package;
        snapshot.closing = fresh.closing;
        snapshot.retention_days = fresh.retention_days;
        snapshot.personal_data_deleted_on = fresh.personal_data_deleted_on;
        snapshot.planned_interviews = super::notice::read(conn)?.1;
        snapshot.programme = super::catalog_copy::programme(conn)?;
    }
    if parts.catalog {
        read_catalog(conn, snapshot)?;
    }
    if parts.interviews {
        read_interviews(conn, snapshot)?;
    }
    if parts.documents {
        read_documents(conn, snapshot)?;
    }
    if parts.findings {
        read_findings(conn, snapshot)?;
    }
    if parts.meeting {
        read_meeting(conn, snapshot)?;
        snapshot.report_versions = super::report_versions::read(conn)?;
    }
    if parts.actions {
        read_actions(conn, snapshot)?;
    }
    if parts.outcomes {
        read_outcomes(conn, snapshot)?;
    }
    if parts.fidelity {
        snapshot.fidelity = super::fidelity::read(conn)?;
    }
    read_uuids(conn, snapshot, parts)?;
    Ok(())
}

/// The identities of the entities a command creates (`interview/3` → its UUID), for the
/// entities of `parts`; the others' stay as read before. A row an undo brought back from before
/// schema 10 has none stored yet: it gets the one its upgrade gives it.
fn read_uuids(
    conn: &Connection,
    snapshot: &mut CaseSnapshot,
    parts: Parts,
) -> rusqlite::Result<()> {
    use crate::domain::{ActionId, DocumentReviewId, ExcerptId, FindingId, InterviewId};
    for (table, entity, part) in [
        ("interview", InterviewId::ENTITY, parts.interviews),
        ("excerpt", ExcerptId::ENTITY, parts.interviews),
        ("document_review", DocumentReviewId::ENTITY, parts.documents),
        ("finding", FindingId::ENTITY, parts.findings),
        ("action", ActionId::ENTITY, parts.actions),
    ] {
        if !part {
            continue;
        }
        let prefix = format!("{entity}/");
        snapshot.uuids.retain(|key, _| !key.starts_with(&prefix));
        let mut statement = conn.prepare(&format!("SELECT id, uuid FROM {table}"))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let uuid = row
                .get::<_, Option<String>>(1)?
                .unwrap_or_else(|| super::stable_uuid(&snapshot.case_id, table, id));
            snapshot.uuids.insert(format!("{entity}/{id}"), uuid);
        }
    }
    Ok(())
}

fn read_header(conn: &Connection) -> rusqlite::Result<CaseSnapshot> {
    conn.query_row(
        "SELECT case_id, provider_name, org_number, measure, agreed_places, nav_unit,
                period_start, period_end, phase, feedback_meeting_date, plan_deadline, evaluators,
                catalog_id, catalog_version, catalog_title, self_evaluation, package_actions,
                closed_on, close_reason, retention_days, personal_data_deleted_on
         FROM case_info",
        [],
        |row| {
            let org_number: Option<String> = row.get(2)?;
            let catalog_id: Option<String> = row.get(12)?;
            Ok(CaseSnapshot {
                case_id: row.get(0)?,
                facts: CaseFacts {
                    provider_name: row.get(1)?,
                    // Stored only after validation; a number that no longer parses is dropped
                    // from the view rather than making the whole case unreadable.
                    org_number: org_number.and_then(|o| OrgNumber::parse(&o).ok()),
                    measure: row.get::<_, Code<_>>(3)?.0,
                    agreed_places: row.get(4)?,
                    nav_unit: row.get(5)?,
                    period_start: row.get(6)?,
                    period_end: row.get(7)?,
                    self_evaluation: row.get(15)?,
                },
                phase: row.get::<_, Code<_>>(8)?.0,
                key_dates: KeyDates {
                    feedback_meeting: row.get(9)?,
                    plan_deadline: row.get(10)?,
                },
                evaluators: row.get::<_, JsonList>(11)?.0,
                catalog: match catalog_id {
                    Some(id) => Some(CatalogInfo {
                        id,
                        version: row.get::<_, Option<String>>(13)?.unwrap_or_default(),
                        title: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
                    }),
                    None => None,
                },
                provider_package: row
                    .get::<_, Option<Json<Vec<crate::domain::ActionId>>>>(16)?
                    .map(|ids| ids.0),
                closing: row.get::<_, Option<jiff::civil::Date>>(17)?.map(|on| {
                    crate::domain::Closing {
                        on,
                        reason: row.get(18).unwrap_or_default(),
                    }
                }),
                retention_days: row.get(19)?,
                personal_data_deleted_on: row.get(20)?,
                ..CaseSnapshot::default()
            })
        },
    )
}

fn read_catalog(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    snapshot.areas = conn
        .prepare("SELECT code, title FROM requirement_area ORDER BY position")?
        .query_map([], |row| {
            Ok(RequirementArea {
                code: row.get(0)?,
                title: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    snapshot.requirements = conn
        .prepare(
            "SELECT id, area_code, code, title, text, guidance, evidence_sources, questions
             FROM requirement ORDER BY position",
        )?
        .query_map([], |row| {
            Ok(Requirement {
                id: row.get(0)?,
                area_code: row.get(1)?,
                code: row.get(2)?,
                title: row.get(3)?,
                text: row.get(4)?,
                guidance: row.get(5)?,
                evidence_sources: row.get::<_, JsonList>(6)?.0,
                questions: row.get::<_, Json<_>>(7)?.0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn read_interviews(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    let excerpt_links = links(
        conn,
        "SELECT excerpt_id, requirement_id, stance FROM excerpt_requirement
         ORDER BY excerpt_id, requirement_id",
    )?;
    let mut excerpts_by_interview: HashMap<i64, Vec<Excerpt>> = HashMap::new();
    let mut statement = conn.prepare(
        "SELECT id, interview_id, start_char, end_char, quote, shareable, anchored FROM excerpt
         ORDER BY interview_id, start_char, id",
    )?;
    let rows = statement.query_map([], |row| {
        let id: ExcerptId = row.get(0)?;
        Ok(Excerpt {
            id,
            interview_id: row.get(1)?,
            start_char: row.get::<_, i64>(2)? as usize,
            end_char: row.get::<_, i64>(3)? as usize,
            quote: row.get(4)?,
            shareable: row.get(5)?,
            anchored: row.get(6)?,
            links: excerpt_links.get(&id.0).cloned().unwrap_or_default(),
        })
    })?;
    for excerpt in rows {
        let excerpt = excerpt?;
        excerpts_by_interview
            .entry(excerpt.interview_id.0)
            .or_default()
            .push(excerpt);
    }

    let mut covered_by_interview: HashMap<i64, Vec<QuestionRef>> = HashMap::new();
    let mut statement = conn.prepare(
        "SELECT interview_id, requirement_id, question FROM interview_question
         ORDER BY interview_id, requirement_id, question",
    )?;
    for row in statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            QuestionRef {
                requirement_id: row.get(1)?,
                question: row.get::<_, i64>(2)? as usize,
            },
        ))
    })? {
        let (interview_id, question) = row?;
        covered_by_interview
            .entry(interview_id)
            .or_default()
            .push(question);
    }

    snapshot.interviews = conn
        .prepare(&format!(
            "SELECT {INTERVIEW_COLUMNS} FROM interview ORDER BY date, id"
        ))?
        .query_map([], |row| {
            let mut interview = interview_row(row)?;
            let id = interview.id.0;
            interview.excerpts = excerpts_by_interview.remove(&id).unwrap_or_default();
            interview.covered_questions = covered_by_interview.remove(&id).unwrap_or_default();
            Ok(interview)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn read_documents(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    snapshot.requested_documents = super::notice::read(conn)?.0;
    let document_links = links(
        conn,
        "SELECT document_review_id, requirement_id, stance FROM document_requirement
         ORDER BY document_review_id, requirement_id",
    )?;
    snapshot.document_reviews = conn
        .prepare(&format!("{DOCUMENT_ROWS} ORDER BY d.id"))?
        .query_map([], |row| {
            let mut review = document_row(row)?;
            review.links = document_links
                .get(&review.id.0)
                .cloned()
                .unwrap_or_default();
            Ok(review)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

const DOCUMENT_ROWS: &str =
    "SELECT d.id, d.title, d.kind, d.version_label, d.document_date, d.assessment,
            d.attachment_sha256, d.attachment_name, a.size_bytes, d.personal
     FROM document_review d LEFT JOIN attachment a ON a.sha256 = d.attachment_sha256";

/// A document review's own row (`DOCUMENT_ROWS`), without its requirement links.
fn document_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentReview> {
    let sha256: Option<String> = row.get(6)?;
    Ok(DocumentReview {
        id: row.get(0)?,
        fields: DocumentReviewFields {
            title: row.get(1)?,
            kind: row.get::<_, Code<_>>(2)?.0,
            version_label: row.get(3)?,
            document_date: row.get(4)?,
            assessment: row.get(5)?,
        },
        attachment: match sha256 {
            Some(sha256) => Some(AttachmentRef {
                sha256,
                file_name: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
                size_bytes: row.get::<_, Option<i64>>(8)?.unwrap_or(0) as u64,
            }),
            None => None,
        },
        links: Vec::new(),
        personal: row.get(9)?,
    })
}

/// The own rows of the document reviews `ids`, each put in place of the snapshot's with its
/// links kept; the part is read whole if one of them is not in the snapshot or the file.
fn read_document_rows(
    conn: &Connection,
    snapshot: &mut CaseSnapshot,
    ids: &[crate::domain::DocumentReviewId],
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(&format!("{DOCUMENT_ROWS} WHERE d.id = ?1"))?;
    for id in ids {
        let fresh = statement.query_row([id.0], document_row).optional()?;
        // Reviews are read in the order of their ids.
        let place = snapshot.document_reviews.binary_search_by_key(id, |r| r.id);
        match (fresh, place) {
            (Some(fresh), Ok(place)) => {
                let links = std::mem::take(&mut snapshot.document_reviews[place].links);
                snapshot.document_reviews[place] = DocumentReview { links, ..fresh };
            }
            _ => return read_documents(conn, snapshot),
        }
    }
    Ok(())
}

fn read_findings(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    let mut requirements_by_finding: HashMap<i64, Vec<crate::domain::RequirementId>> =
        HashMap::new();
    let mut statement = conn.prepare(
        "SELECT finding_id, requirement_id FROM finding_requirement ORDER BY finding_id, position",
    )?;
    for row in statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?)))? {
        let (finding_id, requirement_id) = row?;
        requirements_by_finding
            .entry(finding_id)
            .or_default()
            .push(requirement_id);
    }
    let mut evidence_by_finding: HashMap<i64, Vec<EvidenceRef>> = HashMap::new();
    let mut statement = conn.prepare(
        "SELECT finding_id, excerpt_id, document_review_id FROM finding_evidence
         ORDER BY finding_id, id",
    )?;
    for row in statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<ExcerptId>>(1)?,
            row.get::<_, Option<crate::domain::DocumentReviewId>>(2)?,
        ))
    })? {
        let (finding_id, excerpt_id, document_review_id) = row?;
        let evidence = match (excerpt_id, document_review_id) {
            (Some(e), _) => EvidenceRef::Excerpt(e),
            (None, Some(d)) => EvidenceRef::DocumentReview(d),
            (None, None) => continue, // excluded by the table's CHECK
        };
        evidence_by_finding
            .entry(finding_id)
            .or_default()
            .push(evidence);
    }
    snapshot.findings = conn
        .prepare(&format!(
            "SELECT {FINDING_COLUMNS} FROM finding ORDER BY id"
        ))?
        .query_map([], |row| {
            let mut finding = finding_row(row)?;
            finding.requirement_ids = requirements_by_finding
                .remove(&finding.id.0)
                .unwrap_or_default();
            finding.evidence = evidence_by_finding
                .remove(&finding.id.0)
                .unwrap_or_default();
            Ok(finding)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

const INTERVIEW_COLUMNS: &str = "id, date, role, interviewees, stage, setting, channel, notes";

/// An interview's own row (`INTERVIEW_COLUMNS`), without its excerpts and questions.
fn interview_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Interview> {
    Ok(Interview {
        id: row.get(0)?,
        fields: InterviewFields {
            date: row.get(1)?,
            role: row.get::<_, Code<_>>(2)?.0,
            interviewees: row.get::<_, JsonList>(3)?.0,
            stage: row.get::<_, Option<Code<_>>>(4)?.map(|c| c.0),
            setting: row.get::<_, Code<_>>(5)?.0,
            channel: row.get::<_, Code<_>>(6)?.0,
        },
        notes: row.get(7)?,
        excerpts: Vec::new(),
        covered_questions: Vec::new(),
    })
}

/// The own rows of the interviews `ids`, each put in place of the snapshot's with its excerpts
/// and questions kept, in the order a whole read gives; the part is read whole if one of them
/// is not in the snapshot or no longer in the file.
fn read_interview_rows(
    conn: &Connection,
    snapshot: &mut CaseSnapshot,
    ids: &[crate::domain::InterviewId],
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {INTERVIEW_COLUMNS} FROM interview WHERE id = ?1"
    ))?;
    for id in ids {
        let fresh = statement.query_row([id.0], interview_row).optional()?;
        let place = snapshot.interviews.iter().position(|i| i.id == *id);
        match (fresh, place) {
            (Some(fresh), Some(place)) => {
                let interview = &mut snapshot.interviews[place];
                interview.fields = fresh.fields;
                interview.notes = fresh.notes;
            }
            _ => return read_interviews(conn, snapshot),
        }
    }
    // Interviews are read in the order of their dates; an edit may have moved one.
    snapshot.interviews.sort_by_key(|i| (i.fields.date, i.id));
    Ok(())
}

const FINDING_COLUMNS: &str = "id, kind, title, description, fidelity_item, response, \
                               response_text, response_changed";

/// A finding's own row (`FINDING_COLUMNS`), without its links.
fn finding_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Finding> {
    let response = row
        .get::<_, Option<Code<crate::domain::ResponseStance>>>(5)?
        .map(|stance| crate::domain::ProviderResponse {
            stance: stance.0,
            text: row.get(6).unwrap_or_default(),
            changed: row.get(7).unwrap_or_default(),
        });
    Ok(Finding {
        id: row.get(0)?,
        kind: row.get::<_, Code<_>>(1)?.0,
        fields: FindingFields {
            title: row.get(2)?,
            description: row.get(3)?,
        },
        requirement_ids: Vec::new(),
        evidence: Vec::new(),
        fidelity_item: row.get(4)?,
        response,
    })
}

/// The own rows of the findings `ids`, each put in place of the snapshot's with its links kept;
/// the part is read whole if one of them is not in the snapshot or no longer in the file.
fn read_finding_rows(
    conn: &Connection,
    snapshot: &mut CaseSnapshot,
    ids: &[crate::domain::FindingId],
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {FINDING_COLUMNS} FROM finding WHERE id = ?1"
    ))?;
    for id in ids {
        let fresh = statement.query_row([id.0], finding_row).optional()?;
        // Findings are read in the order of their ids.
        let place = snapshot.findings.binary_search_by_key(id, |f| f.id);
        match (fresh, place) {
            (Some(fresh), Ok(place)) => {
                let finding = &mut snapshot.findings[place];
                finding.kind = fresh.kind;
                finding.fields = fresh.fields;
                finding.fidelity_item = fresh.fidelity_item;
                finding.response = fresh.response;
            }
            _ => return read_findings(conn, snapshot),
        }
    }
    Ok(())
}

fn read_meeting(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    snapshot.feedback_meeting = conn.query_row(
        "SELECT date, participants, summary, provider_comments FROM feedback_meeting",
        [],
        |row| {
            Ok(FeedbackMeeting {
                date: row.get(0)?,
                participants: row.get::<_, JsonList>(1)?.0,
                summary: row.get(2)?,
                provider_comments: row.get(3)?,
            })
        },
    )?;
    Ok(())
}

const ACTION_COLUMNS: &str =
    "id, finding_id, description, owner, due_date, status, closure_evidence, nav_comment";

fn action_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Action> {
    Ok(Action {
        id: row.get(0)?,
        finding_id: row.get(1)?,
        fields: ActionFields {
            description: row.get(2)?,
            owner: row.get(3)?,
            due_date: row.get(4)?,
            status: row.get::<_, Code<_>>(5)?.0,
            closure_evidence: row.get(6)?,
            nav_comment: row.get(7)?,
        },
    })
}

/// The rows of the actions `ids`, each put in place of the snapshot's, in the order a whole
/// read gives; the part is read whole if one of them is not in the snapshot or the file.
fn read_action_rows(
    conn: &Connection,
    snapshot: &mut CaseSnapshot,
    ids: &[crate::domain::ActionId],
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {ACTION_COLUMNS} FROM action WHERE id = ?1"
    ))?;
    for id in ids {
        let fresh = statement.query_row([id.0], action_row).optional()?;
        let place = snapshot.actions.iter().position(|a| a.id == *id);
        match (fresh, place) {
            (Some(fresh), Some(place)) => snapshot.actions[place] = fresh,
            _ => return read_actions(conn, snapshot),
        }
    }
    snapshot.actions.sort_by_key(|a| (a.finding_id, a.id));
    Ok(())
}

fn read_actions(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    snapshot.actions = conn
        .prepare(&format!(
            "SELECT {ACTION_COLUMNS} FROM action ORDER BY finding_id, id"
        ))?
        .query_map([], action_row)?
        .collect::<rusqlite::Result<_>>()?;
    snapshot.imported_rows = conn
        .prepare("SELECT fingerprint, action_id, imported_on FROM plan_import_row ORDER BY id")?
        .query_map([], |row| {
            Ok(ImportedRow {
                fingerprint: row.get(0)?,
                action_id: row.get(1)?,
                imported_on: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn read_outcomes(conn: &Connection, snapshot: &mut CaseSnapshot) -> rusqlite::Result<()> {
    snapshot.outcomes = conn
        .prepare("SELECT year, ended, to_work, to_education, to_other FROM outcome ORDER BY year")?
        .query_map([], |row| {
            Ok(Outcome {
                year: row.get(0)?,
                ended: row.get(1)?,
                to_work: row.get(2)?,
                to_education: row.get(3)?,
                to_other: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

/// Requirement links of excerpts or documents, grouped by the owning row's id.
fn links(conn: &Connection, sql: &str) -> rusqlite::Result<HashMap<i64, Vec<RequirementLink>>> {
    let mut by_owner: HashMap<i64, Vec<RequirementLink>> = HashMap::new();
    let mut statement = conn.prepare(sql)?;
    for row in statement.query_map(params![], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            RequirementLink {
                requirement_id: row.get(1)?,
                stance: row.get::<_, Code<_>>(2)?.0,
            },
        ))
    })? {
        let (owner, link) = row?;
        by_owner.entry(owner).or_default().push(link);
    }
    Ok(by_owner)
}

/// The follow-up record of action statuses (schema v6), oldest first.
pub(super) fn status_changes(conn: &Connection) -> rusqlite::Result<Vec<StatusChange>> {
    conn.prepare("SELECT action_id, status, changed_on FROM action_status_change ORDER BY seq")?
        .query_map([], |row| {
            Ok(StatusChange {
                action_id: row.get(0)?,
                status: row.get::<_, Code<_>>(1)?.0,
                on: row.get(2)?,
            })
        })?
        .collect()
}
