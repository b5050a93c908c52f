//! "Ny katalog": write a requirement catalog from scratch (or from a copy of one in the
//! library) — areas, requirements, evidence sources, interview questions per role — then save
//! it into the library or export it as a catalog file. Validated exactly like an import.

use super::{Notice, Workbench};
use crate::catalog::{self, Catalog, CatalogArea, CatalogKind, CatalogRequirement, Question};
use crate::domain::Programme;
use crate::i18n::{Lang, t, tf, tn};

/// The catalog being written, and which area is open.
pub(super) struct CatalogEditor {
    catalog: Catalog,
    area: usize,
    error: Option<String>,
}

impl CatalogEditor {
    pub(super) fn blank() -> CatalogEditor {
        CatalogEditor {
            catalog: Catalog {
                format: catalog::FORMAT.to_owned(),
                format_version: catalog::FORMAT_VERSION,
                id: String::new(),
                version: jiff::Zoned::now().date().to_string(),
                title: String::new(),
                language: "nb".to_owned(),
                source: String::new(),
                kind: CatalogKind::Requirements,
                scale: None,
                retention_days: None,
                source_groups: Vec::new(),
                roles: Vec::new(),
                stages: Vec::new(),
                areas: vec![blank_area(1)],
            },
            area: 0,
            error: None,
        }
    }
}

fn blank_area(n: usize) -> CatalogArea {
    CatalogArea {
        code: format!("A{n}"),
        title: String::new(),
        requirements: vec![blank_requirement(&format!("A{n}"), 1)],
    }
}

fn blank_requirement(area_code: &str, n: usize) -> CatalogRequirement {
    CatalogRequirement {
        code: format!("{area_code}-{n}"),
        title: String::new(),
        text: String::new(),
        guidance: String::new(),
        evidence_sources: Vec::new(),
        questions: Vec::new(),
        anchors: Vec::new(),
    }
}

/// What the editor's buttons asked for this frame.
enum Action {
    Save,
    Export,
    StartFrom(Option<Box<Catalog>>),
}

impl Workbench {
    pub(super) fn catalog_editor_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        if self.catalog_editor.is_none() {
            return;
        }
        let templates: Vec<Catalog> = self
            .catalog_list()
            .iter()
            .filter(|c| !c.is_fidelity_scale())
            .cloned()
            .collect();
        let Some(editor) = self.catalog_editor.as_mut() else {
            return;
        };
        let mut open = true;
        let mut action = None;
        egui::Window::new(t(lang, "catalog_editor.title"))
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_size([900.0, 620.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(t(lang, "catalog_editor.start_from"));
                    egui::ComboBox::from_id_salt("catalog_editor_template")
                        .selected_text(t(lang, "catalog_editor.pick_template"))
                        .width(360.0)
                        .show_ui(ui, |ui| {
                            if ui.button(t(lang, "catalog_editor.blank")).clicked() {
                                action = Some(Action::StartFrom(None));
                            }
                            for template in &templates {
                                let text = format!("{} ({})", template.title, template.version);
                                if ui.button(text).clicked() {
                                    action =
                                        Some(Action::StartFrom(Some(Box::new(template.clone()))));
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                ui.separator();
                header_ui(ui, lang, &mut editor.catalog);
                ui.separator();
                let height = (ui.available_height() - 60.0).max(200.0);
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(220.0);
                        ui.set_max_height(height);
                        areas_ui(ui, lang, editor);
                    });
                    ui.separator();
                    ui.vertical(|ui| {
                        egui::ScrollArea::vertical()
                            .id_salt("catalog_editor_requirements")
                            .max_height(height)
                            .auto_shrink([false, false])
                            .show(ui, |ui| {
                                let programme = editor.catalog.programme();
                                if let Some(area) = editor.catalog.areas.get_mut(editor.area) {
                                    area_ui(ui, lang, &programme, area);
                                }
                            });
                    });
                });
                ui.separator();
                if let Some(error) = &editor.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.horizontal(|ui| {
                    if ui.button(t(lang, "catalog_editor.save")).clicked() {
                        action = Some(Action::Save);
                    }
                    if ui.button(t(lang, "catalog_editor.export")).clicked() {
                        action = Some(Action::Export);
                    }
                });
            });
        match action {
            Some(Action::StartFrom(template)) => {
                let mut fresh = CatalogEditor::blank();
                if let Some(mut template) = template {
                    template.id = format!("{}-egen", template.id);
                    template.version.clone_from(&fresh.catalog.version);
                    fresh.catalog = *template;
                }
                self.catalog_editor = Some(fresh);
            }
            Some(Action::Save) => self.save_edited_catalog(),
            Some(Action::Export) => self.export_edited_catalog(),
            None => {}
        }
        if !open {
            self.catalog_editor = None;
        }
    }

    fn save_edited_catalog(&mut self) {
        let lang = self.settings.lang;
        let Some(editor) = self.catalog_editor.as_mut() else {
            return;
        };
        let catalog = cleaned(&editor.catalog);
        match self.catalogs.add(&catalog) {
            Ok(_) => {
                self.catalog_list = None;
                self.notice = Some(Notice::Info(tn(
                    lang,
                    "catalog.imported",
                    catalog.requirement_count(),
                    &[("title", &catalog.title), ("version", &catalog.version)],
                )));
                self.catalog_editor = None;
            }
            Err(e) => editor.error = Some(e.to_string()),
        }
    }

    fn export_edited_catalog(&mut self) {
        let lang = self.settings.lang;
        let Some(editor) = self.catalog_editor.as_mut() else {
            return;
        };
        let catalog = cleaned(&editor.catalog);
        let text = match serde_json::to_string_pretty(&catalog) {
            Ok(text) => text,
            Err(e) => {
                editor.error = Some(e.to_string());
                return;
            }
        };
        if let Err(e) = Catalog::parse(&catalog.id, &text) {
            editor.error = Some(e.to_string());
            return;
        }
        editor.error = None;
        let suggested = format!("{}-{}.json", catalog.id, catalog.version);
        let Some(path) =
            self.dialogs
                .pick_file_to_save(&suggested, t(lang, "catalog.file_kind"), &["json"])
        else {
            return;
        };
        self.notice = Some(match crate::files::write_whole(&path, &text) {
            Ok(()) => Notice::Info(tf(
                lang,
                "catalog_editor.exported",
                &[("path", &path.display())],
            )),
            Err(e) => Notice::Error(tf(
                lang,
                "error.write_file",
                &[
                    ("path", &path.display()),
                    ("reason", &crate::i18n::io_text(lang, &e)),
                ],
            )),
        });
    }
}

