//! Intervjuer: the interviews with their metadata, notes and excerpts.

use super::PageContext;
use super::widgets::{requirement_codes, section_ui};
use crate::i18n::{Labelled, date, t, tf};

pub fn interviews_ui(ui: &mut egui::Ui, context: &PageContext<'_>) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.interviews"));
    if snapshot.interviews.is_empty() {
        ui.weak(t(lang, "interviews.none"));
    }
    for interview in &snapshot.interviews {
        let fields = &interview.fields;
        let mut heading = format!(
            "{} · {} · {}",
            date(Some(fields.date)),
            fields.role.label(lang),
            fields.interviewees.join(", ")
        );
        if let Some(stage) = fields.stage {
            heading.push_str(" · ");
            heading.push_str(&stage.label(lang));
        }
        egui::CollapsingHeader::new(heading)
            .id_salt(interview.id)
            .show(ui, |ui| {
                ui.weak(format!(
                    "{} · {} · {}",
                    fields.setting.label(lang),
                    fields.channel.label(lang),
                    tf(
                        lang,
                        "interviews.excerpt_count",
                        &[("count", &interview.excerpts.len())]
                    )
                ));
                ui.label(&interview.notes);
                for excerpt in &interview.excerpts {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("«{}»", excerpt.quote));
                        let ids: Vec<_> = excerpt.links.iter().map(|l| l.requirement_id).collect();
                        ui.weak(requirement_codes(snapshot, &ids));
                        if !excerpt.anchored {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                t(lang, "interviews.unanchored"),
                            );
                        }
                    });
                }
            });
    }
}
