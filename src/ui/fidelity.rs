//! Troskap: a fidelity review. Each of two evaluators scores every item on its own, then they
//! agree on a consensus score; the page shows where they differ, the totals, the band, and a
//! chart of the sections.

use egui_plot::{Bar, BarChart, Legend, Plot};

use super::drafts::Drafts;
use super::widgets::{
    TextKind, draft_text, editor_panel, evidence_picker, list_panel, row_list, section_ui,
};
use super::{PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::{
    CaseSnapshot, FidelityItem, FidelityItemId, FidelityPhase, FidelityReview, FidelityScore,
    FindingKind, Rater,
};
use crate::i18n::{Lang, Quote, counted, evidence_reference, rater_name, t, tf, tn};

#[derive(Default)]
pub struct FidelityState {
    pub selected: Option<FidelityItemId>,
    /// The scale picked for a case that has none yet, by catalog id and version.
    chosen_scale: Option<(String, String)>,
    /// Which evaluator is at the keyboard, when two share one laptop; otherwise the profile
    /// name decides (`Workbench::fidelity_rater`).
    pub rater_choice: Option<Rater>,
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
    let phase = review.phase();
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading(&review.title);
        ui.weak(format!("({})", review.version));
    });
    phase_ui(
        ui,
        context,
        review,
        &mut state.fidelity,
        &mut state.requests,
        out,
    );
    summary_ui(ui, context, review);
    if phase == FidelityPhase::Reconciliation {
        improvement_ui(ui, context, review, &mut state.fidelity, out);
    }
    ui.separator();

    let order: Vec<&FidelityItem> = match phase {
        FidelityPhase::Blind => review.items.iter().collect(),
        FidelityPhase::Reconciliation => review.reconciliation_order(),
    };
    let rows: Vec<String> = order
        .iter()
        .map(|item| item_row(review, item, context.rater))
        .collect();
    let selected_index = state
        .fidelity
        .selected
        .and_then(|id| order.iter().position(|i| i.id == id));
    list_panel(ui, context.lang, "fidelity_items", |ui| {
        ui.weak(match phase {
            FidelityPhase::Blind => t(lang, "fidelity.list_hint_blind"),
            FidelityPhase::Reconciliation => t(lang, "fidelity.list_hint"),
        });
        if let Some(index) = row_list(ui, "fidelity_item_rows", &rows, selected_index) {
            state.fidelity.selected = order.get(index).map(|i| i.id);
        }
    });
    let selected = state.fidelity.selected.and_then(|id| review.item(id));
    editor_panel(
        ui,
        "fidelity_editor",
        selected,
        t(lang, "fidelity.pick_item"),
        |ui, item| item_ui(ui, context, review, item, state, out),
    );
}

