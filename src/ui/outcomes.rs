//! Resultater: participants who ended each year and where they went, edited in a table, and the
//! share that went on to work or education drawn against the target.

use egui_plot::{Bar, BarChart, GridMark, HLine, LineStyle, Plot, PlotPoint, Text};

use super::widgets::section_ui;
use super::{PageContext, PageState};
use crate::command::Command;
use crate::domain::Outcome;
use crate::i18n::{Lang, t, tf};

use crate::domain::outcome::TARGET_SHARE_PERCENT;

/// The chart's height: enough to read, small enough to leave the table in view.
const CHART_HEIGHT: f32 = 220.0;

/// One of a row's numbers.
type Field = fn(&mut Outcome) -> &mut u32;

/// The editable numbers of a row, in column order, with their labels.
const FIELDS: [(&str, Field); 4] = [
    ("outcomes.ended", |o| &mut o.ended),
    ("outcomes.to_work", |o| &mut o.to_work),
    ("outcomes.to_education", |o| &mut o.to_education),
    ("outcomes.to_other", |o| &mut o.to_other),
];

/// A row being edited that is not stored (yet): while dragging, or while its parts add up to
/// more than `ended`. It belongs to the stored row it was made from; when that changes (undo,
/// another edit) it is dropped.
#[derive(Clone, Copy)]
struct Pending {
    base: Outcome,
    edited: Outcome,
}

pub fn outcomes_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    _state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let outcomes = &context.snapshot.outcomes;
    section_ui(ui, t(lang, "page.outcomes"));
    ui.weak(tf(
        lang,
        "outcomes.intro",
        &[("target", &TARGET_SHARE_PERCENT)],
    ));
    ui.add_space(6.0);
    if outcomes.is_empty() {
        ui.label(t(lang, "outcomes.empty"));
    } else {
        table_ui(ui, lang, outcomes, out);
    }
    ui.add_space(6.0);
    if ui.button(t(lang, "outcomes.add_year")).clicked() {
        out.push(Command::SetOutcome {
            outcome: Outcome {
                year: next_year(outcomes, context.today),
                ended: 0,
                to_work: 0,
                to_education: 0,
                to_other: 0,
            },
        });
    }
    if outcomes
        .iter()
        .any(|o| o.work_or_education_share().is_some())
    {
        section_ui(ui, t(lang, "outcomes.chart"));
        chart_ui(ui, lang, outcomes);
    }
}

/// The year after the last one, or this year for the first.
fn next_year(outcomes: &[Outcome], today: jiff::civil::Date) -> i32 {
    outcomes
        .iter()
        .map(|o| o.year)
        .max()
        .map_or(i32::from(today.year()), |year| year + 1)
}

fn share_text(outcome: &Outcome) -> String {
    outcome
        .work_or_education_share()
        .map_or_else(|| "–".to_owned(), |s| format!("{:.0} %", s * 100.0))
}

fn table_ui(ui: &mut egui::Ui, lang: Lang, outcomes: &[Outcome], out: &mut Vec<Command>) {
    let mut unsaved = Vec::new();
    egui::Grid::new("outcomes_grid")
        .num_columns(8)
        .spacing([20.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            for key in crate::domain::outcome::COLUMN_KEYS {
                ui.strong(t(lang, key));
            }
            ui.end_row();
            for stored in outcomes {
                if let Some(edited) = row_ui(ui, lang, stored, out) {
                    unsaved.push(edited);
                }
                ui.end_row();
            }
        });
    // The explanation goes under the table: in a row it would widen the last column off screen.
    for edited in unsaved {
        ui.horizontal_wrapped(|ui| {
            let sum = edited.to_work + edited.to_education + edited.to_other;
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tf(
                    lang,
                    "outcomes.too_many",
                    &[
                        ("year", &edited.year),
                        ("sum", &sum),
                        ("ended", &edited.ended),
                    ],
                ),
            );
            if ui.small_button(t(lang, "outcomes.discard")).clicked() {
                ui.data_mut(|data| data.remove::<Pending>(pending_id(edited.year)));
            }
        });
    }
}

/// Where a row's `Pending` edit is kept between frames.
fn pending_id(year: i32) -> egui::Id {
    egui::Id::unique(("outcome_pending", year))
}

/// One year: its numbers as drag values (type a number or drag), the share, and a remove button.
/// Returns the edited row when its parts add up to more than `ended`: it is kept here, not sent,
/// and marked "not saved".
fn row_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    stored: &Outcome,
    out: &mut Vec<Command>,
) -> Option<Outcome> {
    let year = stored.year;
    let memory_id = pending_id(year);
    let pending: Option<Pending> = ui
        .data(|data| data.get_temp(memory_id))
        .filter(|p: &Pending| p.base == *stored);
    let mut edited = pending.map_or(*stored, |p| p.edited);
    let mut dragging = false;

    ui.label(year.to_string());
    for (key, field) in FIELDS {
        let value = field(&mut edited);
        let response = ui
            .push_id((year, key), |ui| {
                ui.add(
                    egui::DragValue::new(value)
                        .range(0..=100_000)
                        .speed(0.1)
                        .update_while_editing(false),
                )
            })
            .inner
            .accessible_name(format!("{} {year}", t(lang, key)));
        dragging |= response.dragged();
    }
    ui.label(share_text(&edited));

    let invalid = edited.validate().is_err();
    if edited == *stored {
        ui.data_mut(|data| data.remove::<Pending>(memory_id));
    } else if !invalid && !dragging {
        out.push(Command::SetOutcome { outcome: edited });
        ui.data_mut(|data| data.remove::<Pending>(memory_id));
    } else {
        let pending = Pending {
            base: *stored,
            edited,
        };
        ui.data_mut(|data| data.insert_temp(memory_id, pending));
    }

    let remove = tf(lang, "outcomes.remove", &[("year", &year)]);
    if ui
        .small_button("×")
        .accessible_name(&remove)
        .on_hover_text(&remove)
        .clicked()
    {
        out.push(Command::RemoveOutcome { year });
    }
    let unsaved = invalid && !dragging;
    if unsaved {
        ui.colored_label(ui.visuals().warn_fg_color, t(lang, "outcomes.not_saved"));
    }
    unsaved.then_some(edited)
}

