//! The report's life as versions kept in the case: `report draft|final` renders the report,
//! keeps the exact file inside the case and writes it out; `versions` lists them and extracts one.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;

use super::args::{ReportAction, ReportOutput};
use super::{guard_export, key_for, lang_or_env, write_output};
use crate::domain::ReportKind;
use crate::store::{self, CaseStore};

pub(super) fn report(action: ReportAction) -> anyhow::Result<ExitCode> {
    let today = jiff::Zoned::now().date();
    match action {
        ReportAction::Draft {
            file,
            output,
            answer_by,
        } => {
            let answer_by = match answer_by {
                Some(day) if day < today => bail!(
                    "--answer-by: {day} is in the past; give the provider a day from today on."
                ),
                Some(day) => day,
                None => crate::domain::report_version::default_answer_by(today),
            };
            keep(&file, &output, ReportKind::Draft, Some(answer_by), today)
        }
        ReportAction::Final { file, output } => {
            keep(&file, &output, ReportKind::Final, None, today)
        }
    }
}

fn keep(
    file: &Path,
    output: &ReportOutput,
    kind: ReportKind,
    answer_by: Option<jiff::civil::Date>,
    today: jiff::civil::Date,
) -> anyhow::Result<ExitCode> {
    let mut store = CaseStore::open_keyed(file, key_for(file)?.as_ref())?;
    // The rules first, so a refused version costs no rendering.
    crate::domain::report_version::check_may_keep(&store.report_versions()?, kind)?;
    let mut snapshot = store.snapshot()?;
    let reader = crate::domain::rater_named(&snapshot.evaluators, &store::default_author());
    if let Some(review) = snapshot.fidelity.as_mut() {
        review.hide_from(reader);
    }
    let snapshot = guard_export(file, snapshot, output.redact)?;
    let lang = lang_or_env(output.lang);
    let bytes = crate::export::render_report_version(&snapshot, kind, answer_by, lang, today)?;
    let file_name = output.out.file_name().map_or_else(
        || format!("{}.pdf", kind.code()),
        |name| name.to_string_lossy().into_owned(),
    );
    // Kept first: what goes to the provider is always what the case holds.
    let version = store.keep_report_version(
        kind,
        answer_by,
        &store::default_author(),
        &file_name,
        &bytes,
    )?;
    write_output(&output.out, &bytes)?;
    if output.out != Path::new("-") {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "kept version {} ({}{}) in {}, SHA-256 {}; wrote {}",
            version.number,
            kind.code(),
            answer_by.map_or_else(String::new, |d| format!(", answer by {d}")),
            file.display(),
            version.sha256,
            output.out.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists the kept versions, or writes version `extract` to `out` as it was kept.
pub(super) fn versions(
    file: &Path,
    extract: Option<usize>,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let mut stdout = std::io::stdout().lock();
    match (extract, out) {
        (Some(number), Some(out)) => {
            let Some((version, bytes)) = store.report_version_bytes(number)? else {
                let count = store.report_versions()?.len();
                bail!(
                    "«{}» has no report version {number} (it has {count}); `evalbench versions {}` lists them.",
                    file.display(),
                    file.display()
                );
            };
            write_output(out, &bytes)?;
            if out != Path::new("-") {
                writeln!(
                    stdout,
                    "wrote version {} ({}, {}) to {}; SHA-256 {} checked",
                    version.number,
                    version.kind.code(),
                    version.made_on,
                    out.display(),
                    version.sha256
                )?;
            }
        }
        (Some(_), None) => bail!("--extract needs --out: where to write the version's file."),
        (None, _) => {
            let versions = store.report_versions()?;
            if versions.is_empty() {
                writeln!(stdout, "no report versions kept in {}", file.display())?;
            }
            for v in versions {
                writeln!(
                    stdout,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{} bytes\t{}",
                    v.number,
                    v.kind.code(),
                    v.made_on,
                    v.answer_by
                        .map_or_else(|| "-".to_owned(), |d| d.to_string()),
                    if v.made_by.is_empty() {
                        "-"
                    } else {
                        &v.made_by
                    },
                    v.file_name,
                    v.size_bytes,
                    v.sha256
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the archive package of the case to `out`: one zip, or a new (or empty) folder.
pub(super) fn archive(file: &Path, out: &Path, lang: crate::i18n::Lang) -> anyhow::Result<()> {
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let snapshot = store.snapshot()?;
    let mut versions = Vec::new();
    for version in store.report_versions()? {
        if let Some(kept) = store.report_version_bytes(version.number)? {
            versions.push(kept);
        }
    }
    let changes = store.status_changes()?;
    let files = crate::export::archive::package(
        &snapshot,
        &versions,
        &changes,
        lang,
        jiff::Zoned::now().date(),
    )?;
    crate::export::archive::write(out, &files)?;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    writeln!(
        std::io::stdout().lock(),
        "wrote the archive package of {} to {}: {}",
        file.display(),
        out.display(),
        names.join(", ")
    )?;
    Ok(())
}

/// Writes the notice letter: DOCX when `out` ends in `.docx`, else PDF.
pub(super) fn notice(file: &Path, out: &Path, lang: crate::i18n::Lang) -> anyhow::Result<()> {
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let snapshot = store.snapshot()?;
    let docx = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let format = if docx {
        crate::export::Format::Docx
    } else {
        crate::export::Format::Pdf
    };
    let bytes = crate::export::render_notice(&snapshot, format, lang, jiff::Zoned::now().date())?;
    write_output(out, &bytes)?;
    if out != Path::new("-") {
        let asked = if snapshot.requested_documents.is_empty() {
            "the catalog's document sources (none chosen yet)"
        } else {
            "the documents chosen"
        };
        writeln!(
            std::io::stdout().lock(),
            "wrote the notice to {} asking for {asked}",
            out.display()
        )?;
    }
    Ok(())
}

/// Writes the response workbook to `out`, or records the responses a filled-in one holds.
pub(super) fn responses(
    file: &Path,
    out: Option<&Path>,
    read: Option<&Path>,
    lang: crate::i18n::Lang,
) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    if let Some(out) = out {
        let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
        let snapshot = store.snapshot()?;
        let bytes = crate::response_workbook::write(&snapshot, lang)?;
        write_output(out, &bytes)?;
        writeln!(
            stdout,
            "wrote the response workbook for {} findings to {}",
            snapshot.findings.len(),
            out.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(read) = read else {
        bail!("give --out (write a workbook to fill in) or --read (record a filled-in one)");
    };
    let bytes = std::fs::read(read)
        .map_err(|e| anyhow::anyhow!("cannot read «{}»: {e}", read.display()))?;
    let mut store = CaseStore::open_keyed(file, key_for(file)?.as_ref())?;
    let snapshot = store.snapshot()?;
    let name = read.display().to_string();
    match crate::response_workbook::read(&name, &bytes, &snapshot, lang) {
        Ok(commands) => {
            for command in &commands {
                store.apply(command)?;
            }
            store.close()?;
            writeln!(
                stdout,
                "recorded {} responses from {} in {}",
                commands.len(),
                read.display(),
                file.display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            let mut stderr = std::io::stderr().lock();
            writeln!(stderr, "«{name}» was not read; nothing was changed:")?;
            for problem in problems {
                writeln!(stderr, "  {problem}")?;
            }
            Ok(ExitCode::from(2))
        }
    }
}
