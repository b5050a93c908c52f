//! Dokumentgjennomgang: the provider's documents and their assessment.

use super::PageContext;
use super::widgets::{requirement_codes, section_ui};
use crate::i18n::{Labelled, date, t};

pub fn documents_ui(ui: &mut egui::Ui, context: &PageContext<'_>) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.documents"));
    if snapshot.document_reviews.is_empty() {
        ui.weak(t(lang, "documents.none"));
    }
    for review in &snapshot.document_reviews {
        let fields = &review.fields;
        egui::CollapsingHeader::new(format!("{} · {}", fields.title, fields.kind.label(lang)))
            .id_salt(review.id)
            .show(ui, |ui| {
                ui.weak(format!(
                    "{} · {}",
                    fields.version_label,
                    date(fields.document_date)
                ));
                ui.label(&fields.assessment);
                let ids: Vec<_> = review.links.iter().map(|l| l.requirement_id).collect();
                ui.weak(requirement_codes(snapshot, &ids));
                if let Some(attachment) = &review.attachment {
                    ui.weak(format!(
                        "{}: {} ({} B)",
                        t(lang, "documents.attachment"),
                        attachment.file_name,
                        attachment.size_bytes
                    ));
                }
            });
    }
}
