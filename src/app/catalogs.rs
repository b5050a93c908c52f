//! The catalog library in the app: importing a catalog file, and "Oppdater katalog" — the
//! differences between the case's copy and a newer version, applied only when accepted.

use super::{Notice, Workbench};
use crate::catalog::Catalog;
use crate::catalog_update::{CatalogDiff, Field, diff};
use crate::command::Command;
use crate::i18n::{Lang, counted, t, tf, tn};
use crate::ui::Page;

/// A newer catalog version under review.
pub(super) struct CatalogUpdate {
    catalog: Catalog,
    diff: CatalogDiff,
}

impl Workbench {
    /// The newest library version of the case's catalog, when it is newer than the case's copy.
    /// Versions compare as text; the shipped catalogs use ISO dates, which sort that way.
    pub(super) fn newer_catalog(&mut self) -> Option<Catalog> {
        let current = self.case.as_ref()?.snapshot.catalog.clone()?;
        self.catalog_list()
            .iter()
            .filter(|c| c.id == current.id && c.version > current.version)
            .max_by(|a, b| a.version.cmp(&b.version))
            .cloned()
    }

    /// Opens the review window for the newest version, or says there is none.
    pub(super) fn review_catalog_update(&mut self) {
        let lang = self.settings.lang;
        let Some(catalog) = self.newer_catalog() else {
            self.notice = Some(Notice::Info(t(lang, "catalog_update.none").to_owned()));
            return;
        };
        let Some(case) = &self.case else { return };
        let diff = diff(&case.snapshot, &catalog);
        self.catalog_update = Some(CatalogUpdate { catalog, diff });
    }

    /// Asks for a catalog file, validates it and adds it to the library; a bad file changes
    /// nothing and its message names the file and the line or path.
    pub(super) fn import_catalog_with_dialog(&mut self) {
        let lang = self.settings.lang;
        let Some(path) = self
            .dialogs
            .pick_file_to_open(t(lang, "catalog.file_kind"), &["json"])
        else {
            return;
        };
        self.notice = Some(match self.catalogs.import(&path) {
            Ok((catalog, _)) => {
                self.catalog_list = None;
                Notice::Info(tn(
                    lang,
                    "catalog.imported",
                    catalog.requirement_count(),
                    &[("title", &catalog.title), ("version", &catalog.version)],
                ))
            }
            Err(e) => Notice::Error(tf(lang, "catalog.import_failed", &[("reason", &e)])),
        });
    }

    pub(super) fn catalog_update_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(update) = &self.catalog_update else {
            return;
        };
        let mut open = true;
        let mut accept = false;
        let mut reject = false;
        let diff = &update.diff;
        egui::Window::new(t(lang, "catalog_update.title"))
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(640.0)
            .show(ctx, |ui| {
                ui.label(tf(
                    lang,
                    "catalog_update.versions",
                    &[
                        ("title", &update.catalog.title),
                        ("from", &diff.from_version),
                        ("to", &diff.to_version),
                    ],
                ));
                ui.strong(tf(
                    lang,
                    "catalog_update.counts",
                    &[
                        ("added", &counted(lang, "added", diff.added.len())),
                        ("reworded", &counted(lang, "changed", diff.reworded.len())),
                        ("removed", &counted(lang, "removed", diff.removed.len())),
                    ],
                ));
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| diff_ui(ui, lang, diff));
                ui.separator();
                ui.weak(tf(
                    lang,
                    "catalog_update.undo_hint",
                    &[(
                        "undo",
                        &super::actions::UiAction::Undo.shortcut_text(ui.ctx()),
                    )],
                ));
                ui.horizontal(|ui| {
                    if ui.button(t(lang, "catalog_update.accept")).clicked() {
                        accept = true;
                    }
                    if ui.button(t(lang, "catalog_update.reject")).clicked() {
                        reject = true;
                    }
                });
            });
        if accept && let Some(update) = self.catalog_update.take() {
            self.pending.push(Command::UpdateCatalog {
                catalog: update.catalog,
            });
            self.settings.page = Page::Requirements;
        } else if reject || !open {
            self.catalog_update = None;
        }
    }
}

fn diff_ui(ui: &mut egui::Ui, lang: Lang, diff: &CatalogDiff) {
    if diff.is_empty() {
        ui.weak(t(lang, "catalog_update.same"));
    }
    if !diff.retitled_areas.is_empty() {
        ui.strong(t(lang, "catalog_update.retitled_areas"));
        for (code, before, after) in &diff.retitled_areas {
            ui.label(format!("~ {code}: {before} – {after}"));
        }
        ui.add_space(6.0);
    }
    if !diff.added.is_empty() {
        ui.strong(t(lang, "catalog_update.added"));
        for added in &diff.added {
            ui.label(format!("+ {} {} ({})", added.code, added.title, added.area));
        }
        ui.add_space(6.0);
    }
    if !diff.reworded.is_empty() {
        ui.strong(t(lang, "catalog_update.reworded"));
        for reworded in &diff.reworded {
            ui.label(format!("~ {} {}", reworded.code, reworded.title));
            ui.indent(("reworded", reworded.id), |ui| {
                for change in &reworded.changes {
                    let field = t(lang, field_key(change.field));
                    if change.before.is_empty() && change.after.is_empty() {
                        ui.weak(tf(lang, "catalog_update.changed", &[("field", &field)]));
                    } else {
                        ui.label(format!("{field}:"));
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(format!("− {}", change.before)).weak(),
                            )
                            .wrap(),
                        );
                        ui.add(egui::Label::new(format!("+ {}", change.after)).wrap());
                    }
                }
                ui.weak(tf(
                    lang,
                    "catalog_update.uses",
                    &[
                        (
                            "evidence",
                            &counted(lang, "evidence", reworded.uses.evidence),
                        ),
                        (
                            "findings",
                            &counted(lang, "findings", reworded.uses.findings.len()),
                        ),
                    ],
                ));
            });
        }
        ui.add_space(6.0);
    }
    if !diff.removed.is_empty() {
        ui.strong(t(lang, "catalog_update.removed"));
        for removed in &diff.removed {
            let text = format!("− {} {}", removed.code, removed.title);
            if removed.uses.evidence > 0 || !removed.uses.findings.is_empty() {
                ui.colored_label(ui.visuals().warn_fg_color, text);
                ui.indent(("removed", removed.id), |ui| {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        tf(
                            lang,
                            "catalog_update.unlinks",
                            &[
                                (
                                    "evidence",
                                    &counted(lang, "evidence", removed.uses.evidence),
                                ),
                                (
                                    "findings",
                                    &counted(lang, "findings", removed.uses.findings.len()),
                                ),
                            ],
                        ),
                    );
                });
            } else {
                ui.label(text);
            }
        }
    }
}

fn field_key(field: Field) -> &'static str {
    match field {
        Field::Area => "catalog_update.field.area",
        Field::Title => "catalog_update.field.title",
        Field::Text => "catalog_update.field.text",
        Field::Guidance => "catalog_update.field.guidance",
        Field::EvidenceSources => "catalog_update.field.evidence_sources",
        Field::Questions => "catalog_update.field.questions",
    }
}
