//! Small widgets shared by the pages.

use super::drafts::Drafts;
use crate::command::Command;
use crate::domain::{CaseSnapshot, EvidenceRef, RequirementId};
use crate::i18n::{Labelled, Lang, t};

/// How a `draft_text` field is drawn.
#[derive(Clone, Copy)]
pub enum TextKind {
    Single,
    Multi { rows: usize },
}

/// A text field bound to a stored value: it shows the draft while one is typed, otherwise the
/// stored text (so undo and other edits show at once). `make` turns the typed text into the
/// command that stores it; `Drafts` decides when. `label` names the field for screen readers.
pub fn draft_text(
    ui: &mut egui::Ui,
    drafts: &mut Drafts,
    id: egui::Id,
    stored: &str,
    kind: TextKind,
    label: Option<&egui::Response>,
    make: impl FnOnce(String) -> Command,
) -> egui::text_edit::TextEditOutput {
    checked_draft_text(ui, drafts, id, stored, kind, label, |text| Ok(make(text)))
}

/// A span of stored text to show marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub start_char: usize,
    pub end_char: usize,
    pub style: MarkStyle,
}

/// How a mark is drawn; where marks overlap, the later style wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkStyle {
    /// An excerpt.
    Soft,
    /// What the user was led to (a search hit, a linked excerpt).
    Strong,
    /// Something that must not be there: an identity number, e-mail address or phone number.
    Warning,
}

/// `draft_text` for multi-line text with `marks` drawn behind the stored text. While a draft
/// differs from what is stored the marks are not drawn: their offsets belong to the stored text.
#[allow(clippy::too_many_arguments)]
pub fn marked_draft_text(
    ui: &mut egui::Ui,
    drafts: &mut Drafts,
    id: egui::Id,
    stored: &str,
    rows: usize,
    label: Option<&egui::Response>,
    marks: &[Mark],
    make: impl FnOnce(String) -> Command,
) -> egui::text_edit::TextEditOutput {
    let marks = if drafts.text(id).is_some() {
        &[][..]
    } else {
        marks
    };
    draft_text_with(
        ui,
        drafts,
        id,
        stored,
        TextKind::Multi { rows },
        label,
        marks,
        |text| Ok(make(text)),
    )
}

