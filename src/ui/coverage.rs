//! Dekningsmatrise: requirements × sources, so an evaluator sees at a glance whether each
//! requirement and finding rests on more than one side's view.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::interviews::shorten;
use super::widgets::section_ui;
use super::{Focus, PageContext, PageState};
use crate::command::Command;
use crate::domain::coverage::{Coverage, Mix, Row, Source};
use crate::domain::programme::COLOUR_SLOTS;
use crate::domain::{CaseSnapshot, EvidenceRef, Programme, Requirement, RequirementId, Stance};
use crate::i18n::{Labelled, Lang, Quote, counted, evidence_reference, in_sentence, t, tf};

/// A source's name: the source group's as the catalog gives it, or «Dokumenter».
fn source_label(programme: &Programme, source: &Source, lang: Lang) -> String {
    match source {
        Source::Group(group) => programme.group_name(group, lang.code()),
        Source::Documents => t(lang, "coverage.source_documents").to_owned(),
    }
}

/// A source group's colour slot as a colour that reads on both themes (Okabe–Ito's
/// colour-blind-safe set); documents have none.
fn slot_colour(programme: &Programme, source: &Source) -> Option<Color32> {
    const PALETTE: [Color32; COLOUR_SLOTS as usize] = [
        Color32::from_rgb(0, 114, 178),
        Color32::from_rgb(230, 159, 0),
        Color32::from_rgb(204, 121, 167),
        Color32::from_rgb(0, 158, 115),
        Color32::from_rgb(213, 94, 0),
        Color32::from_rgb(86, 180, 233),
    ];
    match source {
        Source::Group(group) => programme
            .group(group)
            .and_then(|g| PALETTE.get(usize::from(g.colour)).copied()),
        Source::Documents => None,
    }
}

/// The clicked cell: a requirement and one source column, or all its sources (its name was
/// clicked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Selection {
    requirement_id: RequirementId,
    column: Option<usize>,
}

/// What the page remembers between frames. Kept in egui memory, keyed by case, because
/// `PageState` belongs to the page switcher.
#[derive(Clone, Copy, Debug, Default)]
struct CoverageState {
    selected: Option<Selection>,
}

const ROW_HEIGHT: f32 = 24.0;

pub fn coverage_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    _out: &mut Vec<Command>,
) {
    let memory_id = egui::Id::unique(("coverage_state", &context.snapshot.case_id));
    let mut view: CoverageState = ui.data_mut(|d| *d.get_temp_mut_or_default(memory_id));
    let before = view.selected;
    let matrix = &context.derived.coverage;
    // A selection whose requirement is gone (undo, another catalog) shows nothing.
    if view
        .selected
        .is_some_and(|s| matrix.row(s.requirement_id).is_none())
    {
        view.selected = None;
    }

    // The detail panel only when asked for: the matrix needs the width more.
    if let Some(selection) = view.selected {
        egui::Panel::right("coverage_detail")
            .resizable(true)
            .default_size(320.0)
            .min_size(240.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("coverage_detail_scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        detail_ui(ui, context, matrix, selection, &mut view, state);
                    });
            });
        super::widgets::name_resize_handle(
            ui,
            "coverage_detail",
            t(context.lang, "widgets.resize_detail"),
        );
    }
    egui::CentralPanel::default().show(ui, |ui| {
        matrix_ui(ui, context, matrix, &mut view);
    });

    if view.selected != before {
        ui.ctx().request_repaint();
    }
    ui.data_mut(|d| d.insert_temp(memory_id, view));
}

/// Fill colours that read on both themes: a translucent tint over the panel, text unchanged.
/// `hovered` deepens the tint.
fn mix_fill(visuals: &egui::Visuals, mix: Mix, hovered: bool) -> Option<Color32> {
    let green = if visuals.dark_mode {
        Color32::from_rgb(60, 170, 90)
    } else {
        Color32::from_rgb(40, 160, 70)
    };
    let base = match mix {
        Mix::Empty => return None,
        Mix::Supports => green,
        Mix::Contradicts => visuals.error_fg_color,
        Mix::Mixed => visuals.warn_fg_color,
    };
    let alpha = match (visuals.dark_mode, hovered) {
        (true, false) => 0.45,
        (true, true) => 0.7,
        (false, false) => 0.35,
        (false, true) => 0.55,
    };
    Some(base.gamma_multiply(alpha))
}

fn stance_color(visuals: &egui::Visuals, stance: Stance) -> Color32 {
    match stance {
        Stance::Supports if visuals.dark_mode => Color32::from_rgb(110, 200, 130),
        Stance::Supports => Color32::from_rgb(20, 120, 50),
        Stance::Contradicts => visuals.error_fg_color,
    }
}

