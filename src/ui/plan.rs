//! Handlingsplan: one block per deviation with its actions, edited in place; overdue in red.

use super::widgets::{TextKind, draft_text, enum_combo_named, requirement_codes, section_ui};
use super::{Focus, PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::{Action, ActionFields, ActionStatus, Finding, FindingKind};
use crate::i18n::{date, t, tf, tn};

pub fn plan_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.plan"));
    if context.provider_mode() {
        ui.label(t(lang, "provider.plan_intro"));
    } else {
        ui.horizontal(|ui| {
            if ui
                .button(t(lang, "plan.export"))
                .on_hover_text(t(lang, "plan.export_hint"))
                .clicked()
            {
                state.requests.push(Request::ExportPlan);
            }
            if ui
                .button(t(lang, "plan.import"))
                .on_hover_text(t(lang, "plan.import_hint"))
                .clicked()
            {
                state.requests.push(Request::ImportPlan);
            }
            if ui
                .button(t(lang, "plan.status_report"))
                .on_hover_text(t(lang, "plan.status_report_hint"))
                .clicked()
            {
                state.requests.push(Request::ExportStatusReport);
            }
        });
    }
    ui.label(tf(
        lang,
        "plan.deadline",
        &[("date", &date(lang, snapshot.key_dates.plan_deadline))],
    ));
    super::followup::followup_ui(ui, context);
    let deviations: Vec<&Finding> = snapshot
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deviation)
        .collect();
    if deviations.is_empty() {
        ui.weak(t(lang, "plan.no_deviations"));
    }
    // The actions by deviation, grouped once a frame rather than searched once per deviation.
    let mut by_finding: std::collections::HashMap<_, Vec<&Action>> =
        std::collections::HashMap::new();
    for action in &snapshot.actions {
        by_finding
            .entry(action.finding_id)
            .or_default()
            .push(action);
    }
    for finding in deviations {
        let actions = by_finding.remove(&finding.id).unwrap_or_default();
        // A block holding the action to show is drawn, so it can scroll into view.
        let focused = actions
            .iter()
            .any(|a| state.focus == Some(Focus::Action(a.id)));
        let id = egui::Id::unique(("plan_deviation", finding.id.0));
        super::widgets::lazy_block(ui, id, focused, |ui| {
            ui.add_space(8.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                deviation_ui(ui, context, finding, &actions, state, out);
            });
        });
    }
}

fn deviation_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    finding: &Finding,
    actions: &[&Action],
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let closed = actions
        .iter()
        .filter(|a| !a.fields.status.is_open())
        .count();
    let codes = requirement_codes(context.snapshot, &finding.requirement_ids);
    let deviation = format!("{codes} · {}", finding.fields.title);
    ui.strong(&deviation);
    ui.horizontal(|ui| {
        let progress = if actions.is_empty() {
            0.0
        } else {
            closed as f32 / actions.len() as f32
        };
        ui.add(
            egui::ProgressBar::new(progress)
                .desired_width(160.0)
                .text(tn(
                    lang,
                    "plan.progress",
                    actions.len(),
                    &[("closed", &closed)],
                )),
        );
        if ui
            .button(t(lang, "plan.add_action"))
            .accessible_name(format!("{} {deviation}", t(lang, "plan.add_action_to")))
            .clicked()
        {
            out.push(Command::AddAction {
                finding_id: finding.id,
                action: ActionFields {
                    description: t(lang, "plan.new_action").to_owned(),
                    owner: String::new(),
                    due_date: context.snapshot.key_dates.plan_deadline,
                    status: ActionStatus::Proposed,
                    closure_evidence: String::new(),
                    nav_comment: String::new(),
                },
            });
        }
    });
    if actions.is_empty() {
        ui.colored_label(ui.visuals().warn_fg_color, t(lang, "plan.no_actions"));
    }
    for (index, action) in actions.iter().enumerate() {
        ui.separator();
        // Every action has the same fields: their names say which action, for a screen reader.
        let row = tf(
            lang,
            "plan.action_row",
            &[("number", &(index + 1)), ("deviation", &codes)],
        );
        let marked = state.focus == Some(Focus::Action(action.id));
        let response = ui
            .scope(|ui| {
                if marked {
                    ui.visuals_mut().widgets.inactive.bg_stroke =
                        egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
                }
                action_ui(ui, context, action, &row, state, out);
            })
            .response;
        if marked {
            response.scroll_to_me(Some(egui::Align::Center));
            state.focus = None;
        }
    }
}

