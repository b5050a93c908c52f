//! The store's side of a merge (`crate::merge` has the comparison): reading a case into a
//! `Snapshot`, finding the common ancestor of two copies from their journals and rebuilding its
//! state, and writing a `MergeStep` inside the command's transaction.
//!
//! The ancestor is rebuilt, not stored: a copy of my case in memory, with the inverse of every
//! journal row since the shared history run backwards (the same row statements undo runs). The
//! shared history is the longest run of journal rows both copies hold with the same hashes;
//! after an earlier merge of the same copy, the state of that copy as it was merged is a later
//! common ancestor and is used instead, so a change made since is never mistaken for a conflict.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, mpsc};

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, Transaction};

use super::apply::{self, ApplyError};
use super::journal::{self, ChainCheck, JournalEntry};
use super::{CaseStore, Passphrase, StoreError, sql_err};
use crate::domain::{InterviewId, Rejection};
use crate::merge::snapshot::{
    Cell, Key, Row, Snapshot, TABLES, natural_identity, natural_parts, spec,
};
use crate::merge::{
    Choice, Conflict, MergeSource, MergeStep, Merged, MergedEntry, Resolutions, RowChange, Side,
};

/// Why two files cannot be merged. Both are left as they were.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeRefusal {
    #[error("they are two different cases (case ids {mine} and {theirs})")]
    DifferentCase { mine: String, theirs: String },
    #[error("the journal of «{}» has been altered at row {seq} (its hash chain is broken)", path.display())]
    BrokenChain { path: PathBuf, seq: i64 },
    #[error("they share no history: neither was copied from the other")]
    NoSharedHistory,
    #[error("«{}» was changed by a version of Evalbench too old to take its changes back (journal row {seq})", path.display())]
    HistoryTooOld { path: PathBuf, seq: i64 },
    #[error("both names are the same file")]
    SameFile,
}

impl MergeRefusal {
    /// The key of its text in the translation tables (`merge_refusal.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            MergeRefusal::DifferentCase { .. } => "different_case",
            MergeRefusal::BrokenChain { .. } => "broken_chain",
            MergeRefusal::NoSharedHistory => "no_shared_history",
            MergeRefusal::HistoryTooOld { .. } => "history_too_old",
            MergeRefusal::SameFile => "same_file",
        }
    }
}

/// A merge worked out and not yet written: the three states, so decisions on conflicts are
/// tried without reading the files again.
#[derive(Clone, Debug)]
pub struct MergePlan {
    pub source: MergeSource,
    pub theirs_path: PathBuf,
    base: Snapshot,
    mine: Snapshot,
    theirs: Snapshot,
    journal: Vec<MergedEntry>,
    /// Who changed each row since the shared history, and when: (table, id) → (author, time).
    pub mine_changes: BTreeMap<(String, String), (String, String)>,
    pub theirs_changes: BTreeMap<(String, String), (String, String)>,
    /// How long each part of working it out took, for `cargo bench`.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Times the parts of a merge.
struct Timings {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }
}

impl Timings {
    fn lap(&mut self, what: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((what, now - self.last));
        self.last = now;
    }
}

impl MergePlan {
    /// The merge with the decisions taken so far.
    pub fn merged(&self, resolutions: &Resolutions) -> Merged {
        crate::merge::merge(&self.base, &self.mine, &self.theirs, resolutions)
    }

    /// Every conflict `decide` has an answer for, also those a decision brings to light
    /// (keeping a row the other side deleted can show that rows under it were changed there
    /// too). Each round decides at least one more conflict of a finite set, so it ends.
    /// Returns the decisions and the merge with them.
    pub fn decide_all(
        &self,
        decide: impl Fn(&Conflict) -> Option<Choice>,
    ) -> (Resolutions, Merged) {
        let mut choices = Resolutions::new();
        loop {
            let merged = self.merged(&choices);
            let decided: Vec<(String, Choice)> = merged
                .open_conflicts(&choices)
                .filter_map(|c| decide(c).map(|choice| (c.key.clone(), choice)))
                .collect();
            if decided.is_empty() {
                return (choices, merged);
            }
            choices.extend(decided);
        }
    }

    /// The rows of a state, for the preview's labels.
    pub fn theirs(&self) -> &Snapshot {
        &self.theirs
    }

    pub fn mine(&self) -> &Snapshot {
        &self.mine
    }

    pub fn base(&self) -> &Snapshot {
        &self.base
    }

    /// The other copy's journal rows this merge brings in.
    pub fn journal(&self) -> &[MergedEntry] {
        &self.journal
    }

    /// The command that writes it; every conflict must be decided.
    pub fn step(&self, merged: Merged) -> MergeStep {
        MergeStep {
            source: self.source.clone(),
            changes: merged.changes,
            journal: self.journal.clone(),
        }
    }
}

