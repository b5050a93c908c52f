//! The app: owns the open case, draws the pages, and applies the commands they return after each
//! frame — one command, one transaction, then the snapshot the pages read is refreshed. Pages never
//! see the store.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub mod actions;
mod catalog_editor;
mod catalogs;
mod clock;
mod export;
mod network;
mod new_case;
mod passphrase;
mod plan_exchange;
mod search;
mod shell;

pub use new_case::create_case;
pub use shell::{EvalbenchApp, Start, run};

use actions::UiAction;
pub use clock::Clock;
use new_case::NewCaseForm;
use search::SearchPanel;

use crate::attachments;
use crate::backups::Backups;
use crate::catalog::Catalog;
use crate::catalog_library::CatalogLibrary;
use crate::command::Command;
use crate::dialogs::FileDialogs;
use crate::domain::AttachmentRef;
use crate::domain::CaseSnapshot;
use crate::i18n::{Lang, t, tf, tn};
use crate::privacy::{self, CaseHit};
use crate::store::{CaseStore, Direction, JournalEntry, Parts, Passphrase, StoreError};
use crate::ui::{self, Page, PageContext, PageState, Request};

/// What is remembered between runs (through eframe's storage). `default` keeps an older or
/// damaged saved state from ever blocking start-up.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub page: Page,
    pub recent_files: Vec<PathBuf>,
}

const RECENT_LIMIT: usize = 8;
/// How often edits the file could not take are tried again by themselves.
const UNSAVED_RETRY_SECONDS: f64 = 15.0;
const SETTINGS_KEY: &str = "evalbench.settings";

/// An open case and the read model the pages draw from.
pub struct OpenCase {
    store: CaseStore,
    snapshot: CaseSnapshot,
    /// Identity numbers, e-mail addresses and phone numbers in the case's text; found once per
    /// change, not per frame.
    privacy_hits: Vec<CaseHit>,
    /// Scan results by text, so only changed text is scanned again.
    privacy_cache: privacy::ScanCache,
    /// The actions' status record, for follow-up; read with the snapshot.
    status_changes: Vec<crate::domain::StatusChange>,
    /// Warnings and coverage, computed with the snapshot.
    derived: ui::Derived,
}

impl OpenCase {
    /// Opens the case and builds everything the first frame needs; takes the day's backup copy.
    fn load(
        path: &Path,
        key: Option<&Passphrase>,
        today: jiff::civil::Date,
        backups: Option<&Backups>,
    ) -> Result<OpenCase, StoreError> {
        let store = CaseStore::open_keyed(path, key)?;
        let snapshot = store.snapshot()?;
        let mut privacy_cache = privacy::ScanCache::default();
        let privacy_hits = privacy_cache.scan_case(&snapshot);
        let status_changes = store.status_changes()?;
        let derived = ui::Derived::of(&snapshot, today);
        if let Some(backups) = backups
            && let Err(e) = backups.daily(&store, &snapshot.case_id, jiff::Zoned::now().date())
        {
            // A missing copy must not keep the evaluator from working; it is logged.
            log::warn!("daily backup of {}: {e}", path.display());
        }
        Ok(OpenCase {
            store,
            snapshot,
            privacy_hits,
            privacy_cache,
            status_changes,
            derived,
        })
    }

    pub fn snapshot(&self) -> &CaseSnapshot {
        &self.snapshot
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }
}

