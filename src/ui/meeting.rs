//! Tilbakemeldingsmøte: the record of the feedback meeting.

use super::widgets::{facts_grid_ui, section_ui};
use super::{PageContext, PageState};
use crate::command::Command;
use crate::i18n::{date, t};

pub fn meeting_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    _state: &mut PageState,
    _out: &mut Vec<Command>,
) {
    let meeting = &context.snapshot.feedback_meeting;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.meeting"));
    facts_grid_ui(
        ui,
        "meeting_grid",
        &[
            (t(lang, "meeting.date"), date(meeting.date)),
            (
                t(lang, "meeting.participants"),
                meeting.participants.join(", "),
            ),
        ],
    );
    section_ui(ui, t(lang, "meeting.summary"));
    ui.label(&meeting.summary);
    section_ui(ui, t(lang, "meeting.provider_comments"));
    ui.label(&meeting.provider_comments);
}
