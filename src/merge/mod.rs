//! Two copies of one case, edited apart, brought together. Each copy is a branch: the common
//! ancestor is found from the journals (`store::merge`), and the three states — ancestor, mine,
//! theirs — are compared row by row and field by field (`three_way`). What one side changed is
//! taken, what both changed alike is taken once, and what both changed differently is a
//! `Conflict` for the user to decide. The result is a `MergeStep`: the row changes that turn my
//! copy into the merged case, applied as one command (one undo step) by the store.
//!
//! Rows are named by identities that are the same in every copy (`snapshot::Key`): a UUID for
//! the entities commands create, the natural key (a code, a year, the two ends of a link) for
//! the rest. Nothing here touches SQL.

pub mod describe;
pub mod snapshot;
pub mod step;
pub mod three_way;

pub use snapshot::{Cell, Row, Snapshot, TABLES, TableSpec};
pub use step::{MergeSource, MergeStep, MergedEntry, RowChange};
pub use three_way::{Choice, Conflict, ConflictKind, Merged, Resolutions, Side, merge};
