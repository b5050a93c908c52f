//! The evaluation report's content, worked out once and laid out by each format (the PDF
//! template in `assets/report/`, the DOCX writer). Every text is final: translated, dates
//! formatted, sources named by role and date, quotes only where an excerpt is shareable.

use serde::Serialize;

use crate::domain::{CaseSnapshot, Finding, FindingKind, Rater};
use crate::i18n::{Labelled, Lang, Quote, date, evidence_reference, t, tf};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub lang: &'static str,
    pub title: String,
    pub provider: String,
    /// For the PDF's metadata.
    pub evaluators: String,
    /// "Arrangøren har evaluert seg selv …" for a self-evaluation.
    pub self_evaluation_note: Option<String>,
    pub facts: Vec<(String, String)>,
    pub date: String,
    pub labels: Labels,
    pub counts: Vec<(String, usize)>,
    pub deviations: Vec<DeviationLine>,
    pub interviews: Vec<(String, usize)>,
    pub documents: Vec<String>,
    pub areas: Vec<AreaFindings>,
    pub fidelity: Option<FidelitySection>,
    pub outcomes: Outcomes,
    pub requirements: Vec<RequirementLine>,
    /// Set on a draft for the provider's comments: marked on every page of the PDF.
    pub draft: Option<DraftMark>,
    /// The provider's response to the findings of the draft (tilsvar), finding by finding.
    pub responses: Vec<ResponseLine>,
    /// In the final report: what changed in the findings since the last draft.
    pub changes: Vec<String>,
}

/// One finding's response from the provider, as the report shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseLine {
    /// "IP-1 · Planen kommer for sent".
    pub finding: String,
    /// "Enig", "Retter faktafeil", "Uenig".
    pub stance: String,
    pub text: String,
    /// "Funnet er endret etter tilsvaret." where it was.
    pub changed: Option<String>,
}

/// What marks a draft: the word across every page, and when the provider's answer is due.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DraftMark {
    /// "UTKAST".
    pub label: String,
    /// "Utkast til kommentar. Svar innen 01.03.2026." on the front page.
    pub note: String,
}

