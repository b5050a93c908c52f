//! Requirement catalogs as data: the file format, its validation, and the catalogs shipped in
//! `assets/catalogs/`. A case copies its catalog when it is created; this module never touches a case.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub use crate::domain::{Band, Question};
use crate::domain::{Measure, Programme, Role, RoleId, SourceGroup, Stage};

/// The value of the `format` field every catalog file carries.
pub const FORMAT: &str = "evalbench-catalog";
/// The catalog format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub format: String,
    pub format_version: u32,
    pub id: String,
    pub version: String,
    pub title: String,
    pub language: String,
    /// The public document the catalog paraphrases, and its date.
    pub source: String,
    /// What the catalog is: requirements to find against, or a fidelity scale to score.
    #[serde(default, skip_serializing_if = "CatalogKind::is_requirements")]
    pub kind: CatalogKind,
    /// Only for a fidelity scale: the score range of every item and the bands of the total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// The programme's rule for how many days after closing a case the participants' personal
    /// data is deleted; a case that adopts the catalog starts with it (else 14 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// The sides whose views are triangulated; with `roles`, who is interviewed. A catalog
    /// without them works with NAV's standard roles (`Programme::standard`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_groups: Vec<SourceGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// The stages of the measure a participant can be in (only with `roles`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    pub areas: Vec<CatalogArea>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogKind {
    #[default]
    Requirements,
    FidelityScale,
}

impl CatalogKind {
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
    fn is_requirements(&self) -> bool {
        *self == CatalogKind::Requirements
    }
}

