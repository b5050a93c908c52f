//! Reviews of the provider's documents (competence matrix, routines, forms …).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ids::DocumentReviewId;
use super::requirement::RequirementLink;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    CompetenceMatrix,
    Routine,
    FormTemplate,
    Plan,
    Report,
    UserSurvey,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::CompetenceMatrix,
        DocumentKind::Routine,
        DocumentKind::FormTemplate,
        DocumentKind::Plan,
        DocumentKind::Report,
        DocumentKind::UserSurvey,
        DocumentKind::Other,
    ];
}

/// A file kept inside the case, addressed by the SHA-256 of its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    pub sha256: String,
    pub file_name: String,
    pub size_bytes: u64,
}

/// The editable fields of a document review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentReviewFields {
    pub title: String,
    pub kind: DocumentKind,
    /// The provider's own version mark, e.g. "versjon 3".
    #[serde(default)]
    pub version_label: String,
    #[serde(default)]
    pub document_date: Option<Date>,
    #[serde(default)]
    pub assessment: String,
}

impl DocumentReviewFields {
    pub fn validate(&self) -> Result<(), super::Rejection> {
        if self.title.trim().is_empty() {
            return Err(super::Rejection::Empty {
                field: super::RequiredText::DocumentTitle,
            });
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentReview {
    pub id: DocumentReviewId,
    #[serde(flatten)]
    pub fields: DocumentReviewFields,
    pub attachment: Option<AttachmentRef>,
    pub links: Vec<RequirementLink>,
    /// The document holds personal data about participants: its attached file is deleted with
    /// the rest of it (*Slett personopplysninger*).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub personal: bool,
}