/// Who is scoring, who has delivered, and the button to deliver (or take it back). While the
/// review is blind nothing here counts the other evaluator's scores: only whether they have
/// delivered.
fn phase_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    state: &mut FidelityState,
    requests: &mut Vec<Request>,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    let phase = review.phase();
    ui.horizontal_wrapped(|ui| {
        match phase {
            FidelityPhase::Blind => ui.strong(t(lang, "fidelity.phase_blind")),
            FidelityPhase::Reconciliation => ui.strong(t(lang, "fidelity.phase_reconciliation")),
        }
        .on_hover_text(t(lang, "fidelity.phase_help"));
        for rater in Rater::RATERS {
            let name = rater_name(snapshot, rater, lang);
            let text = match review.seal(rater) {
                Some(seal) if seal.sealed_at.is_empty() => {
                    tf(lang, "fidelity.sealed", &[("name", &name)])
                }
                Some(seal) => tf(
                    lang,
                    "fidelity.sealed_on",
                    &[
                        ("name", &name),
                        ("date", &sealed_date(lang, &seal.sealed_at)),
                    ],
                ),
                None => tf(lang, "fidelity.not_sealed", &[("name", &name)]),
            };
            ui.label(text);
        }
    });
    if phase == FidelityPhase::Reconciliation {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t(lang, "fidelity.scoring_as"));
        let current = context.rater;
        egui::ComboBox::from_id_salt("fidelity_rater_choice")
            .selected_text(current.map_or_else(
                || t(lang, "fidelity.nobody").to_owned(),
                |r| rater_name(snapshot, r, lang),
            ))
            .show_ui(ui, |ui| {
                for rater in Rater::RATERS {
                    if ui
                        .selectable_label(current == Some(rater), rater_name(snapshot, rater, lang))
                        .clicked()
                    {
                        state.rater_choice = Some(rater);
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(t(lang, "fidelity.scoring_as_hint"));
        let Some(me) = current else {
            ui.colored_label(ui.visuals().warn_fg_color, t(lang, "fidelity.who_are_you"));
            return;
        };
        if let Some(other) = me.other()
            && !review.is_sealed(other)
        {
            let name = rater_name(snapshot, other, lang);
            if ui
                .button(tf(lang, "fidelity.copy_for", &[("name", &name)]))
                .on_hover_text(tf(lang, "fidelity.copy_for_hint", &[("name", &name)]))
                .clicked()
            {
                requests.push(Request::BlindCopy(other));
            }
        }
        if review.is_sealed(me) {
            if ui
                .button(t(lang, "fidelity.unseal"))
                .on_hover_text(t(lang, "fidelity.unseal_hint"))
                .clicked()
            {
                out.push(Command::UnsealFidelityScores { rater: me });
            }
            return;
        }
        let ready = review.check_may_seal(me);
        let missing = review.items.len() - review.totals(me).scored;
        let button = ui.add_enabled(ready.is_ok(), egui::Button::new(t(lang, "fidelity.seal")));
        let button = if ready.is_ok() {
            button.on_hover_text(t(lang, "fidelity.seal_hint"))
        } else {
            button.on_disabled_hover_text(tn(lang, "fidelity.items_left", missing, &[]))
        };
        if button.clicked() {
            out.push(Command::SealFidelityScores { rater: me });
        }
        if missing > 0 {
            ui.weak(tn(lang, "fidelity.items_left", missing, &[]));
        }
    });
}

/// `2026-12-02` as the language writes a date (`02.12.2026`); nothing for a delivery from before the day was kept.
fn sealed_date(lang: Lang, at: &str) -> String {
    at.parse::<jiff::civil::Date>().map_or_else(
        |_| String::new(),
        |date| crate::i18n::date(lang, Some(date)),
    )
}

/// "STAFF-1 · 4 5 › 4  ≠1 · Saksmengde": both evaluators' scores, the consensus, and how far the
/// two differ, before the title (which a narrow list cuts). While blind: the viewer's own score.
fn item_row(review: &FidelityReview, item: &FidelityItem, viewer: Option<Rater>) -> String {
    let score = |rater| {
        review
            .score(item.id, rater)
            .map_or_else(|| "–".to_owned(), |s| s.score.to_string())
    };
    match review.phase() {
        FidelityPhase::Blind => match viewer {
            Some(me) => format!("{} · {} · {}", item.code, score(me), item.title),
            None => format!("{} · {}", item.code, item.title),
        },
        FidelityPhase::Reconciliation => {
            let differ = review
                .difference(item.id)
                .filter(|d| *d > 0)
                .map_or_else(String::new, |d| format!("  ≠{d}"));
            format!(
                "{} · {} {} › {}{} · {}",
                item.code,
                score(Rater::First),
                score(Rater::Second),
                score(Rater::Consensus),
                differ,
                item.title,
            )
        }
    }
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

/// Totals, the consensus band, what is left to agree on, the agreement and the section chart.
/// While blind: the viewer's own totals only.
fn summary_ui(ui: &mut egui::Ui, context: &PageContext<'_>, review: &FidelityReview) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    let shown: Vec<Rater> = match review.phase() {
        FidelityPhase::Blind => context.rater.into_iter().collect(),
        FidelityPhase::Reconciliation => Rater::ALL.to_vec(),
    };
    if shown.is_empty() {
        return;
    }
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(380.0);
            egui::Grid::new("fidelity_totals")
                .num_columns(2)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for rater in &shown {
                        let totals = review.totals(*rater);
                        ui.label(rater_name(snapshot, *rater, lang));
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
                        if *rater == Rater::Consensus {
                            ui.strong(text);
                        } else {
                            ui.label(text);
                        }
                        ui.end_row();
                    }
                    if review.phase() == FidelityPhase::Blind {
                        return;
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
            if review.phase() == FidelityPhase::Reconciliation {
                section_agreement_ui(ui, review, lang);
            }
        });
        chart_ui(ui, snapshot, review, &shown, lang);
    });
}

