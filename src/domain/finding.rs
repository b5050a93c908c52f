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
    /// What the provider answered about this finding to the draft report (tilsvar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ProviderResponse>,
}

/// The provider's answer to a finding in the draft report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStance {
    /// The provider agrees with the finding.
    Agrees,
    /// The provider points out an error of fact.
    CorrectsFact,
    /// The provider disagrees with the assessment.
    Disagrees,
}

impl ResponseStance {
    pub const ALL: [ResponseStance; 3] = [
        ResponseStance::Agrees,
        ResponseStance::CorrectsFact,
        ResponseStance::Disagrees,
    ];
}

/// The provider's response to one finding, and whether the evaluators changed the finding
/// because of it (the final report says so).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderResponse {
    pub stance: ResponseStance,
    #[serde(default)]
    pub text: String,
    /// The evaluators changed the finding because of the response.
    #[serde(default)]
    pub changed: bool,
}