impl CaseStore {
    /// Works out the merge of the copy at `theirs` into this case. Nothing is written.
    pub fn prepare_merge(
        &self,
        theirs: &Path,
        theirs_key: Option<&Passphrase>,
    ) -> Result<MergePlan, StoreError> {
        let refused = |why: MergeRefusal| StoreError::MergeRefused {
            mine: self.path.clone(),
            theirs: theirs.to_owned(),
            why,
        };
        if same_file(&self.path, theirs) {
            return Err(refused(MergeRefusal::SameFile));
        }
        let mut timings = Timings::default();
        let mine_case = case_id(&self.conn).map_err(sql(&self.path))?;
        let mine_journal = journal::entries(&self.conn).map_err(sql(&self.path))?;
        let known: HashSet<String> = mine_journal
            .iter()
            .filter_map(|e| e.hash().map(str::to_owned))
            .chain(merged_hashes(&self.conn).map_err(sql(&self.path))?)
            .collect();
        // The work is split over two threads: a worker copies the other file into memory and
        // takes the copy back to the common ancestor, while this thread reads and checks both
        // copies and hands the worker the other copy's journal as soon as it has it.
        let super::Examined { version, key, .. } = super::examine(theirs, theirs_key)?;
        let (rewind_to, rewind_from) = mpsc::channel::<i64>();
        let theirs_journal: OnceLock<Vec<JournalEntry>> = OnceLock::new();
        let (theirs_read, base) = std::thread::scope(|scope| {
            let key = key.as_ref();
            let journal = &theirs_journal;
            let worker = scope.spawn(move || -> Result<Option<Snapshot>, StoreError> {
                let conn = super::memory_copy(theirs, key)?;
                // Nothing sent: the copies are refused, or the ancestor lies in mine.
                let (Ok(seq), Some(journal)) = (rewind_from.recv(), journal.get()) else {
                    return Ok(None);
                };
                let base_conn = rewind(conn, journal, seq, theirs)?;
                Ok(Some(read_snapshot(&base_conn).map_err(sql(theirs))?))
            });
            let theirs_read = read_theirs(
                theirs,
                version,
                key,
                (&mine_case, &mine_journal, &known),
                (journal, rewind_to),
            )
            .and_then(|read| {
                let mine = read_mine(&self.conn, &mine_journal).map_err(sql(&self.path))?;
                Ok((read, mine))
            });
            let base = worker.join().unwrap_or_else(|_| {
                Err(StoreError::Damaged {
                    path: theirs.to_owned(),
                    detail: "reading it stopped".to_owned(),
                })
            });
            (theirs_read, base)
        });
        let (theirs_read, (mine_chain, mine, mine_locals)) = theirs_read?;
        let base = base?;
        timings.lap("read, check and rewind both copies");
        if mine_case != theirs_read.case_id {
            return Err(refused(MergeRefusal::DifferentCase {
                mine: mine_case,
                theirs: theirs_read.case_id,
            }));
        }
        for (chain, path) in [
            (&mine_chain, self.path.as_path()),
            (&theirs_read.chain, theirs),
        ] {
            if let ChainCheck::BrokenAt { seq } | ChainCheck::MergedBrokenAt { seq, .. } = chain {
                return Err(refused(MergeRefusal::BrokenChain {
                    path: path.to_owned(),
                    seq: *seq,
                }));
            }
        }
        let theirs_journal = theirs_journal.into_inner().unwrap_or_default();
        let TheirsRead {
            case_id: theirs_case,
            state: theirs_state,
            locals: theirs_locals,
            incoming: journal,
            blind_for: theirs_blind_for,
            ..
        } = theirs_read;
        let Some(fork_seq) = fork_seq(&mine_journal, &theirs_journal) else {
            return Err(refused(MergeRefusal::NoSharedHistory));
        };
        let base = match (base, later_base(&mine_journal, &theirs_journal)) {
            (Some(base), _) => base,
            (None, Some((Side::Mine, seq))) => {
                let base_conn = rewind(
                    super::memory_copy(&self.path, self.key.as_ref())?,
                    &mine_journal,
                    seq,
                    &self.path,
                )?;
                read_snapshot(&base_conn).map_err(sql(&self.path))?
            }
            (None, _) => {
                return Err(StoreError::Damaged {
                    path: theirs.to_owned(),
                    detail: "its common ancestor with this case was not rebuilt".to_owned(),
                });
            }
        };
        let mine_blind_for = super::blind_copy::made_for(&self.conn).map_err(sql(&self.path))?;
        let (mut base, mut mine, mut theirs_state) = (base, mine, theirs_state);
        // Between a copy for blind scoring and another: whose scores are whose, and while the
        // review is still blind, the other copy's journal rows come without the scores they carry.
        let blind = match (mine_blind_for, theirs_blind_for) {
            (Some(made_for), _) => {
                blind_scores(&mut base, &mut mine, &mut theirs_state, made_for).then_some(made_for)
            }
            (None, Some(made_for)) => {
                blind_scores(&mut base, &mut theirs_state, &mut mine, made_for)
                    .then(|| made_for.other())
                    .flatten()
            }
            (None, None) => None,
        };
        let mut journal = journal;
        if let Some(mine_owns) = blind {
            for entry in &mut journal {
                if super::blind_copy::carries_scores_not_of(
                    &entry.command,
                    entry.inverse.as_deref(),
                    &entry.summary,
                    mine_owns,
                ) {
                    super::blind_copy::redact_entry(entry);
                }
            }
        }
        // Once either copy's personal data was deleted, the merge compares every copy without
        // it and takes none of the other copy's journal rows that carry it; the result is
        // deleted again after (`merge_copy`), so an older copy never brings it back.
        let theirs_deleted = theirs_state.rows("case_info").is_some_and(|rows| {
            rows.values().any(|row| {
                row.get("personal_data_deleted_on")
                    .is_some_and(|c| !c.is_null())
            })
        });
        let mine_deleted = super::purge::deleted_on(&self.conn)
            .map_err(sql(&self.path))?
            .is_some();
        if mine_deleted || theirs_deleted {
            let mut texts = std::collections::BTreeSet::new();
            let roles = super::purge::participant_roles(&self.conn).map_err(sql(&self.path))?;
            for snapshot in [&mut base, &mut mine, &mut theirs_state] {
                super::purge::blank_snapshot(snapshot, &roles, &mut texts);
            }
            super::purge::redact_incoming(&mut journal, &roles, &texts);
        }
        timings.lap("rebuild the common ancestor");
        let head = theirs_journal.last();
        Ok(MergePlan {
            source: MergeSource {
                file_name: theirs
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                case_id: theirs_case,
                head_seq: head.map_or(0, |e| e.seq),
                head_hash: head.and_then(|e| e.hash()).unwrap_or_default().to_owned(),
                base_seq: fork_seq,
                mine_head_seq: Some(mine_journal.last().map_or(0, |e| e.seq)),
            },
            theirs_path: theirs.to_owned(),
            mine_changes: changed_rows(&mine_journal, fork_seq, &mine_locals),
            theirs_changes: changed_rows(&theirs_journal, fork_seq, &theirs_locals),
            base,
            mine,
            theirs: theirs_state,
            journal,
            timings: timings.laps,
        })
    }

