//! The journal: every command applied to a case, and every undo and redo, in order, each row
//! chained to the one before by a SHA-256 hash so that editing the record afterwards shows.
//! It is the audit trail (`evalbench audit`) and the basis of undo/redo (`store::history`).

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// A row about to be written.
pub(super) struct NewEntry<'a> {
    pub author: &'a str,
    pub target: &'a str,
    pub command: &'a str,
    pub kind: &'a str,
    pub reverts: Option<i64>,
    pub inverse: &'a str,
    /// What changed, before → after (empty for rows written before schema 7).
    pub summary: &'a str,
}

/// One row as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    pub seq: i64,
    pub applied_at: String,
    pub author: String,
    pub target: String,
    /// The command as JSON, in the form `evalbench apply` takes.
    pub command: String,
    /// `edit`, `undo` or `redo`.
    pub kind: String,
    pub reverts: Option<i64>,
    /// The rows the command changed, before → after: `finding/4 title: «A» → «B»`.
    pub summary: String,
    inverse: Option<String>,
    hash: Option<String>,
    /// For a row from another copy: the hash of the row before it there.
    pub previous: Option<String>,
}

impl JournalEntry {
    /// Its link in the hash chain (`None` for rows of a version before the chain).
    pub(super) fn hash(&self) -> Option<&str> {
        self.hash.as_deref()
    }

    /// The row statements that take it back, as a JSON list.
    pub(super) fn inverse(&self) -> Option<&str> {
        self.inverse.as_deref()
    }

    /// The command's `op`, e.g. `add_interview`.
    pub fn op(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.command)
            .ok()
            .and_then(|v| v.get("op").and_then(|op| op.as_str()).map(str::to_owned))
            .unwrap_or_default()
    }
}

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChainCheck {
    Intact {
        entries: usize,
    },
    /// Written by a version before the chain, and not opened for writing since.
    Unchained,
    /// The first row whose hash does not match its content and its predecessor.
    BrokenAt {
        seq: i64,
    },
    /// A row another copy's merge brought in (its `seq` there) does not match its hash, or
    /// follows no row this case knows.
    MergedBrokenAt {
        seq: i64,
        author: String,
    },
}

fn hash(previous: &str, seq: i64, applied_at: &str, entry: &NewEntry<'_>) -> String {
    let mut hasher = Sha256::new();
    for part in [
        previous,
        &seq.to_string(),
        applied_at,
        entry.author,
        entry.target,
        entry.command,
        entry.kind,
        &entry.reverts.map(|r| r.to_string()).unwrap_or_default(),
        entry.inverse,
    ] {
        // Length-prefixed, so no two different rows hash the same text.
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    // Rows from before schema 7 have no summary and keep their hashes.
    if !entry.summary.is_empty() {
        hasher.update((entry.summary.len() as u64).to_le_bytes());
        hasher.update(entry.summary.as_bytes());
    }
    format!("{:x}", hasher.finalize())
}

fn last_hash(conn: &Connection) -> rusqlite::Result<String> {
    Ok(conn
        .query_row(
            "SELECT hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |row| row.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten()
        .unwrap_or_default())
}

/// Appends a row, chained to the last one; returns its `seq`. Call inside the command's
/// transaction.
pub(super) fn append(conn: &Connection, entry: &NewEntry<'_>) -> rusqlite::Result<i64> {
    let previous = last_hash(conn)?;
    let seq: i64 = conn.query_row("SELECT coalesce(max(seq), 0) + 1 FROM journal", [], |row| {
        row.get(0)
    })?;
    let applied_at = jiff::Timestamp::now().to_string();
    let hash = hash(&previous, seq, &applied_at, entry);
    conn.execute(
        "INSERT INTO journal (seq, applied_at, author, target, command, kind, reverts, inverse, hash, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        (
            seq,
            &applied_at,
            entry.author,
            entry.target,
            entry.command,
            entry.kind,
            entry.reverts,
            entry.inverse,
            &hash,
            entry.summary,
        ),
    )?;
    Ok(seq)
}

pub(super) fn entries(conn: &Connection) -> rusqlite::Result<Vec<JournalEntry>> {
    entries_where(conn, None)
}

/// The rows about one entity, named by its row id (`interview/3`, as rows from before schema
/// 10 name it) or its identity (`interview/<uuid>`), oldest first; with the rows other copies
/// made about it, merged in by time.
pub(super) fn entries_for(
    conn: &Connection,
    target: &str,
    identity: &str,
) -> rusqlite::Result<Vec<JournalEntry>> {
    let mut entries: Vec<JournalEntry> = entries_where(conn, Some(target))?;
    if identity != target {
        entries.extend(entries_where(conn, Some(identity))?);
        entries.extend(merged_entries_where(conn, Some(identity))?);
        entries.sort_by(|a, b| a.applied_at.cmp(&b.applied_at).then(a.seq.cmp(&b.seq)));
    }
    Ok(entries)
}

fn entries_where(conn: &Connection, target: Option<&str>) -> rusqlite::Result<Vec<JournalEntry>> {
    // A case of an older schema, read without upgrading it, lacks the later columns.
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('journal')")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let column = |name: &str, default: &str| {
        if columns.iter().any(|c| c == name) {
            name.to_owned()
        } else {
            format!("{default} AS {name}")
        }
    };
    conn.prepare(&format!(
        "SELECT seq, applied_at, author, target, command, {}, {}, {}, {}, {}
         FROM journal WHERE ?1 IS NULL OR target = ?1 ORDER BY seq",
        column("kind", "'edit'"),
        column("reverts", "NULL"),
        column("inverse", "NULL"),
        column("hash", "NULL"),
        column("summary", "''"),
    ))?
    .query_map([target], entry_of)?
    .collect()
}

