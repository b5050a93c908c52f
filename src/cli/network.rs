//! `evalbench aggregate`: many cases compared, written for analysts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;

use crate::i18n::{Lang, counted, tf};
use crate::store::{self, Passphrase};

use super::passphrase::ask_hidden;

/// `evalbench aggregate`: reads the cases, prints what was read and skipped, writes the overview.
pub(super) fn aggregate(
    inputs: &[PathBuf],
    out: &Path,
    anonymise: Option<String>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    use crate::network::{self, OutputFormat, Overview, Progress};
    let Some(format) = OutputFormat::from_path(out) else {
        bail!(
            "--out {}: the name must end in .xlsx, .json or .parquet.",
            out.display()
        );
    };
    let started = std::time::Instant::now();
    let files = network::case_files(inputs).map_err(anyhow::Error::msg)?;
    if files.is_empty() {
        bail!("No case files (*.evalcase) found in what was given.");
    }
    // One passphrase for the encrypted ones (from the environment, or asked once); without it
    // they are skipped and listed.
    let key = if files.iter().any(|f| store::needs_passphrase(f)) {
        Passphrase::from_env().or_else(|| {
            ask_hidden("Passphrase for the encrypted cases (Enter to skip them): ")
                .ok()
                .and_then(|text| Passphrase::new(text).ok())
        })
    } else {
        None
    };
    let (mut summaries, skipped) = network::read_cases(&files, key.as_ref(), &Progress::default());
    if summaries.is_empty() {
        for skip in &skipped {
            eprintln!("{}: {}", skip.path.display(), skip.reason);
        }
        bail!(
            "None of the {} files could be read; nothing was written.",
            files.len()
        );
    }
    if let Some(salt) = &anonymise {
        summaries = summaries
            .into_iter()
            .map(|summary| summary.anonymised(salt))
            .collect();
    }
    let overview = Overview::of(summaries, skipped);
    network::write(&overview, format, lang, out).map_err(anyhow::Error::msg)?;
    let summary = tf(
        lang,
        "network.summary",
        &[
            ("cases", &counted(lang, "cases", overview.cases)),
            ("providers", &counted(lang, "providers", overview.providers)),
            ("skipped", &overview.skipped.len()),
            (
                "seconds",
                &format!("{:.2}", started.elapsed().as_secs_f64()),
            ),
        ],
    );
    outln!("{summary} → {}", out.display());
    for skip in &overview.skipped {
        outln!("skipped {}: {}", skip.path.display(), skip.reason);
    }
    Ok(ExitCode::SUCCESS)
}