/// Bars of the share per year on a fixed 0–100 % scale with the target as a dashed line. The
/// plot is a picture, not a tool: no panning or zooming, so it cannot be left in a confusing view.
fn chart_ui(ui: &mut egui::Ui, lang: Lang, outcomes: &[Outcome]) {
    let bar_color = egui::Color32::from_rgb(0x33, 0x86, 0xE0);
    let target_color = ui.visuals().warn_fg_color;
    let text_color = ui.visuals().strong_text_color();
    let shares: Vec<(i32, f64)> = outcomes
        .iter()
        .filter_map(|o| o.work_or_education_share().map(|s| (o.year, s * 100.0)))
        .collect();
    let (first, last) = outcomes.iter().fold((i32::MAX, i32::MIN), |(lo, hi), o| {
        (lo.min(o.year), hi.max(o.year))
    });
    let share_name = t(lang, "outcomes.share");
    let target_name = tf(
        lang,
        "outcomes.target",
        &[("target", &TARGET_SHARE_PERCENT)],
    );
    let bars: Vec<Bar> = shares
        .iter()
        .map(|&(year, share)| {
            Bar::new(f64::from(year), share)
                .width(0.6)
                .fill(bar_color)
                .name(year)
        })
        .collect();
    Plot::new("outcomes_chart")
        .height(CHART_HEIGHT)
        .width(ui.available_width().min(900.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .show_x(false)
        .show_y(false)
        .show_crosshair(false)
        .sense(egui::Sense::hover())
        .set_margin_fraction(egui::Vec2::ZERO)
        // Room on the right of the last bar for the target's label.
        .include_x(f64::from(first) - 0.5)
        .include_x(f64::from(last) + 1.2)
        .include_y(0.0)
        // A little headroom so the "100 %" tick is drawn, not cut at the edge.
        .include_y(104.0)
        // Lines only across: a line through every year would run through the bars.
        .show_grid([false, true])
        .x_grid_spacer(move |_| {
            (first..=last)
                .map(|year| GridMark {
                    value: f64::from(year),
                    step_size: 1.0,
                })
                .collect()
        })
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [10.0, 50.0, 100.0]))
        .x_axis_formatter(|mark, _| format!("{:.0}", mark.value))
        .y_axis_formatter(|mark, _| format!("{:.0} %", mark.value))
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(share_name, bars).allow_hover(false));
            plot.hline(
                HLine::new(target_name.clone(), TARGET_SHARE_PERCENT)
                    .color(target_color)
                    .width(2.0)
                    .style(LineStyle::dashed_loose())
                    .allow_hover(false),
            );
            plot.text(
                Text::new(
                    target_name.clone(),
                    PlotPoint::new(f64::from(last) + 0.4, TARGET_SHARE_PERCENT),
                    egui::RichText::new(&target_name)
                        .size(14.0)
                        .strong()
                        .color(target_color),
                )
                .color(target_color)
                .anchor(egui::Align2::LEFT_BOTTOM)
                .allow_hover(false),
            );
            for &(year, share) in &shares {
                // Inside the top of the bar; above it when the bar is too low to hold it or when
                // the label would sit on the target line.
                let on_line = share > TARGET_SHARE_PERCENT && share - 9.0 < TARGET_SHARE_PERCENT;
                let (anchor, color) = if share < 12.0 || on_line {
                    (egui::Align2::CENTER_BOTTOM, text_color)
                } else {
                    (egui::Align2::CENTER_TOP, egui::Color32::WHITE)
                };
                plot.text(
                    Text::new(
                        format!("{year}"),
                        PlotPoint::new(f64::from(year), share),
                        egui::RichText::new(format!("{share:.0} %"))
                            .size(14.0)
                            .strong(),
                    )
                    .color(color)
                    .anchor(anchor)
                    .allow_hover(false),
                );
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(year: i32) -> Outcome {
        Outcome {
            year,
            ended: 0,
            to_work: 0,
            to_education: 0,
            to_other: 0,
        }
    }

    #[test]
    fn the_next_year_follows_the_last_or_is_this_year() {
        let today = jiff::civil::date(2026, 11, 24);
        assert_eq!(next_year(&[], today), 2026);
        assert_eq!(next_year(&[outcome(2024), outcome(2023)], today), 2025);
    }

    #[test]
    fn share_is_shown_in_whole_percent_or_a_dash() {
        let mut o = outcome(2025);
        assert_eq!(share_text(&o), "–");
        o.ended = 19;
        o.to_work = 8;
        o.to_education = 3;
        assert_eq!(share_text(&o), "58 %");
    }
}