/// The agreement within each section, folded away.
fn section_agreement_ui(ui: &mut egui::Ui, review: &FidelityReview, lang: Lang) {
    egui::CollapsingHeader::new(t(lang, "fidelity.agreement_by_section"))
        .id_salt("fidelity_section_agreement")
        .show(ui, |ui| {
            egui::Grid::new("fidelity_section_agreement_grid")
                .num_columns(2)
                .spacing([16.0, 2.0])
                .show(ui, |ui| {
                    for (code, agreement) in review.section_agreement() {
                        let title = review
                            .sections
                            .iter()
                            .find(|s| s.code == code)
                            .map_or(code.as_str(), |s| s.title.as_str());
                        ui.label(title);
                        match crate::i18n::agreement_text(lang, &agreement) {
                            Some(text) => ui.label(text),
                            None => ui.weak("–"),
                        }
                        .on_hover_text(t(lang, "fidelity.kappa_help"));
                        ui.end_row();
                    }
                });
        });
}

/// *Forbedringspunkter*: items whose consensus is below the scale's line, each with its
/// recommendation and a way to carry it into the plan; and the strengths (items at the top).
fn improvement_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    state: &mut FidelityState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let points = review.improvement_points();
    let strengths = review.strengths();
    egui::CollapsingHeader::new(tf(
        lang,
        "fidelity.improvements",
        &[
            ("count", &points.len()),
            ("below", &review.improvement_below),
        ],
    ))
    .id_salt("fidelity_improvements")
    // Folded by default, so the items and their scores keep the page's height.
    .default_open(false)
    .show(ui, |ui| {
        if points.is_empty() {
            ui.weak(t(lang, "fidelity.no_improvements"));
        }
        egui::ScrollArea::vertical()
            .id_salt("fidelity_improvement_list")
            .max_height(180.0)
            .show(ui, |ui| {
                for item in points {
                    improvement_row_ui(ui, context, review, item, state, out);
                }
            });
        if !strengths.is_empty() {
            let codes: Vec<&str> = strengths.iter().map(|i| i.code.as_str()).collect();
            ui.label(tf(
                lang,
                "fidelity.strengths",
                &[("items", &codes.join(", "))],
            ));
        }
    });
}

fn improvement_row_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    item: &FidelityItem,
    state: &mut FidelityState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let consensus = review
        .score(item.id, Rater::Consensus)
        .map_or(0, |s| s.score);
    ui.horizontal_wrapped(|ui| {
        if ui
            .link(format!("{} {}", item.code, item.title))
            .on_hover_text(t(lang, "fidelity.open_item"))
            .clicked()
        {
            state.selected = Some(item.id);
        }
        ui.label(tf(
            lang,
            "fidelity.consensus_score",
            &[("score", &consensus)],
        ));
        let made = context
            .snapshot
            .findings
            .iter()
            .find(|f| f.fidelity_item.as_deref() == Some(item.code.as_str()));
        if let Some(finding) = made {
            ui.weak(tf(
                lang,
                "fidelity.finding_made",
                &[("title", &finding.fields.title)],
            ));
            return;
        }
        let action = ui
            .button(t(lang, "fidelity.new_action"))
            .on_hover_text(t(lang, "fidelity.new_action_hint"));
        let action_name = tf(lang, "fidelity.new_action_for", &[("item", &item.code)]);
        action.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, action_name.clone())
        });
        if action.clicked() {
            out.push(Command::AddFindingFromFidelityItem {
                item_id: item.id,
                kind: FindingKind::Deviation,
            });
        }
        let area = ui
            .button(t(lang, "fidelity.new_improvement_area"))
            .on_hover_text(t(lang, "fidelity.new_improvement_area_hint"));
        let area_name = tf(
            lang,
            "fidelity.new_improvement_area_for",
            &[("item", &item.code)],
        );
        area.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, area_name.clone()));
        if area.clicked() {
            out.push(Command::AddFindingFromFidelityItem {
                item_id: item.id,
                kind: FindingKind::ImprovementArea,
            });
        }
    });
    if item.recommendation.is_empty() {
        ui.weak(t(lang, "fidelity.no_recommendation"));
    } else {
        ui.label(&item.recommendation);
    }
    ui.add_space(4.0);
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

/// Each section's sum as a share of its maximum, one bar per rater shown.
fn chart_ui(
    ui: &mut egui::Ui,
    snapshot: &CaseSnapshot,
    review: &FidelityReview,
    shown: &[Rater],
    lang: Lang,
) {
    let sections = &review.sections;
    let charts: Vec<BarChart> = shown
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
                    let offset = (r as f64 - (shown.len() as f64 - 1.0) / 2.0) * 0.25;
                    Bar::new(s as f64 + offset, percent).width(0.22)
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
        })
        .response
        .accessible_name(super::widgets::chart_name(
            lang,
            "fidelity.agreement_by_section",
        ));
}

