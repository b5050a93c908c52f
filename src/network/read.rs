//! Reading many case files for the comparison: read-only, in parallel, each file on its own —
//! a file that cannot be read is listed with the reason and the rest go on.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::CaseSummary;
use crate::store::{self, Passphrase};

/// The file extension of case files, looked for in folders.
const CASE_EXTENSION: &str = "evalcase";

/// A file left out of the comparison, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// How far a reading has come; shared with the thread that shows it, which may also cancel.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    pub cancelled: AtomicBool,
}

impl Progress {
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        self.done.load(Ordering::Relaxed) as f32 / total as f32
    }
}

/// The case files among `inputs`: files as given, folders searched (with their subfolders) for
/// `*.evalcase`. Sorted, so a run over the same folder reads in the same order.
pub fn case_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files)?;
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            return Err(format!("«{}» does not exist.", input.display()));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(folder)
        .map_err(|e| format!("Cannot read the folder «{}»: {e}.", folder.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == CASE_EXTENSION) {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads `paths` in parallel, read-only (no lock, nothing written; a case open in a window is
/// read as it is). Encrypted cases are opened with `key`, or skipped without one.
pub fn read_cases(
    paths: &[PathBuf],
    key: Option<&Passphrase>,
    progress: &Progress,
) -> (Vec<CaseSummary>, Vec<Skipped>) {
    progress.total.store(paths.len(), Ordering::Relaxed);
    let results: Vec<Result<CaseSummary, Skipped>> = paths
        .par_iter()
        .map(|path| {
            if progress.cancelled.load(Ordering::Relaxed) {
                return Err(Skipped {
                    path: path.clone(),
                    reason: "not read: cancelled".to_owned(),
                });
            }
            let read = store::survey_case(path, key);
            progress.done.fetch_add(1, Ordering::Relaxed);
            read.map(|snapshot| CaseSummary::of(&snapshot))
                .map_err(|e| Skipped {
                    path: path.clone(),
                    reason: e.to_string(),
                })
        })
        .collect();
    let mut summaries = Vec::new();
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(summary) => summaries.push(summary),
            Err(skip) => skipped.push(skip),
        }
    }
    (summaries, skipped)
}
