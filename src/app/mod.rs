//! The app: owns the open case, draws the pages, and applies the commands they return after each
//! frame — one command, one transaction, then the snapshot the pages read is refreshed. Pages never
//! see the store. Split by role: `session` (opening and closing a case), `commands` (applying,
//! undo/redo, refresh), `menus` and `actions` (the menu bar and the keyboard from one table),
//! `status` (the status bar and the words for errors), `history`, and one file per dialog.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub mod actions;
mod catalog_editor;
mod catalogs;
mod clock;
mod commands;
mod export;
mod fidelity;
mod history;
mod menus;
mod merge;
mod network;
mod new_case;
mod passphrase;
mod plan_exchange;
mod privacy_watch;
mod search;
mod session;
mod shell;
mod status;

pub use new_case::create_case;
pub use shell::{EvalbenchApp, Start, run};
pub use status::{error_text, op_text};

use actions::UiAction;
pub use clock::Clock;
use new_case::NewCaseForm;
use privacy_watch::PrivacyWatch;
use search::SearchPanel;

use crate::attachments;
use crate::backups::Backups;
use crate::catalog::Catalog;
use crate::catalog_library::CatalogLibrary;
use crate::command::Command;
use crate::dialogs::FileDialogs;
use crate::domain::AttachmentRef;
use crate::domain::CaseSnapshot;
use crate::i18n::{Lang, t, tf};
use crate::privacy;
use crate::store::{CaseStore, JournalEntry, Passphrase, StoreError};
use crate::ui::{self, Page, PageContext, PageState, Request};

/// What is remembered between runs (through eframe's storage). `default` keeps an older or
/// damaged saved state from ever blocking start-up.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub page: Page,
    pub recent_files: Vec<PathBuf>,
    /// Who I am: the name the journal records with my changes (empty: the computer's user name,
    /// or EVALBENCH_AUTHOR).
    pub author: String,
}

impl Settings {
    /// The settings of the very first start: the language of the computer's locale where we
    /// speak it, else Bokmål.
    pub fn first_start() -> Settings {
        Settings {
            lang: Lang::for_first_start(),
            ..Settings::default()
        }
    }
}

const RECENT_LIMIT: usize = 8;
/// How often edits the file could not take are tried again by themselves.
const UNSAVED_RETRY_SECONDS: f64 = 15.0;
const SETTINGS_KEY: &str = "evalbench.settings";

