//! Team work on the command line: a copy for a co-evaluator, and the merge of a copy back.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::merge::describe::{label, page_of, value_text};
use crate::merge::{Choice, Conflict, ConflictKind, Resolutions, RowChange, Side};
use crate::store::{CaseStore, MergePlan, Passphrase};

use super::passphrase::{ask_hidden, key_for, new_passphrase};

/// `evalbench copy FILE --out COPY [--new-passphrase] [--blind-for first|second]`.
pub(super) fn copy(
    file: &Path,
    out: &Path,
    new_key: bool,
    blind_for: Option<crate::domain::Rater>,
) -> anyhow::Result<()> {
    let key = key_for(file)?;
    let store = CaseStore::open_read_only_keyed(file, key.as_ref())?;
    match blind_for {
        Some(rater) => {
            let redacted = store.save_blind_copy(out, rater)?;
            outln!(
                "the copy holds none of the other evaluator's fidelity scores ({redacted} journal rows redacted)"
            );
        }
        None => store.save_copy(out)?,
    }
    drop(store);
    if new_key {
        let mut copy = CaseStore::open_keyed(out, key.as_ref())?;
        copy.set_passphrase(&new_passphrase("EVALBENCH_NEW_PASSPHRASE")?)?;
        copy.close()?;
    }
    outln!(
        "wrote {} for a co-evaluator; merge it back with `evalbench merge {} {}`",
        out.display(),
        file.display(),
        out.display()
    );
    Ok(())
}

/// The passphrase of the copy merged in: EVALBENCH_THEIRS_PASSPHRASE, or asked for.
fn theirs_key(file: &Path) -> anyhow::Result<Option<Passphrase>> {
    if !crate::store::needs_passphrase(file) {
        return Ok(None);
    }
    if let Ok(text) = std::env::var("EVALBENCH_THEIRS_PASSPHRASE")
        && !text.is_empty()
    {
        return Ok(Some(Passphrase::new(text)?));
    }
    let text = ask_hidden(&format!("Passphrase for «{}»: ", file.display()))?;
    Ok(Some(Passphrase::new(text)?))
}

/// `evalbench merge FILE THEIRS [--accept] [--prefer mine|theirs] [--keep-both]`.
pub(super) fn merge(
    file: &Path,
    theirs: &Path,
    accept: bool,
    prefer: Option<Side>,
    keep_both: bool,
) -> anyhow::Result<ExitCode> {
    let key = key_for(file)?;
    let their_key = theirs_key(theirs)?;
    let mut store = CaseStore::open_keyed(file, key.as_ref())?;
    let plan = store.prepare_merge(theirs, their_key.as_ref())?;
    let (resolutions, merged) = plan.decide_all(|conflict| {
        if keep_both && conflict.can_keep_both() {
            Some(Choice::Both)
        } else {
            prefer.map(Choice::from)
        }
    });
    print_preview(&plan, &merged.changes, &merged.conflicts, &resolutions)?;
    let open = merged.open_conflicts(&resolutions).count();
    if merged.changes.is_empty() && plan.journal().is_empty() {
        outln!(
            "Nothing to merge: «{}» holds every change of «{}».",
            file.display(),
            theirs.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if open > 0 {
        outln!(
            "Nothing was written: decide the conflicts with --prefer mine or --prefer theirs (and --keep-both for findings, actions and document reviews both edited), or merge in the app (Fil → Slå sammen med kopi…)."
        );
        return Ok(ExitCode::FAILURE);
    }
    if !accept {
        outln!("Nothing was written; run again with --accept to merge.");
        return Ok(ExitCode::SUCCESS);
    }
    let case_id = store.snapshot()?.case_id;
    let backup = crate::backups::Backups::default().take(
        &store,
        &case_id,
        crate::backups::Reason::BeforeMerge,
    )?;
    let step = plan.step(merged);
    let applied = store.merge_copy(&plan, step, their_key.as_ref())?;
    store.close()?;
    outln!(
        "Merged in one step (journal row {}; undo in the app takes it back); a copy from before is at {}.",
        applied.seq,
        backup.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Counts by page and table, then each conflict with both values and who made them.
fn print_preview(
    plan: &MergePlan,
    changes: &[RowChange],
    conflicts: &[Conflict],
    resolutions: &Resolutions,
) -> anyhow::Result<()> {
    // The lines around the labels are English, so are the labels.
    let lang = crate::i18n::Lang::En;
    outln!(
        "Merging «{}» (shared history up to journal row {}; {} of its journal rows come along):",
        plan.source.file_name,
        plan.source.base_seq,
        plan.journal().len()
    );
    let mut counts: BTreeMap<(&str, &str), [usize; 3]> = BTreeMap::new();
    for change in changes {
        let slot = match change {
            RowChange::Insert { .. } => 0,
            RowChange::Update { .. } => 1,
            RowChange::Delete { .. } => 2,
        };
        counts
            .entry((page_of(change.table()), change.table()))
            .or_default()[slot] += 1;
    }
    if counts.is_empty() {
        outln!("  no changes to the case's rows");
    }
    for ((page, table), [added, changed, removed]) in &counts {
        outln!("  {page}: {table}: {added} added, {changed} changed, {removed} removed");
    }
    let states = [plan.mine(), plan.theirs(), plan.base()];
    for change in changes {
        let verb = match change {
            RowChange::Insert { .. } => "+",
            RowChange::Update { .. } => "~",
            RowChange::Delete { .. } => "-",
        };
        let who = plan
            .theirs_changes
            .get(&(change.table().to_owned(), change.id().to_owned()))
            .map(|(author, at)| format!(" ({author}, {})", when(at)))
            .unwrap_or_default();
        let name = label(lang, change.table(), change.id(), &states);
        if !name.is_empty() {
            outln!("    {verb} {} {name}{who}", change.table());
        }
    }
    if conflicts.is_empty() {
        return Ok(());
    }
    outln!("Conflicts ({}):", conflicts.len());
    for conflict in conflicts {
        let name = label(lang, conflict.table, &conflict.id, &states);
        let key = (conflict.table.to_owned(), conflict.id.clone());
        let by = |changes: &BTreeMap<(String, String), (String, String)>| {
            changes
                .get(&key)
                .map(|(author, at)| format!(" ({author}, {})", when(at)))
                .unwrap_or_default()
        };
        let decided = match resolutions.get(&conflict.key) {
            Some(Choice::Mine) => " → mine",
            Some(Choice::Theirs) => " → theirs",
            Some(Choice::Both) => " → keep both",
            None => "",
        };
        match &conflict.kind {
            ConflictKind::Field {
                field,
                mine,
                theirs,
                ..
            } => outln!(
                "  {} {name}, {field}: mine {}{} | theirs {}{}{decided}",
                conflict.table,
                value_text(mine),
                by(&plan.mine_changes),
                value_text(theirs),
                by(&plan.theirs_changes)
            ),
            ConflictKind::Deleted { by: side, .. } => outln!(
                "  {} {name}: deleted in {} and changed or added to in {}{decided}",
                conflict.table,
                side_name(*side),
                side_name(other(*side))
            ),
        }
    }
    Ok(())
}

/// A journal time in the computer's time zone, to the minute.
fn when(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map_or_else(|_| at.to_owned(), super::local_time)
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Mine => "mine",
        Side::Theirs => "theirs",
    }
}

fn other(side: Side) -> Side {
    match side {
        Side::Mine => Side::Theirs,
        Side::Theirs => Side::Mine,
    }
}