    /// Writes a worked-out merge as one journal step (one undo takes it all back). The files
    /// the other copy's rows name come along first (`bring_attachments`).
    pub fn merge_copy(
        &mut self,
        plan: &MergePlan,
        step: MergeStep,
        theirs_key: Option<&Passphrase>,
    ) -> Result<super::Applied, StoreError> {
        self.bring_attachments(plan, &step, theirs_key)?;
        let applied = self.apply(&crate::command::Command::MergeCopy { merge: step })?;
        let deleted = super::purge::deleted_on(&self.conn)
            .map_err(sql(&self.path))?
            .is_some();
        if deleted && !self.personal_data()?.is_empty() {
            self.delete_personal_data_unconfirmed()?;
        }
        Ok(applied)
    }

    /// Copies the attached files that the rows of `step` name and this case lacks from the
    /// other copy. Attachments are stored by content and never change, so this is not a step
    /// of its own: an undone merge leaves them unreferenced, as a detached file is.
    pub fn bring_attachments(
        &mut self,
        plan: &MergePlan,
        step: &MergeStep,
        theirs_key: Option<&Passphrase>,
    ) -> Result<(), StoreError> {
        let needed: BTreeSet<String> = step
            .changes
            .iter()
            .filter_map(|change| match change {
                RowChange::Insert { row, .. } | RowChange::Update { fields: row, .. } => row
                    .get("attachment_sha256")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                RowChange::Delete { .. } => None,
            })
            .collect();
        if needed.is_empty() {
            return Ok(());
        }
        let super::Examined { key, .. } = super::examine(&plan.theirs_path, theirs_key)?;
        let theirs = super::memory_copy(&plan.theirs_path, key.as_ref())?;
        for sha256 in needed {
            let content: Option<Vec<u8>> = theirs
                .query_row(
                    "SELECT content FROM attachment WHERE sha256 = ?1",
                    [&sha256],
                    |row| row.get(0),
                )
                .ok();
            if let Some(content) = content {
                self.put_attachment("", &content)?;
            }
        }
        Ok(())
    }
}

/// The other copy as read for a merge.
struct TheirsRead {
    case_id: String,
    chain: ChainCheck,
    state: Snapshot,
    locals: Locals,
    /// Its journal rows this case lacks, its own and those it merged in.
    incoming: Vec<MergedEntry>,
    /// The evaluator it was made for, if it is a copy for blind scoring.
    blind_for: Option<crate::domain::Rater>,
}

