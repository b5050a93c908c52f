//! The network view: many cases compared. Each case is reduced to a `CaseSummary` (what a
//! comparison needs, no notes), and the summaries to an `Overview`: per requirement area, how
//! many providers had deviations, improvement areas and good practice; outcome shares per
//! provider and year; plan closure per case; and the good practice itself, to share what works.

mod output;
mod read;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::coverage::{Source, coverage};
use crate::domain::programme::Names;
use crate::domain::{ActionStatus, CaseSnapshot, FindingKind, Measure};

pub use output::{OutputFormat, write};
pub use read::{Progress, Skipped, case_files, read_cases};

/// The columns of the area, outcome and plan tables (translation keys), for the workbook and the
/// Nettverk page alike.
pub const AREA_COLUMNS: [&str; 7] = [
    "network.col.area",
    "network.col.providers_with_deviations",
    "network.col.providers_with_improvement_areas",
    "network.col.providers_with_good_practice",
    "network.col.deviations",
    "network.col.improvement_areas",
    "network.col.good_practice",
];
pub const OUTCOME_COLUMNS: [&str; 7] = [
    "network.col.provider",
    "network.col.year",
    "outcomes.ended",
    "outcomes.to_work",
    "outcomes.to_education",
    "outcomes.to_other",
    "network.col.work_or_education_share",
];
pub const SOURCE_COLUMNS: [&str; 6] = [
    "network.col.source_group",
    "network.col.cases",
    "network.col.interviews",
    "network.col.evidence",
    "network.col.requirements_with_evidence",
    "network.col.evidence_share",
];
pub const PLAN_COLUMNS: [&str; 6] = [
    "network.col.provider",
    "network.col.year",
    "network.col.actions",
    "network.col.actions_closed",
    "network.col.actions_verified",
    "network.col.closure_rate",
];

/// One case, reduced to what the comparison needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseSummary {
    pub case_id: String,
    /// The provider's name, or its code when anonymised.
    pub provider: String,
    pub org_number: Option<String>,
    pub measure: Measure,
    /// The year of the feedback meeting, else of the period's end or start.
    pub year: Option<i16>,
    pub self_evaluation: bool,
    /// Findings by requirement area (area code → counts).
    pub areas: Vec<AreaCounts>,
    pub outcomes: Vec<crate::domain::Outcome>,
    pub actions: usize,
    /// Done or verified closed.
    pub actions_closed: usize,
    pub actions_verified: usize,
    pub good_practice: Vec<GoodPractice>,
    /// Requirements in the case's catalog.
    pub requirements: usize,
    /// The evidence from each side the case's catalog triangulates, in the catalog's order.
    pub sources: Vec<SourceCounts>,
}

/// One side's evidence in one case. Cases are compared side by side by the group's id, so a
/// VTA and an AFT case still compare their NAV and provider sides.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SourceCounts {
    pub group: String,
    pub names: Names,
    pub interviews: usize,
    /// Links from this side's excerpts to requirements.
    pub evidence: usize,
    /// Requirements with at least one such link.
    pub requirements: usize,
}

/// A case's findings in one requirement area.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AreaCounts {
    pub code: String,
    pub title: String,
    pub deviations: usize,
    pub improvement_areas: usize,
    pub good_practice: usize,
}

/// A good practice finding, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoodPractice {
    pub provider: String,
    pub year: Option<i16>,
    pub area_title: String,
    pub requirement_codes: String,
    pub title: String,
    pub description: String,
}