/// An open case and the read model the pages draw from.
pub struct OpenCase {
    store: CaseStore,
    /// Shared with the worker threads that read it (the first privacy scan, an export); an
    /// edit while one still reads changes a copy.
    snapshot: Arc<CaseSnapshot>,
    /// Identity numbers, e-mail addresses and phone numbers in the case's text; found once per
    /// change, not per frame, the first time on a worker thread.
    privacy: PrivacyWatch,
    /// The actions' status record, for follow-up; read with the snapshot.
    status_changes: Vec<crate::domain::StatusChange>,
    /// Warnings and coverage, computed with the snapshot.
    derived: ui::Derived,
    /// The day `derived` was computed for: a case opened on a worker thread just before
    /// midnight is brought to the new day when it arrives.
    derived_on: jiff::civil::Date,
    /// The fidelity review as stored. `snapshot.fidelity` holds what `fidelity_viewer` may see
    /// of it: while the review is blind, only that evaluator's own scores, so no page, export or
    /// count can show the other's.
    fidelity_stored: Option<crate::domain::FidelityReview>,
    fidelity_viewer: Option<crate::domain::Rater>,
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
        let mut snapshot = store.snapshot()?;
        // Nobody is known to be either evaluator until the workbench says who is looking.
        let fidelity_stored = snapshot.fidelity.clone();
        if let Some(review) = snapshot.fidelity.as_mut() {
            review.hide_from(None);
        }
        let snapshot = Arc::new(snapshot);
        let privacy = PrivacyWatch::start(&snapshot);
        let status_changes = store.status_changes()?;
        let derived = ui::Derived::of(&snapshot, &status_changes, today);
        if let Some(backups) = backups
            && let Err(e) = backups.daily(&store, &snapshot.case_id, jiff::Zoned::now().date())
        {
            // A missing copy must not keep the evaluator from working; it is logged.
            log::warn!("daily backup of {}: {e}", path.display());
        }
        Ok(OpenCase {
            store,
            snapshot,
            privacy,
            status_changes,
            derived,
            derived_on: today,
            fidelity_stored,
            fidelity_viewer: None,
        })
    }

    /// Shows the fidelity review as `viewer` may see it, and what is derived from it again.
    fn show_fidelity_to(&mut self, viewer: Option<crate::domain::Rater>) {
        self.fidelity_viewer = viewer;
        let seen = self
            .fidelity_stored
            .as_ref()
            .map(|review| review.seen_by(viewer));
        // Unchanged (most cases have no review), the snapshot is left alone: changing it while
        // the first privacy scan still reads it would copy the whole case.
        if self.snapshot.fidelity != seen {
            Arc::make_mut(&mut self.snapshot).fidelity = seen;
            self.privacy.rescan(&self.snapshot, |section| {
                section == privacy::Section::Fidelity
            });
        }
    }

    /// Takes a freshly read review as the stored one and shows it to the same viewer.
    fn fidelity_read(&mut self) {
        self.fidelity_stored = Arc::make_mut(&mut self.snapshot).fidelity.take();
        self.show_fidelity_to(self.fidelity_viewer);
    }

    /// Computes the warnings and coverage again, for `today`.
    fn derive(&mut self, today: jiff::civil::Date) {
        self.derived = ui::Derived::of(&self.snapshot, &self.status_changes, today);
        self.derived_on = today;
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
    /// Another copy of the case being merged in: its passphrase, then the preview.
    merge: Option<merge::MergeDialog>,
    /// A copy to merge in as soon as the case being opened is open (`evalbench FILE --merge`).
    merge_when_open: Option<PathBuf>,
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
            merge: None,
            merge_when_open: None,
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

    /// True while the first privacy scan of the open case runs on its worker thread.
    pub fn is_scanning_privacy(&self) -> bool {
        self.case
            .as_ref()
            .is_some_and(|case| case.privacy.is_scanning())
    }

    /// Picks up the first privacy scan of the open case when its worker is done; until then,
    /// frames keep coming so it is shown as soon as it is.
    fn poll_privacy_scan(&mut self, ctx: &egui::Context) {
        if let Some(case) = self.case.as_mut()
            && case.privacy.is_scanning()
            && !case.privacy.poll(&case.snapshot)
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    /// Reads the clock; when the day has changed, recomputes what depends on it.
    fn follow_the_clock(&mut self) {
        let today = self.clock.today();
        self.today = today;
        if let Some(case) = self.case.as_mut()
            && case.derived_on != today
        {
            case.derive(today);
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
        self.poll_privacy_scan(ui.ctx());
        self.open_dropped(ui.ctx());
        // The window's name for a screen reader is its title (the title bar is not in the tree).
        let title = self.title();
        ui.ctx()
            .accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(title));
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
        if self.case.is_some()
            && !self.is_opening()
            && let Some(theirs) = self.merge_when_open.take()
        {
            self.start_merge(theirs);
        }
        self.merge_ui(ui.ctx());
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
        self.sync_fidelity_view();
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(case) = &self.case {
                let context = PageContext {
                    snapshot: &case.snapshot,
                    privacy_hits: case.privacy.hits(),
                    lang,
                    today: self.today,
                    catalogs: self.catalog_list.as_deref().unwrap_or_default(),
                    status_changes: &case.status_changes,
                    derived: &case.derived,
                    me: self.settings.author.trim(),
                    rater: case.fidelity_viewer,
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
            Request::BlindCopy(rater) => self.save_blind_copy_with_dialog(rater),
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
                    crate::i18n::role_name(snapshot, &role, lang)
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
                    Ok(mut entries) => {
                        if let Some(review) = &case.fidelity_stored {
                            let viewer = case.fidelity_viewer;
                            entries.retain(|e| !history::hidden_from(review, viewer, e));
                        }
                        self.history = Some((title, entries));
                    }
                    Err(e) => self.notice = Some(Notice::Error(error_text(lang, &e))),
                }
            }
            Request::KeepReportVersion { kind, answer_by } => {
                let Some(case) = &self.case else { return };
                // The rules before any rendering: a refused version costs nothing.
                match crate::domain::report_version::check_may_keep(
                    &case.snapshot.report_versions,
                    kind,
                ) {
                    Ok(()) => {
                        self.start_export(
                            export::ExportKind::ReportVersion(kind, answer_by),
                            false,
                        );
                    }
                    Err(why) => {
                        self.notice = Some(Notice::Error(crate::i18n::rejection_text(lang, &why)));
                    }
                }
            }
            Request::SaveReportVersion(number) => self.save_report_version_with_dialog(number),
            Request::ExportResponseWorkbook => self.export_response_workbook_with_dialog(),
            Request::ImportResponses => self.import_responses_with_dialog(),
            Request::ExportNotice(format) => {
                self.start_export(export::ExportKind::Notice(format), false);
            }
            Request::DeletePersonalData { confirmation } => {
                self.delete_personal_data(&confirmation);
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
}