/// The scoring rules of a fidelity scale. Band thresholds are settings of the catalog, since
/// published versions of a scale do not always agree on them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub min: u8,
    pub max: u8,
    /// Bands by the lowest total that reaches them; the highest reached band applies.
    pub bands: Vec<Band>,
    /// Items whose consensus is below this score are points to improve (default 4).
    #[serde(
        default = "crate::domain::default_improvement_below",
        skip_serializing_if = "is_default_improvement_below"
    )]
    pub improvement_below: u8,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_default_improvement_below(value: &u8) -> bool {
    *value == crate::domain::default_improvement_below()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogArea {
    pub code: String,
    pub title: String,
    pub requirements: Vec<CatalogRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogRequirement {
    pub code: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub guidance: String,
    /// Where the evaluator may look for evidence, e.g. "kompetansematrise".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_sources: Vec<String>,
    /// Interview questions, each for the roles it suits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    /// Only in a fidelity scale: what each score means, lowest score first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<String>,
}

/// Why a catalog file was refused. Each variant names the file and where in it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CatalogError {
    #[error("{file}, line {line}, column {column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}, {}{path}: {message}", line.map(|l| format!("line {l}, ")).unwrap_or_default())]
    Invalid {
        file: String,
        /// Where the value at `path` starts in the file, when it is there.
        line: Option<usize>,
        path: String,
        message: String,
    },
}

impl CatalogError {
    /// The error with the line of its path in the catalog's `text`.
    fn located(self, text: &str) -> CatalogError {
        match self {
            CatalogError::Invalid {
                file,
                line: None,
                path,
                message,
            } => CatalogError::Invalid {
                line: crate::json_errors::line_of(text, &path),
                file,
                path,
                message,
            },
            other => other,
        }
    }
}

impl Catalog {
    /// Parses and validates a catalog; `file` is only used in messages.
    pub fn parse(file: &str, text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(text).map_err(|e| CatalogError::Syntax {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message: crate::json_errors::describe(text, &e),
        })?;
        catalog.validate(file).map_err(|e| e.located(text))?;
        // The texts follow the store's rules, so a catalog that imports also adopts.
        let value = serde_json::to_value(&catalog).map_err(|e| CatalogError::Invalid {
            file: file.to_owned(),
            line: None,
            path: String::new(),
            message: e.to_string(),
        })?;
        crate::domain::text::check_json(&value, "")
            .map_err(|problem| CatalogError::Invalid {
                file: file.to_owned(),
                line: None,
                path: problem.path().to_owned(),
                message: problem.to_string(),
            })
            .map_err(|e| e.located(text))?;
        Ok(catalog)
    }

    fn validate(&self, file: &str) -> Result<(), CatalogError> {
        let invalid = |path: String, message: String| CatalogError::Invalid {
            file: file.to_owned(),
            line: None,
            path,
            message,
        };
        if self.format != FORMAT {
            return Err(invalid(
                "format".into(),
                format!("expected \"{FORMAT}\", found \"{}\"", self.format),
            ));
        }
        if self.format_version != FORMAT_VERSION {
            return Err(invalid(
                "format_version".into(),
                format!(
                    "this program reads version {FORMAT_VERSION}, the file has {}",
                    self.format_version
                ),
            ));
        }
        for (field, value) in [
            ("id", &self.id),
            ("version", &self.version),
            ("title", &self.title),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(field.into(), "must not be empty".into()));
            }
        }
        if self.areas.is_empty() {
            return Err(invalid("areas".into(), "the catalog has no areas".into()));
        }
        if let Some(days) = self.retention_days.filter(|d| !(1..=3650).contains(d)) {
            return Err(invalid(
                "retention_days".into(),
                format!("{days} is outside 1–3650 days"),
            ));
        }
        if !self.is_fidelity_scale() {
            if self.roles.is_empty() && !self.stages.is_empty() {
                return Err(invalid(
                    "stages".into(),
                    "declare the programme's \"roles\" and \"source_groups\" with its stages"
                        .into(),
                ));
            }
            if self.roles.is_empty() != self.source_groups.is_empty() {
                let missing = if self.roles.is_empty() {
                    "roles"
                } else {
                    "source_groups"
                };
                return Err(invalid(
                    missing.into(),
                    "declare both \"roles\" and \"source_groups\", or neither (NAV's standard roles)"
                        .into(),
                ));
            }
            if let Some((path, message)) = self.programme().problem(&self.language) {
                return Err(invalid(path, message));
            }
        }
        let programme = self.programme();
        // The scale first: anchors are checked against it.
        self.validate_scale()
            .map_err(|(path, message)| invalid(path, message))?;
        let mut area_codes = HashSet::new();
        let mut requirement_codes = HashSet::new();
        for (a, area) in self.areas.iter().enumerate() {
            if area.code.trim().is_empty() || area.title.trim().is_empty() {
                return Err(invalid(
                    format!("areas[{a}]"),
                    "an area needs a code and a title".into(),
                ));
            }
            if !area_codes.insert(area.code.as_str()) {
                return Err(invalid(
                    format!("areas[{a}].code"),
                    format!("area code \"{}\" is used twice", area.code),
                ));
            }
            for (r, requirement) in area.requirements.iter().enumerate() {
                let path = format!("areas[{a}].requirements[{r}]");
                for (field, value) in [
                    ("code", &requirement.code),
                    ("title", &requirement.title),
                    ("text", &requirement.text),
                ] {
                    if value.trim().is_empty() {
                        return Err(invalid(
                            format!("{path}.{field}"),
                            "must not be empty".into(),
                        ));
                    }
                }
                if !requirement_codes.insert(requirement.code.as_str()) {
                    return Err(invalid(
                        format!("{path}.code"),
                        format!("requirement code \"{}\" is used twice", requirement.code),
                    ));
                }
                for (q, question) in requirement.questions.iter().enumerate() {
                    if question.text.trim().is_empty() {
                        return Err(invalid(
                            format!("{path}.questions[{q}].text"),
                            "must not be empty".into(),
                        ));
                    }
                    if question.roles.is_empty() {
                        return Err(invalid(
                            format!("{path}.questions[{q}].roles"),
                            "name at least one role the question is for".into(),
                        ));
                    }
                    if let Some((n, role)) = question
                        .roles
                        .iter()
                        .enumerate()
                        .find(|(_, role)| programme.role(role).is_none())
                    {
                        return Err(invalid(
                            format!("{path}.questions[{q}].roles[{n}]"),
                            undeclared_role_message(role, &programme),
                        ));
                    }
                }
                self.validate_anchors(&path, requirement)
                    .map_err(|(path, message)| invalid(path, message))?;
            }
        }
        Ok(())
    }

    fn validate_anchors(
        &self,
        path: &str,
        requirement: &CatalogRequirement,
    ) -> Result<(), (String, String)> {
        let Some(scale) = self.scale.as_ref().filter(|_| self.is_fidelity_scale()) else {
            return if requirement.anchors.is_empty() {
                Ok(())
            } else {
                Err((
                    format!("{path}.anchors"),
                    "anchors belong to items of a fidelity scale (\"kind\": \"fidelity_scale\")"
                        .into(),
                ))
            };
        };
        let expected = usize::from(scale.max.saturating_sub(scale.min)) + 1;
        if requirement.anchors.len() != expected {
            return Err((
                format!("{path}.anchors"),
                format!(
                    "expected {expected} anchor texts (scores {} to {}), found {}",
                    scale.min,
                    scale.max,
                    requirement.anchors.len()
                ),
            ));
        }
        if let Some(a) = requirement.anchors.iter().position(|a| a.trim().is_empty()) {
            return Err((format!("{path}.anchors[{a}]"), "must not be empty".into()));
        }
        Ok(())
    }

    fn validate_scale(&self) -> Result<(), (String, String)> {
        match (self.kind, &self.scale) {
            (CatalogKind::Requirements, None) => Ok(()),
            (CatalogKind::Requirements, Some(_)) => Err((
                "scale".into(),
                "only a fidelity scale (\"kind\": \"fidelity_scale\") has a scale".into(),
            )),
            (CatalogKind::FidelityScale, None) => Err((
                "scale".into(),
                "a fidelity scale needs \"scale\": {\"min\", \"max\", \"bands\"}".into(),
            )),
            (CatalogKind::FidelityScale, Some(scale)) => {
                if scale.min >= scale.max {
                    return Err((
                        "scale.max".into(),
                        format!("must be above min ({})", scale.min),
                    ));
                }
                if !(scale.min..=scale.max).contains(&scale.improvement_below) {
                    return Err((
                        "scale.improvement_below".into(),
                        format!(
                            "must be a score of the scale ({} to {})",
                            scale.min, scale.max
                        ),
                    ));
                }
                if scale.bands.is_empty() {
                    return Err(("scale.bands".into(), "name at least one band".into()));
                }
                let highest = u32::from(scale.max) * self.requirement_count() as u32;
                let mut previous = None;
                for (b, band) in scale.bands.iter().enumerate() {
                    if band.label.trim().is_empty() {
                        return Err((
                            format!("scale.bands[{b}].label"),
                            "must not be empty".into(),
                        ));
                    }
                    if previous.is_some_and(|p| band.min_total <= p) {
                        return Err((
                            format!("scale.bands[{b}].min_total"),
                            "bands must be listed from the lowest total up".into(),
                        ));
                    }
                    if band.min_total > highest {
                        return Err((
                            format!("scale.bands[{b}].min_total"),
                            format!(
                                "{} is above the highest possible total, {highest}",
                                band.min_total
                            ),
                        ));
                    }
                    previous = Some(band.min_total);
                }
                Ok(())
            }
        }
    }

    /// The roles and source groups the catalog declares, or NAV's standard ones.
    pub fn programme(&self) -> Programme {
        if self.roles.is_empty() {
            Programme::standard().clone()
        } else {
            Programme {
                source_groups: self.source_groups.clone(),
                roles: self.roles.clone(),
                stages: self.stages.clone(),
            }
        }
    }

    pub fn is_fidelity_scale(&self) -> bool {
        self.kind == CatalogKind::FidelityScale
    }

    pub fn requirement_count(&self) -> usize {
        self.areas.iter().map(|a| a.requirements.len()).sum()
    }
}