/// Headings and captions in the report's language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Labels {
    pub contents: String,
    pub summary: String,
    pub deviations: String,
    pub method: String,
    pub interviews: String,
    pub documents: String,
    pub findings: String,
    pub evidence: String,
    pub fidelity: String,
    pub outcomes: String,
    pub requirements: String,
    pub count: String,
    pub none: String,
    pub page: String,
    pub plan_deadline: String,
    pub kind: String,
    pub responses: String,
    pub changes: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviationLine {
    pub codes: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaFindings {
    pub title: String,
    pub findings: Vec<FindingText>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingText {
    pub kind: String,
    pub kind_code: String,
    pub codes: String,
    pub title: String,
    pub description: String,
    pub evidence: Vec<String>,
}

/// The fidelity review as the report shows it: the consensus, how far the evaluators agreed, a
/// bar per section, every item with both evaluators' scores, the strengths and the
/// recommendations. Built from what the reader may see (a blind review shows no other scores).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FidelitySection {
    pub title: String,
    pub total: String,
    pub band: String,
    /// «Samsvar mellom evaluatorene: 68 % like · …», and what kappa means; empty without pairs.
    pub agreement: String,
    pub agreement_note: String,
    pub section_header: Vec<String>,
    pub sections: Vec<FidelitySectionLine>,
    pub item_header: Vec<String>,
    pub items: Vec<Vec<String>>,
    pub strengths_label: String,
    /// «SERV-1 Individuelt tilpasset jobbsøk», items with the consensus at the top of the scale.
    pub strengths: Vec<String>,
    pub recommendations_label: String,
    /// «Forbedringspunkt», marking a recommendation whose item is below the scale's line.
    pub improve_label: String,
    pub recommendations: Vec<FidelityRecommendation>,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FidelitySectionLine {
    pub title: String,
    /// «17 / 25» (the consensus).
    pub sum: String,
    /// The consensus sum as a share of the section's highest, 0–100, for the bar.
    pub percent: f64,
    /// «67 % like · …», or «–» without pairs.
    pub agreement: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FidelityRecommendation {
    pub item: String,
    /// «konsensus 2», and whether it is below the scale's line (a point to improve).
    pub score: String,
    pub improve: bool,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcomes {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// (year, share to work or education in percent) for the chart.
    pub shares: Vec<(i32, f64)>,
    pub target: f64,
    pub caption: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequirementLine {
    pub code: String,
    pub title: String,
    pub text: String,
}

impl Report {
    pub fn new(snapshot: &CaseSnapshot, lang: Lang, today: jiff::civil::Date) -> Report {
        let facts = &snapshot.facts;
        let title = if facts.self_evaluation {
            t(lang, "report.title_self_evaluation")
        } else {
            t(lang, "report.title")
        };
        let codes = |finding: &Finding| snapshot.requirement_codes(&finding.requirement_ids);
        Report {
            lang: lang.code(),
            title: title.to_owned(),
            provider: facts.provider_name.clone(),
            evaluators: snapshot.evaluators.join(", "),
            self_evaluation_note: facts
                .self_evaluation
                .then(|| t(lang, "report.self_evaluation_note").to_owned()),
            facts: vec![
                (
                    t(lang, "facts.measure").to_owned(),
                    facts.measure.label(lang).into_owned(),
                ),
                (
                    t(lang, "facts.org_number").to_owned(),
                    facts
                        .org_number
                        .as_ref()
                        .map_or_else(|| "–".to_owned(), ToString::to_string),
                ),
                (t(lang, "facts.nav_unit").to_owned(), facts.nav_unit.clone()),
                (
                    t(lang, "facts.period").to_owned(),
                    format!(
                        "{} – {}",
                        date(lang, facts.period_start),
                        date(lang, facts.period_end)
                    ),
                ),
                (
                    t(lang, "facts.evaluators").to_owned(),
                    snapshot.evaluators.join(", "),
                ),
                (
                    t(lang, "facts.plan_deadline").to_owned(),
                    date(lang, snapshot.key_dates.plan_deadline),
                ),
            ],
            date: date(lang, Some(today)),
            labels: Labels {
                contents: t(lang, "report.contents").to_owned(),
                summary: t(lang, "report.summary").to_owned(),
                deviations: t(lang, "report.deviations").to_owned(),
                method: t(lang, "report.method").to_owned(),
                interviews: t(lang, "page.interviews").to_owned(),
                documents: t(lang, "page.documents").to_owned(),
                findings: t(lang, "report.findings").to_owned(),
                evidence: t(lang, "report.evidence").to_owned(),
                fidelity: t(lang, "report.fidelity").to_owned(),
                outcomes: t(lang, "report.outcomes").to_owned(),
                requirements: t(lang, "report.requirements").to_owned(),
                count: t(lang, "report.count").to_owned(),
                none: t(lang, "report.none").to_owned(),
                page: t(lang, "report.page").to_owned(),
                plan_deadline: t(lang, "facts.plan_deadline").to_owned(),
                kind: t(lang, "report.kind").to_owned(),
                responses: t(lang, "report.responses").to_owned(),
                changes: t(lang, "report.changes").to_owned(),
            },
            counts: FindingKind::ALL
                .iter()
                .map(|kind| (kind.label(lang).into_owned(), snapshot.findings_of(*kind)))
                .collect(),
            deviations: snapshot
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Deviation)
                .map(|f| DeviationLine {
                    codes: codes(f),
                    title: f.fields.title.clone(),
                })
                .collect(),
            interviews: snapshot
                .programme
                .role_ids()
                .map(|role| {
                    (
                        snapshot.programme.role_name(role, lang.code()),
                        snapshot.interviews_with(role),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .collect(),
            documents: snapshot
                .document_reviews
                .iter()
                .map(|d| {
                    format!(
                        "{} ({}, {})",
                        d.fields.title,
                        d.fields.kind.label(lang),
                        date(lang, d.fields.document_date)
                    )
                })
                .collect(),
            areas: snapshot
                .areas
                .iter()
                .map(|area| AreaFindings {
                    title: area.title.clone(),
                    findings: snapshot
                        .findings
                        .iter()
                        // A finding is reported under the area of its first requirement.
                        .filter(|f| {
                            f.requirement_ids
                                .first()
                                .and_then(|id| snapshot.requirement(*id))
                                .is_some_and(|r| r.area_code == area.code)
                        })
                        .map(|f| FindingText {
                            kind: f.kind.label(lang).into_owned(),
                            kind_code: serde_json::to_value(f.kind)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default(),
                            codes: codes(f),
                            title: f.fields.title.clone(),
                            description: f.fields.description.clone(),
                            evidence: f
                                .evidence
                                .iter()
                                .map(|e| evidence_reference(snapshot, *e, lang, Quote::IfShareable))
                                .collect(),
                        })
                        .collect(),
                })
                .filter(|a| !a.findings.is_empty())
                .collect(),
            fidelity: snapshot
                .fidelity
                .as_ref()
                .map(|review| fidelity_section(snapshot, review, lang)),
            outcomes: Outcomes {
                header: crate::domain::outcome::COLUMN_KEYS
                    .iter()
                    .map(|key| t(lang, key).to_owned())
                    .collect(),
                rows: snapshot
                    .outcomes
                    .iter()
                    .map(|o| {
                        vec![
                            o.year.to_string(),
                            o.ended.to_string(),
                            o.to_work.to_string(),
                            o.to_education.to_string(),
                            o.to_other.to_string(),
                            o.work_or_education_share()
                                .map_or_else(|| "–".to_owned(), |s| format!("{:.0} %", s * 100.0)),
                        ]
                    })
                    .collect(),
                shares: snapshot
                    .outcomes
                    .iter()
                    .filter_map(|o| o.work_or_education_share().map(|s| (o.year, s * 100.0)))
                    .collect(),
                target: crate::domain::outcome::TARGET_SHARE_PERCENT,
                caption: tf(
                    lang,
                    "outcomes.intro",
                    &[("target", &crate::domain::outcome::TARGET_SHARE_PERCENT)],
                ),
            },
            requirements: snapshot
                .requirements
                .iter()
                .map(|r| RequirementLine {
                    code: r.code.clone(),
                    title: r.title.clone(),
                    text: r.text.clone(),
                })
                .collect(),
            draft: None,
            responses: response_lines(snapshot, lang),
            changes: Vec::new(),
        }
    }

    /// The same report as a draft for the provider's comments, answered by `answer_by`.
    #[must_use]
    pub fn as_draft(mut self, lang: Lang, answer_by: Option<jiff::civil::Date>) -> Report {
        let note = match answer_by {
            Some(day) => crate::i18n::tf(
                lang,
                "report.draft_note_by",
                &[("date", &date(lang, Some(day)))],
            ),
            None => t(lang, "report.draft_note").to_owned(),
        };
        self.draft = Some(DraftMark {
            label: t(lang, "report.draft_label").to_owned(),
            note,
        });
        self
    }
}

pub(super) fn fidelity_section(
    snapshot: &CaseSnapshot,
    review: &crate::domain::FidelityReview,
    lang: Lang,
) -> FidelitySection {
    let totals = review.totals(Rater::Consensus);
    let section_agreement = review.section_agreement();
    let name = |rater| crate::i18n::rater_name(snapshot, rater, lang);
    let score_text = |item, rater| {
        review
            .score(item, rater)
            .map_or_else(|| "–".to_owned(), |s| s.score.to_string())
    };
    FidelitySection {
        title: review.title.clone(),
        total: tf(
            lang,
            "fidelity.total_of",
            &[("total", &totals.total), ("max", &totals.max_total)],
        ),
        band: totals.band.clone().unwrap_or_else(|| "–".to_owned()),
        agreement: crate::i18n::agreement_text(lang, &review.agreement())
            .map(|text| format!("{}: {text}", t(lang, "fidelity.agreement")))
            .unwrap_or_default(),
        agreement_note: t(lang, "fidelity.kappa_help").to_owned(),
        section_header: vec![
            t(lang, "fidelity.section").to_owned(),
            t(lang, "fidelity.consensus").to_owned(),
            t(lang, "fidelity.agreement_short").to_owned(),
        ],
        sections: totals
            .sections
            .iter()
            .map(|(code, sum, max)| {
                let title = review
                    .sections
                    .iter()
                    .find(|s| &s.code == code)
                    .map_or_else(|| code.clone(), |s| s.title.clone());
                let agreement = section_agreement
                    .iter()
                    .find(|(c, _)| c == code)
                    .and_then(|(_, a)| crate::i18n::agreement_text(lang, a))
                    .unwrap_or_else(|| "–".to_owned());
                FidelitySectionLine {
                    title,
                    sum: format!("{sum} / {max}"),
                    percent: if *max == 0 {
                        0.0
                    } else {
                        f64::from(*sum) * 100.0 / f64::from(*max)
                    },
                    agreement,
                }
            })
            .collect(),
        item_header: vec![
            t(lang, "fidelity.item").to_owned(),
            name(Rater::First),
            name(Rater::Second),
            t(lang, "fidelity.consensus").to_owned(),
            t(lang, "fidelity.rationale").to_owned(),
        ],
        items: review
            .items
            .iter()
            .map(|item| {
                vec![
                    format!("{} {}", item.code, item.title),
                    score_text(item.id, Rater::First),
                    score_text(item.id, Rater::Second),
                    score_text(item.id, Rater::Consensus),
                    review
                        .score(item.id, Rater::Consensus)
                        .map(|s| s.rationale.clone())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
        strengths_label: t(lang, "fidelity.strengths_heading").to_owned(),
        strengths: review
            .strengths()
            .iter()
            .map(|item| format!("{} {}", item.code, item.title))
            .collect(),
        recommendations_label: t(lang, "fidelity.recommendations_heading").to_owned(),
        improve_label: t(lang, "fidelity.improve_mark").to_owned(),
        recommendations: review
            .items
            .iter()
            .filter(|item| !item.recommendation.is_empty())
            .map(|item| {
                let consensus = review.score(item.id, Rater::Consensus).map(|s| s.score);
                FidelityRecommendation {
                    item: format!("{} {}", item.code, item.title),
                    score: consensus.map_or_else(String::new, |score| {
                        tf(lang, "fidelity.consensus_score", &[("score", &score)])
                    }),
                    improve: consensus.is_some_and(|score| score < review.improvement_below),
                    text: item.recommendation.clone(),
                }
            })
            .collect(),
        source: review.source.clone(),
    }
}

/// The findings the provider answered, in the report's order of findings.
pub fn response_lines(snapshot: &CaseSnapshot, lang: Lang) -> Vec<ResponseLine> {
    use crate::i18n::Labelled;
    snapshot
        .findings
        .iter()
        .filter_map(|finding| {
            let response = finding.response.as_ref()?;
            Some(ResponseLine {
                finding: format!(
                    "{} · {}",
                    snapshot.requirement_codes(&finding.requirement_ids),
                    finding.fields.title
                ),
                stance: response.stance.label(lang).into_owned(),
                text: response.text.clone(),
                changed: response
                    .changed
                    .then(|| t(lang, "findings.response_changed").to_owned() + "."),
            })
        })
        .collect()
}

/// What changed in the findings since the last draft sent, one line each ("Nytt funn: …");
/// empty when no draft was kept.
pub fn change_lines(snapshot: &CaseSnapshot, lang: Lang) -> Vec<String> {
    use crate::domain::report_version::{FindingChange, changes_since, last_draft};
    use crate::i18n::Labelled;
    let Some(draft) = last_draft(&snapshot.report_versions) else {
        return Vec::new();
    };
    changes_since(draft, &snapshot.findings, &snapshot.uuids)
        .into_iter()
        .map(|change| match change {
            FindingChange::Added { title } => {
                crate::i18n::tf(lang, "report.change_added", &[("title", &title)])
            }
            FindingChange::Removed { title } => {
                crate::i18n::tf(lang, "report.change_removed", &[("title", &title)])
            }
            FindingChange::Reworded { title } => {
                crate::i18n::tf(lang, "report.change_reworded", &[("title", &title)])
            }
            FindingChange::KindChanged { title, from, to } => crate::i18n::tf(
                lang,
                "report.change_kind",
                &[
                    ("title", &title),
                    ("from", &from.label(lang)),
                    ("to", &to.label(lang)),
                ],
            ),
        })
        .collect()
}
