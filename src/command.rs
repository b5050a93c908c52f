//! Every change to a case, as a value. The store applies one `Command` per transaction and
//! records it in the case's journal; that single door is what autosave, undo/redo, the audit log
//! and scripted import (`evalbench apply`) all build on. The serde form is the JSONL scripting
//! format documented in the README, so variants and field names are stable: only ever add.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::domain::DocumentKind;
use crate::domain::{
    ActionFields, ActionId, ActionStatus, AttachmentRef, CaseFacts, DocumentReviewFields,
    DocumentReviewId, EvidenceRef, ExcerptId, FeedbackMeeting, FidelityItemId, FindingFields,
    FindingId, FindingKind, InterviewFields, InterviewId, KeyDates, Outcome, Phase,
    ProviderResponse, Rater, ReportKind, RequestedDocumentId, RequirementId, RequirementLink,
    RoleId,
};
use crate::merge::MergeStep;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    // --- the case ---
    UpdateCaseFacts {
        facts: CaseFacts,
    },
    SetPhase {
        phase: Phase,
    },
    SetKeyDates {
        key_dates: KeyDates,
    },
    SetEvaluators {
        evaluators: Vec<String>,
    },
    /// Copies a catalog into a case that has no requirements yet.
    AdoptCatalog {
        catalog: Catalog,
    },
    /// Brings the case's copy of its catalog to another version of the same catalog: adds,
    /// rewords and removes requirements by code. Links to a removed requirement go with it.
    UpdateCatalog {
        catalog: Catalog,
    },

    // --- interview guides ---
    /// Ticks off (or un-ticks) guide question `question` of a requirement in an interview.
    SetQuestionCovered {
        interview_id: InterviewId,
        requirement_id: RequirementId,
        question: usize,
        covered: bool,
    },

    // --- fidelity review ---
    /// Copies a fidelity scale into a case that has none yet.
    AdoptFidelityScale {
        catalog: Catalog,
    },
    /// Sets one rater's score of one item, with the reasons and the evidence it rests on.
    SetFidelityScore {
        item_id: FidelityItemId,
        rater: Rater,
        score: u8,
        #[serde(default)]
        rationale: String,
        #[serde(default)]
        evidence: Vec<EvidenceRef>,
    },
    ClearFidelityScore {
        item_id: FidelityItemId,
        rater: Rater,
    },
    /// An evaluator delivers their scores (*Lever skåringen*); see `FidelityReview::phase`.
    SealFidelityScores {
        rater: Rater,
    },
    /// Takes a delivery back, while the other evaluator has not delivered.
    UnsealFidelityScores {
        rater: Rater,
    },
    /// What the evaluators recommend for one item.
    SetFidelityRecommendation {
        item_id: FidelityItemId,
        recommendation: String,
    },
    /// A finding (and for a deviation its first action) made from an item's recommendation.
    AddFindingFromFidelityItem {
        item_id: FidelityItemId,
        kind: FindingKind,
    },

    // --- closing ---
    /// *Avslutt saken*: the phase becomes closed, with today's date. A plan with actions not
    /// verified closed needs `reason`.
    CloseCase {
        #[serde(default)]
        reason: String,
    },
    /// Opens a closed case again (its phase back to plan follow-up).
    ReopenCase,
    /// Days after closing to delete the participants' personal data; `None`: the default.
    SetRetention {
        #[serde(default)]
        days: Option<u32>,
    },

    // --- the report ---
    /// Keeps a report as sent (see `domain::report_version`): the file is already stored in the
    /// case by its SHA-256 (`CaseStore::keep_report_version` stores it first).
    KeepReportVersion {
        kind: ReportKind,
        #[serde(default)]
        answer_by: Option<jiff::civil::Date>,
        made_by: String,
        file_name: String,
        sha256: String,
    },

    // --- interviews and excerpts ---
    AddInterview {
        interview: InterviewFields,
        #[serde(default)]
        notes: String,
    },
    UpdateInterview {
        interview_id: InterviewId,
        interview: InterviewFields,
    },
    /// Replaces the notes; excerpts are re-anchored to their quotes or marked as unanchored.
    SetInterviewNotes {
        interview_id: InterviewId,
        notes: String,
    },
    DeleteInterview {
        interview_id: InterviewId,
    },
    /// Marks the characters `start_char..end_char` of the notes as evidence.
    AddExcerpt {
        interview_id: InterviewId,
        start_char: usize,
        end_char: usize,
        #[serde(default)]
        links: Vec<RequirementLink>,
        #[serde(default)]
        shareable: bool,
    },
    LinkExcerpt {
        excerpt_id: ExcerptId,
        link: RequirementLink,
    },
    UnlinkExcerpt {
        excerpt_id: ExcerptId,
        requirement_id: RequirementId,
    },
    SetExcerptShareable {
        excerpt_id: ExcerptId,
        shareable: bool,
    },
    DeleteExcerpt {
        excerpt_id: ExcerptId,
    },

    // --- document reviews ---
    AddDocumentReview {
        review: DocumentReviewFields,
    },
    UpdateDocumentReview {
        document_review_id: DocumentReviewId,
        review: DocumentReviewFields,
    },
    /// Attaches a file already stored with `CaseStore::put_attachment`.
    AttachFile {
        document_review_id: DocumentReviewId,
        attachment: AttachmentRef,
    },
    DetachFile {
        document_review_id: DocumentReviewId,
    },
    LinkDocument {
        document_review_id: DocumentReviewId,
        link: RequirementLink,
    },
    UnlinkDocument {
        document_review_id: DocumentReviewId,
        requirement_id: RequirementId,
    },
    DeleteDocumentReview {
        document_review_id: DocumentReviewId,
    },
    // --- the notice (varsel) ---
    /// Asks the provider for these documents in the notice, after those already asked for; a
    /// title already on the list is not added again.
    RequestDocuments {
        titles: Vec<String>,
    },
    RemoveRequestedDocument {
        requested_document_id: RequestedDocumentId,
    },
    /// Marks a requested document as received on a day (`None`: not received).
    SetDocumentReceived {
        requested_document_id: RequestedDocumentId,
        #[serde(default)]
        received_on: Option<jiff::civil::Date>,
    },
    /// Starts the review of a requested document: a review with its title, linked to it (and
    /// the document marked received today if it was not).
    StartReviewFromRequest {
        requested_document_id: RequestedDocumentId,
        kind: DocumentKind,
    },
    /// How many interviews with people in `role` the notice plans (0: none).
    SetPlannedInterviews {
        role: RoleId,
        count: u32,
    },
    /// Marks a reviewed document as holding participants' personal data (its file is deleted
    /// by *Slett personopplysninger*), or not.
    SetDocumentPersonal {
        document_review_id: DocumentReviewId,
        personal: bool,
    },

    // --- findings ---
    AddFinding {
        kind: FindingKind,
        finding: FindingFields,
        #[serde(default)]
        requirement_ids: Vec<RequirementId>,
        /// Evidence linked at once ("new finding from this excerpt"), one undo step with the rest.
        #[serde(default)]
        evidence: Vec<EvidenceRef>,
    },
    UpdateFinding {
        finding_id: FindingId,
        finding: FindingFields,
    },
    SetFindingKind {
        finding_id: FindingId,
        kind: FindingKind,
    },
    /// The provider's response to the finding in the draft report; `None` clears it.
    SetFindingResponse {
        finding_id: FindingId,
        #[serde(default)]
        response: Option<ProviderResponse>,
    },
    SetFindingRequirements {
        finding_id: FindingId,
        requirement_ids: Vec<RequirementId>,
    },
    LinkEvidence {
        finding_id: FindingId,
        evidence: EvidenceRef,
    },
    UnlinkEvidence {
        finding_id: FindingId,
        evidence: EvidenceRef,
    },
    DeleteFinding {
        finding_id: FindingId,
    },

    // --- feedback meeting ---
    SetFeedbackMeeting {
        meeting: FeedbackMeeting,
    },

    // --- the deviation-closing plan ---
    AddAction {
        finding_id: FindingId,
        action: ActionFields,
    },
    UpdateAction {
        action_id: ActionId,
        action: ActionFields,
    },
    SetActionStatus {
        action_id: ActionId,
        status: ActionStatus,
    },
    DeleteAction {
        action_id: ActionId,
    },
    /// The provider's plan read back from a workbook: every change in one step.
    UpdatePlan {
        update: PlanUpdate,
    },

    // --- outcomes ---
    SetOutcome {
        outcome: Outcome,
    },
    RemoveOutcome {
        year: i32,
    },

    // --- team work ---
    /// Another copy's changes, worked out by `CaseStore::prepare_merge`: one step, one undo.
    MergeCopy {
        merge: MergeStep,
    },
}

