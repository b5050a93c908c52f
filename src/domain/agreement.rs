//! How far two raters agree on ordinal scores (a fidelity review's items, scored 1–5 by each
//! evaluator on their own): exact agreement, agreement within one step, and Cohen's weighted kappa,
//! which corrects for the agreement two raters would reach by chance given how each spreads their
//! scores. Pure arithmetic on the pairs; the fidelity page and the report word it.

/// How the disagreement between two categories is weighed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weights {
    /// Every disagreement counts the same (Cohen's unweighted kappa).
    Unweighted,
    /// By the distance between the categories.
    Linear,
    /// By the square of the distance: a 1 against a 5 counts sixteen times a 1 against a 2. The
    /// usual choice for ordinal scales; close to the intraclass correlation.
    Quadratic,
}

/// Two raters' agreement over the items both scored.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Agreement {
    /// Items scored by both raters.
    pub items: usize,
    /// Share of items (0–1) with the same score.
    pub exact: f64,
    /// Share of items (0–1) whose scores differ by at most one.
    pub within_one: f64,
    /// Quadratic-weighted kappa; `None` where it is undefined: no items, or both raters gave one
    /// and the same score throughout, so chance agreement is already perfect.
    pub weighted_kappa: Option<f64>,
}

/// The agreement of the score pairs `(first, second)` on the scale `min..=max`. Pairs outside
/// the scale are left out (they cannot be stored; the check keeps the arithmetic safe).
pub fn agreement(pairs: &[(u8, u8)], min: u8, max: u8) -> Agreement {
    let on_scale: Vec<(u8, u8)> = pairs
        .iter()
        .copied()
        .filter(|(a, b)| (min..=max).contains(a) && (min..=max).contains(b))
        .collect();
    let items = on_scale.len();
    let share = |count: usize| {
        if items == 0 {
            0.0
        } else {
            count as f64 / items as f64
        }
    };
    let exact = on_scale.iter().filter(|(a, b)| a == b).count();
    let within_one = on_scale.iter().filter(|(a, b)| a.abs_diff(*b) <= 1).count();
    Agreement {
        items,
        exact: share(exact),
        within_one: share(within_one),
        weighted_kappa: kappa(&table(&on_scale, min, max), Weights::Quadratic),
    }
}

/// The contingency table of `pairs`: row = the first rater's score, column = the second's.
pub fn table(pairs: &[(u8, u8)], min: u8, max: u8) -> Vec<Vec<u32>> {
    let size = usize::from(max.saturating_sub(min)) + 1;
    let mut counts = vec![vec![0u32; size]; size];
    for (a, b) in pairs {
        if let (Some(row), Some(column)) = (a.checked_sub(min), b.checked_sub(min))
            && let Some(cell) = counts
                .get_mut(usize::from(row))
                .and_then(|r| r.get_mut(usize::from(column)))
        {
            *cell += 1;
        }
    }
    counts
}

