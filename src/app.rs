//! The app: owns the open case, draws the pages, and applies the commands they return after each
//! frame — one command, one transaction, then the snapshot the pages read is refreshed. Pages never
//! see the store.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::command::Command;
use crate::dialogs::{FileDialogs, NativeDialogs};
use crate::domain::{CaseFacts, CaseSnapshot, Measure, OrgNumber};
use crate::i18n::{Lang, t, tf};
use crate::store::{CaseStore, StoreError};
use crate::ui::{self, Page, PageContext};

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
const SETTINGS_KEY: &str = "evalbench.settings";

/// An open case and the read model the pages draw from.
pub struct OpenCase {
    store: CaseStore,
    snapshot: CaseSnapshot,
}

impl OpenCase {
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

/// The form behind "Ny sak".
#[derive(Clone, Debug, Default)]
struct NewCaseForm {
    provider_name: String,
    org_number: String,
    measure: Measure,
    error: Option<String>,
}

/// The whole UI state, independent of eframe so tests can drive it with egui_kittest.
pub struct Workbench {
    case: Option<OpenCase>,
    pub settings: Settings,
    notice: Option<Notice>,
    pending: Vec<Command>,
    dialogs: Box<dyn FileDialogs>,
    new_case: Option<NewCaseForm>,
    today: jiff::civil::Date,
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
            today: jiff::Zoned::now().date(),
        }
    }

    /// Pins "today" (for overdue marks), so tests do not depend on the clock.
    #[must_use]
    pub fn with_today(mut self, today: jiff::civil::Date) -> Workbench {
        self.today = today;
        self
    }

    pub fn case(&self) -> Option<&OpenCase> {
        self.case.as_ref()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Opens `path`, replacing the open case. On failure the current case stays open.
    pub fn open(&mut self, path: &Path) {
        match CaseStore::open(path).and_then(|store| {
            let snapshot = store.snapshot()?;
            Ok(OpenCase { store, snapshot })
        }) {
            Ok(case) => {
                self.close_case();
                self.remember_recent(case.path().to_owned());
                self.case = Some(case);
                self.notice = None;
            }
            Err(e) => {
                log::warn!("opening {}: {e:?}", path.display());
                self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
            }
        }
    }

    fn close_case(&mut self) {
        if let Some(case) = self.case.take()
            && let Err(e) = case.store.close()
        {
            log::warn!("closing case: {e}");
        }
    }

    /// Closes the case cleanly (called when the app exits).
    pub fn shutdown(&mut self) {
        self.close_case();
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
    pub fn apply_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let commands = std::mem::take(&mut self.pending);
        let Some(case) = self.case.as_mut() else {
            return;
        };
        for command in &commands {
            if let Err(e) = case.store.apply(command) {
                log::warn!("applying {}: {e:?}", command.op());
                self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
                break;
            }
        }
        match case.store.snapshot() {
            Ok(snapshot) => case.snapshot = snapshot,
            Err(e) => self.notice = Some(Notice::Error(error_text(self.settings.lang, &e))),
        }
    }

    /// The window title: the provider and the file.
    pub fn title(&self) -> String {
        let lang = self.settings.lang;
        match &self.case {
            Some(case) => format!(
                "{} — {} — Evalbench",
                case.snapshot.facts.provider_name,
                case.path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
            None => format!("{} — Evalbench", t(lang, "app.no_case")),
        }
    }

    /// Draws one frame, then applies what the pages asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.shortcuts(ui);
        let lang = self.settings.lang;

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));

        if self.case.is_some() {
            egui::Panel::left("navigation")
                .resizable(false)
                .show(ui, |ui| {
                    ui::navigation_ui(ui, lang, &mut self.settings.page);
                });
        }

        let mut commands = Vec::new();
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(case) = &self.case {
                let context = PageContext {
                    snapshot: &case.snapshot,
                    lang,
                    today: self.today,
                };
                ui::page_ui(ui, self.settings.page, &context, &mut commands);
            } else {
                ui.heading(t(lang, "app.no_case"));
                ui.label(t(lang, "app.no_case_hint"));
            }
        });
        self.pending.extend(commands);
        self.new_case_ui(ui.ctx());
        self.apply_pending();
    }

    fn shortcuts(&mut self, ui: &egui::Ui) {
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let new = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        if ui.input_mut(|i| i.consume_shortcut(&open)) {
            self.open_with_dialog();
        }
        if ui.input_mut(|i| i.consume_shortcut(&new)) {
            self.new_case = Some(NewCaseForm::default());
        }
        if self.case.is_some() {
            for (page, key) in Page::ALL.into_iter().zip(ui::PAGE_KEYS) {
                let shortcut = KeyboardShortcut::new(Modifiers::COMMAND, key);
                if ui.input_mut(|i| i.consume_shortcut(&shortcut)) {
                    self.settings.page = page;
                }
            }
        }
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
                if ui.button(t(lang, "menu.new_case")).clicked() {
                    self.new_case = Some(NewCaseForm::default());
                }
                if ui.button(t(lang, "menu.open")).clicked() {
                    self.open_with_dialog();
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
                ui.separator();
                if ui.button(t(lang, "menu.quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
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
        ui.horizontal(|ui| {
            match &self.notice {
                Some(Notice::Error(message)) => {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                Some(Notice::Info(message)) => {
                    ui.label(message);
                }
                None => {
                    if let Some(case) = &self.case {
                        ui.label(tf(
                            lang,
                            "status.saved",
                            &[("path", &case.path().display())],
                        ));
                    }
                }
            }
            if self.notice.is_some() && ui.small_button(t(lang, "status.dismiss")).clicked() {
                self.notice = None;
            }
        });
    }

    fn new_case_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(form) = self.new_case.as_mut() else {
            return;
        };
        let mut open = true;
        let mut create = false;
        egui::Window::new(t(lang, "new_case.title"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("new_case_grid")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let label = ui.label(t(lang, "facts.provider_name"));
                        ui.text_edit_singleline(&mut form.provider_name)
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(t(lang, "facts.org_number"));
                        ui.text_edit_singleline(&mut form.org_number)
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(t(lang, "facts.measure"));
                        ui::enum_combo(ui, &label, lang, &mut form.measure, &Measure::ALL);
                        ui.end_row();
                    });
                if let Some(error) = &form.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                if ui.button(t(lang, "new_case.create")).clicked() {
                    create = true;
                }
            });
        if create {
            self.create_case_from_form();
        } else if !open {
            self.new_case = None;
        }
    }

    fn create_case_from_form(&mut self) {
        let lang = self.settings.lang;
        let Some(form) = self.new_case.as_mut() else {
            return;
        };
        let org_number = match form.org_number.trim() {
            "" => None,
            text => {
                let Ok(number) = OrgNumber::parse(text) else {
                    form.error = Some(t(lang, "new_case.bad_org_number").to_owned());
                    return;
                };
                Some(number)
            }
        };
        let facts = CaseFacts {
            provider_name: form.provider_name.trim().to_owned(),
            org_number,
            measure: form.measure,
            ..CaseFacts::default()
        };
        if facts.provider_name.is_empty() {
            form.error = Some(t(lang, "new_case.missing_provider").to_owned());
            return;
        }
        let suggested = format!("{}.evalcase", facts.provider_name);
        let Some(path) = self.dialogs.pick_case_to_save(&suggested) else {
            return;
        };
        match create_case(&path, facts) {
            Ok(()) => {
                self.new_case = None;
                self.open(&path);
            }
            Err(e) => {
                if let Some(form) = self.new_case.as_mut() {
                    form.error = Some(error_text(lang, &e));
                }
            }
        }
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
        StoreError::AlreadyExists { path } => {
            tf(lang, "error.already_exists", &[("path", &path.display())])
        }
        StoreError::Rejected(reason) => tf(lang, "error.rejected", &[("reason", reason)]),
        other => tf(lang, "error.other", &[("detail", other)]),
    }
}