impl CaseSummary {
    pub fn of(snapshot: &CaseSnapshot) -> CaseSummary {
        let year = snapshot
            .key_dates
            .feedback_meeting
            .or(snapshot.facts.period_end)
            .or(snapshot.facts.period_start)
            .map(jiff::civil::Date::year);
        let area_title = |code: &str| {
            snapshot
                .areas
                .iter()
                .find(|a| a.code == code)
                .map_or_else(|| code.to_owned(), |a| a.title.clone())
        };
        let mut areas: BTreeMap<String, AreaCounts> = BTreeMap::new();
        let mut good_practice = Vec::new();
        for finding in &snapshot.findings {
            // A finding counts once in each area its requirements belong to.
            let codes: BTreeSet<&str> = finding
                .requirement_ids
                .iter()
                .filter_map(|id| snapshot.requirement(*id))
                .map(|r| r.area_code.as_str())
                .collect();
            for code in &codes {
                let counts = areas
                    .entry((*code).to_owned())
                    .or_insert_with(|| AreaCounts {
                        code: (*code).to_owned(),
                        title: area_title(code),
                        ..AreaCounts::default()
                    });
                match finding.kind {
                    FindingKind::Deviation => counts.deviations += 1,
                    FindingKind::ImprovementArea => counts.improvement_areas += 1,
                    FindingKind::GoodPractice => counts.good_practice += 1,
                    FindingKind::MeetsRequirement => {}
                }
            }
            if finding.kind == FindingKind::GoodPractice {
                good_practice.push(GoodPractice {
                    provider: snapshot.facts.provider_name.clone(),
                    year,
                    area_title: codes
                        .iter()
                        .map(|code| area_title(code))
                        .collect::<Vec<_>>()
                        .join(", "),
                    requirement_codes: snapshot.requirement_codes(&finding.requirement_ids),
                    title: finding.fields.title.clone(),
                    description: finding.fields.description.clone(),
                });
            }
        }
        let matrix = coverage(snapshot);
        let sources = matrix
            .sources
            .iter()
            .enumerate()
            .filter_map(|(column, source)| {
                let Source::Group(group) = source else {
                    return None;
                };
                let cells = matrix.rows.iter().filter_map(|row| row.cells.get(column));
                Some(SourceCounts {
                    group: group.to_string(),
                    names: snapshot
                        .programme
                        .group(group)
                        .map(|g| g.names.clone())
                        .unwrap_or_default(),
                    interviews: snapshot
                        .interviews
                        .iter()
                        .filter(|i| {
                            snapshot
                                .programme
                                .role(&i.fields.role)
                                .is_some_and(|r| &r.group == group)
                        })
                        .count(),
                    evidence: cells
                        .clone()
                        .map(crate::domain::coverage::Cell::count)
                        .sum(),
                    requirements: cells.filter(|c| c.count() > 0).count(),
                })
            })
            .collect();
        let closed = |status: ActionStatus| {
            matches!(status, ActionStatus::Done | ActionStatus::VerifiedClosed)
        };
        CaseSummary {
            case_id: snapshot.case_id.clone(),
            provider: snapshot.facts.provider_name.clone(),
            org_number: snapshot.facts.org_number.as_ref().map(ToString::to_string),
            measure: snapshot.facts.measure,
            year,
            self_evaluation: snapshot.facts.self_evaluation,
            areas: areas.into_values().collect(),
            outcomes: snapshot.outcomes.clone(),
            actions: snapshot.actions.len(),
            actions_closed: snapshot
                .actions
                .iter()
                .filter(|a| closed(a.fields.status))
                .count(),
            actions_verified: snapshot.actions_with(ActionStatus::VerifiedClosed),
            good_practice,
            requirements: snapshot.requirements.len(),
            sources,
        }
    }

    /// Replaces the provider's name and number by a stable code: the same provider (by
    /// organisation number, else by name) gets the same code in every run with the same `salt`.
    /// Without a salt, whoever knows an organisation number can compute its code.
    #[must_use]
    pub fn anonymised(mut self, salt: &str) -> CaseSummary {
        let identity = self.provider_key();
        let digest = Sha256::digest(format!("evalbench-provider\0{salt}\0{identity}"));
        let code = format!("P-{}", hex(&digest[..4]).to_uppercase());
        for practice in &mut self.good_practice {
            practice.provider.clone_from(&code);
            // Free text may name the provider; it goes with the name.
            practice.description = practice.description.replace(&self.provider, &code);
            practice.title = practice.title.replace(&self.provider, &code);
        }
        self.provider = code;
        self.org_number = None;
        self
    }

    /// Who the provider is, for counting providers: the organisation number, else the name.
    pub fn provider_key(&self) -> String {
        self.org_number
            .clone()
            .unwrap_or_else(|| self.provider.trim().to_lowercase())
    }

    /// Share of actions done or verified closed; `None` without actions.
    pub fn closure_rate(&self) -> Option<f64> {
        (self.actions > 0).then(|| self.actions_closed as f64 / self.actions as f64)
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut text, b| {
        let _ = write!(text, "{b:02x}");
        text
    })
}

/// One requirement area across all cases.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AreaRow {
    pub code: String,
    pub title: String,
    /// Providers with at least one finding of the kind in the area.
    pub providers_with_deviations: usize,
    pub providers_with_improvement_areas: usize,
    pub providers_with_good_practice: usize,
    pub deviations: usize,
    pub improvement_areas: usize,
    pub good_practice: usize,
}

