//! What bringing a case's catalog copy to another version would change — shown to the evaluator
//! before `Command::UpdateCatalog` is applied, so nothing in a case changes silently.

use serde::Serialize;

use crate::catalog::{Catalog, CatalogRequirement};
use crate::domain::{CaseSnapshot, FindingId, Requirement, RequirementId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogDiff {
    pub catalog_id: String,
    pub from_version: String,
    pub to_version: String,
    pub added: Vec<Added>,
    pub reworded: Vec<Reworded>,
    pub removed: Vec<Removed>,
    /// Areas kept under their code but given another title: (code, before, after).
    pub retitled_areas: Vec<(String, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Added {
    pub area: String,
    pub code: String,
    pub title: String,
}

/// What a requirement is used by in the case: what an update touches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Uses {
    /// Excerpts and document reviews linked to the requirement.
    pub evidence: usize,
    pub findings: Vec<FindingId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Area,
    Title,
    Text,
    Guidance,
    EvidenceSources,
    Questions,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: Field,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reworded {
    pub id: RequirementId,
    pub code: String,
    pub title: String,
    pub changes: Vec<Change>,
    pub uses: Uses,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub id: RequirementId,
    pub code: String,
    pub title: String,
    /// These links are deleted with the requirement.
    pub uses: Uses,
}

impl CatalogDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.reworded.is_empty()
            && self.removed.is_empty()
            && self.retitled_areas.is_empty()
    }
}

/// Compares the case's copy with `catalog`, requirement by code.
pub fn diff(snapshot: &CaseSnapshot, catalog: &Catalog) -> CatalogDiff {
    let mut added = Vec::new();
    let mut reworded = Vec::new();
    for area in &catalog.areas {
        for new in &area.requirements {
            match snapshot.requirements.iter().find(|r| r.code == new.code) {
                None => added.push(Added {
                    area: area.title.clone(),
                    code: new.code.clone(),
                    title: new.title.clone(),
                }),
                Some(old) => {
                    let changes = changes(snapshot, catalog, old, &area.code, new);
                    if !changes.is_empty() {
                        reworded.push(Reworded {
                            id: old.id,
                            code: old.code.clone(),
                            title: new.title.clone(),
                            changes,
                            uses: uses(snapshot, old.id),
                        });
                    }
                }
            }
        }
    }
    let removed = snapshot
        .requirements
        .iter()
        .filter(|old| {
            !catalog
                .areas
                .iter()
                .any(|a| a.requirements.iter().any(|r| r.code == old.code))
        })
        .map(|old| Removed {
            id: old.id,
            code: old.code.clone(),
            title: old.title.clone(),
            uses: uses(snapshot, old.id),
        })
        .collect();
    CatalogDiff {
        catalog_id: catalog.id.clone(),
        from_version: snapshot
            .catalog
            .as_ref()
            .map(|c| c.version.clone())
            .unwrap_or_default(),
        to_version: catalog.version.clone(),
        added,
        reworded,
        removed,
        retitled_areas: catalog
            .areas
            .iter()
            .filter_map(|new| {
                let old = snapshot.areas.iter().find(|a| a.code == new.code)?;
                (old.title != new.title)
                    .then(|| (new.code.clone(), old.title.clone(), new.title.clone()))
            })
            .collect(),
    }
}

fn changes(
    snapshot: &CaseSnapshot,
    catalog: &Catalog,
    old: &Requirement,
    new_area: &str,
    new: &CatalogRequirement,
) -> Vec<Change> {
    let old_area = snapshot
        .areas
        .iter()
        .find(|a| a.code == old.area_code)
        .map_or_else(|| old.area_code.clone(), |a| a.title.clone());
    let new_area_title = catalog
        .areas
        .iter()
        .find(|a| a.code == new_area)
        .map_or_else(|| new_area.to_owned(), |a| a.title.clone());
    let questions = |list: &[crate::domain::Question]| {
        list.iter()
            .map(|q| q.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut changes = Vec::new();
    let mut compare = |field, before: String, after: String| {
        if before != after {
            changes.push(Change {
                field,
                before,
                after,
            });
        }
    };
    // A move to another area; a retitled area alone is listed with the areas.
    if old.area_code != new_area {
        compare(Field::Area, old_area, new_area_title);
    }
    compare(Field::Title, old.title.clone(), new.title.clone());
    compare(Field::Text, old.text.clone(), new.text.clone());
    compare(Field::Guidance, old.guidance.clone(), new.guidance.clone());
    compare(
        Field::EvidenceSources,
        old.evidence_sources.join(", "),
        new.evidence_sources.join(", "),
    );
    compare(
        Field::Questions,
        questions(&old.questions),
        questions(&new.questions),
    );
    // Roles of an unchanged question text still count as a change of the guide.
    if old.questions != new.questions && questions(&old.questions) == questions(&new.questions) {
        changes.push(Change {
            field: Field::Questions,
            before: String::new(),
            after: String::new(),
        });
    }
    changes
}

fn uses(snapshot: &CaseSnapshot, id: RequirementId) -> Uses {
    let excerpts = snapshot
        .interviews
        .iter()
        .flat_map(|i| &i.excerpts)
        .filter(|e| e.links.iter().any(|l| l.requirement_id == id))
        .count();
    let documents = snapshot
        .document_reviews
        .iter()
        .filter(|d| d.links.iter().any(|l| l.requirement_id == id))
        .count();
    Uses {
        evidence: excerpts + documents,
        findings: snapshot
            .findings
            .iter()
            .filter(|f| f.requirement_ids.contains(&id))
            .map(|f| f.id)
            .collect(),
    }
}
