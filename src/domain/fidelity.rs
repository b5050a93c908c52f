//! A fidelity review: a scale whose items are scored separately by two evaluators, who then
//! agree on a consensus score per item. Totals, section sums and the band are derived here.

use serde::{Deserialize, Serialize};

use super::finding::EvidenceRef;
use super::ids::FidelityItemId;

/// A band of the total, reached from `min_total` up (e.g. "God troskap" from 100).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min_total: u32,
    pub label: String,
}

/// Whose score it is. The two evaluators score independently; the consensus is what counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rater {
    First,
    Second,
    Consensus,
}

impl Rater {
    pub const ALL: [Rater; 3] = [Rater::First, Rater::Second, Rater::Consensus];

    pub fn code(self) -> &'static str {
        match self {
            Rater::First => "first",
            Rater::Second => "second",
            Rater::Consensus => "consensus",
        }
    }

    pub fn from_code(code: &str) -> Option<Rater> {
        Rater::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A section of the scale, e.g. "Bemanning".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FidelitySection {
    pub code: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FidelityItem {
    pub id: FidelityItemId,
    pub section_code: String,
    pub code: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub guidance: String,
    /// What each score means, lowest score first.
    pub anchors: Vec<String>,
}

/// One rater's score of one item, with the reasons and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FidelityScore {
    pub item_id: FidelityItemId,
    pub rater: Rater,
    pub score: u8,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

/// The case's copy of a fidelity scale and the scores given so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FidelityReview {
    pub catalog_id: String,
    pub version: String,
    pub title: String,
    pub source: String,
    pub min: u8,
    pub max: u8,
    pub bands: Vec<Band>,
    pub sections: Vec<FidelitySection>,
    pub items: Vec<FidelityItem>,
    pub scores: Vec<FidelityScore>,
}

/// Sums of one rater's scores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FidelityTotals {
    pub rater: Rater,
    /// How many items this rater has scored.
    pub scored: usize,
    pub total: u32,
    pub max_total: u32,
    /// (section code, sum, highest possible sum) in scale order.
    pub sections: Vec<(String, u32, u32)>,
    /// The band of the total; only once every item is scored, since a partial total says nothing.
    pub band: Option<String>,
}

impl FidelityReview {
    pub fn item(&self, id: FidelityItemId) -> Option<&FidelityItem> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn score(&self, item: FidelityItemId, rater: Rater) -> Option<&FidelityScore> {
        self.scores
            .iter()
            .find(|s| s.item_id == item && s.rater == rater)
    }

    /// Whether `score` is on this scale.
    pub fn check_score(&self, score: u8) -> Result<(), super::Rejection> {
        if (self.min..=self.max).contains(&score) {
            Ok(())
        } else {
            Err(super::Rejection::ScoreOutsideScale {
                score,
                min: self.min,
                max: self.max,
            })
        }
    }

    /// The band a complete total falls in: the highest band whose threshold it reaches.
    pub fn band_for(&self, total: u32) -> Option<&Band> {
        self.bands.iter().rev().find(|b| total >= b.min_total)
    }

    pub fn totals(&self, rater: Rater) -> FidelityTotals {
        let max = u32::from(self.max);
        let mut sections: Vec<(String, u32, u32)> = self
            .sections
            .iter()
            .map(|s| (s.code.clone(), 0, 0))
            .collect();
        let mut scored = 0;
        let mut total = 0;
        for item in &self.items {
            let score = self.score(item.id, rater).map(|s| u32::from(s.score));
            if let Some(section) = sections.iter_mut().find(|s| s.0 == item.section_code) {
                section.1 += score.unwrap_or(0);
                section.2 += max;
            }
            if let Some(score) = score {
                scored += 1;
                total += score;
            }
        }
        let complete = scored == self.items.len() && scored > 0;
        FidelityTotals {
            rater,
            scored,
            total,
            max_total: max * self.items.len() as u32,
            band: complete
                .then(|| self.band_for(total).map(|b| b.label.clone()))
                .flatten(),
            sections,
        }
    }

    /// How far the two evaluators agree over the items both scored (see `domain::agreement`).
    pub fn agreement(&self) -> super::agreement::Agreement {
        self.agreement_where(|_| true)
    }

