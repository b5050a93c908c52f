//! Outputs of a case: the JSON export (the whole case, stable field names) and the Markdown report.
//! Each output is a pure function of a `CaseSnapshot`; writing files is the caller's business.

pub mod json;
pub mod markdown;
