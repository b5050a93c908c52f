//! Full-text search over the case's free text (SQLite FTS5, kept current by triggers).

use super::{CaseStore, StoreError, sql_err};

/// Marks the start and end of a matched word inside `SearchHit::snippet`.
pub const HIT_START: char = '\u{2}';
pub const HIT_END: char = '\u{3}';

/// The searchable text fields; the codes are part of the schema (`schema_v2.sql`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    InterviewNotes = 1,
    ExcerptQuote = 2,
    FindingTitle = 3,
    FindingDescription = 4,
    ActionDescription = 5,
    ActionClosureEvidence = 6,
    ActionNavComment = 7,
    DocumentTitle = 8,
    DocumentAssessment = 9,
}

impl Field {
    const ALL: [Field; 9] = [
        Field::InterviewNotes,
        Field::ExcerptQuote,
        Field::FindingTitle,
        Field::FindingDescription,
        Field::ActionDescription,
        Field::ActionClosureEvidence,
        Field::ActionNavComment,
        Field::DocumentTitle,
        Field::DocumentAssessment,
    ];

    fn from_code(code: i64) -> Option<Field> {
        Field::ALL.into_iter().find(|field| *field as i64 == code)
    }
}

/// One field that matched, with a short excerpt of it around the match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    pub field: Field,
    /// The row id of the interview, excerpt, finding, action or document review.
    pub entity_id: i64,
    /// A few words around the match; matched words are wrapped in `HIT_START`…`HIT_END`.
    pub snippet: String,
}

impl CaseStore {
    /// The best `limit` fields containing every word of `query` (as a word prefix, any case).
    /// Punctuation in the query is ignored, so user text never becomes FTS syntax.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let Some(expression) = match_expression(query) else {
            return Ok(Vec::new());
        };
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT rowid, snippet(search_text, 0, ?2, ?3, '…', 12) FROM search_text
                 WHERE search_text MATCH ?1 ORDER BY rank LIMIT ?4",
            )
            .map_err(|source| sql_err(&self.path, source))?;
        let rows = statement
            .query_map(
                (
                    expression,
                    HIT_START.to_string(),
                    HIT_END.to_string(),
                    limit as i64,
                ),
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .map_err(|source| sql_err(&self.path, source))?;
        let mut hits = Vec::new();
        for row in rows {
            let (rowid, snippet) = row.map_err(|source| sql_err(&self.path, source))?;
            if let Some(field) = Field::from_code(rowid % 16) {
                hits.push(SearchHit {
                    field,
                    entity_id: rowid / 16,
                    snippet,
                });
            }
        }
        Ok(hits)
    }
}

/// `tiltak plan-` → `"tiltak"* "plan"*`: each word quoted (so it is never an operator) and
/// matched as a prefix. `None` when the query has no words.
fn match_expression(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{word}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_are_quoted_prefixes() {
        assert_eq!(
            match_expression("Tiltak  AND \"plan-\"").as_deref(),
            Some("\"Tiltak\"* \"AND\"* \"plan\"*")
        );
        assert_eq!(match_expression(" -* "), None);
    }

    #[test]
    fn every_field_code_round_trips() {
        for field in Field::ALL {
            assert_eq!(Field::from_code(field as i64), Some(field));
        }
        assert_eq!(Field::from_code(0), None);
    }
}
