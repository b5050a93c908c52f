//! The case's own copy of its requirement catalog: adopted once when the case is created, and
//! brought to another version of the same catalog only by an explicit `UpdateCatalog`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::apply::{ApplyError, Result, reject};
use super::sql_types::{Json, JsonList};
use crate::catalog::{Catalog, CatalogRequirement};
use crate::domain::{Programme, Question, Rejection, RoleId};

pub(super) fn adopt(tx: &Transaction<'_>, catalog: &Catalog) -> Result<String> {
    if catalog.is_fidelity_scale() {
        return reject(Rejection::CatalogIsFidelityScale {
            catalog: catalog.id.clone(),
        });
    }
    let existing: i64 = tx.query_row("SELECT count(*) FROM requirement", [], |row| row.get(0))?;
    if existing > 0 {
        return reject(Rejection::CatalogAlreadyAdopted);
    }
    set_catalog_info(tx, catalog)?;
    // The programme's retention rule, unless the case has its own already.
    if let Some(days) = catalog.retention_days {
        tx.execute(
            "UPDATE case_info SET retention_days = coalesce(retention_days, ?1)",
            [days],
        )?;
    }
    let mut position = 0_i64;
    for (area_position, area) in catalog.areas.iter().enumerate() {
        upsert_area(tx, &area.code, &area.title, area_position)?;
        for requirement in &area.requirements {
            insert_requirement(tx, &area.code, requirement, position)?;
            position += 1;
        }
    }
    Ok(format!("catalog/{}", catalog.id))
}

pub(super) fn update(tx: &Transaction<'_>, catalog: &Catalog) -> Result<String> {
    let current: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT catalog_id, catalog_version FROM case_info",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((Some(current_id), current_version)) = current else {
        return reject(Rejection::NoCatalog);
    };
    if current_id != catalog.id {
        return reject(Rejection::OtherCatalog {
            current: current_id,
            offered: catalog.id.clone(),
        });
    }
    if current_version.as_deref() == Some(catalog.version.as_str()) {
        return reject(Rejection::SameCatalogVersion {
            catalog: catalog.id.clone(),
            version: catalog.version.clone(),
        });
    }
    if catalog.is_fidelity_scale() {
        return reject(Rejection::CatalogIsFidelityScale {
            catalog: catalog.id.clone(),
        });
    }

    check_roles_kept(tx, catalog)?;
    let existing: HashMap<String, (i64, Vec<Question>)> = tx
        .prepare("SELECT code, id, questions FROM requirement")?
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                (row.get(1)?, row.get::<_, Json<Vec<Question>>>(2)?.0),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;

    set_catalog_info(tx, catalog)?;
    let mut position = 0_i64;
    for (area_position, area) in catalog.areas.iter().enumerate() {
        upsert_area(tx, &area.code, &area.title, area_position)?;
        for requirement in &area.requirements {
            match existing.get(&requirement.code) {
                Some((id, old_questions)) => {
                    tx.execute(
                        "UPDATE requirement SET area_code = ?1, title = ?2, text = ?3,
                         guidance = ?4, evidence_sources = ?5, questions = ?6, position = ?7
                         WHERE id = ?8",
                        params![
                            area.code,
                            requirement.title,
                            requirement.text,
                            requirement.guidance,
                            JsonList(requirement.evidence_sources.clone()),
                            Json(&requirement.questions),
                            position,
                            id
                        ],
                    )?;
                    if *old_questions != requirement.questions {
                        follow_questions(tx, *id, old_questions, &requirement.questions)?;
                    }
                }
                None => insert_requirement(tx, &area.code, requirement, position)?,
            }
            position += 1;
        }
    }

    let kept: std::collections::HashSet<&str> = catalog
        .areas
        .iter()
        .flat_map(|a| a.requirements.iter().map(|r| r.code.as_str()))
        .collect();
    for (code, (id, _)) in &existing {
        if kept.contains(code.as_str()) {
            continue;
        }
        for table in [
            "excerpt_requirement",
            "document_requirement",
            "finding_requirement",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE requirement_id = ?1"),
                [id],
            )?;
        }
        tx.execute("DELETE FROM requirement WHERE id = ?1", [id])?;
    }
    tx.execute(
        "DELETE FROM requirement_area
         WHERE code NOT IN (SELECT area_code FROM requirement)",
        [],
    )?;
    Ok(format!("catalog/{}", catalog.id))
}

