//! The open case's life: opening (on a worker thread, with its passphrase), installing it,
//! closing it, and the edits set aside when a case closes with changes the disk refused.

use std::path::{Path, PathBuf};

use crate::i18n::tn;
use crate::store::{Passphrase, StoreError};
use crate::ui::PageState;

use super::{Notice, OpenCase, RECENT_LIMIT, Workbench, error_text};

impl Workbench {
    /// Opens `path`, replacing the open case. On failure the current case stays open; an
    /// encrypted case asks for its passphrase first.
    pub fn open(&mut self, path: &Path) {
        self.open_keyed(path, None);
    }

    /// Opens an encrypted case with its passphrase, as the unlock dialog does once one is
    /// typed, but here and now (scripts and measurements).
    pub fn open_with_passphrase(&mut self, path: &Path, key: Passphrase) {
        self.open_keyed(path, Some(&key));
    }

    pub(super) fn open_keyed(&mut self, path: &Path, key: Option<&Passphrase>) {
        let loaded = OpenCase::load(path, key, self.today, self.backups.as_ref());
        self.install(path, loaded);
    }

    /// Opens `path` on a worker thread, so the window draws (with progress) while a big case is
    /// read; the case appears when it is ready.
    pub fn open_in_background(&mut self, path: PathBuf) {
        self.open_keyed_in_background(path, None);
    }

    /// The same with a passphrase: deriving the key alone takes a noticeable moment.
    pub(super) fn open_keyed_in_background(&mut self, path: PathBuf, key: Option<Passphrase>) {
        let today = self.today;
        let backups = self.backups.clone();
        let (send, done) = std::sync::mpsc::channel();
        let worker_path = path.clone();
        let fallback_key = key.clone();
        let spawned = std::thread::Builder::new()
            .name("open-case".to_owned())
            .spawn(move || {
                let loaded = OpenCase::load(&worker_path, key.as_ref(), today, backups.as_ref());
                let _ = send.send(loaded);
            });
        match spawned {
            Ok(_) => self.opening = Some((path, done)),
            // No thread to spare: open it here instead.
            Err(e) => {
                log::warn!("no thread to open {} on: {e}", path.display());
                self.open_keyed(&path, fallback_key.as_ref());
            }
        }
    }

    /// A case file or plan package dropped on the window opens as from *Fil → Åpne*. This is
    /// also how a macOS user opens a file from Finder today: winit does not yet pass Finder's
    /// open-file event to eframe (egui issue #7057), so a double-click only starts the app.
    pub(super) fn open_dropped(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .collect()
        });
        let Some(first) = dropped.first() else {
            return;
        };
        if crate::dialogs::opens_as_case(first) {
            let path = first.clone();
            self.open(&path);
        } else {
            self.notice = Some(Notice::Error(crate::i18n::tf(
                self.settings.lang,
                "notice.drop_not_case",
                &[("file", &first.display().to_string())],
            )));
        }
    }

    /// True while a case is being opened in the background.
    pub fn is_opening(&self) -> bool {
        self.opening.is_some()
    }

    pub(super) fn poll_opening(&mut self, ctx: &egui::Context) {
        let Some((path, done)) = &self.opening else {
            return;
        };
        match done.try_recv() {
            Ok(loaded) => {
                let path = path.clone();
                self.opening = None;
                self.install(&path, loaded);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.opening = None,
        }
    }

    /// Makes a loaded case the open one, or says why it could not be opened.
    pub(super) fn install(&mut self, path: &Path, loaded: Result<OpenCase, StoreError>) {
        match loaded {
            Ok(case) => {
                // Waiting edits follow the case into its copy ("Lagre som"), never into another.
                self.commit_drafts();
                self.notice = None;
                if self.case_id() != Some(case.snapshot.case_id.as_str()) {
                    self.set_aside_unsaved();
                }
                self.close_case();
                self.remember_recent(case.path().to_owned());
                self.case = Some(case);
                self.use_author();
                self.pages = PageState::default();
                self.search = None;
                self.history = None;
            }
            Err(e) => {
                log::warn!("opening {}: {e:?}", path.display());
                if !self.ask_passphrase(&e) {
                    self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
                }
            }
        }
    }

    /// The profile's name goes into the journal with every change; without one, the default
    /// (EVALBENCH_AUTHOR or the computer's user name) stays.
    pub(super) fn use_author(&mut self) {
        let author = self.settings.author.trim();
        if let Some(case) = &mut self.case
            && !author.is_empty()
        {
            case.store.set_author(author);
        }
    }

    pub(super) fn close_case(&mut self) {
        self.commit_drafts();
        self.pages.drafts.clear();
        if let Some(case) = self.case.take()
            && let Err(e) = case.store.close()
        {
            log::warn!("closing case: {e}");
        }
    }

    /// Closes the case cleanly (called when the app exits).
    pub fn shutdown(&mut self) {
        self.wait_for_rewriting();
        self.retry_unsaved();
        self.set_aside_unsaved();
        self.close_case();
    }

    pub(super) fn case_id(&self) -> Option<&str> {
        self.case
            .as_ref()
            .map(|case| case.snapshot.case_id.as_str())
    }

    /// Edits that could not be stored in the case, written as commands (JSON Lines) to a file
    /// beside the backups, so `evalbench apply CASE FILE` can put them in later.
    pub(super) fn set_aside_unsaved(&mut self) {
        if self.unsaved.is_empty() {
            return;
        }
        let commands = std::mem::take(&mut self.unsaved);
        let lang = self.settings.lang;
        let folder = self
            .backups
            .as_ref()
            .map_or_else(std::env::temp_dir, |backups| backups.root().join("unsaved"));
        let name = format!(
            "{}-{}.jsonl",
            self.case_id().unwrap_or("case"),
            jiff::Timestamp::now().as_millisecond()
        );
        let path = folder.join(name);
        let lines: Vec<String> = commands
            .iter()
            .filter_map(|command| serde_json::to_string(command).ok())
            .collect();
        let written = std::fs::create_dir_all(&folder)
            .and_then(|()| crate::files::write_whole(&path, lines.join("\n") + "\n"));
        match written {
            Ok(()) => {
                log::warn!(
                    "{} unsaved edits set aside in {}",
                    commands.len(),
                    path.display()
                );
                self.notice = Some(Notice::Error(tn(
                    lang,
                    "unsaved.set_aside",
                    commands.len(),
                    &[("path", &path.display())],
                )));
            }
            Err(e) => log::error!(
                "{} unsaved edits lost: cannot write {}: {e}",
                commands.len(),
                path.display()
            ),
        }
    }

    pub(super) fn remember_recent(&mut self, path: PathBuf) {
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        self.settings.recent_files.retain(|p| *p != path);
        self.settings.recent_files.insert(0, path);
        self.settings.recent_files.truncate(RECENT_LIMIT);
    }
}
