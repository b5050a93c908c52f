//! The end of a case on the overview: *Avslutt saken*, the day the participants' personal data
//! must be deleted by, and *Slett personopplysninger* — a confirmation that names what will be
//! deleted and what stays, and asks for the provider's name before anything is deleted. The
//! deletion itself is the app's (`Request::DeletePersonalData`): it also replaces the backups.

use super::{PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::PersonalData;
use crate::i18n::{t, tf, tn};

/// Closing the case (*Avslutt saken*) and what follows: the day the participants' personal data
/// must be deleted by, marked once it has passed; *Gjenåpne saken* while it is closed.
pub(super) fn closing_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    if context.provider_mode() {
        return;
    }
    let days = snapshot
        .retention_days
        .unwrap_or(crate::domain::DEFAULT_RETENTION_DAYS);
    if let Some(closing) = &snapshot.closing {
        ui.horizontal_wrapped(|ui| {
            ui.label(tf(
                lang,
                "closing.closed_on",
                &[("date", &crate::i18n::date(lang, Some(closing.on)))],
            ));
            if !closing.reason.is_empty() {
                ui.weak(format!("({})", closing.reason));
            }
            if ui.button(t(lang, "closing.reopen")).clicked() {
                out.push(Command::ReopenCase);
            }
        });
        if let Some(due) = crate::domain::retention_due(Some(closing), snapshot.retention_days) {
            let text = tf(
                lang,
                "closing.delete_by",
                &[
                    ("date", &crate::i18n::date(lang, Some(due))),
                    ("days", &days),
                ],
            );
            if due < context.today {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tf(
                        lang,
                        "closing.delete_overdue",
                        &[("date", &crate::i18n::date(lang, Some(due)))],
                    ),
                );
            } else if snapshot.personal_data_deleted_on.is_none() {
                ui.label(text);
            }
        }
        deletion_ui(ui, context, state);
    } else {
        let open = snapshot
            .actions
            .iter()
            .filter(|a| a.fields.status != crate::domain::ActionStatus::VerifiedClosed)
            .count();
        ui.horizontal_wrapped(|ui| {
            if open > 0 {
                let label = ui.label(tn(lang, "closing.reason", open, &[]));
                ui.add(egui::TextEdit::singleline(&mut state.close_reason).desired_width(280.0))
                    .labelled_by(label.id);
            }
            let may_close = open == 0 || !state.close_reason.trim().is_empty();
            if ui
                .add_enabled(may_close, egui::Button::new(t(lang, "closing.close")))
                .on_hover_text(tf(lang, "closing.close_hint", &[("days", &days)]))
                .clicked()
            {
                out.push(Command::CloseCase {
                    reason: std::mem::take(&mut state.close_reason),
                });
            }
        });
    }
}

/// *Slett personopplysninger* once the case is closed, or the day it was done.
fn deletion_ui(ui: &mut egui::Ui, context: &PageContext<'_>, state: &mut PageState) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    if let Some(on) = snapshot.personal_data_deleted_on {
        ui.label(tf(
            lang,
            "deletion.done_on",
            &[("date", &crate::i18n::date(lang, Some(on)))],
        ));
        return;
    }
    let found = PersonalData::in_case(snapshot);
    ui.horizontal_wrapped(|ui| {
        let button = ui
            .add_enabled(
                !found.is_empty(),
                egui::Button::new(t(lang, "deletion.open")),
            )
            .on_hover_text(t(lang, "deletion.hint"))
            .on_disabled_hover_text(t(lang, "deletion.nothing"));
        if button.clicked() {
            state.deletion_typed = Some(String::new());
            ui.data_mut(|data| data.insert_temp(focus_flag(), true));
        }
    });
    if state.deletion_typed.is_some() {
        confirmation_ui(ui.ctx(), context, state, found);
    }
}

/// Set when the dialog opens: its field takes the focus on the next frame it is drawn.
fn focus_flag() -> egui::Id {
    egui::Id::unique("delete_personal_data_focus")
}

/// The confirmation: what goes, what stays, and the provider's name typed to confirm.
fn confirmation_ui(
    ctx: &egui::Context,
    context: &PageContext<'_>,
    state: &mut PageState,
    found: PersonalData,
) {
    let lang = context.lang;
    let provider = &context.snapshot.facts.provider_name;
    let mut confirmed = false;
    let modal = egui::Modal::new(egui::Id::unique("delete_personal_data")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(t(lang, "deletion.title"));
        ui.label(t(lang, "deletion.what"));
        for (key, count) in [
            ("deletion.notes", found.interview_notes),
            ("deletion.codes", found.participant_codes),
            ("deletion.quotes", found.quotes),
            ("deletion.attachments", found.attachments),
        ] {
            if count > 0 {
                ui.label(format!("• {}", tn(lang, key, count, &[])));
            }
        }
        ui.add_space(4.0);
        ui.label(t(lang, "deletion.stays"));
        ui.label(t(lang, "deletion.backups"));
        ui.colored_label(ui.visuals().warn_fg_color, t(lang, "deletion.irreversible"));
        ui.add_space(6.0);
        let typed = state.deletion_typed.get_or_insert_with(String::new);
        let label = ui.label(tf(lang, "deletion.type_name", &[("provider", provider)]));
        let field = ui
            .add(egui::TextEdit::singleline(typed).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        // The field has the focus when the dialog opens, so the name can be typed at once.
        if ui.data_mut(|data| data.remove_temp::<bool>(focus_flag())) == Some(true) {
            field.request_focus();
        }
        let matches = crate::domain::confirms_deletion(provider, typed);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let delete = ui.add_enabled(
                matches,
                egui::Button::new(
                    egui::RichText::new(t(lang, "deletion.confirm"))
                        .color(ui.visuals().error_fg_color),
                ),
            );
            let entered =
                matches && field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if delete.clicked() || entered {
                confirmed = true;
                ui.close();
            }
            if ui.button(t(lang, "deletion.cancel")).clicked() {
                ui.close();
            }
        });
    });
    if confirmed {
        let confirmation = state.deletion_typed.take().unwrap_or_default();
        state
            .requests
            .push(Request::DeletePersonalData { confirmation });
    } else if modal.should_close() {
        state.deletion_typed = None;
    }
}