/// Reads and checks the other copy through a reader of its own. Its journal goes into
/// `journal` as soon as it is read, and when it is the same case with history shared with
/// mine and the common ancestor in its history, the journal row to take it back to goes to
/// the worker (`rewind_to`).
fn read_theirs(
    path: &Path,
    version: usize,
    key: Option<&Passphrase>,
    (mine_case, mine_journal, known): (&str, &[JournalEntry], &HashSet<String>),
    (journal, rewind_to): (&OnceLock<Vec<JournalEntry>>, mpsc::Sender<i64>),
) -> Result<TheirsRead, StoreError> {
    let conn = super::open_for_reading(path, version, key)?;
    let read = || -> rusqlite::Result<TheirsRead> {
        let case_id = case_id(&conn)?;
        let entries = journal::entries(&conn)?;
        let journal: &Vec<JournalEntry> = journal.get_or_init(|| entries);
        if case_id == mine_case
            && let Some(fork) = fork_seq(mine_journal, journal)
        {
            let seq = match later_base(mine_journal, journal) {
                Some((Side::Mine, _)) => None,
                Some((Side::Theirs, seq)) => Some(seq),
                None => Some(fork),
            };
            if let Some(seq) = seq {
                // The worker may have stopped already (the file could not be copied); its
                // error is reported then.
                let _ = rewind_to.send(seq);
            }
        }
        drop(rewind_to);
        let chain = journal::verify_entries(&conn, journal)?;
        let (state, locals) = read_with_locals(&conn)?;
        let incoming = incoming_journal(&conn, journal, known)?;
        let blind_for = super::blind_copy::made_for(&conn)?;
        Ok(TheirsRead {
            case_id,
            chain,
            state,
            locals,
            incoming,
            blind_for,
        })
    };
    read().map_err(sql(path))
}

/// This copy's chain check and rows, read while the worker reads the other.
fn read_mine(
    conn: &Connection,
    journal: &[JournalEntry],
) -> rusqlite::Result<(ChainCheck, Snapshot, Locals)> {
    let chain = journal::verify_entries(conn, journal)?;
    let (state, locals) = read_with_locals(conn)?;
    Ok((chain, state, locals))
}

