//! Resultater: participants who ended each year and where they went, against the 50 % target.

use super::widgets::section_ui;
use super::{PageContext, PageState};
use crate::command::Command;
use crate::i18n::t;

pub fn outcomes_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    _state: &mut PageState,
    _out: &mut Vec<Command>,
) {
    let lang = context.lang;
    section_ui(ui, t(lang, "page.outcomes"));
    egui::Grid::new("outcomes_grid")
        .num_columns(6)
        .spacing([20.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for key in [
                "outcomes.year",
                "outcomes.ended",
                "outcomes.to_work",
                "outcomes.to_education",
                "outcomes.to_other",
                "outcomes.share",
            ] {
                ui.strong(t(lang, key));
            }
            ui.end_row();
            for outcome in &context.snapshot.outcomes {
                ui.label(outcome.year.to_string());
                ui.label(outcome.ended.to_string());
                ui.label(outcome.to_work.to_string());
                ui.label(outcome.to_education.to_string());
                ui.label(outcome.to_other.to_string());
                ui.label(
                    outcome
                        .work_or_education_share()
                        .map_or_else(|| "–".to_owned(), |s| format!("{:.0} %", s * 100.0)),
                );
                ui.end_row();
            }
        });
}
