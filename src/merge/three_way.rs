//! The three-way comparison: ancestor, mine and theirs, row by row and field by field.

use std::collections::{BTreeMap, BTreeSet};

use super::snapshot::{Cell, Key, Row, Snapshot, TABLES, TableSpec, natural_identity};
use super::step::RowChange;

/// One of the two copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

/// What the user decided for a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Mine,
    Theirs,
    /// Mine stays as it is and theirs comes in beside it as a row of its own: two findings
    /// where two evaluators wrote one differently (`Conflict::can_keep_both`).
    Both,
}

impl From<Side> for Choice {
    fn from(side: Side) -> Choice {
        match side {
            Side::Mine => Choice::Mine,
            Side::Theirs => Choice::Theirs,
        }
    }
}

/// The tables whose rows can sensibly be kept in two versions: each is a statement of its own
/// (a finding, an action, a document review), not a part of something else.
const KEEP_BOTH: &[&str] = &["finding", "action", "document_review"];

/// The user's decisions, by `Conflict::key`.
pub type Resolutions = BTreeMap<String, Choice>;

#[derive(Clone, Debug, PartialEq)]
pub enum ConflictKind {
    /// Both changed one field, each to something else.
    Field {
        field: String,
        base: Option<Cell>,
        mine: Cell,
        theirs: Cell,
    },
    /// One side deleted the row; the other changed it, or added rows that belong to it.
    Deleted {
        by: Side,
        /// The row as the other side has it.
        kept: Row,
    },
}

/// A change both sides made differently: shown once, decided by the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// `table/id` or `table/id/field`: the key of its `Resolutions` entry.
    pub key: String,
    pub table: &'static str,
    pub id: String,
    pub kind: ConflictKind,
}

/// The outcome of a merge with the decisions given so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    /// What turns my copy into the merged case, parents inserted first and deleted last.
    pub changes: Vec<RowChange>,
    /// Every conflict, decided or not.
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    /// The conflicts without a decision in `resolutions`.
    pub fn open_conflicts<'a>(
        &'a self,
        resolutions: &'a Resolutions,
    ) -> impl Iterator<Item = &'a Conflict> + 'a {
        self.conflicts
            .iter()
            .filter(|c| !resolutions.contains_key(&c.key))
    }
}

impl Conflict {
    /// Whether "keep both" makes sense: both edited the same finding, action or document
    /// review differently (not for a row one side deleted).
    pub fn can_keep_both(&self) -> bool {
        matches!(self.kind, ConflictKind::Field { .. }) && KEEP_BOTH.contains(&self.table)
    }
}

type Rows = BTreeMap<String, Row>;