fn matrix_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    matrix: &Coverage,
    view: &mut CoverageState,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    section_ui(ui, t(lang, "page.coverage"));
    if snapshot.requirements.is_empty() {
        ui.weak(t(lang, "coverage.no_requirements"));
        return;
    }
    ui.label(tf(
        lang,
        "coverage.summary",
        &[
            (
                "requirements",
                &counted(lang, "requirements", matrix.rows.len()),
            ),
            ("without", &matrix.without_evidence()),
            ("single", &matrix.single_source()),
        ],
    ));
    legend_ui(ui, lang);
    let programme = &snapshot.programme;
    if view.selected.is_none() {
        ui.weak(t(lang, "coverage.pick_cell"));
    }
    ui.add_space(6.0);

    let groups = area_groups(snapshot, matrix, lang);
    egui::ScrollArea::horizontal()
        .id_salt("coverage_matrix_h")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("coverage_matrix")
                .striped(true)
                .auto_shrink([false, false])
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(
                    Column::initial(290.0)
                        .range(200.0..=560.0)
                        .resizable(true)
                        .clip(true),
                )
                .columns(Column::auto().at_least(84.0), matrix.sources.len())
                .column(Column::auto().at_least(56.0))
                .column(Column::remainder().at_least(130.0).clip(true))
                .header(ROW_HEIGHT, |mut header| {
                    header.col(|ui| {
                        ui.strong(t(lang, "coverage.requirement"));
                    });
                    for source in &matrix.sources {
                        header.col(|ui| {
                            if let Some(colour) = slot_colour(programme, source) {
                                let (rect, _) = ui.allocate_exact_size(
                                    egui::vec2(6.0, 14.0),
                                    egui::Sense::hover(),
                                );
                                ui.painter().rect_filled(rect, 1.0, colour);
                            }
                            ui.strong(source_label(programme, source, lang))
                                .on_hover_text(source_hint(programme, source, lang));
                        });
                    }
                    header.col(|ui| {
                        ui.strong(t(lang, "coverage.sources"))
                            .on_hover_text(t(lang, "coverage.sources_hint"));
                    });
                    header.col(|ui| {
                        ui.strong(t(lang, "coverage.findings"));
                    });
                })
                .body(|mut body| {
                    for group in &groups {
                        body.row(ROW_HEIGHT, |mut row| {
                            row.col(|ui| {
                                ui.label(RichText::new(group.title).strong());
                            });
                            for _ in 0..matrix.sources.len() + 2 {
                                row.col(|_| {});
                            }
                        });
                        for (requirement, line) in &group.rows {
                            body.row(ROW_HEIGHT, |mut row| {
                                row.col(|ui| requirement_cell_ui(ui, requirement, view));
                                for (column, source) in matrix.sources.iter().enumerate() {
                                    let name = source_label(programme, source, lang);
                                    row.col(|ui| {
                                        evidence_cell_ui(
                                            ui,
                                            lang,
                                            requirement,
                                            line,
                                            (column, &name),
                                            view,
                                        );
                                    });
                                }
                                row.col(|ui| sources_cell_ui(ui, lang, line));
                                row.col(|ui| findings_cell_ui(ui, snapshot, lang, line));
                            });
                        }
                    }
                });
            super::widgets::name_column_handle(
                ui,
                "coverage_matrix",
                0,
                t(lang, "widgets.resize_requirement_column"),
            );
        });
}

/// The requirements of one area, with their matrix rows.
struct AreaGroup<'a> {
    title: &'a str,
    rows: Vec<(&'a Requirement, &'a Row)>,
}

/// Areas in catalog order, then any requirement whose area is not in the catalog copy.
fn area_groups<'a>(
    snapshot: &'a CaseSnapshot,
    matrix: &'a Coverage,
    lang: Lang,
) -> Vec<AreaGroup<'a>> {
    let lines = || snapshot.requirements.iter().zip(&matrix.rows);
    let mut groups: Vec<AreaGroup<'a>> = snapshot
        .areas
        .iter()
        .map(|area| AreaGroup {
            title: &area.title,
            rows: lines().filter(|(r, _)| r.area_code == area.code).collect(),
        })
        .collect();
    let orphans: Vec<_> = lines()
        .filter(|(r, _)| !snapshot.areas.iter().any(|a| a.code == r.area_code))
        .collect();
    if !orphans.is_empty() {
        groups.push(AreaGroup {
            title: t(lang, "coverage.other_area"),
            rows: orphans,
        });
    }
    groups
}

fn source_hint(programme: &Programme, source: &Source, lang: Lang) -> String {
    match source {
        Source::Group(group) => {
            let roles: Vec<String> = programme
                .roles_in(group)
                .map(|role| in_sentence(&programme.role_name(&role.id, lang.code())))
                .collect();
            tf(lang, "coverage.group_hint", &[("roles", &roles.join(", "))])
        }
        Source::Documents => t(lang, "coverage.documents_hint").to_owned(),
    }
}

