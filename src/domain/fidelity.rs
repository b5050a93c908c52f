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

    /// The two evaluators who score on their own (not the consensus).
    pub const RATERS: [Rater; 2] = [Rater::First, Rater::Second];

    /// The other evaluator; the consensus has none.
    pub fn other(self) -> Option<Rater> {
        match self {
            Rater::First => Some(Rater::Second),
            Rater::Second => Some(Rater::First),
            Rater::Consensus => None,
        }
    }
}

/// Which evaluator a person is, by their name on the case's evaluator list (the first two
/// names are the two raters); `None` for someone not on it.
pub fn rater_named(evaluators: &[String], name: &str) -> Option<Rater> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    evaluators
        .iter()
        .take(2)
        .position(|e| e.trim().eq_ignore_ascii_case(name) || e.trim() == name)
        .and_then(|index| Rater::RATERS.get(index).copied())
}

/// Where the review stands. Scores are given blind until both evaluators have delivered theirs;
/// only then are they shown side by side and the consensus agreed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FidelityPhase {
    Blind,
    Reconciliation,
}

/// An evaluator's delivered scores (*Lever skåringen*): from then on their scores are fixed, and
/// once both have delivered the review is no longer blind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    pub rater: Rater,
    /// The day it was delivered (`YYYY-MM-DD`); empty for a review scored before blind
    /// scoring existed.
    pub sealed_at: String,
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
    /// What the evaluators recommend the provider do about this item (free text).
    #[serde(default)]
    pub recommendation: String,
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
    /// Items whose consensus score is below this are points to improve (*Forbedringspunkter*).
    #[serde(default = "default_improvement_below")]
    pub improvement_below: u8,
    #[serde(default)]
    pub seals: Vec<Seal>,
}

