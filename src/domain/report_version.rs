//! Kept report versions: the report as it was sent, first as a draft for the provider's
//! comments (*Send utkast til kommentar*), then final (*Ferdigstill rapport*). The file itself is
//! kept inside the case by its SHA-256 and never changes; a version is numbered by its place in
//! the order the versions were made, so copies of a case merged together agree on the numbers.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Finding, FindingKind, Rejection};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Sent to the provider for comments on matters of fact, with a date to answer by.
    Draft,
    /// The report as delivered at the feedback meeting and archived.
    Final,
}

impl ReportKind {
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Draft => "draft",
            ReportKind::Final => "final",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportKind> {
        match code {
            "draft" => Some(ReportKind::Draft),
            "final" => Some(ReportKind::Final),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportVersion {
    /// Its identity in every copy of the case (UUID v7: in the order versions were made).
    pub uuid: String,
    /// 1, 2, …: its place among the case's versions.
    pub number: usize,
    pub kind: ReportKind,
    pub made_on: Date,
    /// Who kept it (the profile name of the evaluator).
    pub made_by: String,
    /// A draft's date for the provider's answer.
    pub answer_by: Option<Date>,
    /// The name the file was saved under.
    pub file_name: String,
    /// The SHA-256 of the file's bytes (hex), by which it is kept inside the case.
    pub sha256: String,
    pub size_bytes: u64,
    /// The findings as they stood in this version, to say what changed since.
    #[serde(default, skip_serializing)]
    pub findings: Vec<FindingAtVersion>,
}

/// A finding as a kept version held it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingAtVersion {
    pub uuid: String,
    pub kind: FindingKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// How a finding changed since a kept version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindingChange {
    Added {
        title: String,
    },
    Removed {
        title: String,
    },
    KindChanged {
        title: String,
        from: FindingKind,
        to: FindingKind,
    },
    /// Its title or description was reworded.
    Reworded {
        title: String,
    },
}

/// What changed in `findings` (with `uuids`, the case's identities by `finding/N`) since
/// `version`: added, removed, kind changed, reworded — in the order of the current findings,
/// the removed ones last.
pub fn changes_since(
    version: &ReportVersion,
    findings: &[Finding],
    uuids: &std::collections::BTreeMap<String, String>,
) -> Vec<FindingChange> {
    let mut changes = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for finding in findings {
        let uuid = uuids.get(&finding.id.to_string());
        let before = uuid.and_then(|u| version.findings.iter().find(|f| &f.uuid == u));
        let title = finding.fields.title.clone();
        match before {
            None => changes.push(FindingChange::Added { title }),
            Some(before) => {
                seen.insert(before.uuid.clone());
                if before.kind != finding.kind {
                    changes.push(FindingChange::KindChanged {
                        title,
                        from: before.kind,
                        to: finding.kind,
                    });
                } else if before.title.trim() != finding.fields.title.trim()
                    || before.description.trim() != finding.fields.description.trim()
                {
                    changes.push(FindingChange::Reworded { title });
                }
            }
        }
    }
    for before in &version.findings {
        if !seen.contains(&before.uuid) {
            changes.push(FindingChange::Removed {
                title: before.title.clone(),
            });
        }
    }
    changes
}

/// The last draft kept, if the report is not yet final: what a final version is compared with.
pub fn last_draft(versions: &[ReportVersion]) -> Option<&ReportVersion> {
    versions.iter().rev().find(|v| v.kind == ReportKind::Draft)
}

/// Days the provider gets to answer a draft unless the evaluator picks another day.
pub const ANSWER_DAYS: i64 = 14;

/// The default day a draft kept `today` is to be answered by.
pub fn default_answer_by(today: Date) -> Date {
    today.saturating_add(jiff::Span::new().days(ANSWER_DAYS))
}

/// Whether a version of `kind` may be kept after `versions`: drafts until the report is final,
/// and one final version, after a draft has gone to the provider.
pub fn check_may_keep(versions: &[ReportVersion], kind: ReportKind) -> Result<(), Rejection> {
    if versions.iter().any(|v| v.kind == ReportKind::Final) {
        return Err(Rejection::ReportAlreadyFinal);
    }
    if kind == ReportKind::Final && !versions.iter().any(|v| v.kind == ReportKind::Draft) {
        return Err(Rejection::ReportNoDraft);
    }
    Ok(())
}

/// The version numbered `number`.
pub fn numbered(versions: &[ReportVersion], number: usize) -> Option<&ReportVersion> {
    versions.iter().find(|v| v.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(number: usize, kind: ReportKind) -> ReportVersion {
        ReportVersion {
            uuid: format!("v{number}"),
            number,
            kind,
            made_on: jiff::civil::date(2026, 3, 1),
            made_by: "Evaluator".into(),
            answer_by: None,
            file_name: "rapport.pdf".into(),
            sha256: "00".into(),
            size_bytes: 1,
            findings: Vec::new(),
        }
    }

    #[test]
    fn drafts_until_final_and_final_only_after_a_draft() {
        assert_eq!(check_may_keep(&[], ReportKind::Draft), Ok(()));
        assert_eq!(
            check_may_keep(&[], ReportKind::Final),
            Err(Rejection::ReportNoDraft)
        );
        let drafts = [version(1, ReportKind::Draft), version(2, ReportKind::Draft)];
        assert_eq!(check_may_keep(&drafts, ReportKind::Draft), Ok(()));
        assert_eq!(check_may_keep(&drafts, ReportKind::Final), Ok(()));
        let done = [version(1, ReportKind::Draft), version(2, ReportKind::Final)];
        for kind in [ReportKind::Draft, ReportKind::Final] {
            assert_eq!(
                check_may_keep(&done, kind),
                Err(Rejection::ReportAlreadyFinal)
            );
        }
        assert_eq!(numbered(&done, 2).map(|v| v.kind), Some(ReportKind::Final));
        assert!(numbered(&done, 3).is_none());
    }
}
