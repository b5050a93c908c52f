//! The whole case as JSON. Field names are those of the domain types and never change meaning;
//! `schema_version` says which shape a reader gets.

use serde::{Deserialize, Serialize};

use crate::domain::agreement::Agreement;
use crate::domain::{CaseSnapshot, FidelityPhase, FidelityReview, FidelityTotals, Rater};

/// The value of `format` in every JSON export.
pub const FORMAT: &str = "evalbench-case";
/// The shape of the export; raised only when a field changes meaning or is removed.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseExport {
    pub format: String,
    pub schema_version: u32,
    /// The program that wrote it, e.g. "evalbench 0.1.0".
    pub generator: String,
    pub case: CaseSnapshot,
    /// Derived from `case.fidelity` for readers that do not score themselves: each rater's
    /// total, section sums and (for complete scores) band. Empty without a review.
    #[serde(default)]
    pub fidelity_totals: Vec<FidelityTotals>,
    /// Derived too: how far the two evaluators agree (exact, within one, quadratic-weighted
    /// kappa), over the whole scale and per section. `None` without a review.
    #[serde(default)]
    pub fidelity_agreement: Option<FidelityAgreement>,
    /// The review at a glance: where it stands, both evaluators' and the consensus score per
    /// item, the agreement, the points to improve and the strengths. `None` without a review.
    #[serde(default)]
    pub fidelity: Option<FidelitySummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FidelitySummary {
    pub phase: FidelityPhase,
    /// Raters who have delivered their scores (`first`, `second`).
    pub sealed: Vec<Rater>,
    pub agreement: Agreement,
    /// Per section code, in the scale's order.
    pub section_agreement: Vec<(String, Agreement)>,
    pub items: Vec<FidelityItemScores>,
    /// Codes of the items whose consensus is below `improvement_below`.
    pub improvement_points: Vec<String>,
    pub improvement_below: u8,
    /// Codes of the items with the consensus at the top of the scale.
    pub strengths: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FidelityItemScores {
    pub code: String,
    pub first: Option<u8>,
    pub second: Option<u8>,
    pub consensus: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recommendation: String,
}

impl FidelitySummary {
    fn of(review: &FidelityReview) -> FidelitySummary {
        let score = |item, rater| review.score(item, rater).map(|s| s.score);
        FidelitySummary {
            phase: review.phase(),
            sealed: review.seals.iter().map(|s| s.rater).collect(),
            agreement: review.agreement(),
            section_agreement: review.section_agreement(),
            items: review
                .items
                .iter()
                .map(|item| FidelityItemScores {
                    code: item.code.clone(),
                    first: score(item.id, Rater::First),
                    second: score(item.id, Rater::Second),
                    consensus: score(item.id, Rater::Consensus),
                    recommendation: item.recommendation.clone(),
                })
                .collect(),
            improvement_points: review
                .improvement_points()
                .iter()
                .map(|i| i.code.clone())
                .collect(),
            improvement_below: review.improvement_below,
            strengths: review.strengths().iter().map(|i| i.code.clone()).collect(),
        }
    }
}

/// The evaluators' agreement in a fidelity review, for the JSON export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FidelityAgreement {
    pub overall: Agreement,
    /// Per section code, in the scale's order.
    pub sections: Vec<(String, Agreement)>,
}

impl CaseExport {
    pub fn new(case: CaseSnapshot) -> CaseExport {
        CaseExport {
            format: FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            generator: format!("evalbench {}", env!("CARGO_PKG_VERSION")),
            fidelity_totals: case.fidelity.as_ref().map_or_else(Vec::new, |review| {
                Rater::ALL.iter().map(|r| review.totals(*r)).collect()
            }),
            fidelity_agreement: case.fidelity.as_ref().map(|review| FidelityAgreement {
                overall: review.agreement(),
                sections: review.section_agreement(),
            }),
            fidelity: case.fidelity.as_ref().map(FidelitySummary::of),
            case,
        }
    }
}

/// Pretty-printed JSON of the whole case.
pub fn to_json(snapshot: &CaseSnapshot) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&CaseExport::new(snapshot.clone()))
}
