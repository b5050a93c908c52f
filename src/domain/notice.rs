//! The notice to the provider (varsel): sent before the evaluation, it says when, what is
//! evaluated, which documents to send and who will be interviewed (by role, never by name).
//! The documents asked for become a checklist on the document page (*mottatt DD.MM.YYYY*), and
//! a document review can be started from one.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ids::{DocumentReviewId, RequestedDocumentId};
use super::programme::RoleId;
use super::requirement::Requirement;

/// A document asked for in the notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedDocument {
    pub id: RequestedDocumentId,
    pub title: String,
    /// The day it came in from the provider.
    #[serde(default)]
    pub received_on: Option<Date>,
    /// The review started from it.
    #[serde(default)]
    pub document_review_id: Option<DocumentReviewId>,
}

/// How many interviews are planned per role.
pub type PlannedInterviews = BTreeMap<RoleId, u32>;

/// The catalog's evidence sources that are documents to ask the provider for, in the order
/// the requirements name them, each once: the sources that are not interviews or observation
/// (those are planned by role, or happen at the visit).
pub fn document_sources(requirements: &[Requirement]) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    for source in requirements.iter().flat_map(|r| &r.evidence_sources) {
        let lower = source.to_lowercase();
        let not_a_document = ["intervju", "interview", "observasjon", "observation"]
            .iter()
            .any(|word| lower.starts_with(word));
        if !not_a_document && !sources.iter().any(|s| s.to_lowercase() == lower) {
            sources.push(source.clone());
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interviews_and_observation_are_not_documents_to_ask_for() {
        let requirement = |sources: &[&str]| Requirement {
            id: super::super::RequirementId(1),
            area_code: "A".into(),
            code: "A-1".into(),
            title: "T".into(),
            text: String::new(),
            guidance: String::new(),
            evidence_sources: sources.iter().map(|s| (*s).to_owned()).collect(),
            questions: Vec::new(),
        };
        let sources = document_sources(&[
            requirement(&["Kompetansematrise", "Intervju med deltakere"]),
            requirement(&["Observasjon ved besøket", "kompetansematrise", "Planmal"]),
        ]);
        assert_eq!(sources, ["Kompetansematrise", "Planmal"]);
    }
}
