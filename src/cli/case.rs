//! Commands on one case file: check, apply, audit, backups, scan, and the export guard.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::command::Command;
use crate::domain::CaseSnapshot;
use crate::i18n::{Lang, counted};
use crate::privacy;
use crate::store::{self, CaseStore};

use super::local_time;
use super::passphrase::key_for;

/// One line per journal row ("12  2026-11-24 21:13:02  kari  edit  set_action_status  action/3
/// action/3 status: «agreed» -> «done»"),
/// then, with `verify`, whether the chain holds.
pub(super) fn audit(file: &Path, verify: bool) -> anyhow::Result<ExitCode> {
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let mut out = std::io::stdout().lock();
    for entry in store.journal()? {
        writeln!(out, "{}", audit_line(&entry, ""))?;
    }
    let merged = store.merged_journal()?;
    if !merged.is_empty() {
        writeln!(out, "from other copies, brought in by merges:")?;
    }
    for entry in merged {
        writeln!(out, "{}", audit_line(&entry, "copy:"))?;
    }
    if !verify {
        return Ok(ExitCode::SUCCESS);
    }
    match store.verify_journal()? {
        store::ChainCheck::Intact { entries } => {
            writeln!(out, "chain intact: {entries} entries")?;
            Ok(ExitCode::SUCCESS)
        }
        store::ChainCheck::Unchained => {
            writeln!(
                out,
                "no chain yet: written by an older version; open the case once to add it"
            )?;
            Ok(ExitCode::FAILURE)
        }
        store::ChainCheck::MergedBrokenAt { seq, author } => {
            writeln!(
                out,
                "chain broken at entry {seq} by {author} from another copy: it was changed after it was merged in"
            )?;
            Ok(ExitCode::FAILURE)
        }
        store::ChainCheck::BrokenAt { seq } => {
            writeln!(
                out,
                "chain broken at entry {seq}: the journal was changed after it was written"
            )?;
            Ok(ExitCode::FAILURE)
        }
    }
}

/// One journal row as `audit` prints it; `prefix` marks rows from another copy.
fn audit_line(entry: &store::JournalEntry, prefix: &str) -> String {
    let at = entry
        .applied_at
        .parse::<jiff::Timestamp>()
        .map_or_else(|_| entry.applied_at.clone(), local_time);
    let reverts = entry
        .reverts
        .map(|seq| format!(" of {seq}"))
        .unwrap_or_default();
    format!(
        "{prefix}{}\t{at}\t{}\t{}{reverts}\t{}\t{}\t{}",
        entry.seq,
        entry.author,
        entry.kind,
        entry.op(),
        entry.target,
        entry.summary
    )
}