fn legend_ui(ui: &mut egui::Ui, lang: Lang) {
    ui.horizontal_wrapped(|ui| {
        ui.weak(t(lang, "coverage.legend"));
        for (mix, key) in [
            (Mix::Supports, "coverage.legend_supports"),
            (Mix::Contradicts, "coverage.legend_contradicts"),
            (Mix::Mixed, "coverage.legend_mixed"),
        ] {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            if let Some(fill) = mix_fill(ui.visuals(), mix, false) {
                ui.painter().rect_filled(rect, 2.0, fill);
            }
            ui.label(t(lang, key));
            ui.add_space(8.0);
        }
        ui.label(t(lang, "coverage.legend_empty"));
        ui.add_space(8.0);
        ui.label(t(lang, "coverage.legend_sources"));
    });
}

/// "IP-1 Plan innen fire uker"; a click shows the evidence from all sources.
fn requirement_cell_ui(ui: &mut egui::Ui, requirement: &Requirement, view: &mut CoverageState) {
    let selection = Selection {
        requirement_id: requirement.id,
        column: None,
    };
    let selected = view.selected == Some(selection);
    let text = format!("{} {}", requirement.code, shorten(&requirement.title, 36));
    // The name is the whole title: the shortened one is for the eye, in a narrow column.
    let response = ui
        .selectable_label(selected, text)
        .accessible_name(format!("{} {}", requirement.code, requirement.title))
        .on_hover_text(format!(
            "{} {}\n\n{}",
            requirement.code, requirement.title, requirement.text
        ));
    if response.clicked() {
        view.selected = if selected { None } else { Some(selection) };
    }
}

fn evidence_cell_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    requirement: &Requirement,
    row: &Row,
    (column, source_name): (usize, &str),
    view: &mut CoverageState,
) {
    let Some(cell) = row.cells.get(column) else {
        return;
    };
    if cell.mix() == Mix::Empty {
        ui.weak("–")
            .on_hover_text(tf(lang, "coverage.cell_empty", &[("source", &source_name)]));
        return;
    }
    let selection = Selection {
        requirement_id: requirement.id,
        column: Some(column),
    };
    let selected = view.selected == Some(selection);
    let supports = cell.with(Stance::Supports);
    let contradicts = cell.with(Stance::Contradicts);
    // Painted by hand: a framed button swaps its fill for the focus style, hiding the colour.
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(44.0, ROW_HEIGHT - 4.0), egui::Sense::click());
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let radius = visuals.widgets.inactive.corner_radius;
        if let Some(fill) = mix_fill(visuals, cell.mix(), response.hovered()) {
            ui.painter().rect_filled(rect, radius, fill);
        }
        let stroke = if selected {
            egui::Stroke::new(2.0, visuals.strong_text_color())
        } else if response.has_focus() {
            visuals.selection.stroke
        } else {
            egui::Stroke::NONE
        };
        ui.painter()
            .rect_stroke(rect, radius, stroke, egui::StrokeKind::Inside);
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            cell.count().to_string(),
            egui::TextStyle::Button.resolve(ui.style()),
            visuals.strong_text_color(),
        );
    }
    if response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    let response = response.on_hover_text(tf(
        lang,
        "coverage.cell_hover",
        &[("supports", &supports), ("contradicts", &contradicts)],
    ));
    // The button shows a bare number; a screen reader needs the row, the column and the mix.
    let label = tf(
        lang,
        "coverage.cell_label",
        &[
            ("requirement", &requirement.code),
            ("source", &source_name),
            ("evidence", &counted(lang, "evidence", cell.count())),
            ("supports", &supports),
            ("contradicts", &contradicts),
        ],
    );
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, selected, label.clone())
    });
    if response.clicked() {
        view.selected = if selected { None } else { Some(selection) };
    }
}

/// The number of source columns with evidence, marked when it is too few to triangulate.
fn sources_cell_ui(ui: &mut egui::Ui, lang: Lang, row: &Row) {
    let sources = row.sources();
    let text = sources.to_string();
    match sources {
        0 => {
            ui.colored_label(ui.visuals().error_fg_color, text)
                .on_hover_text(t(lang, "coverage.sources_none"));
        }
        1 => {
            ui.colored_label(ui.visuals().warn_fg_color, text)
                .on_hover_text(t(lang, "coverage.sources_one"));
        }
        _ => {
            ui.label(text)
                .on_hover_text(tf(lang, "coverage.sources_many", &[("count", &sources)]));
        }
    }
}

