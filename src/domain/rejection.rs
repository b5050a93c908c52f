//! Why the store refused a change, as data: the entity and the reason, never prose. The UI words
//! a rejection from its translation tables (`i18n::rejection_text`) and the CLI in English, so a
//! Norwegian user never reads the store's English, and tests match variants, not sentences.

use jiff::civil::Date;

use super::{DocumentReviewId, FidelityItemId, FindingId, InterviewId, Rater, RequirementId};
use crate::domain::ids::EntityRef;

/// A text field that must not be empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequiredText {
    ProviderName,
    DocumentTitle,
    FindingTitle,
    ActionDescription,
    IntervieweeLabel,
}

impl RequiredText {
    pub const ALL: [RequiredText; 5] = [
        RequiredText::ProviderName,
        RequiredText::DocumentTitle,
        RequiredText::FindingTitle,
        RequiredText::ActionDescription,
        RequiredText::IntervieweeLabel,
    ];

    /// The key of its name in the translation tables (`field.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            RequiredText::ProviderName => "provider_name",
            RequiredText::DocumentTitle => "document_title",
            RequiredText::FindingTitle => "finding_title",
            RequiredText::ActionDescription => "action_description",
            RequiredText::IntervieweeLabel => "interviewee_label",
        }
    }
}

/// A refused change. Nothing of it was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A provider package: only the plan may be edited.
    ProviderPackage,
    /// The entity the command names is not in the case.
    Missing {
        entity: EntityRef,
    },
    /// A text field that must not be empty is empty.
    Empty {
        field: RequiredText,
    },
    /// A text is longer than its field holds; `field` is its path in the command.
    TooLong {
        field: String,
        length_chars: usize,
        max_chars: usize,
    },
    /// The work on the case stopped before it finished (its worker thread ended): the file is
    /// either as it was or as it became, and opens again.
    Stopped,
    NoGuideQuestion {
        requirement: RequirementId,
        questions: usize,
        question: usize,
    },
    ExcerptOutsideNotes {
        interview: InterviewId,
        start_char: usize,
        end_char: usize,
        length_chars: usize,
    },
    /// An excerpt or document is not linked to that requirement.
    NotLinked {
        entity: EntityRef,
        requirement: RequirementId,
    },
    NoStoredFile {
        sha256: String,
    },
    /// Only a deviation has actions: a finding with actions cannot become another kind.
    KindHasActions {
        finding: FindingId,
        actions: usize,
    },
    /// A finding with actions cannot be deleted before them.
    FindingHasActions {
        finding: FindingId,
        actions: usize,
    },
    EvidenceNotLinked {
        finding: FindingId,
    },
    NotADeviation {
        finding: FindingId,
    },
    NoOutcomes {
        year: i32,
    },
    YearOutOfRange {
        year: i32,
    },
    OutcomeSumTooLarge {
        sum: u32,
        ended: u32,
        year: i32,
    },
    PeriodEndsBeforeStart {
        start: Date,
        end: Date,
    },
    StageOnlyForParticipants,
    /// An interview or guide names a role the case's catalog does not declare.
    UndeclaredRole {
        role: String,
    },
    /// An interview names a course stage the case's catalog does not declare.
    UndeclaredStage {
        stage: String,
    },
    /// A catalog version leaves out a role that interviews in the case have.
    RoleStillUsed {
        role: String,
        count: usize,
    },
    /// A fidelity scale offered as a requirement catalog.
    CatalogIsFidelityScale {
        catalog: String,
    },
    CatalogAlreadyAdopted,
    NoCatalog,
    OtherCatalog {
        current: String,
        offered: String,
    },
    SameCatalogVersion {
        catalog: String,
        version: String,
    },
    DuplicateRequirementCode {
        code: String,
    },
    NotAFidelityScale {
        catalog: String,
    },
    FidelityScaleAlreadyAdopted,
    NoFidelityReview,
    ScoreOutsideScale {
        score: u8,
        min: u8,
        max: u8,
    },
    NoScore {
        item: FidelityItemId,
        rater: Rater,
    },
    /// A consensus score before both evaluators have delivered theirs.
    FidelityStillBlind,
    /// A change to scores the evaluator has delivered.
    FidelitySealed {
        rater: Rater,
    },
    /// Delivering (or taking back) is for the two evaluators, not the consensus.
    FidelityNotARater,
    /// Delivering before every item is scored.
    FidelityItemsUnscored {
        rater: Rater,
        missing: usize,
    },
    FidelityNotSealed {
        rater: Rater,
    },
    /// Taking back a delivery after both have delivered and seen each other's scores.
    FidelityBothSealed,
    /// A copy for blind scoring of a review both evaluators have delivered.
    FidelityNotBlind,
    /// The report is final: no further version is kept.
    ReportAlreadyFinal,
    /// A final report before a draft has gone to the provider for comments.
    ReportNoDraft,
    /// Closing the case while actions of the plan are not verified closed, without a reason.
    PlanNotClosed {
        open: usize,
    },
    /// Closing a case that is closed, or reopening one that is open.
    AlreadyClosed,
    NotClosed,
    /// A review started from a requested document that has one already.
    ReviewAlreadyStarted {
        document_review: DocumentReviewId,
    },
    PlannedInterviewsOutOfRange {
        count: u32,
    },
    /// Deleting personal data before the case is closed.
    DeletionNeedsClosedCase,
    /// Deleting personal data without typing the provider's name to confirm it.
    DeletionNotConfirmed,
    RetentionOutOfRange {
        days: u32,
    },
    PassphraseEmpty,
    PassphraseTooShort {
        min_chars: usize,
    },
    /// A plan import names a row fingerprint for some of the actions it adds, not for each.
    ImportedRowsMismatch {
        rows: usize,
        actions: usize,
    },
    /// Undo or redo cannot be done: the step is not undoable.
    NotUndoable,
    /// Undo or redo would overwrite a later change to the same rows.
    UndoConflict,
    /// A merge worked out earlier no longer fits the case (it changed since): work it out again.
    MergeDoesNotFit {
        table: String,
        id: String,
    },
}