/// Cohen's (weighted) kappa of a square contingency table of counts: 1 − Σ w·observed / Σ w·expected,
/// the expected proportions being the product of the two raters' marginal proportions. `None`
/// for an empty or non-square table, or where chance agreement is already perfect.
pub fn kappa(table: &[Vec<u32>], weights: Weights) -> Option<f64> {
    let size = table.len();
    if size < 2 || table.iter().any(|row| row.len() != size) {
        return None;
    }
    let total: f64 = table.iter().flatten().map(|&c| f64::from(c)).sum();
    if total == 0.0 {
        return None;
    }
    let rows: Vec<f64> = table
        .iter()
        .map(|row| row.iter().map(|&c| f64::from(c)).sum::<f64>() / total)
        .collect();
    let columns: Vec<f64> = (0..size)
        .map(|j| table.iter().map(|row| f64::from(row[j])).sum::<f64>() / total)
        .collect();
    let steps = (size - 1) as f64;
    let weight = |i: usize, j: usize| -> f64 {
        let distance = i.abs_diff(j) as f64;
        match weights {
            Weights::Unweighted => f64::from(u8::from(i != j)),
            Weights::Linear => distance / steps,
            Weights::Quadratic => (distance / steps).powi(2),
        }
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for i in 0..size {
        for j in 0..size {
            observed += weight(i, j) * f64::from(table[i][j]) / total;
            expected += weight(i, j) * rows[i] * columns[j];
        }
    }
    if expected <= f64::EPSILON {
        return None;
    }
    Some(1.0 - observed / expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(value: Option<f64>, expected: f64, tolerance: f64) -> bool {
        value.is_some_and(|v| (v - expected).abs() <= tolerance)
    }

    #[test]
    fn identical_scores_agree_fully_and_constant_scores_have_no_kappa() {
        let same = agreement(&[(1, 1), (3, 3), (5, 5), (4, 4)], 1, 5);
        assert_eq!(same.items, 4);
        assert!((same.exact - 1.0).abs() < 1e-12);
        assert!(close(same.weighted_kappa, 1.0, 1e-12));
        // Both raters gave 4 everywhere: perfect, but by chance as much as by judgement.
        let constant = agreement(&[(4, 4), (4, 4), (4, 4)], 1, 5);
        assert!((constant.exact - 1.0).abs() < 1e-12);
        assert_eq!(constant.weighted_kappa, None);
        assert_eq!(agreement(&[], 1, 5).weighted_kappa, None);
    }

    #[test]
    fn exact_and_within_one_count_items() {
        let pairs = [(1, 1), (2, 3), (5, 3), (4, 4)];
        let found = agreement(&pairs, 1, 5);
        assert!((found.exact - 0.5).abs() < 1e-12);
        assert!((found.within_one - 0.75).abs() < 1e-12);
        // Off the scale: left out.
        assert_eq!(agreement(&[(0, 1), (6, 5), (2, 2)], 1, 5).items, 1);
    }

    /// Gamer, Lemon, Fellows & Singh, R package `irr`, `kappa2(anxiety[, 2:3], weight)` on its
    /// `anxiety` data set (20 subjects, raters 2 and 3), as recorded with its printed values in
    /// statsmodels' `stats/tests/test_inter_rater.py` (`test_cohens_kappa_irr`): "squared"
    /// 0.2520325, "equal" 0.1459075, unweighted −0.006289308. `irr` counts distances over the
    /// levels that occur (1, 2, 3, 4, 6), so the table is on those five.
    #[test]
    fn the_irr_anxiety_example() {
        let table = vec![
            vec![0, 0, 1, 0, 0],
            vec![4, 0, 1, 0, 0],
            vec![2, 3, 3, 0, 0],
            vec![0, 2, 0, 1, 1],
            vec![1, 0, 0, 1, 0],
        ];
        assert!(close(kappa(&table, Weights::Quadratic), 0.252_032_5, 1e-7));
        assert!(close(kappa(&table, Weights::Linear), 0.145_907_5, 1e-7));
        assert!(close(
            kappa(&table, Weights::Unweighted),
            -0.006_289_308,
            1e-9
        ));
    }

    /// Boyd et al., J Natl Cancer Inst 68:357–363 (1982), two radiologists grading 85
    /// xeromammograms, as tabulated in Altman, *Practical Statistics for Medical Research* (1991),
    /// pp. 403–405 (kappa 0.47), and in Stata's manual, [R] kappa (`rate.dta`). The linear and
    /// quadratic values were recomputed with scikit-learn 1.9 (`cohen_kappa_score`) and R
    /// `psych::cohen.kappa` 2.2.9, which agree to ten digits.
    #[test]
    fn the_xeromammogram_example() {
        let table = vec![
            vec![21, 12, 0, 0],
            vec![4, 17, 1, 0],
            vec![3, 9, 15, 2],
            vec![0, 0, 0, 1],
        ];
        assert!(close(kappa(&table, Weights::Unweighted), 0.47, 0.005));
        assert!(close(
            kappa(&table, Weights::Unweighted),
            0.472_789_115_6,
            1e-9
        ));
        assert!(close(kappa(&table, Weights::Linear), 0.568_399_044_2, 1e-9));
        assert!(close(
            kappa(&table, Weights::Quadratic),
            0.671_370_578_0,
            1e-9
        ));
    }

    /// scikit-learn's own test of `cohen_kappa_score` (`sklearn/metrics/tests/
    /// test_classification.py::test_cohen_kappa`): 0.9315 unweighted, 0.9412 linear, 0.9541
    /// quadratic, built here from its score pairs.
    #[test]
    fn the_scikit_learn_example_from_pairs() {
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((1, 1), 46));
        pairs.extend(std::iter::repeat_n((2, 1), 4));
        pairs.extend(std::iter::repeat_n((2, 2), 40));
        pairs.extend(std::iter::repeat_n((3, 3), 10));
        let counts = table(&pairs, 1, 3);
        assert!(close(kappa(&counts, Weights::Unweighted), 0.9315, 5e-5));
        assert!(close(kappa(&counts, Weights::Linear), 0.9412, 5e-5));
        assert!(close(agreement(&pairs, 1, 3).weighted_kappa, 0.9541, 5e-5));
    }

    #[test]
    fn systematic_opposites_give_negative_kappa() {
        let pairs = [(1, 5), (5, 1), (2, 4), (4, 2)];
        let kappa = agreement(&pairs, 1, 5).weighted_kappa;
        assert!(kappa.is_some_and(|k| k < 0.0), "{kappa:?}");
    }
}
