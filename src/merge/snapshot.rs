//! A case as plain rows keyed by identities that are the same in every copy, so three states of
//! one case can be compared without their integer row ids (which differ between copies).

use std::collections::BTreeMap;

/// One value of a row: what SQLite stores in the case's STRICT tables.
pub type Cell = serde_json::Value;

/// A row's fields by column name; references to other rows hold the target's identity.
pub type Row = BTreeMap<String, Cell>;

/// How the rows of a table are named across copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// The `uuid` column (made with the row, or derived for rows older than schema 10).
    Uuid,
    /// These columns, after references are turned into identities.
    Natural(&'static [&'static str]),
}

/// A table the merge compares.
#[derive(Clone, Copy, Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub key: Key,
    /// Columns holding another table's integer id, and that table.
    pub references: &'static [(&'static str, &'static str)],
    /// Columns holding another table's natural key itself (a requirement's area code): kept as
    /// they are, and checked like references.
    pub code_references: &'static [(&'static str, &'static str)],
    /// Long texts merged line by line and word by word instead of as one value.
    pub texts: &'static [&'static str],
    /// Columns that follow from others and are put right after the merge (an excerpt's place
    /// in its notes): never a conflict of their own.
    pub derived: &'static [&'static str],
}

const fn table(name: &'static str, key: Key) -> TableSpec {
    TableSpec {
        name,
        key,
        references: &[],
        code_references: &[],
        texts: &[],
        derived: &[],
    }
}

/// Every table a merge compares, parents before the rows that refer to them. Not the journals
/// (their rows travel as `MergedEntry`), the search index (kept by triggers), the attachments
/// (content-addressed: copied when a merged row names one), nor the status dates (kept by
/// triggers when the merged status is written).
pub const TABLES: &[TableSpec] = &[
    table("case_info", Key::Natural(&["singleton"])),
    table("requirement_area", Key::Natural(&["code"])),
    TableSpec {
        code_references: &[("area_code", "requirement_area")],
        ..table("requirement", Key::Natural(&["code"]))
    },
    table("fidelity_scale", Key::Natural(&["singleton"])),
    TableSpec {
        texts: &["recommendation"],
        ..table("fidelity_item", Key::Natural(&["code"]))
    },
    table("fidelity_seal", Key::Natural(&["rater"])),
    TableSpec {
        texts: &["notes"],
        ..table("interview", Key::Uuid)
    },
    TableSpec {
        references: &[("interview_id", "interview")],
        derived: &["start_char", "end_char", "anchored"],
        ..table("excerpt", Key::Uuid)
    },
    TableSpec {
        references: &[("excerpt_id", "excerpt"), ("requirement_id", "requirement")],
        ..table(
            "excerpt_requirement",
            Key::Natural(&["excerpt_id", "requirement_id"]),
        )
    },
    TableSpec {
        references: &[
            ("interview_id", "interview"),
            ("requirement_id", "requirement"),
        ],
        ..table(
            "interview_question",
            Key::Natural(&["interview_id", "requirement_id", "question"]),
        )
    },
    TableSpec {
        texts: &["assessment"],
        ..table("document_review", Key::Uuid)
    },
    TableSpec {
        references: &[
            ("document_review_id", "document_review"),
            ("requirement_id", "requirement"),
        ],
        ..table(
            "document_requirement",
            Key::Natural(&["document_review_id", "requirement_id"]),
        )
    },
    TableSpec {
        references: &[("document_review_id", "document_review")],
        ..table("requested_document", Key::Uuid)
    },
    TableSpec {
        texts: &["description", "response_text"],
        ..table("finding", Key::Uuid)
    },
    TableSpec {
        references: &[("finding_id", "finding"), ("requirement_id", "requirement")],
        ..table(
            "finding_requirement",
            Key::Natural(&["finding_id", "requirement_id"]),
        )
    },
    TableSpec {
        references: &[
            ("finding_id", "finding"),
            ("excerpt_id", "excerpt"),
            ("document_review_id", "document_review"),
        ],
        ..table(
            "finding_evidence",
            Key::Natural(&["finding_id", "excerpt_id", "document_review_id"]),
        )
    },
    TableSpec {
        texts: &["summary", "provider_comments"],
        ..table("feedback_meeting", Key::Natural(&["singleton"]))
    },
    // Kept report versions: only ever added (or the adding undone); the file comes along as an
    // attachment.
    table("report_version", Key::Uuid),
    TableSpec {
        references: &[("finding_id", "finding")],
        texts: &["closure_evidence", "nav_comment"],
        ..table("action", Key::Uuid)
    },
    TableSpec {
        references: &[("action_id", "action")],
        ..table("plan_import_row", Key::Uuid)
    },
    table("outcome", Key::Natural(&["year"])),
    TableSpec {
        references: &[("item_id", "fidelity_item")],
        texts: &["rationale"],
        ..table("fidelity_score", Key::Natural(&["item_id", "rater"]))
    },
];

/// The spec of a table by name.
pub fn spec(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.name == name)
}

/// A whole case: for each table, its rows by identity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub tables: BTreeMap<&'static str, BTreeMap<String, Row>>,
}

impl Snapshot {
    pub fn rows(&self, table: &str) -> Option<&BTreeMap<String, Row>> {
        self.tables.get(table)
    }

    pub fn row(&self, table: &str, id: &str) -> Option<&Row> {
        self.tables.get(table).and_then(|rows| rows.get(id))
    }

    /// How many rows in all.
    pub fn len(&self) -> usize {
        self.tables.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The identity of a row with natural key `values` (already turned into identities): a JSON
/// array, so the store can take it apart again to find the row.
pub fn natural_identity(values: &[Cell]) -> String {
    serde_json::to_string(values).unwrap_or_default()
}

/// The key values of a natural identity; `None` when `id` is not one.
pub fn natural_parts(id: &str) -> Option<Vec<Cell>> {
    serde_json::from_str(id).ok()
}
