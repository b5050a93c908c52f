//! Dokumentgjennomgang: the provider's documents (competence matrix, routines, forms …), each with
//! the evaluator's assessment, its links to requirements and, optionally, the file itself.

use super::interviews::shorten;
use super::widgets::{
    TextKind, draft_text, editor_panel, enum_combo, link_chip, list_panel, optional_date,
    requirement_combo, row_list, section_ui,
};
use super::{Focus, PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::{
    DocumentKind, DocumentReview, DocumentReviewFields, DocumentReviewId, RequirementId,
    RequirementLink, Stance,
};
use crate::i18n::{Labelled, Lang, collate, t, tf};

/// What the documents page remembers between frames.
#[derive(Default)]
pub struct DocumentsState {
    pub selected: Option<DocumentReviewId>,
    link_requirement: Option<RequirementId>,
    link_stance: Stance,
}

pub fn documents_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    if let Some(Focus::Document(id)) = state.focus {
        state.documents.selected = Some(id);
        state.focus = None;
    }
    if state.documents.selected.is_none() {
        state.documents.selected = context
            .snapshot
            .document_reviews
            .iter()
            .min_by(|a, b| collate(lang, &a.fields.title, &b.fields.title))
            .map(|d| d.id);
    }
    list_panel(ui, context.lang, "document_list", |ui| {
        super::notice::requested_ui(ui, context, state, out);
        list_ui(ui, context, &mut state.documents, out);
    });
    let selected = state.documents.selected.and_then(|id| {
        context
            .snapshot
            .document_reviews
            .iter()
            .find(|d| d.id == id)
    });
    editor_panel(
        ui,
        "document_editor",
        selected,
        t(lang, "documents.none"),
        |ui, item| editor_ui(ui, context, item, state, out),
    );
}

fn list_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut DocumentsState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    section_ui(ui, t(lang, "page.documents"));
    if ui.button(t(lang, "documents.add")).clicked() {
        out.push(Command::AddDocumentReview {
            review: DocumentReviewFields {
                title: t(lang, "documents.new_title").to_owned(),
                kind: DocumentKind::Routine,
                version_label: String::new(),
                document_date: None,
                assessment: String::new(),
            },
        });
    }
    ui.separator();
    let mut reviews: Vec<&DocumentReview> = context.snapshot.document_reviews.iter().collect();
    reviews.sort_by(|a, b| collate(lang, &a.fields.title, &b.fields.title));
    let lines: Vec<String> = reviews
        .iter()
        .map(|r| format!("{} · {}", r.fields.kind.label(lang), r.fields.title))
        .collect();
    let selected = reviews.iter().position(|r| Some(r.id) == state.selected);
    if let Some(index) = row_list(ui, "document_list_rows", &lines, selected) {
        state.selected = Some(reviews[index].id);
    }
}

fn editor_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &DocumentReview,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let id = review.id;
    let stored = &review.fields;
    let update = |fields: DocumentReviewFields| Command::UpdateDocumentReview {
        document_review_id: id,
        review: fields,
    };
    ui.horizontal(|ui| {
        ui.heading(shorten(&stored.title, 90));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(t(lang, "history.show")).clicked() {
                state.requests.push(Request::History {
                    target: id.to_string(),
                    title: stored.title.clone(),
                });
            }
            if ui.button(t(lang, "documents.delete")).clicked() {
                out.push(Command::DeleteDocumentReview {
                    document_review_id: id,
                });
                state.documents.selected = None;
            }
        });
    });
    ui.add_space(6.0);
    egui::Grid::new(("document_fields", id))
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t(lang, "documents.title"));
            let base = stored.clone();
            draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("document_title", id)),
                &stored.title,
                TextKind::Single,
                Some(&label),
                |title| update(DocumentReviewFields { title, ..base }),
            );
            ui.end_row();

            let label = ui.label(t(lang, "documents.kind"));
            let mut kind = stored.kind;
            if enum_combo(ui, &label, lang, &mut kind, &DocumentKind::ALL) {
                out.push(update(DocumentReviewFields {
                    kind,
                    ..stored.clone()
                }));
            }
            ui.end_row();

            let label = ui.label(t(lang, "documents.version"));
            let base = stored.clone();
            draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("document_version", id)),
                &stored.version_label,
                TextKind::Single,
                Some(&label),
                |version_label| {
                    update(DocumentReviewFields {
                        version_label,
                        ..base
                    })
                },
            );
            ui.end_row();

            ui.label(t(lang, "documents.date"));
            let salt = format!("document_date_{id}");
            if let Some(document_date) = optional_date(
                ui,
                &salt,
                t(lang, "documents.date"),
                lang,
                stored.document_date,
                context.today,
            ) {
                out.push(update(DocumentReviewFields {
                    document_date,
                    ..stored.clone()
                }));
            }
            ui.end_row();

            ui.label(t(lang, "documents.attachment"));
            ui.vertical(|ui| attachment_ui(ui, lang, review, &mut state.requests, out));
            ui.end_row();
        });

    ui.add_space(10.0);
    let label = ui.strong(t(lang, "documents.assessment"));
    let base = stored.clone();
    draft_text(
        ui,
        &mut state.drafts,
        ui.make_persistent_id(("document_assessment", id)),
        &stored.assessment,
        TextKind::Multi { rows: 8 },
        Some(&label),
        |assessment| update(DocumentReviewFields { assessment, ..base }),
    );

    ui.add_space(10.0);
    links_ui(ui, context, review, &mut state.documents, out);
}