/// Lists a case's backups ("1  2026-11-24 21:13  daily  84 KB"), or restores one of them.
pub(super) fn backups(file: &Path, restore: Option<usize>) -> anyhow::Result<ExitCode> {
    let key = key_for(file)?;
    let case_id = store::read_case_keyed(file, key.as_ref())?.case_id;
    let backups = crate::backups::Backups::default();
    let list = backups.list(&case_id);
    if let Some(number) = restore {
        let Some(chosen) = number.checked_sub(1).and_then(|index| list.get(index)) else {
            bail!(
                "--restore {number}: «{}» has {}; pick a number from `evalbench backups`.",
                file.display(),
                counted(Lang::En, "backups", list.len())
            );
        };
        backups.restore(&chosen.path, file, key.as_ref())?;
        outln!(
            "restored {} from the backup of {}",
            file.display(),
            local_time(chosen.taken_at)
        );
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        outln!("no backups of {} yet", file.display());
    }
    for (index, backup) in list.iter().enumerate() {
        outln!(
            "{}\t{}\t{}\t{}",
            index + 1,
            local_time(backup.taken_at),
            backup.reason.code(),
            backup.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Nothing leaves the program with an identity number in it: the case is scanned first, and the
/// export refused with the list of hits unless `redact` masks them.
pub(super) fn guard_export(
    file: &Path,
    snapshot: CaseSnapshot,
    redact: bool,
) -> anyhow::Result<CaseSnapshot> {
    let hits = privacy::scan_case(&snapshot);
    if hits.is_empty() {
        return Ok(snapshot);
    }
    if redact {
        return Ok(privacy::redact_case(&snapshot));
    }
    let list: Vec<String> = hits
        .iter()
        .map(|found| format!("  {}", case_hit_line(found)))
        .collect();
    bail!(
        "«{}» holds {} (identity numbers, e-mail addresses or phone numbers) in its text; nothing was exported. Replace them (e.g. with participant codes) or export with --redact:\n{}",
        file.display(),
        counted(Lang::En, "personal_identifiers", hits.len()),
        list.join("\n")
    )
}

/// Prints one line per hit (kind, where, masked value) and exits 1 if there are any.
pub(super) fn scan(path: &Path) -> anyhow::Result<ExitCode> {
    let text_lines = |text: &str| -> Vec<String> {
        privacy::scan(text)
            .into_iter()
            .map(|hit| {
                format!(
                    "{}\t{}:{}\t{}",
                    hit.kind.code(),
                    hit.line,
                    hit.column,
                    hit.masked
                )
            })
            .collect()
    };
    let lines = if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("Standard input is not UTF-8 text")?;
        text_lines(&text)
    } else if is_sqlite(path)? || store::needs_passphrase(path) {
        let snapshot = store::read_case_keyed(path, key_for(path)?.as_ref())?;
        privacy::scan_case(&snapshot)
            .iter()
            .map(case_hit_line)
            .collect()
    } else {
        let bytes =
            std::fs::read(path).with_context(|| format!("Cannot read «{}»", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "«{}» is neither a case file nor UTF-8 text (invalid byte at offset {}).",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        text_lines(&text)
    };
    let mut out = std::io::stdout().lock();
    for line in &lines {
        writeln!(out, "{line}")?;
    }
    Ok(if lines.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// "fodselsnummer<TAB>interview/3 notes 2:15<TAB>****** ***97": kind, where, masked value.
pub(super) fn case_hit_line(found: &privacy::CaseHit) -> String {
    format!(
        "{}\t{} {} {}:{}\t{}",
        found.hit.kind.code(),
        found.entity,
        found.field,
        found.hit.line,
        found.hit.column,
        found.hit.masked
    )
}

/// True when the file starts like a SQLite database (then it must be a case).
pub(super) fn is_sqlite(path: &Path) -> anyhow::Result<bool> {
    let mut header = [0u8; 16];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("Cannot read «{}»", path.display()))?;
    let read = std::io::Read::read(&mut file, &mut header)
        .with_context(|| format!("Cannot read «{}»", path.display()))?;
    Ok(read == header.len() && &header == b"SQLite format 3\0")
}

pub(super) fn check(file: &Path) -> anyhow::Result<ExitCode> {
    // Read-only: checking never upgrades or otherwise writes to the file.
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let report = store.check()?;
    let snapshot = store.snapshot()?;
    store.close()?;
    let c = &report.counts;
    outln!("file: {}", file.display());
    outln!("provider: {}", snapshot.facts.provider_name);
    outln!("schema version: {}", report.schema_version);
    outln!("integrity: {}", report.integrity);
    outln!("foreign key violations: {}", report.foreign_key_violations);
    match &report.journal {
        store::ChainCheck::Intact { entries } => outln!("journal: intact ({entries} entries)"),
        store::ChainCheck::Unchained => outln!("journal: not chained (an older file)"),
        store::ChainCheck::BrokenAt { seq } => {
            outln!("journal: broken at entry {seq} (edited outside Evalbench)");
        }
        store::ChainCheck::MergedBrokenAt { seq, author } => {
            outln!(
                "journal: the rows merged in from another copy are broken at its entry {seq} by {author} (edited outside Evalbench)"
            );
        }
    }
    outln!(
        "requirements: {}\ninterviews: {}\nexcerpts: {}\ndocument reviews: {}\nfindings: {}\nactions: {}\noutcome years: {}\njournal entries: {}",
        c.requirements,
        c.interviews,
        c.excerpts,
        c.document_reviews,
        c.findings,
        c.actions,
        c.outcome_years,
        c.journal_entries
    );
    if report.is_healthy() {
        outln!("healthy");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} is not healthy", file.display());
        Ok(ExitCode::FAILURE)
    }
}

/// Applies commands line by line; each line is durable when its `ok` line is printed.
pub(super) fn apply(file: &Path, commands: &Path) -> anyhow::Result<ExitCode> {
    let mut store = CaseStore::open_keyed(file, key_for(file)?.as_ref())?;
    let input: Box<dyn BufRead> = if commands == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let opened = std::fs::File::open(commands)
            .with_context(|| format!("cannot read {}", commands.display()))?;
        Box::new(std::io::BufReader::new(opened))
    };
    let source = commands.display().to_string();
    let mut stdout = std::io::stdout().lock();
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line = line.with_context(|| format!("{source}, line {number}: cannot be read"))?;
        if line.trim().is_empty() {
            continue;
        }
        // Entities may be named by their identity (UUID), the same in every copy of the case.
        let mut line = line;
        if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&line) {
            match store.localize_command(&mut value) {
                Ok(true) => line = value.to_string(),
                Ok(false) => {}
                Err(why) => bail!("{source}, line {number}: {why}"),
            }
        }
        let command: Command = match serde_json::from_str(&line) {
            Ok(command) => command,
            Err(e) => bail!(
                "{source}, line {number}: not a valid command: {}",
                crate::json_errors::describe(&line, &e)
            ),
        };
        let applied = store
            .apply(&command)
            .with_context(|| format!("{source}, line {number}"))?;
        writeln!(stdout, "ok {number} {}", applied.target)?;
        stdout.flush()?;
    }
    store.close()?;
    Ok(ExitCode::SUCCESS)
}

/// Deletes the participants' personal data, then replaces the case's backup copies (which
/// still hold it) with one taken after. A refusal changes nothing.
pub(super) fn purge(file: &Path, confirmation: &str) -> anyhow::Result<()> {
    let mut store = CaseStore::open_keyed(file, key_for(file)?.as_ref())?;
    let case_id = store.snapshot()?.case_id;
    let deletion = store
        .delete_personal_data(confirmation)
        .with_context(|| format!("«{}»", file.display()))?;
    let removed = crate::backups::Backups::default().replace_after_deletion(&store, &case_id)?;
    store.close()?;
    let deleted = deletion.deleted;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "deleted from {}: the notes of {} participant interviews, {} participant codes, {} quotes, \
         {} attached files; {} journal rows redacted; {} backup copies removed and one taken \
         after; file size {} -> {} bytes",
        file.display(),
        deleted.interview_notes,
        deleted.participant_codes,
        deleted.quotes,
        deleted.attachments,
        deletion.journal_rows_redacted,
        removed.len(),
        deletion.bytes_before,
        deletion.bytes_after
    )?;
    Ok(())
}

