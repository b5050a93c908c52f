//! Krav: the case's catalog grouped by area, with how much evidence each requirement has.

use super::PageContext;
use super::widgets::section_ui;
use crate::i18n::{t, tf};

pub fn requirements_ui(ui: &mut egui::Ui, context: &PageContext<'_>) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.requirements"));
    if let Some(catalog) = &snapshot.catalog {
        ui.weak(format!("{} · {}", catalog.title, catalog.version));
    }
    for area in &snapshot.areas {
        egui::CollapsingHeader::new(format!("{} — {}", area.code, area.title))
            .id_salt(("area", &area.code))
            .default_open(true)
            .show(ui, |ui| {
                for requirement in snapshot
                    .requirements
                    .iter()
                    .filter(|r| r.area_code == area.code)
                {
                    let excerpts = snapshot
                        .interviews
                        .iter()
                        .flat_map(|i| &i.excerpts)
                        .filter(|e| e.links.iter().any(|l| l.requirement_id == requirement.id))
                        .count();
                    let documents = snapshot
                        .document_reviews
                        .iter()
                        .filter(|d| d.links.iter().any(|l| l.requirement_id == requirement.id))
                        .count();
                    let findings = snapshot
                        .findings
                        .iter()
                        .filter(|f| f.requirement_ids.contains(&requirement.id))
                        .count();
                    ui.horizontal_wrapped(|ui| {
                        ui.strong(&requirement.code);
                        ui.label(&requirement.title);
                        ui.weak(tf(
                            lang,
                            "requirements.evidence_counts",
                            &[
                                ("excerpts", &excerpts),
                                ("documents", &documents),
                                ("findings", &findings),
                            ],
                        ));
                    });
                    ui.label(&requirement.text);
                    ui.add_space(6.0);
                }
            });
    }
}
