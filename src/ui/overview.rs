//! Oversikt: the case's key facts, its phase and key dates, and what it holds so far.

use egui::RichText;

use super::PageContext;
use super::widgets::{enum_combo, facts_grid_ui, section_ui};
use crate::command::Command;
use crate::domain::{ActionStatus, DocumentKind, FindingKind, Phase, Role};
use crate::i18n::{Labelled, date, t, tf};

pub fn overview_ui(ui: &mut egui::Ui, context: &PageContext<'_>, out: &mut Vec<Command>) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    let facts = &snapshot.facts;

    ui.heading(RichText::new(&facts.provider_name).size(24.0));
    let deviations = snapshot.findings_of(FindingKind::Deviation);
    ui.label(tf(
        lang,
        "overview.summary",
        &[
            ("interviews", &snapshot.interviews.len()),
            ("documents", &snapshot.document_reviews.len()),
            ("findings", &snapshot.findings.len()),
            ("deviations", &deviations),
            ("actions", &snapshot.actions.len()),
        ],
    ));

    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let label = ui.strong(t(lang, "facts.phase"));
        let mut phase = snapshot.phase;
        if enum_combo(ui, &label, lang, &mut phase, &Phase::ALL) {
            out.push(Command::SetPhase { phase });
        }
    });

    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        section_ui(ui, t(lang, "overview.facts"));
        let period = match (facts.period_start, facts.period_end) {
            (None, None) => "–".to_owned(),
            (start, end) => format!("{} – {}", date(start), date(end)),
        };
        facts_grid_ui(
            ui,
            "facts_grid",
            &[
                (t(lang, "facts.provider_name"), facts.provider_name.clone()),
                (
                    t(lang, "facts.org_number"),
                    facts
                        .org_number
                        .as_ref()
                        .map_or_else(|| "–".to_owned(), ToString::to_string),
                ),
                (
                    t(lang, "facts.measure"),
                    facts.measure.label(lang).into_owned(),
                ),
                (
                    t(lang, "facts.agreed_places"),
                    facts
                        .agreed_places
                        .map_or_else(|| "–".to_owned(), |n| n.to_string()),
                ),
                (t(lang, "facts.nav_unit"), facts.nav_unit.clone()),
                (t(lang, "facts.period"), period),
                (t(lang, "facts.evaluators"), snapshot.evaluators.join(", ")),
                (
                    t(lang, "facts.catalog"),
                    snapshot.catalog.as_ref().map_or_else(
                        || "–".to_owned(),
                        |c| format!("{} ({})", c.title, c.version),
                    ),
                ),
                (
                    t(lang, "facts.feedback_meeting"),
                    date(snapshot.key_dates.feedback_meeting),
                ),
                (
                    t(lang, "facts.plan_deadline"),
                    date(snapshot.key_dates.plan_deadline),
                ),
            ],
        );

        let ui = &mut columns[1];
        section_ui(ui, t(lang, "overview.interviews_by_role"));
        counts_ui(
            ui,
            lang,
            &Role::ALL,
            |role| snapshot.interviews_with(role),
            false,
        );

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
        let overdue = snapshot
            .actions
            .iter()
            .filter(|a| a.fields.is_overdue(context.today))
            .count();
        if overdue > 0 {
            ui.colored_label(
                ui.visuals().error_fg_color,
                tf(lang, "overview.overdue", &[("count", &overdue)]),
            );
        }

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
    egui::Grid::new(ui.next_auto_id())
        .num_columns(2)
        .spacing([24.0, 4.0])
        .min_col_width(170.0)
        .striped(true)
        .show(ui, |ui| {
            for value in values {
                let n = count(*value);
                if skip_zero && n == 0 {
                    continue;
                }
                ui.label(value.label(lang));
                ui.label(n.to_string());
                ui.end_row();
            }
        });
}