/// "1 avvik, 1 god praksis", with the findings' titles on hover.
fn findings_cell_ui(ui: &mut egui::Ui, snapshot: &CaseSnapshot, lang: Lang, row: &Row) {
    if row.findings.is_empty() {
        ui.weak("–");
        return;
    }
    let text = row
        .finding_kinds()
        .into_iter()
        .map(|(kind, count)| {
            let code = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            counted(lang, &format!("finding_kind.{code}"), count)
        })
        .collect::<Vec<_>>()
        .join(", ");
    // The titles are looked up only while the pointer rests on the cell, not every frame.
    ui.label(text).on_hover_ui(|ui| {
        let titles = row
            .findings
            .iter()
            .filter_map(|(id, _)| snapshot.finding(*id))
            .map(|f| format!("{}: {}", f.kind.label(lang), f.fields.title))
            .collect::<Vec<_>>()
            .join("\n");
        ui.label(titles);
    });
}

/// The evidence behind the selected cell, each piece with a way to open it where it lives.
fn detail_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    matrix: &Coverage,
    selection: Selection,
    view: &mut CoverageState,
    state: &mut PageState,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    let (Some(requirement), Some(row)) = (
        snapshot.requirement(selection.requirement_id),
        matrix.row(selection.requirement_id),
    ) else {
        return;
    };
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        ui.heading(t(lang, "coverage.detail"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(t(lang, "coverage.close")).clicked() {
                view.selected = None;
            }
        });
    });
    ui.add_space(4.0);
    ui.add(
        egui::Label::new(
            RichText::new(format!("{} {}", requirement.code, requirement.title)).strong(),
        )
        .wrap(),
    );
    ui.add(egui::Label::new(RichText::new(&requirement.text).weak()).wrap());
    ui.add_space(6.0);

    let columns: Vec<usize> = match selection.column {
        Some(column) => vec![column],
        None => (0..matrix.sources.len()).collect(),
    };
    for column in columns {
        let (Some(source), Some(cell)) = (matrix.sources.get(column), row.cells.get(column)) else {
            continue;
        };
        ui.strong(tf(
            lang,
            "coverage.source_count",
            &[
                ("source", &source_label(&snapshot.programme, source, lang)),
                ("count", &cell.count()),
            ],
        ));
        if cell.links.is_empty() {
            ui.weak(t(lang, "coverage.no_evidence"));
        }
        for (evidence, stance) in &cell.links {
            evidence_ui(ui, snapshot, lang, *evidence, *stance, state);
        }
        ui.add_space(6.0);
    }

    ui.add_space(4.0);
    ui.strong(t(lang, "coverage.findings_on"));
    if row.findings.is_empty() {
        ui.weak(t(lang, "coverage.no_findings"));
    }
    for finding in row
        .findings
        .iter()
        .filter_map(|(id, _)| snapshot.finding(*id))
    {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} · {}",
                finding.kind.label(lang),
                finding.fields.title
            ));
            if ui.small_button(t(lang, "coverage.show_finding")).clicked() {
                open(state, Focus::Finding(finding.id));
            }
        });
    }
}

fn evidence_ui(
    ui: &mut egui::Ui,
    snapshot: &CaseSnapshot,
    lang: Lang,
    evidence: EvidenceRef,
    stance: Stance,
    state: &mut PageState,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.colored_label(stance_color(ui.visuals(), stance), stance.label(lang));
        ui.add(
            egui::Label::new(evidence_reference(snapshot, evidence, lang, Quote::Always)).wrap(),
        );
        let (key, focus) = match evidence {
            EvidenceRef::Excerpt(id) => ("coverage.show_interview", Focus::Excerpt(id)),
            EvidenceRef::DocumentReview(id) => ("coverage.show_document", Focus::Document(id)),
        };
        if ui.small_button(t(lang, key)).clicked() {
            open(state, focus);
        }
    });
}

/// Asks the page switcher to show `focus` on its own page.
fn open(state: &mut PageState, focus: Focus) {
    state.focus = Some(focus);
    state.goto = Some(focus.page());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_translated() {
        let programme = Programme::standard();
        for lang in Lang::ALL {
            for source in Source::all(programme) {
                let label = source_label(programme, &source, lang);
                assert!(
                    !label.contains('.') && !label.contains('_'),
                    "{lang:?} {source:?}"
                );
            }
        }
    }

    #[test]
    fn every_group_of_a_programme_has_its_own_colour() {
        let programme = Programme::standard();
        let colours: Vec<Color32> = Source::all(programme)
            .iter()
            .filter_map(|s| slot_colour(programme, s))
            .collect();
        assert_eq!(colours.len(), programme.source_groups.len());
        let mut distinct = colours.clone();
        distinct.dedup();
        assert_eq!(distinct, colours);
    }
}