impl AreaRow {
    /// The figures in table order: providers with deviations, improvement areas and good
    /// practice, then the three counts of findings.
    pub fn figures(&self) -> [usize; 6] {
        [
            self.providers_with_deviations,
            self.providers_with_improvement_areas,
            self.providers_with_good_practice,
            self.deviations,
            self.improvement_areas,
            self.good_practice,
        ]
    }
}

/// One side across the cases that have it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    pub group: String,
    pub names: Names,
    /// Cases whose catalog has the group.
    pub cases: usize,
    pub interviews: usize,
    pub evidence: usize,
    /// Requirements with evidence from the side, summed over those cases.
    pub requirements_with_evidence: usize,
    /// Requirements of those cases.
    pub requirements: usize,
}

impl SourceRow {
    /// The share of the cases' requirements the side gave evidence for.
    pub fn share(&self) -> Option<f64> {
        (self.requirements > 0)
            .then(|| self.requirements_with_evidence as f64 / self.requirements as f64)
    }

    pub fn name(&self, lang: crate::i18n::Lang) -> String {
        crate::domain::programme::name_in(&self.names, lang.code())
            .map_or_else(|| self.group.clone(), str::to_owned)
    }
}

/// The sides one or more cases triangulate, by group id in catalog order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceSet {
    pub groups: Vec<String>,
    pub cases: usize,
}

/// One provider's outcomes in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutcomeRow {
    pub provider: String,
    pub year: i32,
    pub ended: u32,
    pub to_work: u32,
    pub to_education: u32,
    pub to_other: u32,
    /// Work or education, of those who ended.
    pub work_or_education_share: Option<f64>,
}

/// One case's plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanRow {
    pub provider: String,
    pub year: Option<i16>,
    pub actions: usize,
    pub actions_closed: usize,
    pub actions_verified: usize,
    pub closure_rate: Option<f64>,
}

/// «Sakene sammenligner ulike sider: …»: said wherever the source-group table is shown, when
/// the cases' catalogs do not triangulate the same sides.
pub fn sources_differ(overview: &Overview, lang: crate::i18n::Lang) -> String {
    let name = |group: &str| {
        overview
            .sources
            .iter()
            .find(|s| s.group == group)
            .map_or_else(|| group.to_owned(), |s| s.name(lang))
    };
    let sets: Vec<String> = overview
        .source_sets
        .iter()
        .map(|set| {
            let groups: Vec<String> = set.groups.iter().map(|g| name(g)).collect();
            crate::i18n::tf(
                lang,
                "network.source_set",
                &[
                    ("groups", &groups.join(", ")),
                    ("cases", &crate::i18n::counted(lang, "cases", set.cases)),
                ],
            )
        })
        .collect();
    crate::i18n::tf(
        lang,
        "network.sources_differ",
        &[("sets", &sets.join("; "))],
    )
}

/// The sides across cases, matched by group id (each counted only in the cases that have it),
/// in the order of the most common set of sides; and the sets themselves.
fn compare_sources(summaries: &[CaseSummary]) -> (Vec<SourceRow>, Vec<SourceSet>) {
    let mut sets: Vec<SourceSet> = Vec::new();
    let mut rows: BTreeMap<&str, SourceRow> = BTreeMap::new();
    for summary in summaries {
        let groups: Vec<String> = summary.sources.iter().map(|s| s.group.clone()).collect();
        match sets.iter_mut().find(|set| set.groups == groups) {
            Some(set) => set.cases += 1,
            None => sets.push(SourceSet { groups, cases: 1 }),
        }
        for counts in &summary.sources {
            let row = rows.entry(&counts.group).or_insert_with(|| SourceRow {
                group: counts.group.clone(),
                names: counts.names.clone(),
                ..SourceRow::default()
            });
            row.cases += 1;
            row.interviews += counts.interviews;
            row.evidence += counts.evidence;
            row.requirements_with_evidence += counts.requirements;
            row.requirements += summary.requirements;
        }
    }
    // Most cases first; equal counts keep the order met (the summaries are sorted).
    sets.sort_by_key(|set| std::cmp::Reverse(set.cases));
    let order = |group: &str| {
        sets.iter()
            .flat_map(|set| &set.groups)
            .position(|g| g == group)
            .unwrap_or(usize::MAX)
    };
    let mut rows: Vec<SourceRow> = rows.into_values().collect();
    rows.sort_by_key(|row| order(&row.group));
    (rows, sets)
}