/// A message shown in the status bar until dismissed or replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// The whole UI state, independent of eframe so tests can drive it with egui_kittest.
pub struct Workbench {
    case: Option<OpenCase>,
    pub settings: Settings,
    notice: Option<Notice>,
    pending: Vec<Command>,
    dialogs: Box<dyn FileDialogs>,
    new_case: Option<NewCaseForm>,
    /// Where "today" comes from, and the day it last said: read at the start of every frame,
    /// so what depends on it (overdue marks, date checks) follows midnight.
    clock: Clock,
    today: jiff::civil::Date,
    pages: PageState,
    search: Option<SearchPanel>,
    /// Where the daily copy of each opened case goes; `None` keeps tests out of the user's folder.
    backups: Option<Backups>,
    /// The history window: an entity's name and its journal rows.
    history: Option<(String, Vec<JournalEntry>)>,
    /// Shipped and imported catalogs, read when first needed and after an import.
    catalogs: CatalogLibrary,
    catalog_list: Option<Vec<Catalog>>,
    /// "Oppdater katalog": a newer version and what it would change, until accepted or rejected.
    catalog_update: Option<catalogs::CatalogUpdate>,
    /// "Ny katalog": a catalog being written.
    catalog_editor: Option<catalog_editor::CatalogEditor>,
    /// A plan workbook read back: its problems or its changes, until accepted or closed.
    plan_review: Option<plan_exchange::PlanReview>,
    /// A report or JSON export being written on its worker thread.
    export_job: Option<export::ExportJob>,
    /// An export held back by the privacy scan, until masked or cancelled.
    export_stop: Option<export::PrivacyStop>,
    /// Unlocking an encrypted case, or choosing a passphrase for the open one.
    passphrase: Option<passphrase::PassphraseDialog>,
    /// The open case being encrypted or given a new passphrase; it is back when done.
    rewriting: Option<passphrase::Rewriting>,
    /// Edits the file could not take (full disk, read-only location), in order, kept until a
    /// retry stores them; later edits queue behind them.
    unsaved: Vec<Command>,
    /// When the app last tried to store `unsaved` (seconds of egui time).
    unsaved_tried_at: f64,
    /// The Nettverk page: many cases compared.
    network: network::NetworkView,
    /// A case being opened on a worker thread (its path, and where the result arrives).
    opening: Option<(
        PathBuf,
        std::sync::mpsc::Receiver<Result<OpenCase, StoreError>>,
    )>,
}

impl Workbench {
    pub fn new(settings: Settings, dialogs: Box<dyn FileDialogs>) -> Workbench {
        Workbench {
            case: None,
            settings,
            notice: None,
            pending: Vec::new(),
            dialogs,
            new_case: None,
            clock: Clock::system(),
            today: jiff::Zoned::now().date(),
            pages: PageState::default(),
            search: None,
            backups: None,
            history: None,
            catalogs: CatalogLibrary::default(),
            catalog_list: None,
            catalog_update: None,
            catalog_editor: None,
            plan_review: None,
            export_job: None,
            export_stop: None,
            passphrase: None,
            rewriting: None,
            unsaved: Vec::new(),
            unsaved_tried_at: 0.0,
            network: network::NetworkView::default(),
            opening: None,
        }
    }

    /// Reads catalogs from (and imports them into) `library` instead of the user's folder.
    #[must_use]
    pub fn with_catalogs(mut self, library: CatalogLibrary) -> Workbench {
        self.catalogs = library;
        self.catalog_list = None;
        self
    }

    /// Every catalog in the library, newest version of each id last.
    pub(super) fn catalog_list(&mut self) -> &[Catalog] {
        self.catalog_list
            .get_or_insert_with(|| self.catalogs.all().into_iter().map(|(c, _)| c).collect())
    }

    /// (id, "title (version)") of each requirement catalog's newest version.
    pub(super) fn requirement_catalogs(&mut self) -> Vec<(String, String)> {
        let mut newest: Vec<&Catalog> = Vec::new();
        for catalog in self
            .catalog_list()
            .iter()
            .filter(|c| !c.is_fidelity_scale())
        {
            match newest.iter_mut().find(|c| c.id == catalog.id) {
                Some(known) if known.version < catalog.version => *known = catalog,
                Some(_) => {}
                None => newest.push(catalog),
            }
        }
        newest
            .into_iter()
            .map(|c| (c.id.clone(), format!("{} ({})", c.title, c.version)))
            .collect()
    }

    /// Pins "today" (for overdue marks), so tests do not depend on the clock.
    #[must_use]
    pub fn with_today(self, today: jiff::civil::Date) -> Workbench {
        self.with_clock(Clock::fixed(today))
    }

