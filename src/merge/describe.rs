//! Words for the rows of a merge preview: which page a row belongs to and a short label a user
//! recognises it by (an interview's date and role, a finding's title), never an identity.

use super::snapshot::{Cell, Row, Snapshot};
use crate::i18n::Lang;

/// The page (`page.<key>` in the translation tables) where a table's rows are edited.
pub fn page_of(table: &str) -> &'static str {
    match table {
        "interview" | "excerpt" | "excerpt_requirement" | "interview_question" => "interviews",
        "document_review" | "document_requirement" => "documents",
        "finding" | "finding_requirement" | "finding_evidence" => "findings",
        "action" | "plan_import_row" => "plan",
        "feedback_meeting" | "report_version" => "meeting",
        "outcome" => "outcomes",
        "fidelity_scale" | "fidelity_item" | "fidelity_score" | "fidelity_seal" => "fidelity",
        "requirement_area" | "requirement" => "requirements",
        _ => "overview",
    }
}

/// The pages in the order the app lists them, for a preview grouped by page.
pub const PAGES: &[&str] = &[
    "overview",
    "requirements",
    "interviews",
    "documents",
    "findings",
    "fidelity",
    "meeting",
    "plan",
    "outcomes",
];

fn text<'a>(row: &'a Row, field: &str) -> &'a str {
    row.get(field).and_then(Cell::as_str).unwrap_or_default()
}

/// At most `max` characters, with an ellipsis when cut.
pub fn shortened(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The roles and groups of the case as the copies' `case_info` holds them (they share a
/// catalog), or NAV's standard ones.
fn programme(states: &[&Snapshot]) -> crate::domain::Programme {
    states
        .iter()
        .find_map(|s| {
            let row = s.rows("case_info")?.values().next()?;
            serde_json::from_str(row.get("programme")?.as_str()?).ok()
        })
        .unwrap_or_else(|| crate::domain::Programme::standard().clone())
}

/// A short label for the row `id` of `table`, from whichever state holds it, in `lang`.
pub fn label(lang: Lang, table: &str, id: &str, states: &[&Snapshot]) -> String {
    let Some(row) = states.iter().find_map(|s| s.row(table, id)) else {
        return String::new();
    };
    let parent = |parent_table: &str, field: &str| {
        row.get(field)
            .and_then(Cell::as_str)
            .map(|parent_id| label(lang, parent_table, parent_id, states))
            .unwrap_or_default()
    };
    match table {
        "interview" => {
            let date = text(row, "date").parse::<jiff::civil::Date>().map_or_else(
                |_| text(row, "date").to_owned(),
                |d| crate::i18n::date(lang, Some(d)),
            );
            let role = programme(states)
                .role_name(&crate::domain::RoleId::new(text(row, "role")), lang.code());
            format!("{date} {role}")
        }
        "excerpt" => format!("«{}»", shortened(text(row, "quote"), 40)),
        "document_review" | "finding" => shortened(text(row, "title"), 60),
        "action" => shortened(text(row, "description"), 60),
        "requirement" | "requirement_area" | "fidelity_item" => text(row, "code").to_owned(),
        "outcome" => row.get("year").map(ToString::to_string).unwrap_or_default(),
        "excerpt_requirement" => format!(
            "{} – {}",
            parent("excerpt", "excerpt_id"),
            parent("requirement", "requirement_id")
        ),
        "finding_requirement" | "finding_evidence" => parent("finding", "finding_id"),
        "document_requirement" => parent("document_review", "document_review_id"),
        "interview_question" => parent("interview", "interview_id"),
        "fidelity_score" => format!(
            "{} ({})",
            parent("fidelity_item", "item_id"),
            text(row, "rater")
        ),
        "plan_import_row" => parent("action", "action_id"),
        "fidelity_seal" => text(row, "rater").to_owned(),
        "report_version" => format!("{} {}", text(row, "kind"), text(row, "file_name")),
        _ => String::new(),
    }
}

/// A field's value as one line for a preview.
pub fn value_text(value: &Cell) -> String {
    match value {
        Cell::Null => "—".to_owned(),
        Cell::String(s) => format!("«{}»", shortened(s, 80)),
        other => other.to_string(),
    }
}
