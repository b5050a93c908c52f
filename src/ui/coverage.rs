//! Dekningsmatrise: requirements × sources, so an evaluator sees at a glance whether each
//! requirement and finding rests on more than one side's view.

use super::widgets::section_ui;
use super::{PageContext, PageState};
use crate::command::Command;
use crate::i18n::t;

pub fn coverage_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    _state: &mut PageState,
    _out: &mut Vec<Command>,
) {
    section_ui(ui, t(context.lang, "page.coverage"));
}
