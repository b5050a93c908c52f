//! The plan as a provider package (`.evalplan`): a small case file the provider manager opens in
//! Evalbench itself. Read back through the same checks as a workbook.

use std::path::Path;

use super::{PlanFile, RawPlan};
use crate::i18n::Lang;
use crate::store::{self, StoreError};

/// The file extension of provider packages.
pub const EXTENSION: &str = "evalplan";

/// Reads a package (read-only) as cells for `super::check`. Actions the provider added carry
/// ids the case does not know; they come back as new rows.
pub fn read(path: &Path, lang: Lang) -> Result<RawPlan, StoreError> {
    let snapshot = store::read_case(path)?;
    let Some(exported) = snapshot.provider_package.clone() else {
        return Err(StoreError::NotAPackage {
            path: path.to_owned(),
        });
    };
    let mut raw = PlanFile::from_case(&snapshot).into_raw(lang, |id| exported.contains(&id));
    raw.exported_actions = Some(exported);
    Ok(raw)
}
