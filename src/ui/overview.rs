//! Oversikt: the case's key facts, its phase and key dates, and what it holds so far.

use egui::RichText;

use super::widgets::{
    TextKind, checked_draft_text, draft_text, enum_combo, optional_date, section_ui,
};
use super::{Focus, Page, PageContext, PageState};
use crate::command::Command;
use crate::domain::{
    ActionStatus, CaseFacts, DocumentKind, FindingKind, KeyDates, Measure, OrgNumber, Phase,
};
use crate::i18n::{Labelled, counted, t, tf, tn};

pub fn overview_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    let facts = &snapshot.facts;

    ui.heading(RichText::new(&facts.provider_name).size(24.0));
    let deviations = snapshot.findings_of(FindingKind::Deviation);
    ui.label(tf(
        lang,
        "overview.summary",
        &[
            (
                "interviews",
                &counted(lang, "interviews", snapshot.interviews.len()),
            ),
            (
                "documents",
                &counted(lang, "documents", snapshot.document_reviews.len()),
            ),
            (
                "findings",
                &counted(lang, "findings", snapshot.findings.len()),
            ),
            ("deviations", &counted(lang, "deviations", deviations)),
            ("actions", &counted(lang, "actions", snapshot.actions.len())),
        ],
    ));

    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let label = ui.strong(t(lang, "facts.phase"));
        let mut phase = snapshot.phase;
        // A case is closed with *Avslutt saken* (dated, with its deletion deadline), and opened
        // again with *Gjenåpne saken*: the phase list does neither.
        let phases: Vec<Phase> = Phase::ALL
            .into_iter()
            .filter(|p| *p != Phase::Closed)
            .collect();
        ui.add_enabled_ui(snapshot.closing.is_none(), |ui| {
            if enum_combo(ui, &label, lang, &mut phase, &phases) {
                out.push(Command::SetPhase { phase });
            }
        });
    });
    super::closing::closing_ui(ui, context, state, out);
    if snapshot.phase == Phase::Planning {
        super::notice::notice_ui(ui, context, state, out);
    }
    warnings_ui(ui, context, state);

    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        section_ui(ui, t(lang, "overview.facts"));
        facts_ui(ui, context, state, out);

        let ui = &mut columns[1];
        if !context.provider_mode() {
            section_ui(ui, t(lang, "overview.interviews_by_role"));
            let programme = &snapshot.programme;
            let rows: Vec<(String, usize)> = programme
                .roles
                .iter()
                .map(|role| {
                    (
                        programme.role_name(&role.id, lang.code()),
                        snapshot.interviews_with(&role.id),
                    )
                })
                .collect();
            count_rows_ui(ui, &rows, false);
        }

        section_ui(ui, t(lang, "overview.findings_by_kind"));
        counts_ui(
            ui,
            lang,
            &FindingKind::ALL,
            |kind| snapshot.findings_of(kind),
            false,
        );

        section_ui(ui, t(lang, "overview.actions_by_status"));
        counts_ui(
            ui,
            lang,
            &ActionStatus::ALL,
            |status| snapshot.actions_with(status),
            false,
        );
        section_ui(ui, t(lang, "overview.documents_by_kind"));
        let documents_of = |kind| {
            snapshot
                .document_reviews
                .iter()
                .filter(|d| d.fields.kind == kind)
                .count()
        };
        counts_ui(ui, lang, &DocumentKind::ALL, documents_of, true);
    });
}

/// A table of how many there are of each value; `skip_zero` leaves out the empty rows.
fn counts_ui<T: Labelled + Copy + std::fmt::Debug>(
    ui: &mut egui::Ui,
    lang: crate::i18n::Lang,
    values: &[T],
    count: impl Fn(T) -> usize,
    skip_zero: bool,
) {
    let rows: Vec<(String, usize)> = values
        .iter()
        .map(|value| (value.label(lang).into_owned(), count(*value)))
        .collect();
    count_rows_ui(ui, &rows, skip_zero);
}

/// A two-column table of names and counts.
fn count_rows_ui(ui: &mut egui::Ui, rows: &[(String, usize)], skip_zero: bool) {
    egui::Grid::new(ui.next_auto_id())
        .num_columns(2)
        .spacing([24.0, 4.0])
        .min_col_width(170.0)
        .striped(true)
        .show(ui, |ui| {
            for (name, n) in rows {
                if skip_zero && *n == 0 {
                    continue;
                }
                ui.label(name);
                ui.label(n.to_string());
                ui.end_row();
            }
        });
}

