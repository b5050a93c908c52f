//! The Nettverk page: many cases compared — requirement areas (table and chart), outcomes,
//! plan closure, and the good practice of other providers, searchable ("share what works").
//! Draws an `Overview`; reading the cases is the app's (on a worker thread).

use egui::RichText;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points};

use crate::i18n::{Lang, t, tf, tn};
use crate::network::Overview;

const ROW_HEIGHT: f32 = 22.0;

/// Which part of the comparison is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NetworkTab {
    #[default]
    Areas,
    Outcomes,
    Plans,
    Sources,
    GoodPractice,
    Skipped,
}

/// What the page remembers between frames.
#[derive(Clone, Debug, Default)]
pub struct NetworkState {
    pub tab: NetworkTab,
    pub search: String,
}

pub fn overview_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview, state: &mut NetworkState) {
    ui.horizontal(|ui| {
        let tabs = [
            (NetworkTab::Areas, "network.tab.areas"),
            (NetworkTab::Outcomes, "network.tab.outcomes"),
            (NetworkTab::Plans, "network.tab.plans"),
            (NetworkTab::Sources, "network.tab.sources"),
            (NetworkTab::GoodPractice, "network.tab.good_practice"),
        ];
        for (tab, key) in tabs {
            ui.selectable_value(&mut state.tab, tab, t(lang, key));
        }
        if !overview.skipped.is_empty() {
            ui.selectable_value(
                &mut state.tab,
                NetworkTab::Skipped,
                tf(
                    lang,
                    "network.tab.skipped",
                    &[("count", &overview.skipped.len())],
                ),
            );
        }
    });
    ui.separator();
    match state.tab {
        NetworkTab::Areas => areas_ui(ui, lang, overview),
        NetworkTab::Outcomes => outcomes_ui(ui, lang, overview),
        NetworkTab::Plans => plans_ui(ui, lang, overview),
        NetworkTab::Sources => sources_ui(ui, lang, overview),
        NetworkTab::GoodPractice => good_practice_ui(ui, lang, overview, &mut state.search),
        NetworkTab::Skipped => skipped_ui(ui, overview),
    }
}