impl Rejection {
    /// The key of its text in the translation tables (`rejection.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::ProviderPackage => "provider_package",
            Rejection::Missing { .. } => "missing",
            Rejection::Empty { .. } => "empty",
            Rejection::TooLong { .. } => "too_long",
            Rejection::Stopped => "stopped",
            Rejection::NoGuideQuestion { .. } => "no_guide_question",
            Rejection::ExcerptOutsideNotes { .. } => "excerpt_outside_notes",
            Rejection::NotLinked { .. } => "not_linked",
            Rejection::NoStoredFile { .. } => "no_stored_file",
            Rejection::KindHasActions { .. } => "kind_has_actions",
            Rejection::FindingHasActions { .. } => "finding_has_actions",
            Rejection::EvidenceNotLinked { .. } => "evidence_not_linked",
            Rejection::NotADeviation { .. } => "not_a_deviation",
            Rejection::NoOutcomes { .. } => "no_outcomes",
            Rejection::YearOutOfRange { .. } => "year_out_of_range",
            Rejection::OutcomeSumTooLarge { .. } => "outcome_sum_too_large",
            Rejection::PeriodEndsBeforeStart { .. } => "period_ends_before_start",
            Rejection::StageOnlyForParticipants => "stage_only_for_participants",
            Rejection::UndeclaredRole { .. } => "undeclared_role",
            Rejection::RoleStillUsed { .. } => "role_still_used",
            Rejection::UndeclaredStage { .. } => "undeclared_stage",
            Rejection::CatalogIsFidelityScale { .. } => "catalog_is_fidelity_scale",
            Rejection::CatalogAlreadyAdopted => "catalog_already_adopted",
            Rejection::NoCatalog => "no_catalog",
            Rejection::OtherCatalog { .. } => "other_catalog",
            Rejection::SameCatalogVersion { .. } => "same_catalog_version",
            Rejection::DuplicateRequirementCode { .. } => "duplicate_requirement_code",
            Rejection::NotAFidelityScale { .. } => "not_a_fidelity_scale",
            Rejection::FidelityScaleAlreadyAdopted => "fidelity_scale_already_adopted",
            Rejection::NoFidelityReview => "no_fidelity_review",
            Rejection::ScoreOutsideScale { .. } => "score_outside_scale",
            Rejection::NoScore { .. } => "no_score",
            Rejection::FidelityStillBlind => "fidelity_still_blind",
            Rejection::FidelitySealed { .. } => "fidelity_sealed",
            Rejection::FidelityNotARater => "fidelity_not_a_rater",
            Rejection::FidelityItemsUnscored { .. } => "fidelity_items_unscored",
            Rejection::FidelityNotSealed { .. } => "fidelity_not_sealed",
            Rejection::FidelityBothSealed => "fidelity_both_sealed",
            Rejection::FidelityNotBlind => "fidelity_not_blind",
            Rejection::ReportAlreadyFinal => "report_already_final",
            Rejection::ReportNoDraft => "report_no_draft",
            Rejection::PlanNotClosed { .. } => "plan_not_closed",
            Rejection::AlreadyClosed => "already_closed",
            Rejection::NotClosed => "not_closed",
            Rejection::ReviewAlreadyStarted { .. } => "review_already_started",
            Rejection::PlannedInterviewsOutOfRange { .. } => "planned_interviews_out_of_range",
            Rejection::DeletionNeedsClosedCase => "deletion_needs_closed_case",
            Rejection::DeletionNotConfirmed => "deletion_not_confirmed",
            Rejection::RetentionOutOfRange { .. } => "retention_out_of_range",
            Rejection::PassphraseEmpty => "passphrase_empty",
            Rejection::PassphraseTooShort { .. } => "passphrase_too_short",
            Rejection::ImportedRowsMismatch { .. } => "imported_rows_mismatch",
            Rejection::NotUndoable => "not_undoable",
            Rejection::UndoConflict => "undo_conflict",
            Rejection::MergeDoesNotFit { .. } => "merge_does_not_fit",
        }
    }

    /// One value of every variant, for tests that every rejection has words in every language.
    #[doc(hidden)]
    pub fn examples() -> Vec<Rejection> {
        let date = jiff::civil::date(2026, 1, 31);
        vec![
            Rejection::ProviderPackage,
            Rejection::Missing {
                entity: EntityRef::Finding(FindingId(3)),
            },
            Rejection::Empty {
                field: RequiredText::FindingTitle,
            },
            Rejection::TooLong {
                field: "action.description".into(),
                length_chars: 60_000,
                max_chars: 20_000,
            },
            Rejection::Stopped,
            Rejection::NoGuideQuestion {
                requirement: RequirementId(2),
                questions: 1,
                question: 4,
            },
            Rejection::ExcerptOutsideNotes {
                interview: InterviewId(1),
                start_char: 10,
                end_char: 90,
                length_chars: 40,
            },
            Rejection::NotLinked {
                entity: EntityRef::Excerpt(super::ExcerptId(4)),
                requirement: RequirementId(2),
            },
            Rejection::NoStoredFile {
                sha256: "ab".into(),
            },
            Rejection::KindHasActions {
                finding: FindingId(3),
                actions: 1,
            },
            Rejection::FindingHasActions {
                finding: FindingId(3),
                actions: 2,
            },
            Rejection::EvidenceNotLinked {
                finding: FindingId(3),
            },
            Rejection::NotADeviation {
                finding: FindingId(3),
            },
            Rejection::NoOutcomes { year: 2025 },
            Rejection::YearOutOfRange { year: 1800 },
            Rejection::OutcomeSumTooLarge {
                sum: 12,
                ended: 10,
                year: 2025,
            },
            Rejection::PeriodEndsBeforeStart {
                start: date,
                end: date,
            },
            Rejection::StageOnlyForParticipants,
            Rejection::UndeclaredRole {
                role: "coach".into(),
            },
            Rejection::RoleStillUsed {
                role: "coach".into(),
                count: 2,
            },
            Rejection::UndeclaredStage {
                stage: "apl".into(),
            },
            Rejection::CatalogIsFidelityScale {
                catalog: "ips".into(),
            },
            Rejection::CatalogAlreadyAdopted,
            Rejection::NoCatalog,
            Rejection::OtherCatalog {
                current: "a".into(),
                offered: "b".into(),
            },
            Rejection::SameCatalogVersion {
                catalog: "a".into(),
                version: "1".into(),
            },
            Rejection::DuplicateRequirementCode { code: "R1".into() },
            Rejection::NotAFidelityScale {
                catalog: "a".into(),
            },
            Rejection::FidelityScaleAlreadyAdopted,
            Rejection::NoFidelityReview,
            Rejection::ScoreOutsideScale {
                score: 9,
                min: 1,
                max: 5,
            },
            Rejection::NoScore {
                item: FidelityItemId(1),
                rater: Rater::First,
            },
            Rejection::FidelityStillBlind,
            Rejection::FidelitySealed {
                rater: Rater::Second,
            },
            Rejection::FidelityNotARater,
            Rejection::FidelityItemsUnscored {
                rater: Rater::First,
                missing: 3,
            },
            Rejection::FidelityNotSealed {
                rater: Rater::First,
            },
            Rejection::FidelityBothSealed,
            Rejection::FidelityNotBlind,
            Rejection::ReportAlreadyFinal,
            Rejection::ReportNoDraft,
            Rejection::PlanNotClosed { open: 2 },
            Rejection::AlreadyClosed,
            Rejection::NotClosed,
            Rejection::DeletionNeedsClosedCase,
            Rejection::DeletionNotConfirmed,
            Rejection::ReviewAlreadyStarted {
                document_review: DocumentReviewId(2),
            },
            Rejection::PlannedInterviewsOutOfRange { count: 1000 },
            Rejection::RetentionOutOfRange { days: 0 },
            Rejection::PassphraseEmpty,
            Rejection::PassphraseTooShort { min_chars: 8 },
            Rejection::ImportedRowsMismatch {
                rows: 1,
                actions: 2,
            },
            Rejection::NotUndoable,
            Rejection::UndoConflict,
            Rejection::MergeDoesNotFit {
                table: "finding".into(),
                id: "0190a1b2-0000-7000-8000-000000000001".into(),
            },
        ]
    }
}

impl std::error::Error for Rejection {}

/// The CLI's wording: plain English from the English translation table.
impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::rejection_text(crate::i18n::Lang::En, self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_an_example_with_its_own_code() {
        let examples = Rejection::examples();
        let mut codes: Vec<&str> = examples.iter().map(Rejection::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), examples.len(), "a code is used twice");
        // The exhaustive match in `code` has one arm per variant; count them in the source.
        let source = include_str!("rejection.rs");
        let arms = source
            .split("pub fn code(&self)")
            .nth(1)
            .and_then(|rest| rest.split("pub fn examples").next())
            .map_or(0, |body| body.matches("=> \"").count());
        assert_eq!(arms, examples.len(), "every variant needs an example");
    }
}