/// A new case with `facts` and the shipped catalog for its measure.
pub fn create_case(path: &Path, facts: CaseFacts) -> Result<(), StoreError> {
    let catalog =
        catalog::builtin_for(facts.measure).map_err(|e| StoreError::Rejected(e.to_string()))?;
    let store = CaseStore::create(path, |store| {
        store.apply(&Command::UpdateCaseFacts { facts })?;
        store.apply(&Command::AdoptCatalog { catalog })?;
        Ok(())
    })?;
    store.close()
}

/// The eframe shell around the `Workbench`.
pub struct EvalbenchApp {
    workbench: Workbench,
    title: String,
}

impl EvalbenchApp {
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<&Path>) -> EvalbenchApp {
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, SETTINGS_KEY))
            .unwrap_or_default();
        let mut workbench = Workbench::new(settings, Box::new(NativeDialogs));
        if let Some(file) = file {
            workbench.open(file);
        }
        EvalbenchApp {
            workbench,
            title: String::new(),
        }
    }
}

impl eframe::App for EvalbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.workbench.ui(ui);
        let title = self.workbench.title();
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.workbench.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.workbench.shutdown();
    }
}

/// Starts the window on `file`.
pub fn run(file: &Path) -> Result<(), eframe::Error> {
    let file = file.to_owned();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Evalbench")
            .with_inner_size([1200.0, 780.0])
            .with_min_inner_size([800.0, 500.0]),
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Evalbench",
        options,
        Box::new(move |cc| Ok(Box::new(EvalbenchApp::new(cc, Some(&file))))),
    )
}
