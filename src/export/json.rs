//! The whole case as JSON. Field names are those of the domain types and never change meaning;
//! `schema_version` says which shape a reader gets.

use serde::{Deserialize, Serialize};

use crate::domain::CaseSnapshot;

/// The value of `format` in every JSON export.
pub const FORMAT: &str = "evalbench-case";
/// The shape of the export; raised only when a field changes meaning or is removed.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseExport {
    pub format: String,
    pub schema_version: u32,
    /// The program that wrote it, e.g. "evalbench 0.1.0".
    pub generator: String,
    pub case: CaseSnapshot,
}

impl CaseExport {
    pub fn new(case: CaseSnapshot) -> CaseExport {
        CaseExport {
            format: FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            generator: format!("evalbench {}", env!("CARGO_PKG_VERSION")),
            case,
        }
    }
}

/// Pretty-printed JSON of the whole case.
pub fn to_json(snapshot: &CaseSnapshot) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&CaseExport::new(snapshot.clone()))
}