fn areas_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview) {
    let kinds = [
        "network.col.providers_with_deviations",
        "network.col.providers_with_improvement_areas",
        "network.col.providers_with_good_practice",
    ];
    let charts: Vec<BarChart> = kinds
        .iter()
        .enumerate()
        .map(|(k, key)| {
            let bars = overview
                .areas
                .iter()
                .enumerate()
                .map(|(i, area)| {
                    let value = area.figures()[k];
                    Bar::new(i as f64 + (k as f64 - 1.0) * 0.27, value as f64)
                        .width(0.25)
                        .name(&area.title)
                })
                .collect();
            BarChart::new(t(lang, key), bars)
        })
        .collect();
    let codes: Vec<String> = overview.areas.iter().map(|a| a.code.clone()).collect();
    Plot::new("network_areas")
        .height(190.0)
        .include_y(0.0)
        .include_x(-0.6)
        .include_x(codes.len() as f64 + 2.2)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid([false, true])
        .legend(Legend::default())
        .y_axis_label(t(lang, "network.chart.providers"))
        .x_axis_formatter(move |mark, _| {
            let index = mark.value.round();
            if (mark.value - index).abs() < 0.01 && index >= 0.0 {
                codes.get(index as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
    ui.add_space(6.0);
    let headers = crate::network::AREA_COLUMNS;
    table_ui(
        ui,
        lang,
        "network_areas_table",
        &headers,
        132.0,
        overview.areas.len(),
        |i| {
            let area = &overview.areas[i];
            std::iter::once(format!("{} {}", area.code, area.title))
                .chain(area.figures().map(|n| n.to_string()))
                .collect()
        },
    );
}

/// A table with a wide first column (a name) and narrow ones after it, header keys translated;
/// only the rows in view are laid out, so thousands of rows cost what a screenful does.
fn table_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    id: &str,
    headers: &[&str],
    width: f32,
    rows: usize,
    cells: impl Fn(usize) -> Vec<String>,
) {
    TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .auto_shrink([false, false])
        .column(
            Column::initial(260.0)
                .range(160.0..=420.0)
                .resizable(true)
                .clip(true),
        )
        .columns(Column::exact(width), headers.len().saturating_sub(1))
        .header(ROW_HEIGHT * 2.0, |mut header| {
            for key in headers {
                header.col(|ui| {
                    ui.add(egui::Label::new(RichText::new(t(lang, key)).strong()).wrap());
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, rows, |mut row| {
                for text in cells(row.index()) {
                    row.col(|ui| {
                        ui.label(text);
                    });
                }
            });
        });
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.0} %", s * 100.0))
}

fn outcomes_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview) {
    // The mean share per year across providers, as a line; the rows below give each provider.
    let mut by_year: std::collections::BTreeMap<i32, (f64, usize)> =
        std::collections::BTreeMap::new();
    for outcome in &overview.outcomes {
        if let Some(share) = outcome.work_or_education_share {
            let entry = by_year.entry(outcome.year).or_default();
            entry.0 += share;
            entry.1 += 1;
        }
    }
    let points: Vec<[f64; 2]> = by_year
        .iter()
        .map(|(year, (sum, n))| [f64::from(*year), 100.0 * sum / *n as f64])
        .collect();
    Plot::new("network_outcomes")
        .height(170.0)
        .include_y(0.0)
        .include_y(100.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .y_axis_label(t(lang, "network.chart.share"))
        .x_axis_formatter(|mark, _| {
            if (mark.value - mark.value.round()).abs() < 0.01 {
                format!("{:.0}", mark.value)
            } else {
                String::new()
            }
        })
        .legend(Legend::default())
        .show(ui, |plot| {
            let name = t(lang, "network.chart.mean_share");
            plot.line(Line::new(name, PlotPoints::from(points.clone())).width(2.0));
            plot.points(Points::new(name, PlotPoints::from(points)).radius(4.0));
        });
    ui.add_space(6.0);
    let headers = crate::network::OUTCOME_COLUMNS;
    table_ui(
        ui,
        lang,
        "network_outcomes_table",
        &headers,
        96.0,
        overview.outcomes.len(),
        |i| {
            let outcome = &overview.outcomes[i];
            vec![
                outcome.provider.clone(),
                outcome.year.to_string(),
                outcome.ended.to_string(),
                outcome.to_work.to_string(),
                outcome.to_education.to_string(),
                outcome.to_other.to_string(),
                percent(outcome.work_or_education_share),
            ]
        },
    );
}

fn plans_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview) {
    let total: usize = overview.plans.iter().map(|p| p.actions).sum();
    let closed: usize = overview.plans.iter().map(|p| p.actions_closed).sum();
    ui.label(tn(
        lang,
        "network.plans_summary",
        total,
        &[
            ("closed", &closed),
            (
                "rate",
                &percent((total > 0).then(|| closed as f64 / total as f64)),
            ),
        ],
    ));
    ui.add_space(4.0);
    let headers = crate::network::PLAN_COLUMNS;
    table_ui(
        ui,
        lang,
        "network_plans_table",
        &headers,
        110.0,
        overview.plans.len(),
        |i| {
            let plan = &overview.plans[i];
            vec![
                plan.provider.clone(),
                plan.year.map(|y| y.to_string()).unwrap_or_default(),
                plan.actions.to_string(),
                plan.actions_closed.to_string(),
                plan.actions_verified.to_string(),
                percent(plan.closure_rate),
            ]
        },
    );
}

/// Each side's evidence across the cases, matched by source group; a warning when the cases'
/// catalogs triangulate different sides.
fn sources_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview) {
    ui.label(RichText::new(t(lang, "network.sources_intro")).weak());
    if !overview.sources_match() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            crate::network::sources_differ(overview, lang),
        );
    }
    ui.add_space(4.0);
    let headers = crate::network::SOURCE_COLUMNS;
    table_ui(
        ui,
        lang,
        "network_sources_table",
        &headers,
        120.0,
        overview.sources.len(),
        |i| {
            let source = &overview.sources[i];
            vec![
                source.name(lang),
                source.cases.to_string(),
                source.interviews.to_string(),
                source.evidence.to_string(),
                source.requirements_with_evidence.to_string(),
                percent(source.share()),
            ]
        },
    );
}

fn good_practice_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview, search: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(t(lang, "network.search"));
        ui.add(egui::TextEdit::singleline(search).desired_width(320.0))
            .labelled_by(label.id);
    });
    let found = overview.search_good_practice(search);
    ui.label(tf(
        lang,
        "network.found",
        &[
            ("count", &found.len()),
            ("total", &overview.good_practice.len()),
        ],
    ));
    ui.add_space(4.0);
    // Two lines per practice: the title with where it comes from, then the description (cut;
    // the whole text on hover). Fixed heights keep long lists cheap to draw.
    let row_height = ROW_HEIGHT * 2.2;
    egui::ScrollArea::vertical()
        .id_salt("network_good_practice")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, found.len(), |ui, rows| {
            for practice in &found[rows] {
                ui.vertical(|ui| {
                    ui.set_height(row_height - 4.0);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&practice.title).strong());
                        ui.label(
                            RichText::new(format!(
                                "{} · {} · {}",
                                practice.provider,
                                practice.year.map(|y| y.to_string()).unwrap_or_default(),
                                practice.area_title
                            ))
                            .weak(),
                        );
                    });
                    ui.add(egui::Label::new(&practice.description).truncate())
                        .on_hover_text(&practice.description);
                });
            }
        });
}

fn skipped_ui(ui: &mut egui::Ui, overview: &Overview) {
    egui::ScrollArea::vertical()
        .id_salt("network_skipped")
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, overview.skipped.len(), |ui, rows| {
            for skip in &overview.skipped[rows] {
                ui.label(format!("{}: {}", skip.path.display(), skip.reason));
            }
        });
}
