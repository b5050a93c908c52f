//! Report versions kept as sent (schema 12; see `domain::report_version`): the row, and the file
//! kept by its SHA-256 in `attachment`.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::apply::{Result, reject};
use super::sql_types::Code;
use super::{CaseStore, StoreError, sql_err};
use crate::command::Command;
use crate::domain::report_version::{FindingAtVersion, check_may_keep};
use crate::domain::{FindingKind, Rejection, ReportKind, ReportVersion};

pub(super) fn keep(
    tx: &Transaction<'_>,
    kind: ReportKind,
    answer_by: Option<jiff::civil::Date>,
    made_by: &str,
    file_name: &str,
    sha256: &str,
) -> Result<String> {
    check_may_keep(&read(tx)?, kind).map_err(super::apply::ApplyError::Rejected)?;
    let stored: Option<i64> = tx
        .query_row(
            "SELECT size_bytes FROM attachment WHERE sha256 = ?1",
            [sha256],
            |row| row.get(0),
        )
        .optional()?;
    if stored.is_none() {
        return reject(Rejection::NoStoredFile {
            sha256: sha256.to_owned(),
        });
    }
    let uuid = super::new_uuid();
    tx.execute(
        "INSERT INTO report_version
             (uuid, kind, made_on, made_by, answer_by, file_name, attachment_sha256, findings)
         VALUES (?1, ?2, evalbench_record_day(), ?3, ?4, ?5, ?6, ?7)",
        params![
            uuid,
            Code(kind),
            made_by.trim(),
            answer_by.map(|d| d.to_string()),
            file_name,
            sha256,
            findings_now(tx)?
        ],
    )?;
    Ok(format!("report_version/{uuid}"))
}

/// The case's findings as JSON, by identity (rows from before schema 10 by their stable one).
fn findings_now(tx: &Transaction<'_>) -> rusqlite::Result<String> {
    let case_id: String = tx.query_row("SELECT case_id FROM case_info", [], |row| row.get(0))?;
    let mut statement =
        tx.prepare("SELECT id, uuid, kind, title, description FROM finding ORDER BY id")?;
    let findings = statement
        .query_map([], |row| {
            let id: i64 = row.get(0)?;
            Ok(FindingAtVersion {
                uuid: row
                    .get::<_, Option<String>>(1)?
                    .unwrap_or_else(|| super::stable_uuid(&case_id, "finding", id)),
                kind: row.get::<_, Code<FindingKind>>(2)?.0,
                title: row.get(3)?,
                description: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    serde_json::to_string(&findings)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// The kept versions, numbered in the order they were made (their UUIDs are v7, in time order,
/// so two copies merged together number them alike).
pub(super) fn read(conn: &Connection) -> rusqlite::Result<Vec<ReportVersion>> {
    let mut statement = conn.prepare(
        "SELECT v.uuid, v.kind, v.made_on, v.made_by, v.answer_by, v.file_name,
                v.attachment_sha256, a.size_bytes, v.findings
         FROM report_version v JOIN attachment a ON a.sha256 = v.attachment_sha256
         ORDER BY v.uuid",
    )?;
    let rows = statement.query_map([], |row| {
        let kind: String = row.get(1)?;
        let made_on: String = row.get(2)?;
        let answer_by: Option<String> = row.get(4)?;
        let size: i64 = row.get(7)?;
        let findings: String = row.get(8)?;
        Ok(ReportVersion {
            uuid: row.get(0)?,
            number: 0,
            kind: ReportKind::from_code(&kind).unwrap_or(ReportKind::Draft),
            made_on: made_on.parse().unwrap_or_default(),
            made_by: row.get(3)?,
            answer_by: answer_by.and_then(|d| d.parse().ok()),
            file_name: row.get(5)?,
            sha256: row.get(6)?,
            size_bytes: u64::try_from(size).unwrap_or(0),
            // Written by the insert above; an unreadable list only loses the comparison.
            findings: serde_json::from_str(&findings).unwrap_or_default(),
        })
    })?;
    let mut versions = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for (index, version) in versions.iter_mut().enumerate() {
        version.number = index + 1;
    }
    Ok(versions)
}

impl CaseStore {
    /// Keeps `bytes` (the report file as sent) as the case's next report version: the file is
    /// stored by its SHA-256, then the version is recorded by a command (journaled, undoable
    /// as the last step). Refused, with nothing kept, when the rules of
    /// `domain::report_version::check_may_keep` say no.
    pub fn keep_report_version(
        &mut self,
        kind: ReportKind,
        answer_by: Option<jiff::civil::Date>,
        made_by: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> std::result::Result<ReportVersion, StoreError> {
        check_may_keep(&self.report_versions()?, kind).map_err(StoreError::Rejected)?;
        let stored = self.put_attachment(file_name, bytes)?;
        self.apply(&Command::KeepReportVersion {
            kind,
            answer_by,
            made_by: made_by.to_owned(),
            file_name: file_name.to_owned(),
            sha256: stored.sha256.clone(),
        })?;
        self.report_versions()?
            .into_iter()
            .rev()
            .find(|v| v.sha256 == stored.sha256)
            .ok_or_else(|| StoreError::Damaged {
                path: self.path.clone(),
                detail: "the report version just kept is not there".into(),
            })
    }

    pub fn report_versions(&self) -> std::result::Result<Vec<ReportVersion>, StoreError> {
        read(&self.conn).map_err(|source| sql_err(&self.path, source))
    }

    /// The bytes of version `number` (`None`: the case has no such version), checked against
    /// the SHA-256 it was kept under.
    pub fn report_version_bytes(
        &self,
        number: usize,
    ) -> std::result::Result<Option<(ReportVersion, Vec<u8>)>, StoreError> {
        let versions = self.report_versions()?;
        let Some(version) = crate::domain::report_version::numbered(&versions, number).cloned()
        else {
            return Ok(None);
        };
        let bytes: Vec<u8> = self
            .conn
            .query_row(
                "SELECT content FROM attachment WHERE sha256 = ?1",
                [&version.sha256],
                |row| row.get(0),
            )
            .map_err(|source| sql_err(&self.path, source))?;
        if format!("{:x}", Sha256::digest(&bytes)) != version.sha256 {
            return Err(StoreError::Damaged {
                path: self.path.clone(),
                detail: format!(
                    "report version {number} does not match the SHA-256 it was kept under"
                ),
            });
        }
        Ok(Some((version, bytes)))
    }
}