/// Closes the case and, when given, sets its retention period; nothing is changed when either
/// is refused.
pub(super) fn close(file: &Path, reason: &str, retention_days: Option<u32>) -> anyhow::Result<()> {
    let mut store = CaseStore::open_keyed(file, key_for(file)?.as_ref())?;
    let before = store.snapshot()?;
    if before.closing.is_some() {
        bail!(
            "«{}»: {}",
            file.display(),
            crate::domain::Rejection::AlreadyClosed
        );
    }
    // Both checked before either is stored: a refusal changes nothing.
    if let Some(days) = retention_days.filter(|d| !(1..=3650).contains(d)) {
        bail!(
            "--retention-days: {}",
            crate::domain::Rejection::RetentionOutOfRange { days }
        );
    }
    store.apply(&crate::command::Command::CloseCase {
        reason: reason.to_owned(),
    })?;
    if let Some(days) = retention_days {
        store.apply(&crate::command::Command::SetRetention { days: Some(days) })?;
    }
    let case = store.snapshot()?;
    let due = crate::domain::retention_due(case.closing.as_ref(), case.retention_days);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "closed {} on {}; delete the participants' personal data by {}",
        file.display(),
        case.closing.map(|c| c.on.to_string()).unwrap_or_default(),
        due.map(|d| d.to_string()).unwrap_or_default()
    )?;
    Ok(())
}
