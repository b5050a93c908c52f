//! The SQL behind each command. Runs inside the transaction `CaseStore::apply` opened; any error
//! rolls the whole command back.

use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, params};

use super::StoreError;
use super::sql_types::{Code, Json, JsonList};
use crate::command::Command;
use crate::domain::interview::char_span;
use crate::domain::{
    ActionFields, DocumentReviewFields, DocumentReviewId, EntityRef, EvidenceRef, ExcerptId,
    FindingId, FindingKind, InterviewFields, InterviewId, Question, Rejection, RequirementId,
    RequirementLink,
};

pub(super) enum ApplyError {
    Rejected(Rejection),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for ApplyError {
    fn from(e: rusqlite::Error) -> Self {
        ApplyError::Sql(e)
    }
}

impl ApplyError {
    pub(super) fn into_store_error(self, path: &Path) -> StoreError {
        match self {
            ApplyError::Rejected(reason) => StoreError::Rejected(reason),
            ApplyError::Sql(source) => super::sql_err(path, source),
        }
    }
}

pub(super) type Result<T> = std::result::Result<T, ApplyError>;

pub(super) fn reject<T>(rejection: Rejection) -> Result<T> {
    Err(ApplyError::Rejected(rejection))
}

fn check(rule: std::result::Result<(), Rejection>) -> Result<()> {
    rule.map_err(ApplyError::Rejected)
}

/// Applies one command; returns the entity it created or changed.
pub(super) fn apply(tx: &Transaction<'_>, command: &Command) -> Result<String> {
    let is_plan_command = matches!(
        command,
        Command::AddAction { .. }
            | Command::UpdateAction { .. }
            | Command::SetActionStatus { .. }
            | Command::DeleteAction { .. }
            | Command::UpdatePlan { .. }
    );
    if !is_plan_command {
        let package: Option<String> =
            tx.query_row("SELECT package_actions FROM case_info", [], |row| {
                row.get(0)
            })?;
        if package.is_some() {
            return reject(Rejection::ProviderPackage);
        }
    }
    match command {
        Command::UpdateCaseFacts { facts } => {
            check(facts.validate())?;
            tx.execute(
                "UPDATE case_info SET provider_name = ?1, org_number = ?2, measure = ?3,
                 agreed_places = ?4, nav_unit = ?5, period_start = ?6, period_end = ?7,
                 self_evaluation = ?8",
                params![
                    facts.provider_name.trim(),
                    facts.org_number.as_ref().map(|o| o.as_str().to_owned()),
                    Code(facts.measure),
                    facts.agreed_places,
                    facts.nav_unit.trim(),
                    facts.period_start,
                    facts.period_end,
                    facts.self_evaluation,
                ],
            )?;
            Ok("case".into())
        }
        Command::SetPhase { phase } => {
            tx.execute("UPDATE case_info SET phase = ?1", [Code(*phase)])?;
            Ok("case".into())
        }
        Command::SetKeyDates { key_dates } => {
            tx.execute(
                "UPDATE case_info SET feedback_meeting_date = ?1, plan_deadline = ?2",
                params![key_dates.feedback_meeting, key_dates.plan_deadline],
            )?;
            Ok("case".into())
        }
        Command::SetEvaluators { evaluators } => {
            let cleaned: Vec<String> = evaluators
                .iter()
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty())
                .collect();
            tx.execute("UPDATE case_info SET evaluators = ?1", [JsonList(cleaned)])?;
            Ok("case".into())
        }
        Command::AdoptCatalog { catalog } => super::catalog_copy::adopt(tx, catalog),
        Command::UpdateCatalog { catalog } => super::catalog_copy::update(tx, catalog),
        Command::SetQuestionCovered {
            interview_id,
            requirement_id,
            question,
            covered,
        } => {
            require_interview(tx, *interview_id)?;
            let questions: Json<Vec<Question>> = tx
                .query_row(
                    "SELECT questions FROM requirement WHERE id = ?1",
                    [requirement_id],
                    |row| row.get(0),
                )
                .optional()?
                .map_or_else(|| reject(missing(*requirement_id)), Ok)?;
            if *question >= questions.0.len() {
                return reject(Rejection::NoGuideQuestion {
                    requirement: *requirement_id,
                    questions: questions.0.len(),
                    question: question + 1,
                });
            }
            if *covered {
                tx.execute(
                    "INSERT OR IGNORE INTO interview_question (interview_id, requirement_id, question)
                     VALUES (?1, ?2, ?3)",
                    params![interview_id, requirement_id, *question as i64],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM interview_question
                     WHERE interview_id = ?1 AND requirement_id = ?2 AND question = ?3",
                    params![interview_id, requirement_id, *question as i64],
                )?;
            }
            Ok(interview_id.to_string())
        }
        Command::AdoptFidelityScale { catalog } => super::fidelity::adopt(tx, catalog),
        Command::SetFidelityScore {
            item_id,
            rater,
            score,
            rationale,
            evidence,
        } => super::fidelity::set_score(tx, *item_id, *rater, *score, rationale, evidence),
        Command::ClearFidelityScore { item_id, rater } => {
            super::fidelity::clear_score(tx, *item_id, *rater)
        }
        Command::SealFidelityScores { rater } => super::fidelity::seal(tx, *rater),
        Command::UnsealFidelityScores { rater } => super::fidelity::unseal(tx, *rater),
        Command::SetFidelityRecommendation {
            item_id,
            recommendation,
        } => super::fidelity::set_recommendation(tx, *item_id, recommendation),
        Command::AddFindingFromFidelityItem { item_id, kind } => {
            super::fidelity::add_finding_from_item(tx, *item_id, *kind)
        }
        Command::CloseCase { reason } => {
            let closed: Option<String> =
                tx.query_row("SELECT closed_on FROM case_info", [], |row| row.get(0))?;
            if closed.is_some() {
                return reject(Rejection::AlreadyClosed);
            }
            let open: i64 = tx.query_row(
                "SELECT count(*) FROM action WHERE status != 'verified_closed'",
                [],
                |row| row.get(0),
            )?;
            if open > 0 && reason.trim().is_empty() {
                return reject(Rejection::PlanNotClosed {
                    open: open as usize,
                });
            }
            tx.execute(
                "UPDATE case_info SET phase = 'closed', closed_on = evalbench_record_day(),
                                      close_reason = ?1",
                [reason.trim()],
            )?;
            Ok(crate::domain::ids::EntityRef::Case.to_string())
        }
        Command::ReopenCase => {
            let closed: Option<String> =
                tx.query_row("SELECT closed_on FROM case_info", [], |row| row.get(0))?;
            if closed.is_none() {
                return reject(Rejection::NotClosed);
            }
            tx.execute(
                "UPDATE case_info SET phase = 'plan_follow_up', closed_on = NULL, close_reason = ''",
                [],
            )?;
            Ok(crate::domain::ids::EntityRef::Case.to_string())
        }
        Command::SetRetention { days } => {
            if let Some(days) = days.filter(|d| !(1..=3650).contains(d)) {
                return reject(Rejection::RetentionOutOfRange { days });
            }
            tx.execute("UPDATE case_info SET retention_days = ?1", [days])?;
            Ok(crate::domain::ids::EntityRef::Case.to_string())
        }
        Command::KeepReportVersion {
            kind,
            answer_by,
            made_by,
            file_name,
            sha256,
        } => super::report_versions::keep(tx, *kind, *answer_by, made_by, file_name, sha256),

        Command::MergeCopy { merge } => {
            super::merge::write_step(tx, merge)?;
            Ok(crate::domain::ids::EntityRef::Case.to_string())
        }

        Command::AddInterview { interview, notes } => {
            check(interview.validate(&super::catalog_copy::programme(tx)?))?;
            tx.execute(
                "INSERT INTO interview (date, role, interviewees, stage, setting, channel, notes, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    interview.date,
                    Code(&interview.role),
                    JsonList(interview.interviewees.clone()),
                    interview.stage.as_ref().map(Code),
                    Code(interview.setting),
                    Code(interview.channel),
                    notes,
                    super::new_uuid(),
                ],
            )?;
            Ok(InterviewId(tx.last_insert_rowid()).to_string())
        }
        Command::UpdateInterview {
            interview_id,
            interview,
        } => {
            require_interview(tx, *interview_id)?;
            update_interview(tx, *interview_id, interview)?;
            Ok(interview_id.to_string())
        }
        Command::SetInterviewNotes {
            interview_id,
            notes,
        } => {
            require_interview(tx, *interview_id)?;
            tx.execute(
                "UPDATE interview SET notes = ?1 WHERE id = ?2",
                params![notes, interview_id],
            )?;
            reanchor_excerpts(tx, *interview_id, notes)?;
            Ok(interview_id.to_string())
        }
        Command::DeleteInterview { interview_id } => {
            require_interview(tx, *interview_id)?;
            tx.execute("DELETE FROM interview WHERE id = ?1", [interview_id])?;
            Ok(interview_id.to_string())
        }
        Command::AddExcerpt {
            interview_id,
            start_char,
            end_char,
            links,
            shareable,
        } => {
            let notes: String = tx
                .query_row(
                    "SELECT notes FROM interview WHERE id = ?1",
                    [interview_id],
                    |row| row.get(0),
                )
                .optional()?
                .map_or_else(|| reject(missing(*interview_id)), Ok)?;
            let Some(quote) = char_span(&notes, *start_char, *end_char) else {
                return reject(Rejection::ExcerptOutsideNotes {
                    interview: *interview_id,
                    start_char: *start_char,
                    end_char: *end_char,
                    length_chars: notes.chars().count(),
                });
            };
            tx.execute(
                "INSERT INTO excerpt (interview_id, start_char, end_char, quote, shareable, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    interview_id,
                    *start_char as i64,
                    *end_char as i64,
                    quote,
                    shareable,
                    super::new_uuid()
                ],
            )?;
            let excerpt_id = ExcerptId(tx.last_insert_rowid());
            for link in links {
                link_excerpt(tx, excerpt_id, *link)?;
            }
            Ok(excerpt_id.to_string())
        }
        Command::LinkExcerpt { excerpt_id, link } => {
            require_excerpt(tx, *excerpt_id)?;
            link_excerpt(tx, *excerpt_id, *link)?;
            Ok(excerpt_id.to_string())
        }
        Command::UnlinkExcerpt {
            excerpt_id,
            requirement_id,
        } => {
            let removed = tx.execute(
                "DELETE FROM excerpt_requirement WHERE excerpt_id = ?1 AND requirement_id = ?2",
                params![excerpt_id, requirement_id],
            )?;
            if removed == 0 {
                return reject(Rejection::NotLinked {
                    entity: (*excerpt_id).into(),
                    requirement: *requirement_id,
                });
            }
            Ok(excerpt_id.to_string())
        }
        Command::SetExcerptShareable {
            excerpt_id,
            shareable,
        } => {
            require_excerpt(tx, *excerpt_id)?;
            tx.execute(
                "UPDATE excerpt SET shareable = ?1 WHERE id = ?2",
                params![shareable, excerpt_id],
            )?;
            Ok(excerpt_id.to_string())
        }
        Command::DeleteExcerpt { excerpt_id } => {
            require_excerpt(tx, *excerpt_id)?;
            tx.execute("DELETE FROM excerpt WHERE id = ?1", [excerpt_id])?;
            Ok(excerpt_id.to_string())
        }

        Command::AddDocumentReview { review } => {
            check(review.validate())?;
            tx.execute(
                "INSERT INTO document_review (title, kind, version_label, document_date, assessment, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    review.title.trim(),
                    Code(review.kind),
                    review.version_label,
                    review.document_date,
                    review.assessment,
                    super::new_uuid()
                ],
            )?;
            Ok(DocumentReviewId(tx.last_insert_rowid()).to_string())
        }
        Command::UpdateDocumentReview {
            document_review_id,
            review,
        } => {
            require_document(tx, *document_review_id)?;
            update_document(tx, *document_review_id, review)?;
            Ok(document_review_id.to_string())
        }
        Command::AttachFile {
            document_review_id,
            attachment,
        } => {
            require_document(tx, *document_review_id)?;
            let stored: Option<i64> = tx
                .query_row(
                    "SELECT size_bytes FROM attachment WHERE sha256 = ?1",
                    [&attachment.sha256],
                    |row| row.get(0),
                )
                .optional()?;
            if stored.is_none() {
                return reject(Rejection::NoStoredFile {
                    sha256: attachment.sha256.clone(),
                });
            }
            tx.execute(
                "UPDATE document_review SET attachment_sha256 = ?1, attachment_name = ?2 WHERE id = ?3",
                params![attachment.sha256, attachment.file_name, document_review_id],
            )?;
            Ok(document_review_id.to_string())
        }
        Command::DetachFile { document_review_id } => {
            require_document(tx, *document_review_id)?;
            tx.execute(
                "UPDATE document_review SET attachment_sha256 = NULL, attachment_name = NULL WHERE id = ?1",
                [document_review_id],
            )?;
            Ok(document_review_id.to_string())
        }
        Command::LinkDocument {
            document_review_id,
            link,
        } => {
            require_document(tx, *document_review_id)?;
            require_requirement(tx, link.requirement_id)?;
            tx.execute(
                "INSERT INTO document_requirement (document_review_id, requirement_id, stance)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (document_review_id, requirement_id) DO UPDATE SET stance = excluded.stance",
                params![document_review_id, link.requirement_id, Code(link.stance)],
            )?;
            Ok(document_review_id.to_string())
        }
        Command::UnlinkDocument {
            document_review_id,
            requirement_id,
        } => {
            let removed = tx.execute(
                "DELETE FROM document_requirement WHERE document_review_id = ?1 AND requirement_id = ?2",
                params![document_review_id, requirement_id],
            )?;
            if removed == 0 {
                return reject(Rejection::NotLinked {
                    entity: (*document_review_id).into(),
                    requirement: *requirement_id,
                });
            }
            Ok(document_review_id.to_string())
        }
        Command::DeleteDocumentReview { document_review_id } => {
            require_document(tx, *document_review_id)?;
            tx.execute(
                "DELETE FROM document_review WHERE id = ?1",
                [document_review_id],
            )?;
            Ok(document_review_id.to_string())
        }
        Command::RequestDocuments { titles } => super::notice::request(tx, titles),
        Command::RemoveRequestedDocument {
            requested_document_id,
        } => super::notice::remove(tx, *requested_document_id),
        Command::SetDocumentReceived {
            requested_document_id,
            received_on,
        } => super::notice::set_received(tx, *requested_document_id, *received_on),
        Command::StartReviewFromRequest {
            requested_document_id,
            kind,
        } => super::notice::start_review(tx, *requested_document_id, *kind),
        Command::SetPlannedInterviews { role, count } => {
            super::notice::set_planned(tx, role, *count)
        }
        Command::SetDocumentPersonal {
            document_review_id,
            personal,
        } => {
            require_document(tx, *document_review_id)?;
            tx.execute(
                "UPDATE document_review SET personal = ?2 WHERE id = ?1",
                params![document_review_id, personal],
            )?;
            Ok(document_review_id.to_string())
        }

        Command::AddFinding {
            kind,
            finding,
            requirement_ids,
            evidence,
        } => {
            check(finding.validate())?;
            tx.execute(
                "INSERT INTO finding (kind, title, description, uuid) VALUES (?1, ?2, ?3, ?4)",
                params![
                    Code(*kind),
                    finding.title.trim(),
                    finding.description,
                    super::new_uuid()
                ],
            )?;
            let finding_id = FindingId(tx.last_insert_rowid());
            set_finding_requirements(tx, finding_id, requirement_ids)?;
            for evidence in evidence {
                link_evidence(tx, finding_id, *evidence)?;
            }
            Ok(finding_id.to_string())
        }
        Command::UpdateFinding {
            finding_id,
            finding,
        } => {
            require_finding(tx, *finding_id)?;
            check(finding.validate())?;
            tx.execute(
                "UPDATE finding SET title = ?1, description = ?2 WHERE id = ?3",
                params![finding.title.trim(), finding.description, finding_id],
            )?;
            Ok(finding_id.to_string())
        }
        Command::SetFindingResponse {
            finding_id,
            response,
        } => {
            require_finding(tx, *finding_id)?;
            tx.execute(
                "UPDATE finding SET response = ?1, response_text = ?2, response_changed = ?3
                 WHERE id = ?4",
                params![
                    response.as_ref().map(|r| Code(r.stance)),
                    response.as_ref().map_or("", |r| r.text.trim()),
                    response.as_ref().is_some_and(|r| r.changed),
                    finding_id
                ],
            )?;
            Ok(finding_id.to_string())
        }
        Command::SetFindingKind { finding_id, kind } => {
            require_finding(tx, *finding_id)?;
            let actions = action_count(tx, *finding_id)?;
            if *kind != FindingKind::Deviation && actions > 0 {
                return reject(Rejection::KindHasActions {
                    finding: *finding_id,
                    actions: actions as usize,
                });
            }
            tx.execute(
                "UPDATE finding SET kind = ?1 WHERE id = ?2",
                params![Code(*kind), finding_id],
            )?;
            Ok(finding_id.to_string())
        }
        Command::SetFindingRequirements {
            finding_id,
            requirement_ids,
        } => {
            require_finding(tx, *finding_id)?;
            set_finding_requirements(tx, *finding_id, requirement_ids)?;
            Ok(finding_id.to_string())
        }
        Command::LinkEvidence {
            finding_id,
            evidence,
        } => {
            require_finding(tx, *finding_id)?;
            link_evidence(tx, *finding_id, *evidence)?;
            Ok(finding_id.to_string())
        }
        Command::UnlinkEvidence {
            finding_id,
            evidence,
        } => {
            let removed = match evidence {
                EvidenceRef::Excerpt(excerpt_id) => tx.execute(
                    "DELETE FROM finding_evidence WHERE finding_id = ?1 AND excerpt_id = ?2",
                    params![finding_id, excerpt_id],
                )?,
                EvidenceRef::DocumentReview(document_review_id) => tx.execute(
                    "DELETE FROM finding_evidence WHERE finding_id = ?1 AND document_review_id = ?2",
                    params![finding_id, document_review_id],
                )?,
            };
            if removed == 0 {
                return reject(Rejection::EvidenceNotLinked {
                    finding: *finding_id,
                });
            }
            Ok(finding_id.to_string())
        }
        Command::DeleteFinding { finding_id } => {
            require_finding(tx, *finding_id)?;
            let actions = action_count(tx, *finding_id)?;
            if actions > 0 {
                return reject(Rejection::FindingHasActions {
                    finding: *finding_id,
                    actions: actions as usize,
                });
            }
            tx.execute("DELETE FROM finding WHERE id = ?1", [finding_id])?;
            Ok(finding_id.to_string())
        }

        Command::SetFeedbackMeeting { meeting } => {
            tx.execute(
                "UPDATE feedback_meeting SET date = ?1, participants = ?2, summary = ?3,
                 provider_comments = ?4",
                params![
                    meeting.date,
                    JsonList(meeting.participants.clone()),
                    meeting.summary,
                    meeting.provider_comments
                ],
            )?;
            Ok("feedback_meeting".into())
        }

        Command::AddAction { finding_id, action } => {
            check(action.validate())?;
            let kind = require_finding(tx, *finding_id)?;
            if kind != FindingKind::Deviation {
                return reject(Rejection::NotADeviation {
                    finding: *finding_id,
                });
            }
            tx.execute(
                "INSERT INTO action (finding_id, description, owner, due_date, status,
                 closure_evidence, nav_comment, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    finding_id,
                    action.description.trim(),
                    action.owner.trim(),
                    action.due_date,
                    Code(action.status),
                    action.closure_evidence,
                    action.nav_comment,
                    super::new_uuid()
                ],
            )?;
            Ok(crate::domain::ActionId(tx.last_insert_rowid()).to_string())
        }
        Command::UpdateAction { action_id, action } => {
            check(action.validate())?;
            update_action(tx, *action_id, action)?;
            Ok(action_id.to_string())
        }
        Command::SetActionStatus { action_id, status } => {
            let changed = tx.execute(
                "UPDATE action SET status = ?1 WHERE id = ?2",
                params![Code(*status), action_id],
            )?;
            if changed == 0 {
                return reject(missing(*action_id));
            }
            Ok(action_id.to_string())
        }
        Command::UpdatePlan { update } => {
            for action_id in &update.remove {
                if tx.execute("DELETE FROM action WHERE id = ?1", [action_id])? == 0 {
                    return reject(missing(*action_id));
                }
            }
            for (action_id, action) in &update.change {
                check(action.validate())?;
                update_action(tx, *action_id, action)?;
            }
            if !update.imported_rows.is_empty() && update.imported_rows.len() != update.add.len() {
                return reject(Rejection::ImportedRowsMismatch {
                    rows: update.imported_rows.len(),
                    actions: update.add.len(),
                });
            }
            for (index, (finding_id, action)) in update.add.iter().enumerate() {
                apply(
                    tx,
                    &Command::AddAction {
                        finding_id: *finding_id,
                        action: action.clone(),
                    },
                )?;
                if let Some(fingerprint) = update.imported_rows.get(index) {
                    let action_id = crate::domain::ActionId(tx.last_insert_rowid());
                    remember_imported_row(tx, action_id, fingerprint)?;
                }
            }
            Ok("plan".into())
        }
        Command::DeleteAction { action_id } => {
            if tx.execute("DELETE FROM action WHERE id = ?1", [action_id])? == 0 {
                return reject(missing(*action_id));
            }
            Ok(action_id.to_string())
        }

        Command::SetOutcome { outcome } => {
            check(outcome.validate())?;
            tx.execute(
                "INSERT INTO outcome (year, ended, to_work, to_education, to_other)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (year) DO UPDATE SET ended = excluded.ended, to_work = excluded.to_work,
                 to_education = excluded.to_education, to_other = excluded.to_other",
                params![
                    outcome.year,
                    outcome.ended,
                    outcome.to_work,
                    outcome.to_education,
                    outcome.to_other
                ],
            )?;
            Ok(format!("outcome/{}", outcome.year))
        }
        Command::RemoveOutcome { year } => {
            if tx.execute("DELETE FROM outcome WHERE year = ?1", [year])? == 0 {
                return reject(Rejection::NoOutcomes { year: *year });
            }
            Ok(format!("outcome/{year}"))
        }
    }
}