fn attachment_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    review: &DocumentReview,
    requests: &mut Vec<Request>,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| match &review.attachment {
        Some(attachment) => {
            ui.label(tf(
                lang,
                "documents.attached",
                &[
                    ("name", &attachment.file_name),
                    ("size", &human_size(attachment.size_bytes)),
                ],
            ));
            if ui.button(t(lang, "documents.open")).clicked() {
                requests.push(Request::OpenAttachment(attachment.clone()));
            }
            if ui.button(t(lang, "documents.replace")).clicked() {
                requests.push(Request::AttachFile(review.id));
            }
            if ui.button(t(lang, "documents.detach")).clicked() {
                out.push(Command::DetachFile {
                    document_review_id: review.id,
                });
            }
        }
        None => {
            if ui.button(t(lang, "documents.attach")).clicked() {
                requests.push(Request::AttachFile(review.id));
            }
        }
    });
    let mut personal = review.personal;
    if ui
        .checkbox(&mut personal, t(lang, "documents.personal"))
        .on_hover_text(t(lang, "documents.personal_hint"))
        .changed()
    {
        out.push(Command::SetDocumentPersonal {
            document_review_id: review.id,
            personal,
        });
    }
}

fn links_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &DocumentReview,
    state: &mut DocumentsState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    ui.strong(t(lang, "documents.requirements"));
    if review.links.is_empty() {
        ui.weak(t(lang, "documents.no_links"));
    }
    for link in &review.links {
        let Some(requirement) = snapshot.requirement(link.requirement_id) else {
            continue;
        };
        ui.horizontal_wrapped(|ui| {
            if link_chip(
                ui,
                lang,
                requirement,
                link.stance,
                true,
                t(lang, "documents.unlink"),
            ) {
                out.push(Command::UnlinkDocument {
                    document_review_id: review.id,
                    requirement_id: link.requirement_id,
                });
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t(lang, "documents.link_requirement"));
        requirement_combo(
            ui,
            ("document_link", review.id),
            &label,
            snapshot,
            lang,
            &mut state.link_requirement,
        );
        for stance in Stance::ALL {
            ui.radio_value(&mut state.link_stance, stance, stance.label(lang));
        }
        if ui
            .add_enabled(
                state.link_requirement.is_some(),
                egui::Button::new(t(lang, "documents.link")),
            )
            .clicked()
            && let Some(requirement_id) = state.link_requirement.take()
        {
            out.push(Command::LinkDocument {
                document_review_id: review.id,
                link: RequirementLink {
                    requirement_id,
                    stance: state.link_stance,
                },
            });
        }
    });
}

/// "12 KB", "3.4 MB": sizes as people read them.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let bytes_f = bytes as f64;
    if bytes_f < KB {
        format!("{bytes} B")
    } else if bytes_f < KB * KB {
        format!("{:.0} KB", bytes_f / KB)
    } else {
        format!("{:.1} MB", bytes_f / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(12 * 1024), "12 KB");
        assert_eq!(human_size(3_565_158), "3.4 MB");
    }
}
