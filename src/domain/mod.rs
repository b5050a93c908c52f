//! Plain types and rules of an evaluation case. No I/O, no SQL, no egui: everything here can be
//! built, validated and compared in a unit test.

pub mod agreement;
pub mod case;
pub mod coverage;
pub mod document;
pub mod fidelity;
pub mod finding;
pub mod ids;
pub mod interview;
pub mod meeting;
pub mod notice;
pub mod outcome;
pub mod personal_data;
pub mod plan;
pub mod programme;
pub mod rejection;
pub mod report_version;
pub mod requirement;
pub mod snapshot;
pub mod text;

pub use case::{
    CaseFacts, Closing, DEFAULT_RETENTION_DAYS, KeyDates, Measure, OrgNumber, OrgNumberError,
    Phase, retention_due,
};
pub use document::{AttachmentRef, DocumentKind, DocumentReview, DocumentReviewFields};
pub use fidelity::{
    Band, FidelityItem, FidelityPhase, FidelityReview, FidelityScore, FidelitySection,
    FidelityTotals, Rater, Seal, default_improvement_below, rater_named,
};
pub use finding::{
    EvidenceRef, Finding, FindingFields, FindingKind, ProviderResponse, ResponseStance,
};
pub use ids::{
    ActionId, DocumentReviewId, EntityRef, ExcerptId, FidelityItemId, FindingId, InterviewId,
    RequestedDocumentId, RequirementId,
};
pub use interview::{
    Excerpt, Interview, InterviewChannel, InterviewFields, InterviewSetting, QuestionRef,
};
pub use meeting::FeedbackMeeting;
pub use notice::{PlannedInterviews, RequestedDocument};
pub use outcome::Outcome;
pub use personal_data::{PersonalData, confirms_deletion};
pub use plan::{Action, ActionFields, ActionStatus, ImportedRow, StatusChange};
pub use programme::{GroupId, Programme, Role, RoleId, SourceGroup, Stage, StageId};
pub use rejection::{Rejection, RequiredText};
pub use report_version::{ReportKind, ReportVersion};
pub use requirement::{Question, Requirement, RequirementArea, RequirementLink, Stance};
pub use snapshot::{CaseSnapshot, CatalogInfo, Warnings};
