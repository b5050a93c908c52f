//! The plan as JSON (`--format json`): the same content as the workbook, for scripts and other
//! systems. Read back through the same checks as a workbook.

use std::path::Path;

use super::{PlanFile, RawPlan};
use crate::i18n::Lang;

pub fn to_json(plan: &PlanFile) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(plan)
}

/// Reads a plan JSON file as cells, so a wrong value gets the same message as in a workbook.
pub fn read(path: &Path, lang: Lang) -> Result<RawPlan, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "Cannot read «{}»: {}.",
            path.display(),
            crate::store::FileProblem::of_io(&e)
        )
    })?;
    parse(&path.display().to_string(), &text, lang)
}

/// Reads plan JSON text; `name` is the file's name in messages.
pub fn parse(name: &str, text: &str, lang: Lang) -> Result<RawPlan, String> {
    let plan: PlanFile = serde_json::from_str(text).map_err(|e| {
        format!(
            "«{name}», line {}, column {}: {}. Nothing was changed.",
            e.line(),
            e.column(),
            crate::json_errors::describe(text, &e)
        )
    })?;
    if plan.format != super::FORMAT {
        return Err(format!(
            "«{name}» is not an Evalbench plan (format «{}»).",
            plan.format
        ));
    }
    Ok(plan.into_raw(lang, |_| true))
}