/// The fidelity scores between a copy made for one evaluator to score in blind (`blind`, made
/// for `made_for`) and another copy of the case (`other`). Each evaluator's scores belong to the
/// copy they score in: `made_for`'s to the blind copy, the other evaluator's to the other copy.
/// So the ancestor is taken to hold, for each rater, what the copy that does not own them holds:
/// whatever the owner has is then its change and comes through, and the blind copy's lack of the
/// other's scores deletes nothing. While the merged review would still be blind (not both have
/// delivered), the evaluators' scores stay out of the merge altogether, so neither file receives
/// the other's scores before both have delivered: the file stays blind too, not only the page.
/// Returns whether the review is still blind.
fn blind_scores(
    base: &mut Snapshot,
    blind: &mut Snapshot,
    other: &mut Snapshot,
    made_for: crate::domain::Rater,
) -> bool {
    use crate::domain::Rater;
    let Some(other_rater) = made_for.other() else {
        return false;
    };
    let rows_of = |snapshot: &Snapshot, rater: Rater| -> Vec<(String, Row)> {
        snapshot
            .rows("fidelity_score")
            .map(|rows| {
                rows.iter()
                    .filter(|(_, row)| is_rater(row, rater))
                    .map(|(key, row)| (key.clone(), row.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let set_rows = |snapshot: &mut Snapshot, rater: Rater, rows: Vec<(String, Row)>| {
        let table = snapshot.tables.entry("fidelity_score").or_default();
        table.retain(|_, row| !is_rater(row, rater));
        table.extend(rows);
    };
    let sealed = |rater: Rater| {
        [&*blind, &*other].iter().any(|snapshot| {
            snapshot
                .rows("fidelity_seal")
                .is_some_and(|rows| rows.values().any(|row| is_rater(row, rater)))
        })
    };
    if !(sealed(Rater::First) && sealed(Rater::Second)) {
        // Still blind: the evaluators' scores stay out of this merge on both sides, each copy
        // keeping its own as they are.
        for snapshot in [base, blind, other] {
            for rater in Rater::RATERS {
                set_rows(snapshot, rater, Vec::new());
            }
        }
        return true;
    }
    // The ancestor: each rater's scores as the copy that does not own them has them.
    set_rows(base, made_for, rows_of(other, made_for));
    set_rows(base, other_rater, rows_of(blind, other_rater));
    false
}

fn is_rater(row: &Row, rater: crate::domain::Rater) -> bool {
    row.get("rater").and_then(|r| r.as_str()) == Some(rater.code())
}

/// The last journal row both copies hold with the same hash; `None`: no shared history.
fn fork_seq(mine: &[JournalEntry], theirs: &[JournalEntry]) -> Option<i64> {
    let shared = mine
        .iter()
        .zip(theirs)
        .take_while(|(m, t)| m.seq == t.seq && m.hash() == t.hash() && m.hash().is_some())
        .count();
    shared.checked_sub(1).map(|last| mine[last].seq)
}

/// Words an SQL error as a problem with `path`.
fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| sql_err(path, source)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn case_id(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT case_id FROM case_info", [], |row| row.get(0))
}

fn merged_hashes(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT hash FROM merged_journal")?
        .query_map([], |row| row.get(0))?
        .collect()
}

/// The journal rows whose changes are in effect: edits not undone, or undone and redone.
fn in_effect(entries: &[JournalEntry]) -> HashSet<i64> {
    let mut origin: HashMap<i64, i64> = HashMap::new();
    let mut effective = HashSet::new();
    for entry in entries {
        match (entry.kind.as_str(), entry.reverts) {
            ("undo", Some(reverted)) => {
                let edit = origin.get(&reverted).copied().unwrap_or(reverted);
                origin.insert(entry.seq, edit);
                effective.remove(&edit);
            }
            ("redo", Some(reverted)) => {
                let edit = origin.get(&reverted).copied().unwrap_or(reverted);
                origin.insert(entry.seq, edit);
                effective.insert(edit);
            }
            _ => {
                effective.insert(entry.seq);
            }
        }
    }
    effective
}

/// The sources of the merges in effect in `entries`: (head seq, head hash, applied at).
fn merges_in(entries: &[JournalEntry]) -> Vec<(i64, String, String)> {
    let effective = in_effect(entries);
    entries
        .iter()
        .filter(|e| {
            e.kind == "edit"
                && effective.contains(&e.seq)
                && e.command.starts_with("{\"op\":\"merge_copy\"")
        })
        .filter_map(|e| {
            let command: serde_json::Value = serde_json::from_str(&e.command).ok()?;
            let source: MergeSource =
                serde_json::from_value(command.get("merge")?.get("source")?.clone()).ok()?;
            Some((source.head_seq, source.head_hash, e.applied_at.clone()))
        })
        .collect()
}

/// After an earlier merge, the other copy as it was merged is a later common ancestor: the
/// latest such state that one side took in whole from the other.
fn later_base(mine: &[JournalEntry], theirs: &[JournalEntry]) -> Option<(Side, i64)> {
    let holds = |entries: &[JournalEntry], seq: i64, hash: &str| {
        entries
            .iter()
            .any(|e| e.seq == seq && e.hash() == Some(hash))
    };
    let mut candidates: Vec<(String, Side, i64)> = Vec::new();
    for (seq, hash, at) in merges_in(mine) {
        if holds(theirs, seq, &hash) {
            candidates.push((at, Side::Theirs, seq));
        }
    }
    for (seq, hash, at) in merges_in(theirs) {
        if holds(mine, seq, &hash) {
            candidates.push((at, Side::Mine, seq));
        }
    }
    candidates
        .into_iter()
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, side, seq)| (side, seq))
}

/// Takes an in-memory copy back to the state after journal row `seq`.
fn rewind(
    mut conn: Connection,
    entries: &[JournalEntry],
    seq: i64,
    path: &Path,
) -> Result<Connection, StoreError> {
    let too_old = |seq| StoreError::MergeRefused {
        mine: path.to_owned(),
        theirs: path.to_owned(),
        why: MergeRefusal::HistoryTooOld {
            path: path.to_owned(),
            seq,
        },
    };
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(|source| sql_err(path, source))?;
    // A copy in memory, only to be read back as rows: its search index and status dates need
    // not follow, and re-indexing every note the history touched is most of the work.
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM main.sqlite_schema WHERE type = 'trigger'")
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .map_err(|source| sql_err(path, source))?;
    for trigger in triggers {
        // A copy made by SQLCipher's export lists its triggers without having loaded them, so
        // they do not run there either: "no such trigger" is as good as dropped.
        let _ = conn.execute_batch(&format!("DROP TRIGGER main.\"{trigger}\""));
    }
    let tx = conn.transaction().map_err(|source| sql_err(path, source))?;
    for entry in entries.iter().rev().take_while(|e| e.seq > seq) {
        // The deletion of personal data is not taken back: the ancestor keeps the blanks
        // (the merge blanks those values in every copy it compares, see `prepare_merge`).
        if entry.op() == super::purge::DELETION_OP {
            continue;
        }
        let statements: Vec<String> = entry
            .inverse()
            .and_then(|json| serde_json::from_str(json).ok())
            .ok_or_else(|| too_old(entry.seq))?;
        for statement in &statements {
            if !super::history::is_row_statement(statement) {
                return Err(too_old(entry.seq));
            }
            tx.execute(statement, [])
                .map_err(|source| sql_err(path, source))?;
        }
    }
    tx.commit().map_err(|source| sql_err(path, source))?;
    Ok(conn)
}

/// The other copy's journal (and what it merged from others) that this case does not hold yet.
fn incoming_journal(
    conn: &Connection,
    entries: &[JournalEntry],
    known: &HashSet<String>,
) -> rusqlite::Result<Vec<MergedEntry>> {
    let mut incoming = Vec::new();
    let mut previous = String::new();
    for entry in entries {
        let hash = entry.hash().unwrap_or_default().to_owned();
        if !known.contains(&hash) {
            incoming.push(merged_entry(entry, hash.clone(), previous.clone()));
        }
        previous = hash;
    }
    for entry in journal::merged_entries(conn)? {
        let hash = entry.hash().unwrap_or_default().to_owned();
        if !known.contains(&hash) {
            incoming.push(merged_entry(
                &entry,
                hash,
                entry.previous.clone().unwrap_or_default(),
            ));
        }
    }
    Ok(incoming)
}

fn merged_entry(entry: &JournalEntry, hash: String, previous: String) -> MergedEntry {
    MergedEntry {
        hash,
        previous,
        seq: entry.seq,
        applied_at: entry.applied_at.clone(),
        author: entry.author.clone(),
        target: entry.target.clone(),
        command: entry.command.clone(),
        kind: entry.kind.clone(),
        reverts: entry.reverts,
        inverse: entry.inverse().map(str::to_owned),
        summary: entry.summary.clone(),
    }
}

/// The last author and time of a change to each row since `after`, by identity. The journal
/// names an entity by its identity (`finding/<uuid>`), or by row id in rows from before schema 10.
fn changed_rows(
    entries: &[JournalEntry],
    after: i64,
    locals: &Locals,
) -> BTreeMap<(String, String), (String, String)> {
    let mut rows = BTreeMap::new();
    for entry in entries.iter().filter(|e| e.seq > after) {
        let named = match entry.target.parse::<crate::domain::ids::EntityRef>() {
            Ok(entity) => super::identity::table_of(entity).and_then(|(table, rowid)| {
                Some((table, locals.get(&(table.to_owned(), rowid))?.clone()))
            }),
            Err(_) => entry
                .target
                .split_once('/')
                .filter(|(table, _)| crate::merge::three_way::named_by_uuid(table))
                .map(|(table, uuid)| (spec(table).map_or("", |s| s.name), uuid.to_owned())),
        };
        if let Some((table, id)) = named {
            rows.insert(
                (table.to_owned(), id),
                (entry.author.clone(), entry.applied_at.clone()),
            );
        }
    }
    rows
}

pub(super) fn read_snapshot(conn: &Connection) -> rusqlite::Result<Snapshot> {
    read_with_locals(conn).map(|(snapshot, _)| snapshot)
}

/// The identity of each row by (table, row id).
type Locals = HashMap<(String, i64), String>;

/// A snapshot, and the identity of each row by (table, row id).
fn read_with_locals(conn: &Connection) -> rusqlite::Result<(Snapshot, Locals)> {
    let case = case_id(conn)?;
    let mut locals = Locals::new();
    let mut snapshot = Snapshot::default();
    for spec in TABLES {
        let mut statement = conn.prepare(&format!("SELECT rowid, * FROM \"{}\"", spec.name))?;
        let columns: Vec<String> = statement
            .column_names()
            .iter()
            .skip(1)
            .map(|c| (*c).to_owned())
            .collect();
        let mut rows = statement.query([])?;
        let table = snapshot.tables.entry(spec.name).or_default();
        while let Some(sql_row) = rows.next()? {
            let rowid: i64 = sql_row.get(0)?;
            let mut row = Row::new();
            let mut uuid = None;
            for (i, column) in columns.iter().enumerate() {
                let value = sql_row.get_ref(i + 1)?;
                if column == "uuid" {
                    uuid = value.as_str_or_null().ok().flatten().map(str::to_owned);
                    continue;
                }
                if column == "id" {
                    continue;
                }
                let cell = match spec.references.iter().find(|(c, _)| c == column) {
                    Some((_, target)) => match value {
                        ValueRef::Integer(n) => locals
                            .get(&((*target).to_owned(), n))
                            .cloned()
                            .map_or(Cell::Null, Cell::String),
                        _ => Cell::Null,
                    },
                    None => cell_of(value),
                };
                row.insert(column.clone(), cell);
            }
            let id = match spec.key {
                Key::Uuid => uuid.unwrap_or_else(|| super::stable_uuid(&case, spec.name, rowid)),
                Key::Natural(columns) => natural_identity(
                    &columns
                        .iter()
                        .map(|c| row.get(*c).cloned().unwrap_or(Cell::Null))
                        .collect::<Vec<_>>(),
                ),
            };
            locals.insert((spec.name.to_owned(), rowid), id.clone());
            table.insert(id, row);
        }
    }
    Ok((snapshot, locals))
}

fn cell_of(value: ValueRef<'_>) -> Cell {
    match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(n) => Cell::from(n),
        ValueRef::Real(x) => Cell::from(x),
        ValueRef::Text(t) => Cell::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Cell::String(b.iter().fold(String::new(), |mut hex, x| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{x:02x}");
            hex
        })),
    }
}

fn value_of(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Bool(b) => Value::Integer(i64::from(*b)),
        Cell::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or_default()),
        },
        Cell::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// The merge as its journal row keeps it: the other copy's journal rows by their hashes only
