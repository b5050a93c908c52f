//! The whole case as plain data: what the UI draws from and what the JSON export writes.

use serde::{Deserialize, Serialize};

use super::{
    Action, ActionStatus, CaseFacts, DocumentReview, FeedbackMeeting, Finding, FindingKind,
    Interview, KeyDates, Outcome, Phase, Requirement, RequirementArea, Role,
};

/// Which catalog the case's requirements were copied from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CatalogInfo {
    pub id: String,
    pub version: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct CaseSnapshot {
    /// Stable identity of the case, kept across copies and exports.
    pub case_id: String,
    pub facts: CaseFacts,
    pub phase: Phase,
    pub key_dates: KeyDates,
    pub evaluators: Vec<String>,
    pub catalog: Option<CatalogInfo>,
    pub areas: Vec<RequirementArea>,
    pub requirements: Vec<Requirement>,
    pub interviews: Vec<Interview>,
    pub document_reviews: Vec<DocumentReview>,
    pub findings: Vec<Finding>,
    pub feedback_meeting: FeedbackMeeting,
    pub actions: Vec<Action>,
    pub outcomes: Vec<Outcome>,
}

impl CaseSnapshot {
    pub fn interviews_with(&self, role: Role) -> usize {
        self.interviews
            .iter()
            .filter(|i| i.fields.role == role)
            .count()
    }

    pub fn findings_of(&self, kind: FindingKind) -> usize {
        self.findings.iter().filter(|f| f.kind == kind).count()
    }

    pub fn actions_with(&self, status: ActionStatus) -> usize {
        self.actions
            .iter()
            .filter(|a| a.fields.status == status)
            .count()
    }

    pub fn excerpt_count(&self) -> usize {
        self.interviews.iter().map(|i| i.excerpts.len()).sum()
    }

    pub fn requirement(&self, id: super::RequirementId) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    pub fn interview(&self, id: super::InterviewId) -> Option<&Interview> {
        self.interviews.iter().find(|i| i.id == id)
    }

    /// An excerpt with the interview it was taken from.
    pub fn excerpt(&self, id: super::ExcerptId) -> Option<(&Interview, &super::Excerpt)> {
        self.interviews
            .iter()
            .find_map(|i| i.excerpts.iter().find(|e| e.id == id).map(|e| (i, e)))
    }

    pub fn finding(&self, id: super::FindingId) -> Option<&Finding> {
        self.findings.iter().find(|f| f.id == id)
    }
}