/// A row selected as `seq, applied_at, author, target, command, kind, reverts, inverse, hash,
/// summary`.
fn entry_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        seq: row.get(0)?,
        applied_at: row.get(1)?,
        author: row.get(2)?,
        target: row.get(3)?,
        command: row.get(4)?,
        kind: row.get(5)?,
        reverts: row.get(6)?,
        inverse: row.get(7)?,
        hash: row.get(8)?,
        summary: row.get(9)?,
        previous: None,
    })
}

fn expected(previous: &str, entry: &JournalEntry) -> String {
    hash(
        previous,
        entry.seq,
        &entry.applied_at,
        &NewEntry {
            author: &entry.author,
            target: &entry.target,
            command: &entry.command,
            kind: &entry.kind,
            reverts: entry.reverts,
            inverse: entry.inverse.as_deref().unwrap_or_default(),
            summary: &entry.summary,
        },
    )
}

/// A row whose content a blind copy or the deletion of personal data took out
/// (`store::blind_copy`, `store::purge`): its hash is kept as it was and still links the rows
/// around it, but what it hashed is gone, so it is taken as it stands. (A deletion keeps its
/// undo statements, with the personal values blanked, so a merge can still rewind over it.)
fn is_redacted(entry: &JournalEntry) -> bool {
    entry.command == super::blind_copy::REDACTED_COMMAND && entry.summary.is_empty()
}

/// Walks the chain from the first row.
pub(super) fn verify(conn: &Connection) -> rusqlite::Result<ChainCheck> {
    verify_entries(conn, &entries(conn)?)
}

/// `verify` for the rows already read.
pub(super) fn verify_entries(
    conn: &Connection,
    rows: &[JournalEntry],
) -> rusqlite::Result<ChainCheck> {
    if !rows.is_empty() && rows.iter().all(|row| row.hash.is_none()) {
        return Ok(ChainCheck::Unchained);
    }
    let mut previous = String::new();
    for entry in rows {
        if entry.hash.as_deref() != Some(expected(&previous, entry).as_str()) && !is_redacted(entry)
        {
            return Ok(ChainCheck::BrokenAt { seq: entry.seq });
        }
        previous = entry.hash.clone().unwrap_or_default();
    }
    let merged = merged_entries(conn)?;
    let mut known: std::collections::HashSet<&str> = rows
        .iter()
        .filter_map(|r| r.hash.as_deref())
        .chain(merged.iter().filter_map(|r| r.hash.as_deref()))
        .collect();
    known.insert("");
    for entry in &merged {
        let previous = entry.previous.as_deref().unwrap_or_default();
        if (entry.hash.as_deref() != Some(expected(previous, entry).as_str())
            && !is_redacted(entry))
            || !known.contains(previous)
        {
            return Ok(ChainCheck::MergedBrokenAt {
                seq: entry.seq,
                author: entry.author.clone(),
            });
        }
    }
    Ok(ChainCheck::Intact {
        entries: rows.len(),
    })
}

/// The rows other copies' merges brought in, by the copy's last hash and then their order there.
pub(super) fn merged_entries(conn: &Connection) -> rusqlite::Result<Vec<JournalEntry>> {
    merged_entries_where(conn, None)
}

fn merged_entries_where(
    conn: &Connection,
    target: Option<&str>,
) -> rusqlite::Result<Vec<JournalEntry>> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'merged_journal'",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    conn.prepare(
        "SELECT seq, applied_at, author, target, command, kind, reverts, inverse, hash, summary,
                previous
         FROM merged_journal WHERE ?1 IS NULL OR target = ?1 ORDER BY applied_at, seq",
    )?
    .query_map([target], |row| {
        let mut entry = entry_of(row)?;
        entry.previous = row.get(10)?;
        Ok(entry)
    })?
    .collect()
}

/// Gives rows written before the chain existed (schema 2 and older) their hashes, in order.
/// Only rows after the last hashed one are filled, so a blanked hash in the middle still shows.
pub(super) fn backfill(conn: &mut Connection) -> rusqlite::Result<()> {
    let missing: i64 = conn.query_row(
        "SELECT count(*) FROM journal WHERE hash IS NULL
         AND seq > coalesce((SELECT max(seq) FROM journal WHERE hash IS NOT NULL), 0)",
        [],
        |row| row.get(0),
    )?;
    let hashed: i64 = conn.query_row(
        "SELECT count(*) FROM journal WHERE hash IS NOT NULL",
        [],
        |row| row.get(0),
    )?;
    if missing == 0 || hashed > 0 {
        return Ok(());
    }
    let tx = conn.transaction()?;
    let mut previous = String::new();
    for entry in entries(&tx)? {
        let hash = expected(&previous, &entry);
        tx.execute(
            "UPDATE journal SET hash = ?1 WHERE seq = ?2",
            (&hash, entry.seq),
        )?;
        previous = hash;
    }
    tx.commit()
}