/// (they are in `merged_journal` in full), so the record is not every row twice.
pub(super) fn recorded_json(step: &MergeStep) -> serde_json::Result<String> {
    #[derive(serde::Serialize)]
    struct Recorded<'a> {
        op: &'static str,
        merge: RecordedStep<'a>,
    }
    #[derive(serde::Serialize)]
    struct RecordedStep<'a> {
        source: &'a MergeSource,
        changes: &'a [RowChange],
        journal_hashes: Vec<&'a str>,
    }
    serde_json::to_string(&Recorded {
        op: "merge_copy",
        merge: RecordedStep {
            source: &step.source,
            changes: &step.changes,
            journal_hashes: step.journal.iter().map(|e| e.hash.as_str()).collect(),
        },
    })
}

/// Writes a merge step: called by `apply` inside the command's transaction.
pub(super) fn write_step(tx: &Transaction<'_>, step: &MergeStep) -> apply::Result<()> {
    if let Some(expected) = step.source.mine_head_seq {
        let head: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |row| {
            row.get(0)
        })?;
        if head != expected {
            return Err(ApplyError::Rejected(Rejection::MergeDoesNotFit {
                table: "journal".to_owned(),
                id: head.to_string(),
            }));
        }
    }
    let case = case_id(tx)?;
    for spec in TABLES.iter().filter(|t| t.key == Key::Uuid) {
        // Rows an undo brought back from before schema 10 have no identity written yet.
        tx.execute(
            &format!(
                "UPDATE \"{0}\" SET uuid = evalbench_stable_uuid(?1, '{0}', id) WHERE uuid IS NULL",
                spec.name
            ),
            [&case],
        )?;
    }
    let mut touched_interviews: BTreeSet<i64> = BTreeSet::new();
    let mut known_columns: HashMap<&str, HashSet<String>> = HashMap::new();
    for change in &step.changes {
        let table = change.table();
        let spec = spec(table).ok_or_else(|| does_not_fit(change))?;
        if !known_columns.contains_key(spec.name) {
            known_columns.insert(spec.name, table_columns(tx, spec.name)?);
        }
        let columns = &known_columns[spec.name];
        let translate = |row: &Row| -> apply::Result<Vec<(String, Value)>> {
            row.iter()
                .map(|(column, cell)| {
                    if !columns.contains(column) || column == "id" || column == "uuid" {
                        return Err(does_not_fit(change));
                    }
                    let value = match spec.references.iter().find(|(c, _)| c == column) {
                        Some((_, target)) => match cell.as_str() {
                            Some(id) => Value::Integer(
                                local_rowid(tx, target, id)?.ok_or_else(|| does_not_fit(change))?,
                            ),
                            None => Value::Null,
                        },
                        None => value_of(cell),
                    };
                    Ok((column.clone(), value))
                })
                .collect()
        };
        match change {
            RowChange::Insert { id, row, .. } => {
                let mut values = translate(row)?;
                if spec.key == Key::Uuid {
                    values.push(("uuid".to_owned(), Value::Text(id.clone())));
                }
                let names = values
                    .iter()
                    .map(|(c, _)| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let marks = (1..=values.len())
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                tx.execute(
                    &format!("INSERT INTO \"{table}\" ({names}) VALUES ({marks})"),
                    rusqlite::params_from_iter(values.iter().map(|(_, v)| v)),
                )?;
                if table == "excerpt"
                    && let Some(interview) = row.get("interview_id").and_then(|v| v.as_str())
                    && let Some(rowid) = local_rowid(tx, "interview", interview)?
                {
                    touched_interviews.insert(rowid);
                }
            }
            RowChange::Update { id, fields, .. } => {
                let rowid = local_rowid(tx, table, id)?.ok_or_else(|| does_not_fit(change))?;
                let values = translate(fields)?;
                let sets = values
                    .iter()
                    .enumerate()
                    .map(|(i, (c, _))| format!("\"{c}\" = ?{}", i + 1))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut params: Vec<Value> = values.into_iter().map(|(_, v)| v).collect();
                params.push(Value::Integer(rowid));
                tx.execute(
                    &format!(
                        "UPDATE \"{table}\" SET {sets} WHERE rowid = ?{}",
                        params.len()
                    ),
                    rusqlite::params_from_iter(params.iter()),
                )?;
                if table == "interview" && fields.contains_key("notes") {
                    touched_interviews.insert(rowid);
                }
                if table == "excerpt" {
                    let interview: i64 = tx.query_row(
                        "SELECT interview_id FROM excerpt WHERE rowid = ?1",
                        [rowid],
                        |row| row.get(0),
                    )?;
                    touched_interviews.insert(interview);
                }
            }
            RowChange::Delete { id, .. } => {
                // Already gone with a row it belonged to: nothing left to do.
                if let Some(rowid) = local_rowid(tx, table, id)? {
                    tx.execute(
                        &format!("DELETE FROM \"{table}\" WHERE rowid = ?1"),
                        [rowid],
                    )?;
                }
            }
        }
    }
    for interview in touched_interviews {
        let notes: Option<String> = tx
            .query_row(
                "SELECT notes FROM interview WHERE id = ?1",
                [interview],
                |row| row.get(0),
            )
            .ok();
        if let Some(notes) = notes {
            apply::reanchor_excerpts(tx, InterviewId(interview), &notes)?;
        }
    }
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO merged_journal (hash, previous, merge_head, seq, applied_at,
         author, target, command, kind, reverts, inverse, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for entry in &step.journal {
        insert.execute(rusqlite::params![
            entry.hash,
            entry.previous,
            step.source.head_hash,
            entry.seq,
            entry.applied_at,
            entry.author,
            entry.target,
            entry.command,
            entry.kind,
            entry.reverts,
            entry.inverse,
            entry.summary
        ])?;
    }
    drop(insert);
    let dangling: i64 =
        tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })?;
    if dangling > 0 {
        return Err(ApplyError::Rejected(Rejection::MergeDoesNotFit {
            table: String::new(),
            id: String::new(),
        }));
    }
    Ok(())
}

