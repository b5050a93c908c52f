//! The case's own copy of its requirement catalog, and how evidence relates to a requirement.

use serde::{Deserialize, Serialize};

use super::ids::RequirementId;
use super::programme::RoleId;

/// A group of requirements, e.g. "Kompetanse".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementArea {
    pub code: String,
    pub title: String,
}

/// One requirement as the case's catalog copy states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: RequirementId,
    pub area_code: String,
    pub code: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub guidance: String,
    /// Where evidence for it is usually found, as the catalog suggests.
    #[serde(default)]
    pub evidence_sources: Vec<String>,
    /// Suggested interview questions, each for the roles it suits.
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// An interview question the catalog suggests for people in the given roles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub roles: Vec<RoleId>,
    pub text: String,
}

/// Whether a piece of evidence speaks for or against a requirement being met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    #[default]
    Supports,
    Contradicts,
}

impl Stance {
    pub const ALL: [Stance; 2] = [Stance::Supports, Stance::Contradicts];
}

/// A link from a piece of evidence to a requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementLink {
    pub requirement_id: RequirementId,
    pub stance: Stance,
}
