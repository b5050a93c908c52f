//! The row statements the undo triggers write (`store::history`), read back into table, row id
//! and column values, and written out again. Deleting personal data rewrites the inverses in
//! the journal with those values blanked, so undo and a merge's rewind still run over them.
//!
//! Only the three forms the triggers write are read; their values are SQLite's `quote()`
//! literals: `NULL`, a number, `'text'` (quotes doubled) or `X'hex'`.

/// One statement: which row of which table, and for an update or insert its values by column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RowStatement {
    pub table: String,
    pub rowid: i64,
    pub kind: Kind,
    /// Column and literal, in the statement's order (empty for a delete).
    pub values: Vec<(String, Literal)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Update,
    Insert,
    Delete,
}

/// A value as `quote()` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Literal {
    Null,
    /// A number, kept as written.
    Number(String),
    Text(String),
    /// A blob, kept as written (`X'…'`).
    Blob(String),
}

impl Literal {
    fn write(&self, out: &mut String) {
        match self {
            Literal::Null => out.push_str("NULL"),
            Literal::Number(n) | Literal::Blob(n) => out.push_str(n),
            Literal::Text(text) => {
                out.push('\'');
                out.push_str(&text.replace('\'', "''"));
                out.push('\'');
            }
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Literal::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<i64> {
        match self {
            Literal::Number(n) => n.parse().ok(),
            _ => None,
        }
    }
}

impl RowStatement {
    /// Reads a statement the triggers wrote; `None` for anything else.
    pub fn parse(statement: &str) -> Option<RowStatement> {
        if let Some(rest) = statement.strip_prefix("DELETE FROM ") {
            let (table, rest) = quoted_name(rest)?;
            let rowid = rest.strip_prefix(" WHERE rowid=")?.parse().ok()?;
            return Some(RowStatement {
                table,
                rowid,
                kind: Kind::Delete,
                values: Vec::new(),
            });
        }
        if let Some(rest) = statement.strip_prefix("UPDATE ") {
            let (table, mut rest) = quoted_name(rest)?;
            rest = rest.strip_prefix(" SET ")?;
            let mut values = Vec::new();
            loop {
                let (column, after) = quoted_name(rest)?;
                let (literal, after) = literal(after.strip_prefix('=')?)?;
                values.push((column, literal));
                if let Some(after) = after.strip_prefix(',') {
                    rest = after;
                } else {
                    let rowid = after.strip_prefix(" WHERE rowid=")?.parse().ok()?;
                    return Some(RowStatement {
                        table,
                        rowid,
                        kind: Kind::Update,
                        values,
                    });
                }
            }
        }
        let rest = statement.strip_prefix("INSERT INTO ")?;
        let (table, rest) = quoted_name(rest)?;
        let mut rest = rest.strip_prefix(" (rowid")?;
        let mut columns = Vec::new();
        while let Some(after) = rest.strip_prefix(',') {
            let (column, after) = quoted_name(after)?;
            columns.push(column);
            rest = after;
        }
        let mut rest = rest.strip_prefix(") VALUES (")?;
        let (rowid, after) = literal(rest)?;
        let rowid = rowid.as_number()?;
        rest = after;
        let mut values = Vec::new();
        for column in columns {
            let (literal, after) = literal(rest.strip_prefix(',')?)?;
            values.push((column, literal));
            rest = after;
        }
        (rest == ")").then_some(RowStatement {
            table,
            rowid,
            kind: Kind::Insert,
            values,
        })
    }

    /// The statement again, in the triggers' form.
    pub fn write(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        match self.kind {
            Kind::Delete => {
                let _ = write!(
                    out,
                    "DELETE FROM \"{}\" WHERE rowid={}",
                    self.table, self.rowid
                );
            }
            Kind::Update => {
                let _ = write!(out, "UPDATE \"{}\" SET ", self.table);
                for (n, (column, literal)) in self.values.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "\"{column}\"=");
                    literal.write(&mut out);
                }
                let _ = write!(out, " WHERE rowid={}", self.rowid);
            }
            Kind::Insert => {
                let _ = write!(out, "INSERT INTO \"{}\" (rowid", self.table);
                for (column, _) in &self.values {
                    let _ = write!(out, ",\"{column}\"");
                }
                let _ = write!(out, ") VALUES ({}", self.rowid);
                for (_, literal) in &self.values {
                    out.push(',');
                    literal.write(&mut out);
                }
                out.push(')');
            }
        }
        out
    }

    pub fn get(&self, column: &str) -> Option<&Literal> {
        self.values
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, literal)| literal)
    }

    pub fn set(&mut self, column: &str, value: Literal) {
        if let Some((_, literal)) = self.values.iter_mut().find(|(name, _)| name == column) {
            *literal = value;
        }
    }
}

/// `"name"` at the start of `text`, and what follows it.
fn quoted_name(text: &str) -> Option<(String, &str)> {
    let rest = text.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some((rest[..end].to_owned(), &rest[end + 1..]))
}

/// One `quote()` literal at the start of `text`, and what follows it.
fn literal(text: &str) -> Option<(Literal, &str)> {
    if let Some(rest) = text.strip_prefix("NULL") {
        return Some((Literal::Null, rest));
    }
    if let Some(rest) = text.strip_prefix("X'") {
        let end = rest.find('\'')?;
        return Some((Literal::Blob(text[..end + 3].to_owned()), &rest[end + 1..]));
    }
    if let Some(rest) = text.strip_prefix('\'') {
        let mut value = String::new();
        let mut chars = rest.char_indices();
        while let Some((at, c)) = chars.next() {
            if c == '\'' {
                if rest[at + 1..].starts_with('\'') {
                    value.push('\'');
                    chars.next();
                } else {
                    return Some((Literal::Text(value), &rest[at + 1..]));
                }
            } else {
                value.push(c);
            }
        }
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(text.len());
    (end > 0).then(|| (Literal::Number(text[..end].to_owned()), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms_read_back_and_write_out_as_they_were() {
        for statement in [
            "DELETE FROM \"interview\" WHERE rowid=7",
            "UPDATE \"interview\" SET \"id\"=7,\"notes\"='It''s, she said ''WHERE rowid=1''',\"stage\"=NULL,\"score\"=-1.5e3 WHERE rowid=7",
            "INSERT INTO \"attachment\" (rowid,\"sha256\",\"content\") VALUES (3,'ab',X'00FF')",
            "INSERT INTO \"case_info\" (rowid) VALUES (1)",
        ] {
            let parsed = RowStatement::parse(statement).expect(statement);
            assert_eq!(parsed.write(), statement);
        }
        let update = RowStatement::parse(
            "UPDATE \"interview\" SET \"id\"=7,\"notes\"='It''s, \"x\"' WHERE rowid=7",
        )
        .expect("update");
        assert_eq!(
            update.get("notes").and_then(Literal::as_text),
            Some("It's, \"x\"")
        );
        assert_eq!(update.rowid, 7);
    }

    #[test]
    fn anything_else_is_not_read() {
        for statement in [
            "DROP TABLE interview",
            "UPDATE \"interview\" SET \"notes\"='open WHERE rowid=1",
            "INSERT INTO \"x\" (rowid,\"a\") VALUES (1,2); DROP TABLE x",
            "DELETE FROM \"interview\" WHERE rowid=1 OR 1",
        ] {
            assert_eq!(RowStatement::parse(statement), None, "{statement}");
        }
    }
}