fn does_not_fit(change: &RowChange) -> ApplyError {
    ApplyError::Rejected(Rejection::MergeDoesNotFit {
        table: change.table().to_owned(),
        id: change.id().to_owned(),
    })
}

fn table_columns(tx: &Transaction<'_>, table: &str) -> rusqlite::Result<HashSet<String>> {
    tx.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |row| row.get(0))?
        .collect()
}

/// The row id in this case of the row named `id` in `table`.
fn local_rowid(tx: &Transaction<'_>, table: &str, id: &str) -> apply::Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    let Some(spec) = spec(table) else {
        return Ok(None);
    };
    match spec.key {
        Key::Uuid => Ok(tx
            .prepare_cached(&format!("SELECT rowid FROM \"{table}\" WHERE uuid = ?1"))?
            .query_row([id], |row| row.get(0))
            .optional()?),
        Key::Natural(columns) => {
            let Some(parts) = natural_parts(id).filter(|p| p.len() == columns.len()) else {
                return Ok(None);
            };
            let mut values = Vec::new();
            for (column, part) in columns.iter().zip(&parts) {
                let value = match spec.references.iter().find(|(c, _)| c == column) {
                    Some((_, target)) => match part.as_str() {
                        Some(target_id) => match local_rowid(tx, target, target_id)? {
                            Some(rowid) => Value::Integer(rowid),
                            None => return Ok(None),
                        },
                        None => Value::Null,
                    },
                    None => value_of(part),
                };
                values.push(value);
            }
            let condition = columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("\"{c}\" IS ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(" AND ");
            Ok(tx
                .prepare_cached(&format!("SELECT rowid FROM \"{table}\" WHERE {condition}"))?
                .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))
                .optional()?)
        }
    }
}

/// What a worker thread needs to work out a merge beside the open case, which stays free for
/// drawing meanwhile: the case's file and key, read through a connection of its own.
pub struct MergePlanner {
    path: PathBuf,
    key: Option<Passphrase>,
}

impl MergePlanner {
    /// Opens the case for reading and works out the merge of `theirs` (`prepare_merge`). Edits
    /// made meanwhile are safe: the plan records the journal row it was made at, and writing it
    /// after a later edit is refused.
    pub fn prepare(
        &self,
        theirs: &Path,
        theirs_key: Option<&Passphrase>,
    ) -> Result<MergePlan, StoreError> {
        CaseStore::open_read_only_keyed(&self.path, self.key.as_ref())?
            .prepare_merge(theirs, theirs_key)
    }
}

impl CaseStore {
    /// A planner for merges worked out on another thread.
    pub fn merge_planner(&self) -> MergePlanner {
        MergePlanner {
            path: self.path.clone(),
            key: self.key.clone(),
        }
    }

    /// The case as rows named by identities that are the same in every copy: what two merged
    /// copies must agree on.
    pub fn merge_snapshot(&self) -> Result<Snapshot, StoreError> {
        read_snapshot(&self.conn).map_err(|source| sql_err(&self.path, source))
    }
}
