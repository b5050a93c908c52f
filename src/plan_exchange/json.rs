//! The plan as JSON (`--format json`): the same content as the workbook, for scripts and other
//! systems. Read back through the same checks as a workbook.

use std::path::Path;

use super::{Cell, PlanFile, RawDeviation, RawPlan, RawRow};
use crate::i18n::{Labelled, Lang};

pub fn to_json(plan: &PlanFile) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(plan)
}

/// Reads a plan JSON file as cells, so a wrong value gets the same message as in a workbook.
pub fn read(path: &Path, lang: Lang) -> Result<RawPlan, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("Cannot read «{}»: {e}.", path.display()))?;
    let plan: PlanFile = serde_json::from_str(&text).map_err(|e| {
        format!(
            "«{}», line {}, column {}: {e}. Nothing was changed.",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if plan.format != super::FORMAT {
        return Err(format!(
            "«{}» is not an Evalbench plan (format «{}»).",
            path.display(),
            plan.format
        ));
    }
    Ok(RawPlan {
        case_id: Some(plan.case_id),
        rows: plan
            .actions
            .into_iter()
            .enumerate()
            .map(|(index, action)| RawRow {
                row: index + 1,
                id: action
                    .id
                    .map_or(Cell::Empty, |id| Cell::Number(id.0 as f64)),
                deviation: Cell::Number(action.deviation.0 as f64),
                description: Cell::Text(action.description),
                owner: Cell::Text(action.owner),
                due_date: action.due_date.map_or(Cell::Empty, Cell::Date),
                closure_evidence: Cell::Text(action.closure_evidence),
                status: Cell::Text(action.status.label(lang).into_owned()),
            })
            .collect(),
        deviations: plan
            .deviations
            .into_iter()
            .enumerate()
            .map(|(index, d)| RawDeviation {
                row: index + 1,
                cells: vec![
                    ("A", Cell::Number(d.id.0 as f64)),
                    ("B", Cell::Text(d.requirements)),
                    ("C", Cell::Text(d.title)),
                    ("D", Cell::Text(d.description)),
                    ("E", d.deadline.map_or(Cell::Empty, Cell::Date)),
                ],
            })
            .collect(),
    })
}
