//! Troskap: a fidelity review. Each of two evaluators scores every item on its own, then they
//! agree on a consensus score; the page shows where they differ, the totals, the band, and a
//! chart of the sections.

use egui_plot::{Bar, BarChart, Legend, Plot};

use super::drafts::Drafts;
use super::widgets::{
    TextKind, draft_text, editor_panel, evidence_picker, list_panel, row_list, section_ui,
};
use super::{PageContext, PageState};
use crate::command::Command;
use crate::domain::{
    CaseSnapshot, FidelityItem, FidelityItemId, FidelityReview, FidelityScore, Rater,
};
use crate::i18n::{Lang, Quote, counted, evidence_reference, t, tf, tn};

#[derive(Default)]
pub struct FidelityState {
    pub selected: Option<FidelityItemId>,
    /// The scale picked for a case that has none yet, by catalog id and version.
    chosen_scale: Option<(String, String)>,
}

pub fn fidelity_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let Some(review) = &context.snapshot.fidelity else {
        egui::ScrollArea::vertical()
            .id_salt("fidelity_start")
            .show(ui, |ui| start_ui(ui, context, &mut state.fidelity, out));
        return;
    };
    summary_ui(ui, context.snapshot, review, lang);
    ui.separator();

    let rows: Vec<String> = review
        .items
        .iter()
        .map(|item| item_row(review, item))
        .collect();
    let selected_index = state
        .fidelity
        .selected
        .and_then(|id| review.items.iter().position(|i| i.id == id));
    list_panel(ui, "fidelity_items", |ui| {
        ui.weak(t(lang, "fidelity.list_hint"));
        if let Some(index) = row_list(ui, "fidelity_item_rows", &rows, selected_index) {
            state.fidelity.selected = review.items.get(index).map(|i| i.id);
        }
    });
    let selected = state.fidelity.selected.and_then(|id| review.item(id));
    editor_panel(
        ui,
        "fidelity_editor",
        selected,
        t(lang, "fidelity.pick_item"),
        |ui, item| item_ui(ui, context, review, item, &mut state.drafts, out),
    );
}

/// "STAFF-1 Saksmengde · 4 5 → 4 ≠": both evaluators' scores, the consensus, and a mark where
/// the two differ.
fn item_row(review: &FidelityReview, item: &FidelityItem) -> String {
    let score = |rater| {
        review
            .score(item.id, rater)
            .map_or_else(|| "–".to_owned(), |s| s.score.to_string())
    };
    let differ = review
        .score(item.id, Rater::First)
        .zip(review.score(item.id, Rater::Second))
        .is_some_and(|(a, b)| a.score != b.score);
    format!(
        "{} {} · {} {} › {}{}",
        item.code,
        item.title,
        score(Rater::First),
        score(Rater::Second),
        score(Rater::Consensus),
        if differ { "  ≠" } else { "" }
    )
}

/// The evaluator's name for a rater: the case's first and second evaluator, or a generic word.
pub fn rater_name(snapshot: &CaseSnapshot, rater: Rater, lang: Lang) -> String {
    let index = match rater {
        Rater::First => 0,
        Rater::Second => 1,
        Rater::Consensus => return t(lang, "fidelity.consensus").to_owned(),
    };
    snapshot
        .evaluators
        .get(index)
        .cloned()
        .unwrap_or_else(|| tf(lang, "fidelity.evaluator_n", &[("n", &(index + 1))]))
}

/// A case without a review: choose a scale and start.
fn start_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut FidelityState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    section_ui(ui, t(lang, "page.fidelity"));
    ui.label(t(lang, "fidelity.intro"));
    ui.add_space(6.0);
    let scales: Vec<_> = context
        .catalogs
        .iter()
        .filter(|c| c.is_fidelity_scale())
        .collect();
    if scales.is_empty() {
        ui.weak(t(lang, "fidelity.no_scales"));
        return;
    }
    if state.chosen_scale.is_none() {
        state.chosen_scale = scales.first().map(|c| (c.id.clone(), c.version.clone()));
    }
    let chosen = scales.iter().find(|c| {
        state
            .chosen_scale
            .as_ref()
            .is_some_and(|(id, version)| &c.id == id && &c.version == version)
    });
    ui.horizontal(|ui| {
        let label = ui.label(t(lang, "fidelity.scale"));
        egui::ComboBox::from_id_salt("fidelity_scale_choice")
            .selected_text(
                chosen.map_or_else(String::new, |c| format!("{} ({})", c.title, c.version)),
            )
            .width(420.0)
            .show_ui(ui, |ui| {
                for scale in &scales {
                    ui.selectable_value(
                        &mut state.chosen_scale,
                        Some((scale.id.clone(), scale.version.clone())),
                        format!("{} ({})", scale.title, scale.version),
                    );
                }
            })
            .response
            .labelled_by(label.id);
    });
    if let Some(scale) = chosen {
        ui.weak(&scale.source);
        ui.add_space(6.0);
        if ui.button(t(lang, "fidelity.start")).clicked() {
            out.push(Command::AdoptFidelityScale {
                catalog: (*scale).clone(),
            });
        }
    }
}