/// Merges `theirs` into `mine` from their common ancestor `base`. Undecided conflicts keep my
/// version (and never delete): the result is meant to be applied only once all are decided.
pub fn merge(
    base: &Snapshot,
    mine: &Snapshot,
    theirs: &Snapshot,
    resolutions: &Resolutions,
) -> Merged {
    let empty = Rows::new();
    let mut conflicts = Vec::new();
    // The rows whose merged state differs from mine: None = deleted.
    let mut desired: BTreeMap<(&'static str, String), Option<Row>> = BTreeMap::new();
    for spec in TABLES {
        let (a, m, t) = (
            base.rows(spec.name).unwrap_or(&empty),
            mine.rows(spec.name).unwrap_or(&empty),
            theirs.rows(spec.name).unwrap_or(&empty),
        );
        let ids: BTreeSet<&String> = a.keys().chain(m.keys()).chain(t.keys()).collect();
        for id in ids {
            let (ar, mr, tr) = (a.get(id), m.get(id), t.get(id));
            if mr == tr || ar == tr {
                continue;
            }
            if ar == mr {
                desired.insert((spec.name, id.clone()), tr.cloned());
                continue;
            }
            let key = format!("{}/{id}", spec.name);
            match (mr, tr) {
                (None, Some(tr)) => {
                    if resolutions.get(&key) == Some(&Choice::Theirs) {
                        desired.insert((spec.name, id.clone()), Some(tr.clone()));
                    } else if !resolutions.contains_key(&key) {
                        // Undecided: kept, so the preview never loses a row.
                        desired.insert((spec.name, id.clone()), Some(tr.clone()));
                    }
                    conflicts.push(Conflict {
                        key,
                        table: spec.name,
                        id: id.clone(),
                        kind: ConflictKind::Deleted {
                            by: Side::Mine,
                            kept: tr.clone(),
                        },
                    });
                }
                (Some(mr), None) => {
                    if resolutions.get(&key) == Some(&Choice::Theirs) {
                        desired.insert((spec.name, id.clone()), None);
                    }
                    conflicts.push(Conflict {
                        key,
                        table: spec.name,
                        id: id.clone(),
                        kind: ConflictKind::Deleted {
                            by: Side::Theirs,
                            kept: mr.clone(),
                        },
                    });
                }
                (Some(mr), Some(tr)) => {
                    let row = merge_fields(spec, id, ar, mr, tr, resolutions, &mut conflicts);
                    if &row != mr {
                        desired.insert((spec.name, id.clone()), Some(row));
                    }
                }
                (None, None) => {}
            }
        }
    }
    keep_both(theirs, resolutions, &conflicts, &mut desired);
    keep_references_whole(
        base,
        mine,
        theirs,
        resolutions,
        &mut desired,
        &mut conflicts,
    );
    Merged {
        changes: changes(mine, desired),
        conflicts,
    }
}

fn merge_fields(
    spec: &TableSpec,
    id: &str,
    base: Option<&Row>,
    mine: &Row,
    theirs: &Row,
    resolutions: &Resolutions,
    conflicts: &mut Vec<Conflict>,
) -> Row {
    let mut row = mine.clone();
    let fields: BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
    for field in fields {
        let (af, mf, tf) = (
            base.and_then(|b| b.get(field)),
            mine.get(field),
            theirs.get(field),
        );
        if mf == tf || af == tf {
            continue;
        }
        let theirs_value = tf.cloned().unwrap_or(Cell::Null);
        if af == mf {
            row.insert(field.clone(), theirs_value);
            continue;
        }
        if spec.derived.contains(&field.as_str()) {
            // Both moved it: start again from where it was; the store puts it right after
            // (an excerpt is anchored to its quote in the merged notes), the same both ways.
            if let Some(base) = af {
                row.insert(field.clone(), base.clone());
            }
            continue;
        }
        if spec.texts.contains(&field.as_str())
            && let (Some(Cell::String(m)), Some(Cell::String(t))) = (mf, tf)
        {
            let a = match af {
                Some(Cell::String(a)) => a.as_str(),
                _ => "",
            };
            if let Some(text) = merge_text(a, m, t) {
                row.insert(field.clone(), Cell::String(text));
                continue;
            }
        }
        let key = format!("{}/{id}/{field}", spec.name);
        if resolutions.get(&key) == Some(&Choice::Theirs) {
            row.insert(field.clone(), theirs_value.clone());
        }
        conflicts.push(Conflict {
            key,
            table: spec.name,
            id: id.to_owned(),
            kind: ConflictKind::Field {
                field: field.clone(),
                base: af.cloned(),
                mine: mf.cloned().unwrap_or(Cell::Null),
                theirs: theirs_value,
            },
        });
    }
    row
}

/// The rows the user chose to keep in both versions: mine stays as it is, and theirs comes in
/// beside it under an identity of its own, with the links that are part of it (a finding's
/// requirements and evidence). The identity is derived from the row, so both ways of a merge,
/// and a merge done again, name the copy alike.
fn keep_both(
    theirs: &Snapshot,
    resolutions: &Resolutions,
    conflicts: &[Conflict],
    desired: &mut BTreeMap<(&'static str, String), Option<Row>>,
) {
    let rows: BTreeSet<(&'static str, &str)> = conflicts
        .iter()
        .filter(|c| c.can_keep_both() && resolutions.get(&c.key) == Some(&Choice::Both))
        .map(|c| (c.table, c.id.as_str()))
        .collect();
    for (table, id) in rows {
        let Some(row) = theirs.row(table, id) else {
            continue;
        };
        let copy = kept_copy_identity(table, id, row);
        desired.insert((table, copy.clone()), Some(row.clone()));
        for spec in TABLES {
            let Key::Natural(key_columns) = spec.key else {
                continue;
            };
            for (column, _) in spec
                .references
                .iter()
                .filter(|(c, t)| *t == table && key_columns.contains(c))
            {
                let children = theirs.rows(spec.name).into_iter().flatten();
                for (_, child) in children.filter(|(_, r)| r.get(*column) == Some(&Cell::from(id)))
                {
                    let mut child = child.clone();
                    child.insert((*column).to_owned(), Cell::String(copy.clone()));
                    let key: Vec<Cell> = key_columns
                        .iter()
                        .map(|c| child.get(*c).cloned().unwrap_or(Cell::Null))
                        .collect();
                    desired.insert((spec.name, natural_identity(&key)), Some(child));
                }
            }
        }
    }
}

/// The identity of the second version of a row kept twice: a UUID v5 of the row it copies.
fn kept_copy_identity(table: &str, id: &str, row: &Row) -> String {
    let content = serde_json::to_string(row).unwrap_or_default();
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("evalbench/keep-both/{table}/{id}/{content}").as_bytes(),
    )
    .to_string()
}

/// A three-way merge of a text: by lines, and where two edits touch the same line, by words.
/// `None` when the two edits overlap.
pub fn merge_text(base: &str, mine: &str, theirs: &str) -> Option<String> {
    if let Ok(text) = diffy::merge(base, mine, theirs) {
        return Some(text);
    }
    let (b, m, t) = (words(base), words(mine), words(theirs));
    diffy::merge(&b, &m, &t).ok().map(|merged| unwords(&merged))
}

/// Stands for a line break inside a text split into one word per line.
const LINE_BREAK: char = '\u{E000}';

/// One word or run of spaces per line, so a line merge becomes a word merge.
fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut previous: Option<bool> = None;
    for c in text.chars() {
        let space = c.is_whitespace();
        if previous.is_some() && (previous != Some(space) || c == '\n') {
            out.push('\n');
        }
        out.push(if c == '\n' { LINE_BREAK } else { c });
        previous = Some(if c == '\n' { !space } else { space });
    }
    out.push('\n');
    out
}

fn unwords(merged: &str) -> String {
    merged
        .split('\n')
        .collect::<String>()
        .replace(LINE_BREAK, "\n")
}

/// Rows the merge keeps must not name a row it deletes: when one side deleted a row and the
/// other added or changed rows that belong to it, that is a conflict on the deleted row. Kept
/// (undecided, or the keeping side chosen): the row comes back; deleted: what belongs to it goes.
fn keep_references_whole(
    base: &Snapshot,
    mine: &Snapshot,
    theirs: &Snapshot,
    resolutions: &Resolutions,
    desired: &mut BTreeMap<(&'static str, String), Option<Row>>,
    conflicts: &mut Vec<Conflict>,
) {
    // Bounded: every round brings back or removes at least one row.
    for _ in 0..=(mine.len() + theirs.len()) {
        let Some((child_table, child_id, parent_table, parent_id)) = first_dangling(mine, desired)
        else {
            return;
        };
        let key = format!("{parent_table}/{parent_id}");
        let in_mine = mine.row(parent_table, &parent_id);
        let in_theirs = theirs.row(parent_table, &parent_id);
        let deleted_by = if in_mine.is_none() {
            Side::Mine
        } else {
            Side::Theirs
        };
        let kept = in_mine
            .or(in_theirs)
            .or_else(|| base.row(parent_table, &parent_id))
            .cloned();
        if !conflicts.iter().any(|c| c.key == key)
            && let Some(kept) = kept.clone()
        {
            conflicts.push(Conflict {
                key: key.clone(),
                table: parent_table,
                id: parent_id.clone(),
                kind: ConflictKind::Deleted {
                    by: deleted_by,
                    kept,
                },
            });
        }
        let delete = resolutions.get(&key) == Some(&Choice::from(deleted_by));
        if let (false, Some(row)) = (delete, kept) {
            if in_mine.is_some() {
                desired.remove(&(parent_table, parent_id));
            } else {
                desired.insert((parent_table, parent_id), Some(row));
            }
        } else {
            desired.insert((child_table, child_id.clone()), None);
            if mine.row(child_table, &child_id).is_none() {
                desired.remove(&(child_table, child_id));
            }
        }
    }
}

/// A row of the merged case (mine with `desired` over it) naming a row that is not there.
fn first_dangling(
    mine: &Snapshot,
    desired: &BTreeMap<(&'static str, String), Option<Row>>,
) -> Option<(&'static str, String, &'static str, String)> {
    let exists = |table: &str, id: &str| match desired.get(&(spec_name(table), id.to_owned())) {
        Some(row) => row.is_some(),
        None => mine.row(table, id).is_some(),
    };
    for spec in TABLES {
        if spec.references.is_empty() && spec.code_references.is_empty() {
            continue;
        }
        let mine_rows = mine
            .rows(spec.name)
            .into_iter()
            .flatten()
            .filter(|(id, _)| !desired.contains_key(&(spec.name, (*id).clone())));
        let desired_rows = desired
            .iter()
            .filter(|((table, _), _)| *table == spec.name)
            .filter_map(|((_, id), row)| row.as_ref().map(|row| (id, row)));
        for (id, row) in mine_rows.chain(desired_rows) {
            for (column, target) in spec.references {
                if let Some(Cell::String(parent)) = row.get(*column)
                    && !exists(target, parent)
                {
                    return Some((spec.name, id.clone(), spec_name(target), parent.clone()));
                }
            }
            for (column, target) in spec.code_references {
                if let Some(code) = row.get(*column).filter(|c| !c.is_null()) {
                    let parent = super::snapshot::natural_identity(std::slice::from_ref(code));
                    if !exists(target, &parent) {
                        return Some((spec.name, id.clone(), spec_name(target), parent));
                    }
                }
            }
        }
    }
    None
}

fn spec_name(table: &str) -> &'static str {
    TABLES
        .iter()
        .find(|t| t.name == table)
        .map_or("", |t| t.name)
}

/// The changes from mine to the merged case, in an order the database accepts.
fn changes(
    mine: &Snapshot,
    desired: BTreeMap<(&'static str, String), Option<Row>>,
) -> Vec<RowChange> {
    let position = |table: &str| TABLES.iter().position(|t| t.name == table).unwrap_or(0);
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    let mut deletes = Vec::new();
    for ((table, id), row) in desired {
        match (mine.row(table, &id), row) {
            (None, Some(row)) => inserts.push(RowChange::Insert {
                table: table.to_owned(),
                id,
                row,
            }),
            (Some(_), None) => deletes.push(RowChange::Delete {
                table: table.to_owned(),
                id,
            }),
            (Some(old), Some(new)) => {
                let fields: Row = new
                    .into_iter()
                    .filter(|(field, value)| old.get(field) != Some(value))
                    .collect();
                if !fields.is_empty() {
                    updates.push(RowChange::Update {
                        table: table.to_owned(),
                        id,
                        fields,
                    });
                }
            }
            (None, None) => {}
        }
    }
    inserts.sort_by_key(|c| position(c.table()));
    deletes.sort_by_key(|c| std::cmp::Reverse(position(c.table())));
    inserts.into_iter().chain(updates).chain(deletes).collect()
}

/// Whether a table's rows are named by UUID (so both sides can add rows that never collide).
pub fn named_by_uuid(table: &str) -> bool {
    TABLES.iter().any(|t| t.name == table && t.key == Key::Uuid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, Cell)]) -> Row {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn case(rows: &[(&'static str, &str, Row)]) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for (table, id, row) in rows {
            snapshot
                .tables
                .entry(table)
                .or_default()
                .insert((*id).to_owned(), row.clone());
        }
        snapshot
    }

    fn finding(title: &str, description: &str) -> Row {
        row(&[
            ("kind", Cell::from("deviation")),
            ("title", Cell::from(title)),
            ("description", Cell::from(description)),
        ])
    }

    #[test]
    fn what_one_side_changed_is_taken_and_alike_changes_once() {
        let base = case(&[("finding", "f1", finding("A", ""))]);
        let mine = case(&[
            ("finding", "f1", finding("A", "")),
            ("finding", "f2", finding("Mine", "")),
        ]);
        let theirs = case(&[
            ("finding", "f1", finding("B", "")),
            ("finding", "f3", finding("Theirs", "")),
        ]);
        let merged = merge(&base, &mine, &theirs, &Resolutions::new());
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.changes.len(), 2, "{:?}", merged.changes);
        assert!(merged.changes.iter().any(|c| matches!(c,
            RowChange::Insert { id, .. } if id == "f3")));
        assert!(merged.changes.iter().any(|c| matches!(c,
            RowChange::Update { id, fields, .. } if id == "f1" && fields.get("title") == Some(&Cell::from("B")))));
        // Both made the same change: nothing to do.
        let same = merge(&base, &theirs, &theirs, &Resolutions::new());
        assert!(same.changes.is_empty() && same.conflicts.is_empty());
    }

    #[test]
    fn a_field_both_changed_differently_is_one_conflict_decided_by_the_user() {
        let base = case(&[("finding", "f1", finding("A", ""))]);
        let mine = case(&[("finding", "f1", finding("Mine", ""))]);
        let theirs = case(&[("finding", "f1", finding("Theirs", ""))]);
        let merged = merge(&base, &mine, &theirs, &Resolutions::new());
        assert_eq!(merged.conflicts.len(), 1);
        assert_eq!(merged.conflicts[0].key, "finding/f1/title");
        assert!(merged.changes.is_empty(), "undecided keeps mine");
        let mut choices = Resolutions::new();
        choices.insert("finding/f1/title".into(), Choice::Theirs);
        let merged = merge(&base, &mine, &theirs, &choices);
        assert_eq!(merged.open_conflicts(&choices).count(), 0);
        assert_eq!(merged.changes.len(), 1);
    }

    #[test]
    fn long_texts_merge_edits_in_different_places_and_flag_overlaps() {
        let base = "Første linje.\nAndre linje.\nTredje linje.\n";
        let mine = "Første linje, endret.\nAndre linje.\nTredje linje.\n";
        let theirs = "Første linje.\nAndre linje.\nTredje linje, også endret.\n";
        assert_eq!(
            merge_text(base, mine, theirs).as_deref(),
            Some("Første linje, endret.\nAndre linje.\nTredje linje, også endret.\n")
        );
        // One paragraph, two words changed far apart: merged by words.
        let base = "Deltakerne får tett oppfølging av veileder hver uke gjennom hele tiltaket.";
        let mine = "Deltakerne får god oppfølging av veileder hver uke gjennom hele tiltaket.";
        let theirs = "Deltakerne får tett oppfølging av veileder hver uke gjennom hele perioden.";
        assert_eq!(
            merge_text(base, mine, theirs).as_deref(),
            Some("Deltakerne får god oppfølging av veileder hver uke gjennom hele perioden.")
        );
        // The same word changed two ways: a conflict.
        let theirs = "Deltakerne får jevn oppfølging av veileder hver uke gjennom hele tiltaket.";
        assert_eq!(merge_text(base, mine, theirs), None);
    }

    #[test]
    fn an_edit_against_a_delete_is_a_conflict_and_undecided_keeps_the_row() {
        let base = case(&[("finding", "f1", finding("A", ""))]);
        let mine = case(&[]);
        let theirs = case(&[("finding", "f1", finding("B", ""))]);
        let merged = merge(&base, &mine, &theirs, &Resolutions::new());
        assert_eq!(merged.conflicts.len(), 1);
        assert!(matches!(
            merged.conflicts[0].kind,
            ConflictKind::Deleted { by: Side::Mine, .. }
        ));
        let mut choices = Resolutions::new();
        choices.insert("finding/f1".into(), Choice::Mine);
        assert!(merge(&base, &mine, &theirs, &choices).changes.is_empty());
    }

    #[test]
    fn rows_added_under_a_row_the_other_side_deleted_bring_a_conflict_on_that_row() {
        let interview = row(&[("notes", Cell::from("n"))]);
        let excerpt = row(&[
            ("interview_id", Cell::from("i1")),
            ("quote", Cell::from("n")),
        ]);
        let base = case(&[("interview", "i1", interview.clone())]);
        let mine = case(&[]);
        let theirs = case(&[
            ("interview", "i1", interview.clone()),
            ("excerpt", "e1", excerpt),
        ]);
        let merged = merge(&base, &mine, &theirs, &Resolutions::new());
        assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
        assert_eq!(merged.conflicts[0].key, "interview/i1");
        // Kept: the interview comes back with the excerpt.
        assert_eq!(merged.changes.len(), 2);
        let mut choices = Resolutions::new();
        choices.insert("interview/i1".into(), Choice::Mine);
        let merged = merge(&base, &mine, &theirs, &choices);
        assert!(merged.changes.is_empty(), "{:?}", merged.changes);
    }

    #[test]
    fn keep_both_adds_theirs_beside_mine_with_its_links() {
        let r1 = natural_identity(&[Cell::from("R1")]);
        let requirement = row(&[("code", Cell::from("R1"))]);
        let link = |finding: &str| {
            row(&[
                ("finding_id", Cell::from(finding)),
                ("requirement_id", Cell::from(r1.as_str())),
            ])
        };
        let links_of =
            |finding: &str| natural_identity(&[Cell::from(finding), Cell::from(r1.as_str())]);
        let state = |title: &str| {
            case(&[
                ("requirement", &r1, requirement.clone()),
                ("finding", "f1", finding(title, "")),
                ("finding_requirement", &links_of("f1"), link("f1")),
            ])
        };
        let (base, mine, theirs) = (state("A"), state("Mine"), state("Theirs"));
        let merged = merge(&base, &mine, &theirs, &Resolutions::new());
        assert!(merged.conflicts[0].can_keep_both());
        let mut choices = Resolutions::new();
        choices.insert(merged.conflicts[0].key.clone(), Choice::Both);
        let merged = merge(&base, &mine, &theirs, &choices);
        assert_eq!(merged.open_conflicts(&choices).count(), 0);
        let inserted: Vec<(&str, &Row)> = merged
            .changes
            .iter()
            .filter_map(|c| match c {
                RowChange::Insert { table, row, .. } => Some((table.as_str(), row)),
                _ => None,
            })
            .collect();
        assert_eq!(inserted.len(), 2, "{:?}", merged.changes);
        assert_eq!(inserted[0].0, "finding");
        assert_eq!(inserted[0].1.get("title"), Some(&Cell::from("Theirs")));
        let copy = merged.changes[0].id().to_owned();
        assert!(uuid::Uuid::parse_str(&copy).is_ok());
        assert_eq!(inserted[1].1, &link(&copy));
        assert!(
            !merged
                .changes
                .iter()
                .any(|c| matches!(c, RowChange::Update { .. })),
            "mine stays as it is"
        );
        // The same decision names the copy alike every time.
        assert_eq!(merge(&base, &mine, &theirs, &choices), merged);
        // Not for a row one side deleted.
        let gone = merge(&base, &case(&[]), &theirs, &Resolutions::new());
        assert!(!gone.conflicts[0].can_keep_both());
    }
}
