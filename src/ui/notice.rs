//! *Varsel til arrangøren* on the overview while the case is being planned: the interviews
//! planned per role, the documents to ask for (typed, or suggested from the catalog's evidence
//! sources), and the letter itself as PDF or DOCX (`Request::ExportNotice`). On the document
//! page the same documents are a checklist (`requested_ui`).

use super::widgets::section_ui;
use super::{Focus, PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::{DocumentKind, RequestedDocument};
use crate::export::Format;
use crate::i18n::{t, tf};

pub(super) fn notice_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    ui.add_space(6.0);
    section_ui(ui, t(lang, "notice.section"));
    ui.label(t(lang, "notice.section_hint"));
    ui.horizontal(|ui| {
        for (format, key) in [
            (Format::Pdf, "notice.make_pdf"),
            (Format::Docx, "notice.make_docx"),
        ] {
            if ui.button(t(lang, key)).clicked() {
                state.requests.push(Request::ExportNotice(format));
            }
        }
    });
    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        ui.strong(t(lang, "notice.planned_heading"));
        egui::Grid::new("notice_interviews")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for role in &snapshot.programme.roles {
                    let role = &role.id;
                    let label = ui.label(snapshot.programme.role_name(role, lang.code()));
                    let planned = snapshot.planned_interviews.get(role).copied();
                    let mut count = planned.unwrap_or(0);
                    let field = ui
                        .add(egui::DragValue::new(&mut count).range(0..=999).speed(0.05))
                        .labelled_by(label.id);
                    if field.changed() && count != planned.unwrap_or(0) {
                        out.push(Command::SetPlannedInterviews {
                            role: role.clone(),
                            count,
                        });
                    }
                    ui.end_row();
                }
            });

        let ui = &mut columns[1];
        let heading = ui.strong(t(lang, "notice.documents_heading"));
        for document in &snapshot.requested_documents {
            ui.horizontal(|ui| {
                let remove = ui
                    .small_button("×")
                    .on_hover_text(t(lang, "notice.remove_document"));
                remove.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        tf(lang, "notice.remove_named", &[("title", &document.title)]),
                    )
                });
                if remove.clicked() {
                    out.push(Command::RemoveRequestedDocument {
                        requested_document_id: document.id,
                    });
                }
                ui.label(&document.title);
            });
        }
        ui.horizontal(|ui| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut state.notice_document)
                        .hint_text(t(lang, "notice.document_hint"))
                        .desired_width(220.0),
                )
                .labelled_by(heading.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let add = ui.add_enabled(
                !state.notice_document.trim().is_empty(),
                egui::Button::new(t(lang, "notice.add_document")),
            );
            if (add.clicked() || entered) && !state.notice_document.trim().is_empty() {
                out.push(Command::RequestDocuments {
                    titles: vec![std::mem::take(&mut state.notice_document)],
                });
            }
        });
        let suggested: Vec<String> =
            crate::domain::notice::document_sources(&snapshot.requirements)
                .into_iter()
                .filter(|s| {
                    !snapshot
                        .requested_documents
                        .iter()
                        .any(|d| d.title.to_lowercase() == s.to_lowercase())
                })
                .collect();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !suggested.is_empty(),
                    egui::Button::new(tf(lang, "notice.suggest", &[("count", &suggested.len())])),
                )
                .on_hover_text(t(lang, "notice.suggest_hint"))
                .clicked()
            {
                out.push(Command::RequestDocuments { titles: suggested });
            }
        });
    });
}

/// The documents asked for in the notice, on the document page: each marked *mottatt* with
/// the day, and a review started from it (or shown, once started).
pub(super) fn requested_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let requested = &context.snapshot.requested_documents;
    if requested.is_empty() {
        return;
    }
    let received = requested.iter().filter(|d| d.received_on.is_some()).count();
    ui.strong(tf(
        lang,
        "notice.requested_heading",
        &[("received", &received), ("count", &requested.len())],
    ));
    for document in requested {
        requested_row(ui, context, document, state, out);
    }
    ui.separator();
}

fn requested_row(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    document: &RequestedDocument,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    ui.horizontal_wrapped(|ui| {
        let mut received = document.received_on.is_some();
        if ui.checkbox(&mut received, &document.title).changed() {
            out.push(Command::SetDocumentReceived {
                requested_document_id: document.id,
                received_on: received.then_some(context.today),
            });
        }
        if let Some(on) = document.received_on {
            ui.weak(tf(
                lang,
                "notice.received_on",
                &[("date", &crate::i18n::date(lang, Some(on)))],
            ));
        }
        // The button says what it does; its accessible name also says which document.
        let (key, short) = match document.document_review_id {
            Some(_) => ("notice.show_review", "notice.show_review_short"),
            None => ("notice.start_review", "notice.start_review_short"),
        };
        let button = ui.small_button(t(lang, short));
        let name = tf(lang, key, &[("title", &document.title)]);
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        if button.clicked() {
            match document.document_review_id {
                Some(review) => state.focus = Some(Focus::Document(review)),
                None => out.push(Command::StartReviewFromRequest {
                    requested_document_id: document.id,
                    kind: DocumentKind::Other,
                }),
            }
        }
    });
}
