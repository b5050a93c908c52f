//! The case itself: who is evaluated, for which measure, by whom, and where the evaluation stands.

use super::{Rejection, RequiredText};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The labour-market measure being evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Arbeidsforberedende trening (tiltaksforskriften ch. 13).
    #[default]
    Aft,
    /// Varig tilrettelagt arbeid (tiltaksforskriften ch. 14).
    Vta,
    /// Any other measure; its catalog says what applies.
    Other,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Aft, Measure::Vta, Measure::Other];

    /// Stable code used in the case file and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Aft => "aft",
            Measure::Vta => "vta",
            Measure::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// Where the evaluation stands. The order is the workflow's order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    Planning,
    DataCollection,
    Analysis,
    Report,
    FeedbackMeeting,
    PlanFollowUp,
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Planning,
        Phase::DataCollection,
        Phase::Analysis,
        Phase::Report,
        Phase::FeedbackMeeting,
        Phase::PlanFollowUp,
        Phase::Closed,
    ];
}

/// A Norwegian organisation number (9 digits, mod-11 check digit), stored without spaces.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber(String);

/// Why a string is not an organisation number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    #[error(
        "organisation number «{0}» must have 9 digits (Norwegian) or 10 (Swedish organisationsnummer)"
    )]
    Length(String),
    #[error("organisation number «{0}» has a wrong check digit")]
    CheckDigit(String),
}

impl OrgNumber {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

    /// Accepts the common written forms of a Norwegian number (`974760673`, `974 760 673`,
    /// `974.760.673`) and of a Swedish organisationsnummer (`556016-0680`, `5560160680`):
    /// nine digits with a mod-11 check digit, or ten with a Luhn check digit whose third digit
    /// is 2 or more (a personnummer's month never is).
    pub fn parse(input: &str) -> Result<OrgNumber, OrgNumberError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(OrgNumberError::Length(input.to_owned()));
        }
        let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
        match digits.len() {
            9 => Self::norwegian(&digits, input).map(|()| OrgNumber(compact)),
            10 => Self::swedish(&digits, input).map(|()| OrgNumber(compact)),
            _ => Err(OrgNumberError::Length(input.to_owned())),
        }
    }

    /// Luhn (mod 10) over all ten digits, as Bolagsverket computes it.
    fn swedish(digits: &[u32], input: &str) -> Result<(), OrgNumberError> {
        if luhn_valid(digits) && digits[2] >= 2 {
            Ok(())
        } else {
            Err(OrgNumberError::CheckDigit(input.to_owned()))
        }
    }

    fn norwegian(digits: &[u32], input: &str) -> Result<(), OrgNumberError> {
        let sum: u32 = digits
            .iter()
            .zip(Self::WEIGHTS)
            .map(|(digit, weight)| digit * weight)
            .sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => return Err(OrgNumberError::CheckDigit(input.to_owned())),
            c => c,
        };
        if digits[8] == check {
            Ok(())
        } else {
            Err(OrgNumberError::CheckDigit(input.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used in the country's register: `974 760 673` (Brønnøysund), `556016-0680`
    /// (Bolagsverket).
    pub fn grouped(&self) -> String {
        match (self.0.get(0..3), self.0.get(3..6), self.0.get(6..)) {
            (Some(a), Some(b), Some(c)) if self.0.len() == 9 => format!("{a} {b} {c}"),
            (Some(a), Some(b), Some(c)) => format!("{a}{b}-{c}"),
            _ => self.0.clone(),
        }
    }
}

/// Whether the last digit is the Luhn (mod 10) check digit of the others: Swedish
/// organisation numbers, personnummer and samordningsnummer all carry one.
pub fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl TryFrom<String> for OrgNumber {
    type Error = OrgNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        OrgNumber::parse(&value)
    }
}

impl From<OrgNumber> for String {
    fn from(value: OrgNumber) -> Self {
        value.0
    }
}

impl std::fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.grouped())
    }
}

