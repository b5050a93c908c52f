//! The case's fidelity review: its copy of a scale and each rater's scores.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::apply::{Result, reject};
use super::sql_types::{Code, Json};
use crate::catalog::Catalog;
use crate::domain::Rejection;
use crate::domain::{
    Band, EvidenceRef, FidelityItem, FidelityItemId, FidelityReview, FidelityScore,
    FidelitySection, Rater,
};

pub(super) fn adopt(tx: &Transaction<'_>, catalog: &Catalog) -> Result<String> {
    let Some(scale) = catalog
        .scale
        .as_ref()
        .filter(|_| catalog.is_fidelity_scale())
    else {
        return reject(Rejection::NotAFidelityScale {
            catalog: catalog.id.clone(),
        });
    };
    let existing: i64 =
        tx.query_row("SELECT count(*) FROM fidelity_scale", [], |row| row.get(0))?;
    if existing > 0 {
        return reject(Rejection::FidelityScaleAlreadyAdopted);
    }
    let sections: Vec<FidelitySection> = catalog
        .areas
        .iter()
        .map(|a| FidelitySection {
            code: a.code.clone(),
            title: a.title.clone(),
        })
        .collect();
    tx.execute(
        "INSERT INTO fidelity_scale (singleton, catalog_id, version, title, source, min_score,
                                     max_score, bands, sections, improvement_below)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            catalog.id,
            catalog.version,
            catalog.title,
            catalog.source,
            scale.min,
            scale.max,
            Json(&scale.bands),
            Json(&sections),
            scale.improvement_below
        ],
    )?;
    let mut position = 0_i64;
    for area in &catalog.areas {
        for item in &area.requirements {
            tx.execute(
                "INSERT INTO fidelity_item (section_code, code, title, text, guidance, anchors,
                                            position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    area.code,
                    item.code,
                    item.title,
                    item.text,
                    item.guidance,
                    Json(&item.anchors),
                    position
                ],
            )?;
            position += 1;
        }
    }
    Ok(format!("fidelity/{}", catalog.id))
}

pub(super) fn set_score(
    tx: &Transaction<'_>,
    item_id: FidelityItemId,
    rater: Rater,
    score: u8,
    rationale: &str,
    evidence: &[EvidenceRef],
) -> Result<String> {
    let range: Option<(u8, u8)> = tx
        .query_row(
            "SELECT min_score, max_score FROM fidelity_scale",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((min, max)) = range else {
        return reject(Rejection::NoFidelityReview);
    };
    if !(min..=max).contains(&score) {
        return reject(Rejection::ScoreOutsideScale { score, min, max });
    }
    check_may_score(tx, rater)?;
    super::apply::require_row(tx, "fidelity_item", item_id.0, item_id.into())?;
    for reference in evidence {
        match reference {
            EvidenceRef::Excerpt(id) => {
                super::apply::require_row(tx, "excerpt", id.0, (*id).into())?;
            }
            EvidenceRef::DocumentReview(id) => {
                super::apply::require_row(tx, "document_review", id.0, (*id).into())?;
            }
        }
    }
    tx.execute(
        "INSERT INTO fidelity_score (item_id, rater, score, rationale, evidence)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (item_id, rater) DO UPDATE
         SET score = excluded.score, rationale = excluded.rationale, evidence = excluded.evidence",
        params![
            item_id,
            Code(rater),
            score,
            rationale.trim(),
            Json(evidence)
        ],
    )?;
    Ok(item_id.to_string())
}

pub(super) fn clear_score(
    tx: &Transaction<'_>,
    item_id: FidelityItemId,
    rater: Rater,
) -> Result<String> {
    check_may_score(tx, rater)?;
    let removed = tx.execute(
        "DELETE FROM fidelity_score WHERE item_id = ?1 AND rater = ?2",
        params![item_id, Code(rater)],
    )?;
    if removed == 0 {
        return reject(Rejection::NoScore {
            item: item_id,
            rater,
        });
    }
    Ok(item_id.to_string())
}

/// The review as stored, for the rules that depend on where it stands.
fn current(tx: &Transaction<'_>) -> Result<FidelityReview> {
    match read(tx)? {
        Some(review) => Ok(review),
        None => reject(Rejection::NoFidelityReview),
    }
}

fn check_may_score(tx: &Transaction<'_>, rater: Rater) -> Result<()> {
    current(tx)?
        .check_may_score(rater)
        .map_err(super::apply::ApplyError::Rejected)
}

/// An evaluator delivers their scores: fixed from now on, and once both have delivered the
/// review leaves the blind phase.
pub(super) fn seal(tx: &Transaction<'_>, rater: Rater) -> Result<String> {
    current(tx)?
        .check_may_seal(rater)
        .map_err(super::apply::ApplyError::Rejected)?;
    tx.execute(
        "INSERT INTO fidelity_seal (rater, sealed_at) VALUES (?1, evalbench_record_day())",
        [Code(rater)],
    )?;
    Ok(format!("fidelity/{}", rater.code()))
}

/// Takes a delivery back, while the other evaluator has not delivered.
pub(super) fn unseal(tx: &Transaction<'_>, rater: Rater) -> Result<String> {
    current(tx)?
        .check_may_unseal(rater)
        .map_err(super::apply::ApplyError::Rejected)?;
    tx.execute("DELETE FROM fidelity_seal WHERE rater = ?1", [Code(rater)])?;
    Ok(format!("fidelity/{}", rater.code()))
}

pub(super) fn set_recommendation(
    tx: &Transaction<'_>,
    item_id: FidelityItemId,
    recommendation: &str,
) -> Result<String> {
    current(tx)?;
    super::apply::require_row(tx, "fidelity_item", item_id.0, item_id.into())?;
    tx.execute(
        "UPDATE fidelity_item SET recommendation = ?1 WHERE id = ?2",
        params![recommendation.trim(), item_id],
    )?;
    Ok(item_id.to_string())
}

/// A finding made from an item's recommendation: titled by the item, described by the
/// recommendation, resting on the evidence of the consensus score, and naming the item. A
/// deviation gets the recommendation as its first action in the plan.
pub(super) fn add_finding_from_item(
    tx: &Transaction<'_>,
    item_id: FidelityItemId,
    kind: crate::domain::FindingKind,
) -> Result<String> {
    let review = current(tx)?;
    let Some(item) = review.item(item_id) else {
        return reject(Rejection::Missing {
            entity: item_id.into(),
        });
    };
    let title = format!("{} {}", item.code, item.title);
    let recommendation = item.recommendation.trim();
    tx.execute(
        "INSERT INTO finding (kind, title, description, uuid, fidelity_item)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            Code(kind),
            title.trim(),
            recommendation,
            super::new_uuid(),
            item.code
        ],
    )?;
    let finding_id = crate::domain::FindingId(tx.last_insert_rowid());
    let mut evidence: Vec<EvidenceRef> = Vec::new();
    for rater in [Rater::Consensus, Rater::First, Rater::Second] {
        for reference in review
            .score(item_id, rater)
            .map_or(&[][..], |s| &s.evidence)
        {
            if !evidence.contains(reference) {
                evidence.push(*reference);
            }
        }
    }
    for reference in evidence {
        super::apply::link_evidence(tx, finding_id, reference)?;
    }
    if kind == crate::domain::FindingKind::Deviation {
        let description = if recommendation.is_empty() {
            title.trim()
        } else {
            recommendation
        };
        tx.execute(
            "INSERT INTO action (finding_id, description, owner, due_date, status,
             closure_evidence, nav_comment, uuid)
             VALUES (?1, ?2, '', NULL, ?3, '', '', ?4)",
            params![
                finding_id,
                description,
                Code(crate::domain::ActionStatus::default()),
                super::new_uuid()
            ],
        )?;
    }
    Ok(finding_id.to_string())
}