/// The case's facts and key dates, each edited in place.
fn facts_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    let facts = &snapshot.facts;
    let update = |facts: CaseFacts| Command::UpdateCaseFacts { facts };
    let drafts = &mut state.drafts;
    egui::Grid::new("facts_grid")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            let label = ui.strong(t(lang, "facts.provider_name"));
            let base = facts.clone();
            draft_text(
                ui,
                drafts,
                ui.make_persistent_id("provider_name"),
                &facts.provider_name,
                TextKind::Single,
                Some(&label),
                |provider_name| {
                    update(CaseFacts {
                        provider_name,
                        ..base
                    })
                },
            );
            ui.end_row();

            let label = ui.strong(t(lang, "facts.org_number"));
            let base = facts.clone();
            let stored = facts
                .org_number
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            checked_draft_text(
                ui,
                drafts,
                ui.make_persistent_id("org_number"),
                &stored,
                TextKind::Single,
                Some(&label),
                |text| {
                    let org_number = match text.trim() {
                        "" => None,
                        text => Some(
                            OrgNumber::parse(text)
                                .map_err(|_| t(lang, "new_case.bad_org_number").to_owned())?,
                        ),
                    };
                    Ok(update(CaseFacts { org_number, ..base }))
                },
            );
            ui.end_row();

            let label = ui.strong(t(lang, "facts.measure"));
            let mut measure = facts.measure;
            if enum_combo(ui, &label, lang, &mut measure, &Measure::ALL) {
                out.push(update(CaseFacts {
                    measure,
                    ..facts.clone()
                }));
            }
            ui.end_row();

            let label = ui.strong(t(lang, "facts.agreed_places"));
            let base = facts.clone();
            checked_draft_text(
                ui,
                drafts,
                ui.make_persistent_id("agreed_places"),
                &facts
                    .agreed_places
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                TextKind::Single,
                Some(&label),
                |text| {
                    let agreed_places = match text.trim() {
                        "" => None,
                        text => Some(
                            text.parse::<u32>()
                                .map_err(|_| t(lang, "facts.bad_number").to_owned())?,
                        ),
                    };
                    Ok(update(CaseFacts {
                        agreed_places,
                        ..base
                    }))
                },
            );
            ui.end_row();

            let label = ui.strong(t(lang, "facts.nav_unit"));
            let base = facts.clone();
            draft_text(
                ui,
                drafts,
                ui.make_persistent_id("nav_unit"),
                &facts.nav_unit,
                TextKind::Single,
                Some(&label),
                |nav_unit| update(CaseFacts { nav_unit, ..base }),
            );
            ui.end_row();

            ui.strong(t(lang, "facts.period_start"));
            if let Some(period_start) = optional_date(
                ui,
                "period_start",
                t(lang, "facts.period_start"),
                lang,
                facts.period_start,
                context.today,
            ) {
                out.push(update(CaseFacts {
                    period_start,
                    ..facts.clone()
                }));
            }
            ui.end_row();
            ui.strong(t(lang, "facts.period_end"));
            if let Some(period_end) = optional_date(
                ui,
                "period_end",
                t(lang, "facts.period_end"),
                lang,
                facts.period_end,
                context.today,
            ) {
                out.push(update(CaseFacts {
                    period_end,
                    ..facts.clone()
                }));
            }
            ui.end_row();

            ui.strong(t(lang, "facts.self_evaluation"));
            let mut self_evaluation = facts.self_evaluation;
            if ui
                .checkbox(&mut self_evaluation, t(lang, "facts.self_evaluation_value"))
                .on_hover_text(t(lang, "new_case.self_evaluation_hint"))
                .changed()
            {
                out.push(update(CaseFacts {
                    self_evaluation,
                    ..facts.clone()
                }));
            }
            ui.end_row();

            let label = ui.strong(t(lang, "facts.evaluators"));
            draft_text(
                ui,
                drafts,
                ui.make_persistent_id("evaluators"),
                &snapshot.evaluators.join(", "),
                TextKind::Single,
                Some(&label),
                |text| Command::SetEvaluators {
                    evaluators: text
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect(),
                },
            );
            ui.end_row();
            if !context.me.is_empty() && !snapshot.evaluators.iter().any(|e| e == context.me) {
                ui.label("");
                if ui
                    .button(tf(lang, "facts.add_me", &[("name", &context.me)]))
                    .on_hover_text(t(lang, "facts.add_me_hint"))
                    .clicked()
                {
                    let mut evaluators = snapshot.evaluators.clone();
                    evaluators.push(context.me.to_owned());
                    out.push(Command::SetEvaluators { evaluators });
                }
                ui.end_row();
            }

            ui.strong(t(lang, "facts.catalog"));
            ui.add(
                egui::Label::new(snapshot.catalog.as_ref().map_or_else(
                    || "–".to_owned(),
                    |c| format!("{} ({})", c.title, c.version),
                ))
                .wrap(),
            );
            ui.end_row();

            let key_dates = snapshot.key_dates;
            ui.strong(t(lang, "facts.feedback_meeting"));
            if let Some(feedback_meeting) = optional_date(
                ui,
                "key_feedback_meeting",
                t(lang, "facts.feedback_meeting"),
                lang,
                key_dates.feedback_meeting,
                context.today,
            ) {
                out.push(Command::SetKeyDates {
                    key_dates: KeyDates {
                        feedback_meeting,
                        ..key_dates
                    },
                });
            }
            ui.end_row();
            ui.strong(t(lang, "facts.plan_deadline"));
            if let Some(plan_deadline) = optional_date(
                ui,
                "key_plan_deadline",
                t(lang, "facts.plan_deadline"),
                lang,
                key_dates.plan_deadline,
                context.today,
            ) {
                out.push(Command::SetKeyDates {
                    key_dates: KeyDates {
                        plan_deadline,
                        ..key_dates
                    },
                });
            }
            ui.end_row();
        });
}