/// One action: what, who, when, status on the first line; closure evidence and NAV's comment below.
fn action_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    action: &Action,
    row: &str,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let id = action.id;
    // Every action has the same fields: each field's name says which action, for a screen reader.
    let named = |key: &str| format!("{}, {row}", t(lang, key));
    let stored = &action.fields;
    let update = |fields: ActionFields| Command::UpdateAction {
        action_id: id,
        action: fields,
    };
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t(lang, "plan.action"));
        narrow(ui, 340.0, |ui| {
            let base = stored.clone();
            let output = draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("action_description", id)),
                &stored.description,
                TextKind::Single,
                Some(&label),
                |description| {
                    update(ActionFields {
                        description,
                        ..base
                    })
                },
            );
            let _ = output
                .response
                .response
                .accessible_name(named("plan.action"));
        });
        let label = ui.label(t(lang, "plan.owner"));
        narrow(ui, 170.0, |ui| {
            let base = stored.clone();
            let output = draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("action_owner", id)),
                &stored.owner,
                TextKind::Single,
                Some(&label),
                |owner| update(ActionFields { owner, ..base }),
            );
            let _ = output
                .response
                .response
                .accessible_name(named("plan.owner"));
        });
        ui.label(t(lang, "plan.due"));
        match stored.due_date {
            Some(due) => {
                let mut picked = due;
                let salt = format!("action_due_{id}");
                ui.add(
                    egui_extras::DatePickerButton::new(&mut picked)
                        .id_salt(&salt)
                        .format(crate::i18n::date_format(lang))
                        .show_icon(false),
                )
                .accessible_name(format!(
                    "{}: {}",
                    t(lang, "plan.due"),
                    crate::i18n::date(lang, Some(due))
                ));
                if picked != due {
                    out.push(update(ActionFields {
                        due_date: Some(picked),
                        ..stored.clone()
                    }));
                }
                if stored.is_overdue(context.today) {
                    ui.colored_label(ui.visuals().error_fg_color, t(lang, "plan.overdue"));
                }
            }
            None => {
                if ui.button(t(lang, "plan.set_due")).clicked() {
                    out.push(update(ActionFields {
                        due_date: Some(context.today),
                        ..stored.clone()
                    }));
                }
            }
        }
        let label = ui.label(t(lang, "plan.status"));
        let mut status = stored.status;
        let name = named("plan.status");
        if enum_combo_named(
            ui,
            &label,
            Some(name),
            lang,
            &mut status,
            &ActionStatus::ALL,
        ) {
            out.push(Command::SetActionStatus {
                action_id: id,
                status,
            });
        }
        let delete = t(lang, "plan.delete_action");
        if ui
            .small_button("×")
            .accessible_name(format!(
                "{delete}: {}",
                crate::ui::interviews::shorten(&stored.description, 60)
            ))
            .on_hover_text(delete)
            .clicked()
        {
            out.push(Command::DeleteAction { action_id: id });
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t(lang, "plan.closure_evidence"));
        narrow(ui, 340.0, |ui| {
            let base = stored.clone();
            let output = draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("action_closure", id)),
                &stored.closure_evidence,
                TextKind::Single,
                Some(&label),
                |closure_evidence| {
                    update(ActionFields {
                        closure_evidence,
                        ..base
                    })
                },
            );
            let _ = output
                .response
                .response
                .accessible_name(named("plan.closure_evidence"));
        });
        let label = ui.label(t(lang, "plan.nav_comment"));
        narrow(ui, 300.0, |ui| {
            // NAV's comment is NAV's: read-only in the provider's package.
            if context.provider_mode() {
                ui.disable();
            }
            let base = stored.clone();
            let output = draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("action_comment", id)),
                &stored.nav_comment,
                TextKind::Single,
                Some(&label),
                |nav_comment| {
                    update(ActionFields {
                        nav_comment,
                        ..base
                    })
                },
            );
            let _ = output
                .response
                .response
                .accessible_name(named("plan.nav_comment"));
        });
        if let Some(on) = crate::domain::plan::verified_on(context.status_changes, action) {
            // Whole, on the next row if the row is full, never broken inside the date.
            ui.add(
                egui::Label::new(
                    egui::RichText::new(tf(
                        lang,
                        "plan.verified_on",
                        &[("date", &date(lang, Some(on)))],
                    ))
                    .weak(),
                )
                .extend(),
            );
        }
    });
}

/// Runs `add` with at most `width` of room, so a field does not take the whole row.
fn narrow(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.scope(|ui| {
        ui.set_max_width(width);
        add(ui);
    });
}
