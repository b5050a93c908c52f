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
    /// An item of the case's fidelity scale.
    FidelityItemId,
    "fidelity_item"
);