/// Totals of each rater, the consensus band, what is left to agree on, and the section chart.
fn summary_ui(ui: &mut egui::Ui, snapshot: &CaseSnapshot, review: &FidelityReview, lang: Lang) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading(&review.title);
        ui.weak(format!("({})", review.version));
    });
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(380.0);
            egui::Grid::new("fidelity_totals")
                .num_columns(2)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for rater in Rater::ALL {
                        let totals = review.totals(rater);
                        ui.label(rater_name(snapshot, rater, lang));
                        let mut text = tf(
                            lang,
                            "fidelity.total_of",
                            &[("total", &totals.total), ("max", &totals.max_total)],
                        );
                        if totals.scored < review.items.len() {
                            let scored = tn(
                                lang,
                                "fidelity.scored_of",
                                review.items.len(),
                                &[("scored", &totals.scored)],
                            );
                            text = format!("{text} ({scored})");
                        }
                        if rater == Rater::Consensus {
                            ui.strong(text);
                        } else {
                            ui.label(text);
                        }
                        ui.end_row();
                    }
                    let consensus = review.totals(Rater::Consensus);
                    ui.label(t(lang, "fidelity.band"));
                    match &consensus.band {
                        Some(band) => ui.strong(band),
                        None => ui.weak(t(lang, "fidelity.band_pending")),
                    };
                    ui.end_row();
                    let differ = review.disagreements().len();
                    let waiting = review.awaiting_consensus().len();
                    ui.label(t(lang, "fidelity.disagreements"));
                    let text = tf(
                        lang,
                        "fidelity.disagreements_value",
                        &[
                            ("differ", &counted(lang, "items", differ)),
                            ("waiting", &waiting),
                        ],
                    );
                    if waiting > 0 {
                        ui.colored_label(ui.visuals().warn_fg_color, text);
                    } else {
                        ui.label(text);
                    }
                    ui.end_row();
                    agreement_row_ui(ui, review, lang);
                });
        });
        chart_ui(ui, snapshot, review, lang);
    });
}

/// The evaluators' agreement: exact, within one step, and weighted kappa, with what kappa means.
fn agreement_row_ui(ui: &mut egui::Ui, review: &FidelityReview, lang: Lang) {
    let Some(text) = crate::i18n::agreement_text(lang, &review.agreement()) else {
        return;
    };
    ui.label(t(lang, "fidelity.agreement"));
    ui.label(text).on_hover_text(t(lang, "fidelity.kappa_help"));
    ui.end_row();
}