/// The text laid out with `marks` as background colour.
fn marked_layout(
    ui: &egui::Ui,
    text: &str,
    marks: &[Mark],
    wrap_width: f32,
) -> egui::text::LayoutJob {
    let plain = egui::TextFormat {
        font_id: egui::TextStyle::Body.resolve(ui.style()),
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let selection = ui.visuals().selection.bg_fill;
    let format = |style: Option<MarkStyle>| match style {
        None => plain.clone(),
        Some(MarkStyle::Soft) => egui::TextFormat {
            background: selection.gamma_multiply(0.35),
            ..plain.clone()
        },
        Some(MarkStyle::Strong) => egui::TextFormat {
            background: selection,
            ..plain.clone()
        },
        Some(MarkStyle::Warning) => egui::TextFormat {
            background: ui.visuals().error_fg_color.gamma_multiply(0.45),
            underline: egui::Stroke::new(1.5, ui.visuals().error_fg_color),
            ..plain.clone()
        },
    };
    let mut job = egui::text::LayoutJob::default();
    let mut section = String::new();
    let mut current: Option<MarkStyle> = None;
    for (index, c) in text.chars().enumerate() {
        let mark = marks
            .iter()
            .filter(|m| m.start_char <= index && index < m.end_char)
            .map(|m| m.style)
            .max();
        if mark != current && !section.is_empty() {
            job.append(&std::mem::take(&mut section), 0.0, format(current));
        }
        current = mark;
        section.push(c);
    }
    job.append(&section, 0.0, format(current));
    job.wrap.max_width = wrap_width;
    job
}

/// `draft_text` for text that can be wrong (an organisation number): while `make` says why the
/// text is not valid, the draft is kept, not stored, and the reason is shown under the field.
pub fn checked_draft_text(
    ui: &mut egui::Ui,
    drafts: &mut Drafts,
    id: egui::Id,
    stored: &str,
    kind: TextKind,
    label: Option<&egui::Response>,
    make: impl FnOnce(String) -> Result<Command, String>,
) -> egui::text_edit::TextEditOutput {
    draft_text_with(ui, drafts, id, stored, kind, label, &[], make)
}

#[allow(clippy::too_many_arguments)]
fn draft_text_with(
    ui: &mut egui::Ui,
    drafts: &mut Drafts,
    id: egui::Id,
    stored: &str,
    kind: TextKind,
    label: Option<&egui::Response>,
    marks: &[Mark],
    make: impl FnOnce(String) -> Result<Command, String>,
) -> egui::text_edit::TextEditOutput {
    let mut layouter = |ui: &egui::Ui, text: &dyn egui::TextBuffer, wrap_width: f32| {
        let job = marked_layout(ui, text.as_str(), marks, wrap_width);
        ui.fonts_mut(|fonts| fonts.layout_job(job))
    };
    let mut text = drafts.text(id).unwrap_or(stored).to_owned();
    let problem = drafts.problem(id).map(str::to_owned);
    let edit = match kind {
        TextKind::Single => egui::TextEdit::singleline(&mut text),
        TextKind::Multi { rows } => egui::TextEdit::multiline(&mut text).desired_rows(rows),
    };
    let output = ui
        .scope(|ui| {
            if problem.is_some() {
                let error = ui.visuals().error_fg_color;
                ui.visuals_mut().widgets.inactive.bg_stroke = egui::Stroke::new(1.0, error);
                ui.visuals_mut().selection.stroke = egui::Stroke::new(1.0, error);
            }
            let edit = edit.id(id).desired_width(ui.available_width().min(900.0));
            if marks.is_empty() {
                edit.show(ui)
            } else {
                edit.layouter(&mut layouter).show(ui)
            }
        })
        .inner;
    if let Some(label) = label {
        let _ = output.response.response.clone().labelled_by(label.id);
    }
    if output.response.changed() {
        if text == stored {
            drafts.discard(id);
        } else {
            let now = ui.input(|i| i.time);
            let command = make(text.clone());
            drafts.set(id, text, command, now);
        }
    }
    if output.response.lost_focus() {
        drafts.finish(id);
    }
    if let Some(problem) = drafts.problem(id) {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    output
}

/// An optional date: a date picker with a clear button, or a button that sets it to `today`.
/// `name` is the field's label: a screen reader hears «Periode fra: 12.01.2026», not the date
/// alone. Returns the new value when the user changed it.
pub fn optional_date(
    ui: &mut egui::Ui,
    id_salt: &str,
    name: &str,
    lang: Lang,
    value: Option<jiff::civil::Date>,
    today: jiff::civil::Date,
) -> Option<Option<jiff::civil::Date>> {
    let mut changed = None;
    ui.horizontal(|ui| {
        if let Some(date) = value {
            let mut picked = date;
            ui.add(
                egui_extras::DatePickerButton::new(&mut picked)
                    .id_salt(id_salt)
                    .format(crate::i18n::date_format(lang))
                    .show_icon(false),
            )
            .accessible_name(format!("{name}: {}", crate::i18n::date(lang, Some(date))));
            if picked != date {
                changed = Some(Some(picked));
            }
            let clear = crate::i18n::t(lang, "date.clear");
            if ui
                .small_button("×")
                .accessible_name(format!("{name}: {clear}"))
                .on_hover_text(clear)
                .clicked()
            {
                changed = Some(None);
            }
        } else {
            let set = crate::i18n::t(lang, "date.set");
            if ui
                .button(set)
                .accessible_name(format!("{name}: {set}"))
                .clicked()
            {
                changed = Some(Some(today));
            }
        }
    });
    changed
}

/// A combo box over an enum's values, labelled in the UI language. `label` is the widget that
/// names it (for screen readers). Returns true when changed.
pub fn enum_combo<T: Labelled + Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &egui::Response,
    lang: Lang,
    value: &mut T,
    options: &[T],
) -> bool {
    enum_combo_named(ui, label, None, lang, value, options)
}

/// The same, with a name of its own for a screen reader where the label alone is not enough
/// (one such box per row of a list).
pub fn enum_combo_named<T: Labelled + Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &egui::Response,
    name: Option<String>,
    lang: Lang,
    value: &mut T,
    options: &[T],
) -> bool {
    let before = *value;
    let response = egui::ComboBox::from_id_salt(label.id)
        .selected_text(value.label(lang))
        .truncate()
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(value, *option, option.label(lang));
            }
        })
        .response
        .labelled_by(label.id);
    if let Some(name) = name {
        let _ = response.accessible_name(name);
    }
    *value != before
}

