//! The pages of a case. Each page draws from a `PageContext` (a read-only snapshot) and pushes the
//! `Command`s the user asked for; it never touches the store. Functions that draw end in `_ui`.

mod documents;
mod findings;
mod interviews;
mod meeting;
mod outcomes;
mod overview;
mod plan;
mod requirements;
pub mod widgets;

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::domain::CaseSnapshot;
use crate::i18n::{Labelled, Lang, t};

pub use widgets::enum_combo;

/// What a page needs to draw.
pub struct PageContext<'a> {
    pub snapshot: &'a CaseSnapshot,
    pub lang: Lang,
    /// For overdue marks.
    pub today: jiff::civil::Date,
}

/// The parts of a case, in the side navigation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    #[default]
    Overview,
    Requirements,
    Interviews,
    Documents,
    Findings,
    Meeting,
    Plan,
    Outcomes,
}

impl Page {
    pub const ALL: [Page; 8] = [
        Page::Overview,
        Page::Requirements,
        Page::Interviews,
        Page::Documents,
        Page::Findings,
        Page::Meeting,
        Page::Plan,
        Page::Outcomes,
    ];
}

impl Labelled for Page {
    const PREFIX: &'static str = "page";
}

/// Ctrl+1 … Ctrl+8 go to the pages in order.
pub const PAGE_KEYS: [egui::Key; 8] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
];

pub fn navigation_ui(ui: &mut egui::Ui, lang: Lang, page: &mut Page) {
    ui.add_space(6.0);
    ui.strong(t(lang, "nav.heading"));
    ui.add_space(4.0);
    for option in Page::ALL {
        ui.selectable_value(page, option, option.label(lang));
    }
}

pub fn page_ui(ui: &mut egui::Ui, page: Page, context: &PageContext<'_>, out: &mut Vec<Command>) {
    egui::ScrollArea::vertical()
        .id_salt(page)
        .auto_shrink([false, false])
        .show(ui, |ui| match page {
            Page::Overview => overview::overview_ui(ui, context, out),
            Page::Requirements => requirements::requirements_ui(ui, context),
            Page::Interviews => interviews::interviews_ui(ui, context),
            Page::Documents => documents::documents_ui(ui, context),
            Page::Findings => findings::findings_ui(ui, context),
            Page::Meeting => meeting::meeting_ui(ui, context),
            Page::Plan => plan::plan_ui(ui, context),
            Page::Outcomes => outcomes::outcomes_ui(ui, context),
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_a_name() {
        for lang in Lang::ALL {
            for page in Page::ALL {
                assert!(!page.label(lang).starts_with("page."), "{page:?}");
            }
        }
    }
}
