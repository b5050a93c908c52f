//! Handlingsplan: one block per deviation with its actions; overdue actions in red.

use super::PageContext;
use super::widgets::{requirement_codes, section_ui};
use crate::domain::FindingKind;
use crate::i18n::{Labelled, date, t, tf};

pub fn plan_ui(ui: &mut egui::Ui, context: &PageContext<'_>) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.plan"));
    ui.label(tf(
        lang,
        "plan.deadline",
        &[("date", &date(snapshot.key_dates.plan_deadline))],
    ));
    for finding in snapshot
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deviation)
    {
        let actions: Vec<_> = snapshot
            .actions
            .iter()
            .filter(|a| a.finding_id == finding.id)
            .collect();
        let closed = actions
            .iter()
            .filter(|a| !a.fields.status.is_open())
            .count();
        ui.add_space(8.0);
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.strong(format!(
                "{} · {}",
                requirement_codes(snapshot, &finding.requirement_ids),
                finding.fields.title
            ));
            ui.weak(tf(
                lang,
                "plan.progress",
                &[("closed", &closed), ("total", &actions.len())],
            ));
            if actions.is_empty() {
                ui.colored_label(ui.visuals().warn_fg_color, t(lang, "plan.no_actions"));
            }
            egui::Grid::new(("actions", finding.id))
                .num_columns(4)
                .spacing([12.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    for action in actions {
                        let fields = &action.fields;
                        ui.label(&fields.description);
                        ui.label(&fields.owner);
                        let due = date(fields.due_date);
                        if fields.is_overdue(context.today) {
                            ui.colored_label(ui.visuals().error_fg_color, due);
                        } else {
                            ui.label(due);
                        }
                        ui.label(fields.status.label(lang));
                        ui.end_row();
                    }
                });
        });
    }
}