/// Providers (by key) with deviations, improvement areas and good practice in one area.
type ProviderSets<'a> = [BTreeSet<&'a str>; 3];

/// The comparison of many cases.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Overview {
    pub cases: usize,
    pub providers: usize,
    pub areas: Vec<AreaRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub plans: Vec<PlanRow>,
    pub good_practice: Vec<GoodPractice>,
    /// Each side across the cases that have it.
    pub sources: Vec<SourceRow>,
    /// The different sets of sides among the cases, the most common first: more than one means
    /// the cases' catalogs do not triangulate the same sides.
    pub source_sets: Vec<SourceSet>,
    /// Files that were not read, and why.
    pub skipped: Vec<Skipped>,
    /// The cases behind it, one each (what the Parquet table is written from).
    pub summaries: Vec<CaseSummary>,
}

impl Overview {
    /// Builds the comparison; the same summaries in any order give the same overview.
    pub fn of(mut summaries: Vec<CaseSummary>, skipped: Vec<Skipped>) -> Overview {
        summaries.sort_by(|a, b| {
            (&a.provider, a.year, &a.case_id).cmp(&(&b.provider, b.year, &b.case_id))
        });
        let keys: Vec<String> = summaries.iter().map(CaseSummary::provider_key).collect();
        let providers: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
        let mut areas: BTreeMap<(String, String), (AreaRow, ProviderSets<'_>)> = BTreeMap::new();
        for (summary, key) in summaries.iter().zip(&keys) {
            for counts in &summary.areas {
                let (row, sets) = areas
                    .entry((counts.code.clone(), counts.title.clone()))
                    .or_insert_with(|| {
                        let row = AreaRow {
                            code: counts.code.clone(),
                            title: counts.title.clone(),
                            ..AreaRow::default()
                        };
                        (row, Default::default())
                    });
                row.deviations += counts.deviations;
                row.improvement_areas += counts.improvement_areas;
                row.good_practice += counts.good_practice;
                for (set, n) in sets.iter_mut().zip([
                    counts.deviations,
                    counts.improvement_areas,
                    counts.good_practice,
                ]) {
                    if n > 0 {
                        set.insert(key.as_str());
                    }
                }
            }
        }
        let areas = areas
            .into_values()
            .map(|(mut row, [deviations, improvements, good])| {
                row.providers_with_deviations = deviations.len();
                row.providers_with_improvement_areas = improvements.len();
                row.providers_with_good_practice = good.len();
                row
            })
            .collect();
        let outcomes = summaries
            .iter()
            .flat_map(|summary| {
                summary.outcomes.iter().map(|o| OutcomeRow {
                    provider: summary.provider.clone(),
                    year: o.year,
                    ended: o.ended,
                    to_work: o.to_work,
                    to_education: o.to_education,
                    to_other: o.to_other,
                    work_or_education_share: o.work_or_education_share(),
                })
            })
            .collect();
        let plans = summaries
            .iter()
            .map(|summary| PlanRow {
                provider: summary.provider.clone(),
                year: summary.year,
                actions: summary.actions,
                actions_closed: summary.actions_closed,
                actions_verified: summary.actions_verified,
                closure_rate: summary.closure_rate(),
            })
            .collect();
        let good_practice = summaries
            .iter()
            .flat_map(|summary| summary.good_practice.iter().cloned())
            .collect();
        let (sources, source_sets) = compare_sources(&summaries);
        Overview {
            cases: summaries.len(),
            providers: providers.len(),
            areas,
            outcomes,
            plans,
            good_practice,
            sources,
            source_sets,
            skipped,
            summaries,
        }
    }

    /// Whether every case triangulates the same sides.
    pub fn sources_match(&self) -> bool {
        self.source_sets.len() <= 1
    }

    /// Good practice whose title, description, area or provider contains every word of `query`
    /// (case-insensitive); all of it for an empty query.
    pub fn search_good_practice(&self, query: &str) -> Vec<&GoodPractice> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.good_practice
            .iter()
            .filter(|practice| {
                let text = format!(
                    "{} {} {} {} {}",
                    practice.title,
                    practice.description,
                    practice.area_title,
                    practice.requirement_codes,
                    practice.provider
                )
                .to_lowercase();
                words.iter().all(|word| text.contains(word))
            })
            .collect()
    }
}
