//! Findings: what the evaluation concludes about a requirement, and the evidence it rests on.

use serde::{Deserialize, Serialize};

use super::ids::{DocumentReviewId, ExcerptId, FindingId, RequirementId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Avvik: a requirement is not met; needs an action in the plan.
    Deviation,
    /// Forbedringsområde.
    ImprovementArea,
    /// God praksis.
    GoodPractice,
    /// I samsvar.
    MeetsRequirement,
}

impl FindingKind {
    pub const ALL: [FindingKind; 4] = [
        FindingKind::Deviation,
        FindingKind::ImprovementArea,
        FindingKind::GoodPractice,
        FindingKind::MeetsRequirement,
    ];
}

/// One piece of evidence a finding rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRef {
    Excerpt(ExcerptId),
    DocumentReview(DocumentReviewId),
}

/// The text fields of a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingFields {
    pub title: String,
    #[serde(default)]
    pub description: String,
}

impl FindingFields {
    pub fn validate(&self) -> Result<(), super::Rejection> {
        if self.title.trim().is_empty() {
            return Err(super::Rejection::Empty {
                field: super::RequiredText::FindingTitle,
            });
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    pub kind: FindingKind,
    #[serde(flatten)]
    pub fields: FindingFields,
    pub requirement_ids: Vec<RequirementId>,
    pub evidence: Vec<EvidenceRef>,
    /// The fidelity item (its code) whose recommendation this finding was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fidelity_item: Option<String>,
}
