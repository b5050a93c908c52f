//! The feedback meeting (tilbakemeldingsmøte) where the findings are presented.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FeedbackMeeting {
    pub date: Option<Date>,
    /// Participants by role, e.g. "Daglig leder"; never names of participants in the measure.
    pub participants: Vec<String>,
    pub summary: String,
    pub provider_comments: String,
}