/// The catalog as it will be stored: text trimmed, empty evidence sources left out.
fn cleaned(catalog: &Catalog) -> Catalog {
    let mut catalog = catalog.clone();
    for area in &mut catalog.areas {
        area.code = area.code.trim().to_owned();
        for requirement in &mut area.requirements {
            requirement.code = requirement.code.trim().to_owned();
            requirement
                .evidence_sources
                .retain(|s| !s.trim().is_empty());
            for source in &mut requirement.evidence_sources {
                *source = source.trim().to_owned();
            }
        }
    }
    catalog
}

fn header_ui(ui: &mut egui::Ui, lang: Lang, catalog: &mut Catalog) {
    egui::Grid::new("catalog_editor_header")
        .num_columns(4)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t(lang, "catalog_editor.id"));
            ui.text_edit_singleline(&mut catalog.id)
                .labelled_by(label.id)
                .on_hover_text(t(lang, "catalog_editor.id_hint"));
            let label = ui.label(t(lang, "catalog_editor.version"));
            ui.text_edit_singleline(&mut catalog.version)
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.catalog_title"));
            ui.text_edit_singleline(&mut catalog.title)
                .labelled_by(label.id);
            let label = ui.label(t(lang, "catalog_editor.language"));
            ui.text_edit_singleline(&mut catalog.language)
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.source"));
            ui.text_edit_singleline(&mut catalog.source)
                .labelled_by(label.id)
                .on_hover_text(t(lang, "catalog_editor.source_hint"));
            ui.end_row();
        });
}