/// The facts a case is planned with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct CaseFacts {
    pub provider_name: String,
    pub org_number: Option<OrgNumber>,
    pub measure: Measure,
    pub agreed_places: Option<u32>,
    pub nav_unit: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// The provider evaluates itself against the catalog (the evaluating organisation is the
    /// provider, not NAV); the workflow is the same, the report says so.
    pub self_evaluation: bool,
}

impl CaseFacts {
    /// Rules a case's facts must satisfy before they are stored.
    pub fn validate(&self) -> Result<(), Rejection> {
        if self.provider_name.trim().is_empty() {
            return Err(Rejection::Empty {
                field: RequiredText::ProviderName,
            });
        }
        if let (Some(start), Some(end)) = (self.period_start, self.period_end)
            && end < start
        {
            return Err(Rejection::PeriodEndsBeforeStart { start, end });
        }
        Ok(())
    }
}

/// The dates the provider and NAV work towards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct KeyDates {
    pub feedback_meeting: Option<Date>,
    pub plan_deadline: Option<Date>,
}

/// Days after closing within which the participants' personal data is deleted, unless the case
/// sets its own: two weeks, as the IPS practice does after a review. NAV's own rules decide the
/// period for a case (`SetRetention`).
pub const DEFAULT_RETENTION_DAYS: u32 = 14;

/// The case was closed (*Avslutt saken*) on `on`; `reason` says why when the plan was not
/// verified closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub on: Date,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The day the participants' personal data must be deleted by: `days` (or the default) after
/// the case was closed; `None` while it is open.
pub fn retention_due(closing: Option<&Closing>, days: Option<u32>) -> Option<Date> {
    let closing = closing?;
    let days = i64::from(days.unwrap_or(DEFAULT_RETENTION_DAYS));
    Some(closing.on.saturating_add(jiff::Span::new().days(days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_number_accepts_valid_forms() {
        // 974760673 is a well-known public-sector example that satisfies the check.
        for form in ["974760673", "974 760 673", "974.760.673"] {
            let parsed = OrgNumber::parse(form);
            assert_eq!(parsed.map(|o| o.grouped()), Ok("974 760 673".to_owned()));
        }
    }

    #[test]
    fn swedish_organisation_numbers_are_read_too() {
        // Invented numbers with a Luhn check digit: a company (55…) and a foundation (80…).
        for (form, grouped) in [
            ("559900-0121", "559900-0121"),
            ("5599000121", "559900-0121"),
            ("802999 1232", "802999-1232"),
        ] {
            assert_eq!(
                OrgNumber::parse(form).map(|o| o.grouped()),
                Ok(grouped.to_owned())
            );
        }
        // A wrong check digit, and a personnummer's shape (third digit below 2: a month).
        assert!(matches!(
            OrgNumber::parse("559900-0122"),
            Err(OrgNumberError::CheckDigit(_))
        ));
        assert!(matches!(
            OrgNumber::parse("991231-1231"),
            Err(OrgNumberError::CheckDigit(_))
        ));
    }

    #[test]
    fn org_number_rejects_bad_input() {
        assert!(matches!(
            OrgNumber::parse("974760674"),
            Err(OrgNumberError::CheckDigit(_))
        ));
        assert!(matches!(
            OrgNumber::parse("97476067"),
            Err(OrgNumberError::Length(_))
        ));
        assert!(matches!(
            OrgNumber::parse("97476067a"),
            Err(OrgNumberError::Length(_))
        ));
    }

    #[test]
    fn facts_reject_inverted_period() {
        let facts = CaseFacts {
            provider_name: "X".into(),
            period_start: Some(jiff::civil::date(2026, 3, 1)),
            period_end: Some(jiff::civil::date(2026, 2, 1)),
            ..CaseFacts::default()
        };
        assert!(facts.validate().is_err());
        assert!(
            CaseFacts {
                provider_name: " ".into(),
                ..CaseFacts::default()
            }
            .validate()
            .is_err()
        );
    }
}
