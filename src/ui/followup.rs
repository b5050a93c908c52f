//! Follow-up on the plan page: where the actions stand (by status, overdue) and how that moved
//! over time, from the store's record of status changes.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::PageContext;
use crate::domain::{Action, ActionStatus};
use crate::i18n::{Labelled, date, t, tn};

const CHART_HEIGHT: f32 = 170.0;
/// Steps between the count axis's labels, the smallest that gives at most six.
const COUNT_STEPS: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];

/// Days since 1970-01-01: the chart's x axis.
fn day_number(day: jiff::civil::Date) -> f64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    f64::from(
        day.since(epoch)
            .map(|span| span.get_days())
            .unwrap_or_default(),
    )
}

fn day_from_number(value: f64) -> Option<jiff::civil::Date> {
    let epoch = jiff::civil::date(1970, 1, 1);
    epoch
        .checked_add(jiff::Span::new().days(value.round() as i64))
        .ok()
}

fn colour(status: ActionStatus) -> egui::Color32 {
    match status {
        ActionStatus::Proposed => egui::Color32::from_rgb(150, 150, 150),
        ActionStatus::Agreed => egui::Color32::from_rgb(66, 133, 244),
        ActionStatus::InProgress => egui::Color32::from_rgb(239, 140, 0),
        ActionStatus::Done => egui::Color32::from_rgb(67, 160, 71),
        ActionStatus::VerifiedClosed => egui::Color32::from_rgb(27, 94, 32),
    }
}

/// The counts by status and overdue, and the chart of actions by status over time.
pub fn followup_ui(ui: &mut egui::Ui, context: &PageContext<'_>) {
    let lang = context.lang;
    let actions: &[Action] = &context.snapshot.actions;
    if actions.is_empty() {
        return;
    }
    let overdue = actions
        .iter()
        .filter(|a| a.fields.is_overdue(context.today))
        .count();
    ui.horizontal_wrapped(|ui| {
        for status in ActionStatus::ALL {
            let n = actions.iter().filter(|a| a.fields.status == status).count();
            ui.colored_label(colour(status), format!("{} {n}", status.label(lang)));
            ui.add_space(6.0);
        }
        if overdue > 0 {
            ui.colored_label(
                ui.visuals().error_fg_color,
                tn(lang, "plan.overdue_count", overdue, &[]),
            );
        }
    });
    let timeline = &context.derived.status_timeline;
    let Some(((first, _), (last, _))) = timeline.first().zip(timeline.last()) else {
        return;
    };
    let (first, last) = (day_number(*first), day_number(*last));
    egui::CollapsingHeader::new(t(lang, "plan.status_over_time"))
        .default_open(true)
        .show(ui, |ui| {
            // One day of changes makes no curve; say what the chart will show instead.
            if timeline.len() < 2 {
                ui.weak(t(lang, "plan.status_over_time_later"));
                return;
            }
            Plot::new("plan_status_over_time")
                .height(CHART_HEIGHT)
                .width(ui.available_width().min(900.0))
                .legend(Legend::default())
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .allow_boxed_zoom(false)
                .allow_double_click_reset(false)
                .show_crosshair(false)
                .include_x(first - 1.0)
                .include_x(last + 1.0)
                .include_y(0.0)
                .x_axis_formatter(|mark, _| {
                    day_from_number(mark.value).map_or_else(String::new, |d| date(lang, Some(d)))
                })
                // Whole numbers a few to the axis: egui_plot's powers of ten left only "0"
                // for a plan of a handful of actions.
                .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
                    let span = (input.bounds.1 - input.bounds.0).max(1.0);
                    let step = COUNT_STEPS
                        .into_iter()
                        .find(|step| span / step <= 6.0)
                        .unwrap_or(COUNT_STEPS[COUNT_STEPS.len() - 1]);
                    [step, step * 5.0, step * 10.0]
                }))
                .y_axis_formatter(|mark, _| {
                    if mark.value.fract() == 0.0 {
                        format!("{:.0}", mark.value)
                    } else {
                        String::new()
                    }
                })
                .show(ui, |plot| {
                    for (i, status) in ActionStatus::ALL.into_iter().enumerate() {
                        // Steps: a count holds until the next day something changed.
                        let mut points = Vec::with_capacity(timeline.len() * 2);
                        for (k, (day, counts)) in timeline.iter().enumerate() {
                            let x = day_number(*day);
                            if k > 0 {
                                points.push([x, timeline[k - 1].1[i] as f64]);
                            }
                            points.push([x, counts[i] as f64]);
                        }
                        plot.line(
                            Line::new(status.label(lang).into_owned(), PlotPoints::new(points))
                                .color(colour(status))
                                // Each later status thinner and on top: where two counts are
                                // equal, both colours still show.
                                .width(4.0 - 0.7 * i as f32)
                                // Steps, not a dense signal: merged into bands they smear.
                                .allow_band(false),
                        );
                    }
                })
                .response
                .accessible_name(super::widgets::chart_name(lang, "plan.status_over_time"));
        });
}