/// The review, or `None` when the case has no fidelity scale. Evidence that has since been
/// deleted is left out rather than shown as a dangling reference.
pub(super) fn read(conn: &Connection) -> rusqlite::Result<Option<FidelityReview>> {
    let Some(mut review) = conn
        .query_row(
            "SELECT catalog_id, version, title, source, min_score, max_score, bands, sections,
                    improvement_below
             FROM fidelity_scale",
            [],
            |row| {
                Ok(FidelityReview {
                    catalog_id: row.get(0)?,
                    version: row.get(1)?,
                    title: row.get(2)?,
                    source: row.get(3)?,
                    min: row.get(4)?,
                    max: row.get(5)?,
                    bands: row.get::<_, Json<Vec<Band>>>(6)?.0,
                    sections: row.get::<_, Json<Vec<FidelitySection>>>(7)?.0,
                    items: Vec::new(),
                    scores: Vec::new(),
                    improvement_below: row.get(8)?,
                    seals: Vec::new(),
                })
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    review.items = conn
        .prepare(
            "SELECT id, section_code, code, title, text, guidance, anchors, recommendation
             FROM fidelity_item ORDER BY position",
        )?
        .query_map([], |row| {
            Ok(FidelityItem {
                id: row.get(0)?,
                section_code: row.get(1)?,
                code: row.get(2)?,
                title: row.get(3)?,
                text: row.get(4)?,
                guidance: row.get(5)?,
                anchors: row.get::<_, Json<Vec<String>>>(6)?.0,
                recommendation: row.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let excerpts: std::collections::HashSet<i64> = ids(conn, "SELECT id FROM excerpt")?;
    let documents: std::collections::HashSet<i64> = ids(conn, "SELECT id FROM document_review")?;
    review.scores = conn
        .prepare(
            "SELECT s.item_id, s.rater, s.score, s.rationale, s.evidence
             FROM fidelity_score s JOIN fidelity_item i ON i.id = s.item_id
             ORDER BY i.position, s.rater",
        )?
        .query_map([], |row| {
            let evidence: Vec<EvidenceRef> = row.get::<_, Json<Vec<EvidenceRef>>>(4)?.0;
            Ok(FidelityScore {
                item_id: row.get(0)?,
                rater: row.get::<_, Code<_>>(1)?.0,
                score: row.get(2)?,
                rationale: row.get(3)?,
                evidence: evidence
                    .into_iter()
                    .filter(|e| match e {
                        EvidenceRef::Excerpt(id) => excerpts.contains(&id.0),
                        EvidenceRef::DocumentReview(id) => documents.contains(&id.0),
                    })
                    .collect(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    review.seals = conn
        .prepare("SELECT rater, sealed_at FROM fidelity_seal ORDER BY rater")?
        .query_map([], |row| {
            Ok(crate::domain::Seal {
                rater: row.get::<_, Code<_>>(0)?.0,
                sealed_at: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(review))
}

fn ids(conn: &Connection, sql: &str) -> rusqlite::Result<std::collections::HashSet<i64>> {
    conn.prepare(sql)?
        .query_map([], |row| row.get(0))?
        .collect()
}