/// Each section's sum as a share of its maximum, one bar per rater.
fn chart_ui(ui: &mut egui::Ui, snapshot: &CaseSnapshot, review: &FidelityReview, lang: Lang) {
    let sections = &review.sections;
    let charts: Vec<BarChart> = Rater::ALL
        .iter()
        .enumerate()
        .map(|(r, rater)| {
            let totals = review.totals(*rater);
            let bars = totals
                .sections
                .iter()
                .enumerate()
                .map(|(s, (_, sum, max))| {
                    let percent = if *max == 0 {
                        0.0
                    } else {
                        f64::from(*sum) * 100.0 / f64::from(*max)
                    };
                    Bar::new(s as f64 + (r as f64 - 1.0) * 0.25, percent).width(0.22)
                })
                .collect();
            BarChart::new(rater_name(snapshot, *rater, lang), bars)
        })
        .collect();
    let titles: Vec<String> = sections.iter().map(|s| s.title.clone()).collect();
    Plot::new("fidelity_sections")
        .height(150.0)
        .width(ui.available_width().clamp(260.0, 560.0))
        .include_y(0.0)
        .include_y(100.0)
        // Room right of the last section for the legend, so it never covers a bar.
        .include_x(-0.5)
        .include_x(titles.len() as f64 + 0.7)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid([false, true])
        .legend(Legend::default())
        .y_axis_label(t(lang, "fidelity.chart_axis"))
        .x_axis_formatter(move |mark, _| {
            let index = mark.value.round();
            if (mark.value - index).abs() < 0.01 && index >= 0.0 {
                titles.get(index as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

/// One item: what it measures, the anchors, and a column per rater to score it.
fn item_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    item: &FidelityItem,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    ui.add_space(6.0);
    ui.heading(format!("{} {}", item.code, item.title));
    ui.label(&item.text);
    if !item.guidance.is_empty() {
        ui.weak(&item.guidance);
    }
    ui.add_space(6.0);
    let consensus = review.score(item.id, Rater::Consensus).map(|s| s.score);
    egui::Grid::new(("fidelity_anchors", item.id))
        .num_columns(2)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (n, anchor) in item.anchors.iter().enumerate() {
                let score = review.min + n as u8;
                if consensus == Some(score) {
                    ui.strong(score.to_string());
                    ui.strong(anchor);
                } else {
                    ui.label(score.to_string());
                    ui.label(anchor);
                }
                ui.end_row();
            }
        });
    if let (Some(a), Some(b)) = (
        review.score(item.id, Rater::First),
        review.score(item.id, Rater::Second),
    ) && a.score != b.score
    {
        ui.add_space(4.0);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            tf(
                lang,
                "fidelity.differ",
                &[("first", &a.score), ("second", &b.score)],
            ),
        );
    }
    ui.add_space(8.0);
    ui.columns(3, |columns| {
        for (column, rater) in columns.iter_mut().zip(Rater::ALL) {
            rater_ui(column, context, review, item, rater, drafts, out);
        }
    });
}

/// One rater's score buttons, rationale and evidence for an item.
fn rater_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    item: &FidelityItem,
    rater: Rater,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    let name = rater_name(snapshot, rater, lang);
    let current: Option<&FidelityScore> = review.score(item.id, rater);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.strong(&name);
        ui.horizontal_wrapped(|ui| {
            for score in review.min..=review.max {
                let selected = current.is_some_and(|s| s.score == score);
                let anchor = item
                    .anchors
                    .get(usize::from(score - review.min))
                    .map_or("", String::as_str);
                let response = ui
                    .add(egui::Button::selectable(selected, score.to_string()))
                    .on_hover_text(anchor);
                // Screen readers (and tests) hear "Konsensus: 4", not a bare number.
                let accessible = format!("{name}: {score}");
                response.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::Button,
                        true,
                        selected,
                        accessible.clone(),
                    )
                });
                if response.clicked() && !selected {
                    out.push(Command::SetFidelityScore {
                        item_id: item.id,
                        rater,
                        score,
                        rationale: current.map(|s| s.rationale.clone()).unwrap_or_default(),
                        evidence: current.map(|s| s.evidence.clone()).unwrap_or_default(),
                    });
                }
            }
            if current.is_some()
                && ui
                    .small_button("×")
                    .on_hover_text(t(lang, "fidelity.clear"))
                    .clicked()
            {
                out.push(Command::ClearFidelityScore {
                    item_id: item.id,
                    rater,
                });
            }
        });
        let Some(current) = current else {
            ui.weak(t(lang, "fidelity.score_first"));
            return;
        };
        let label = ui.label(t(lang, "fidelity.rationale"));
        let score = current.score;
        let evidence = current.evidence.clone();
        draft_text(
            ui,
            drafts,
            egui::Id::unique(("fidelity_rationale", item.id, rater)),
            &current.rationale,
            TextKind::Multi { rows: 3 },
            Some(&label),
            |text| Command::SetFidelityScore {
                item_id: item.id,
                rater,
                score,
                rationale: text,
                evidence,
            },
        );
        for (n, source) in current.evidence.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                ui.label(evidence_reference(snapshot, *source, lang, Quote::Always));
                if ui
                    .small_button("×")
                    .on_hover_text(t(lang, "findings.remove_evidence"))
                    .clicked()
                {
                    let mut evidence = current.evidence.clone();
                    evidence.remove(n);
                    out.push(Command::SetFidelityScore {
                        item_id: item.id,
                        rater,
                        score,
                        rationale: current.rationale.clone(),
                        evidence,
                    });
                }
            });
        }
        let label = ui.label(t(lang, "findings.add_evidence"));
        if let Some(picked) = evidence_picker(
            ui,
            snapshot,
            lang,
            ("fidelity_evidence", item.id, rater),
            &current.evidence,
            &label,
        ) {
            let mut evidence = current.evidence.clone();
            evidence.push(picked);
            out.push(Command::SetFidelityScore {
                item_id: item.id,
                rater,
                score,
                rationale: current.rationale.clone(),
                evidence,
            });
        }
    });
}