/// The gaps to close before the report, each a link to where it is fixed.
fn warnings_ui(ui: &mut egui::Ui, context: &PageContext<'_>, state: &mut PageState) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    let mut warnings = context.derived.warnings.clone();
    if context.provider_mode() {
        // The evaluator's own gaps are not the provider's business; overdue actions are.
        warnings = crate::domain::Warnings {
            overdue_actions: warnings.overdue_actions,
            ..crate::domain::Warnings::default()
        };
    }
    if warnings.is_empty() && context.privacy_hits.is_empty() {
        return;
    }
    ui.add_space(6.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.strong(t(lang, "overview.warnings"));
        let warn = ui.visuals().warn_fg_color;
        if let Some(first) = context.privacy_hits.first() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tn(
                        lang,
                        "overview.warn_privacy",
                        context.privacy_hits.len(),
                        &[],
                    ),
                );
                if ui
                    .small_button(t(lang, "overview.show"))
                    .accessible_name(t(lang, "overview.show_privacy"))
                    .clicked()
                {
                    let focus = Focus::from_entity(&first.entity);
                    state.focus = focus;
                    state.goto = Some(focus.map_or(
                        if first.entity == "feedback_meeting" {
                            Page::Meeting
                        } else {
                            Page::Overview
                        },
                        Focus::page,
                    ));
                }
            });
        }
        let codes: Vec<&str> = warnings
            .requirements_without_evidence
            .iter()
            .filter_map(|id| snapshot.requirement(*id).map(|r| r.code.as_str()))
            .collect();
        if !codes.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    warn,
                    tn(
                        lang,
                        "overview.warn_no_evidence",
                        codes.len(),
                        &[("codes", &codes.join(", "))],
                    ),
                );
                if ui
                    .small_button(t(lang, "overview.show"))
                    .accessible_name(t(lang, "overview.show_no_evidence"))
                    .clicked()
                {
                    state.goto = Some(Page::Coverage);
                }
            });
        }
        let mut line =
            |ui: &mut egui::Ui, key: &str, count: usize, first: Option<Focus>, page: Page| {
                if count == 0 {
                    return;
                }
                ui.horizontal_wrapped(|ui| {
                    let warning = tn(lang, key, count, &[]);
                    ui.colored_label(warn, &warning);
                    let show = t(lang, "overview.show");
                    if ui
                        .small_button(show)
                        .accessible_name(format!("{show}: {warning}"))
                        .clicked()
                    {
                        state.goto = Some(page);
                        state.focus = first;
                    }
                });
            };
        line(
            ui,
            "overview.warn_single_source",
            warnings.single_source_findings.len(),
            warnings
                .single_source_findings
                .first()
                .map(|id| Focus::Finding(*id)),
            Page::Findings,
        );
        line(
            ui,
            "overview.warn_no_action",
            warnings.deviations_without_action.len(),
            None,
            Page::Plan,
        );
        line(
            ui,
            "overview.overdue",
            warnings.overdue_actions.len(),
            warnings
                .overdue_actions
                .first()
                .map(|id| Focus::Action(*id)),
            Page::Plan,
        );
    });
}