fn undeclared_role_message(role: &RoleId, programme: &Programme) -> String {
    let declared: Vec<&str> = programme.role_ids().map(RoleId::as_str).collect();
    format!(
        "the role \"{role}\" is not declared in \"roles\" (declared: {})",
        declared.join(", ")
    )
}

/// The catalogs shipped with the program, as (file name, JSON text).
pub const BUILTIN: [(&str, &str); 6] = [
    (
        "aft-2016.json",
        include_str!("../assets/catalogs/aft-2016.json"),
    ),
    (
        "vta-2019.json",
        include_str!("../assets/catalogs/vta-2019.json"),
    ),
    (
        "generic-2026.json",
        include_str!("../assets/catalogs/generic-2026.json"),
    ),
    (
        "ips-fidelity-2008.json",
        include_str!("../assets/catalogs/ips-fidelity-2008.json"),
    ),
    (
        "sv-kompetens-2026.json",
        include_str!("../assets/catalogs/sv-kompetens-2026.json"),
    ),
    (
        "asvl-laerekandidat-2026.json",
        include_str!("../assets/catalogs/asvl-laerekandidat-2026.json"),
    ),
];

/// A shipped catalog by file name (as the demo data refers to it).
pub fn builtin_by_file(file_name: &str) -> Result<Catalog, CatalogError> {
    let (file, text) = BUILTIN
        .iter()
        .find(|(file, _)| *file == file_name)
        .ok_or_else(|| CatalogError::Invalid {
            file: file_name.to_owned(),
            line: None,
            path: String::new(),
            message: "no such built-in catalog".into(),
        })?;
    Catalog::parse(file, text)
}

/// The shipped catalog a new case of this measure starts from.
pub fn builtin_for(measure: Measure) -> Result<Catalog, CatalogError> {
    builtin_by_file(match measure {
        Measure::Aft => "aft-2016.json",
        Measure::Vta => "vta-2019.json",
        Measure::Other => "generic-2026.json",
    })
}

/// Every shipped catalog, parsed.
pub fn builtin_all() -> Result<Vec<Catalog>, CatalogError> {
    BUILTIN
        .iter()
        .map(|(file, text)| Catalog::parse(file, text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogs_parse() {
        let all = builtin_all();
        assert!(all.is_ok(), "{all:?}");
        for catalog in all.unwrap_or_default() {
            assert!(catalog.requirement_count() >= 8, "{}", catalog.id);
        }
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let err = Catalog::parse("bad.json", "{\n  \"format\": \n}");
        assert!(
            matches!(err, Err(CatalogError::Syntax { line: 3, .. })),
            "{err:?}"
        );
        let message = err.map(|_| ()).unwrap_err().to_string();
        assert!(message.starts_with("bad.json, line 3"), "{message}");
    }

    #[test]
    fn duplicate_requirement_code_is_named_by_path() {
        let text = r#"{"format":"evalbench-catalog","format_version":1,"id":"x","version":"1",
            "title":"T","language":"nb","source":"s","areas":[{"code":"A","title":"A",
            "requirements":[{"code":"A-1","title":"t","text":"x"},{"code":"A-1","title":"t","text":"y"}]}]}"#;
        let err = Catalog::parse("dup.json", text).map(|_| ()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dup.json, line 3, areas[0].requirements[1].code: requirement code \"A-1\" is used twice"
        );
    }
}
