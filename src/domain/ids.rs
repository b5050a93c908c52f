//! Typed row ids, so an interview id can never be passed where a finding id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The short entity name used in logs and CLI output, e.g. `interview/3`.
            pub const ENTITY: &'static str = $prefix;
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}/{}", $prefix, self.0)
            }
        }
    };
}

id_type!(
    /// A requirement in the case's own copy of its catalog.
    RequirementId,
    "requirement"
);
id_type!(
    /// An interview with one or more interviewees.
    InterviewId,
    "interview"
);
id_type!(
    /// A span of an interview's notes used as evidence.
    ExcerptId,
    "excerpt"
);
id_type!(
    /// A review of one of the provider's documents.
    DocumentReviewId,
    "document_review"
);
id_type!(
    /// A finding against one or more requirements.
    FindingId,
    "finding"
);
id_type!(
    /// An action in the deviation-closing plan.
    ActionId,
    "action"
);
id_type!(
    /// A document asked for in the notice to the provider.
    RequestedDocumentId,
    "requested_document"
);
id_type!(
    /// An item of the case's fidelity scale.
    FidelityItemId,
    "fidelity_item"
);

/// Any entity of a case, as the journal, the CLI and rejections name it: `case`,
/// `interview/3`, `outcome/2025`. One `Display` and one `FromStr`, so the form is said once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityRef {
    Case,
    Requirement(RequirementId),
    Interview(InterviewId),
    Excerpt(ExcerptId),
    DocumentReview(DocumentReviewId),
    Finding(FindingId),
    Action(ActionId),
    FidelityItem(FidelityItemId),
    RequestedDocument(RequestedDocumentId),
    Outcome(i32),
}

impl EntityRef {
    /// The kind's name, e.g. `interview` (also the key `entity.<kind>` of its UI word).
    pub fn kind(self) -> &'static str {
        match self {
            EntityRef::Case => "case",
            EntityRef::Requirement(_) => RequirementId::ENTITY,
            EntityRef::Interview(_) => InterviewId::ENTITY,
            EntityRef::Excerpt(_) => ExcerptId::ENTITY,
            EntityRef::DocumentReview(_) => DocumentReviewId::ENTITY,
            EntityRef::Finding(_) => FindingId::ENTITY,
            EntityRef::Action(_) => ActionId::ENTITY,
            EntityRef::FidelityItem(_) => FidelityItemId::ENTITY,
            EntityRef::RequestedDocument(_) => RequestedDocumentId::ENTITY,
            EntityRef::Outcome(_) => "outcome",
        }
    }

    /// The number after the slash; `None` for the case itself.
    pub fn number(self) -> Option<i64> {
        match self {
            EntityRef::Case => None,
            EntityRef::Requirement(id) => Some(id.0),
            EntityRef::Interview(id) => Some(id.0),
            EntityRef::Excerpt(id) => Some(id.0),
            EntityRef::DocumentReview(id) => Some(id.0),
            EntityRef::Finding(id) => Some(id.0),
            EntityRef::Action(id) => Some(id.0),
            EntityRef::FidelityItem(id) => Some(id.0),
            EntityRef::RequestedDocument(id) => Some(id.0),
            EntityRef::Outcome(year) => Some(i64::from(year)),
        }
    }
}

impl std::fmt::Display for EntityRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.number() {
            None => f.write_str(self.kind()),
            Some(number) => write!(f, "{}/{number}", self.kind()),
        }
    }
}

impl std::str::FromStr for EntityRef {
    type Err = String;

    fn from_str(text: &str) -> Result<EntityRef, String> {
        if text == "case" {
            return Ok(EntityRef::Case);
        }
        let bad = || format!("«{text}» does not name an entity (e.g. interview/3)");
        let (kind, number) = text.split_once('/').ok_or_else(bad)?;
        let number: i64 = number.parse().map_err(|_| bad())?;
        Ok(match kind {
            RequirementId::ENTITY => EntityRef::Requirement(RequirementId(number)),
            InterviewId::ENTITY => EntityRef::Interview(InterviewId(number)),
            ExcerptId::ENTITY => EntityRef::Excerpt(ExcerptId(number)),
            DocumentReviewId::ENTITY => EntityRef::DocumentReview(DocumentReviewId(number)),
            FindingId::ENTITY => EntityRef::Finding(FindingId(number)),
            ActionId::ENTITY => EntityRef::Action(ActionId(number)),
            FidelityItemId::ENTITY => EntityRef::FidelityItem(FidelityItemId(number)),
            RequestedDocumentId::ENTITY => {
                EntityRef::RequestedDocument(RequestedDocumentId(number))
            }
            "outcome" => EntityRef::Outcome(i32::try_from(number).map_err(|_| bad())?),
            _ => return Err(bad()),
        })
    }
}

macro_rules! entity_from_id {
    ($($id:ident => $variant:ident),*) => {
        $(impl From<$id> for EntityRef {
            fn from(id: $id) -> EntityRef {
                EntityRef::$variant(id)
            }
        })*
    };
}

entity_from_id!(
    RequirementId => Requirement,
    InterviewId => Interview,
    ExcerptId => Excerpt,
    DocumentReviewId => DocumentReview,
    FindingId => Finding,
    ActionId => Action,
    FidelityItemId => FidelityItem,
    RequestedDocumentId => RequestedDocument
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_refs_read_back_what_they_write() {
        for entity in [
            EntityRef::Case,
            EntityRef::Interview(InterviewId(3)),
            EntityRef::DocumentReview(DocumentReviewId(12)),
            EntityRef::FidelityItem(FidelityItemId(1)),
            EntityRef::Outcome(2025),
        ] {
            assert_eq!(entity.to_string().parse::<EntityRef>(), Ok(entity));
        }
        assert_eq!(
            EntityRef::Interview(InterviewId(3)).to_string(),
            "interview/3"
        );
        assert!("interview/x".parse::<EntityRef>().is_err());
        assert!("meeting/1".parse::<EntityRef>().is_err());
    }
}