    /// Takes "today" from `clock` (read each frame).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Workbench {
        self.clock = clock;
        self.follow_the_clock();
        self
    }

    /// Reads the clock; when the day has changed, recomputes what depends on it.
    fn follow_the_clock(&mut self) {
        let today = self.clock.today();
        if today == self.today {
            return;
        }
        self.today = today;
        if let Some(case) = self.case.as_mut() {
            case.derived = ui::Derived::of(&case.snapshot, today);
        }
    }

    /// Takes a backup copy of each case on its first opening each day.
    #[must_use]
    pub fn with_backups(mut self, backups: Backups) -> Workbench {
        self.backups = Some(backups);
        self
    }

    pub fn case(&self) -> Option<&OpenCase> {
        self.case.as_ref()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Opens `path`, replacing the open case. On failure the current case stays open; an
    /// encrypted case asks for its passphrase first.
    pub fn open(&mut self, path: &Path) {
        self.open_keyed(path, None);
    }

    fn open_keyed(&mut self, path: &Path, key: Option<&Passphrase>) {
        let loaded = OpenCase::load(path, key, self.today, self.backups.as_ref());
        self.install(path, loaded);
    }

    /// Opens `path` on a worker thread, so the window draws (with progress) while a big case is
    /// read; the case appears when it is ready.
    pub fn open_in_background(&mut self, path: PathBuf) {
        self.open_keyed_in_background(path, None);
    }

    /// The same with a passphrase: deriving the key alone takes a noticeable moment.
    fn open_keyed_in_background(&mut self, path: PathBuf, key: Option<Passphrase>) {
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

    /// True while a case is being opened in the background.
    pub fn is_opening(&self) -> bool {
        self.opening.is_some()
    }

    fn poll_opening(&mut self, ctx: &egui::Context) {
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
    fn install(&mut self, path: &Path, loaded: Result<OpenCase, StoreError>) {
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

    fn close_case(&mut self) {
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

    fn case_id(&self) -> Option<&str> {
        self.case
            .as_ref()
            .map(|case| case.snapshot.case_id.as_str())
    }

    /// Edits that could not be stored in the case, written as commands (JSON Lines) to a file
    /// beside the backups, so `evalbench apply CASE FILE` can put them in later.
    fn set_aside_unsaved(&mut self) {
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

    fn remember_recent(&mut self, path: PathBuf) {
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        self.settings.recent_files.retain(|p| *p != path);
        self.settings.recent_files.insert(0, path);
        self.settings.recent_files.truncate(RECENT_LIMIT);
    }

    /// Queues a command; it is applied after the current frame.
    pub fn submit(&mut self, command: Command) {
        self.pending.push(command);
    }

    /// Applies queued commands in order, each durable before the next; stops at the first refusal.
    /// When the file cannot be written, that command and the ones after it are kept (`unsaved`)
    /// for a retry instead of being dropped.
    pub fn apply_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let commands = std::mem::take(&mut self.pending);
        if !self.unsaved.is_empty() {
            // Order matters: nothing may overtake an edit that is still waiting.
            self.unsaved.extend(commands);
            return;
        }
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let mut changed = Parts::default();
        for (index, command) in commands.iter().enumerate() {
            match case.store.apply(command) {
                Ok(applied) => {
                    changed = changed.and(applied.parts);
                    if let Some(id) = applied.created_id {
                        self.pages.created(command, id);
                    }
                }
                Err(e) => {
                    log::warn!("applying {}: {e:?}", command.op());
                    self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
                    if matches!(e, StoreError::NotWritten { .. }) {
                        self.unsaved = commands[index..].to_vec();
                    }
                    break;
                }
            }
        }
        self.refresh_parts(changed);
    }

    /// Edits kept because the file could not take them.
    pub fn unsaved(&self) -> &[Command] {
        &self.unsaved
    }

    /// Tries again to store the edits the file could not take.
    pub fn retry_unsaved(&mut self) {
        if self.unsaved.is_empty() {
            return;
        }
        let mut commands = std::mem::take(&mut self.unsaved);
        commands.append(&mut self.pending);
        self.pending = commands;
        self.apply_pending();
        if self.unsaved.is_empty() {
            self.notice = Some(Notice::Info(
                t(self.settings.lang, "unsaved.stored").to_owned(),
            ));
        }
    }

    /// Re-reads the snapshot after the case changed.
    fn refresh(&mut self) {
        self.refresh_parts(Parts::ALL);
    }

    /// Re-reads the parts of the snapshot that commands changed (a big case's notes are not read
    /// again for a change of the plan), then what is derived from it.
    fn refresh_parts(&mut self, parts: Parts) {
        let Some(case) = self.case.as_mut() else {
            return;
        };
        if parts == Parts::default() {
            return;
        }
        let read = case
            .store
            .refresh(&mut case.snapshot, parts)
            .and_then(|()| {
                if parts.actions {
                    case.status_changes = case.store.status_changes()?;
                }
                Ok(())
            });
        match read {
            Ok(()) => {
                case.privacy_hits = case.privacy_cache.scan_case(&case.snapshot);
                case.derived = ui::Derived::of(&case.snapshot, self.today);
            }
            Err(e) => self.notice = Some(Notice::Error(error_text(self.settings.lang, &e))),
        }
        if let Some(search) = self.search.as_mut() {
            search.stale = true;
        }
    }

    /// Commits every field being typed in, now (before undo, a jump, closing).
    pub fn commit_drafts(&mut self) {
        let drafts = self.pages.drafts.take_all();
        self.pending.extend(drafts);
        self.apply_pending();
    }

    /// True while typed text is not yet stored.
    pub fn has_drafts(&self) -> bool {
        !self.pages.drafts.is_empty()
    }

    /// Undoes (or redoes) the latest edit; says what in the status bar.
    pub fn step(&mut self, direction: Direction) {
        self.commit_drafts();
        let lang = self.settings.lang;
        if !self.unsaved.is_empty() {
            // Undo would take back an older edit while newer ones still wait to be stored.
            self.notice = Some(Notice::Error(t(lang, "unsaved.no_undo").to_owned()));
            return;
        }
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let result = match direction {
            Direction::Undo => case.store.undo(),
            Direction::Redo => case.store.redo(),
        };
        self.notice = match result {
            Ok(Some(step)) => {
                let key = match direction {
                    Direction::Undo => "status.undone",
                    Direction::Redo => "status.redone",
                };
                Some(Notice::Info(tf(
                    lang,
                    key,
                    &[
                        ("what", &op_text(lang, &step.op)),
                        ("redo", &UiAction::Redo.shortcut_text_here()),
                    ],
                )))
            }
            Ok(None) => Some(Notice::Info(
                t(
                    lang,
                    match direction {
                        Direction::Undo => "status.nothing_to_undo",
                        Direction::Redo => "status.nothing_to_redo",
                    },
                )
                .to_owned(),
            )),
            Err(e) => Some(Notice::Error(error_text(lang, &e))),
        };
        self.refresh();
    }

    /// The window title: the provider and the file.
    pub fn title(&self) -> String {
        let lang = self.settings.lang;
        match &self.case {
            Some(case) => format!(
                "{} — {} — {} — Evalbench",
                case.snapshot.facts.provider_name,
                case.path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                t(
                    lang,
                    if self.pages.drafts.is_empty() {
                        "title.saved"
                    } else {
                        "title.unsaved"
                    }
                )
            ),
            None => format!("{} — Evalbench", t(lang, "app.no_case")),
        }
    }

    /// Draws one frame, then applies what the pages asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.follow_the_clock();
        self.poll_opening(ui.ctx());
        self.poll_rewriting(ui.ctx());
        self.shortcuts(ui);
        let lang = self.settings.lang;

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));

        let has_case = self.case.is_some();
        let provider_mode = self
            .case
            .as_ref()
            .is_some_and(|case| case.snapshot.provider_package.is_some());
        if has_case || self.settings.page == Page::Network {
            egui::Panel::left("navigation")
                .resizable(false)
                .show(ui, |ui| {
                    ui::navigation_ui(ui, lang, &mut self.settings.page, has_case, provider_mode);
                });
        }
        if self.search.is_some() && self.case.is_some() {
            egui::Panel::right("search")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| self.search_ui(ui));
        }

        let mut commands = Vec::new();
        if matches!(self.settings.page, Page::Fidelity | Page::Requirements) {
            self.catalog_list();
        }
        if self.settings.page == Page::Network {
            egui::CentralPanel::default().show(ui, |ui| self.network_ui(ui));
        } else {
            self.case_page_ui(ui, &mut commands);
        }
        // Typed text goes first: a command from this frame may build on it (an excerpt of new notes).
        let now = ui.input(|i| i.time);
        if commands.is_empty() {
            self.pending.extend(self.pages.drafts.take_due(now));
        } else {
            self.pending.extend(self.pages.drafts.take_all());
        }
        self.pending.extend(commands);
        for request in std::mem::take(&mut self.pages.requests) {
            self.handle(request);
        }
        if let Some(page) = self.pages.goto.take() {
            self.settings.page = page;
        }
        self.new_case_ui(ui.ctx());
        self.history_ui(ui.ctx());
        self.catalog_update_ui(ui.ctx());
        self.catalog_editor_ui(ui.ctx());
        self.plan_review_ui(ui.ctx());
        self.privacy_stop_ui(ui.ctx());
        self.passphrase_ui(ui.ctx());
        self.apply_pending();
        if let Some(midnight) = self.clock.until_next_day() {
            ui.ctx().request_repaint_after(midnight);
        }
        if let Some(due) = self.pages.drafts.next_due_in(now) {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(due + 0.05));
        }
    }

    /// The open case's page in the central panel (or the hint to open one).
    fn case_page_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let lang = self.settings.lang;
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(case) = &self.case {
                let context = PageContext {
                    snapshot: &case.snapshot,
                    privacy_hits: &case.privacy_hits,
                    lang,
                    today: self.today,
                    catalogs: self.catalog_list.as_deref().unwrap_or_default(),
                    status_changes: &case.status_changes,
                    derived: &case.derived,
                };
                ui::page_ui(ui, self.settings.page, &context, &mut self.pages, commands);
            } else if let Some((name, rekey)) = self.rewriting() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    let key = if rekey {
                        "passphrase.rekeying"
                    } else {
                        "passphrase.encrypting"
                    };
                    ui.heading(tf(lang, key, &[("name", &name)]));
                });
                ui.label(t(lang, "passphrase.rewriting_hint"));
            } else if let Some((path, _)) = &self.opening {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.heading(tf(
                        lang,
                        "app.opening",
                        &[(
                            "name",
                            &path.file_name().unwrap_or_default().to_string_lossy(),
                        )],
                    ));
                });
            } else {
                ui.heading(t(lang, "app.no_case"));
                ui.label(tf(
                    lang,
                    "app.no_case_hint",
                    &[
                        ("open", &UiAction::Open.shortcut_text(ui.ctx())),
                        ("new", &UiAction::NewCase.shortcut_text(ui.ctx())),
                    ],
                ));
            }
        });
    }

    /// The keyboard: every action of the table whose shortcut was pressed (see `actions`).
    fn shortcuts(&mut self, ui: &egui::Ui) {
        let mut stepped = false;
        for action in UiAction::all() {
            if action.needs_case() && self.case.is_none() {
                continue;
            }
            // One undo or redo a frame, as a menu click would do.
            if stepped && matches!(action, UiAction::Undo | UiAction::Redo) {
                continue;
            }
            let shortcuts = action.shortcuts();
            if ui.input_mut(|i| shortcuts.iter().any(|s| i.consume_shortcut(s))) {
                stepped |= matches!(action, UiAction::Undo | UiAction::Redo);
                self.run_action(action);
            }
        }
    }

    fn run_action(&mut self, action: UiAction) {
        match action {
            UiAction::NewCase => self.new_case = Some(NewCaseForm::default()),
            UiAction::Open => self.open_with_dialog(),
            UiAction::Redo => self.step(Direction::Redo),
            UiAction::Undo => self.step(Direction::Undo),
            UiAction::Search => self.open_search(),
            UiAction::GoTo(page) => self.settings.page = page,
        }
    }

    /// Does what a page asked for outside the case: a file dialog, the OS viewer.
    fn handle(&mut self, request: Request) {
        let lang = self.settings.lang;
        match request {
            Request::AttachFile(document_review_id) => {
                let Some(path) = self.dialogs.pick_file_to_attach() else {
                    return;
                };
                match self.read_attachment(&path) {
                    Ok(attachment) => self.pending.push(Command::AttachFile {
                        document_review_id,
                        attachment,
                    }),
                    Err(message) => self.notice = Some(Notice::Error(message)),
                }
            }
            Request::ReviewCatalogUpdate => self.review_catalog_update(),
            Request::ExportPlan => self.export_plan_with_dialog(false),
            Request::ImportPlan => self.import_plan_with_dialog(),
            Request::ExportStatusReport => self.start_export(
                export::ExportKind::StatusReport(crate::export::Format::Pdf),
                false,
            ),
            Request::ExportGuide(role) => {
                let Some(case) = &self.case else { return };
                let snapshot = &case.snapshot;
                let suggested = format!(
                    "{} – {}.docx",
                    t(lang, "guide.toggle"),
                    crate::i18n::Labelled::label(&role, lang)
                );
                let Some(path) = self.dialogs.pick_file_to_save(
                    &suggested,
                    t(lang, "guide.export_kind"),
                    &["docx", "md"],
                ) else {
                    return;
                };
                let title = snapshot
                    .catalog
                    .as_ref()
                    .map(|c| format!("{} ({})", c.title, c.version))
                    .unwrap_or_default();
                let guide = crate::guide::for_case(snapshot, role);
                let format = crate::guide::GuideFormat::for_path(&path);
                let written = crate::guide::render(&guide, &title, lang, format)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| {
                        crate::files::write_whole(&path, bytes)
                            .map_err(|e| crate::i18n::io_text(lang, &e))
                    });
                self.notice = Some(match written {
                    Ok(()) => {
                        Notice::Info(tf(lang, "guide.exported", &[("path", &path.display())]))
                    }
                    Err(e) => Notice::Error(tf(
                        lang,
                        "error.write_file",
                        &[("path", &path.display()), ("reason", &e)],
                    )),
                });
            }
            Request::History { target, title } => {
                let Some(case) = &self.case else { return };
                match case.store.journal_for(&target) {
                    Ok(entries) => self.history = Some((title, entries)),
                    Err(e) => self.notice = Some(Notice::Error(error_text(lang, &e))),
                }
            }
            Request::OpenAttachment(attachment) => {
                let Some(case) = &self.case else { return };
                let result = case
                    .store
                    .attachment_content(&attachment.sha256)
                    .map_err(|e| error_text(lang, &e))
                    .and_then(|content| {
                        attachments::open_copy(&attachment, &content).map_err(|e| {
                            tf(
                                lang,
                                "documents.open_failed",
                                &[("name", &attachment.file_name), ("reason", &e)],
                            )
                        })
                    });
                if let Err(message) = result {
                    self.notice = Some(Notice::Error(message));
                }
            }
        }
    }

    /// Who changed an entity and when, newest first, from the journal.
    fn history_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some((title, entries)) = &self.history else {
            return;
        };
        let mut open = true;
        egui::Window::new(tf(lang, "history.title", &[("what", title)]))
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(520.0)
            .show(ctx, |ui| {
                if entries.is_empty() {
                    ui.weak(t(lang, "history.none"));
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        egui::Grid::new("history_grid")
                            .num_columns(3)
                            .striped(true)
                            .spacing([16.0, 4.0])
                            .show(ui, |ui| {
                                for entry in entries.iter().rev() {
                                    let at =
                                        entry.applied_at.parse::<jiff::Timestamp>().map_or_else(
                                            |_| entry.applied_at.clone(),
                                            |at| {
                                                at.to_zoned(jiff::tz::TimeZone::system())
                                                    .strftime("%d.%m.%Y %H:%M")
                                                    .to_string()
                                            },
                                        );
                                    ui.label(at);
                                    ui.label(&entry.author);
                                    let what = op_text(lang, &entry.op());
                                    let label = ui.label(match entry.kind.as_str() {
                                        "undo" => tf(lang, "history.undone", &[("what", &what)]),
                                        "redo" => tf(lang, "history.redone", &[("what", &what)]),
                                        _ => what,
                                    });
                                    // What changed, before → after (rows before schema 7 have
                                    // none).
                                    if !entry.summary.is_empty() {
                                        label.on_hover_text(&entry.summary);
                                    }
                                    ui.end_row();
                                    if !entry.summary.is_empty() {
                                        ui.label("");
                                        ui.label("");
                                        ui.add(
                                            egui::Label::new(
                                                egui::RichText::new(&entry.summary).small().weak(),
                                            )
                                            .truncate(),
                                        );
                                        ui.end_row();
                                    }
                                }
                            });
                    });
            });
        if !open {
            self.history = None;
        }
    }

    /// Reads a file the user picked and stores its content in the case.
    fn read_attachment(&mut self, path: &Path) -> Result<AttachmentRef, String> {
        let lang = self.settings.lang;
        let Some(case) = self.case.as_mut() else {
            return Err(t(lang, "app.no_case").to_owned());
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let content = attachments::read_limited(path).map_err(|e| {
            tf(
                lang,
                "documents.read_failed",
                &[("path", &path.display()), ("reason", &e)],
            )
        })?;
        case.store
            .put_attachment(&name, &content)
            .map_err(|e| error_text(lang, &e))
    }

    fn open_with_dialog(&mut self) {
        if let Some(path) = self.dialogs.pick_case_to_open() {
            self.open(&path);
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t(lang, "menu.file"), |ui| {
                // Named as before, without the shortcut: it would become part of the
                // buttons' accessible names, which tests and screen readers use.
                for action in [UiAction::NewCase, UiAction::Open] {
                    if ui.button(action.label(lang)).clicked() {
                        self.run_action(action);
                    }
                }
                if ui.button(t(lang, "menu.network")).clicked() {
                    self.settings.page = Page::Network;
                }
                let recent = self.settings.recent_files.clone();
                ui.add_enabled_ui(!recent.is_empty(), |ui| {
                    ui.menu_button(t(lang, "menu.recent"), |ui| {
                        for path in recent {
                            if ui.button(path.display().to_string()).clicked() {
                                self.open(&path);
                            }
                        }
                    });
                });
                if ui
                    .add_enabled(
                        self.case.is_some(),
                        egui::Button::new(t(lang, "menu.save_as")),
                    )
                    .clicked()
                {
                    self.save_as();
                }
                let encrypted = self.case.as_ref().map(|case| case.store.is_encrypted());
                let (label, rekey) = if encrypted == Some(true) {
                    ("menu.change_passphrase", true)
                } else {
                    ("menu.encrypt_case", false)
                };
                if ui
                    .add_enabled(encrypted.is_some(), egui::Button::new(t(lang, label)))
                    .clicked()
                {
                    self.passphrase = Some(passphrase::PassphraseDialog::choose(rekey));
                }
                ui.separator();
                if ui.button(t(lang, "menu.quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(t(lang, "menu.edit"), |ui| {
                let (undo, redo) = self.case.as_ref().map_or((None, None), |case| {
                    (
                        case.store.next_step(Direction::Undo).map(|s| s.op.clone()),
                        case.store.next_step(Direction::Redo).map(|s| s.op.clone()),
                    )
                });
                let undo_text = undo.as_ref().map_or_else(
                    || t(lang, "menu.undo").to_owned(),
                    |op| tf(lang, "menu.undo_op", &[("what", &op_text(lang, op))]),
                );
                let button = egui::Button::new(undo_text)
                    .shortcut_text(UiAction::Undo.shortcut_text(ui.ctx()));
                if ui.add_enabled(undo.is_some(), button).clicked() {
                    self.step(Direction::Undo);
                }
                let redo_text = redo.as_ref().map_or_else(
                    || t(lang, "menu.redo").to_owned(),
                    |op| tf(lang, "menu.redo_op", &[("what", &op_text(lang, op))]),
                );
                let button = egui::Button::new(redo_text)
                    .shortcut_text(UiAction::Redo.shortcut_text(ui.ctx()));
                if ui.add_enabled(redo.is_some(), button).clicked() {
                    self.step(Direction::Redo);
                }
                ui.separator();
                let button = egui::Button::new(UiAction::Search.label(lang))
                    .shortcut_text(UiAction::Search.shortcut_text(ui.ctx()));
                if ui.add_enabled(self.case.is_some(), button).clicked() {
                    self.open_search();
                }
            });
            ui.menu_button(t(lang, "menu.export"), |ui| self.export_menu_ui(ui, lang));
            ui.menu_button(t(lang, "menu.catalogs"), |ui| {
                if ui.button(t(lang, "menu.import_catalog")).clicked() {
                    self.import_catalog_with_dialog();
                }
                if ui.button(t(lang, "menu.new_catalog")).clicked() {
                    self.catalog_editor = Some(catalog_editor::CatalogEditor::blank());
                }
                if ui
                    .add_enabled(
                        self.case.is_some(),
                        egui::Button::new(t(lang, "menu.update_catalog")),
                    )
                    .clicked()
                {
                    self.review_catalog_update();
                }
            });
            ui.menu_button(t(lang, "menu.view"), |ui| {
                for option in Lang::ALL {
                    ui.radio_value(&mut self.settings.lang, option, option.native_name());
                }
            });
        });
    }

    /// Writes a copy of the case under a new name and continues in the copy.
    fn save_as(&mut self) {
        let Some(case) = &self.case else { return };
        let suggested = format!("{}.evalcase", case.snapshot.facts.provider_name);
        let Some(target) = self.dialogs.pick_case_to_save(&suggested) else {
            return;
        };
        match case.store.save_copy(&target) {
            Ok(()) => self.open(&target),
            Err(e) => self.notice = Some(Notice::Error(error_text(self.settings.lang, &e))),
        }
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        self.export_progress_ui(ui);
        ui.horizontal(|ui| {
            // With a case open the page stays in view; the other case's opening shows here.
            if let Some((path, _)) = &self.opening
                && self.case.is_some()
            {
                ui.spinner();
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                ui.label(tf(lang, "app.opening", &[("name", &name)]));
                ui.separator();
            }
            if self
                .case
                .as_ref()
                .is_some_and(|case| case.store.is_encrypted())
            {
                let badge = egui::RichText::new(t(lang, "status.encrypted"))
                    .strong()
                    .color(ui.visuals().selection.stroke.color);
                ui.label(badge)
                    .on_hover_text(t(lang, "status.encrypted_hint"));
                ui.separator();
            }
            match &self.notice {
                Some(Notice::Error(message)) => {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                Some(Notice::Info(message)) => {
                    ui.label(message);
                }
                None => {
                    if let Some(case) = &self.case {
                        let key = if self.pages.drafts.is_empty() {
                            "status.saved"
                        } else {
                            "status.typing"
                        };
                        ui.label(tf(lang, key, &[("path", &case.path().display())]));
                    }
                }
            }
            if !self.unsaved.is_empty() {
                let now = ui.input(|i| i.time);
                let retry = ui
                    .button(tn(lang, "unsaved.retry", self.unsaved.len(), &[]))
                    .on_hover_text(t(lang, "unsaved.retry_hint"))
                    .clicked();
                // Space may come back (files deleted, a disk remounted): try again now and then.
                if retry || now - self.unsaved_tried_at > UNSAVED_RETRY_SECONDS {
                    self.unsaved_tried_at = now;
                    self.retry_unsaved();
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs_f64(
                        UNSAVED_RETRY_SECONDS,
                    ));
            } else if self.notice.is_some() && ui.small_button(t(lang, "status.dismiss")).clicked()
            {
                self.notice = None;
            }
        });
    }
}

/// A store error as the user reads it, in the UI language; the log keeps the full chain.
pub fn error_text(lang: Lang, error: &StoreError) -> String {
    match error {
        StoreError::Missing { path } => tf(lang, "error.missing", &[("path", &path.display())]),
        StoreError::NotACase { path, .. } => {
            tf(lang, "error.not_a_case", &[("path", &path.display())])
        }
        StoreError::Damaged { path, .. } => tf(lang, "error.damaged", &[("path", &path.display())]),
        StoreError::TooNew {
            path,
            found,
            supported,
        } => tf(
            lang,
            "error.too_new",
            &[
                ("path", &path.display()),
                ("found", found),
                ("supported", supported),
            ],
        ),
        StoreError::InUse { path } => tf(lang, "error.in_use", &[("path", &path.display())]),
        StoreError::AlreadyExists { path } => {
            tf(lang, "error.already_exists", &[("path", &path.display())])
        }
        StoreError::Rejected(rejection) => tf(
            lang,
            "error.rejected",
            &[("reason", &crate::i18n::rejection_text(lang, rejection))],
        ),
        StoreError::ForeignSchema { path, differences } => {
            const SHOWN: usize = 3;
            let mut what: Vec<String> = differences
                .iter()
                .take(SHOWN)
                .map(|d| {
                    tf(
                        lang,
                        &format!("schema_change.{}", d.change.code()),
                        &[
                            ("kind", &t(lang, &format!("sql_kind.{}", d.kind))),
                            ("name", &d.name),
                        ],
                    )
                })
                .collect();
            if differences.len() > SHOWN {
                what.push(tf(
                    lang,
                    "schema_change.more",
                    &[("n", &(differences.len() - SHOWN))],
                ));
            }
            tf(
                lang,
                "error.foreign_schema",
                &[("path", &path.display()), ("what", &what.join(", "))],
            )
        }
        StoreError::NotAPackage { path } => {
            tf(lang, "error.not_a_package", &[("path", &path.display())])
        }
        StoreError::Io { path, .. } | StoreError::Sqlite { path, .. } => {
            let why = error
                .file_problem()
                .map(|problem| t(lang, &format!("file_problem.{}", problem.code())).to_owned())
                .unwrap_or_default();
            tf(
                lang,
                "error.file",
                &[("path", &path.display()), ("why", &why)],
            )
        }
        StoreError::NotWritten { path, why } => tf(
            lang,
            "error.not_written",
            &[
                ("path", &path.display()),
                ("why", &t(lang, &format!("error.not_written.{why:?}"))),
            ],
        ),
        StoreError::Encrypted { path } => tf(lang, "error.encrypted", &[("path", &path.display())]),
        StoreError::WrongPassphrase { path } => {
            tf(lang, "error.wrong_passphrase", &[("path", &path.display())])
        }
        other @ StoreError::Migration { .. } => tf(lang, "error.other", &[("detail", other)]),
    }
}

/// A command's name for "Angre: …", e.g. `add_interview` → "nytt intervju".
pub fn op_text(lang: Lang, op: &str) -> String {
    t(lang, &format!("op.{op}")).to_owned()
}