/// Ticked guide questions follow their text when a new version reorders or rewords the list;
/// a tick on a question that is gone is dropped.
fn follow_questions(
    tx: &Transaction<'_>,
    requirement_id: i64,
    old: &[Question],
    new: &[Question],
) -> Result<()> {
    let ticks: Vec<(i64, i64)> = tx
        .prepare("SELECT interview_id, question FROM interview_question WHERE requirement_id = ?1")?
        .query_map([requirement_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute(
        "DELETE FROM interview_question WHERE requirement_id = ?1",
        [requirement_id],
    )?;
    for (interview_id, question) in ticks {
        let moved = usize::try_from(question)
            .ok()
            .and_then(|q| old.get(q))
            .and_then(|q| new.iter().position(|n| n.text == q.text));
        if let Some(moved) = moved {
            tx.execute(
                "INSERT OR IGNORE INTO interview_question (interview_id, requirement_id, question)
                 VALUES (?1, ?2, ?3)",
                params![interview_id, requirement_id, moved as i64],
            )?;
        }
    }
    Ok(())
}

fn set_catalog_info(tx: &Transaction<'_>, catalog: &Catalog) -> Result<()> {
    tx.execute(
        "UPDATE case_info SET catalog_id = ?1, catalog_version = ?2, catalog_title = ?3,
         catalog_source = ?4, programme = ?5",
        params![
            catalog.id,
            catalog.version,
            catalog.title,
            catalog.source,
            Json(catalog.programme())
        ],
    )?;
    Ok(())
}

/// The case's roles and source groups: its catalog's, or NAV's standard ones before a catalog
/// is adopted.
pub(super) fn programme(conn: &Connection) -> rusqlite::Result<Programme> {
    let stored: Option<Json<Programme>> = conn
        .query_row("SELECT programme FROM case_info", [], |row| row.get(0))
        .optional()?
        .flatten();
    Ok(stored.map_or_else(|| Programme::standard().clone(), |Json(p)| p))
}

/// A new catalog version may drop roles, but not roles that interviews in the case have.
fn check_roles_kept(tx: &Transaction<'_>, catalog: &Catalog) -> Result<()> {
    let programme = catalog.programme();
    let used: Vec<(String, i64)> = tx
        .prepare("SELECT role, count(*) FROM interview GROUP BY role ORDER BY role")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    match used
        .into_iter()
        .find(|(role, _)| programme.role(&RoleId::new(role.as_str())).is_none())
    {
        Some((role, count)) => reject(Rejection::RoleStillUsed {
            role,
            count: usize::try_from(count).unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

fn upsert_area(tx: &Transaction<'_>, code: &str, title: &str, position: usize) -> Result<()> {
    tx.execute(
        "INSERT INTO requirement_area (code, title, position) VALUES (?1, ?2, ?3)
         ON CONFLICT (code) DO UPDATE SET title = excluded.title, position = excluded.position",
        params![code, title, position as i64],
    )?;
    Ok(())
}

fn insert_requirement(
    tx: &Transaction<'_>,
    area_code: &str,
    requirement: &CatalogRequirement,
    position: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO requirement (area_code, code, title, text, guidance, evidence_sources,
                                  questions, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            area_code,
            requirement.code,
            requirement.title,
            requirement.text,
            requirement.guidance,
            JsonList(requirement.evidence_sources.clone()),
            Json(&requirement.questions),
            position
        ],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            ApplyError::Rejected(Rejection::DuplicateRequirementCode {
                code: requirement.code.clone(),
            })
        }
        other => ApplyError::Sql(other),
    })?;
    Ok(())
}
