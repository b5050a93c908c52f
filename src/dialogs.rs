//! Native file dialogs behind a trait: the app asks "which file?", tests answer without a window.

use std::collections::VecDeque;
use std::path::PathBuf;

/// The questions the app asks the file system's user.
pub trait FileDialogs {
    /// A case file to open, or `None` when the user cancels.
    fn pick_case_to_open(&mut self) -> Option<PathBuf>;
    /// Where to write a new case or a copy; `suggested_name` pre-fills the name field.
    fn pick_case_to_save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// Any file to attach to a document review.
    fn pick_file_to_attach(&mut self) -> Option<PathBuf>;
    /// A file to read of the given kind (e.g. a catalog to import).
    fn pick_file_to_open(&mut self, kind: &str, extensions: &[&str]) -> Option<PathBuf>;
    /// A folder (of cases, for the network view).
    fn pick_folder(&mut self) -> Option<PathBuf>;
    /// Where to write an export of the given kind; the first extension is added when missing.
    fn pick_file_to_save(
        &mut self,
        suggested_name: &str,
        kind: &str,
        extensions: &[&str],
    ) -> Option<PathBuf>;
}

/// The operating system's dialogs, through `rfd`.
pub struct NativeDialogs;

const CASE_EXTENSION: &str = "evalcase";

/// The files the app opens as a case: a case file, or a plan package (opened in provider mode).
pub const OPENS_AS_CASE: [&str; 2] = [CASE_EXTENSION, crate::plan_exchange::package::EXTENSION];

/// True for a path whose extension says the app opens it as a case (any letter case).
pub fn opens_as_case(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            OPENS_AS_CASE
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
}

impl FileDialogs for NativeDialogs {
    fn pick_case_to_open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Evalbench", &OPENS_AS_CASE)
            .pick_file()
    }

    fn pick_case_to_save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Evalbench", &[CASE_EXTENSION])
            .set_file_name(suggested_name)
            .save_file()
            .map(|path| {
                if path.extension().is_some() {
                    path
                } else {
                    path.with_extension(CASE_EXTENSION)
                }
            })
    }

    fn pick_file_to_attach(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new().pick_file()
    }

    fn pick_file_to_open(&mut self, kind: &str, extensions: &[&str]) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(kind, extensions)
            .pick_file()
    }

    fn pick_folder(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new().pick_folder()
    }

    fn pick_file_to_save(
        &mut self,
        suggested_name: &str,
        kind: &str,
        extensions: &[&str],
    ) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(kind, extensions)
            .set_file_name(suggested_name)
            .save_file()
            .map(|path| match (path.extension(), extensions.first()) {
                (None, Some(extension)) => path.with_extension(extension),
                _ => path,
            })
    }
}

/// Answers queued in advance; an empty queue means "cancelled". For tests.
#[derive(Default)]
pub struct ScriptedDialogs {
    pub answers: VecDeque<Option<PathBuf>>,
}

impl FileDialogs for ScriptedDialogs {
    fn pick_case_to_open(&mut self) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_case_to_save(&mut self, _suggested_name: &str) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_file_to_attach(&mut self) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_file_to_open(&mut self, _kind: &str, _extensions: &[&str]) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_folder(&mut self) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_file_to_save(
        &mut self,
        _suggested_name: &str,
        _kind: &str,
        _extensions: &[&str],
    ) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }
}