/// Picks one of the roles the case's catalog declares.
pub fn role_combo(
    ui: &mut egui::Ui,
    label: &egui::Response,
    programme: &crate::domain::Programme,
    lang: Lang,
    value: &mut crate::domain::RoleId,
) -> bool {
    let before = value.clone();
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(programme.role_name(value, lang.code()))
        .truncate()
        .show_ui(ui, |ui| {
            for role in &programme.roles {
                ui.selectable_value(
                    value,
                    role.id.clone(),
                    programme.role_name(&role.id, lang.code()),
                );
            }
        })
        .response
        .labelled_by(label.id);
    *value != before
}

/// Picks one requirement of the case's catalog, shown as "IP-1 Plan innen fire uker".
pub fn requirement_combo(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    label: &egui::Response,
    snapshot: &CaseSnapshot,
    lang: Lang,
    selected: &mut Option<RequirementId>,
) -> bool {
    let before = *selected;
    let text = selected
        .and_then(|id| snapshot.requirement(id))
        .map_or_else(
            || crate::i18n::t(lang, "requirements.pick").to_owned(),
            |r| format!("{} {}", r.code, r.title),
        );
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(text)
        .width(320.0)
        .height(360.0)
        .show_ui(ui, |ui| {
            for requirement in &snapshot.requirements {
                ui.selectable_value(
                    selected,
                    Some(requirement.id),
                    format!("{} {}", requirement.code, requirement.title),
                );
            }
        })
        .response
        .labelled_by(label.id);
    *selected != before
}

/// A list of one-line rows, laid out only where visible, so a list of thousands scrolls as
/// smoothly as one of ten. Long rows are cut with "…" and shown whole on hover. Returns the
/// index of the row clicked this frame.
pub fn row_list(
    ui: &mut egui::Ui,
    id_salt: &str,
    rows: &[String],
    selected: Option<usize>,
) -> Option<usize> {
    let row_height = ui.spacing().interact_size.y;
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt(id_salt)
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for index in range {
                let text = &rows[index];
                let response = ui
                    .allocate_ui_with_layout(
                        egui::vec2(ui.available_width(), row_height),
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| {
                            ui.add(
                                egui::Button::selectable(selected == Some(index), text.as_str())
                                    .truncate(),
                            )
                        },
                    )
                    .inner;
                if response.on_hover_text(text).clicked() {
                    clicked = Some(index);
                }
            }
        });
    clicked
}

/// The left half of a list-and-editor page: a resizable panel for the list.
pub fn list_panel(ui: &mut egui::Ui, lang: Lang, id_salt: &str, add: impl FnOnce(&mut egui::Ui)) {
    egui::Panel::left(id_salt)
        .resizable(true)
        .default_size(300.0)
        .min_size(220.0)
        .show(ui, add);
    name_resize_handle(ui, id_salt, t(lang, "widgets.resize_list"));
}

/// Names the drag handle of column `column` of the table `table_salt` just shown in `ui`:
/// egui_extras gives it no name at all. The id is the one egui_extras gives it.
pub fn name_column_handle(ui: &egui::Ui, table_salt: &str, column: usize, name: &str) {
    // egui_extras salts with the table's IdSalt, hashed once more.
    let handle = ui
        .scope_id()
        .with(egui::IdSalt::new(table_salt))
        .with("resize_column")
        .with(column);
    if ui.ctx().read_response(handle).is_some() {
        let name = name.to_owned();
        ui.ctx()
            .accesskit_node_builder(handle, |node| node.set_label(name));
    }
}

/// Names the drag handle of the resizable side panel `id_salt` just shown in `ui`. egui names
/// every such handle "Resize panel", in English, so a screen reader on a page with two panels
/// hears the same name twice. The handle's id is the one egui gives it (the panel's id with
/// "__resize"); the accessibility test of the real binary fails if that ever changes.
pub fn name_resize_handle(ui: &egui::Ui, id_salt: &str, name: &str) {
    let handle = ui.scope_id().with(id_salt).with("__resize");
    if ui.ctx().read_response(handle).is_some() {
        let name = name.to_owned();
        ui.ctx()
            .accesskit_node_builder(handle, |node| node.set_label(name));
    }
}

/// The right half of a list-and-editor page: the selected item's editor, scrolling on its own;
/// `empty` says what to do when nothing is selected.
pub fn editor_panel<T>(
    ui: &mut egui::Ui,
    id_salt: &str,
    selected: Option<T>,
    empty: &str,
    add: impl FnOnce(&mut egui::Ui, T),
) {
    // Drawn in what the list panel left of `ui`, not in a central panel of its own: that one
    // would size itself to the window and run under a side panel such as the search.
    if let Some(item) = selected {
        egui::ScrollArea::vertical()
            .id_salt(id_salt)
            .auto_shrink([false, false])
            .show(ui, |ui| add(ui, item));
    } else {
        ui.add_space(10.0);
        ui.weak(empty);
    }
}