/// One item: what it measures, the anchors, and the scores. While blind, the viewer's own
/// column only; in the consensus phase both evaluators' scores side by side (fixed), the
/// consensus to set, and the recommendation.
fn item_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    item: &FidelityItem,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading(format!("{} {}", item.code, item.title));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(t(lang, "history.show")).clicked() {
                state.requests.push(Request::History {
                    target: item.id.to_string(),
                    title: format!("{} {}", item.code, item.title),
                });
            }
        });
    });
    ui.label(&item.text);
    if !item.guidance.is_empty() {
        ui.weak(&item.guidance);
    }
    ui.add_space(6.0);
    let consensus = review.score(item.id, Rater::Consensus).map(|s| s.score);
    // What each score means; long anchors wrap within the panel.
    for (n, anchor) in item.anchors.iter().enumerate() {
        let score = review.min + n as u8;
        ui.horizontal_top(|ui| {
            let (number, text) = if consensus == Some(score) {
                (
                    egui::RichText::new(score.to_string()).strong(),
                    egui::RichText::new(anchor).strong(),
                )
            } else {
                (score.to_string().into(), anchor.into())
            };
            ui.add_sized([18.0, 0.0], egui::Label::new(number));
            ui.add(egui::Label::new(text).wrap());
        });
    }
    ui.add_space(8.0);
    let drafts = &mut state.drafts;
    match review.phase() {
        FidelityPhase::Blind => {
            let Some(me) = context.rater else {
                ui.weak(t(lang, "fidelity.who_are_you"));
                return;
            };
            let editable = !review.is_sealed(me);
            rater_ui(ui, context, review, item, me, editable, drafts, out);
        }
        FidelityPhase::Reconciliation => {
            if let (Some(a), Some(b)) = (
                review.score(item.id, Rater::First),
                review.score(item.id, Rater::Second),
            ) && a.score != b.score
            {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tf(
                        lang,
                        "fidelity.differ",
                        &[("first", &a.score), ("second", &b.score)],
                    ),
                );
                ui.add_space(4.0);
            }
            ui.columns(3, |columns| {
                for (column, rater) in columns.iter_mut().zip(Rater::ALL) {
                    let editable = rater == Rater::Consensus;
                    rater_ui(column, context, review, item, rater, editable, drafts, out);
                }
            });
            ui.add_space(8.0);
            let label = ui.label(t(lang, "fidelity.recommendation"));
            draft_text(
                ui,
                drafts,
                egui::Id::unique(("fidelity_recommendation", item.id)),
                &item.recommendation,
                TextKind::Multi { rows: 3 },
                Some(&label),
                |text| Command::SetFidelityRecommendation {
                    item_id: item.id,
                    recommendation: text,
                },
            );
        }
    }
}

/// One rater's score, rationale and evidence for an item: buttons and fields where it may be
/// changed, plain text where it is fixed (delivered, or the other evaluator's).
#[allow(clippy::too_many_arguments)]
fn rater_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    review: &FidelityReview,
    item: &FidelityItem,
    rater: Rater,
    editable: bool,
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
        if !editable {
            match current {
                Some(score) => {
                    let anchor = item
                        .anchors
                        .get(usize::from(score.score.saturating_sub(review.min)))
                        .map_or("", String::as_str);
                    ui.label(tf(lang, "fidelity.score_is", &[("score", &score.score)]))
                        .on_hover_text(anchor);
                    if !score.rationale.is_empty() {
                        ui.label(&score.rationale);
                    }
                    for source in &score.evidence {
                        ui.weak(evidence_reference(snapshot, *source, lang, Quote::Always));
                    }
                }
                None => {
                    ui.weak(t(lang, "fidelity.not_scored"));
                }
            }
            return;
        }
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
            if current.is_some() {
                let clear = ui
                    .small_button("×")
                    .on_hover_text(t(lang, "fidelity.clear"));
                let clear_name = format!("{name}: {}", t(lang, "fidelity.clear"));
                clear.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, clear_name.clone())
                });
                if clear.clicked() {
                    out.push(Command::ClearFidelityScore {
                        item_id: item.id,
                        rater,
                    });
                }
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
                let reference = evidence_reference(snapshot, *source, lang, Quote::Always);
                ui.label(&reference);
                let remove = t(lang, "findings.remove_evidence");
                if ui
                    .small_button("×")
                    .accessible_name(format!("{name}: {remove}: {reference}"))
                    .on_hover_text(remove)
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
