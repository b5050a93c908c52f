//! The whole case as plain data: what the UI draws from and what the JSON export writes.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{
    Action, ActionId, ActionStatus, CaseFacts, DocumentReview, EvidenceRef, ExcerptId,
    FeedbackMeeting, FidelityReview, Finding, FindingId, FindingKind, ImportedRow, Interview,
    InterviewId, KeyDates, Outcome, Phase, Programme, Requirement, RequirementArea, RequirementId,
    RoleId,
};

/// What the overview warns about: the gaps an evaluator must close before the report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Warnings {
    /// Requirements with no excerpt, no document review and no finding.
    pub requirements_without_evidence: Vec<RequirementId>,
    /// Findings (other than "meets requirement" ones) resting on fewer than two sources.
    pub single_source_findings: Vec<FindingId>,
    pub deviations_without_action: Vec<FindingId>,
    pub overdue_actions: Vec<ActionId>,
}

impl Warnings {
    pub fn is_empty(&self) -> bool {
        self.requirements_without_evidence.is_empty()
            && self.single_source_findings.is_empty()
            && self.deviations_without_action.is_empty()
            && self.overdue_actions.is_empty()
    }
}

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
    /// The roles and source groups the case's catalog declares.
    #[serde(default)]
    pub programme: Programme,
    pub areas: Vec<RequirementArea>,
    pub requirements: Vec<Requirement>,
    pub interviews: Vec<Interview>,
    pub document_reviews: Vec<DocumentReview>,
    pub findings: Vec<Finding>,
    pub feedback_meeting: FeedbackMeeting,
    pub actions: Vec<Action>,
    /// The rows plan imports added (see `ImportedRow`), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported_rows: Vec<ImportedRow>,
    pub outcomes: Vec<Outcome>,
    #[serde(default)]
    pub fidelity: Option<FidelityReview>,
    /// Set once the case is closed (*Avslutt saken*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<super::case::Closing>,
    /// The case's own retention period in days (`None`: `DEFAULT_RETENTION_DAYS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// The documents asked for in the notice, in the order asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_documents: Vec<super::RequestedDocument>,
    /// The interviews planned per role for the notice.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub planned_interviews: super::PlannedInterviews,
    /// The day the participants' personal data was deleted (*Slett personopplysninger*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data_deleted_on: Option<jiff::civil::Date>,
    /// The report versions kept as sent, in the order they were made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report_versions: Vec<super::ReportVersion>,
    /// Set in a provider package: the action ids it was written with (actions the provider adds
    /// have other ids). `None` in a case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_package: Option<Vec<ActionId>>,
    /// Each entity's identity in every copy of the case, by its id in this file
    /// (`interview/3` → a UUID): what another copy, a merge or an analyst's join goes by.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub uuids: std::collections::BTreeMap<String, String>,
}

impl CaseSnapshot {
    pub fn interviews_with(&self, role: &RoleId) -> usize {
        self.interviews
            .iter()
            .filter(|i| &i.fields.role == role)
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

    /// The codes of these requirements, as a finding names them: "IP-1, IP-3".
    pub fn requirement_codes(&self, ids: &[super::RequirementId]) -> String {
        ids.iter()
            .filter_map(|id| self.requirement(*id).map(|r| r.code.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
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

    /// Distinct sources behind a finding: an interview counts once however many excerpts it
    /// gave; each document review counts once.
    pub fn source_count(&self, finding: &Finding) -> usize {
        distinct_sources(finding, |id| self.excerpt(id).map(|(i, _)| i.id))
    }

    /// How many distinct sources back each finding, for every finding at once: the excerpts
    /// are looked up through one index, not searched once per piece of evidence.
    pub fn source_counts(&self) -> HashMap<FindingId, usize> {
        let interview_of: HashMap<ExcerptId, InterviewId> = self
            .interviews
            .iter()
            .flat_map(|i| i.excerpts.iter().map(move |e| (e.id, i.id)))
            .collect();
        self.findings
            .iter()
            .map(|f| {
                let count = distinct_sources(f, |id| interview_of.get(&id).copied());
                (f.id, count)
            })
            .collect()
    }

    /// True when any excerpt, document review or finding refers to `requirement`.
    pub fn has_evidence(&self, requirement: RequirementId) -> bool {
        self.requirements_with_evidence().contains(&requirement)
    }

    /// The requirements any excerpt, document review or finding refers to, in one pass.
    fn requirements_with_evidence(&self) -> HashSet<RequirementId> {
        let links = self
            .interviews
            .iter()
            .flat_map(|i| &i.excerpts)
            .flat_map(|e| &e.links)
            .chain(self.document_reviews.iter().flat_map(|d| &d.links))
            .map(|l| l.requirement_id);
        let findings = self
            .findings
            .iter()
            .flat_map(|f| f.requirement_ids.iter().copied());
        links.chain(findings).collect()
    }

    pub fn warnings(&self, today: jiff::civil::Date) -> Warnings {
        self.warnings_with(today, &self.source_counts())
    }

    /// The warnings, with the findings' source counts already made (see `source_counts`).
    pub fn warnings_with(
        &self,
        today: jiff::civil::Date,
        source_counts: &HashMap<FindingId, usize>,
    ) -> Warnings {
        let with_evidence = self.requirements_with_evidence();
        let with_action: HashSet<FindingId> = self.actions.iter().map(|a| a.finding_id).collect();
        Warnings {
            requirements_without_evidence: self
                .requirements
                .iter()
                .filter(|r| !with_evidence.contains(&r.id))
                .map(|r| r.id)
                .collect(),
            single_source_findings: self
                .findings
                .iter()
                .filter(|f| {
                    f.kind != FindingKind::MeetsRequirement
                        && source_counts.get(&f.id).copied().unwrap_or(0) < 2
                })
                .map(|f| f.id)
                .collect(),
            deviations_without_action: self
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Deviation && !with_action.contains(&f.id))
                .map(|f| f.id)
                .collect(),
            overdue_actions: self
                .actions
                .iter()
                .filter(|a| a.fields.is_overdue(today))
                .map(|a| a.id)
                .collect(),
        }
    }
}

/// The distinct interviews and document reviews behind a finding's evidence; `interview_of`
/// names the interview an excerpt was taken from.
fn distinct_sources(
    finding: &Finding,
    interview_of: impl Fn(ExcerptId) -> Option<InterviewId>,
) -> usize {
    let mut sources: Vec<(u8, i64)> = finding
        .evidence
        .iter()
        .filter_map(|evidence| match evidence {
            EvidenceRef::Excerpt(id) => interview_of(*id).map(|i| (0, i.0)),
            EvidenceRef::DocumentReview(id) => Some((1, id.0)),
        })
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources.len()
}