/// The scale's usual line between what works and what should improve: below 4 of 5.
pub fn default_improvement_below() -> u8 {
    4
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

    /// Blind until both evaluators have delivered their scores.
    pub fn phase(&self) -> FidelityPhase {
        if Rater::RATERS.iter().all(|r| self.is_sealed(*r)) {
            FidelityPhase::Reconciliation
        } else {
            FidelityPhase::Blind
        }
    }

    pub fn seal(&self, rater: Rater) -> Option<&Seal> {
        self.seals.iter().find(|s| s.rater == rater)
    }

    pub fn is_sealed(&self, rater: Rater) -> bool {
        self.seal(rater).is_some()
    }

    /// Whether `rater` may give or change a score now: an evaluator until they have delivered,
    /// the consensus once both have.
    pub fn check_may_score(&self, rater: Rater) -> Result<(), super::Rejection> {
        match rater {
            Rater::Consensus if self.phase() == FidelityPhase::Blind => {
                Err(super::Rejection::FidelityStillBlind)
            }
            Rater::First | Rater::Second if self.is_sealed(rater) => {
                Err(super::Rejection::FidelitySealed { rater })
            }
            _ => Ok(()),
        }
    }

    /// Whether `rater` may deliver their scores now: every item scored, not yet delivered.
    pub fn check_may_seal(&self, rater: Rater) -> Result<(), super::Rejection> {
        if rater == Rater::Consensus {
            return Err(super::Rejection::FidelityNotARater);
        }
        if self.is_sealed(rater) {
            return Err(super::Rejection::FidelitySealed { rater });
        }
        let missing = self.items.len() - self.totals(rater).scored;
        if missing > 0 {
            return Err(super::Rejection::FidelityItemsUnscored { rater, missing });
        }
        Ok(())
    }

    /// Whether `rater` may take back their delivery: only before the other has delivered too,
    /// since by then both have seen each other's scores.
    pub fn check_may_unseal(&self, rater: Rater) -> Result<(), super::Rejection> {
        if rater == Rater::Consensus {
            return Err(super::Rejection::FidelityNotARater);
        }
        if !self.is_sealed(rater) {
            return Err(super::Rejection::FidelityNotSealed { rater });
        }
        if self.phase() == FidelityPhase::Reconciliation {
            return Err(super::Rejection::FidelityBothSealed);
        }
        Ok(())
    }

    /// The review as `viewer` may see it. While it is blind, an evaluator sees only their own
    /// scores (and nobody sees a consensus); a reader who is neither evaluator sees no scores at
    /// all. Once both have delivered, everyone sees everything.
    #[must_use]
    pub fn seen_by(&self, viewer: Option<Rater>) -> FidelityReview {
        let mut review = self.clone();
        review.hide_from(viewer);
        review
    }

    /// `seen_by`, in place.
    pub fn hide_from(&mut self, viewer: Option<Rater>) {
        if self.phase() == FidelityPhase::Reconciliation {
            return;
        }
        self.scores
            .retain(|s| Some(s.rater) == viewer && s.rater != Rater::Consensus);
    }

    /// Items whose consensus score is below the scale's line, in scale order: what the provider
    /// should improve.
    pub fn improvement_points(&self) -> Vec<&FidelityItem> {
        self.items
            .iter()
            .filter(|item| {
                self.score(item.id, Rater::Consensus)
                    .is_some_and(|s| s.score < self.improvement_below)
            })
            .collect()
    }

    /// Items with the consensus at the top of the scale: the provider's strengths.
    pub fn strengths(&self) -> Vec<&FidelityItem> {
        self.items
            .iter()
            .filter(|item| {
                self.score(item.id, Rater::Consensus)
                    .is_some_and(|s| s.score == self.max)
            })
            .collect()
    }

    /// The items in the order the consensus meeting takes them: where the evaluators differ
    /// most first, then smaller differences, then those they agree on; scale order within each.
    pub fn reconciliation_order(&self) -> Vec<&FidelityItem> {
        let mut items: Vec<(usize, u8, &FidelityItem)> = self
            .items
            .iter()
            .enumerate()
            .map(|(position, item)| (position, self.difference(item.id).unwrap_or(0), item))
            .collect();
        items.sort_by_key(|(position, difference, _)| (std::cmp::Reverse(*difference), *position));
        items.into_iter().map(|(_, _, item)| item).collect()
    }

    /// How far apart the two evaluators' scores of an item are, where both scored it.
    pub fn difference(&self, item: FidelityItemId) -> Option<u8> {
        let first = self.score(item, Rater::First)?;
        let second = self.score(item, Rater::Second)?;
        Some(first.score.abs_diff(second.score))
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
                    recommendation: String::new(),
                })
                .collect(),
            scores: Vec::new(),
            improvement_below: 4,
            seals: Vec::new(),
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

    fn scored_by_both(r: &mut FidelityReview, pairs: &[(u8, u8)]) {
        for (n, (a, b)) in pairs.iter().enumerate() {
            let item = n as i64 + 1;
            r.scores.push(score(item, Rater::First, *a));
            r.scores.push(score(item, Rater::Second, *b));
        }
    }

    fn sealed(r: &mut FidelityReview, rater: Rater) {
        r.seals.push(Seal {
            rater,
            sealed_at: "2026-12-02".into(),
        });
    }

    #[test]
    fn while_blind_each_evaluator_sees_only_their_own_scores() {
        let mut r = review(3);
        scored_by_both(&mut r, &[(3, 5), (2, 2), (4, 1)]);
        assert_eq!(r.phase(), FidelityPhase::Blind);
        let first = r.seen_by(Some(Rater::First));
        assert!(first.scores.iter().all(|s| s.rater == Rater::First));
        assert_eq!(first.scores.len(), 3);
        // Nothing of the other leaks through what is derived from the scores either.
        assert_eq!(first.totals(Rater::Second).scored, 0);
        assert_eq!(first.agreement().items, 0);
        assert!(first.disagreements().is_empty());
        assert!(r.seen_by(None).scores.is_empty());

        // One delivery is not enough; both are.
        sealed(&mut r, Rater::First);
        assert_eq!(r.seen_by(Some(Rater::Second)).scores.len(), 3);
        sealed(&mut r, Rater::Second);
        assert_eq!(r.phase(), FidelityPhase::Reconciliation);
        assert_eq!(r.seen_by(Some(Rater::Second)).scores.len(), 6);
        assert_eq!(r.seen_by(None).scores.len(), 6);
    }

    #[test]
    fn delivering_and_taking_back_follow_the_phase() {
        let mut r = review(2);
        r.scores.push(score(1, Rater::First, 3));
        assert_eq!(
            r.check_may_seal(Rater::First),
            Err(crate::domain::Rejection::FidelityItemsUnscored {
                rater: Rater::First,
                missing: 1
            })
        );
        r.scores.push(score(2, Rater::First, 4));
        assert_eq!(r.check_may_seal(Rater::First), Ok(()));
        assert!(r.check_may_seal(Rater::Consensus).is_err());
        assert_eq!(
            r.check_may_score(Rater::Consensus),
            Err(crate::domain::Rejection::FidelityStillBlind)
        );
        sealed(&mut r, Rater::First);
        assert!(r.check_may_score(Rater::First).is_err());
        assert_eq!(r.check_may_score(Rater::Second), Ok(()));
        assert_eq!(r.check_may_unseal(Rater::First), Ok(()));
        assert!(r.check_may_unseal(Rater::Second).is_err());
        r.scores.push(score(1, Rater::Second, 3));
        r.scores.push(score(2, Rater::Second, 2));
        sealed(&mut r, Rater::Second);
        assert_eq!(
            r.check_may_unseal(Rater::First),
            Err(crate::domain::Rejection::FidelityBothSealed)
        );
        assert_eq!(r.check_may_score(Rater::Consensus), Ok(()));
        assert!(r.check_may_score(Rater::Second).is_err());
    }

    #[test]
    fn the_consensus_takes_the_largest_differences_first() {
        let mut r = review(4);
        scored_by_both(&mut r, &[(3, 4), (2, 2), (5, 1), (1, 3)]);
        let order: Vec<&str> = r
            .reconciliation_order()
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(order, ["I2", "I3", "I0", "I1"]);
        assert_eq!(r.difference(FidelityItemId(3)), Some(4));
    }

    #[test]
    fn points_to_improve_and_strengths_follow_the_consensus_and_the_line() {
        let mut r = review(3);
        r.scores = vec![
            score(1, Rater::Consensus, 5),
            score(2, Rater::Consensus, 3),
            score(3, Rater::Consensus, 4),
        ];
        let codes = |items: Vec<&FidelityItem>| -> Vec<String> {
            items.iter().map(|i| i.code.clone()).collect()
        };
        assert_eq!(codes(r.improvement_points()), ["I1"]);
        assert_eq!(codes(r.strengths()), ["I0"]);
        r.improvement_below = 5;
        assert_eq!(codes(r.improvement_points()), ["I1", "I2"]);
    }

    #[test]
    fn the_profile_name_finds_the_rater() {
        let evaluators = vec![
            "Kari Nordmann".to_owned(),
            "Ola Nordmann".to_owned(),
            "C".into(),
        ];
        assert_eq!(
            rater_named(&evaluators, " ola nordmann "),
            Some(Rater::Second)
        );
        assert_eq!(
            rater_named(&evaluators, "Kari Nordmann"),
            Some(Rater::First)
        );
        // A third evaluator scores nothing; an empty name is nobody.
        assert_eq!(rater_named(&evaluators, "C"), None);
        assert_eq!(rater_named(&evaluators, ""), None);
    }

    #[test]
    fn agreement_counts_only_items_both_scored() {
        let mut r = review(3);
        // Item 3 is scored by the first evaluator only: left out, not counted as a disagreement.
        r.scores = vec![
            score(1, Rater::First, 3),
            score(1, Rater::Second, 3),
            score(2, Rater::First, 2),
            score(2, Rater::Second, 4),
            score(3, Rater::First, 5),
        ];
        let found = r.agreement();
        assert_eq!(found.items, 2);
        assert!((found.exact - 0.5).abs() < 1e-12);
        assert!((found.within_one - 0.5).abs() < 1e-12);
        assert!(found.weighted_kappa.is_some());
        // One item: the same score says nothing beyond chance (no kappa); a different one gives
        // kappa 0, since chance alone predicts exactly that pair.
        let one = |a, b| crate::domain::agreement::agreement(&[(a, b)], 1, 5);
        assert_eq!(one(3, 3).weighted_kappa, None);
        assert!((one(3, 3).exact - 1.0).abs() < 1e-12);
        assert_eq!(one(3, 4).weighted_kappa, Some(0.0));
        // Nothing scored by both: no figures at all.
        r.scores.retain(|s| s.rater == Rater::First);
        assert_eq!(r.agreement().items, 0);
        assert_eq!(r.agreement().weighted_kappa, None);
    }
}
