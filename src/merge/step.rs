//! What a merge writes, as a value: the argument of `Command::MergeCopy`, kept in the journal so
//! the audit trail says exactly what came in from which copy.

use serde::{Deserialize, Serialize};

use super::snapshot::Row;

/// The copy a merge took changes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeSource {
    /// The file's name as the user chose it (no folder: paths say more than needed).
    pub file_name: String,
    pub case_id: String,
    /// The other copy's last journal row, so a later merge of the same copy starts from here.
    pub head_seq: i64,
    pub head_hash: String,
    /// The last journal row both copies shared.
    pub base_seq: i64,
    /// This case's last journal row when the merge was worked out: a case changed since is
    /// refused (the merge would overwrite the later edit), to be merged again.
    #[serde(default)]
    pub mine_head_seq: Option<i64>,
}

/// One row's change, by table and identity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum RowChange {
    Insert {
        table: String,
        id: String,
        row: Row,
    },
    /// Only the fields that change.
    Update {
        table: String,
        id: String,
        fields: Row,
    },
    Delete {
        table: String,
        id: String,
    },
}

impl RowChange {
    pub fn table(&self) -> &str {
        match self {
            RowChange::Insert { table, .. }
            | RowChange::Update { table, .. }
            | RowChange::Delete { table, .. } => table,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            RowChange::Insert { id, .. }
            | RowChange::Update { id, .. }
            | RowChange::Delete { id, .. } => id,
        }
    }
}

/// A journal row of the other copy, as it was there (its hash and the one before it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergedEntry {
    pub hash: String,
    pub previous: String,
    pub seq: i64,
    pub applied_at: String,
    pub author: String,
    pub target: String,
    pub command: String,
    pub kind: String,
    pub reverts: Option<i64>,
    pub inverse: Option<String>,
    pub summary: String,
}

/// Everything one merge writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeStep {
    pub source: MergeSource,
    pub changes: Vec<RowChange>,
    /// The other copy's journal rows since the shared history that this case does not hold yet.
    #[serde(default)]
    pub journal: Vec<MergedEntry>,
}
