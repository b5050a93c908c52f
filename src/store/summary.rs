//! The before/after summary of a journal row, from the rows a command changed (collected by the
//! undo triggers in `temp.change_log`): `interview/3 notes: (120 chars) -> (340 chars)`,
//! `action/7 status: «agreed» -> «done»`, `+ excerpt/41`, `- finding/2`. Short values are shown
//! whole; long text only by its length, so the audit trail stays readable.

use rusqlite::Transaction;
use serde_json::Value;

/// Values longer than this are shown by length.
const SHOWN_CHARS: usize = 40;
/// Rows listed one by one; more are counted.
const LISTED_ROWS: usize = 12;

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "–".to_owned(),
        Value::String(text) => {
            let chars = text.chars().count();
            if chars <= SHOWN_CHARS && !text.contains('\n') {
                format!("«{text}»")
            } else {
                format!("({chars} chars)")
            }
        }
        other => other.to_string(),
    }
}

/// One changed row: which columns changed, from what to what.
fn update_line(table: &str, row: i64, old: &str, new: &str) -> Option<String> {
    let old: serde_json::Map<String, Value> = serde_json::from_str(old).ok()?;
    let new: serde_json::Map<String, Value> = serde_json::from_str(new).ok()?;
    let changes: Vec<String> = new
        .iter()
        .filter(|(column, value)| old.get(*column) != Some(value))
        .map(|(column, value)| {
            format!(
                "{column}: {} -> {}",
                shown(old.get(column).unwrap_or(&Value::Null)),
                shown(value)
            )
        })
        .collect();
    (!changes.is_empty()).then(|| format!("{table}/{row} {}", changes.join(", ")))
}

/// What the change log of one command held.
pub(super) struct Taken {
    /// Before → after, as one line.
    pub summary: String,
    /// The tables whose rows changed.
    pub tables: Vec<String>,
    /// When every row the command changed was an update of one table (no row added or
    /// removed, no other table's rows): that table and those rows.
    pub updated_rows: Option<(String, Vec<i64>)>,
}

/// Reads and clears the change log of the running command.
pub(super) fn take(tx: &Transaction<'_>) -> rusqlite::Result<Taken> {
    let mut lines = Vec::new();
    let mut tables: Vec<String> = Vec::new();
    let mut updated_rows: Option<(String, Vec<i64>)> = None;
    let mut only_updates = true;
    {
        let mut statement =
            tx.prepare_cached("SELECT tbl, row, kind, old, new FROM temp.change_log ORDER BY n")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        for row in rows {
            let (table, id, kind, old, new) = row?;
            match updated_rows.as_mut() {
                _ if kind != "update" => only_updates = false,
                Some((updated, ids)) if *updated == table => ids.push(id),
                Some(_) => only_updates = false,
                None => updated_rows = Some((table.clone(), vec![id])),
            }
            if !tables.contains(&table) {
                tables.push(table.clone());
            }
            let line = match kind.as_str() {
                "insert" => Some(format!("+ {table}/{id}")),
                "delete" => Some(format!("- {table}/{id}")),
                _ => update_line(
                    &table,
                    id,
                    old.as_deref().unwrap_or("{}"),
                    new.as_deref().unwrap_or("{}"),
                ),
            };
            lines.extend(line);
        }
    }
    tx.execute("DELETE FROM temp.change_log", [])?;
    let more = lines.len().saturating_sub(LISTED_ROWS);
    lines.truncate(LISTED_ROWS);
    if more > 0 {
        lines.push(format!("… and {more} more rows"));
    }
    Ok(Taken {
        summary: lines.join("; "),
        tables,
        updated_rows: updated_rows.filter(|_| only_updates),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_shown_and_long_ones_measured() {
        let line = update_line(
            "action",
            7,
            r#"{"status":"agreed","closure_evidence":"kort","description":"x"}"#,
            &format!(
                r#"{{"status":"done","closure_evidence":"{}","description":"x"}}"#,
                "lang ".repeat(20)
            ),
        );
        assert_eq!(
            line.as_deref(),
            Some("action/7 closure_evidence: «kort» -> (100 chars), status: «agreed» -> «done»")
        );
        assert_eq!(update_line("action", 7, r#"{"a":1}"#, r#"{"a":1}"#), None);
    }
}
