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
#[serde(deny_unknown_fields, default)]
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
    pub fn validate(&self) -> Result<(), super::Rejection> {
        if self.description.trim().is_empty() {
            return Err(super::Rejection::Empty {
                field: super::RequiredText::ActionDescription,
            });
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

/// A row a plan import added, remembered so the same file read again is recognised instead of
/// adding the row a second time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedRow {
    /// `ImportedRow::fingerprint` of the row as it was read.
    pub fingerprint: String,
    /// The action the row became; `None` once that action was deleted (the row stays known, so a
    /// deleted action does not come back from an old file).
    pub action_id: Option<ActionId>,
    pub imported_on: Date,
}

impl ImportedRow {
    /// What identifies a new row of a provider's plan across files: the deviation it belongs to
    /// and its action text, with case and spacing ignored. (A new row has no id of its own; the
    /// other columns are what the provider updates later.)
    pub fn fingerprint(deviation: FindingId, description: &str) -> String {
        let words: Vec<String> = description
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        format!("{}:{}", deviation.0, words.join(" "))
    }
}

/// One status an action reached, and the day: the follow-up record kept by the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub action_id: ActionId,
    pub status: ActionStatus,
    pub on: Date,
}

/// How many of today's actions stood at each status (in `ActionStatus::ALL` order) at the end
/// of every day something changed, and on `today`. Deleted actions are left out throughout, so
/// the last point always matches the plan as it is. `changes` in the order they were recorded.
pub fn status_timeline(
    changes: &[StatusChange],
    actions: &[Action],
    today: Date,
) -> Vec<(Date, [usize; 5])> {
    let existing: std::collections::HashSet<ActionId> = actions.iter().map(|a| a.id).collect();
    let mut ordered: Vec<&StatusChange> = changes
        .iter()
        .filter(|c| existing.contains(&c.action_id) && c.on <= today)
        .collect();
    // Stable: changes on one day keep their recorded order.
    ordered.sort_by_key(|c| c.on);
    let mut current: std::collections::HashMap<ActionId, ActionStatus> =
        std::collections::HashMap::new();
    let counts = |current: &std::collections::HashMap<ActionId, ActionStatus>| {
        let mut n = [0usize; 5];
        for status in current.values() {
            if let Some(i) = ActionStatus::ALL.iter().position(|s| s == status) {
                n[i] += 1;
            }
        }
        n
    };
    let mut timeline = Vec::new();
    for (i, change) in ordered.iter().enumerate() {
        current.insert(change.action_id, change.status);
        let last_of_day = ordered.get(i + 1).is_none_or(|next| next.on != change.on);
        if last_of_day {
            timeline.push((change.on, counts(&current)));
        }
    }
    if actions.is_empty() {
        return timeline;
    }
    // Actions with no record (none should be) count at their present status.
    for action in actions {
        current.entry(action.id).or_insert(action.fields.status);
    }
    let now = counts(&current);
    match timeline.last_mut() {
        Some((day, n)) if *day == today => *n = now,
        _ => timeline.push((today, now)),
    }
    timeline
}

/// The day an action verified closed got that status, if it has it now.
pub fn verified_on(changes: &[StatusChange], action: &Action) -> Option<Date> {
    if action.fields.status != ActionStatus::VerifiedClosed {
        return None;
    }
    changes
        .iter()
        .filter(|c| c.action_id == action.id && c.status == ActionStatus::VerifiedClosed)
        .map(|c| c.on)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn action(id: i64, status: ActionStatus) -> Action {
        Action {
            id: ActionId(id),
            finding_id: FindingId(1),
            fields: ActionFields {
                description: "x".into(),
                status,
                ..ActionFields::default()
            },
        }
    }

    fn change(id: i64, status: ActionStatus, on: Date) -> StatusChange {
        StatusChange {
            action_id: ActionId(id),
            status,
            on,
        }
    }

    #[test]
    fn timeline_counts_each_day_and_ends_today_without_deleted_actions() {
        use ActionStatus::{Agreed, Done, InProgress, Proposed, VerifiedClosed};
        let d1 = date(2026, 3, 1);
        let d2 = date(2026, 4, 1);
        let d3 = date(2026, 5, 1);
        let changes = [
            change(1, Proposed, d1),
            change(2, Proposed, d1),
            change(3, Proposed, d1), // deleted later: never counted
            change(1, Agreed, d2),
            change(2, InProgress, d2),
            change(1, Done, d3),
            change(1, VerifiedClosed, d3),
        ];
        let actions = [action(1, VerifiedClosed), action(2, InProgress)];
        let timeline = status_timeline(&changes, &actions, date(2026, 6, 1));
        assert_eq!(
            timeline,
            vec![
                (d1, [2, 0, 0, 0, 0]),
                (d2, [0, 1, 1, 0, 0]),
                (d3, [0, 0, 1, 0, 1]),
                (date(2026, 6, 1), [0, 0, 1, 0, 1]),
            ]
        );
        assert_eq!(verified_on(&changes, &actions[0]), Some(d3));
        assert_eq!(verified_on(&changes, &actions[1]), None);
    }
}