fn areas_ui(ui: &mut egui::Ui, lang: Lang, editor: &mut CatalogEditor) {
    ui.strong(t(lang, "catalog_editor.areas"));
    let mut remove = None;
    for (index, area) in editor.catalog.areas.iter().enumerate() {
        ui.horizontal(|ui| {
            let name = if area.title.is_empty() {
                area.code.clone()
            } else {
                format!("{} {}", area.code, area.title)
            };
            if ui
                .add(egui::Button::selectable(editor.area == index, name).truncate())
                .clicked()
            {
                editor.area = index;
            }
            if editor.catalog.areas.len() > 1
                && ui
                    .small_button("×")
                    .on_hover_text(t(lang, "catalog_editor.remove_area"))
                    .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        editor.catalog.areas.remove(index);
        editor.area = editor
            .area
            .min(editor.catalog.areas.len().saturating_sub(1));
    }
    if ui.button(t(lang, "catalog_editor.add_area")).clicked() {
        let n = editor.catalog.areas.len() + 1;
        editor.catalog.areas.push(blank_area(n));
        editor.area = editor.catalog.areas.len() - 1;
    }
}

fn area_ui(ui: &mut egui::Ui, lang: Lang, programme: &Programme, area: &mut CatalogArea) {
    egui::Grid::new("catalog_editor_area")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(t(lang, "catalog_editor.area_code"));
            ui.text_edit_singleline(&mut area.code)
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.area_title"));
            ui.text_edit_singleline(&mut area.title)
                .labelled_by(label.id);
            ui.end_row();
        });
    ui.add_space(6.0);
    let mut remove = None;
    let last = area.requirements.len().saturating_sub(1);
    for (index, requirement) in area.requirements.iter_mut().enumerate() {
        let title = format!("{} {}", requirement.code, requirement.title);
        egui::CollapsingHeader::new(title)
            .id_salt(("catalog_editor_requirement", index))
            .default_open(index == last)
            .show(ui, |ui| {
                if requirement_ui(ui, lang, programme, index, requirement) {
                    remove = Some(index);
                }
            });
    }
    if let Some(index) = remove {
        area.requirements.remove(index);
    }
    if ui
        .button(t(lang, "catalog_editor.add_requirement"))
        .clicked()
    {
        let n = area.requirements.len() + 1;
        area.requirements.push(blank_requirement(&area.code, n));
    }
}

/// One requirement's fields; returns true when "remove" was clicked.
fn requirement_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    programme: &Programme,
    index: usize,
    requirement: &mut CatalogRequirement,
) -> bool {
    egui::Grid::new(("catalog_editor_fields", index))
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let label = ui.label(t(lang, "catalog_editor.code"));
            ui.text_edit_singleline(&mut requirement.code)
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.requirement_title"));
            ui.add(egui::TextEdit::singleline(&mut requirement.title).desired_width(480.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.text"));
            ui.add(
                egui::TextEdit::multiline(&mut requirement.text)
                    .desired_rows(2)
                    .desired_width(480.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.guidance"));
            ui.add(
                egui::TextEdit::multiline(&mut requirement.guidance)
                    .desired_rows(2)
                    .desired_width(480.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t(lang, "catalog_editor.evidence_sources"));
            // Comma-separated while typing; empty entries are dropped when saved.
            let mut sources = requirement.evidence_sources.join(",");
            if ui
                .add(egui::TextEdit::singleline(&mut sources).desired_width(480.0))
                .labelled_by(label.id)
                .changed()
            {
                requirement.evidence_sources = sources.split(',').map(str::to_owned).collect();
            }
            ui.end_row();
        });
    ui.label(t(lang, "catalog_editor.questions"));
    let mut remove_question = None;
    for (q, question) in requirement.questions.iter_mut().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut question.text).desired_width(440.0));
                if ui
                    .small_button("×")
                    .on_hover_text(t(lang, "catalog_editor.remove_question"))
                    .clicked()
                {
                    remove_question = Some(q);
                }
            });
            ui.horizontal_wrapped(|ui| {
                // The catalog's own roles, in its order.
                for role in &programme.roles {
                    let mut on = question.roles.contains(&role.id);
                    let name = programme.role_name(&role.id, lang.code());
                    if ui.toggle_value(&mut on, name).changed() {
                        if on {
                            question.roles.push(role.id.clone());
                            question
                                .roles
                                .sort_by_key(|r| programme.roles.iter().position(|d| &d.id == r));
                        } else {
                            question.roles.retain(|r| *r != role.id);
                        }
                    }
                }
            });
        });
    }
    if let Some(q) = remove_question {
        requirement.questions.remove(q);
    }
    let mut remove = false;
    ui.horizontal(|ui| {
        if ui.button(t(lang, "catalog_editor.add_question")).clicked() {
            requirement.questions.push(Question {
                roles: Vec::new(),
                text: String::new(),
            });
        }
        if ui
            .button(t(lang, "catalog_editor.remove_requirement"))
            .clicked()
        {
            remove = true;
        }
    });
    remove
}
