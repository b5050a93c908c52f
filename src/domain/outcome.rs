//! Yearly outcomes: how many participants ended and where they went.

use serde::{Deserialize, Serialize};

/// The requirement specification's target: this share (in %) goes on to work or education.
pub const TARGET_SHARE_PERCENT: f64 = 50.0;

/// The outcomes table's columns (as i18n keys), the same in the app and in the report.
pub const COLUMN_KEYS: [&str; 6] = [
    "outcomes.year",
    "outcomes.ended",
    "outcomes.to_work",
    "outcomes.to_education",
    "outcomes.to_other",
    "outcomes.share",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub year: i32,
    pub ended: u32,
    pub to_work: u32,
    pub to_education: u32,
    pub to_other: u32,
}

impl Outcome {
    pub fn validate(&self) -> Result<(), super::Rejection> {
        if !(1990..=2100).contains(&self.year) {
            return Err(super::Rejection::YearOutOfRange { year: self.year });
        }
        let sum = self.to_work + self.to_education + self.to_other;
        if sum > self.ended {
            return Err(super::Rejection::OutcomeSumTooLarge {
                sum,
                ended: self.ended,
                year: self.year,
            });
        }
        Ok(())
    }

    /// Share that went on to work or education, 0.0–1.0; `None` when nobody ended.
    pub fn work_or_education_share(&self) -> Option<f64> {
        (self.ended > 0)
            .then(|| f64::from(self.to_work + self.to_education) / f64::from(self.ended))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_and_validation() {
        let outcome = Outcome {
            year: 2025,
            ended: 20,
            to_work: 9,
            to_education: 3,
            to_other: 8,
        };
        assert!(outcome.validate().is_ok());
        assert_eq!(outcome.work_or_education_share(), Some(0.6));
        let too_many = Outcome {
            to_other: 9,
            ..outcome
        };
        assert!(too_many.validate().is_err());
        let nobody = Outcome {
            ended: 0,
            to_work: 0,
            to_education: 0,
            to_other: 0,
            ..outcome
        };
        assert_eq!(nobody.work_or_education_share(), None);
    }
}