    /// The agreement within each section, in the scale's order.
    pub fn section_agreement(&self) -> Vec<(String, super::agreement::Agreement)> {
        self.sections
            .iter()
            .map(|section| {
                let agreement = self.agreement_where(|item| item.section_code == section.code);
                (section.code.clone(), agreement)
            })
            .collect()
    }

    fn agreement_where(&self, keep: impl Fn(&FidelityItem) -> bool) -> super::agreement::Agreement {
        let pairs: Vec<(u8, u8)> = self
            .items
            .iter()
            .filter(|item| keep(item))
            .filter_map(|item| {
                let first = self.score(item.id, Rater::First)?;
                let second = self.score(item.id, Rater::Second)?;
                Some((first.score, second.score))
            })
            .collect();
        super::agreement::agreement(&pairs, self.min, self.max)
    }

    /// Items the two evaluators scored differently (both scored), in scale order.
    pub fn disagreements(&self) -> Vec<FidelityItemId> {
        self.items
            .iter()
            .filter(|item| {
                match (
                    self.score(item.id, Rater::First),
                    self.score(item.id, Rater::Second),
                ) {
                    (Some(a), Some(b)) => a.score != b.score,
                    _ => false,
                }
            })
            .map(|item| item.id)
            .collect()
    }

    /// Items both evaluators scored that still lack a consensus score.
    pub fn awaiting_consensus(&self) -> Vec<FidelityItemId> {
        self.items
            .iter()
            .filter(|item| {
                self.score(item.id, Rater::First).is_some()
                    && self.score(item.id, Rater::Second).is_some()
                    && self.score(item.id, Rater::Consensus).is_none()
            })
            .map(|item| item.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(items: usize) -> FidelityReview {
        FidelityReview {
            catalog_id: "s".into(),
            version: "1".into(),
            title: "S".into(),
            source: String::new(),
            min: 1,
            max: 5,
            bands: vec![
                Band {
                    min_total: 0,
                    label: "low".into(),
                },
                Band {
                    min_total: 12,
                    label: "good".into(),
                },
            ],
            sections: vec![
                FidelitySection {
                    code: "A".into(),
                    title: "A".into(),
                },
                FidelitySection {
                    code: "B".into(),
                    title: "B".into(),
                },
            ],
            items: (0..items)
                .map(|i| FidelityItem {
                    id: FidelityItemId(i as i64 + 1),
                    section_code: if i == 0 { "A" } else { "B" }.into(),
                    code: format!("I{i}"),
                    title: String::new(),
                    text: String::new(),
                    guidance: String::new(),
                    anchors: vec![String::new(); 5],
                })
                .collect(),
            scores: Vec::new(),
        }
    }

    fn score(item: i64, rater: Rater, score: u8) -> FidelityScore {
        FidelityScore {
            item_id: FidelityItemId(item),
            rater,
            score,
            rationale: String::new(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn totals_sum_by_section_and_band_only_when_complete() {
        let mut r = review(3);
        r.scores = vec![score(1, Rater::Consensus, 5), score(2, Rater::Consensus, 4)];
        let partial = r.totals(Rater::Consensus);
        assert_eq!(
            (partial.scored, partial.total, partial.max_total),
            (2, 9, 15)
        );
        assert_eq!(partial.band, None);
        assert_eq!(
            partial.sections,
            vec![("A".to_owned(), 5, 5), ("B".to_owned(), 4, 10)]
        );
        r.scores.push(score(3, Rater::Consensus, 3));
        assert_eq!(r.totals(Rater::Consensus).band.as_deref(), Some("good"));
        r.scores[2].score = 2;
        assert_eq!(r.totals(Rater::Consensus).band.as_deref(), Some("low"));
        assert_eq!(r.totals(Rater::First).scored, 0);
    }

    #[test]
    fn disagreements_and_awaiting_consensus() {
        let mut r = review(3);
        r.scores = vec![
            score(1, Rater::First, 3),
            score(1, Rater::Second, 4),
            score(2, Rater::First, 2),
            score(2, Rater::Second, 2),
            score(2, Rater::Consensus, 2),
            score(3, Rater::First, 5),
        ];
        assert_eq!(r.disagreements(), vec![FidelityItemId(1)]);
        assert_eq!(r.awaiting_consensus(), vec![FidelityItemId(1)]);
        assert!(r.check_score(0).is_err() && r.check_score(5).is_ok());
    }
}
