//! The menu bar and the keyboard, both driven by the action table in `actions`.

use crate::i18n::{Lang, t, tf};
use crate::store::Direction;
use crate::ui::Page;

use super::actions::UiAction;
use super::new_case::NewCaseForm;
use super::{Notice, Workbench, catalog_editor, error_text, op_text, passphrase};

impl Workbench {
    /// The keyboard: every action of the table whose shortcut was pressed (see `actions`).
    pub(super) fn shortcuts(&mut self, ui: &egui::Ui) {
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

    pub(super) fn run_action(&mut self, action: UiAction) {
        match action {
            UiAction::NewCase => self.new_case = Some(NewCaseForm::default()),
            UiAction::Open => self.open_with_dialog(),
            UiAction::Redo => self.step(Direction::Redo),
            UiAction::Undo => self.step(Direction::Undo),
            UiAction::Search => self.open_search(),
            UiAction::GoTo(page) => self.settings.page = page,
        }
    }

    pub(super) fn open_with_dialog(&mut self) {
        if let Some(path) = self.dialogs.pick_case_to_open() {
            self.open(&path);
        }
    }

    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t(lang, "menu.file"), |ui| {
                // With their shortcuts, as in the other menus.
                for action in [UiAction::NewCase, UiAction::Open] {
                    let button = egui::Button::new(action.label(lang))
                        .shortcut_text(action.shortcut_text(ui.ctx()));
                    if ui.add(button).clicked() {
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
                if ui
                    .add_enabled(
                        self.case.is_some(),
                        egui::Button::new(t(lang, "menu.copy_for_colleague")),
                    )
                    .clicked()
                {
                    ui.close();
                    self.copy_for_colleague();
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
                if ui
                    .add_enabled(
                        self.case.is_some(),
                        egui::Button::new(t(lang, "menu.merge_copy")),
                    )
                    .clicked()
                {
                    ui.close();
                    self.merge_with_dialog();
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let label = ui.label(t(lang, "menu.author"));
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.settings.author)
                                .hint_text(t(lang, "menu.author_hint"))
                                .desired_width(160.0),
                        )
                        .labelled_by(label.id);
                    if field.changed() {
                        self.use_author();
                    }
                });
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
    pub(super) fn save_as(&mut self) {
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
}