fn update_interview(tx: &Transaction<'_>, id: InterviewId, fields: &InterviewFields) -> Result<()> {
    check(fields.validate(&super::catalog_copy::programme(tx)?))?;
    tx.execute(
        "UPDATE interview SET date = ?1, role = ?2, interviewees = ?3, stage = ?4, setting = ?5,
         channel = ?6 WHERE id = ?7",
        params![
            fields.date,
            Code(&fields.role),
            JsonList(fields.interviewees.clone()),
            fields.stage.as_ref().map(Code),
            Code(fields.setting),
            Code(fields.channel),
            id
        ],
    )?;
    Ok(())
}

/// After the notes change, each excerpt keeps its offsets if its quote is still there, moves to
/// the occurrence of its quote nearest the old place, or is marked unanchored (never deleted).
pub(super) fn reanchor_excerpts(
    tx: &Transaction<'_>,
    interview_id: InterviewId,
    notes: &str,
) -> Result<()> {
    let mut select = tx.prepare_cached(
        "SELECT id, start_char, end_char, quote, anchored FROM excerpt WHERE interview_id = ?1",
    )?;
    let excerpts = select
        .query_map([interview_id], |row| {
            Ok((
                row.get::<_, ExcerptId>(0)?,
                row.get::<_, i64>(1)? as usize,
                row.get::<_, i64>(2)? as usize,
                row.get::<_, String>(3)?,
                row.get::<_, bool>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if excerpts.is_empty() {
        return Ok(());
    }
    // The byte offset of every character (and the end), once per text: a long interview's
    // notes hold many excerpts.
    let offsets: Vec<usize> = notes
        .char_indices()
        .map(|(i, _)| i)
        .chain([notes.len()])
        .collect();
    let span = |start: usize, end: usize| {
        (start < end && end < offsets.len()).then(|| &notes[offsets[start]..offsets[end]])
    };
    for (excerpt_id, start, end, quote, anchored) in excerpts {
        let place = if span(start, end) == Some(quote.as_str()) {
            Some((start, end))
        } else {
            nearest_occurrence(notes, &offsets, &quote, start)
        };
        // Written only where something changed: each write is a row in the undo log.
        match place {
            Some((new_start, new_end)) if (new_start, new_end, true) != (start, end, anchored) => {
                tx.prepare_cached(
                    "UPDATE excerpt SET start_char = ?1, end_char = ?2, anchored = 1 WHERE id = ?3",
                )?
                .execute(params![new_start as i64, new_end as i64, excerpt_id])?;
            }
            None if anchored => {
                tx.prepare_cached("UPDATE excerpt SET anchored = 0 WHERE id = ?1")?
                    .execute([excerpt_id])?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The occurrence of `quote` in `text` nearest to character `old_start`, as a character span.
/// `offsets` holds the byte offset of each character of `text`.
fn nearest_occurrence(
    text: &str,
    offsets: &[usize],
    quote: &str,
    old_start: usize,
) -> Option<(usize, usize)> {
    if quote.is_empty() {
        return None;
    }
    let quote_chars = quote.chars().count();
    let mut best: Option<(usize, usize)> = None;
    // Overlapping occurrences count too: the search goes on one character after each.
    let mut from_byte = 0;
    while let Some(found) = text.get(from_byte..).and_then(|rest| rest.find(quote)) {
        let byte = from_byte + found;
        if let Ok(start) = offsets.binary_search(&byte)
            && best.is_none_or(|(b, _)| start.abs_diff(old_start) < b.abs_diff(old_start))
        {
            best = Some((start, start + quote_chars));
        }
        from_byte = byte + quote.chars().next().map_or(1, char::len_utf8);
    }
    best
}

fn link_excerpt(tx: &Transaction<'_>, excerpt_id: ExcerptId, link: RequirementLink) -> Result<()> {
    require_requirement(tx, link.requirement_id)?;
    tx.execute(
        "INSERT INTO excerpt_requirement (excerpt_id, requirement_id, stance) VALUES (?1, ?2, ?3)
         ON CONFLICT (excerpt_id, requirement_id) DO UPDATE SET stance = excluded.stance",
        params![excerpt_id, link.requirement_id, Code(link.stance)],
    )?;
    Ok(())
}

fn update_document(
    tx: &Transaction<'_>,
    id: DocumentReviewId,
    review: &DocumentReviewFields,
) -> Result<()> {
    check(review.validate())?;
    tx.execute(
        "UPDATE document_review SET title = ?1, kind = ?2, version_label = ?3, document_date = ?4,
         assessment = ?5 WHERE id = ?6",
        params![
            review.title.trim(),
            Code(review.kind),
            review.version_label,
            review.document_date,
            review.assessment,
            id
        ],
    )?;
    Ok(())
}

fn set_finding_requirements(
    tx: &Transaction<'_>,
    finding_id: FindingId,
    requirement_ids: &[RequirementId],
) -> Result<()> {
    tx.execute(
        "DELETE FROM finding_requirement WHERE finding_id = ?1",
        [finding_id],
    )?;
    for (position, requirement_id) in requirement_ids.iter().enumerate() {
        require_requirement(tx, *requirement_id)?;
        tx.execute(
            "INSERT OR IGNORE INTO finding_requirement (finding_id, requirement_id, position)
             VALUES (?1, ?2, ?3)",
            params![finding_id, requirement_id, position as i64],
        )?;
    }
    Ok(())
}

fn update_action(
    tx: &Transaction<'_>,
    action_id: crate::domain::ActionId,
    action: &ActionFields,
) -> Result<()> {
    let changed = tx.execute(
        "UPDATE action SET description = ?1, owner = ?2, due_date = ?3, status = ?4,
         closure_evidence = ?5, nav_comment = ?6 WHERE id = ?7",
        params![
            action.description.trim(),
            action.owner.trim(),
            action.due_date,
            Code(action.status),
            action.closure_evidence,
            action.nav_comment,
            action_id
        ],
    )?;
    if changed == 0 {
        return reject(missing(action_id));
    }
    Ok(())
}

/// Records that an import added `action_id` from the row with `fingerprint`, today (the day
/// status changes are recorded on).
fn remember_imported_row(
    tx: &Transaction<'_>,
    action_id: crate::domain::ActionId,
    fingerprint: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO plan_import_row (fingerprint, action_id, imported_on, uuid)
         VALUES (?1, ?2, evalbench_record_day(), ?3)",
        params![fingerprint, action_id, super::new_uuid()],
    )?;
    Ok(())
}

fn action_count(tx: &Transaction<'_>, finding_id: FindingId) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT count(*) FROM action WHERE finding_id = ?1",
        [finding_id],
        |row| row.get(0),
    )?)
}

/// The entity a command names is not in the case.
pub(super) fn missing(entity: impl Into<EntityRef>) -> Rejection {
    Rejection::Missing {
        entity: entity.into(),
    }
}

pub(super) fn require_row(
    tx: &Transaction<'_>,
    table: &str,
    id: i64,
    entity: EntityRef,
) -> Result<()> {
    let found: Option<i64> = tx
        .query_row(
            &format!("SELECT 1 FROM {table} WHERE id = ?1"),
            [id],
            |row| row.get(0),
        )
        .optional()?;
    match found {
        Some(_) => Ok(()),
        None => reject(Rejection::Missing { entity }),
    }
}

fn require_interview(tx: &Transaction<'_>, id: InterviewId) -> Result<()> {
    require_row(tx, "interview", id.0, id.into())
}

fn require_excerpt(tx: &Transaction<'_>, id: ExcerptId) -> Result<()> {
    require_row(tx, "excerpt", id.0, id.into())
}

fn require_document(tx: &Transaction<'_>, id: DocumentReviewId) -> Result<()> {
    require_row(tx, "document_review", id.0, id.into())
}

fn require_requirement(tx: &Transaction<'_>, id: RequirementId) -> Result<()> {
    require_row(tx, "requirement", id.0, id.into())
}

/// Returns the finding's kind, or rejects when it does not exist.
fn require_finding(tx: &Transaction<'_>, id: FindingId) -> Result<FindingKind> {
    let kind: Option<Code<FindingKind>> = tx
        .query_row("SELECT kind FROM finding WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?;
    match kind {
        Some(Code(kind)) => Ok(kind),
        None => reject(missing(id)),
    }
}

pub(super) fn link_evidence(
    tx: &Transaction<'_>,
    finding_id: FindingId,
    evidence: EvidenceRef,
) -> Result<()> {
    match evidence {
        EvidenceRef::Excerpt(excerpt_id) => {
            require_excerpt(tx, excerpt_id)?;
            tx.execute(
                "INSERT OR IGNORE INTO finding_evidence (finding_id, excerpt_id) VALUES (?1, ?2)",
                params![finding_id, excerpt_id],
            )?;
        }
        EvidenceRef::DocumentReview(document_review_id) => {
            require_document(tx, document_review_id)?;
            tx.execute(
                "INSERT OR IGNORE INTO finding_evidence (finding_id, document_review_id) VALUES (?1, ?2)",
                params![finding_id, document_review_id],
            )?;
        }
    }
    Ok(())
}