/// New, changed and removed actions, applied together or not at all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanUpdate {
    #[serde(default)]
    pub add: Vec<(FindingId, ActionFields)>,
    #[serde(default)]
    pub change: Vec<(ActionId, ActionFields)>,
    #[serde(default)]
    pub remove: Vec<ActionId>,
    /// From a file import: the fingerprint (`ImportedRow::fingerprint`) of each row in `add`, in
    /// the same order, remembered with the action it became so the same file read again is
    /// recognised. Empty for a plan edited otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported_rows: Vec<String>,
}

impl Command {
    /// Whether applying the command creates a new row with its own id.
    pub fn creates_entity(&self) -> bool {
        matches!(
            self,
            Command::AddInterview { .. }
                | Command::AddExcerpt { .. }
                | Command::AddDocumentReview { .. }
                | Command::StartReviewFromRequest { .. }
                | Command::AddFinding { .. }
                | Command::AddFindingFromFidelityItem { .. }
                | Command::AddAction { .. }
        )
    }

    /// The `op` name, as in the JSONL form (and the key of its label, `op.<name>`).
    pub fn op(&self) -> &'static str {
        match self {
            Command::UpdateCaseFacts { .. } => "update_case_facts",
            Command::SetPhase { .. } => "set_phase",
            Command::SetKeyDates { .. } => "set_key_dates",
            Command::SetEvaluators { .. } => "set_evaluators",
            Command::AdoptCatalog { .. } => "adopt_catalog",
            Command::UpdateCatalog { .. } => "update_catalog",
            Command::SetQuestionCovered { .. } => "set_question_covered",
            Command::AdoptFidelityScale { .. } => "adopt_fidelity_scale",
            Command::SetFidelityScore { .. } => "set_fidelity_score",
            Command::ClearFidelityScore { .. } => "clear_fidelity_score",
            Command::SealFidelityScores { .. } => "seal_fidelity_scores",
            Command::UnsealFidelityScores { .. } => "unseal_fidelity_scores",
            Command::SetFidelityRecommendation { .. } => "set_fidelity_recommendation",
            Command::AddFindingFromFidelityItem { .. } => "add_finding_from_fidelity_item",
            Command::KeepReportVersion { .. } => "keep_report_version",
            Command::CloseCase { .. } => "close_case",
            Command::ReopenCase => "reopen_case",
            Command::SetRetention { .. } => "set_retention",
            Command::AddInterview { .. } => "add_interview",
            Command::UpdateInterview { .. } => "update_interview",
            Command::SetInterviewNotes { .. } => "set_interview_notes",
            Command::DeleteInterview { .. } => "delete_interview",
            Command::AddExcerpt { .. } => "add_excerpt",
            Command::LinkExcerpt { .. } => "link_excerpt",
            Command::UnlinkExcerpt { .. } => "unlink_excerpt",
            Command::SetExcerptShareable { .. } => "set_excerpt_shareable",
            Command::DeleteExcerpt { .. } => "delete_excerpt",
            Command::AddDocumentReview { .. } => "add_document_review",
            Command::UpdateDocumentReview { .. } => "update_document_review",
            Command::AttachFile { .. } => "attach_file",
            Command::DetachFile { .. } => "detach_file",
            Command::LinkDocument { .. } => "link_document",
            Command::UnlinkDocument { .. } => "unlink_document",
            Command::SetDocumentPersonal { .. } => "set_document_personal",
            Command::RequestDocuments { .. } => "request_documents",
            Command::RemoveRequestedDocument { .. } => "remove_requested_document",
            Command::SetDocumentReceived { .. } => "set_document_received",
            Command::StartReviewFromRequest { .. } => "start_review_from_request",
            Command::SetPlannedInterviews { .. } => "set_planned_interviews",
            Command::DeleteDocumentReview { .. } => "delete_document_review",
            Command::AddFinding { .. } => "add_finding",
            Command::UpdateFinding { .. } => "update_finding",
            Command::SetFindingKind { .. } => "set_finding_kind",
            Command::SetFindingResponse { .. } => "set_finding_response",
            Command::SetFindingRequirements { .. } => "set_finding_requirements",
            Command::LinkEvidence { .. } => "link_evidence",
            Command::UnlinkEvidence { .. } => "unlink_evidence",
            Command::DeleteFinding { .. } => "delete_finding",
            Command::SetFeedbackMeeting { .. } => "set_feedback_meeting",
            Command::AddAction { .. } => "add_action",
            Command::UpdateAction { .. } => "update_action",
            Command::SetActionStatus { .. } => "set_action_status",
            Command::DeleteAction { .. } => "delete_action",
            Command::UpdatePlan { .. } => "update_plan",
            Command::SetOutcome { .. } => "set_outcome",
            Command::RemoveOutcome { .. } => "remove_outcome",
            Command::MergeCopy { .. } => "merge_copy",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_form_is_tagged_by_op() {
        let line = r#"{"op":"set_phase","phase":"analysis"}"#;
        let command: Result<Command, _> = serde_json::from_str(line);
        assert_eq!(
            command.ok(),
            Some(Command::SetPhase {
                phase: Phase::Analysis
            })
        );
        let unknown: Result<Command, _> =
            serde_json::from_str(r#"{"op":"set_phase","phase":"analysis","x":1}"#);
        assert!(unknown.is_err());
        assert_eq!(
            Command::RemoveOutcome { year: 2024 }.op(),
            "remove_outcome".to_owned()
        );
    }
}
