//! Small widgets shared by the pages.

use crate::domain::{CaseSnapshot, RequirementId};
use crate::i18n::{Labelled, Lang};

/// A combo box over an enum's values, labelled in the UI language. `label` is the widget that
/// names it (for screen readers). Returns true when changed.
pub fn enum_combo<T: Labelled + Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &egui::Response,
    lang: Lang,
    value: &mut T,
    options: &[T],
) -> bool {
    let before = *value;
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(value.label(lang))
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(value, *option, option.label(lang));
            }
        })
        .response
        .labelled_by(label.id);
    *value != before
}

/// A heading with a little space above it.
pub fn section_ui(ui: &mut egui::Ui, title: &str) {
    ui.add_space(10.0);
    ui.heading(title);
    ui.add_space(4.0);
}

/// Requirement codes for a list of ids, e.g. "KOMP-1, KOMP-2".
pub fn requirement_codes(snapshot: &CaseSnapshot, ids: &[RequirementId]) -> String {
    ids.iter()
        .filter_map(|id| snapshot.requirement(*id).map(|r| r.code.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A two-column grid of label → value rows.
pub fn facts_grid_ui(ui: &mut egui::Ui, id_salt: &str, rows: &[(&str, String)]) {
    // Long values wrap inside the value column instead of running into what stands beside.
    let value_width = (ui.available_width() * 0.6).max(120.0);
    egui::Grid::new(id_salt)
        .num_columns(2)
        .spacing([16.0, 6.0])
        .max_col_width(value_width)
        .striped(true)
        .show(ui, |ui| {
            for (label, value) in rows {
                ui.strong(*label);
                ui.add(egui::Label::new(value.as_str()).wrap());
                ui.end_row();
            }
        });
}
