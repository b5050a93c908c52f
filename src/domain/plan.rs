//! The provider's deviation-closing plan: actions per deviation, followed up by NAV to closure.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ids::{ActionId, FindingId};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Proposed,
    Agreed,
    InProgress,
    Done,
    /// NAV has accepted the evidence of closure.
    VerifiedClosed,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Proposed,
        ActionStatus::Agreed,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::VerifiedClosed,
    ];

    /// Whether the provider still has work to do on the action.
    pub fn is_open(self) -> bool {
        !matches!(self, ActionStatus::Done | ActionStatus::VerifiedClosed)
    }
}

/// The editable fields of an action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ActionFields {
    pub description: String,
    /// A role or the name of a provider staff member.
    pub owner: String,
    pub due_date: Option<Date>,
    pub status: ActionStatus,
    /// How closure will be, or was, shown.
    pub closure_evidence: String,
    pub nav_comment: String,
}

impl ActionFields {
    pub fn validate(&self) -> Result<(), String> {
        if self.description.trim().is_empty() {
            return Err("the action description is empty".into());
        }
        Ok(())
    }

    /// Open and past its due date on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.due_date.is_some_and(|due| due < today)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    /// The deviation this action closes.
    pub finding_id: FindingId,
    #[serde(flatten)]
    pub fields: ActionFields,
}