/// Green for evidence that supports a requirement, the theme's error colour for evidence against.
pub fn stance_color(visuals: &egui::Visuals, stance: crate::domain::Stance) -> egui::Color32 {
    match stance {
        crate::domain::Stance::Supports => egui::Color32::from_rgb(0x43, 0xa0, 0x47),
        crate::domain::Stance::Contradicts => visuals.error_fg_color,
    }
}

/// A requirement link as "IP-1 · motsier" in its stance's colour (the title on hover), with a
/// small "×" that removes it. Returns true when "×" was clicked.
pub fn link_chip(
    ui: &mut egui::Ui,
    lang: Lang,
    requirement: &crate::domain::Requirement,
    stance: crate::domain::Stance,
    with_title: bool,
    unlink_hint: &str,
) -> bool {
    let name = if with_title {
        format!("{} {}", requirement.code, requirement.title)
    } else {
        requirement.code.clone()
    };
    ui.colored_label(
        stance_color(ui.visuals(), stance),
        format!("{name} · {}", crate::i18n::in_sentence(&stance.label(lang))),
    )
    .on_hover_text(&requirement.title);
    ui.small_button("×")
        .accessible_name(format!("{unlink_hint}: {name}"))
        .on_hover_text(unlink_hint)
        .clicked()
}

/// A heading with a little space above it.
pub fn section_ui(ui: &mut egui::Ui, title: &str) {
    ui.add_space(10.0);
    ui.heading(title);
    ui.add_space(4.0);
}

/// Requirement codes for a list of ids, e.g. "KOMP-1, KOMP-2".
pub fn requirement_codes(snapshot: &CaseSnapshot, ids: &[RequirementId]) -> String {
    snapshot.requirement_codes(ids)
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

/// A drop-down of the case's excerpts and document reviews, leaving out those in `linked`.
/// Returns the one picked this frame.
pub fn evidence_picker(
    ui: &mut egui::Ui,
    snapshot: &CaseSnapshot,
    lang: Lang,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    linked: &[EvidenceRef],
    label: &egui::Response,
) -> Option<EvidenceRef> {
    let mut picked: Option<EvidenceRef> = None;
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(crate::i18n::t(lang, "findings.pick_evidence"))
        .width(420.0)
        .height(360.0)
        .show_ui(ui, |ui| {
            for interview in &snapshot.interviews {
                for excerpt in &interview.excerpts {
                    let evidence = EvidenceRef::Excerpt(excerpt.id);
                    if linked.contains(&evidence) {
                        continue;
                    }
                    let text = format!(
                        "{} {} · «{}»",
                        crate::i18n::role_name(snapshot, &interview.fields.role, lang),
                        crate::i18n::date(lang, Some(interview.fields.date)),
                        super::interviews::shorten(&excerpt.quote, 70)
                    );
                    ui.selectable_value(&mut picked, Some(evidence), text);
                }
            }
            for review in &snapshot.document_reviews {
                let evidence = EvidenceRef::DocumentReview(review.id);
                if linked.contains(&evidence) {
                    continue;
                }
                let text = format!(
                    "{} · {}",
                    review.fields.kind.label(lang),
                    review.fields.title
                );
                ui.selectable_value(&mut picked, Some(evidence), text);
            }
        })
        .response
        .labelled_by(label.id);
    picked
}

/// Draws `add` only when its block can be seen; off screen, it takes the height it had when last
/// drawn. A long page (a plan of a thousand actions) then costs what is visible, not what it
/// holds. `force` draws it anyway (e.g. to scroll to something in it).
pub fn lazy_block(ui: &mut egui::Ui, id: egui::Id, force: bool, add: impl FnOnce(&mut egui::Ui)) {
    let width = ui.available_width();
    let known: Option<f32> = ui.data(|d| d.get_temp(id));
    if let Some(height) = known
        && !force
    {
        let rect = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(width, height));
        if !ui.is_rect_visible(rect) {
            ui.allocate_space(egui::vec2(width, height));
            return;
        }
    }
    let height = ui.scope(add).response.rect.height();
    ui.data_mut(|d| d.insert_temp(id, height));
}

/// A chart's name for a screen reader: what it shows, said to be a chart (the plot itself has
/// no name, and takes keyboard focus).
pub fn chart_name(lang: Lang, title_key: &str) -> String {
    crate::i18n::tf(lang, "chart.named", &[("title", &t(lang, title_key))])
}
