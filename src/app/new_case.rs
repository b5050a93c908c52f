//! "Ny sak": the form for a new case, and creating the case file from it.

use std::path::Path;

use super::{Workbench, error_text};
use crate::catalog::{self, Catalog};
use crate::command::Command;
use crate::domain::{CaseFacts, Measure, OrgNumber};
use crate::i18n::t;
use crate::store::{CaseStore, Passphrase, StoreError};
use crate::ui;

/// The form behind "Ny sak".
#[derive(Clone, Debug)]
pub(super) struct NewCaseForm {
    provider_name: String,
    org_number: String,
    measure: Measure,
    /// A catalog from the library (id); `None` takes the shipped one for the measure.
    catalog: Option<String>,
    self_evaluation: bool,
    /// On by default: a case file holds notes about people and may sit on a laptop that is lost.
    encrypt: bool,
    passphrase: String,
    repeat: String,
    error: Option<String>,
}

impl Default for NewCaseForm {
    fn default() -> NewCaseForm {
        NewCaseForm {
            provider_name: String::new(),
            org_number: String::new(),
            measure: Measure::default(),
            catalog: None,
            self_evaluation: false,
            encrypt: true,
            passphrase: String::new(),
            repeat: String::new(),
            error: None,
        }
    }
}

impl Workbench {
    pub(super) fn new_case_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let catalogs = self.requirement_catalogs();
        let Some(form) = self.new_case.as_mut() else {
            return;
        };
        let mut open = true;
        let mut create = false;
        egui::Window::new(t(lang, "new_case.title"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
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
                        let label = ui.label(t(lang, "new_case.catalog"));
                        let chosen = form
                            .catalog
                            .as_ref()
                            .and_then(|id| catalogs.iter().find(|(i, _)| i == id))
                            .map_or_else(
                                || t(lang, "new_case.catalog_for_measure").to_owned(),
                                |(_, title)| title.clone(),
                            );
                        egui::ComboBox::from_id_salt("new_case_catalog")
                            .selected_text(chosen)
                            .width(320.0)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(
                                    &mut form.catalog,
                                    None,
                                    t(lang, "new_case.catalog_for_measure"),
                                );
                                for (id, title) in &catalogs {
                                    ui.selectable_value(&mut form.catalog, Some(id.clone()), title);
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(
                            &mut form.self_evaluation,
                            t(lang, "new_case.self_evaluation"),
                        )
                        .on_hover_text(t(lang, "new_case.self_evaluation_hint"));
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(&mut form.encrypt, t(lang, "new_case.encrypt"))
                            .on_hover_text(t(lang, "new_case.encrypt_hint"));
                        ui.end_row();
                        if form.encrypt {
                            for (key, text) in [
                                ("passphrase.passphrase", &mut form.passphrase),
                                ("passphrase.repeat", &mut form.repeat),
                            ] {
                                let label = ui.label(t(lang, key));
                                ui.add(egui::TextEdit::singleline(text).password(true))
                                    .labelled_by(label.id);
                                ui.end_row();
                            }
                            ui.label("");
                            ui.small(t(lang, "passphrase.hint"));
                            ui.end_row();
                        }
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

    pub(super) fn create_case_from_form(&mut self) {
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
            self_evaluation: form.self_evaluation,
            ..CaseFacts::default()
        };
        let catalog = match &form.catalog {
            Some(id) => self.catalogs.find(id, None).map(|(c, _)| c),
            None => catalog::builtin_for(facts.measure).ok(),
        };
        let Some(catalog) = catalog else {
            form.error = Some(t(lang, "new_case.catalog_missing").to_owned());
            return;
        };
        if facts.provider_name.is_empty() {
            form.error = Some(t(lang, "new_case.missing_provider").to_owned());
            return;
        }
        let key = if form.encrypt {
            match super::passphrase::chosen(lang, &form.passphrase, &form.repeat) {
                Ok(key) => Some(key),
                Err(message) => {
                    form.error = Some(message);
                    return;
                }
            }
        } else {
            None
        };
        let suggested = format!("{}.evalcase", facts.provider_name);
        let Some(path) = self.dialogs.pick_case_to_save(&suggested) else {
            return;
        };
        match create_case(&path, facts, catalog, key.as_ref()) {
            Ok(()) => {
                self.new_case = None;
                self.open_keyed(&path, key.as_ref());
            }
            Err(e) => {
                if let Some(form) = self.new_case.as_mut() {
                    form.error = Some(error_text(lang, &e));
                }
            }
        }
    }
}

/// A new case with `facts` and its own copy of `catalog`, encrypted when a `key` is given.
pub fn create_case(
    path: &Path,
    facts: CaseFacts,
    catalog: Catalog,
    key: Option<&Passphrase>,
) -> Result<(), StoreError> {
    let store = CaseStore::create_keyed(path, key, |store| {
        store.apply(&Command::UpdateCaseFacts { facts })?;
        store.apply(&Command::AdoptCatalog { catalog })?;
        Ok(())
    })?;
    store.close()
}
